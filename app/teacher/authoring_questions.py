"""Teacher routes: a lesson's questions in the editor (logic in app/services/lesson_questions.py).

A question on an excerpt whose document has a reading is added in one submit (kind and
excerpt): its key comes from the reading, shown read-only on the question page with a
link to the reading editor and a small form to narrow it by category (``about``) or, for
compare, to choose what the sides mark. The key-marking widgets stay for documents without
a reading. Every edit goes through ``lesson_to_change`` (owner only, 409 when stale).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from app.domain import key_phrases
from app.domain.issue_places import question_part
from app.domain.keys import MARKS
from app.domain.lens import default_lexicon
from app.domain.lesson_edits import excerpts_used
from app.domain.lessons import SOURCING_REASONS
from app.domain.readings import CATEGORIES
from app.domain.suggestions import in_context
from app.domain.text import sentences
from app.models import Lesson
from app.services import authoring as service
from app.services import dismissals, lesson_checks
from app.services import lesson_keys as key_lists
from app.services import lesson_questions as questions
from app.services.frames import frame_names
from app.services.readings import reading_in_force, readings_for
from app.student.present import KIND_LABELS, markable_view
from app.teacher import bp
from app.teacher.access import get_editable_lesson_or_abort
from app.teacher.authoring import (
    _excerpt_choices,
    _refused,
    _render_editor,
    _to_editor,
)
from app.teacher.authoring_checks import CHECK_KINDS, check_view
from app.teacher.forms_authoring import (
    OptionsForm,
    QuestionForm,
    QuestionNewForm,
    SidesForm,
    key_rows_form,
)
from app.teacher.stale import lesson_to_change

# --- questions -----------------------------------------------------------------------------

@bp.post("/lessons/<int:lesson_id>/questions/new")
def question_new(lesson_id: int) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    form = QuestionNewForm(prefix="new")
    form.set_excerpts(_excerpt_choices(service.open_workspace(lesson, compile=False)))
    if not form.validate_on_submit():
        return _render_editor(lesson, new_question=form, status=400)
    try:
        question_id = questions.add_question(lesson, form.kind.data,
                                           [form.excerpt.data, form.second_excerpt.data])
    except service.AuthoringError as error:
        form.kind.errors.append(error.message)
        return _render_editor(lesson, new_question=form, status=error.status)
    question = service.open_workspace(lesson, compile=False).question(question_id)
    if questions.reading_keys(service.open_workspace(lesson, compile=False), question):
        flash(f"Question {question_id} added, keyed from the reading of its document.",
              "success")
    else:
        flash(f"Question {question_id} added. Now set its key.", "success")
    return redirect(url_for("teacher.question_edit", lesson_id=lesson.id,
                            question_id=question_id), code=303)


def _key_rows(question: dict[str, Any], key: key_phrases.KeyList) -> list[dict[str, str]]:
    entries = key_phrases.key_holder(question, key).get(key.field) or []
    return [{"phrase": str(entry.get("phrase", "")),
             **{name: str(entry.get(name) or "") for name in key.fields}}
            for entry in entries if isinstance(entry, dict)]


def _suggestion_views(workspace: service.Workspace, question: dict[str, Any],
                      key: key_phrases.KeyList, dismissed: list[str], text: str | None,
                      typed: dict[str, str], errors: dict[str, str]) -> list[dict[str, Any]]:
    """The lens's suggestions for a key list, each in its context, with the neutral
    wording to accept it with (as typed, else the lens's) and any refusal."""
    if text is None:
        return []
    return [{"id": suggestion.id, "finding": suggestion.finding,
             "context": in_context(text, suggestion),
             "neutral": typed.get(suggestion.id, suggestion.finding.suggestion),
             "error": errors.get(suggestion.id)}
            for suggestion in key_lists.key_suggestions(workspace, question, key, dismissed)]


def _key_view(workspace: service.Workspace, question: dict[str, Any], key: key_phrases.KeyList,
              form: FlaskForm | None, marks: set[int] | None = None,
              typed: dict[str, str] | None = None,
              errors: dict[str, str] | None = None) -> dict[str, Any]:
    text = workspace.excerpt_text(key_phrases.key_excerpt(question, key))
    entries = [e for e in key_phrases.key_holder(question, key).get(key.field) or []
               if isinstance(e, dict)]
    units = [key_phrases.entry_units(e, text, key.unit) if text else None for e in entries]
    checked = {unit for found in units if found for unit in found} if marks is None else marks
    # A sourcing row shows the whole sentence its phrase picks out.
    spans = sentences(text) if text and key.unit == "sentence" else []
    shown = [spans[found[0]].text if spans and found else str(entry.get("phrase", ""))
             for entry, found in zip(entries, units, strict=True)]
    if form is None:
        form = key_rows_form(key.fields)(formdata=None, prefix=key.name,
                                         data={"rows": _key_rows(question, key)})
    dismissed = dismissals.dismissed(current_user.id, workspace.lesson.id,
                                     str(question.get("id")), key.name)
    return {"key": key, "form": form, "found": [found is not None for found in units],
            "shown": shown, "dismissed": len(dismissed),
            "suggestions": _suggestion_views(workspace, question, key, dismissed, text,
                                             typed or {}, errors or {}),
            "marker": markable_view(key.name, text, key.unit, checked) if text else None}


def _question_forms(workspace: service.Workspace,
                    question: dict[str, Any]) -> dict[str, FlaskForm]:
    choices = _excerpt_choices(workspace)
    compare = question.get("kind") == "compare"
    refs = [str(ref or "") for ref in excerpts_used(question)]
    settings = QuestionForm(formdata=None, prefix="question", data={
        "prompt": question.get("prompt", ""), "excerpt": refs[0] if refs else "",
        "second_excerpt": refs[1] if len(refs) > 1 else ""})
    settings.set_excerpts(choices, compare)
    forms: dict[str, FlaskForm] = {"settings": settings}
    options = [o for o in question.get("options") or [] if isinstance(o, dict)]
    if question.get("kind") in ("framing", "compare"):
        correct = [str(n) for n, o in enumerate(options) if o.get("correct") is True]
        forms["options"] = OptionsForm(formdata=None, prefix="opts", data={
            "options": [{"id": str(o.get("id") or ""), "text": key_lists.option_text(o),
                         "feedback": str(o.get("feedback") or "")} for o in options],
            "correct": correct})
    if compare:
        sides = [s for s in question.get("sides") or [] if isinstance(s, dict)]
        forms["sides"] = SidesForm(formdata=None, prefix="sides", data={"sides": [
            {name: str(s.get(name) or "") for name in ("frame", "frame_why", "also_frame",
                                                       "also_why")}
            for s in sides]})
        forms["sides"].set_options(_option_choices(question))
    return forms


def _option_choices(question: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(o.get("id")), key_lists.option_text(o) or str(o.get("id")))
            for o in question.get("options") or [] if isinstance(o, dict) and o.get("id")]


