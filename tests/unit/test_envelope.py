"""The end-to-end envelope: only its recipients open it; nothing in it can be swapped or changed."""

from __future__ import annotations

import json

import pytest

from screening_app.crypto import AccountKeys
from screening_app.sync.envelope import EnvelopeError, Sealed, open_content, parse, seal, verify

METADATA = {"id": "6f1c", "version": 1, "team": "North", "operative_band": "moderate"}
CONTENT = {"answers": {"child_first_name": "Zephyrine", "child_last_name": "Quillfeather"}}


@pytest.fixture
def people() -> dict[str, AccountKeys]:
    return {name: AccountKeys.generate() for name in ("author", "team", "other")}


def sealed_by(people: dict[str, AccountKeys]) -> Sealed:
    recipients = {"team": people["team"].box_public, "author": people["author"].box_public}
    return seal(METADATA, CONTENT, recipients, people["author"])


def test_the_team_and_the_author_open_it_and_nobody_else(people: dict[str, AccountKeys]) -> None:
    sealed = sealed_by(people)
    body = verify(sealed, people["author"].sign_public)
    assert open_content(body, "team", people["team"]) == CONTENT
    assert open_content(body, "author", people["author"]) == CONTENT
    with pytest.raises(EnvelopeError, match=r"these keys do not open the screening"):
        open_content(body, "team", people["other"])
    with pytest.raises(EnvelopeError, match=r"the screening was not sealed for other"):
        open_content(body, "other", people["other"])
    assert b"Zephyrine" not in sealed.envelope and b"Quillfeather" not in sealed.envelope


def test_a_forged_or_changed_envelope_is_refused(people: dict[str, AccountKeys]) -> None:
    sealed = sealed_by(people)
    with pytest.raises(EnvelopeError, match="signature"):
        verify(sealed, people["other"].sign_public)
    body = json.loads(sealed.envelope)
    body["metadata"]["operative_band"] = "low"  # the server edits the clear band
    changed = json.dumps(body).encode()
    with pytest.raises(EnvelopeError, match="signature"):
        verify(Sealed(changed, sealed.signature), people["author"].sign_public)
    with pytest.raises(
        EnvelopeError, match=r"these keys do not open the screening"
    ):  # and even unsigned, the content no longer opens
        open_content(parse(changed), "team", people["team"])


@pytest.mark.parametrize("junk", [b"", b"not json", b"[]", b'{"format": 1}', b"[" * 100_000])
def test_malformed_envelopes_are_refused(junk: bytes) -> None:
    with pytest.raises(EnvelopeError, match=r"the envelope is"):
        parse(junk)
