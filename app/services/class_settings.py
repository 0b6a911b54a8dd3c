"""A class's settings beyond its name: its time zone, and review of what was missed."""

from __future__ import annotations

from app.domain.timezones import canonical_name
from app.models import Classroom
from app.services import locking
from app.services.classes import ensure_active


def set_timezone(classroom: Classroom, zone: str) -> None:
    """Show and take the class's dates in ``zone`` (an IANA name; ZoneProblem if unknown).

    Stored dates keep their moment in time: a due date of 15:00 in Asia/Almaty reads
    10:00 once the class is on Europe/London (in winter). The zone is stored even when it
    is the site's default, so a later change of that default leaves the class alone.
    """
    ensure_active(classroom)
    classroom.timezone = canonical_name(zone)
    locking.commit("class")


def set_review(classroom: Classroom, enabled: bool) -> None:
    """Switch review of what was missed on or off for the class (see app.services.review).

    Off hides the class's review items from its students and schedules no new ones; the
    items are kept, so switching it on again carries on where it stopped.
    """
    ensure_active(classroom)
    classroom.review_enabled = enabled
    locking.commit("class")
