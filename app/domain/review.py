"""Review of what was missed: which techniques a student missed, when to review them, and
the set due at once (pure: no Flask, no database).

A *technique* is a key of the detection counts (:mod:`app.domain.discernment`):
``loaded:<about>``, ``sourcing:<reason>`` or ``signals``. The rules, stated to teachers in
``docs/measuring.md``:

* **Missed.** In one attempt, a technique is missed when the student hit fewer than half
  of its key items (:data:`MISSED_BELOW`), counted over all the attempt's answers.
* **Reviewable.** Loaded language by category and sourcing gaps by reason are reviewed;
  frame signals are not (a signal never costs or earns in a marking question, and a frame
  question's options cannot be built from a reading), and neither is ``loaded:other``
  (a phrase without a category, so no reading passage can be chosen for it).
* **Gaps.** The first review of a miss is due :data:`GAPS_DAYS` [0] days after the attempt.
  An answered review scoring at least :data:`GOOD_SHARE` of its points moves the technique
  to the next gap (after the last, its review ends); a poorer one starts again at the first.
* **A set** is at most :data:`SET_SIZE` items due at once, one per technique first (the
  earliest due of each), then the earliest of the rest.

Choosing passages and building questions is in :mod:`app.domain.review_passages`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, TypeVar

from app.domain.questions import SOURCING_REASONS
from app.domain.readings import CATEGORIES

GAPS_DAYS: Final = (1, 3, 7, 21)
MISSED_BELOW: Final = 0.5  # a share of a technique's key items hit
GOOD_SHARE: Final = 0.7  # a share of a review item's points that counts as remembered
SET_SIZE: Final = 3


def technique_family(technique: str) -> str:
    """``loaded``, ``sourcing`` or ``signals``: the part before ":"."""
    return technique.split(":", 1)[0]


def reviewable(technique: str) -> bool:
    """Whether a review item can be built for ``technique`` (see the module's rules)."""
    family, _, detail = technique.partition(":")
    if family == "loaded":
        return detail in CATEGORIES
    if family == "sourcing":
        return detail in SOURCING_REASONS
    return False


def signal_totals(detections: Iterable[Mapping[str, Any] | None]) -> dict[str, tuple[int, int]]:
    """Technique -> (key items, hits), summed over the detection counts of one attempt's
    answers (``None`` for answers that mark nothing, or were stored without counts)."""
    totals: dict[str, list[int]] = {}
    for detection in detections:
        for technique, pair in ((detection or {}).get("signal") or {}).items():
            items, hits = int(pair[0]), int(pair[1])
            total = totals.setdefault(technique, [0, 0])
            total[0] += items
            total[1] += hits
    return {technique: (items, hits) for technique, (items, hits) in totals.items()}


def missed_techniques(detections: Iterable[Mapping[str, Any] | None]) -> list[str]:
    """The techniques of one attempt whose key items the student hit fewer than half of,
    sorted; a technique with no key items in the attempt is never missed."""
    return sorted(technique for technique, (items, hits) in signal_totals(detections).items()
                  if items > 0 and hits < MISSED_BELOW * items)


# --- the schedule ---------------------------------------------------------------------


def first_due(attempted_at: datetime) -> datetime:
    """When the first review of a miss in an attempt made at ``attempted_at`` is due."""
    return attempted_at + timedelta(days=GAPS_DAYS[0])


def answered_well(points: float, max_points: float) -> bool:
    """Whether an answered review item scored at least :data:`GOOD_SHARE` of its points."""
    return max_points > 0 and points >= GOOD_SHARE * max_points - 1e-9


def next_step(step: int, points: float, max_points: float) -> int | None:
    """The step of a technique's next item after an item at ``step`` was answered with
    ``points`` of ``max_points``: the next gap if answered well (None after the last
    gap: the review of the technique ends), else back to the first gap."""
    if not answered_well(points, max_points):
        return 0
    return step + 1 if step + 1 < len(GAPS_DAYS) else None


def due_after(moment: datetime, step: int) -> datetime:
    """When an item at ``step`` is due, counted from ``moment`` (an answer or an attempt)."""
    return moment + timedelta(days=GAPS_DAYS[min(step, len(GAPS_DAYS) - 1)])


@dataclass(frozen=True, slots=True)
class Due:
    """What the set needs of an open item: its id, technique and due time."""

    id: int
    technique: str
    due_at: datetime


DueT = TypeVar("DueT", bound=Due)


def due_set(items: Sequence[DueT], now: datetime, size: int = SET_SIZE) -> list[DueT]:
    """The items due at ``now`` (``due_at <= now``) that make one set: at most ``size``,
    different techniques first (each technique's earliest), then the earliest others;
    ties go to the lower id, so the set is the same on every request."""
    due = sorted((item for item in items if item.due_at <= now),
                 key=lambda item: (item.due_at, item.id))
    chosen: list[DueT] = []
    techniques: set[str] = set()
    for item in due:
        if item.technique not in techniques and len(chosen) < size:
            chosen.append(item)
            techniques.add(item.technique)
    for item in due:
        if len(chosen) >= size:
            break
        if item not in chosen:
            chosen.append(item)
    return sorted(chosen, key=lambda item: (item.due_at, item.id))


# --- the teacher's overview -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StudentReview:
    """One student's review in one class, as the teacher's overview shows it."""

    due: int  # open items due now
    waiting: int  # open items due later
    done: int  # answered items
    mean_percent: float | None  # mean score of the answered items, in percent
    techniques: tuple[str, ...]  # techniques with an open item, sorted


def summarize(items: Iterable[Mapping[str, Any]], now: datetime) -> StudentReview:
    """A student's overview from their items (``technique``, ``due_at``, ``answered_at``,
    ``points``, ``max_points``)."""
    due = waiting = done = 0
    shares: list[float] = []
    techniques: set[str] = set()
    for item in items:
        if item["answered_at"] is None:
            techniques.add(item["technique"])
            if item["due_at"] <= now:
                due += 1
            else:
                waiting += 1
            continue
        done += 1
        if item["max_points"]:
            shares.append(100.0 * item["points"] / item["max_points"])
    mean = round(sum(shares) / len(shares), 1) if shares else None
    return StudentReview(due, waiting, done, mean, tuple(sorted(techniques)))
