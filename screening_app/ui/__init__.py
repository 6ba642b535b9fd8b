"""ui layer: every widget; the only package that imports PySide6 (docs/ARCHITECTURE.md)."""
