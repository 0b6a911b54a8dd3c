"""Working inside the LMS's iframe without opening every page to framing.

Framing Lab's pages refuse to be framed (CSP ``frame-ancestors 'none'``), against
clickjacking. A session that began with an LTI launch is different: its pages are shown
inside the LMS that launched it, so for that session only

* ``frame-ancestors`` names the LMS's origins (its issuer, its login endpoint, and the
  page the launch says to return to), and X-Frame-Options is left out;
* the session cookie is ``SameSite=None; Secure; Partitioned`` over HTTPS, which a
  browser needs to send it from inside another site's frame (CHIPS keeps it in that
  site's partition). Over plain HTTP a browser drops ``SameSite=None`` cookies, so it
  stays ``Lax`` there and the launch page offers a new window instead.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

from flask import Flask, Response, has_request_context, session
from flask.sessions import SecureCookieSessionInterface

SESSION_KEY: Final = "lti_frame"
MAX_ORIGINS: Final = 4


def origin_of(url: str | None) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL, else None."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc or "@" in parts.netloc:
        return None
    if any(char in parts.netloc for char in " ;'\"*,"):
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def allow_framing(urls: list[str | None]) -> None:
    """Let this session's pages be framed by the origins of ``urls`` (call after login)."""
    origins = []
    for url in urls:
        origin = origin_of(url)
        if origin and origin not in origins:
            origins.append(origin)
    session[SESSION_KEY] = origins[:MAX_ORIGINS]


def framing_origins() -> list[str]:
    value = session.get(SESSION_KEY) if has_request_context() else None
    return [origin for origin in value if isinstance(origin, str)] if isinstance(value, list) \
        else []


def in_frame_session() -> bool:
    return bool(framing_origins())


class LtiAwareSessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, cross-site for sessions launched from an LMS."""

    def _cross_site(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) and in_frame_session()

    def get_cookie_samesite(self, app: Flask) -> str | None:
        return "None" if self._cross_site(app) else super().get_cookie_samesite(app)

    def get_cookie_partitioned(self, app: Flask) -> bool:
        return True if self._cross_site(app) else super().get_cookie_partitioned(app)


def open_to_frame(response: Response) -> None:
    """A launched session's pages may be framed by its LMS (called by the security
    headers hook once it has set the defaults)."""
    origins = framing_origins()
    if origins:
        policy = response.headers.get("Content-Security-Policy", "")
        response.headers["Content-Security-Policy"] = policy.replace(
            "frame-ancestors 'none'", "frame-ancestors 'self' " + " ".join(origins))
        del response.headers["X-Frame-Options"]


def init_app(app: Flask) -> None:
    app.session_interface = LtiAwareSessionInterface()
