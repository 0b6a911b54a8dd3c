"""All models, importable from one place (`from app.models import User`).

Importing this package registers every table on `db.metadata`, which Alembic
autogenerate and the schema test rely on.
"""

from app.models.attempts import Attempt, AttemptAnswer
from app.models.audit import AuditEvent
from app.models.authoring import ReadingSuggestionDismissal, SuggestionDismissal
from app.models.classes import (
    FEEDBACK_TIMINGS,
    GRADING_METHODS,
    LATE_POLICIES,
    Assignment,
    Classroom,
    Enrollment,
    Extension,
    ScoreOverride,
)
from app.models.content import LESSON_STATUSES, Document, Lesson, LessonVersion
from app.models.learning import GrowthStudy, ReviewItem
from app.models.lti import (
    SEND_STATUSES,
    GradeSend,
    LtiContext,
    LtiDeployment,
    LtiIdentity,
    LtiLink,
    LtiPlatform,
    LtiStoredValue,
    LtiToolKey,
)
from app.models.progress import Draft
from app.models.readings import CONTEST_STATUSES, CONTESTED_VERDICTS, Contest, Reading
from app.models.security import LoginFailure, UserSession
from app.models.shelf import CARD_KINDS, ShelfCard
from app.models.types import UTCDateTime, utcnow
from app.models.users import ROLES, User

__all__ = [
    "FEEDBACK_TIMINGS",
    "GRADING_METHODS",
    "LATE_POLICIES",
    "Assignment",
    "Classroom",
    "Contest",
    "Enrollment",
    "LESSON_STATUSES",
    "ROLES",
    "CONTEST_STATUSES",
    "CONTESTED_VERDICTS",
    "CARD_KINDS",
    "Attempt",
    "AuditEvent",
    "Draft",
    "Extension",
    "GradeSend",
    "GrowthStudy",
    "LtiContext",
    "LtiDeployment",
    "LtiIdentity",
    "LtiLink",
    "LtiPlatform",
    "LtiStoredValue",
    "LtiToolKey",
    "SEND_STATUSES",
    "ReviewItem",
    "ScoreOverride",
    "AttemptAnswer",
    "Document",
    "Lesson",
    "LessonVersion",
    "LoginFailure",
    "Reading",
    "ReadingSuggestionDismissal",
    "ShelfCard",
    "SuggestionDismissal",
    "UTCDateTime",
    "User",
    "UserSession",
    "utcnow",
]
