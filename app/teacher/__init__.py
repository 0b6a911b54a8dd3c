"""Teachers: dashboard, classes and rosters, assignments, authoring, class results.

One blueprint under /teach; its routes are split by area into modules. Every route is
for teachers and admins only (see ``before_request`` below), and every object a route
touches is fetched through :mod:`app.teacher.access`, which checks ownership.
"""

from flask import Blueprint, abort
from flask_login import current_user

bp = Blueprint("teacher", __name__)


@bp.before_request
def _teachers_only() -> None:
    # Anonymous visitors go to the login page; students get 403 on every teacher page.
    if not current_user.is_authenticated:
        from app.extensions import login_manager

        return login_manager.unauthorized()
    if not current_user.has_role("teacher", "admin"):
        abort(403)
    return None


from app.teacher import (  # noqa: E402,F401  (route modules register on bp)
    adjustments,
    answer_key,
    assign,
    authoring,
    authoring_excerpts,
    authoring_files,
    authoring_page,
    authoring_preview,
    authoring_questions,
    authoring_regrade,
    authoring_suggestions,
    calibration,
    classes,
    contests,
    dashboard,
    discernment,
    exports,
    growth,
    lms,
    readings,
    results,
    review,
    roster,
    stale,
)
