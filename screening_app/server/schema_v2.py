"""Schema step 2 (see schema.py): device public keys, the team key and the order uploads came in."""

V2 = """
ALTER TABLE devices ADD COLUMN box_public bytea, ADD COLUMN sign_public bytea;
ALTER TABLE teams ADD COLUMN key_public bytea;
CREATE TABLE team_keys (
    team_id integer NOT NULL REFERENCES teams(id),
    device_id uuid NOT NULL REFERENCES devices(id),
    sealed bytea NOT NULL,
    PRIMARY KEY (team_id, device_id)
);
ALTER TABLE screenings ADD COLUMN device_id uuid REFERENCES devices(id);
ALTER TABLE screenings ADD COLUMN seq bigserial;
CREATE UNIQUE INDEX screenings_seq ON screenings(seq);
ALTER TABLE team_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE team_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY team_keys_own ON team_keys USING (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND current_setting('app.role', true) = 'supervisor'
);
"""
