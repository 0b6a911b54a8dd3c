"""All models, importable from one place (`from app.models import User`).

Importing this package registers every table on `db.metadata`, which Alembic
autogenerate and the schema test rely on.
"""

from app.models.attempts import Attempt, AttemptAnswer
from app.models.authoring import SuggestionDismissal
from app.models.classes import (
    FEEDBACK_TIMINGS,
    GRADING_METHODS,
    LATE_POLICIES,
    Assignment,
    Classroom,
    Enrollment,
)
from app.models.content import LESSON_STATUSES, Document, Lesson, LessonVersion
from app.models.security import LoginFailure, UserSession
from app.models.types import UTCDateTime, utcnow
from app.models.users import ROLES, User

__all__ = [
    "FEEDBACK_TIMINGS",
    "GRADING_METHODS",
    "LATE_POLICIES",
    "Assignment",
    "Classroom",
    "Enrollment",
    "LESSON_STATUSES",
    "ROLES",
    "Attempt",
    "AttemptAnswer",
    "Document",
    "Lesson",
    "LessonVersion",
    "LoginFailure",
    "SuggestionDismissal",
    "UTCDateTime",
    "User",
    "UserSession",
    "utcnow",
]
