"""Every single-bit change anywhere in the key file gives a clear answer — exit 0 or 2, never a
crash (exit 1) or a hang — and every change to what the file vouches for is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from screening_app.cli import run
from screening_app.services import access
from screening_app.services.access import create_database, grant_with_recovery
from screening_app.services.model import FAST_KDF
from screening_app.storage.keyring import key_path

pytestmark = pytest.mark.slow


def test_every_bit_flip_in_the_key_file_is_exit_0_or_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(access, "default_kdf", lambda: FAST_KDF)
    db = tmp_path / "s.db"
    recovery = create_database(db, "admin", "admin-password-1", kdf=FAST_KDF)
    from screening_app.app import sign_in

    admin = sign_in(db, "admin", "admin-password-1", kdf=FAST_KDF)
    admin.accounts.add_user("kit", "kit-password-1", role="supervisor", team="North")
    admin.close()
    grant_with_recovery(db, recovery, ["kit"], FAST_KDF)
    password = tmp_path / "k.pw"
    password.write_text("kit-password-1")
    check = ["db", "check", "--db", str(db), "--user", "kit", "--password-file", str(password)]
    assert run(check) == 0
    # compact, so that every byte is meaningful (no indentation to flip)
    original = json.dumps(json.loads(key_path(db).read_text()), separators=(",", ":")).encode()
    key_path(db).write_bytes(original)
    counters = _counter_spans(original)
    codes: dict[int, int] = {}
    for offset in range(len(original)):
        changed = bytearray(original)
        changed[offset] ^= 0x01
        key_path(db).write_bytes(bytes(changed))
        codes[offset] = run(check)
        capsys.readouterr()
    key_path(db).write_bytes(original)
    assert set(codes.values()) <= {0, 2}
    accepted = [o for o, code in codes.items() if code == 0]
    assert all(any(lo <= o < hi for lo, hi in counters) for o in accepted), (
        "only the sign-in counters may change without the file being refused"
    )
    assert len(accepted) < len(original) // 50


def _counter_spans(text: bytes) -> list[tuple[int, int]]:
    """Byte ranges of the unsigned bookkeeping: failure counters and their times."""
    spans = []
    for key in (b'"failures":', b'"not_before":', b'"failed_at":'):
        start = text.find(key)
        while start != -1:
            end = start + len(key)
            while end < len(text) and text[end : end + 1] not in (b",", b"}"):
                end += 1
            spans.append((start + len(key), end))
            start = text.find(key, end)
    return spans
