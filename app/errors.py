"""Error pages: a clear human message and the right status code, never a stack trace.

CSRF failures are special: the visitor typed something, so an endpoint may register its
own renderer that re-displays the form with their entries (`register_csrf_error_renderer`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from flask import Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

CsrfErrorRenderer = Callable[[CSRFError], ResponseReturnValue]

# For endpoints that re-render the submitted form (their renderer keeps the entries).
CSRF_EXPIRED_MESSAGE: Final = (
    "This form expired or was sent from another page. "
    "Your entries are kept below\N{EM DASH}please submit again."
)
# For endpoints without a renderer: we cannot show their entries, so do not claim to.
CSRF_EXPIRED_GENERIC_MESSAGE: Final = (
    "This form expired or was sent from another page. "
    "Go back, reload the page and submit again."
)

MESSAGES: Final[dict[int, tuple[str, str]]] = {
    400: (
        "Bad request",
        "The request could not be understood. Please check the form and try again.",
    ),
    403: ("Not allowed", "Your account does not have permission to see this page."),
    404: (
        "Page not found",
        "There is no page at this address. Check the link, or start from the home page.",
    ),
    405: (
        "Method not allowed",
        "This page cannot be used that way. Use the buttons and links on the site.",
    ),
    409: (
        "Conflict",
        "That change clashes with something saved in the meantime. "
        "Reload the page and try again.",
    ),
    413: ("Too large", "What you sent is larger than 1 MiB, the most this site accepts."),
    500: (
        "Something went wrong",
        "Sorry, something failed on our side. Nothing you did caused it; "
        "please try again in a moment.",
    ),
}


def render_error(code: int, message: str | None = None) -> ResponseReturnValue:
    """The generic error page for `code`, optionally with a more specific message."""
    title, default_message = MESSAGES.get(code, ("Error", "Something went wrong."))
    return (
        render_template("errors.html", code=code, title=title, message=message or default_message),
        code,
    )


def register_csrf_error_renderer(app: Flask, endpoint: str, renderer: CsrfErrorRenderer) -> None:
    """Make `renderer` answer CSRF failures for `endpoint` (e.g. re-show the student's marks).

    The renderer should return a 400 response; `CSRF_EXPIRED_MESSAGE` is the wording to show.
    """
    app.extensions.setdefault("csrf_error_renderers", {})[endpoint] = renderer


def register_too_large_message(app: Flask, endpoint: str, message: str) -> None:
    """Say `message` instead of the generic one when a request to `endpoint` is over the
    upload limit (413), e.g. how to send a larger file another way."""
    app.extensions.setdefault("too_large_messages", {})[endpoint] = message


def handle_csrf_error(error: CSRFError) -> ResponseReturnValue:
    """Expired or foreign form: the endpoint's own renderer if it has one, else a plain page."""
    renderers: dict[str, CsrfErrorRenderer] = current_app.extensions.get("csrf_error_renderers", {})
    renderer = renderers.get(request.endpoint or "")
    if renderer is not None:
        try:
            return renderer(error)
        except HTTPException as problem:
            # The form's lesson or assignment is gone or not theirs: an error raised
            # inside an error handler would become a 500, so answer that error here.
            return handle_http_error(problem)
    return render_error(400, CSRF_EXPIRED_GENERIC_MESSAGE)


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    """Render a handled HTTP error (400–413) with the standard page and its status.

    A route that aborts with its own ``description`` (``abort(400, description=...)``)
    gets that message shown; werkzeug's stock descriptions are replaced by ours.
    """
    custom = error.description if error.description != type(error).description else None
    if error.code == 413 and custom is None:
        custom = current_app.extensions.get("too_large_messages", {}).get(request.endpoint)
    return render_error(error.code or 500, custom)


def handle_server_error(_error: Exception) -> ResponseReturnValue:
    """An unexpected failure: roll back so the half-done change is not committed later."""
    db.session.rollback()
    return render_error(500)


def register(app: Flask) -> None:
    """Install the handlers on `app`."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    for code in (400, 403, 404, 405, 409, 413):
        app.register_error_handler(code, handle_http_error)
    app.register_error_handler(500, handle_server_error)
