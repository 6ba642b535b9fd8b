"""export layer: the only package that imports reportlab and pypdf (docs/ARCHITECTURE.md)."""
