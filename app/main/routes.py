"""Home page and health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask.typing import ResponseReturnValue

from app.extensions import db
from app.main import bp


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
