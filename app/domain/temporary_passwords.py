"""Temporary passwords: made by a reset or a roster import, read out or printed once.

A teacher reads one aloud or hands it over on paper, and a student types it on a phone,
so it is lower-case, in three groups of four (`k7qx-m2pd-hr4w`), from an alphabet without
characters that look or sound alike (0/o, 1/l/i). Twelve characters from 31 give about
59 bits: ample for a password that must be changed at its first use (the account's
login throttle stops guessing long before). Every password made here passes the same
rules as one a person chooses (:func:`app.domain.passwords.password_problem`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Final

from app.domain.passwords import password_problem

ALPHABET: Final = "23456789abcdefghjkmnpqrstuvwxyz"
GROUPS: Final = 3
GROUP_LENGTH: Final = 4
# A password refused by the rules is drawn again; a refusal is so rare that a handful of
# draws ending without one means the random source is broken.
MAX_DRAWS: Final = 20


def new_temporary_password(username: str | None = None,
                           choice: Callable[[str], str] = secrets.choice) -> str:
    """A fresh temporary password for ``username`` that the password rules accept.

    ``choice`` is the random source; the default is the operating system's CSPRNG.
    Raises RuntimeError if ``choice`` keeps producing passwords the rules refuse.
    """
    for _ in range(MAX_DRAWS):
        groups = ("".join(choice(ALPHABET) for _ in range(GROUP_LENGTH))
                  for _ in range(GROUPS))
        password = "-".join(groups)
        if password_problem(password, username) is None:
            return password
    raise RuntimeError("the random source keeps drawing passwords the rules refuse")
