"""CSE Screening: a child sexual exploitation risk screening tool for practitioners."""

__version__ = "0.1.0"
