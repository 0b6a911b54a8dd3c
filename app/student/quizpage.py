"""The quiz page of an assignment, rendered once and filled in per student.

A class opens its assignment in the same minute, and every student's page is the same
but for three values: their username (in the menu), the form's CSRF token and its
one-time submission token. The page is rendered by its templates once per process and
*key* (the lesson version, the assignment's rules and texts, the student's attempts so
far and role) with a marker in place of each of those values, cut at the markers, and
each request joins the pieces with its own values, escaped exactly as the template
would escape them. This "hole punching" saves the template work (a quarter of the
page's CPU); tests/web/test_quiz_page.py checks the joined page is byte for byte what
the templates render.

Pages with anything else in them (marks, an error, a flashed message) are rendered in
full every time.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Hashable
from typing import cast

from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from app.caching import kept

# A marker is private-use characters around a random nonce drawn once per process:
# HTML escaping leaves it alone, and no lesson text can contain it by accident or design.
_NONCE = secrets.token_hex(8)
_OPEN, _CLOSE = f"\ue000{_NONCE}:", "\ue001"
_HOLE = re.compile(f"{re.escape(_OPEN)}([a-z_]+){re.escape(_CLOSE)}")
SLOTS = ("username", "csrf", "token")
# Pages kept per process: one per lesson version × assignment × attempts used × role in
# use at once, about 130 KB each.
KEPT = 64


def hole(name: str) -> str:
    """The marker that stands for slot ``name`` while the page is rendered."""
    return f"{_OPEN}{name}{_CLOSE}"


class UserWithHole:
    """What the page's templates read of ``current_user``, the username left as a hole."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    username = hole("username")

    def __init__(self, role: str) -> None:
        self.role = role

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


def cut(page: str) -> tuple[str, ...]:
    """``page`` as (text, slot name, text, slot name, ..., text)."""
    pieces = tuple(_HOLE.split(page))
    unknown = set(pieces[1::2]) - set(SLOTS)
    if unknown:
        raise ValueError(f"unknown holes in the page: {sorted(unknown)}")
    return pieces


def fill(pieces: tuple[str, ...], values: dict[str, str]) -> str:
    """Join ``pieces`` with each slot's value, HTML-escaped as the template would."""
    joined = list(pieces)
    for index in range(1, len(joined), 2):
        joined[index] = str(escape(values[joined[index]]))
    return "".join(joined)


def page(key: Hashable, render: Callable[..., str], *, username: str, role: str,
         token: str) -> str:
    """The page for ``key``, filled in for this request.

    ``render(current_user=..., csrf_token=..., token=...)`` renders it with the given
    template values; it is called only when this process has no page for ``key`` yet.
    """
    def make() -> tuple[str, ...]:
        csrf_hole = hole("csrf")
        return cut(render(current_user=UserWithHole(role), csrf_token=lambda: csrf_hole,
                          token=hole("token")))

    pieces = cast(tuple[str, ...], kept("quiz_pages", KEPT).get(key, make))
    return fill(pieces, {"username": username, "csrf": generate_csrf(), "token": token})
