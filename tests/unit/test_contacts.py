"""The area's contact numbers beside "Call 999": checked, signed, shown, printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from screening_app.cli import run
from screening_app.domain import contacts
from screening_app.errors import InputFileError, PermissionDenied
from screening_app.storage.keyring import key_path
from screening_app.storage.keyring_format import KeyFileDamaged
from tests.conftest import ADMIN_PW, USER_PW, open_app, submit_screening

NUMBERS = {"mash": "01632 960100", "out_of_hours": "0808 157 0192"}


def test_contacts_read_in_a_fixed_order_with_the_area_s_name() -> None:
    made = contacts.make(
        "  North   vale ", {"out_of_hours": "0808 157 0192", "mash": "01632 960100"}
    )
    assert made.lines() == ["MASH: 01632 960100", "Out of hours: 0808 157 0192"]
    assert contacts.with_999(made) == (
        "Call 999 if the child is in immediate danger. North vale safeguarding contacts: "
        "MASH: 01632 960100; Out of hours: 0808 157 0192."
    )
    assert contacts.with_999(contacts.NONE) == contacts.CALL_999
    assert contacts.make("", {"mash": "  "}) == contacts.NONE  # a blank number shows none
    assert contacts.from_data(made.as_data()) == made


@pytest.mark.parametrize(
    ("numbers", "said"),
    [
        ({"mash": "call the office"}, "The MASH number 'call the office' is not a phone number"),
        ({"mash": "12"}, "is not a phone number"),
        ({"mash": "0" * 16}, "is not a phone number"),
        ({"police": "101"}, "'police' is not a kind of contact"),
    ],
)
def test_what_is_not_a_phone_number_is_refused_by_name(numbers: dict[str, str], said: str) -> None:
    with pytest.raises(contacts.ContactError, match=said):
        contacts.make("Northvale", numbers)


def test_only_an_administrator_sets_them_and_the_referral_prints_them(db_path: Path) -> None:
    kit = open_app(db_path)
    with pytest.raises(PermissionDenied, match="set the area's contact numbers"):
        kit.settings.set_contacts("Northvale", NUMBERS)
    kit.close()
    admin = open_app(db_path, "admin", ADMIN_PW)
    with pytest.raises(InputFileError, match="not a phone number"):
        admin.settings.set_contacts("Northvale", {"mash": "ring us"})
    admin.settings.set_contacts("Northvale", NUMBERS)
    admin.close()
    screening = submit_screening(db_path)
    kit = open_app(db_path)
    assert kit.settings.contacts().lines() == ["MASH: 01632 960100", "Out of hours: 0808 157 0192"]
    from tests.unit.export.test_referral_pdf import flat, pages_text

    text = flat(" ".join(pages_text(kit.referrals.referral_pdf(screening))))
    assert (
        "Northvale safeguarding contacts: MASH: 01632 960100; Out of hours: 0808 157 0192" in text
    )


def test_a_number_changed_in_the_key_file_is_refused_as_damaged(db_path: Path) -> None:
    """The numbers are a signed decision: whoever has the files cannot send a practitioner's
    call to a number of their own."""
    admin = open_app(db_path, "admin", ADMIN_PW)
    admin.settings.set_contacts("Northvale", NUMBERS)
    admin.close()
    path = key_path(db_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = next(e for e in data["log"] if e["action"] == "contacts_set")
    entry["data"]["mash"] = "01632 960999"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        KeyFileDamaged, match=r"The key file screenings\.db\.keys is damaged \(account log"
    ):
        open_app(db_path)


def _cli(db_path: Path, user: str, password: str, *args: str) -> list[str]:
    pw = db_path.parent / f"{user}.pw"
    pw.write_text(password, encoding="utf-8")
    return [*args, "--db", str(db_path), "--user", user, "--password-file", str(pw)]


def test_settings_from_the_command_line(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    admin = ("admin", ADMIN_PW)
    assert (
        run(
            _cli(
                db_path,
                *admin,
                "settings",
                "contacts",
                "--area",
                "Northvale",
                "--mash",
                "01632 960100",
            )
        )
        == 0
    )
    assert "Northvale safeguarding contacts: MASH: 01632 960100." in capsys.readouterr().out
    # a flag left out keeps its number; an empty one clears it
    assert (
        run(_cli(db_path, *admin, "settings", "contacts", "--out-of-hours", "0808 157 0192")) == 0
    )
    assert run(_cli(db_path, *admin, "settings", "contacts", "--mash", "")) == 0
    capsys.readouterr()
    assert run(_cli(db_path, "kit", USER_PW, "settings", "show", "--json")) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == {
        "idle_lock_minutes": 5,
        "contacts": {"area": "Northvale", "out_of_hours": "0808 157 0192"},
    }
    assert run(_cli(db_path, *admin, "settings", "contacts", "--mash", "ring us")) == 2
    assert "'ring us' is not a phone number" in capsys.readouterr().err
    assert run(_cli(db_path, "kit", USER_PW, "settings", "contacts", "--mash", "01632 960100")) == 2
    assert "administrator" in capsys.readouterr().err.lower()


def test_an_entry_the_key_file_reader_would_refuse_is_never_written(db_path: Path) -> None:
    """A nested value (which the reader calls damaged) is refused at append, not saved."""
    from screening_app.storage import account_log
    from screening_app.storage.keyring import Keyring

    ring = Keyring.load(key_path(db_path))
    keys = ring.unlock("admin", ADMIN_PW, now=0.0).keys
    count = len(ring.data["log"])
    nested = {"area": "Northvale", "numbers": {"mash": "01632 960100"}}
    with pytest.raises(account_log.LogError, match="neither text nor a whole number"):
        ring.append(1, keys, "contacts_set", None, nested, "2026-11-24T10:00:00")
    assert len(ring.data["log"]) == count


def test_saving_the_same_numbers_again_adds_nothing_to_the_log(db_path: Path) -> None:
    admin = open_app(db_path, "admin", ADMIN_PW)
    admin.settings.set_contacts("Northvale", NUMBERS)
    entries = len(admin.session.store.keyring.data["log"])
    admin.settings.set_contacts(" Northvale ", dict(NUMBERS))  # the Settings dialog's Save
    assert len(admin.session.store.keyring.data["log"]) == entries
    admin.settings.set_contacts("Northvale", {**NUMBERS, "mash": ""})
    assert len(admin.session.store.keyring.data["log"]) == entries + 1
    admin.close()
