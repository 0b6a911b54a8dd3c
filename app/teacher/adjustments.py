"""Teacher routes: one student on one assignment — a later due date, a grade of your own.

Reached from the student's results page (each assignment's section). Thin: fetch through
app.teacher.access (404 missing, 403 not your class; the student must be enrolled, else
404), validate the form, call app.services.adjustments, flash, redirect. A refused form
is shown again with what was typed and 400; an archived class is read-only (409).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.auth.forms import EmptyForm
from app.domain.assignment_rules import RuleProblem
from app.domain.timezones import to_local
from app.models import Assignment, User
from app.services import adjustments
from app.services import results as results_service
from app.services.classes import ClassProblem
from app.teacher import bp
from app.teacher.access import get_assignment_or_abort
from app.teacher.forms_adjustments import ExtensionForm, OverrideForm
from app.zones import local_text, zone_name


def _fetch(assignment_id: int, student_id: int) -> tuple[Assignment, User]:
    assignment = get_assignment_or_abort(assignment_id)
    student = results_service.enrolled_student(assignment.classroom, student_id)
    if student is None:
        abort(404, description="That student is not in this class.")
    return assignment, student


def _render(assignment: Assignment, student: User, *,
            extension_form: ExtensionForm | None = None,
            override_form: OverrideForm | None = None, alert: str | None = None,
            status: int = 200) -> ResponseReturnValue:
    classroom = assignment.classroom
    zone = zone_name(classroom.timezone)
    change = adjustments.of_student(assignment.id, student.id)
    if extension_form is None:
        extended_to = change.extended_to
        extension_form = ExtensionForm(formdata=None, zone=zone, due_at=None if (
            extended_to is None) else to_local(extended_to, zone).replace(tzinfo=None))
    if override_form is None:
        override = change.override
        override_form = OverrideForm(
            formdata=None, percent="" if override is None else f"{override.percent:g}",
            comment="" if override is None else override.comment)
    return render_template(
        "teacher/classes/student_adjust.html", assignment=assignment, classroom=classroom,
        lesson=assignment.lesson, student=student, change=change,
        computed=adjustments.computed_grade(assignment, student.id),
        extension_form=extension_form, override_form=override_form,
        empty_form=EmptyForm(formdata=None), alert=alert), status


def _back(assignment: Assignment, student: User) -> ResponseReturnValue:
    return redirect(url_for("teacher.student_adjust", assignment_id=assignment.id,
                            student_id=student.id), code=303)


@bp.get("/assignments/<int:assignment_id>/students/<int:student_id>")
def student_adjust(assignment_id: int, student_id: int) -> ResponseReturnValue:
    return _render(*_fetch(assignment_id, student_id))


@bp.post("/assignments/<int:assignment_id>/students/<int:student_id>/extension")
def student_extension(assignment_id: int, student_id: int) -> ResponseReturnValue:
    assignment, student = _fetch(assignment_id, student_id)
    form = ExtensionForm(zone=zone_name(assignment.classroom.timezone))
    if not form.validate_on_submit() or form.due_utc is None:
        return _render(assignment, student, extension_form=form, status=400)
    try:
        adjustments.set_extension(assignment, student, form.due_utc, current_user)
    except ClassProblem as problem:
        return _render(assignment, student, extension_form=form, alert=str(problem),
                       status=problem.status)
    except RuleProblem as problem:
        form.due_at.errors = [str(problem)]
        return _render(assignment, student, extension_form=form, status=400)
    flash(f"{student.username} now has until "
          f"{local_text(form.due_utc, assignment.classroom.timezone)} for "
          f"“{assignment.lesson.title}”.", "success")
    return _back(assignment, student)


def _undo(assignment: Assignment, student: User, undo: Callable[[Assignment, User], bool],
          done: str, nothing: str) -> ResponseReturnValue:
    """Remove an extension or an override (``undo`` says whether there was one)."""
    if not EmptyForm().validate_on_submit():
        abort(400, description="This form is incomplete or expired. Reload the page and try "
                               "again.")
    try:
        undone = undo(assignment, student)
    except ClassProblem as problem:
        return _render(assignment, student, alert=str(problem), status=problem.status)
    flash(done if undone else nothing, "success" if undone else "info")
    return _back(assignment, student)


@bp.post("/assignments/<int:assignment_id>/students/<int:student_id>/extension/remove")
def student_extension_remove(assignment_id: int, student_id: int) -> ResponseReturnValue:
    assignment, student = _fetch(assignment_id, student_id)
    return _undo(assignment, student, adjustments.remove_extension,
                 f"{student.username} is back on the class's due date.",
                 f"{student.username} had no extension.")


@bp.post("/assignments/<int:assignment_id>/students/<int:student_id>/override")
def student_override(assignment_id: int, student_id: int) -> ResponseReturnValue:
    assignment, student = _fetch(assignment_id, student_id)
    form = OverrideForm()
    if not form.validate_on_submit():
        return _render(assignment, student, override_form=form, status=400)
    try:
        adjustments.set_override(assignment, student, form.value(), form.comment.data or "",
                                 current_user)
    except ClassProblem as problem:
        return _render(assignment, student, override_form=form, alert=str(problem),
                       status=problem.status)
    except RuleProblem as problem:
        form.percent.errors = [str(problem)]
        return _render(assignment, student, override_form=form, status=400)
    flash(f"Saved your grade for {student.username} on “{assignment.lesson.title}”.",
          "success")
    return _back(assignment, student)


@bp.post("/assignments/<int:assignment_id>/students/<int:student_id>/override/remove")
def student_override_remove(assignment_id: int, student_id: int) -> ResponseReturnValue:
    assignment, student = _fetch(assignment_id, student_id)
    return _undo(assignment, student, adjustments.clear_override,
                 f"{student.username}'s computed grade counts again.",
                 f"{student.username} had no grade of yours to clear.")
