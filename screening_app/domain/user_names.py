"""What a user name may be, on the desktop and on the team server alike (docs/SECURITY.md).

A user name is what someone signs in with and what records are signed in: it is compared, not
read. So it is short and made of the letters a–z, digits and ``. _ -`` only, with a letter or a
digit first: a look-alike letter from another alphabet (Cyrillic ``ѕ`` beside Latin ``s``), an
accent typed two ways, an invisible character or a space could otherwise give two accounts that
read the same. A person's full name, in any script, is their display name.
"""

from __future__ import annotations

import re

MAX_LENGTH = 64
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def name_problem(name: str, whose: str = "the account") -> str | None:
    """Why ``name`` cannot be a user name (a sentence), or None when it can."""
    if not name:
        return f"Give {whose} a user name."
    if len(name) > MAX_LENGTH:
        return f"A user name has at most {MAX_LENGTH} characters."
    if not _NAME.match(name):
        return (
            "A user name uses the letters a to z, digits and . _ - only, starting with a letter "
            "or a digit (no spaces, accents or letters of other alphabets, which can look like "
            "someone else's name); put the person's full name as the display name."
        )
    return None
