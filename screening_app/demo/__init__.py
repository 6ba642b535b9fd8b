"""Fictional data: the ``--demo`` database and the bulk screenings tests and benchmarks use.

Qt-free; writes through the storage repositories. The composition root (``screening_app.app``)
creates the database and signs in, then calls :func:`populate` with the administrator's session.
"""
