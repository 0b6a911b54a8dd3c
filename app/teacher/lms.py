"""Teacher routes for a class linked to an LMS: the scores sent back to the LMS's
gradebook (sent / pending / failed, with "Send again"), and filling the roster from it.

The assignment's or class's teacher only (an admin may look too); anyone else gets 404,
as on the other per-assignment pages.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from app.auth.forms import EmptyForm
from app.extensions import db
from app.lti import sending
from app.models import Enrollment, User
from app.services import lti_grades, lti_launches, lti_roster
from app.teacher import bp
from app.teacher.access import own_assignment_or_404, own_class_or_404


@bp.get("/assignments/<int:assignment_id>/lms")
def lms_scores(assignment_id: int) -> ResponseReturnValue:
    assignment = own_assignment_or_404(assignment_id)
    links = lti_grades.links_of(assignment.id)
    sends = lti_grades.status_of(assignment.id)
    students = list(db.session.scalars(
        db.select(User).join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.classroom_id == assignment.classroom_id).order_by(User.username)))
    counts = {status: sum(1 for row in sends.values() if row.status == status)
              for status in ("sent", "pending", "failed")}
    if counts["pending"]:  # whatever is due goes out once this page has been sent
        sending.send_after_response(assignment_id=assignment.id)
    return render_template("teacher/results/lms.html", assignment=assignment,
                           classroom=assignment.classroom, lesson=assignment.lesson,
                           links=links, sends=sends, students=students, counts=counts,
                           form=EmptyForm())


@bp.post("/assignments/<int:assignment_id>/lms/send")
def lms_send_again(assignment_id: int) -> ResponseReturnValue:
    assignment = own_assignment_or_404(assignment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    link_ids = lti_grades.link_ids(assignment_id=assignment.id)
    if not link_ids:
        flash("This assignment is not linked from an LMS course: there is nothing to send.",
              "info")
        return redirect(url_for("teacher.lms_scores", assignment_id=assignment.id), code=303)
    lti_grades.queue(assignment)  # in case a grade changed without being queued
    lti_grades.retry(link_ids)
    db.session.commit()
    # At most 20 seconds here (the server's time-out is 60); the rest stays due.
    report = lti_grades.send_due(link_ids=link_ids, budget=20)
    flash(f"Sent {report.sent} score{'' if report.sent == 1 else 's'}"
          + (f"; {report.pending} will be tried again later" if report.pending else "")
          + (f"; {report.failed} failed" if report.failed else "") + ".",
          "success" if not (report.pending or report.failed) else "warning")
    return redirect(url_for("teacher.lms_scores", assignment_id=assignment.id), code=303)


@bp.post("/classes/<int:class_id>/lms-roster")
def lms_roster(class_id: int) -> ResponseReturnValue:
    classroom = own_class_or_404(class_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    context = lti_launches.course_of(classroom.id)
    if context is None:
        flash("This class is not linked to a course in an LMS.", "info")
        return redirect(url_for("teacher.class_detail", class_id=classroom.id), code=303)
    try:
        report = lti_roster.sync(context)
    except lti_roster.RosterProblem as problem:
        flash(problem.message, "error")
        return redirect(url_for("teacher.class_detail", class_id=classroom.id), code=303)
    parts = [f"Added {report.added} student{'' if report.added == 1 else 's'} from the LMS",
             f"{report.already} already in the class"]
    if report.inactive:
        parts.append(f"{report.inactive} inactive in the LMS (left as they are)")
    if report.truncated:
        parts.append(f"only the first {lti_roster.MAX_MEMBERS} members were read")
    flash("; ".join(parts) + ".", "success")
    return redirect(url_for("teacher.class_detail", class_id=classroom.id), code=303)
