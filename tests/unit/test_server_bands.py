"""The team server takes a screening's band from the installed forms (forms are data), not from
a list of its own: a band no form gives is refused as malformed."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from screening_app.domain.registry import FormRegistry
from screening_app.paths import forms_dir
from screening_app.server.problems import Invalid
from screening_app.server.screenings import _metadata, band_codes
from screening_app.server.store import Account, Caller

KIT = Caller(Account(7, "kit", "practitioner", "North", 1, True), uuid.uuid4())


def upload(band: str | None) -> dict[str, Any]:
    return {
        "metadata": {
            "id": str(uuid.uuid4()),
            "version": 1,
            "team": "North",
            "form_id": "cse-risk-screening",
            "form_version": 2,
            "screening_month": "2026-11",
            "operative_band": band,
            "la_area": "bristol",
            "models": [],
        }
    }


def test_the_bands_are_the_forms_bands() -> None:
    registry = FormRegistry(forms_dir())
    given = {b.code for fid, v, _p in registry.available() for b in registry.get(fid, v).bands}
    assert band_codes() == given and "significant" in given


@pytest.mark.parametrize("band", ["moderate", None])
def test_a_band_a_form_gives_or_none_is_taken(band: str | None) -> None:
    assert _metadata(upload(band), KIT)["operative_band"] == band


def test_a_band_no_form_gives_is_refused() -> None:
    with pytest.raises(Invalid, match="not one of the form's bands"):
        _metadata(upload("extreme"), KIT)
