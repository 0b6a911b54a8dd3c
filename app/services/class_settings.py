"""A class's settings beyond its name: its time zone."""

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
