"""Password rules beyond length: refuse the passwords attackers try first (ASVS 5, V6.2).

One pure function, :func:`password_problem`, used wherever a password is chosen
(registration, an admin creating an account, `flask users create`). It refuses, with the
reason:

- a password of spaces only, or one whose *visible* characters number fewer than
  `MIN_VISIBLE_CHARACTERS` once zero-width, format and other invisible characters are
  removed and the rest is NFKC-normalised (eight zero-width spaces look like an empty
  field and are typed by nobody but a script);
- one character repeated (`aaaaaaaa`, `11111111`);
- a password that is, or contains, the username (case-insensitively);
- the 10,000 most common passwords from zxcvbn's frequency data (MIT licence, shipped in
  app/domain/data), compared without case, surrounding spaces or invisible characters.

Length in code points (8–256) is checked by the forms and the CLI (app.models.users).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Final

COMMON_PASSWORDS_FILE: Final = Path(__file__).resolve().parent / "data" / "common-passwords.txt"
MIN_VISIBLE_CHARACTERS: Final = 8

COMMON_PASSWORD_MESSAGE: Final = (
    "That password is one of the most common passwords, which attackers try first. "
    "Please choose another: a few unrelated words make a strong one."
)
BLANK_MESSAGE: Final = "A password cannot be only spaces. Please choose a password of words."
INVISIBLE_MESSAGE: Final = (
    f"Your password needs at least {MIN_VISIBLE_CHARACTERS} visible characters: spaces and "
    "invisible characters do not count."
)
REPEATED_MESSAGE: Final = (
    "A password made of one character repeated is guessed at once. Please choose another: "
    "a few unrelated words make a strong one."
)
USERNAME_MESSAGE: Final = "Your password must not contain your username. Please choose another."

# Characters that draw nothing but are letters or symbols by category, so the category
# test below would count them: Hangul fillers, the blank Braille pattern, the combining
# grapheme joiner.
_BLANKS: Final = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
# Categories that draw nothing on their own: controls, format characters (zero-width
# space/joiners, bidi marks), unassigned, surrogates, separators, and combining marks
# (variation selectors are Mn; a mark with no base shows as a dotted circle at most).
_INVISIBLE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cn", "Cs", "Zs", "Zl", "Zp", "Mn", "Me"})


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list, lower-cased, without its `#` comment lines."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def is_common_password(password: str) -> bool:
    """True when `password` (case-insensitively) is on the common-passwords list."""
    candidates = {password.strip().lower(), _visible(password).lower()}
    return not candidates.isdisjoint(common_passwords())


def _is_visible(ch: str) -> bool:
    return not ch.isspace() and ch not in _BLANKS and (
        unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)


def _visible(password: str) -> str:
    """`password` NFKC-normalised, with every invisible character and space removed."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", password) if _is_visible(ch))


def password_problem(password: str, username: str | None = None) -> str | None:
    """The message to show for a password these rules refuse, or None if it is fine.

    `username` is the account's name, when known: a password containing it is refused.
    """
    if password and password.isspace():
        return BLANK_MESSAGE
    visible = _visible(password)
    if len(visible) < MIN_VISIBLE_CHARACTERS:
        return INVISIBLE_MESSAGE
    folded = visible.casefold()
    if len(set(folded)) == 1:
        return REPEATED_MESSAGE
    name = _visible(username or "").casefold()
    if name and name in folded:
        return USERNAME_MESSAGE
    if is_common_password(password):
        return COMMON_PASSWORD_MESSAGE
    return None
