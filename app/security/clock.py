"""The one clock the security code reads, so tests can move time by monkeypatching `now`."""

from __future__ import annotations

from datetime import datetime

from app.models.types import utcnow


def now() -> datetime:
    """The current aware UTC time (tests replace this function to freeze or advance time)."""
    return utcnow()
