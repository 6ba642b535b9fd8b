"""Schema step 4 (see schema.py): one-time challenges, so that a registered device signs in
with its own key."""

V4 = """
CREATE TABLE challenges (
    nonce bytea PRIMARY KEY,
    device_id uuid NOT NULL REFERENCES devices(id),
    expires_at timestamptz NOT NULL
)
"""
