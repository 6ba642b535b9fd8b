"""A client signed in to the team server for this computer: with the account's password, or
else with the computer's own key (how the window talks to the server in the background)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from screening_app.errors import WorkflowError
from screening_app.services.session import Session
from screening_app.storage.opened import get_meta
from screening_app.sync.client import ServerClient
from screening_app.sync.wire import SignedIn


@contextmanager
def signed_in(
    session: Session, password: str | None = None
) -> Iterator[tuple[ServerClient, SignedIn]]:
    """(client, the server's answer to the sign-in); the client is closed after the block."""
    db = session.db
    url, pem = get_meta(db, "sync_url"), get_meta(db, "sync_certificate")
    device = get_meta(db, "sync_device")
    if url is None or pem is None or device is None:
        raise WorkflowError("This database is not connected to a team server: `connect` first.")
    client = ServerClient(url, pem)
    try:
        if password is None:
            me = client.sign_in_device(device, session.store.keys.sign)
        else:
            me = client.sign_in(session.user.name, password, device)
        yield client, me
    finally:
        client.close()