def _question_problems(workspace: service.Workspace, position: int,
                       parts: set[str]) -> dict[str, list[dict[str, Any]]]:
    """This question's problems by the part of the page they concern (a part the page
    does not show takes them to the prompt and excerpt), each once, in words."""
    problems: dict[str, list[dict[str, Any]]] = {}
    for issue in workspace.placed:
        path = issue.path
        if len(path) < 2 or path[0] != "questions" or path[1] != position:
            continue
        part, row = question_part(path[2:])
        if part not in parts:
            part, row = "settings", None
        problems.setdefault(part, []).append({"row": row, "message": issue.message})
    return problems


def _render_question(lesson: Lesson, question_id: str, *,
                     posted: dict[str, FlaskForm] | None = None,
                     marks: dict[str, set[int]] | None = None,
                     neutrals: dict[str, dict[str, str]] | None = None,
                     suggestion_errors: dict[str, dict[str, str]] | None = None,
                     narrow: dict[str, Any] | None = None,
                     narrow_error: str | None = None, error: str | None = None,
                     check: dict[str, Any] | None = None,
                     check_problems: dict[str, list[dict[str, Any]]] | None = None,
                     status: int = 200) -> ResponseReturnValue:
    """The question page; on a refusal, everything as it was sent (``posted`` forms,
    ``marks``, typed ``neutrals``, ``narrow`` choices, the ``check`` part of a verify or
    omission question and the compiler's ``check_problems`` with it) and what was
    refused."""
    workspace = service.open_workspace(lesson)
    with _refused():
        question = workspace.question(question_id)
    posted, marks, neutrals = posted or {}, marks or {}, neutrals or {}
    errors = suggestion_errors or {}
    forms = {**_question_forms(workspace, question), **posted}
    from_reading = questions.reading_keys(workspace, question,
                                          readings_for(lesson.owner_id))
    keys = [] if from_reading else [
        _key_view(workspace, question, key, posted.get(key.name), marks.get(key.name),
                  neutrals.get(key.name), errors.get(key.name))
        for key in key_phrases.key_lists(question)]
    for view in from_reading or []:
        document = workspace.documents.get(view["document"])
        view["title"] = document.title if document else view["document"]
        view["own"] = bool(document is not None and (
            reading := reading_in_force(lesson.owner_id, document.id)) is not None
            and reading.owner_id is not None)
    position = workspace.questions().index(question)
    checking = question.get("kind") in CHECK_KINDS
    parts = {"settings", *(name for name in ("options", "sides") if name in forms),
             *(view["key"].name for view in keys), *(["reading-key"] if from_reading else []),
             *(lesson_checks.CHECK_PARTS if checking else ())}
    problems = _question_problems(workspace, position, parts)
    others = len(workspace.placed) - sum(len(found) for found in problems.values())
    if check_problems:  # a refused change: its problems, not the saved draft's
        problems = {part: found for part, found in problems.items()
                    if part not in lesson_checks.CHECK_PARTS} | check_problems
    excerpts = [(ref, workspace.quote(workspace.excerpt(ref)))
                for ref in excerpts_used(question)]
    return render_template(
        "teacher/authoring/question.html", lesson=lesson, question=question,
        check=check_view(lesson, question, check, problems) if checking else None,
        refused=bool(check_problems),
        label=KIND_LABELS.get(str(question.get("kind")), "?"), forms=forms, keys=keys,
        excerpts=excerpts, reasons=SOURCING_REASONS, from_reading=from_reading,
        categories=CATEGORIES, marks=MARKS, narrow_error=narrow_error, narrow=narrow,
        frame_names=frame_names(),
        category_name=default_lexicon().category_name, error=error,
        problems=problems, problem_count=sum(len(found) for found in problems.values()),
        others=others,
    ), status


def _back_to_question(lesson: Lesson, question_id: str, anchor: str = "") -> ResponseReturnValue:
    return redirect(url_for("teacher.question_edit", lesson_id=lesson.id,
                            question_id=question_id) + (f"#{anchor}" if anchor else ""),
                    code=303)


@bp.get("/lessons/<int:lesson_id>/questions/<question_id>")
def question_edit(lesson_id: int, question_id: str) -> ResponseReturnValue:
    return _render_question(get_editable_lesson_or_abort(lesson_id), question_id)


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/move/<direction>")
def question_move(lesson_id: int, question_id: str, direction: str) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    if direction not in ("up", "down"):
        abort(404)
    with _refused():
        questions.move_question(lesson, question_id, -1 if direction == "up" else 1)
    return _to_editor(lesson, "questions")


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/delete")
def question_delete(lesson_id: int, question_id: str) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    with _refused():
        questions.delete_question(lesson, question_id)
    flash(f"Question {question_id} deleted.", "success")
    return _to_editor(lesson, "questions")
