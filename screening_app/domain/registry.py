"""The installed form definitions: one file per form id and version, never edited after release."""

from __future__ import annotations

import re
from pathlib import Path

from screening_app.domain.form_loader import load_form_file
from screening_app.domain.forms import Form, Outcome
from screening_app.errors import FormError, Problem

_VERSION_FILE = re.compile(r"^v(\d+)\.ya?ml$")


class FormRegistry:
    """Finds and loads form files under ``root/<form_id>/v<version>.yaml`` (cached per instance)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[tuple[str, int], Form] = {}

    def available(self) -> list[tuple[str, int, Path]]:
        found: list[tuple[str, int, Path]] = []
        if not self.root.is_dir():
            return found
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir()):
            for file in folder.iterdir():
                match = _VERSION_FILE.match(file.name)
                if match:
                    found.append((folder.name, int(match.group(1)), file))
        return sorted(found, key=lambda item: (item[0], item[1]))

    def band_codes(self) -> frozenset[str]:
        """Every band code any installed form gives (what a screening's band may be)."""
        return frozenset(
            band.code
            for fid, version, _path in self.available()
            for band in self.get(fid, version).bands
        )

    def get(self, form_id: str, version: int) -> Form:
        key = (form_id, version)
        if key not in self._cache:
            for fid, ver, path in self.available():
                if (fid, ver) == key:
                    form = load_form_file(path)
                    self._check_identity(form, fid, ver, path)
                    self._cache[key] = form
                    break
            else:
                known = ", ".join(f"{f} v{v}" for f, v, _ in self.available()) or "none"
                raise FormError(
                    f"form {form_id} version {version} is not installed",
                    [
                        Problem(
                            f"form '{form_id}' version {version} is not installed "
                            f"(installed: {known}); check form_id and form_version",
                            "form",
                        )
                    ],
                )
        return self._cache[key]

    def latest(self, form_id: str) -> Form:
        versions = [v for f, v, _ in self.available() if f == form_id]
        if not versions:
            raise FormError(
                f"form {form_id} is not installed",
                [Problem(f"no form with id '{form_id}' is installed", "form")],
            )
        return self.get(form_id, max(versions))

    def outcomes(self, form_id: str) -> tuple[Outcome, ...]:
        """The outcomes a screening of ``form_id`` may record, whatever version it was made on:
        the newest version's list. Outcomes happen after the screening (a warning notice a year
        on), and a newer version keeps every older code with its meaning (docs/FORMS.md)."""
        return self.latest(form_id).outcomes

    @staticmethod
    def _check_identity(form: Form, form_id: str, version: int, path: Path) -> None:
        if (form.form_id, form.version) != (form_id, version):
            raise FormError(
                f"{path.name}: form file does not match its place",
                [
                    Problem(
                        f"the file says {form.form_id} v{form.version} "
                        f"but sits at {form_id}/v{version}",
                        path.name,
                    )
                ],
            )
