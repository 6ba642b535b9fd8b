"""The team's keys on the server: only public halves and sealed copies, never a private key.

- The **team key** (X25519) opens the team's screenings. The first supervisor makes it; every
  further supervisor's device gets a copy sealed for it by a supervisor who holds one. It comes
  in **epochs**: when a supervisor leaves (account disabled, or a supervisor's device revoked)
  the team is marked ``rotation_due`` and the next supervisor to sync makes the next epoch,
  sealed for the supervisors who remain. Uploads sealed for an older epoch are refused from then
  on, so a leaver's copies open nothing sent after.
- The **recovery copy**: a recovery key pair whose private half is locked under a code printed
  once; each epoch's key is also sealed for its public half, so a rotation needs no code.
- The **link secret** (32 random bytes) lets every device of the team make the same tag for the
  same child (and, later, for the same car or phone) without the server learning what was
  tagged. Every device of the team, practitioners' too, gets a sealed copy.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import psycopg

from screening_app.domain.capabilities import Verb, holders, who
from screening_app.server import permissions, rows
from screening_app.server.downloads import b64
from screening_app.server.problems import Conflict, Invalid, NotFound, Refused
from screening_app.server.store import Caller, ServerStore
from screening_app.sync.wire_keys import WaitingDevice

KEY_HOLDERS = list(holders(Verb.HOLD_TEAM_KEY))  # whose computers get a copy


@dataclass(frozen=True)
class _TeamKeyRow:
    key_public: bytes | None
    key_epoch: int
    rotation_due: bool
    recovery_public: bytes | None


@dataclass(frozen=True)
class _Sealed:
    """One epoch of the team key, sealed (for a computer, or for the recovery key)."""

    epoch: int
    sealed: bytes | None  # a team made before epochs has no per-epoch recovery copy

    def listed(self) -> dict[str, Any]:
        return {"epoch": self.epoch, "sealed": b64(bytes(self.sealed)) if self.sealed else None}


@dataclass(frozen=True)
class _RecoveryRow:
    recovery: bytes | None
    recovery_public: bytes | None


def approved(conn: psycopg.Connection, team_id: int | None, device: uuid.UUID) -> bool:
    """True when ``device`` has an approval at its team's current epoch (approvals.py): checked
    before a key or a link secret is stored for it. The desktops decide by verifying the
    approval under the team key; the server refuses whatever comes without one."""
    row = conn.execute(
        "SELECT 1 FROM device_approvals v JOIN teams t ON t.id = v.team_id "
        "WHERE v.team_id = %s AND v.device_id = %s AND v.epoch = t.key_epoch",
        [team_id, device],
    ).fetchone()
    return row is not None


_NOT_APPROVED = "That computer has not been approved by a supervisor of your team."


def _current_epoch(conn: psycopg.Connection, team_id: int | None) -> int:
    row = conn.execute("SELECT key_epoch FROM teams WHERE id = %s", [team_id]).fetchone()
    return int(row[0]) if row else 1


def create(
    store: ServerStore,
    caller: Caller,
    public: bytes,
    sealed: bytes,
    recovery: bytes,
    recovery_public: bytes | None,
    epoch_recovery: bytes | None,
) -> None:
    """The first supervisor of a team makes its key (epoch 1) and its recovery copy."""
    device = permissions.require_device(caller, Verb.HOLD_TEAM_KEY)
    if len(public) != 32 or (recovery_public is not None and len(recovery_public) != 32):
        raise Invalid("A public key is 32 bytes.")
    with store.acting(caller) as conn:
        done = conn.execute(
            "UPDATE teams SET key_public = %s, recovery = %s, recovery_public = %s, "
            "key_epoch = 1 WHERE id = %s AND key_public IS NULL",
            [public, recovery, recovery_public, caller.account.team_id],
        )
        if not done.rowcount:
            raise Conflict("This team already has a key; ask a supervisor to share it.")
        conn.execute(
            "INSERT INTO team_epochs (team_id, epoch, public, recovery) VALUES (%s, 1, %s, %s)",
            [caller.account.team_id, public, epoch_recovery],
        )
        conn.execute(
            "INSERT INTO team_keys (team_id, device_id, epoch, sealed) VALUES (%s, %s, 1, %s)",
            [caller.account.team_id, device, sealed],
        )
        store.audit_as(conn, caller, "team_key_created", f"team:{caller.account.team_id}")


def current(store: ServerStore, caller: Caller) -> dict[str, Any]:
    """The team's current public key and epoch, whether a rotation is due, and this device's
    sealed copies of every epoch (supervisors)."""
    with store.acting(caller) as conn:
        row = rows.one(
            conn,
            _TeamKeyRow,
            "SELECT key_public, key_epoch, rotation_due, recovery_public FROM teams WHERE id = %s",
            [caller.account.team_id],
        )
        copies = rows.every(
            conn,
            _Sealed,
            "SELECT epoch, sealed FROM team_keys WHERE team_id = %s AND device_id = %s "
            "ORDER BY epoch",
            [caller.account.team_id, caller.device_id],
        )
    if row is None or row.key_public is None:
        return {"public": None, "epoch": 0, "rotation_due": False, "keys": []}
    return {
        # teams.key_public is the current epoch's (rotate sets it)
        "public": bytes(row.key_public).hex(),
        "epoch": row.key_epoch,
        "rotation_due": row.rotation_due,
        "recovery_public": (
            bytes(row.recovery_public).hex() if row.recovery_public is not None else None
        ),
        "keys": [c.listed() for c in copies],
    }


def waiting(store: ServerStore, caller: Caller) -> list[WaitingDevice]:
    """Supervisors' devices of the team missing a copy of some epoch, with those epochs."""
    permissions.require_device(caller, Verb.HOLD_TEAM_KEY)
    with store.acting(caller) as conn:
        listed = rows.every(
            conn,
            rows.Waiting,
            "SELECT d.id AS device_id, a.name AS account, d.box_public AS x25519, "
            "array_agg(e.epoch ORDER BY e.epoch) AS epochs "
            "FROM devices d JOIN accounts a ON a.id = d.account_id "
            "JOIN team_epochs e ON e.team_id = a.team_id "
            "WHERE a.team_id = %s AND a.role = ANY(%s) AND a.active "
            "AND d.revoked_at IS NULL AND d.box_public IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM team_keys k WHERE k.device_id = d.id "
            "AND k.team_id = a.team_id AND k.epoch = e.epoch) "
            "GROUP BY d.id, a.name, d.box_public ORDER BY a.name",
            [caller.account.team_id, KEY_HOLDERS],
        )
    return [row.device() for row in listed]


