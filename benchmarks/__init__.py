"""Speed and memory measurements, run on demand (never timed asserts in tests)."""
