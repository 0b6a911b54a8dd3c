"""Privacy routes: "My data" (download as JSON) and deleting a student's account.

Thin: authorise, call app.services.privacy, render or redirect. Pages that show
answers or scores are sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.auth.forms import EmptyForm
from app.extensions import db
from app.models import User
from app.privacy import bp
from app.privacy.forms import DeleteStudentForm
from app.services import privacy as privacy_service

NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/me/data")
@login_required
def my_data() -> ResponseReturnValue:
    return render_template("privacy/my_data.html"), 200, NO_STORE


@bp.get("/me/data.json")
@login_required
def my_data_json() -> ResponseReturnValue:
    data = privacy_service.export_student(current_user)
    filename = f"framinglab-{current_user.username}.json"
    # <, > and & escaped (still valid JSON): a browser sniffing it as HTML finds no tags.
    body = (json.dumps(data, ensure_ascii=False, indent=2).replace("<", "\\u003c")
            .replace(">", "\\u003e").replace("&", "\\u0026"))
    return Response(body, mimetype="application/json",
                    headers={**NO_STORE,
                             "Content-Disposition": f'attachment; filename="{filename}"'})


def get_deletable_student_or_abort(student_id: int) -> User:
    """The student ``student_id`` if the current user may delete them.

    404 if there is no such user; 403 for a student or a teacher who does not teach
    them, and for an account that is not a student's.
    """
    if not current_user.has_role("teacher", "admin"):
        abort(403)
    student = db.session.get(User, student_id)
    if student is None:
        abort(404)
    if not student.has_role("student") or not privacy_service.may_delete(current_user, student):
        abort(403)
    return student


@bp.route("/students/<int:student_id>/delete", methods=["GET", "POST"])
@login_required
def delete_student(student_id: int) -> ResponseReturnValue:
    student = get_deletable_student_or_abort(student_id)
    refused = privacy_service.deletion_refused(current_user, student)
    form = DeleteStudentForm()
    if refused is not None:
        # A student shared with another teacher: offer "remove from my classes" instead.
        status = 409 if request.method == "POST" else 200
        return render_template("privacy/delete_student.html", form=form, student=student,
                               refused=refused, remove_form=EmptyForm()), status
    if form.validate_on_submit():
        if (form.confirm.data or "").strip().lower() == student.username:
            username = student.username
            try:
                privacy_service.delete_student(student.id, actor=current_user)
            except privacy_service.PrivacyProblem as problem:
                return render_template("privacy/delete_student.html", form=form,
                                       student=student, refused=str(problem),
                                       remove_form=EmptyForm()), problem.status
            flash(f"{username} and all their data were deleted.", "success")
            return redirect(url_for("teacher.classes"), code=303)
        form.confirm.errors.append(f"That is not {student.username}: nothing was deleted.")
    status = 400 if form.is_submitted() else 200
    return render_template("privacy/delete_student.html", form=form, student=student,
                           refused=None), status


@bp.post("/students/<int:student_id>/remove-from-my-classes")
@login_required
def remove_from_my_classes(student_id: int) -> ResponseReturnValue:
    """What a teacher may do instead of deleting a student another teacher also has."""
    if not current_user.has_role("teacher"):
        abort(403)
    student = get_deletable_student_or_abort(student_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    removed = privacy_service.remove_from_classes_of(current_user.id, student.id)
    flash(f"{student.username} was removed from {removed} of your classes. Their past "
          "attempts are kept.", "success")
    return redirect(url_for("teacher.classes"), code=303)
