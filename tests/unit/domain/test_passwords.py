"""Password rules: one minimum for accounts, advice for PDF passwords."""

from __future__ import annotations

from screening_app.domain.passwords import (
    MIN_ACCOUNT_PASSWORD,
    account_password_hint,
    account_password_problems,
    pdf_password_hint,
)


def test_the_account_minimum_is_exact() -> None:
    assert account_password_problems("x" * (MIN_ACCOUNT_PASSWORD - 1))
    assert account_password_problems("x" * MIN_ACCOUNT_PASSWORD) == []
    assert account_password_hint("x" * (MIN_ACCOUNT_PASSWORD - 1)).startswith("Too short")
    assert not account_password_hint("x" * MIN_ACCOUNT_PASSWORD).startswith("Too short")


def test_pdf_password_hint_grows_with_strength() -> None:
    assert pdf_password_hint("abc").startswith("Too short")
    assert pdf_password_hint("abcdefgh").startswith("Weak")
    assert pdf_password_hint("abcdefghijklm").startswith("Fair")
    assert pdf_password_hint("three unrelated words 7").startswith("Strong")
