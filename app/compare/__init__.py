"""Compare: line up two to five documents or excerpts by how they name the same actors."""

from flask import Blueprint

bp = Blueprint("compare", __name__)

from app.compare import routes  # noqa: E402,F401  (registers the routes on bp)