def grant(store: ServerStore, caller: Caller, device: uuid.UUID, keys: dict[int, bytes]) -> None:
    """A supervisor who holds the team key seals its epochs for another supervisor's device."""
    mine = permissions.require_device(caller, Verb.HOLD_TEAM_KEY)
    if not keys:
        raise Invalid("Name the epochs of the team key being shared.")
    missing = {w.device_id: set(w.epochs) for w in waiting(store, caller)}
    if str(device) not in missing or not set(keys) <= missing[str(device)]:
        raise NotFound("That device is not a supervisor's of your team waiting for those keys.")
    with store.acting(caller) as conn:
        held = {
            int(r[0])
            for r in conn.execute(
                "SELECT epoch FROM team_keys WHERE team_id = %s AND device_id = %s",
                [caller.account.team_id, mine],
            ).fetchall()
        }
        if not set(keys) <= held:
            raise Refused("This device has no copy of those team keys to share.")
        if not approved(conn, caller.account.team_id, device):
            raise Refused(_NOT_APPROVED)
        for epoch, sealed in keys.items():
            conn.execute(
                "INSERT INTO team_keys (team_id, device_id, epoch, sealed) VALUES (%s, %s, %s, %s)",
                [caller.account.team_id, device, epoch, sealed],
            )
        store.audit_as(conn, caller, "team_key_granted", f"device:{device}")


def rotate(
    store: ServerStore,
    caller: Caller,
    epoch: int,
    public: bytes,
    recovery: bytes | None,
    sealed_for: dict[uuid.UUID, bytes],
) -> None:
    """Make ``epoch`` (the next one) the team's key, sealed for the devices in ``sealed_for``
    (the rotating device among them) and for the recovery key."""
    mine = permissions.require_device(caller, Verb.HOLD_TEAM_KEY)
    if len(public) != 32:
        raise Invalid("A public key is 32 bytes.")
    if mine not in sealed_for:
        raise Invalid("The rotating device keeps a copy of the new key too.")
    with store.acting(caller) as conn:
        now = _current_epoch(conn, caller.account.team_id)
        if epoch != now + 1:
            raise Conflict(f"The team key is at epoch {now}; sync again first.")
        allowed = {
            r[0]
            for r in conn.execute(
                "SELECT d.id FROM devices d JOIN accounts a ON a.id = d.account_id "
                "WHERE a.team_id = %s AND a.role = ANY(%s) AND a.active "
                "AND d.revoked_at IS NULL",
                [caller.account.team_id, KEY_HOLDERS],
            ).fetchall()
        }
        if not set(sealed_for) <= allowed:
            raise Invalid(f"A new team key is sealed for active {who(Verb.HOLD_TEAM_KEY)} only.")
        conn.execute(
            "UPDATE teams SET key_epoch = %s, key_public = %s, rotation_due = false WHERE id = %s",
            [epoch, public, caller.account.team_id],
        )
        conn.execute(
            "INSERT INTO team_epochs (team_id, epoch, public, recovery) VALUES (%s, %s, %s, %s)",
            [caller.account.team_id, epoch, public, recovery],
        )
        for device, sealed in sealed_for.items():
            conn.execute(
                "INSERT INTO team_keys (team_id, device_id, epoch, sealed) VALUES (%s, %s, %s, %s)",
                [caller.account.team_id, device, epoch, sealed],
            )
        store.audit_as(conn, caller, "team_key_rotated", f"epoch:{epoch}")


