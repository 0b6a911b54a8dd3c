"""What a URL may carry: bounded ids, text segments without control characters.

Installed by `create_app` before any route exists, so every route (and every new one)
gets them: ``<int:...>`` stops at the largest id a database column holds, ``<slug>`` and
other text segments never match a control character (a 404 like any unknown address),
and :func:`refuse_control_characters` answers 400 for a path or query value holding one
before any view runs. PostgreSQL refuses NUL in text, so without these ``/lessons/%00``
reached the database as a server error.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter

from app.domain.textinput import MAX_DATABASE_ID, first_forbidden, parse_id


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` limited to what an INTEGER column holds (PostgreSQL's is 32-bit).

    A larger number in a URL (/teach/classes/99999999999) is then a 404 like any
    missing id, instead of an overflow error from the database driver.
    """

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_DATABASE_ID)
        super().__init__(map, *args, **kwargs)


class TextSegmentConverter(UnicodeConverter):
    """The default converter (``<slug>``, ``<string:...>``) without control characters.

    C0 controls, DEL and C1 controls never match, so such a segment is a 404 before any
    lookup. (Lone surrogates cannot arrive: werkzeug decodes a URL's invalid UTF-8 as
    U+FFFD.)
    """

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        # werkzeug writes one segment as "[^/]" plus a repeat; keep the repeat.
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f-\x9f]", 1)


# Query values a route validates itself and drops when bad: a login link's ``next`` with a
# control character logs the person in and sends them home (F16) instead of refusing the
# login page.
CHECKED_BY_THEIR_ROUTE = frozenset({"next"})


def refuse_control_characters() -> None:
    """``before_request``: 400 when the path or a query name or value holds a control
    character, whatever the route (the backstop for routes that read ``request.args``).

    Query values follow the multi-line rule (tab, line feed and carriage return pass):
    what a route then does with one, such as a bad ``next`` address, is its own to
    decide. The path follows the single-line rule.
    """
    found = first_forbidden(request.path, multiline=False)
    if found is None:
        for name, value in request.args.items(multi=True):
            found = first_forbidden(name, multiline=True) or (
                None if name in CHECKED_BY_THEIR_ROUTE else first_forbidden(value,
                                                                             multiline=True))
            if found is not None:
                break
    if found is not None:
        abort(400, description=f"This address contains {found.describe()}, which no page "
                               "here uses. Check the link, or start from the home page.")


def query_id(name: str) -> int | None:
    """The id in query parameter ``name``: None when it is absent or empty, else an id a
    row could have; anything else (``2147483648``, ``-1``, ``abc``) is a 404, as the same
    text in a path would be (``<int:...>`` matches only ids a column holds)."""
    raw = request.args.get(name, "")
    if raw == "":
        return None
    value = parse_id(raw)
    if value is None:
        abort(404, description=f"The address names a {name} that cannot exist. Check the "
                               "link, or start from the home page.")
    return value


def install(app: Flask) -> None:
    """Install the converters (before any route is added) and the request guard."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.url_map.converters["default"] = TextSegmentConverter
    app.url_map.converters["string"] = TextSegmentConverter
    app.before_request(refuse_control_characters)
