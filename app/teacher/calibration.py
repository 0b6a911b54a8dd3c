"""Teacher route: "How sure are you?" for one assignment (calibration).

Thin: the assignment's class must be the teacher's (an admin may look too); to anyone
else the page does not exist (404), so another teacher learns nothing about the class.
Students never reach it (the blueprint refuses them). The numbers come from
:mod:`app.services.calibration`; the chart from :mod:`app.domain.calibration_chart`.
"""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.domain.calibration_chart import accuracy_svg
from app.extensions import db
from app.models import Assignment
from app.services import calibration as calibration_service
from app.teacher import bp


def _own_assignment_or_404(assignment_id: int) -> Assignment:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or (assignment.classroom.teacher_id != current_user.id
                              and not current_user.has_role("admin")):
        abort(404)
    return assignment


@bp.get("/assignments/<int:assignment_id>/calibration")
def assignment_calibration(assignment_id: int) -> ResponseReturnValue:
    assignment = _own_assignment_or_404(assignment_id)
    result = calibration_service.of_assignment(assignment)
    title = f"Mean score by how sure students were: “{assignment.lesson.title}”"
    return render_template("teacher/results/calibration.html", assignment=assignment,
                           classroom=assignment.classroom, lesson=assignment.lesson,
                           result=result, chart=accuracy_svg(result.levels, title=title))
