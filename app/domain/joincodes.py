"""Class join codes: short, typed by students, read aloud by teachers.

The alphabet leaves out characters that look or sound alike (0/O, 1/I/L), so a code copied
from a projector or a whiteboard is typed right the first time. Codes are stored bare
("K7QXM2PD") and shown in two groups ("K7QX-M2PD"); what a student types is normalised
(case, spaces and hyphens do not matter) before it is looked up.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Final

ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH: Final = 8
_ALLOWED: Final = frozenset(ALPHABET)


def new_code(choice: Callable[[str], str] = secrets.choice) -> str:
    """A fresh random code of ``LENGTH`` characters from ``ALPHABET``.

    ``choice`` is the random source; the default is the operating system's CSPRNG, so codes
    cannot be predicted from earlier ones.
    """
    return "".join(choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """What a student typed, upper-cased, with spaces and hyphens removed.

    The result may still be malformed; check it with :func:`is_well_formed`.
    """
    return "".join(ch for ch in typed.upper() if not ch.isspace() and ch != "-")


def is_well_formed(code: str) -> bool:
    """True when ``code`` (already normalised) could be a join code at all."""
    return len(code) == LENGTH and all(ch in _ALLOWED for ch in code)


def display(code: str) -> str:
    """A stored code as shown to people: two groups of four joined by a hyphen."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if len(code) == LENGTH else code
