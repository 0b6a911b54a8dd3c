"""The quiz page: one question at a time (the default) or the whole lesson on one page.

One at a time, ``?q=3`` shows question 3 with "Question 3 of 7", a list of every question
(answered or not, each a button that saves and jumps), Back and Next; ``?q=review`` lists
what is unanswered before Submit. Every button is a real form post that saves the marks
as a draft (:mod:`app.student.flow`), so the flow is complete without JavaScript. Opening
the quiz again restores the draft's marks and step.

A blank page (no draft, no message) is the same for every student of a version: its
question markup is kept per version and step, and an assignment's whole page is kept and
filled in per student (:mod:`app.student.quizpage`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, cast

from flask import abort, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from app.caching import kept
from app.domain import confidence
from app.domain.progress import (
    BadStep,
    as_fields,
    clamp_position,
    known_marks,
    layout_of,
    parse_step,
    statuses,
    step_name,
)
from app.models import Lesson, LessonVersion
from app.services import assignments as assignment_service
from app.services import attempts as attempt_service
from app.services import drafts
from app.services.assignments import AssignmentFacts, LessonFacts
from app.student import bp, quizpage, unsaved
from app.student.access import AnyAssignment, authorized, banner, render_closed
from app.student.examples import examples_html
from app.student.present import quiz_questions, sources

# A lesson version as the quiz page reads it: the row, or its per-process snapshot.
QuizVersion = LessonVersion | attempt_service.VersionSnapshot

VERSION_CHANGED = ("This lesson was changed by its teacher after you saved your answers, so "
                   "they no longer fit its text and could not be kept. Please start again.")


@dataclass(frozen=True, slots=True)
class Taking:
    """Where a student takes a lesson: practice on a library lesson, or an assignment."""

    lesson: Lesson | LessonFacts
    assignment: AnyAssignment | None = None

    @property
    def asks_confidence(self) -> bool:
        """Whether each question asks "How sure are you?" (an assignment's setting)."""
        return bool(getattr(self.assignment, "ask_confidence", False))

    @property
    def scope(self) -> str:
        return drafts.scope_of(self.lesson.id,
                               None if self.assignment is None else self.assignment.id)

    def _url(self, endpoint: str, **values: Any) -> str:
        if self.assignment is None:
            return url_for(f"student.{endpoint}", slug=self.lesson.slug, **values)
        return url_for(f"student.{endpoint.replace('lesson', 'assignment')}",
                       assignment_id=self.assignment.id, **values)

    def page_url(self, step: str | None = None, anchor: str | None = None) -> str:
        """The quiz page, at step ``step`` (a ``q=`` value) if given."""
        values = {"q": step} if step else {}
        return self._url("lesson", **values) + (f"#{anchor}" if anchor else "")

    @property
    def submit_url(self) -> str:
        return (url_for("student.submit", slug=self.lesson.slug) if self.assignment is None
                else url_for("student.assignment", assignment_id=self.assignment.id))

    @property
    def save_url(self) -> str:
        return self._url("save_lesson")

    @property
    def discard_url(self) -> str:
        return self._url("discard_lesson")

    def where(self, version_id: int) -> drafts.Where:
        return drafts.Where(current_user.id, self.lesson.id,
                            None if self.assignment is None else self.assignment.id, version_id)


@dataclass(slots=True)
class Progress:
    """The student's marks and place as the page opens (from a draft, a form, nothing)."""

    marks: dict[str, Any]
    step: int | None = None
    note: str | None = None
    saved: bool = False  # a draft exists (the page offers "start over")


def opened(taking: Taking, version: QuizVersion, draft: drafts.SavedDraft | None) -> Progress:
    """The marks and step the quiz opens with: the draft's, if it is on this version; any
    marks kept from a logged-out post are saved into it first."""
    questions = version.content["questions"]
    progress = Progress({})
    if draft is not None:
        progress.saved = True
        if draft.version_id == version.id:
            progress.marks = known_marks(questions, draft.marks)
            progress.step = clamp_position(draft.position, len(questions))
        else:
            progress.note = VERSION_CHANGED
        if not taking.asks_confidence:  # the teacher stopped asking since the draft
            progress.marks = confidence.without(progress.marks)
    kept_marks = unsaved.take(taking.scope)
    if kept_marks is not None:
        if kept_marks.version != version.number:
            progress.note = VERSION_CHANGED
        else:
            shown = [q["id"] for q in questions if q["id"] in kept_marks.marks]
            progress.marks = drafts.save(taking.where(version.id), kept_marks.marks, shown,
                                         max(kept_marks.step - 1, 0))
            progress.step, progress.saved = kept_marks.step, True
            progress.note = ("You were logged out before your last marks were saved. They "
                             "are back, and saved now.")
    return progress


def requested_step(count: int) -> int | None:
    """The ``?q=`` of this request as a step; a value no page of ours links to is a 400."""
    try:
        return parse_step(request.args.get("q"), count)
    except BadStep as problem:
        abort(400, description=f"{problem} Open the lesson again from your lesson list.")


def render_quiz(taking: Taking, version: QuizVersion, progress: Progress, *,
                token: str | None = None, error: str | None = None,
                page_banner: dict[str, Any] | None = None,
                status: int = 200) -> ResponseReturnValue:
    """The quiz page for ``progress``: its step (one at a time) or the whole lesson."""
    content = version.content
    questions = content["questions"]
    count = len(questions)
    layout = layout_of(current_user.quiz_layout)
    step = None if layout == "all" else min(progress.step or 1, count + 1)
    if taking.assignment is not None:
        page_banner = page_banner or banner(taking.assignment)
    token = token or secrets.token_hex(16)
    marks = progress.marks
    if step is not None and step > count:
        return render_review(taking, version, marks, token=token, banner=page_banner,
                             note=progress.note, error=error, saved=progress.saved,
                             status=status)
    context = {
        "lesson": taking.lesson, "version": version, "content": content, "taking": taking,
        "layout": layout, "step": step, "count": count, "step_name": step_name,
        "statuses": statuses(questions, marks), "saved": progress.saved,
        "questions_html": _questions_html(version, marks, layout, step,
                                          taking.asks_confidence),
        "examples_html": examples_html(content, (version.id, version.content_hash))
        if step is None or step == 1 else None,
        "token": token, "error": error, "note": progress.note, "banner": page_banner,
        "action": taking.submit_url if step is None else taking.save_url,
    }

    def render(**values: Any) -> str:
        return render_template("student/lesson.html", **{**context, **values})

    if not isinstance(taking.assignment, AssignmentFacts) or page_banner is None or marks \
            or error or progress.note or progress.saved or "_flashes" in session:
        return render(), status
    # A blank assignment page: the same for every student with this key (quizpage.py).
    key = (version.id, version.content_hash, taking.assignment, page_banner["used"],
           page_banner["permission"], current_user.role, layout, step)
    return quizpage.page(key, render, username=current_user.username,
                         role=current_user.role, token=token), status


def render_review(taking: Taking, version: QuizVersion, marks: dict[str, Any], *,
                  token: str, banner: dict[str, Any] | None = None, note: str | None = None,
                  error: str | None = None, saved: bool = True, confirming: bool = False,
                  status: int = 200) -> ResponseReturnValue:
    """The last step (or, after a whole-page submit with gaps, the confirmation): what is
    unanswered, and Submit with every mark in hidden fields."""
    questions = version.content["questions"]
    everything = statuses(questions, marks)
    layout = layout_of(current_user.quiz_layout)
    return render_template(
        "student/review.html", lesson=taking.lesson, version=version, taking=taking,
        statuses=everything, unanswered=[s for s in everything if not s.answered],
        fields=as_fields(questions, marks), token=token, banner=banner, note=note,
        error=error, saved=saved, confirming=confirming, layout=layout,
        count=len(questions), step=len(questions) + 1, step_name=step_name,
    ), status


def _questions_html(version: QuizVersion, marks: dict[str, Any], layout: str,
                    step: int | None, asks_confidence: bool = False) -> Markup:
    """The quiz form's questions (all, or the step's): an excerpt cut into checkboxes,
    and "How sure are you?" under each when the assignment asks it.

    Without marks the markup is the same for every student, and a version's content
    never changes (an edit makes a new version), so it is rendered once per version,
    layout, step, app and process; a form shown with the student's marks is rendered
    afresh. The template escapes everything it outputs.
    """
    content = version.content
    only = None if step is None else step - 1
    # Each excerpt's source line (document title and credit), kept with the version's
    # blank markup (docs/deploy.md: a corrected title shows after a restart).
    where = kept("quiz_sources", 64).get((version.id, version.content_hash),
                                         lambda: sources(content))

    def render() -> Markup:
        # Markup only wraps what an autoescaping template produced: nothing raw goes in.
        return Markup(render_template(  # nosec B704
            "student/_questions.html", count=len(content["questions"]),
            ask_confidence=asks_confidence, confidence_levels=confidence.LEVELS,
            questions=quiz_questions(content, marks, only=only, whole_page=step is None,
                                     where=where)))

    if marks and step is None:
        return render()
    blank = cast(Markup, kept("blank_questions", 256).get(
        (version.id, version.content_hash, layout, step, asks_confidence), render))
    if not marks or only is None:
        return blank
    # One question with the student's marks: its kept blank markup with those boxes ticked
    # (a step is read after every Next; tests/web/test_lesson_flow.py checks this is what
    # the template renders).
    return ticked(blank, as_fields([content["questions"][only]], marks))


def ticked(blank: Markup, fields: list[tuple[str, str]]) -> Markup:
    """``blank`` quiz markup with the checkbox or radio of each (name, value) checked, as
    the template writes it (``name="…" value="…" checked>``)."""
    html = str(blank)
    for name, value in fields:
        plain = f'name="{escape(name)}" value="{escape(value)}">'
        html = html.replace(plain, plain[:-1] + " checked>", 1)
    return Markup(html)  # nosec B704 - the kept markup, with attributes we escaped


@bp.get("/lessons/<slug>")
@login_required
def lesson(slug: str) -> ResponseReturnValue:
    found = attempt_service.visible_lesson_snapshot(slug, current_user.id)
    if found is None or found.version is None:
        abort(404)
    taking = Taking(found.lesson)
    progress = opened(taking, found.version, found.draft)
    asked = requested_step(len(found.version.content["questions"]))
    progress.step = asked or progress.step
    return render_quiz(taking, found.version, progress)


def assignment_page(assignment_id: int) -> ResponseReturnValue:
    """The assignment's quiz page (GET); the class opens it at once: one statement for the
    assignment, the student's standing and their draft; a kept version."""
    view = authorized(assignment_service.quiz_view(assignment_id, current_user.id))
    shown = view.assignment
    page_banner = banner(shown, view.used)
    if not page_banner["permission"].allowed:
        return render_closed(shown, page_banner["permission"].reason, 200)
    version = attempt_service.version_snapshot(view.version_id, view.content_hash)
    if version is None:
        abort(404)
    taking = Taking(shown.lesson, shown)
    progress = opened(taking, version, view.draft)
    progress.step = requested_step(len(version.content["questions"])) or progress.step
    return render_quiz(taking, version, progress, page_banner=page_banner)
