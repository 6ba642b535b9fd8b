"""Schema step 12: an audit chain per team (server/audit.py).

Every row written so far forms one chain; it becomes chain 0, the organisation's. From now on a
team's rows chain on their own (``chain`` = the team's id), each appended under a lock on that
chain only, so that one team's uploads never wait for another's.
"""

V12 = """
ALTER TABLE audit ADD COLUMN chain integer NOT NULL DEFAULT 0;
CREATE INDEX audit_chain ON audit(chain, id);
"""
