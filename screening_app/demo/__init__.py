"""Fictional data: the ``--demo`` database and the bulk screenings tests and benchmarks use.

Qt-free; writes through the storage repositories. The composition root (``screening_app.app``)
creates the database, adds the users as the administrator (``database.add_users``), grants the
readers access with the recovery key, and writes the screenings as a supervisor
(``database.add_screenings``) — the same steps a real team takes.
"""
