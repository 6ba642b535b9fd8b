"""The team server: desktops send submitted screenings (end-to-end encrypted) and receive review
decisions; supervisors' desktops receive their team's screenings. Qt-free; nothing imports it but
the CLI's ``server`` commands. Its own storage is PostgreSQL (``schema.py``, ``store.py``); roles
are enforced in the API and again by row-level security (docs/SERVER.md)."""
