"""Schema step 14: the server's audit rows hashed in the one encoding the desktop's trail uses
too (domain/audit_chain.py).

The rows written so far keep their hashes and are marked ``encoding`` 1 (Python's default JSON,
``audit_chain.legacy_link``); every row from now on is written as encoding 2 (``link``). The
check reads each row by its own mark, so a chain that spans the change is walked end to end.
"""

V14 = """
ALTER TABLE audit ADD COLUMN encoding smallint NOT NULL DEFAULT 1;
ALTER TABLE audit ALTER COLUMN encoding SET DEFAULT 2;
ALTER TABLE audit ADD CONSTRAINT audit_encoding_known CHECK (encoding IN (1, 2));
"""
