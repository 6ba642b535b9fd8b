"""Use cases that combine the domain with storage and export."""
