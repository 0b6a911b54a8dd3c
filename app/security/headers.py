"""Security headers on every response (ASVS 5, V3.4), and no caching of private pages."""

from __future__ import annotations

from typing import Final

from flask import Flask, Response, request
from flask_login import current_user

# No inline script or style anywhere: templates use /static files and CSS classes only.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
STATIC_HEADERS: Final = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
# One year; browsers then refuse plain HTTP for this host. Sent only over HTTPS.
HSTS: Final = "max-age=31536000; includeSubDomains"
# Exports carry scores and answers whoever asks for them.
PRIVATE_MIMETYPES: Final = frozenset({"text/csv", "application/json"})


def add_security_headers(response: Response) -> Response:
    """`after_request` hook: the fixed headers, HSTS under HTTPS, no-store on private pages.

    Private: every HTML page seen by a logged-in user (quiz, results, /teach pages all show
    scores or answers) and every CSV/JSON export, so a shared school computer's back
    button or cache never shows the previous student's work.
    """
    for name, value in STATIC_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    private = response.mimetype in PRIVATE_MIMETYPES or (
        response.mimetype == "text/html" and current_user.is_authenticated
    )
    if private:
        response.headers["Cache-Control"] = "no-store"
    from app.lti.frames import open_to_frame
    open_to_frame(response)
    return response


def init_app(app: Flask) -> None:
    """Install the header hook."""
    app.after_request(add_security_headers)
