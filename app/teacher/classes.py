"""Teacher routes: classes, join codes, rosters and assignments (see app/teacher/__init__.py).

Thin: fetch through app.teacher.access (404 missing, 403 not yours), validate the form,
call app.services.classes / app.services.assignments, flash, redirect. An archived class
is read-only: every change but "unarchive" answers 409.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.auth.forms import EmptyForm
from app.domain.assignment_rules import LEAK_EXPLANATION
from app.domain.grading import GRADING_LABELS
from app.domain.joincodes import display
from app.errors import render_error
from app.models import Assignment, Classroom
from app.services import assignments as assignment_service
from app.services import class_settings, lti_launches
from app.services import classes as class_service
from app.services.classes import ClassProblem
from app.teacher import bp
from app.teacher.access import (
    get_assignment_or_abort,
    get_class_or_abort,
    get_readable_lesson_or_abort,
)
from app.teacher.forms_classes import (
    FEEDBACK_LABELS,
    LATE_LABELS,
    ArchiveForm,
    AssignmentRulesForm,
    ClassNameForm,
    ClassZoneForm,
    DeleteAssignmentForm,
    NewAssignmentForm,
    NewClassForm,
)
from app.teacher.stale import refuse_if_stale
from app.urlinput import query_id
from app.zones import site_zone, zone_name


@bp.context_processor
def _teacher_helpers() -> dict[str, Any]:
    # Pages link to other engineers' pages (results, authoring) only once those exist.
    return {
        "has_endpoint": lambda name: name in current_app.view_functions,
        "join_code": display,
        "grading_labels": GRADING_LABELS,
        "feedback_labels": FEEDBACK_LABELS,
        "late_labels": LATE_LABELS,
        "leak_explanation": LEAK_EXPLANATION,
    }


def _ensure_active(classroom: Classroom) -> None:
    try:
        class_service.ensure_active(classroom)
    except ClassProblem as problem:
        abort(problem.status, description=str(problem))


def _form_status() -> int:
    """Status for a re-shown form: 400 after a refused POST, 200 on a first GET."""
    return 400 if request.method == "POST" else 200


@bp.get("/classes")
def classes() -> ResponseReturnValue:
    return render_template("teacher/classes/index.html",
                           classes=class_service.classes_with_counts(current_user.id))


@bp.route("/classes/new", methods=["GET", "POST"])
def class_new() -> ResponseReturnValue:
    # Without JavaScript the site's zone is chosen; static/js/classes.js picks the
    # browser's (the only place that knows the teacher's own zone).
    form = NewClassForm(data={"timezone": site_zone()})
    if form.validate_on_submit():
        try:
            classroom = class_service.create_class(current_user, form.name.data,
                                                   form.timezone.data)
        except ClassProblem as problem:
            if problem.status != 400:
                return render_error(problem.status, str(problem))
            form.name.errors.append(str(problem))
        else:
            flash(f"Class “{classroom.name}” created. Students join it with the code "
                  f"{display(classroom.join_code)}.", "success")
            return redirect(url_for("teacher.class_detail", class_id=classroom.id), code=303)
    return render_template("teacher/classes/new.html", form=form), _form_status()


def _render_detail(classroom: Classroom, *, rename_form: ClassNameForm | None = None,
                   zone_form: ClassZoneForm | None = None, alert: str | None = None,
                   status: int = 200) -> ResponseReturnValue:
    if rename_form is None:
        rename_form = ClassNameForm(formdata=None, name=classroom.name)
    if zone_form is None:
        zone_form = ClassZoneForm(formdata=None, timezone=zone_name(classroom.timezone))
    zone_form.offer(zone_name(classroom.timezone))
    return render_template(
        "teacher/classes/detail.html", classroom=classroom,
        members=class_service.roster(classroom),
        assignments=assignment_service.of_class(classroom),
        rename_form=rename_form, zone_form=zone_form, alert=alert,
        lms_course=lti_launches.course_of(classroom.id), lms_form=EmptyForm(),
    ), status


@bp.get("/classes/<int:class_id>")
def class_detail(class_id: int) -> ResponseReturnValue:
    return _render_detail(get_class_or_abort(class_id))


@bp.post("/classes/<int:class_id>/rename")
def class_rename(class_id: int) -> ResponseReturnValue:
    classroom = get_class_or_abort(class_id)
    _ensure_active(classroom)
    refuse_if_stale(classroom, "class")
    form = ClassNameForm()
    if form.validate_on_submit():
        try:
            class_service.rename_class(classroom, form.name.data)
        except ClassProblem as problem:
            form.name.errors.append(str(problem))
        else:
            flash(f"Class renamed to “{classroom.name}”.", "success")
            return redirect(url_for("teacher.class_detail", class_id=class_id), code=303)
    return _render_detail(classroom, rename_form=form, status=400)


@bp.post("/classes/<int:class_id>/timezone")
def class_timezone(class_id: int) -> ResponseReturnValue:
    classroom = get_class_or_abort(class_id)
    _ensure_active(classroom)
    refuse_if_stale(classroom, "class")
    form = ClassZoneForm()
    if not form.validate_on_submit():
        return _render_detail(classroom, zone_form=form, status=400)
    class_settings.set_timezone(classroom, form.timezone.data)
    flash(f"“{classroom.name}” now shows and takes its dates in {classroom.timezone} time.",
          "success")
    return redirect(url_for("teacher.class_detail", class_id=class_id) + "#settings-title",
                    code=303)


@bp.post("/classes/<int:class_id>/archive")
def class_archive(class_id: int) -> ResponseReturnValue:
    classroom = get_class_or_abort(class_id)
    refuse_if_stale(classroom, "class")
    form = ArchiveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        class_service.set_archived(classroom, form.wanted(classroom.archived))
    except ClassProblem as problem:
        return _render_detail(classroom, alert=str(problem), status=409)
    if classroom.archived:
        flash(f"“{classroom.name}” is archived: it is read-only, students cannot join it, "
              "and its assignments no longer appear in students' lists.", "success")
    else:
        flash(f"“{classroom.name}” is active again.", "success")
    return redirect(url_for("teacher.class_detail", class_id=class_id), code=303)


@bp.post("/classes/<int:class_id>/code")
def class_regenerate_code(class_id: int) -> ResponseReturnValue:
    classroom = get_class_or_abort(class_id)
    _ensure_active(classroom)
    refuse_if_stale(classroom, "class")
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        classroom = class_service.regenerate_code(classroom)
    except ClassProblem as problem:
        return render_error(problem.status, str(problem))
    flash(f"New join code: {display(classroom.join_code)}. The old code no longer works.",
          "success")
    return redirect(url_for("teacher.class_detail", class_id=class_id), code=303)


@bp.post("/classes/<int:class_id>/students/<int:student_id>/remove")
def class_remove_student(class_id: int, student_id: int) -> ResponseReturnValue:
    classroom = get_class_or_abort(class_id)
    _ensure_active(classroom)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        student = class_service.remove_student(classroom, student_id)
    except ClassProblem as problem:
        abort(problem.status, description=str(problem))
    flash(f"{student.username} was removed from “{classroom.name}”. Their past attempts "
          "are kept; they can no longer open this class's assignments.", "success")
    return redirect(url_for("teacher.class_detail", class_id=class_id), code=303)


# --- assignments --------------------------------------------------------------------


@bp.route("/classes/<int:class_id>/assignments/new", methods=["GET", "POST"])
def assignment_new(class_id: int) -> ResponseReturnValue:
    classroom = get_class_or_abort(class_id)
    _ensure_active(classroom)
    form = NewAssignmentForm(zone=zone_name(classroom.timezone))
    if request.method == "GET":
        # Only a hint for the list: a lesson not in it preselects nothing; an id no row
        # could have is a broken link, a 404 as it would be in a path.
        form.lesson.data = query_id("lesson")
    valid = form.validate_on_submit()
    if request.method == "POST" and isinstance(form.lesson.data, int):
        # A tampered id is treated like any object: 404 missing, 403 another teacher's.
        lesson = get_readable_lesson_or_abort(form.lesson.data)
        if lesson.status != "published":
            form.lesson.errors.append("That lesson is not published yet. Publish it first, "
                                      "or choose another.")
        elif valid:
            assignment_service.create_assignment(classroom, lesson, form.rules())
            flash(f"“{lesson.title}” is assigned to {classroom.name}.", "success")
            _flash_repeated_hour(form)
            return redirect(url_for("teacher.class_detail", class_id=class_id), code=303)
    library, mine = assignment_service.assignable_lessons(current_user.id)
    return render_template("teacher/classes/assignment_new.html", classroom=classroom,
                           form=form, library=library, mine=mine), _form_status()


def _flash_repeated_hour(form: AssignmentRulesForm) -> None:
    """Say which of two equal clock times a date typed in a repeated hour means."""
    for label in form.ambiguous_fields():
        flash(f"{label}: that time happens twice the night the clocks go back; it means the "
              "first one (the page shows its zone abbreviation).", "info")


def _render_edit(assignment: Assignment, form: AssignmentRulesForm,
                 delete_form: DeleteAssignmentForm, status: int) -> ResponseReturnValue:
    return render_template(
        "teacher/classes/assignment_edit.html", assignment=assignment,
        classroom=assignment.classroom, lesson=assignment.lesson, form=form,
        delete_form=delete_form, attempts=assignment_service.attempt_count(assignment),
    ), status


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
def assignment_edit(assignment_id: int) -> ResponseReturnValue:
    assignment = get_assignment_or_abort(assignment_id)
    _ensure_active(assignment.classroom)
    refuse_if_stale(assignment, "assignment")
    form = AssignmentRulesForm(zone=zone_name(assignment.classroom.timezone),
                               assignment=assignment)
    if form.validate_on_submit():
        assignment_service.update_assignment(assignment, form.rules())
        flash(f"Saved the settings of “{assignment.lesson.title}”.", "success")
        _flash_repeated_hour(form)
        return redirect(url_for("teacher.class_detail", class_id=assignment.classroom_id),
                        code=303)
    return _render_edit(assignment, form, DeleteAssignmentForm(formdata=None), _form_status())


@bp.post("/assignments/<int:assignment_id>/delete")
def assignment_delete(assignment_id: int) -> ResponseReturnValue:
    assignment = get_assignment_or_abort(assignment_id)
    _ensure_active(assignment.classroom)
    refuse_if_stale(assignment, "assignment")
    form = DeleteAssignmentForm()
    if not form.validate_on_submit():
        rules = AssignmentRulesForm(formdata=None, zone=zone_name(assignment.classroom.timezone),
                                    assignment=assignment)
        return _render_edit(assignment, rules, form, 400)
    class_id, title = assignment.classroom_id, assignment.lesson.title
    assignment_service.delete_assignment(assignment)
    flash(f"The assignment of “{title}” was deleted. Students' attempts are kept in their "
          "own history.", "success")
    return redirect(url_for("teacher.class_detail", class_id=class_id), code=303)
