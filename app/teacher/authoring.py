"""Teacher routes: writing lessons in the browser (logic in app/services/authoring.py).

Every lesson is fetched through :mod:`app.teacher.access`: pages that only read (preview,
export, copy) use ``get_readable_lesson_or_abort``, everything that changes a lesson uses
``get_editable_lesson_or_abort``, so other teachers' lessons are 403 and the starter
library is read-only (copy it to edit). Each edit saves the draft and redirects back
(POST-redirect-GET); a form with errors is shown again with what was typed, as a 400.
Import, export and copy are in :mod:`app.teacher.authoring_files`, the regrade in
:mod:`app.teacher.authoring_regrade`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BuildError

from app.domain import key_phrases
from app.domain.lessons import LessonInvalid, LessonIssue
from app.domain.responses import BadResponse, parse_response, salvage
from app.errors import (
    CSRF_EXPIRED_MESSAGE,
    CsrfErrorRenderer,
    register_csrf_error_renderer,
    render_error,
)
from app.models import Lesson
from app.services import authoring as service
from app.services import lesson_excerpts
from app.services.attempts import excerpt_texts
from app.student.present import KIND_LABELS, markable_view, quiz_questions
from app.teacher import bp
from app.teacher.access import get_editable_lesson_or_abort, get_readable_lesson_or_abort
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
                text=form.text.data)
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

def _typed_again(render: Callable[[], ResponseReturnValue]) -> CsrfErrorRenderer:
    """A CSRF failure renderer that re-shows the form with the teacher's entries.

    It runs before the blueprint's own checks, so it checks the role itself, and it must
    not raise: a refusal becomes an error page here.
    """
    def renderer(_error: CSRFError) -> ResponseReturnValue:
        if not current_user.is_authenticated:
            return render_error(400, "Your session ended. Log in again, then reopen the page.")
        if not current_user.has_role("teacher", "admin"):
            return render_error(403)
        try:
            return render()
        except HTTPException as error:
            return render_error(error.code or 400)
    return renderer


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
        register_csrf_error_renderer(state.app, endpoint, _typed_again(render))


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


def _render_editor(lesson: Lesson, *, details: LessonForm | None = None,
                   new_question: QuestionNewForm | None = None,
                   publish_issues: list[LessonIssue] | None = None,
                   error: str | None = None, status: int = 200) -> ResponseReturnValue:
    workspace = service.open_workspace(lesson)
    if new_question is None:
        new_question = QuestionNewForm(formdata=None, prefix="new")
    new_question.set_excerpts(_excerpt_choices(workspace))
    excerpts = [{"entry": excerpt, "quote": workspace.quote(excerpt),
                 "document": workspace.documents.get(str(excerpt.get("document"))),
                 "issues": workspace.sections.get(f"excerpts/{number}", [])}
                for number, excerpt in enumerate(workspace.source.get("excerpts") or [])
                if isinstance(excerpt, dict)]
    questions = [{"entry": question, "label": KIND_LABELS.get(str(question.get("kind")), "?"),
                  "counts": [(key.label, len(key_phrases.key_holder(question, key).get(key.field)
                                              or []))
                             for key in key_phrases.key_lists(question)]
                  + ([("Options", len(question.get("options") or []))]
                     if "options" in question else []),
                  "issues": workspace.sections.get(f"questions/{number}", [])}
                 for number, question in enumerate(workspace.source.get("questions") or [])
                 if isinstance(question, dict)]
    return render_template(
        "teacher/authoring/edit.html", lesson=lesson, workspace=workspace,
        excerpts=excerpts, questions=questions,
        details=details or _details_form(workspace), new_question=new_question,
        publish_issues=publish_issues, version=service.current_version(lesson), error=error,
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
    except LessonInvalid as invalid:
        return _render_editor(lesson, publish_issues=invalid.issues, status=400)
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


# --- preview ------------------------------------------------------------------------------

def _preview_content(lesson: Lesson) -> tuple[dict[str, Any] | None, list[LessonIssue], bool]:
    """(compiled lesson to show, problems, whether it is the draft)."""
    if lesson.draft_text is not None and request.args.get("published") != "1":
        workspace = service.open_workspace(lesson)
        return workspace.compiled, workspace.issues, True
    version = service.current_version(lesson)
    return (version.content if version else None), [], False


@bp.route("/lessons/<int:lesson_id>/preview", methods=["GET", "POST"])
def lesson_preview(lesson_id: int) -> ResponseReturnValue:
    lesson = get_readable_lesson_or_abort(lesson_id)
    content, issues, is_draft = _preview_content(lesson)
    if content is None:
        return render_template("teacher/authoring/cannot_preview.html", lesson=lesson,
                               issues=issues, has_version=lesson.version > 0)
    marks: dict[str, Any] = {}
    if request.method == "POST":  # the preview's form posts here: nothing is stored
        marks = salvage(content["questions"], excerpt_texts(content), request.form.getlist)
    shown = {"title": content["title"], "summary": content["summary"],
             "level": content["level"], "slug": lesson.slug}
    return render_template(
        "teacher/authoring/preview.html", lesson=shown, real_lesson=lesson,
        version={"number": lesson.version}, content=content,
        questions=quiz_questions(content, marks), token="0" * 32, error=None,
        is_draft=is_draft, submitted=request.method == "POST",
        # The quiz form posts back to the preview, which stores nothing.
        action=url_for("teacher.lesson_preview", lesson_id=lesson.id,
                       **({"published": "1"} if not is_draft and lesson.draft_text else {})))


# --- excerpts -------------------------------------------------------------------------------

def _render_excerpt(lesson: Lesson, *, excerpt_id: str | None = None,
                    error: str | None = None, status: int = 200) -> ResponseReturnValue:
    workspace = service.open_workspace(lesson, compile=False)
    excerpt = workspace.excerpt(excerpt_id) if excerpt_id else None
    if excerpt_id and excerpt is None:
        abort(404, description="There is no such excerpt in this lesson.")
    slug = str(excerpt.get("document")) if excerpt else request.values.get("document", "")
    document = workspace.documents.get(slug)
    if slug and document is None:
        abort(404, description="That document does not exist, or is not one you can quote.")
    marker = None
    if document is not None:
        current = workspace.quote(excerpt) if excerpt else None
        checked = set(range(current.first, current.last + 1)) if current else set()
        if request.method == "POST":
            checked = set(salvage([{"id": "range", "kind": "sourcing", "excerpt": "x"}],
                                  {"x": document.text}, request.form.getlist)["range"]
                          ["sentences"])
        marker = markable_view("range", document.text, "sentence", checked)
    return render_template("teacher/authoring/excerpt.html", lesson=lesson, excerpt=excerpt,
                           document=document, marker=marker, error=error,
                           documents=list(workspace.documents.values())), status


def _save_excerpt(lesson: Lesson, excerpt_id: str | None) -> ResponseReturnValue:
    read = _marks_reader("range")
    try:
        if excerpt_id is None:
            excerpt_id = lesson_excerpts.add_excerpt(lesson, request.form.get("document", ""), read)
            message = f"Excerpt {excerpt_id} added."
        else:
            lesson_excerpts.change_excerpt(lesson, excerpt_id, read)
            message = f"Excerpt {excerpt_id} changed; check the keys of its questions."
    except BadResponse as problem:
        return _render_excerpt(lesson, excerpt_id=excerpt_id, error=str(problem), status=400)
    except service.PartNotFound as error:
        abort(404, description=error.message)
    except service.AuthoringError as error:
        return _render_excerpt(lesson, excerpt_id=excerpt_id, error=error.message,
                               status=error.status)
    flash(message, "success")
    return _to_editor(lesson, f"excerpt-{excerpt_id}")


@bp.route("/lessons/<int:lesson_id>/excerpts/new", methods=["GET", "POST"])
def excerpt_new(lesson_id: int) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    if request.method == "POST":
        return _save_excerpt(lesson, None)
    return _render_excerpt(lesson)


@bp.route("/lessons/<int:lesson_id>/excerpts/<excerpt_id>", methods=["GET", "POST"])
def excerpt_edit(lesson_id: int, excerpt_id: str) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    if request.method == "POST":
        return _save_excerpt(lesson, excerpt_id)
    return _render_excerpt(lesson, excerpt_id=excerpt_id)


@bp.post("/lessons/<int:lesson_id>/excerpts/<excerpt_id>/delete")
def excerpt_delete(lesson_id: int, excerpt_id: str) -> ResponseReturnValue:
    lesson = lesson_to_change(lesson_id)
    with _refused():
        lesson_excerpts.delete_excerpt(lesson, excerpt_id)
    flash(f"Excerpt {excerpt_id} deleted.", "success")
    return _to_editor(lesson, "excerpts")
