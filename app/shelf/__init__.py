"""The reference shelf: fact cards and source cards, in the project's own words, each citing
its public sources.

``/shelf`` lists the cards a person may read and says how to check a claim; ``/shelf/<slug>``
shows one card (:mod:`app.shelf.routes`). Teachers write, change and delete their own cards
in the browser (:mod:`app.shelf.authoring`). Every page is for logged-in people; which
cards each may read is decided in :mod:`app.services.shelf_view`.
"""

from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_login import current_user

bp = Blueprint("shelf", __name__)


@bp.before_request
def _logged_in() -> ResponseReturnValue | None:
    if not current_user.is_authenticated:
        from app.extensions import login_manager

        return login_manager.unauthorized()
    return None


from app.shelf import authoring, routes  # noqa: E402,F401  (route modules register on bp)
