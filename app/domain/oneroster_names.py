"""Names for what a roster brings in: usernames, people's display names, class names.

Pure. A school's system may hold usernames Framing Lab cannot use as they are (an e-mail
address, capitals, accents, spaces); :func:`username_from` turns them into one that
follows the app's rule (:mod:`app.domain.usernames`) or says why it cannot. Class names
must be unique among a teacher's active classes, while a school often has several
sections with the same title: :func:`class_name` tells them apart by their class code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Final

from app.domain.usernames import MAX_USERNAME_LENGTH, normalise_username, username_problem

# users.display_name and classes.name are String(120).
MAX_DISPLAY_NAME: Final = 120
MAX_CLASS_NAME: Final = 120
_SPACES: Final = re.compile(r"\s+")
_NOT_ALLOWED: Final = re.compile(r"[^a-z0-9._-]")


def username_from(typed: str) -> tuple[str | None, str | None]:
    """The username for a roster's ``username`` value, and why there is none if so.

    Lower-case; an e-mail address gives the part before the @; accents are dropped
    (``Zoë`` → ``zoe``), spaces become dots, and other characters the rule does not allow
    are left out. Nothing is cut short: a result over 32 characters is refused, since a
    shortened name could be someone else's.
    """
    text = normalise_username(typed)
    if "@" in text:
        text = text.split("@", 1)[0]
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _NOT_ALLOWED.sub("", _SPACES.sub(".", text))
    if not text:
        return None, (f"“{typed}” has no letter or digit a username can use: usernames "
                      "take a–z, 0–9, dots, underscores and hyphens.")
    if len(text) > MAX_USERNAME_LENGTH:
        return None, (f"“{text}” (from “{typed}”) is longer than {MAX_USERNAME_LENGTH} "
                      "characters, the most a username may have.")
    problem = username_problem(text)
    if problem is not None:
        return None, f"“{text}” (from “{typed}”) cannot be a username. {problem}"
    return text, None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def display_name(given: str, family: str, preferred_given: str = "",
                 preferred_family: str = "") -> str | None:
    """The name to show for a person: the names they prefer when the roster gives them,
    else their given and family names; None when the roster gives none."""
    parts = [part for part in (preferred_given or given, preferred_family or family) if part]
    return _clip(" ".join(parts), MAX_DISPLAY_NAME) if parts else None


def class_names(title: str, class_code: str, sourced_id: str) -> tuple[str, str]:
    """The two names a class titled ``title`` may have: the title itself, and the title
    followed by its class code (or its sourcedId) in brackets."""
    plain = _clip(title, MAX_CLASS_NAME)
    suffix = f" ({class_code or sourced_id})"
    if len(suffix) > MAX_CLASS_NAME // 2:
        suffix = _clip(suffix, MAX_CLASS_NAME // 2 - 1) + ")"
    return plain, _clip(title, MAX_CLASS_NAME - len(suffix)) + suffix


def class_name(title: str, class_code: str, sourced_id: str,
               taken: Callable[[str], bool]) -> str | None:
    """The first of :func:`class_names` that is free (``taken`` says whether the teacher has
    another active class of that name, case-insensitively); None when both are taken."""
    for name in class_names(title, class_code, sourced_id):
        if not taken(name):
            return name
    return None
