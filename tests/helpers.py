"""Helpers shared by the web tests (imported as `tests.helpers`)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

DEFAULT_PASSWORD = "correct-horse-battery"

_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def csrf_token(client: FlaskClient, url: str) -> str:
    """GET `url` and return the CSRF token from its form, as a browser would have it.

    CSRF protection stays on in tests, so every POST needs one of these.
    """
    response = client.get(url)
    match = _CSRF_INPUT.search(response.get_data(as_text=True))
    assert match, f"no csrf_token field on {url} (status {response.status_code})"
    return match.group(1)
