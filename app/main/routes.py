"""Home page, health check, and the page that defines "frame"."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template
from flask.typing import ResponseReturnValue

from app.extensions import db
from app.main import bp
from app.services.frames import example_sources, library_frames


@bp.route("/")
def index() -> ResponseReturnValue:
    """What Framing Lab is, for a first-time student or teacher."""
    return render_template("main/index.html")


@bp.route("/healthz")
def healthz() -> ResponseReturnValue:
    """Load balancer probe: "ok" only if the database answers too."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return "database unavailable", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/frames")
def frames() -> ResponseReturnValue:
    """What a frame is, once for the whole app, and the library's frames with examples."""
    vocabulary = library_frames()
    if vocabulary is None:
        abort(503)
    return render_template("main/frames.html", vocabulary=vocabulary,
                           sources=example_sources(vocabulary))
