"""Password rules beyond length: refuse the passwords attackers try first (ASVS 5, V6.2).

The list is the 10,000 most common passwords from zxcvbn's frequency data (MIT licence,
shipped in app/domain/data). Comparison ignores case and surrounding spaces, so
`Password1` is refused like `password1`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Final

COMMON_PASSWORDS_FILE: Final = Path(__file__).resolve().parent / "data" / "common-passwords.txt"
COMMON_PASSWORD_MESSAGE: Final = (
    "That password is one of the most common passwords, which attackers try first. "
    "Please choose another: a few unrelated words make a strong one."
)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list, lower-cased, without its `#` comment lines."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def is_common_password(password: str) -> bool:
    """True when `password` (case-insensitively) is on the common-passwords list."""
    return password.strip().lower() in common_passwords()


def password_problem(password: str) -> str | None:
    """The message to show for a password refused by these rules, or None if it is fine.

    Length is checked by the forms and the CLI (app.models.users); this adds the rules
    that need the list.
    """
    if is_common_password(password):
        return COMMON_PASSWORD_MESSAGE
    return None
