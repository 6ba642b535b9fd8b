"""What the app writes never goes through a link or over anything but a regular file, with
``--force`` too: a link planted at the destination or at the name a temporary file would have,
a device node, a FIFO (docs/SECURITY.md, "What the app writes")."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from screening_app.cli import run
from screening_app.errors import ExportError
from screening_app.files import write_output, write_text
from tests.forms.test_forms import all_examples


def test_a_link_at_the_destination_is_refused_even_with_force(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("kept", encoding="utf-8")
    link = tmp_path / "out.json"
    link.symlink_to(victim)
    for force in (False, True):
        with pytest.raises(ExportError, match="is a link"):
            write_output(link, b"written", force=force)
    assert victim.read_text(encoding="utf-8") == "kept"
    assert link.is_symlink()


def test_a_link_at_the_old_partial_name_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("kept", encoding="utf-8")
    (tmp_path / "out.json.partial").symlink_to(victim)
    write_text(tmp_path / "out.json", "written", force=False)
    assert victim.read_text(encoding="utf-8") == "kept"
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == "written"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "out.json",
        "out.json.partial",
        "victim.txt",
    ]


def test_a_device_or_a_fifo_is_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/null")):
        with pytest.raises(ExportError, match="not a regular file"):
            write_output(target, b"%PDF", force=True)
    assert Path("/dev/null").is_char_device() and fifo.is_fifo()


def test_without_force_an_existing_file_is_kept_and_with_force_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    out.write_bytes(b"old")
    with pytest.raises(ExportError, match="already exists"):
        write_output(out, b"new")
    assert out.read_bytes() == b"old"
    write_output(out, b"new", force=True)
    assert out.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]  # no temporary file left


def test_referral_force_on_dev_null_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = str(all_examples()[0])
    assert run(["referral", example, "-o", "/dev/null", "--force"]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert Path("/dev/null").is_char_device()
