"""Scores back to the LMS (LTI Assignment and Grade Services 2.0), sent and retried.

Every change to a grade that counts (a graded attempt, a teacher's override, a regrade, a
new grading method) *queues* the student's grade: one `GradeSend` row per student and
link holds the newest score, "pending". Sending is separate and never inside a student's
request: after the response goes out, and from `flask lti send-grades` (cron) or a
teacher's "Send again". A send claims rows by pushing their next try a few minutes ahead
(so two workers never send one row at once), talks to the LMS outside any transaction,
then records the outcome only if the score did not change meanwhile (``revision``).

The score is the grade the gradebook shows: the assignment's grading method over the
student's attempts (highest, last, first or average), or the teacher's override. It goes
as a percentage (scoreGiven out of scoreMaximum 100); the LMS scales it to its column.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

import sqlalchemy as sa
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from requests import RequestException

from app.domain import lti_claims
from app.domain.grading import Scored, grade
from app.extensions import db
from app.models import (
    Assignment,
    Attempt,
    Enrollment,
    GradeSend,
    LtiContext,
    LtiIdentity,
    LtiLink,
    ScoreOverride,
)
from app.models.types import utcnow

# A claimed row is left alone by other senders this long (a send takes seconds).
CLAIM_FOR: Final = timedelta(minutes=3)
BATCH: Final = 50
# Failed sends in a row after which a batch stops (the LMS is down or refusing us).
GIVE_UP_AFTER: Final = 3


def _grades(assignment: Assignment, student_ids: Iterable[int] | None) -> dict[int, float]:
    """Student id -> the grade that counts, for students with one (two queries)."""
    attempts = sa.select(Attempt.user_id, Attempt.submitted_at, Attempt.score,
                         Attempt.max_score, Attempt.late).where(
        Attempt.assignment_id == assignment.id)
    overrides = sa.select(ScoreOverride.student_id, ScoreOverride.percent).where(
        ScoreOverride.assignment_id == assignment.id)
    if student_ids is not None:
        ids = list(student_ids)
        attempts = attempts.where(Attempt.user_id.in_(ids))
        overrides = overrides.where(ScoreOverride.student_id.in_(ids))
    by_student: dict[int, list[Scored]] = {}
    for user_id, submitted_at, score, max_score, late in db.session.execute(attempts):
        by_student.setdefault(user_id, []).append(Scored(submitted_at, score, max_score, late))
    wanted = {}
    for user_id, scored in by_student.items():
        result = grade(scored, assignment.grading)
        if result.percent is not None:
            wanted[user_id] = round(result.percent, 2)
    for user_id, percent in db.session.execute(overrides):
        wanted[user_id] = round(percent, 2)
    return wanted


def queue(assignment: Assignment, student_ids: Iterable[int] | None = None) -> int:
    """Queue the grades of ``assignment`` (of ``student_ids``, or everyone's) for every LMS
    link that opens it; a grade that was already sent unchanged is left alone. The caller
    commits. Returns how many rows became pending."""
    links = list(db.session.execute(
        sa.select(LtiLink.id, LtiContext.platform_id).join(LtiContext)
        .where(LtiLink.assignment_id == assignment.id)))
    if not links:
        return 0
    wanted = _grades(assignment, student_ids)
    if not wanted:
        return 0
    enrolled = set(db.session.scalars(sa.select(Enrollment.student_id).where(
        Enrollment.classroom_id == assignment.classroom_id,
        Enrollment.student_id.in_(list(wanted)))))
    changed = 0
    now = utcnow()
    for link_id, platform_id in links:
        # Only students the LMS knows (linked through this platform) have a row there.
        known = set(db.session.scalars(sa.select(LtiIdentity.user_id).where(
            LtiIdentity.platform_id == platform_id, LtiIdentity.user_id.in_(list(enrolled)))))
        rows = {row.user_id: row for row in db.session.scalars(sa.select(GradeSend).where(
            GradeSend.link_id == link_id, GradeSend.user_id.in_(list(known))))}
        for user_id in known:
            percent = wanted[user_id]
            row = rows.get(user_id)
            # The score's timestamp is when it changed here: an LMS ignores a score older
            # than the one it holds (AGS 2.0), so an override cleared later must not go
            # with the earlier attempt's time.
            if row is None:
                db.session.add(GradeSend(link_id=link_id, user_id=user_id,
                                         score_given=percent, score_maximum=100.0,
                                         scored_at=now, next_try_at=now))
                changed += 1
            elif row.score_given != percent or row.status != "sent":
                if row.score_given != percent or row.status == "failed":
                    row.tries = 0
                    row.scored_at = now
                row.score_given = percent
                row.status, row.next_try_at = "pending", now
                row.revision += 1
                changed += 1
    db.session.flush()
    return changed


def queue_after_attempt(attempt: Attempt) -> None:
    """The student's grade after a graded attempt; the caller commits."""
    if attempt.assignment_id is not None:
        assignment = db.session.get(Assignment, attempt.assignment_id)
        if assignment is not None:
            queue(assignment, [attempt.user_id])


def link_ids(*, assignment_id: int | None = None, context_id: int | None = None) -> list[int]:
    """The LMS links that open an assignment, or that are in a course."""
    statement = sa.select(LtiLink.id)
    if assignment_id is not None:
        statement = statement.where(LtiLink.assignment_id == assignment_id)
    if context_id is not None:
        statement = statement.where(LtiLink.context_id == context_id)
    return list(db.session.scalars(statement.order_by(LtiLink.id)))


# --- sending -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    revision: int


def _claim(where: list[Any], limit: int) -> list[Claimed]:
    now = utcnow()
    statement = (sa.select(GradeSend.id, GradeSend.revision).where(*where)
                 .order_by(GradeSend.next_try_at, GradeSend.id).limit(limit))
    if db.engine.dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    rows = [Claimed(*row) for row in db.session.execute(statement)]
    if rows:
        db.session.execute(sa.update(GradeSend).where(
            GradeSend.id.in_([row.id for row in rows])).values(next_try_at=now + CLAIM_FOR))
    db.session.commit()
    return rows


def _lineitem_url(row: GradeSend, service: AssignmentsGradesService) -> str:
    link = row.link
    if link.lineitem_url:
        return link.lineitem_url
    assignment = link.assignment
    label = link.title or (assignment.lesson.title if assignment else "Framing Lab")
    item = LineItem().set_score_maximum(100).set_label(label[:200]) \
        .set_resource_id(f"framinglab-assignment-{link.assignment_id}") \
        .set_resource_link_id(link.resource_link_id).set_tag("framinglab")
    found = service.find_or_create_lineitem(item, find_by="resource_link_id")
    url = found.get_id()
    if not url:
        raise LtiException("The LMS made a gradebook column without an id.")
    link.lineitem_url = url
    return url


def _send_one(row: GradeSend) -> None:
    from app.lti import tool
    context = row.link.context
    subject = db.session.scalar(sa.select(LtiIdentity.subject).where(
        LtiIdentity.platform_id == context.platform_id, LtiIdentity.user_id == row.user_id))
    if subject is None:
        raise LtiException("The student is no longer linked to this LMS.")
    scopes = list(context.ags_scopes or [lti_claims.SCOPE_SCORE])
    if lti_claims.SCOPE_SCORE not in scopes:
        raise LtiException("The LMS did not allow Framing Lab to send scores "
                           "(no score scope in its launches).")
    service = AssignmentsGradesService(tool.connector_for(context.platform), {
        "scope": scopes, "lineitems": context.lineitems_url or "",
        "lineitem": row.link.lineitem_url or ""})
    url = _lineitem_url(row, service)
    score = (Grade().set_score_given(row.score_given).set_score_maximum(row.score_maximum)
             .set_timestamp(row.scored_at.isoformat()).set_activity_progress("Completed")
             .set_grading_progress("FullyGraded").set_user_id(subject))
    service.put_grade(score, LineItem({"id": url}))  # type: ignore[typeddict-item]


def _record(claimed: Claimed, error: Exception | None) -> str:
    row = db.session.get(GradeSend, claimed.id, populate_existing=True)
    if row is None:
        return "gone"
    if row.revision != claimed.revision:  # a newer score came in while sending: send it
        row.next_try_at = utcnow()
        db.session.commit()
        return "changed"
    if error is None:
        row.status, row.sent_at, row.tries, row.last_error = "sent", utcnow(), 0, None
    else:
        from app.lti import tool
        row.tries += 1
        row.last_error = tool.describe(error)
        wait = lti_claims.next_wait(row.tries)
        if wait is None:
            row.status = "failed"
        else:
            row.status, row.next_try_at = "pending", utcnow() + wait
    db.session.commit()
    return row.status


@dataclass(slots=True)
class SendReport:
    sent: int = 0
    pending: int = 0
    failed: int = 0

    def add(self, status: str) -> None:
        if status in ("sent", "pending", "failed"):
            setattr(self, status, getattr(self, status) + 1)


def send_due(*, link_ids: list[int] | None = None, limit: int = BATCH,
             budget: float | None = None) -> SendReport:
    """Send pending scores whose time has come (of ``link_ids``, or all), at most
    ``limit``, and for at most ``budget`` seconds when given (a request must not outlast
    the server's time-out: what is left stays due for the next send); each row's outcome
    is committed as it happens. A score that changed while it was being sent is sent
    again at once (up to twice)."""
    deadline = None if budget is None else time.monotonic() + budget
    where = [GradeSend.status == "pending", GradeSend.next_try_at <= utcnow()]
    if link_ids is not None:
        where.append(GradeSend.link_id.in_(link_ids))
    report = SendReport()
    claimed = _claim(where, limit)
    for _ in range(3):
        changed = _send_claimed(claimed, report, deadline)
        if not changed:
            break
        claimed = _claim([GradeSend.id.in_(changed), GradeSend.status == "pending",
                          GradeSend.next_try_at <= utcnow()], len(changed))
    return report


def _send_claimed(claimed_rows: list[Claimed], report: SendReport,
                  deadline: float | None = None) -> list[int]:
    """Send the claimed rows; returns the ids of those whose score changed meanwhile."""
    failures_in_a_row = 0
    changed: list[int] = []
    for number, claimed in enumerate(claimed_rows):
        out_of_time = deadline is not None and time.monotonic() > deadline
        if failures_in_a_row >= GIVE_UP_AFTER or out_of_time:
            # The LMS is down (or the time is up): leave the rest for their next try
            # instead of waiting out a time-out for each. They were claimed, so make them
            # due again now.
            db.session.execute(sa.update(GradeSend).where(
                GradeSend.id.in_([row.id for row in claimed_rows[number:]]))
                .values(next_try_at=utcnow()))
            db.session.commit()
            report.pending += len(claimed_rows) - number
            break
        row = db.session.get(GradeSend, claimed.id)
        error: Exception | None = None
        try:
            if row is not None:
                _send_one(row)
        except (LtiException, RequestException, KeyError, ValueError) as caught:
            error = caught
        if error is not None:
            db.session.rollback()
            failures_in_a_row += 1
        else:
            db.session.flush()
            failures_in_a_row = 0
        status = _record(claimed, error)
        if status == "changed":
            changed.append(claimed.id)
        else:
            report.add(status)
    return changed


def retry(link_ids: list[int], *, failed_only: bool = False) -> int:
    """Make the links' failed (and, unless ``failed_only``, waiting) sends due now; the
    caller commits. Returns how many."""
    statuses = ["failed"] if failed_only else ["failed", "pending"]
    result = db.session.execute(sa.update(GradeSend).where(
        GradeSend.link_id.in_(link_ids), GradeSend.status.in_(statuses))
        .values(status="pending", next_try_at=utcnow(), tries=0))
    return int(result.rowcount)  # type: ignore[attr-defined]


def status_of(assignment_id: int) -> dict[int, GradeSend]:
    """Student id -> their newest send row for the assignment's links."""
    rows = db.session.scalars(sa.select(GradeSend).join(LtiLink).where(
        LtiLink.assignment_id == assignment_id).order_by(GradeSend.updated_at))
    return {row.user_id: row for row in rows}


def links_of(assignment_id: int) -> list[LtiLink]:
    return list(db.session.scalars(sa.select(LtiLink).where(
        LtiLink.assignment_id == assignment_id).order_by(LtiLink.id)))
