"""storage layer: the only package that touches the database (docs/ARCHITECTURE.md)."""
