"""The desktop's side of the team server: the end-to-end envelope (``envelope.py``) and, next,
the queue and the HTTPS client. Qt-free (docs/SERVER.md)."""
