"""Teacher routes: students' contests of a lesson's key (see app/services/contests.py).

A page per lesson lists what the teacher's students disagreed with, grouped by question
and span; each contest can be dismissed, or accepted into the teacher's reading of the
document (app/services/contest_accept.py), after which the regrade review shows whose
scores change. Every object is fetched with its owner checked (404 missing, 403 not yours).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.domain.reading_edits import tier_fields
from app.extensions import db
from app.models import Contest
from app.services import contest_accept, contests
from app.teacher import bp
from app.teacher.access import get_readable_lesson_or_abort
from app.teacher.forms_contests import AcceptContestForm, DismissContestForm, choices

VERDICT_LABELS = {"wrong": "marked, but not in the key", "missed": "missed (in the key)",
                  "partial": "partly found (in the key)"}


def get_contest_or_abort(contest_id: int) -> Contest:
    """The contest ``contest_id``: 404 if missing; 403 unless its student is in one of the
    teacher's classes (an admin sees every contest)."""
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        abort(404)
    if not contests.may_see(current_user, contest):
        abort(403)
    return contest


@bp.get("/lessons/<int:lesson_id>/contests")
def lesson_contests(lesson_id: int) -> ResponseReturnValue:
    lesson = get_readable_lesson_or_abort(lesson_id)
    return render_template("teacher/contests/lesson.html", lesson=lesson,
                           groups=contests.lesson_contests(current_user, lesson),
                           dismiss_form=DismissContestForm(), labels=VERDICT_LABELS)


@bp.post("/contests/<int:contest_id>/dismiss")
def contest_dismiss(contest_id: int) -> ResponseReturnValue:
    contest = get_contest_or_abort(contest_id)
    if not DismissContestForm().validate_on_submit():
        abort(400, description="This form is incomplete; reload the page.")
    contests.dismiss(contest, current_user)
    flash(f"Dismissed the disagreement about “{contest.span_text}”.", "success")
    return redirect(url_for("teacher.lesson_contests", lesson_id=contest.lesson_id,
                            _anchor=f"contest-{contest.id}"), code=303)


@bp.route("/contests/<int:contest_id>/accept", methods=["GET", "POST"])
def contest_accept_page(contest_id: int) -> ResponseReturnValue:
    contest = get_contest_or_abort(contest_id)
    plan = contest_accept.plan(contest, current_user)
    form = AcceptContestForm()
    form.judgement.choices = choices(plan.judgements)
    error, status = None, 200
    if form.validate_on_submit():
        seen = int(form.seen.data) if (form.seen.data or "").isdigit() else None
        try:
            accepted = contest_accept.accept(contest, current_user, form.judgement.data,
                                             form.fields_for_reading(), seen)
        except contest_accept.AcceptRefused as refused:
            error, status = refused.message, refused.status
        else:
            return _after_accept(contest, accepted)
    elif form.is_submitted():
        status = 400
    if plan.reading is not None and not form.is_submitted():
        form.seen.data = str(plan.reading.version)
    return render_template("teacher/contests/accept.html", contest=contest, plan=plan,
                           form=form, error=error, labels=VERDICT_LABELS,
                           fields={tier: tier_fields(tier) for tier in plan.judgements}), status


def _after_accept(contest: Contest, accepted: contest_accept.Accepted) -> ResponseReturnValue:
    lessons = accepted.lessons
    flash(f"Your reading now says so (version {accepted.reading.version}); "
          f"{len(lessons)} of your lessons got a new version.", "success")
    if lessons:
        first = next((lesson for lesson in lessons if lesson.id == contest.lesson_id),
                     lessons[0])
        return redirect(url_for("teacher.lesson_regrade", lesson_id=first.id), code=303)
    return redirect(url_for("teacher.lesson_contests", lesson_id=contest.lesson_id), code=303)
