"""Admin: every account (create, reset, disable, change role, delete a student), every
class in the school, the log of what was done to them, and the OneRoster roster import."""

from flask import Blueprint, abort
from flask_login import current_user

bp = Blueprint("admin", __name__)


@bp.before_request
def _admins_only() -> None:
    if not current_user.is_authenticated:
        from app.extensions import login_manager

        return login_manager.unauthorized()
    if not current_user.has_role("admin"):
        abort(403)
    return None


from app.admin import account, lti, roster_import, routes, school  # noqa: E402,F401
