"""Teacher routes: lessons in and out as files: import, export, copy (logic in
app/services/lesson_files.py).

Export and copy only read the lesson (``get_readable_lesson_or_abort``: the starter library
may be copied, and copying is how a teacher changes it); import creates a lesson of the
teacher's own. A file with problems is shown again with them, as a 400.
"""

from __future__ import annotations

from urllib.parse import quote as url_quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.domain.lessons import LessonInvalid
from app.errors import CSRF_EXPIRED_MESSAGE, register_csrf_error_renderer
from app.services import lesson_files
from app.services.authoring import AuthoringError, file_name, normalise_pasted
from app.teacher import bp
from app.teacher.access import get_readable_lesson_or_abort, typed_again
from app.teacher.authoring import _refused, _to_editor
from app.teacher.forms_authoring import ImportForm


@bp.route("/lessons/import", methods=["GET", "POST"])
def lesson_import() -> ResponseReturnValue:
    form = ImportForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("teacher/authoring/import.html", form=form), status
    if form.file.data:
        raw = form.file.data.read()
        path = form.file.data.filename or "upload.yaml"
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            form.file.errors.append("That file is not UTF-8 text.")
            return render_template("teacher/authoring/import.html", form=form), 400
    else:
        # Browsers send a textarea with CRLF line breaks; the teacher typed LF.
        text, path = normalise_pasted(form.text.data), "pasted.yaml"
    try:
        lesson = lesson_files.import_lesson(current_user, text, path=path,
                                            new_slug=form.new_slug.data or None)
    except LessonInvalid as invalid:
        form.text.data = text
        return render_template("teacher/authoring/import.html", form=form,
                               issues=invalid.issues), 400
    except lesson_files.SlugTaken as taken:
        form.text.data = text
        form.new_slug.data = taken.suggestion
        return render_template("teacher/authoring/import.html", form=form,
                               clash=taken.message), 409
    except AuthoringError as error:
        form.text.data = text
        return render_template("teacher/authoring/import.html", form=form,
                               clash=error.message), error.status
    flash(f"Imported “{lesson.title}” as version 1.", "success")
    return _to_editor(lesson)


@bp.post("/lessons/<int:lesson_id>/copy")
def lesson_copy(lesson_id: int) -> ResponseReturnValue:
    lesson = get_readable_lesson_or_abort(lesson_id)
    with _refused():
        copy = lesson_files.copy_lesson(lesson, current_user)
    flash(f"Copied “{lesson.title}”. This copy is yours to edit.", "success")
    return redirect(url_for("teacher.lesson_edit", lesson_id=copy.id), code=303)


@bp.get("/lessons/<int:lesson_id>/export.yaml")
def lesson_export(lesson_id: int) -> ResponseReturnValue:
    lesson = get_readable_lesson_or_abort(lesson_id)
    draft = request.args.get("draft") == "1"
    text = lesson_files.export_text(lesson, draft=draft)
    if text is None:
        abort(404, description="There is no unpublished draft to export." if draft else
              "This lesson has not been published yet; export its draft instead.")
    filename = file_name(lesson)
    return Response(text.encode("utf-8"), mimetype="text/yaml", headers={
        "Content-Type": "text/yaml; charset=utf-8",
        "Content-Disposition": f"attachment; filename=\"{filename}\"; "
                               f"filename*=UTF-8''{url_quote(filename)}"})


# --- an expired import form: shown again with what was typed --------------------------

def _import_expired() -> ResponseReturnValue:
    return render_template("teacher/authoring/import.html", form=ImportForm(),
                           clash=CSRF_EXPIRED_MESSAGE), 400


@bp.record_once
def _install_csrf_renderer(state: BlueprintSetupState) -> None:
    register_csrf_error_renderer(state.app, "teacher.lesson_import", typed_again(_import_expired))
