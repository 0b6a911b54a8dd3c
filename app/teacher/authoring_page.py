"""Teacher routes: saving the question page, whichever of its buttons was pressed.

The question page is ONE form (review bug 7: a neutral wording typed, then *Save marks*
pressed in another form, was lost). Each button posts every field of the page to its own
address (``formaction``), and each address first keeps what travelled with it: the typed
explanations, the ticked marks, the prompt, the options, the frames and the categories,
then does its own part (save the marks, accept a suggestion...). Everything is saved in
one edit, or, when any part is refused, nothing is saved and the page is shown again with
everything as typed (400).

A part is read only when its fields were sent, so a post from an older page, a script or
a test that sends one part changes that part alone. The logic lives in
:mod:`app.services.lesson_keys` and :mod:`app.services.lesson_questions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import abort, flash, request
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from app.domain import check_edits, key_phrases
from app.domain.keys import MARKS
from app.domain.lesson_edits import KEYED_BY_READING
from app.domain.responses import BadResponse
from app.domain.suggestions import MAX_SUGGESTION_ID, valid_suggestion_id
from app.models import Lesson
from app.services import authoring as service
from app.services import lesson_checks
from app.services import lesson_keys as key_lists
from app.services import lesson_questions as questions
from app.teacher import bp
from app.teacher.authoring import _excerpt_choices, _marks_reader, _refused
from app.teacher.authoring_questions import _back_to_question, _option_choices, _render_question
from app.teacher.forms_authoring import (
    OptionsForm,
    QuestionForm,
    SidesForm,
    key_rows_form,
    text_rows,
)
from app.teacher.stale import lesson_to_change

Step = Callable[[service.Workspace], Any]
NEUTRAL_LIMIT = 300


@dataclass
class Travelled:
    """What the question page sent: the steps that keep it, and, to show the page again
    with everything as typed, the bound forms, the ticked marks and typed wordings."""

    steps: list[Step] = field(default_factory=list)
    forms: dict[str, FlaskForm] = field(default_factory=dict)
    marks: dict[str, set[int]] = field(default_factory=dict)
    neutrals: dict[str, dict[str, str]] = field(default_factory=dict)
    errors: dict[str, dict[str, str]] = field(default_factory=dict)
    narrow: dict[str, Any] | None = None
    # A verify or omission question's claim, verdict and cards, or facts, as typed, and
    # the compiler's problems with them when refused (by part of the page).
    check: dict[str, Any] | None = None
    check_problems: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    invalid: bool = False
    marks_steps: list[int] = field(default_factory=list)  # which steps set marks


def _part(name: str, step: Step) -> Step:
    """``step``, its refusals labelled with the part of the page they concern."""
    def run(workspace: service.Workspace) -> Any:
        try:
            return step(workspace)
        except service.AuthoringError as error:
            error.part = name  # type: ignore[attr-defined]
            raise
    return run


def _sent(*names: str) -> bool:
    return any(name in request.form for name in names)


def typed_neutrals(name: str) -> dict[str, str]:
    """Suggestion id -> the neutral wording typed beside it, for key list ``name``."""
    prefix, suffix = f"{name}-suggest-", "-neutral"
    typed = {}
    for key in request.form:
        if key.startswith(prefix) and key.endswith(suffix):
            suggestion = key[len(prefix):-len(suffix)]
            if len(suggestion) <= MAX_SUGGESTION_ID and valid_suggestion_id(suggestion):
                typed[suggestion] = request.form.get(key, "")
    return typed


def read_page(lesson: Lesson, question_id: str, own: str) -> Travelled:
    """Read every part of the question page that was sent (``own``: the part of the
    button pressed, read even when its fields are missing, so it can be refused)."""
    workspace = service.open_workspace(lesson, compile=False)
    with _refused():
        question = workspace.question(question_id)
    page = Travelled()
    qid = question_id
    for key in ([] if _keyed_by_reading(workspace, question)
                else key_phrases.key_lists(question)):
        rows_sent = _sent(f"{key.name}-rows-0-phrase") or own == f"key:{key.name}"
        if rows_sent:
            form = key_rows_form(key.fields)(prefix=key.name)
            page.forms[key.name] = form
            if form.validate_on_submit():
                rows = text_rows(form.rows)
                page.steps.append(key_lists.explanations_change(
                    qid, key.name, [row["phrase"] for row in rows], rows))
            else:
                page.invalid = True
        if key.name in request.form.getlist("marked") or own == f"marks:{key.name}":
            text = workspace.excerpt_text(key_phrases.key_excerpt(question, key))
            if text is not None:
                try:
                    marked = _marks_reader(key.name)(text, key.unit)
                except BadResponse as problem:
                    abort(400, description=str(problem))
                page.marks[key.name] = set(marked)
                page.marks_steps.append(len(page.steps))
                page.steps.append(key_lists.marks_change(
                    qid, key.name, lambda _text, _unit, marked=marked: marked,
                    only_if_changed=own != f"marks:{key.name}"))
        typed = typed_neutrals(key.name)
        page.neutrals[key.name] = typed
        for suggestion, wording in typed.items():
            if len(wording) > NEUTRAL_LIMIT:
                page.errors.setdefault(key.name, {})[suggestion] = (
                    f"Keep the neutral wording to {NEUTRAL_LIMIT} characters or fewer.")
                page.invalid = True
    if _sent("opts-options-0-text", "opts-options-0-feedback") or own == "options":
        form = OptionsForm(prefix="opts")
        page.forms["options"] = form
        if form.validate_on_submit():
            page.steps.append(key_lists.options_change(qid, form.rows(), form.correct_rows()))
        else:
            page.invalid = True
    if _sent("sides-sides-0-frame", "sides-sides-0-frame_why") or own == "sides":
        form = SidesForm(prefix="sides")
        form.set_options(_option_choices(question))
        page.forms["sides"] = form
        if form.validate_on_submit():
            page.steps.append(key_lists.sides_change(qid, form.rows()))
        else:
            page.invalid = True
    if _sent("question-prompt", "question-excerpt") or own == "settings":
        form = QuestionForm(prefix="question")
        form.set_excerpts(_excerpt_choices(workspace), question.get("kind") == "compare")
        page.forms["settings"] = form
        if form.validate_on_submit():
            page.steps.append(_part("settings", questions.settings_change(
                qid, prompt=form.prompt.data or "",
                excerpt_ids=[form.excerpt.data, form.second_excerpt.data])))
        else:
            page.invalid = True
    if request.form.get("narrow") == "1" or own == "narrow":
        about, mark = request.form.getlist("about"), request.form.get("mark")
        if mark is not None and mark not in MARKS:
            abort(400, description=f"Choose what the sides mark: {', '.join(MARKS)}.")
        page.narrow = {"about": about, "mark": mark}
        page.steps.append(_part("narrow", questions.narrow_change(qid, about, mark)))
    kind = str(question.get("kind"))
    if kind in check_edits.CHECK_KINDS and (request.form.get("check") == "1" or own == "check"):
        # Last, so it is checked against the excerpt the settings above may have changed.
        page.check = check_edits.read_check(kind, request.form.items(multi=True))
        page.steps.append(lesson_checks.check_change(qid, page.check,
                                                     only_if_changed=own != "check"))
    return page


def _keyed_by_reading(workspace: service.Workspace, question: dict[str, Any]) -> bool:
    return (question.get("kind") in KEYED_BY_READING
            and questions.reading_keys(workspace, question) is not None)


def show_again(lesson: Lesson, question_id: str, page: Travelled, *, status: int = 400,
               narrow_error: str | None = None, error: str | None = None
               ) -> ResponseReturnValue:
    """The question page with everything as it was sent, and what was refused."""
    return _render_question(lesson, question_id, posted=page.forms, marks=page.marks,
                            neutrals=page.neutrals, suggestion_errors=page.errors,
                            narrow=page.narrow, narrow_error=narrow_error, error=error,
                            check=page.check, check_problems=page.check_problems,
                            status=status)


@dataclass(frozen=True, slots=True)
class Saved:
    """What the steps of a saved page returned, and what the pressed button's step did."""

    results: list[Any]
    done: Any


