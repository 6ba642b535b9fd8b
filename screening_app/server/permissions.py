"""Who may call what on the team server: the desktop's table (domain/capabilities.py), read for
the caller's role. Row-level security (schema.py and its successors) keeps the same rules for
the rows a caller's transaction may touch; this is the check that answers in words first."""

from __future__ import annotations

import uuid

from screening_app.domain.capabilities import Verb, can, who
from screening_app.server.problems import Refused
from screening_app.server.store import Caller


def require(caller: Caller, verb: Verb) -> None:
    """Refuse (403) unless the caller's role may do ``verb``."""
    if not caller.account.active or not can(caller.account.role, verb):
        raise Refused(f"Only {who(verb)} may {verb.value}.")


def require_device(caller: Caller, verb: Verb) -> uuid.UUID:
    """As :func:`require`, from a registered device (whose key signs what it sends)."""
    require(caller, verb)
    if caller.device_id is None:
        raise Refused(f"Register this computer before you {verb.value}.")
    return caller.device_id
