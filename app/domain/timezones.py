"""A class's time zone: naming it, and turning the clock on its wall into UTC and back.

Pure (the standard library's :mod:`zoneinfo` only). Times are stored in UTC; a teacher
types a due date as the class's clock shows it, and everyone reads it that way.

Two moments a day a year break the plain conversion where the zone has summer time:

* **a gap**: when clocks go forward, the skipped hour never happens (02:30 on
  2026-03-08 in America/New_York). :func:`to_utc` refuses it with :class:`NonexistentTime`,
  whose message says what to type instead; guessing would move a due date by an hour
  without telling anyone.
* **a fold**: when clocks go back, an hour happens twice (01:30 on 2026-11-01 in
  America/New_York is 05:30 UTC, then 06:30 UTC). :func:`to_utc` takes the **first** of
  the two, the moment the clock first shows that time (Python's ``fold=0``): a deadline
  is over the first time the clock reads it, and shown back it reads 01:30 EDT, so the
  abbreviation says which one it is.

Zones without summer time (Asia/Almaty, UTC) have neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_ZONE: Final = "UTC"
# The longest IANA name is 32 characters; the column is 64.
MAX_ZONE_LENGTH: Final = 64
# What a datetime-local input sends and shows.
INPUT_FORMAT: Final = "%Y-%m-%dT%H:%M"
SHOWN_FORMAT: Final = "%Y-%m-%d %H:%M"

# Region prefixes of the zones offered in the list; the rest of the database (legacy
# links like "US/Eastern", "EST5EDT", "Etc/GMT+5") is still accepted when typed or sent
# by a browser, just not offered.
REGIONS: Final = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic",
                  "Australia", "Europe", "Indian", "Pacific")
# Names in the database that are not places: the machine's own setting, a placeholder.
_NOT_ZONES: Final = frozenset({"localtime", "Factory", "posixrules"})
_NAME: Final = re.compile(r"[A-Za-z0-9_+\-/]+")


class ZoneProblem(ValueError):
    """A time zone name that is not in the time zone database; ``str()`` says so."""


class NonexistentTime(ValueError):
    """A local time skipped by a clock change (a DST gap); ``str()`` is for the teacher."""


@cache
def known_zones() -> frozenset[str]:
    """Every name :func:`zone` accepts: the IANA database as installed, plus UTC."""
    return frozenset(available_timezones() - _NOT_ZONES) | {DEFAULT_ZONE}


@cache
def _by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in known_zones()}


def canonical_name(name: str) -> str:
    """``name`` as the database spells it ("asia/almaty" -> "Asia/Almaty").

    Raises :class:`ZoneProblem` for anything that is not a zone in the database.
    """
    cleaned = name.strip() if isinstance(name, str) else ""
    if not cleaned:
        raise ZoneProblem("Choose a time zone.")
    found = None
    if len(cleaned) <= MAX_ZONE_LENGTH and _NAME.fullmatch(cleaned):
        found = _by_folded_name().get(cleaned.casefold())
    if found is None:
        shown = cleaned if len(cleaned) <= MAX_ZONE_LENGTH else cleaned[:MAX_ZONE_LENGTH] + "…"
        raise ZoneProblem(f"“{shown}” is not a time zone we know. Choose one from the list, "
                          "for example Asia/Almaty or Europe/London.")
    return found


@cache
def zone(name: str) -> tzinfo:
    """The zone ``name`` (any spelling :func:`canonical_name` accepts).

    UTC needs no database, so the site's default works on a machine without tzdata.
    """
    name = canonical_name(name)
    if name in ("UTC", "Etc/UTC"):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:  # listed, but its file is unreadable
        raise ZoneProblem(f"The time zone {name} cannot be loaded on this server.") from error


def zone_groups() -> list[tuple[str, list[str]]]:
    """The zones to offer, by region ("Asia" -> ["Asia/Almaty", ...]), UTC first alone."""
    groups: dict[str, list[str]] = {region: [] for region in REGIONS}
    for name in sorted(known_zones()):
        region = name.split("/", 1)[0]
        if region in groups and "/" in name:
            groups[region].append(name)
    return [("Universal", [DEFAULT_ZONE])] + [(region, names) for region, names
                                               in groups.items() if names]


# --- local clock <-> UTC ---------------------------------------------------------------


def _wall(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None, fold=0)


def to_utc(local: datetime, zone_name: str) -> datetime:
    """The UTC moment at which the clocks of ``zone_name`` show ``local`` (naive).

    Raises :class:`NonexistentTime` for a time inside a gap, :class:`ZoneProblem` for an
    unknown zone. In a fold, the first of the two moments (see the module's notes).
    """
    if local.tzinfo is not None:
        raise ValueError("to_utc takes the time as the clock shows it (a naive datetime)")
    where = zone(zone_name)
    first = local.replace(tzinfo=where, fold=0)
    moment = first.astimezone(UTC)
    if _wall(moment.astimezone(where)) != _wall(first):
        start, end = _gap_around(moment, where)
        raise NonexistentTime(
            f"{local.strftime(SHOWN_FORMAT)} does not exist in {canonical_name(zone_name)}: "
            f"that night the clocks go forward from {start.strftime('%H:%M')} to "
            f"{end.strftime('%H:%M')}. Choose a time before {start.strftime('%H:%M')} or "
            f"from {end.strftime('%H:%M')} on.")
    return moment


def _gap_around(moment: datetime, where: tzinfo) -> tuple[datetime, datetime]:
    """The wall-clock times a gap near ``moment`` (UTC) jumps from and to."""
    low, high = moment - timedelta(days=1), moment + timedelta(days=1)
    after = high.astimezone(where).utcoffset()
    # Bisect to the minute for the first moment with the new offset: the transition.
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if middle.astimezone(where).utcoffset() == after:
            high = middle
        else:
            low = middle
    before = low.astimezone(where).utcoffset() or timedelta(0)
    return _wall(high + before), _wall(high + (after or timedelta(0)))


def is_ambiguous(local: datetime, zone_name: str) -> bool:
    """True when the clocks of ``zone_name`` show ``local`` (naive) twice (a fold)."""
    where = zone(zone_name)
    first = local.replace(tzinfo=where, fold=0)
    second = local.replace(tzinfo=where, fold=1)
    return first.utcoffset() != second.utcoffset() and \
        _wall(second.astimezone(UTC).astimezone(where)) == _wall(local)


def to_local(moment: datetime, zone_name: str) -> datetime:
    """The aware UTC ``moment`` on the clocks of ``zone_name`` (aware, in that zone)."""
    if moment.tzinfo is None:
        raise ValueError("to_local takes an aware datetime (stored times are UTC)")
    return moment.astimezone(zone(zone_name))


def input_value(moment: datetime | None, zone_name: str) -> str:
    """What a datetime-local input shows for ``moment`` in ``zone_name`` ("" for none)."""
    return "" if moment is None else to_local(moment, zone_name).strftime(INPUT_FORMAT)


# --- how a moment reads ----------------------------------------------------------------


def city(zone_name: str) -> str:
    """The place a zone is named after: "Asia/Almaty" -> "Almaty", "America/Argentina/
    Buenos_Aires" -> "Buenos Aires"."""
    return canonical_name(zone_name).rsplit("/", 1)[-1].replace("_", " ")


def offset_text(offset: timedelta | None) -> str:
    """"UTC+05:00", "UTC−03:30", "UTC" for a zero offset."""
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def zone_label(moment: datetime, zone_name: str) -> str:
    """The zone as a reader names it at ``moment``: the abbreviation people use where
    there is one ("EST", "EDT", "GMT", "BST", "UTC"), else "<city> time" ("Almaty time":
    the database's "+05" says nothing to a student)."""
    local = to_local(moment, zone_name)
    abbreviation = local.tzname() or ""
    if abbreviation.isalpha():
        return abbreviation
    return f"{city(zone_name)} time"


@dataclass(frozen=True, slots=True)
class Shown:
    """A stored moment as the class reads it."""

    text: str        # "2026-03-02 15:00 Almaty time"
    iso: str         # the UTC moment, for <time datetime="...">
    title: str       # "Asia/Almaty, UTC+05:00"


def shown(moment: datetime, zone_name: str) -> Shown:
    """``moment`` (aware) on the class's clock, with the zone, for a page."""
    local = to_local(moment, zone_name)
    name, offset = canonical_name(zone_name), offset_text(local.utcoffset())
    return Shown(f"{local.strftime(SHOWN_FORMAT)} {zone_label(moment, zone_name)}",
                 moment.astimezone(UTC).isoformat(),
                 offset if name == DEFAULT_ZONE else f"{name}, {offset}")
