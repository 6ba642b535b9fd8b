"""Rotating the data key: what makes disabling an account real (docs/SECURITY.md).

When the account log says a rotation is due (an account that held the data key was disabled,
had its keys replaced, or someone suspected a compromise), the next account that holds the key
signs in and, before anything else is written:

1. seals a new random key for every account that keeps access (and the recovery key) as their
   *next* key, and saves the key file;
2. re-encrypts the database under it (SQLCipher ``PRAGMA rekey``, all pages, one transaction);
3. signs ``data_key_rotated`` into the account log and makes the next key everyone's current
   key (:func:`finish`);
4. re-encrypts the backups kept beside the database the same way.

A crash between 1 and 2 leaves the old key working (the rotation simply runs again); between 2
and 3 the next key opens the database and :func:`finish` completes the step at the next sign-in.
Afterwards no earlier copy of the key file or of a backup opens anything written since.
"""

from __future__ import annotations

import logging

from screening_app import crypto
from screening_app.storage import backup
from screening_app.storage.account_log import RECOVERY
from screening_app.storage.opened import Progress, Store

log = logging.getLogger(__name__)


def rotate(store: Store, at: str, progress: Progress | None = None) -> None:
    report = progress or (lambda _message, _fraction: None)
    ring, old_key = store.keyring, store.data_key
    assert old_key is not None
    new_key = crypto.random_key()
    keepers = [RECOVERY] + [
        a.id for a in ring.directory.accounts.values() if a.active and a.granted
    ]
    for account_id in keepers:
        ring.seal_data_key(account_id, new_key, slot="next_data_key")
    store.save_keyring()
    report("Re-encrypting the database after a change of access…", 0.05)
    store.rekey(new_key)
    finish(store, at)
    copies = backup.list_backups(store.path)
    for number, copy in enumerate(copies, start=1):
        report(f"Re-encrypting backup {number} of {len(copies)}…", number / (len(copies) + 1))
        backup.reencrypt(copy.path, old_key, new_key, ring)
    log.info("rotated the data key (epoch %d)", ring.directory.key_epoch)


def finish(store: Store, at: str) -> None:
    """Record the rotation in the account log and make the next key everyone's key."""
    ring = store.keyring
    epoch = ring.directory.key_epoch + 1
    data = {"epoch": epoch}
    ring.append(store.actor, store.keys, "data_key_rotated", None, data, at, ring.promote_next_keys)
    store.save_keyring()