def save_page(lesson: Lesson, question_id: str, page: Travelled,
              then: Step | None = None) -> Saved | ResponseReturnValue:
    """Save what travelled and then ``then``, in one edit; a refusal shows the page again
    (nothing saved). Returns :class:`Saved`, or the page to answer with."""
    if page.invalid:
        return show_again(lesson, question_id, page)
    try:
        return Saved(*questions.save_together(lesson, page.steps, then))
    except service.PartNotFound as error:
        abort(404, description=error.message)
    except lesson_checks.CheckRefused as error:
        page.check_problems = error.problems
        return show_again(lesson, question_id, page, status=error.status, error=error.message)
    except key_lists.NeedsNeutral as error:
        page.errors.setdefault(error.key_name, {})[error.suggestion_id] = error.message
        return show_again(lesson, question_id, page, status=error.status)
    except service.AuthoringError as error:
        part = getattr(error, "part", "")
        if part == "settings":
            form = page.forms["settings"]
            form.excerpt.errors = [*form.excerpt.errors, error.message]
            return show_again(lesson, question_id, page, status=error.status)
        if part == "narrow":
            return show_again(lesson, question_id, page, status=error.status,
                              narrow_error=error.message)
        return show_again(lesson, question_id, page, status=error.status, error=error.message)


