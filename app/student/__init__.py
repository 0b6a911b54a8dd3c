"""Students: the lesson list, taking a lesson, feedback, and their own results."""

from flask import Blueprint

bp = Blueprint("student", __name__)

from app.student import (  # noqa: E402,F401  (register the routes on bp)
    contests,
    feedback,
    flow,
    joining,
    quiz,
    review,
    routes,
    submit,
)
