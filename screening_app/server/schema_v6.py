"""Schema step 6 (see schema.py): the team key's recovery copy, locked under a code."""

V6 = "ALTER TABLE teams ADD COLUMN recovery bytea"