def recovery(store: ServerStore, caller: Caller) -> dict[str, Any]:
    """The locked recovery key and every epoch sealed for it (supervisors only)."""
    permissions.require(caller, Verb.RECOVER_TEAM_KEY)
    with store.acting(caller) as conn:
        row = rows.one(
            conn,
            _RecoveryRow,
            "SELECT recovery, recovery_public FROM teams WHERE id = %s",
            [caller.account.team_id],
        )
        epochs = rows.every(
            conn,
            _Sealed,
            "SELECT epoch, recovery AS sealed FROM team_epochs WHERE team_id = %s ORDER BY epoch",
            [caller.account.team_id],
        )
    if row is None or row.recovery is None:
        raise NotFound("Your team has no key yet.")
    return {
        "recovery": b64(bytes(row.recovery)),
        "scheme": "epochs" if row.recovery_public is not None else "key",
        "epochs": [e.listed() for e in epochs],
    }


def keep_recovered(store: ServerStore, caller: Caller, keys: dict[int, bytes]) -> None:
    """A supervisor's device that had no copy keeps the ones it recovered with the code."""
    device = permissions.require_device(caller, Verb.HOLD_TEAM_KEY)
    with store.acting(caller) as conn:
        added = 0
        for epoch, sealed in keys.items():
            done = conn.execute(
                "INSERT INTO team_keys (team_id, device_id, epoch, sealed) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [caller.account.team_id, device, epoch, sealed],
            )
            added += done.rowcount
        if not added:
            raise Conflict("This device already holds the team key.")
        store.audit_as(conn, caller, "team_key_recovered", f"device:{device}")


# -- the link secret -----------------------------------------------------------------------
def link_copy(store: ServerStore, caller: Caller) -> dict[str, Any]:
    """This device's sealed copy of the team's link secret, and whether the team has one."""
    with store.acting(caller) as conn:
        mine = conn.execute(
            "SELECT sealed FROM link_keys WHERE team_id = %s AND device_id = %s",
            [caller.account.team_id, caller.device_id],
        ).fetchone()
        team = conn.execute(
            "SELECT link_made FROM teams WHERE id = %s", [caller.account.team_id]
        ).fetchone()
    return {
        "sealed": b64(bytes(mine[0])) if mine else None,
        "exists": bool(team and team[0]),
    }


def create_link(store: ServerStore, caller: Caller, sealed: bytes) -> None:
    device = permissions.require_device(caller, Verb.HOLD_TEAM_KEY)
    with store.acting(caller) as conn:
        done = conn.execute(
            "UPDATE teams SET link_made = true WHERE id = %s AND NOT link_made",
            [caller.account.team_id],
        )
        if not done.rowcount:
            raise Conflict("This team already has a link secret.")
        conn.execute(
            "INSERT INTO link_keys (team_id, device_id, sealed) VALUES (%s, %s, %s)",
            [caller.account.team_id, device, sealed],
        )
        store.audit_as(conn, caller, "link_secret_created", None)


def link_waiting(store: ServerStore, caller: Caller) -> list[WaitingDevice]:
    """Every active device of the team without a copy of the link secret."""
    permissions.require_device(caller, Verb.HOLD_TEAM_KEY)
    with store.acting(caller) as conn:
        listed = rows.every(
            conn,
            rows.Waiting,
            "SELECT d.id AS device_id, a.name AS account, d.box_public AS x25519 FROM devices d "
            "JOIN accounts a ON a.id = d.account_id WHERE a.team_id = %s AND a.active "
            "AND d.revoked_at IS NULL AND d.box_public IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM link_keys k WHERE k.device_id = d.id AND k.team_id = a.team_id) "
            "ORDER BY a.name",
            [caller.account.team_id],
        )
    return [row.device() for row in listed]


def grant_link(store: ServerStore, caller: Caller, device: uuid.UUID, sealed: bytes) -> None:
    mine = permissions.require_device(caller, Verb.HOLD_TEAM_KEY)
    if str(device) not in {w.device_id for w in link_waiting(store, caller)}:
        raise NotFound("That device of your team is not waiting for the link secret.")
    with store.acting(caller) as conn:
        if not conn.execute(
            "SELECT 1 FROM link_keys WHERE team_id = %s AND device_id = %s",
            [caller.account.team_id, mine],
        ).fetchone():
            raise Refused("This device has no copy of the link secret to share.")
        if not approved(conn, caller.account.team_id, device):
            raise Refused(_NOT_APPROVED)
        conn.execute(
            "INSERT INTO link_keys (team_id, device_id, sealed) VALUES (%s, %s, %s)",
            [caller.account.team_id, device, sealed],
        )
        store.audit_as(conn, caller, "link_secret_granted", f"device:{device}")