def lost_phrases(page: Travelled, results: list[Any]) -> list[str]:
    """The phrases the saved marks dropped (no longer found in the excerpt)."""
    return [phrase for index in page.marks_steps for phrase in results[index] or []]


def _saved(lesson: Lesson, question_id: str, own: str, message: str,
           anchor: str) -> ResponseReturnValue:
    lesson_page = read_page(lesson, question_id, own)
    outcome = save_page(lesson, question_id, lesson_page)
    if not isinstance(outcome, Saved):
        return outcome
    flash(message, "success")
    lost = lost_phrases(lesson_page, outcome.results)
    if lost:
        flash("Removed because they are no longer in the excerpt: "
              + "; ".join(f"“{phrase}”" for phrase in lost), "info")
    return _back_to_question(lesson, question_id, anchor)


# --- the buttons -------------------------------------------------------------------------

@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/settings")
def question_settings(lesson_id: int, question_id: str) -> ResponseReturnValue:
    return _saved(lesson_to_change(lesson_id), question_id, "settings", "Question saved.",
                  "settings")


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/options")
def question_options(lesson_id: int, question_id: str) -> ResponseReturnValue:
    return _saved(lesson_to_change(lesson_id), question_id, "options", "Options saved.",
                  "options")


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/sides")
def question_sides(lesson_id: int, question_id: str) -> ResponseReturnValue:
    return _saved(lesson_to_change(lesson_id), question_id, "sides", "Frames saved.", "sides")


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/check")
def question_check(lesson_id: int, question_id: str) -> ResponseReturnValue:
    """Save a verify question's claim, verdict and cards, or an omission question's facts."""
    lesson = lesson_to_change(lesson_id)
    with _refused():
        question = service.open_workspace(lesson, compile=False).question(question_id)
    if question.get("kind") not in check_edits.CHECK_KINDS:
        # As the other parts refuse a question of the wrong kind (options on a marking one).
        abort(400, description="This question has no cards or facts to choose.")
    return _saved(lesson, question_id, "check", "Saved.", "check")


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/marks/<name>")
def question_marks(lesson_id: int, question_id: str, name: str) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    _key_list_or_404(lesson, question_id, name)
    return _saved(lesson, question_id, f"marks:{name}",
                  "Marks saved. Give each phrase its explanation below.", f"rows-{name}")


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/key/<name>")
def question_key(lesson_id: int, question_id: str, name: str) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    _key_list_or_404(lesson, question_id, name)
    return _saved(lesson, question_id, f"key:{name}", "Explanations saved.", f"rows-{name}")


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/narrow")
def question_narrow(lesson_id: int, question_id: str) -> ResponseReturnValue:
    """Narrow a reading-keyed question by category; for compare, choose what it marks."""
    return _saved(lesson_to_change(lesson_id), question_id, "narrow",
                  "Saved: the question's key follows.", "reading-key")


def _key_list_or_404(lesson: Lesson, question_id: str, name: str) -> key_phrases.KeyList:
    with _refused():
        return key_lists.key_list(service.open_workspace(lesson, compile=False)
                                  .question(question_id), name)
