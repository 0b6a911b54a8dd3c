"""The username rule, in one place: forms, the CLI, the model and roster imports use it.

Usernames appear in URLs, class lists and CSV exports, so they stay plain: 3–32 lower-case
letters, digits, dots, underscores or hyphens. They are case-insensitive (stored
lower-case), so `Alice` and `alice` are one account.
"""

from __future__ import annotations

import re
from typing import Final

USERNAME_PATTERN: Final = re.compile(r"^[a-z0-9._-]{3,32}$")
MIN_USERNAME_LENGTH: Final = 3
MAX_USERNAME_LENGTH: Final = 32
USERNAME_RULE: Final = "3–32 characters: letters, digits, dots, underscores or hyphens."


def normalise_username(username: str) -> str:
    """Usernames are case-insensitive: `Alice` and `alice` are one account."""
    return username.strip().lower()


def username_problem(username: str) -> str | None:
    """Why ``username`` (already normalised) cannot be a username, or None if it can."""
    if not MIN_USERNAME_LENGTH <= len(username) <= MAX_USERNAME_LENGTH:
        return f"Usernames have {USERNAME_RULE}"
    if not USERNAME_PATTERN.fullmatch(username):
        return ("Use only letters, digits, dots (.), underscores (_) and hyphens (-), "
                "no spaces or accents.")
    return None
