"""A class's roster tools: importing a class list, resetting a student's password, and the
join link as a QR code and a printable sheet.

Thin: fetch the class through app.teacher.access (404 missing, 403 not yours), read the
form, call app/domain/rosters.py and app/services (rosters, account_changes), render.
Pages holding first-time or temporary passwords are sent with ``Cache-Control: no-store``
and are the only place those passwords ever appear.
"""

from __future__ import annotations

from typing import Final

from flask import Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.auth.forms import EmptyForm
from app.domain.qr import qr_svg
from app.domain.rosters import MAX_ROSTER_BYTES, RosterProblem, decode_roster, parse_roster
from app.extensions import db
from app.models import Classroom, User
from app.services import account_changes
from app.services import classes as class_service
from app.services.account_changes import AccountProblem
from app.services.classes import ClassProblem
from app.services.rosters import import_roster
from app.teacher import bp
from app.teacher.access import get_class_or_abort
from app.teacher.forms_roster import RosterForm, RosterTooLarge

NO_STORE: Final = {"Cache-Control": "no-store"}
TOO_LARGE: Final = (f"That list is larger than {MAX_ROSTER_BYTES // 1024} KB. Import the "
                    "class in smaller lists.")


def join_url(classroom: Classroom) -> str:
    """The link that joins ``classroom`` (what its QR code holds)."""
    return url_for("student.join_link", code=classroom.join_code, _external=True)


def _active_class_or_abort(class_id: int) -> Classroom:
    classroom = get_class_or_abort(class_id)
    try:
        class_service.ensure_active(classroom)
    except ClassProblem as problem:
        abort(problem.status, description=str(problem))
    return classroom


def _render_form(classroom: Classroom, form: RosterForm, status: int, *,
                 alert: str | None = None, refused: list | None = None) -> ResponseReturnValue:
    return render_template("teacher/roster/import.html", classroom=classroom, form=form,
                           alert=alert, refused=refused or []), status


@bp.route("/classes/<int:class_id>/roster/import", methods=["GET", "POST"])
def roster_import(class_id: int) -> ResponseReturnValue:
    classroom = _active_class_or_abort(class_id)
    form = RosterForm()
    if not form.validate_on_submit():
        return _render_form(classroom, form, 400 if form.is_submitted() else 200)
    try:
        raw = form.roster_bytes()
    except RosterTooLarge:
        return _render_form(classroom, form, 413, alert=TOO_LARGE)
    try:
        roster = parse_roster(decode_roster(raw) if isinstance(raw, bytes) else raw)
    except RosterProblem as problem:
        return _render_form(classroom, form, 400, alert=str(problem))
    if not roster.usernames:
        alert = ("No line of the list holds a username that can be used, so nothing was "
                 "imported." if roster.lines else "The list is empty.")
        return _render_form(classroom, form, 400, alert=alert, refused=roster.refused)
    try:
        report = import_roster(current_user, classroom, roster)
    except ClassProblem as problem:
        return _render_form(classroom, form, problem.status, alert=str(problem))
    return render_template("teacher/roster/result.html", classroom=classroom, report=report,
                           join_url=join_url(classroom)), 200, NO_STORE


def _student_in_class_or_abort(classroom: Classroom, student_id: int) -> User:
    """The student ``student_id`` of ``classroom``: 404 if no such account, 403 if it is
    not a student of this class (another teacher's, or a teacher's or admin's account)."""
    student = db.session.get(User, student_id)
    if student is None:
        abort(404, description="There is no such student. The account may have been deleted.")
    if not student.has_role("student") or not class_service.is_member(classroom, student):
        abort(403, description="You can reset the passwords of students in your classes only.")
    return student


@bp.route("/classes/<int:class_id>/students/<int:student_id>/reset-password",
          methods=["GET", "POST"])
def student_password_reset(class_id: int, student_id: int) -> ResponseReturnValue:
    classroom = get_class_or_abort(class_id)
    student = _student_in_class_or_abort(classroom, student_id)
    if request.method == "GET":
        return render_template("teacher/roster/reset.html", classroom=classroom,
                               student=student)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        password = account_changes.reset_password(current_user, student)
    except AccountProblem as problem:
        abort(problem.status, description=str(problem))
    return render_template(
        "auth/temporary_password.html", account=student, password=password,
        back_url=url_for("teacher.class_detail", class_id=classroom.id),
        back_label=f"Back to {classroom.name}"), 200, NO_STORE


@bp.get("/classes/<int:class_id>/qr.svg")
def class_qr(class_id: int) -> ResponseReturnValue:
    classroom = _active_class_or_abort(class_id)
    # Private: the code lets anyone in; no-cache, since a new code changes the image.
    return Response(qr_svg(join_url(classroom)), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, no-cache"})


@bp.get("/classes/<int:class_id>/join-sheet")
def join_sheet(class_id: int) -> ResponseReturnValue:
    classroom = _active_class_or_abort(class_id)
    return render_template("teacher/roster/join_sheet.html", classroom=classroom,
                           join_url=join_url(classroom))
