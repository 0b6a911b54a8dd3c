"""Teacher routes: writing lessons in the browser (logic in app/services/authoring.py).

Every lesson is fetched through :mod:`app.teacher.access`: pages that only read (preview,
export, copy) use ``get_readable_lesson_or_abort``, everything that changes a lesson uses
``get_editable_lesson_or_abort``, so other teachers' lessons are 403 and the starter
library is read-only (copy it to edit). Each edit saves the draft and redirects back
(POST-redirect-GET); a form with errors is shown again with what was typed, as a 400.
Import, export and copy are in :mod:`app.teacher.authoring_files`, the regrade in
:mod:`app.teacher.authoring_regrade`, the preview in :mod:`app.teacher.authoring_preview`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.routing import BuildError

from app.domain import key_phrases
from app.domain.issue_places import (
    KEY_LIST_FIELDS,
    PlacedIssue,
    lesson_part,
    question_part,
)
from app.domain.lesson_edits import valid_id
from app.domain.lessons import LessonInvalid
from app.domain.responses import parse_response
from app.errors import (
    CSRF_EXPIRED_MESSAGE,
    register_csrf_error_renderer,
)
from app.models import Lesson
from app.services import authoring as service
from app.student.present import KIND_LABELS
from app.teacher import bp
from app.teacher.access import get_editable_lesson_or_abort, typed_again
from app.teacher.forms_authoring import (
    DocumentForm,
    LessonForm,
    QuestionNewForm,
)
from app.teacher.stale import lesson_to_change
from app.urlinput import query_id

STATUS_CHANGES = {"unpublish": "draft", "archive": "archived", "restore": "draft"}


@contextmanager
def _refused() -> Iterator[None]:
    """A change the service refuses becomes the error page, with its status and message."""
    try:
        yield
    except service.AuthoringError as error:
        abort(error.status, description=error.message)


def _to_editor(lesson: Lesson, anchor: str = "") -> ResponseReturnValue:
    return redirect(url_for("teacher.lesson_edit", lesson_id=lesson.id)
                    + (f"#{anchor}" if anchor else ""), code=303)


def _optional_url(endpoint: str) -> str | None:
    """A link to another area's page, or None while that page does not exist yet."""
    try:
        return url_for(endpoint)
    except BuildError:
        return None


def _marks_reader(name: str) -> service.MarksReader:
    """Read the checkboxes ``<name>.w`` / ``<name>.s`` exactly as the quiz form is read."""
    def read(text: str, unit: str) -> list[int]:
        kind = "sourcing" if unit == "sentence" else "loaded_terms"
        response = parse_response({"id": name, "kind": kind, "excerpt": "x"}, {"x": text},
                                  request.form.getlist)
        return list(response["sentences" if unit == "sentence" else "words"])
    return read


# --- the list, new, import, documents -----------------------------------------------------

@bp.get("/lessons")
def lessons() -> ResponseReturnValue:
    return render_template("teacher/authoring/lessons.html",
                           mine=service.my_lessons(current_user),
                           library=service.library_lessons(),
                           assign_url=_optional_url("teacher.classes"))


@bp.route("/lessons/new", methods=["GET", "POST"])
def lesson_new() -> ResponseReturnValue:
    form = LessonForm()
    if form.validate_on_submit():
        with _refused():
            lesson = service.create_lesson(
                current_user, title=form.title.data, summary=form.summary.data,
                level=form.level.data, minutes=form.minutes.data, goals=form.goal_lines())
        flash("Lesson created. Add an excerpt, then questions.", "success")
        return _to_editor(lesson)
    status = 400 if form.is_submitted() else 200
    return render_template("teacher/authoring/new.html", form=form), status


