"""Teacher routes: a lesson's excerpts (logic in app/services/lesson_excerpts.py).

An excerpt is chosen by ticking the sentences of its document, as a student ticks
sentences; a refused change shows the page again with the sentences as ticked.
"""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask.typing import ResponseReturnValue

from app.domain.responses import BadResponse, salvage
from app.models import Lesson
from app.services import authoring as service
from app.services import lesson_excerpts
from app.student.present import markable_view
from app.teacher import bp
from app.teacher.authoring import _marks_reader, _refused, _to_editor
from app.teacher.stale import lesson_to_change

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
