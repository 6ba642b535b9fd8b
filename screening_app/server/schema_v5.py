"""Schema step 5 (see schema.py): an author's amendment marks the version it replaces as
superseded."""

V5 = (
    "CREATE POLICY screenings_supersede ON screenings FOR UPDATE USING ("
    "author_id = nullif(current_setting('app.account_id', true), '')::integer) "
    "WITH CHECK (status = 'superseded')"
)
