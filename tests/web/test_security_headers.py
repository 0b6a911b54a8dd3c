"""Security headers on every response, private pages never cached, cookies locked down."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Response

from app.security.headers import CONTENT_SECURITY_POLICY, add_security_headers

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"


def test_every_response_carries_the_security_headers(client) -> None:
    for url in ("/", "/auth/login", "/no-such-page"):
        headers = client.get(url).headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS


def test_the_policy_forbids_inline_script_plugins_base_and_framing() -> None:
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_hsts_only_under_https(client) -> None:
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_of_a_logged_in_user_are_not_stored(client, auth, make_user) -> None:
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    student = make_user()
    auth.login(student.username)
    for url in ("/", "/join"):
        assert client.get(url).headers["Cache-Control"] == "no-store"
    # Static files stay cacheable even for a logged-in user.
    static = client.get("/static/css/app.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")


@pytest.mark.parametrize("mimetype", ["text/csv", "application/json"])
def test_exports_are_never_stored(app, mimetype: str) -> None:
    with app.test_request_context("/"):
        response = add_security_headers(Response("a,b\n", mimetype=mimetype))
    assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_samesite_lax(client, auth, make_user) -> None:
    auth.login(make_user().username)
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure


def test_session_cookie_is_secure_in_production_settings(database_settings) -> None:
    from app import create_app

    app = create_app({**database_settings, "SESSION_COOKIE_SECURE": True})
    client = app.test_client()
    response = client.get("/auth/login", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_body_over_one_mebibyte_gets_a_clear_413_page(client) -> None:
    response = client.post("/auth/login", data={"big": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 413
    assert "larger than 1 MiB" in response.get_data(as_text=True)


def test_no_template_uses_inline_script_style_or_event_handlers() -> None:
    offenders = []
    patterns = {
        "style attribute": re.compile(r"\sstyle\s*=", re.I),
        "style element": re.compile(r"<style", re.I),
        "inline script": re.compile(r"<script(?![^>]*\bsrc=)", re.I),
        "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
        "javascript: URL": re.compile(r"javascript:", re.I),
    }
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for what, pattern in patterns.items():
            if pattern.search(text):
                offenders.append(f"{template.relative_to(TEMPLATES)}: {what}")
    assert offenders == []
