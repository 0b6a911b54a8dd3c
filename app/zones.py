"""Which clock a page reads a stored moment on, and the template filter that shows it.

A class's zone is its own (``Classroom.timezone``) or, when it has none, the site's
``SCHOOL_TIMEZONE``. Templates write ``{{ assignment.due_at | local_time(classroom.timezone) }}``
and get a ``<time>`` element: the class's wall clock with the zone ("2026-03-02 15:00
Almaty time"), the UTC moment in ``datetime`` and the zone's full name and offset in
``title``. The arithmetic is in :mod:`app.domain.timezones`.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from markupsafe import Markup

from app.domain import timezones


def site_zone() -> str:
    """The site's default zone (``SCHOOL_TIMEZONE``, checked at start-up)."""
    return str(current_app.config.get("SCHOOL_TIMEZONE") or timezones.DEFAULT_ZONE)


def zone_name(own: str | None) -> str:
    """A class's zone: its own when it has a usable one, else the site's."""
    if own:
        try:
            return timezones.canonical_name(own)
        except timezones.ZoneProblem:
            # A zone the server's database no longer has: show the site's clock, not a 500.
            current_app.logger.warning("unknown stored time zone %r; using the site's", own)
    return site_zone()


def local_time(moment: datetime | None, own_zone: str | None = None) -> Markup:
    """``moment`` as a ``<time>`` element on the class's clock ("" for None)."""
    if moment is None:
        return Markup("")
    shown = timezones.shown(moment, zone_name(own_zone))
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        shown.iso, shown.title, shown.text)


def local_text(moment: datetime | None, own_zone: str | None = None) -> str:
    """``moment`` on the class's clock as plain text, for messages ("" for None)."""
    return "" if moment is None else timezones.shown(moment, zone_name(own_zone)).text


def in_zone_label(own_zone: str | None = None) -> str:
    """What a date field's label adds: "in Asia/Almaty time"."""
    return f"in {zone_name(own_zone)} time"