@bp.route("/documents/new", methods=["GET", "POST"])
def document_new() -> ResponseReturnValue:
    form = DocumentForm()
    # An id no row could have is a 404, like a lesson that does not exist.
    back = query_id("lesson")
    lesson = get_editable_lesson_or_abort(back) if back is not None else None
    if form.validate_on_submit():
        try:
            document = service.add_document(
                current_user, title=form.title.data, author=form.author.data or "",
                outlet=form.outlet.data or "", publisher_note=form.publisher_note.data or "",
                text=form.text.data, genre=form.genre.data or "")
        except service.AuthoringError as error:  # e.g. its slug was taken a moment ago
            return render_template("teacher/authoring/document_new.html", form=form,
                                   lesson=lesson, error=error.message), error.status
        flash(f"Document “{document.title}” added.", "success")
        if lesson is not None:
            return redirect(url_for("teacher.excerpt_new", lesson_id=lesson.id,
                                    document=document.slug), code=303)
        # Its reading editor: annotate it once, before writing questions on it.
        return redirect(url_for("teacher.reading_edit", document_slug=document.slug),
                        code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("teacher/authoring/document_new.html", form=form,
                           lesson=lesson), status


# --- expired forms: show them again with what was typed ----------------------------------

def _new_expired() -> ResponseReturnValue:
    return render_template("teacher/authoring/new.html", form=LessonForm(),
                           error=CSRF_EXPIRED_MESSAGE), 400


def _document_expired() -> ResponseReturnValue:
    return render_template("teacher/authoring/document_new.html", form=DocumentForm(),
                           lesson=None, error=CSRF_EXPIRED_MESSAGE), 400


def _details_expired() -> ResponseReturnValue:
    lesson = get_editable_lesson_or_abort((request.view_args or {}).get("lesson_id", 0))
    return _render_editor(lesson, details=LessonForm(prefix="lesson"),
                          error=CSRF_EXPIRED_MESSAGE, status=400)


@bp.record_once
def _install_csrf_renderers(state: BlueprintSetupState) -> None:
    for endpoint, render in (("teacher.lesson_new", _new_expired),
                             ("teacher.document_new", _document_expired),
                             ("teacher.lesson_details", _details_expired)):
        register_csrf_error_renderer(state.app, endpoint, typed_again(render))


# --- the editor -------------------------------------------------------------------------

def _excerpt_choices(workspace: service.Workspace) -> list[tuple[str, str]]:
    choices = []
    for excerpt in workspace.excerpts():
        document = workspace.documents.get(str(excerpt.get("document")))
        title = document.title if document else str(excerpt.get("document"))
        choices.append((str(excerpt.get("id")), f"{excerpt.get('id')} — {title}"))
    return choices


def _details_form(workspace: service.Workspace) -> LessonForm:
    source = workspace.source
    goals = source.get("goals") if isinstance(source.get("goals"), list) else []
    return LessonForm(formdata=None, prefix="lesson", data={
        "title": source.get("title", ""), "summary": source.get("summary", ""),
        "level": source.get("level", "intro"), "minutes": source.get("minutes"),
        "goals": "\n".join(str(goal) for goal in goals)})


def _question_anchor(part: str) -> str:
    """The id of a part of the question page (see question.html)."""
    return f"key-{part}" if part in KEY_LIST_FIELDS or part.startswith("terms-") else part


def _lesson_problems(lesson: Lesson, placed: list[PlacedIssue]) -> dict[str, Any]:
    """The draft's problems by the part of the editor they concern, each once, in words;
    a question's link to the part of its own page; and a summary of where they are."""
    source_questions = (lambda found: found if isinstance(found, list) else [])(
        service.open_workspace(lesson, compile=False).source.get("questions"))
    problems: dict[str, Any] = {"details": [], "excerpts": [], "questions": [],
                                "excerpt": {}, "question": {}}
    for issue in placed:
        part, number = lesson_part(issue.path)
        problem: dict[str, Any] = {"message": issue.message}
        if part == "details" or number is None:
            problems[part].append(problem)
            continue
        if part == "questions" and number < len(source_questions) and isinstance(
                source_questions[number], dict) and valid_id(source_questions[number].get("id")):
            anchor = _question_anchor(question_part(issue.path[2:])[0])
            problem["href"] = url_for("teacher.question_edit", lesson_id=lesson.id,
                                      question_id=source_questions[number]["id"]) + f"#{anchor}"
        problems[part[:-1]].setdefault(number, []).append(problem)
    return problems


def _problem_summary(problems: dict[str, Any], excerpts: list[dict[str, Any]],
                     questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Where the problems are: one link per part of the editor, with how many."""
    summary = []
    for part, anchor, label in (("details", "details", "Lesson details"),
                                ("excerpts", "excerpts", "Excerpts"),
                                ("questions", "questions", "Questions")):
        if problems[part]:
            summary.append({"href": f"#{anchor}", "label": label, "count": len(problems[part])})
        for item in excerpts if part == "excerpts" else questions if part == "questions" else []:
            if item["issues"]:
                noun = "Excerpt" if part == "excerpts" else f"{item.get('label', '')} question"
                summary.append({"href": f"#{part[:-1]}-{item['entry'].get('id')}",
                                "label": f"{noun} {item['entry'].get('id')}",
                                "count": len(item["issues"])})
    return summary


def _render_editor(lesson: Lesson, *, details: LessonForm | None = None,
                   new_question: QuestionNewForm | None = None,
                   publish_refused: bool = False,
                   error: str | None = None, status: int = 200) -> ResponseReturnValue:
    workspace = service.open_workspace(lesson)
    if new_question is None:
        new_question = QuestionNewForm(formdata=None, prefix="new")
    new_question.set_excerpts(_excerpt_choices(workspace))
    problems = _lesson_problems(lesson, workspace.placed)
    excerpts = [{"entry": excerpt, "quote": workspace.quote(excerpt),
                 "document": workspace.documents.get(str(excerpt.get("document"))),
                 "issues": problems["excerpt"].get(number, [])}
                for number, excerpt in enumerate(workspace.source.get("excerpts") or [])
                if isinstance(excerpt, dict)]
    questions = [{"entry": question, "label": KIND_LABELS.get(str(question.get("kind")), "?"),
                  "counts": [(key.label, len(key_phrases.key_holder(question, key).get(key.field)
                                              or []))
                             for key in key_phrases.key_lists(question)]
                  + [(label, len(question.get(name) or []))
                     for name, label in (("options", "Options"), ("cards", "Cards"),
                                         ("facts", "Facts")) if name in question],
                  "issues": problems["question"].get(number, [])}
                 for number, question in enumerate(workspace.source.get("questions") or [])
                 if isinstance(question, dict)]
    return render_template(
        "teacher/authoring/edit.html", lesson=lesson, workspace=workspace,
        excerpts=excerpts, questions=questions, problems=problems,
        problem_summary=_problem_summary(problems, excerpts, questions),
        details=details or _details_form(workspace), new_question=new_question,
        publish_refused=publish_refused, version=service.current_version(lesson), error=error,
    ), status


@bp.get("/lessons/<int:lesson_id>")
def lesson_edit(lesson_id: int) -> ResponseReturnValue:
    return _render_editor(get_editable_lesson_or_abort(lesson_id))


@bp.post("/lessons/<int:lesson_id>/details")
def lesson_details(lesson_id: int) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    form = LessonForm(prefix="lesson")
    if not form.validate_on_submit():
        return _render_editor(lesson, details=form, status=400)
    with _refused():
        service.update_details(lesson, title=form.title.data, summary=form.summary.data,
                               level=form.level.data, minutes=form.minutes.data,
                               goals=form.goal_lines())
    flash("Lesson details saved in the draft.", "success")
    return _to_editor(lesson, "details")


@bp.post("/lessons/<int:lesson_id>/publish")
def lesson_publish(lesson_id: int) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    try:
        with _refused():
            created = service.publish(lesson)
    except LessonInvalid:
        return _render_editor(lesson, publish_refused=True, status=400)
    if created is not None:
        flash(f"Published as version {created.number}.", "success")
    else:
        flash("Published. Nothing in the questions or keys changed, so it is still version "
              f"{lesson.version}.", "success")
    return _to_editor(lesson)


@bp.post("/lessons/<int:lesson_id>/status/<change>")
def lesson_status(lesson_id: int, change: str) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    if change not in STATUS_CHANGES:
        abort(404)
    with _refused():
        service.set_status(lesson, STATUS_CHANGES[change])
    flash({"unpublish": "Unpublished: students cannot start it now.",
           "archive": "Archived.", "restore": "Restored as unpublished."}[change], "success")
    return _to_editor(lesson)


@bp.post("/lessons/<int:lesson_id>/discard")
def lesson_discard(lesson_id: int) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    with _refused():
        service.discard_draft(lesson)
    flash(f"Unpublished edits discarded; the lesson is back to version {lesson.version}.",
          "success")
    return _to_editor(lesson)
