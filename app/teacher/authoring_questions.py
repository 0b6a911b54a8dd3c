"""Teacher routes: a lesson's questions in the editor (logic in app/services/lesson_questions.py).

A question on an excerpt whose document has a reading is added in one submit (kind and
excerpt): its key comes from the reading, shown read-only on the question page with a
link to the reading editor and a small form to narrow it by category (``about``) or, for
compare, to choose what the sides mark. The key-marking widgets stay for documents without
a reading. Every edit goes through ``lesson_to_change`` (owner only, 409 when stale).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from app.domain import key_phrases
from app.domain.keys import MARKS
from app.domain.lens import default_lexicon
from app.domain.lesson_edits import excerpts_used
from app.domain.lessons import SOURCING_REASONS
from app.domain.readings import CATEGORIES
from app.domain.responses import BadResponse
from app.domain.text import sentences
from app.models import Lesson
from app.services import authoring as service
from app.services import dismissals
from app.services import lesson_keys as key_lists
from app.services import lesson_questions as questions
from app.services.readings import reading_in_force, readings_for
from app.student.present import KIND_LABELS, markable_view
from app.teacher import bp
from app.teacher.access import get_editable_lesson_or_abort
from app.teacher.authoring import (
    _excerpt_choices,
    _marks_reader,
    _refused,
    _render_editor,
    _to_editor,
)
from app.teacher.forms_authoring import (
    OptionsForm,
    QuestionForm,
    QuestionNewForm,
    SidesForm,
    key_rows_form,
    text_rows,
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


def _key_view(workspace: service.Workspace, question: dict[str, Any], key: key_phrases.KeyList,
              form: FlaskForm | None) -> dict[str, Any]:
    text = workspace.excerpt_text(key_phrases.key_excerpt(question, key))
    entries = [e for e in key_phrases.key_holder(question, key).get(key.field) or []
               if isinstance(e, dict)]
    units = [key_phrases.entry_units(e, text, key.unit) if text else None for e in entries]
    checked = {unit for found in units if found for unit in found}
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
            "suggestions": key_lists.key_suggestions(workspace, question, key, dismissed),
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
        correct = next((str(n) for n, o in enumerate(options) if o.get("correct") is True), None)
        forms["options"] = OptionsForm(formdata=None, prefix="opts", data={
            "options": [{"id": str(o.get("id") or ""), "text": str(o.get("text") or ""),
                         "feedback": str(o.get("feedback") or "")} for o in options],
            "correct": correct})
    if compare:
        sides = [s for s in question.get("sides") or [] if isinstance(s, dict)]
        forms["sides"] = SidesForm(formdata=None, prefix="sides", data={"sides": [
            {"frame": str(s.get("frame") or ""), "frame_why": str(s.get("frame_why") or "")}
            for s in sides]})
        forms["sides"].set_options(_option_choices(question))
    return forms


def _option_choices(question: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(o.get("id")), str(o.get("text") or o.get("id")))
            for o in question.get("options") or [] if isinstance(o, dict) and o.get("id")]


def _render_question(lesson: Lesson, question_id: str, *,
                     posted: dict[str, FlaskForm] | None = None,
                     narrow_error: str | None = None,
                     status: int = 200) -> ResponseReturnValue:
    workspace = service.open_workspace(lesson)
    with _refused():
        question = workspace.question(question_id)
    posted = posted or {}
    forms = {**_question_forms(workspace, question), **posted}
    from_reading = questions.reading_keys(workspace, question,
                                          readings_for(lesson.owner_id))
    keys = [] if from_reading else [_key_view(workspace, question, key, posted.get(key.name))
                                    for key in key_phrases.key_lists(question)]
    for view in from_reading or []:
        document = workspace.documents.get(view["document"])
        view["title"] = document.title if document else view["document"]
        view["own"] = bool(document is not None and (
            reading := reading_in_force(lesson.owner_id, document.id)) is not None
            and reading.owner_id is not None)
    position = workspace.questions().index(question)
    excerpts = [(ref, workspace.quote(workspace.excerpt(ref)))
                for ref in excerpts_used(question)]
    return render_template(
        "teacher/authoring/question.html", lesson=lesson, question=question,
        label=KIND_LABELS.get(str(question.get("kind")), "?"), forms=forms, keys=keys,
        excerpts=excerpts, reasons=SOURCING_REASONS, from_reading=from_reading,
        categories=CATEGORIES, marks=MARKS, narrow_error=narrow_error,
        category_name=default_lexicon().category_name,
        issues=workspace.sections.get(f"questions/{position}", []),
        others=len(workspace.issues)), status


def _back_to_question(lesson: Lesson, question_id: str, anchor: str = "") -> ResponseReturnValue:
    return redirect(url_for("teacher.question_edit", lesson_id=lesson.id,
                            question_id=question_id) + (f"#{anchor}" if anchor else ""),
                    code=303)


@bp.get("/lessons/<int:lesson_id>/questions/<question_id>")
def question_edit(lesson_id: int, question_id: str) -> ResponseReturnValue:
    return _render_question(get_editable_lesson_or_abort(lesson_id), question_id)


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/settings")
def question_settings(lesson_id: int, question_id: str) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    workspace = service.open_workspace(lesson, compile=False)
    form = QuestionForm(prefix="question")
    with _refused():
        compare = workspace.question(question_id).get("kind") == "compare"
    form.set_excerpts(_excerpt_choices(workspace), compare)
    if form.validate_on_submit():
        try:
            questions.update_question(lesson, question_id, prompt=form.prompt.data or "",
                                    excerpt_ids=[form.excerpt.data, form.second_excerpt.data])
        except service.PartNotFound as error:
            abort(404, description=error.message)
        except service.AuthoringError as error:
            form.excerpt.errors.append(error.message)
        else:
            flash("Question saved.", "success")
            return _back_to_question(lesson, question_id)
    return _render_question(lesson, question_id, posted={"settings": form}, status=400)


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/options")
def question_options(lesson_id: int, question_id: str) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    form = OptionsForm(prefix="opts")
    if not form.validate_on_submit():
        return _render_question(lesson, question_id, posted={"options": form}, status=400)
    with _refused():
        key_lists.set_options(lesson, question_id, form.rows(), form.correct_row())
    flash("Options saved.", "success")
    return _back_to_question(lesson, question_id, "options")


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/sides")
def question_sides(lesson_id: int, question_id: str) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    workspace = service.open_workspace(lesson, compile=False)
    with _refused():
        question = workspace.question(question_id)
    form = SidesForm(prefix="sides")
    form.set_options(_option_choices(question))
    if not form.validate_on_submit():
        return _render_question(lesson, question_id, posted={"sides": form}, status=400)
    with _refused():
        key_lists.set_sides(lesson, question_id, form.rows())
    flash("Frames saved.", "success")
    return _back_to_question(lesson, question_id, "sides")


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/marks/<name>")
def question_marks(lesson_id: int, question_id: str, name: str) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    try:
        with _refused():
            lost = key_lists.mark_key(lesson, question_id, name, _marks_reader(name))
    except BadResponse as problem:
        abort(400, description=str(problem))
    flash("Marks saved. Give each phrase its explanation below.", "success")
    if lost:
        flash("Removed because they are no longer in the excerpt: "
              + "; ".join(f"“{phrase}”" for phrase in lost), "info")
    return _back_to_question(lesson, question_id, f"rows-{name}")


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/key/<name>")
def question_key(lesson_id: int, question_id: str, name: str) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    workspace = service.open_workspace(lesson, compile=False)
    with _refused():
        key = key_lists.key_list(workspace.question(question_id), name)
    form = key_rows_form(key.fields)(prefix=key.name)
    if not form.validate_on_submit():
        return _render_question(lesson, question_id, posted={name: form}, status=400)
    rows = text_rows(form.rows)
    with _refused():
        key_lists.explain_key(lesson, question_id, name, [row["phrase"] for row in rows], rows)
    flash("Explanations saved.", "success")
    return _back_to_question(lesson, question_id, f"rows-{name}")


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




@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/narrow")
def question_narrow(lesson_id: int, question_id: str) -> ResponseReturnValue:
    """Narrow a reading-keyed question by category; for compare, choose what it marks."""
    lesson = lesson_to_change(lesson_id)
    about = request.form.getlist("about")
    mark = request.form.get("mark")
    if mark is not None and mark not in MARKS:
        abort(400, description=f"Choose what the sides mark: {', '.join(MARKS)}.")
    try:
        questions.narrow(lesson, question_id, about, mark)
    except service.PartNotFound as error:
        abort(404, description=error.message)
    except service.AuthoringError as error:
        return _render_question(lesson, question_id, narrow_error=error.message,
                                status=error.status)
    flash("Saved: the question's key follows.", "success")
    return _back_to_question(lesson, question_id, "reading-key")
