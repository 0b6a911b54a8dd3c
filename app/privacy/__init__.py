"""Privacy: a student's own data as a download, and deleting a student's account."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

from app.privacy import routes  # noqa: E402,F401  (registers the routes on bp)
