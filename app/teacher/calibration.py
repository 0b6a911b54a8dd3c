"""Teacher route: "How sure are you?" for one assignment (calibration).

Thin: the assignment's class must be the teacher's (an admin may look too); to anyone
else the page does not exist (404), so another teacher learns nothing about the class.
Students never reach it (the blueprint refuses them). The numbers come from
:mod:`app.services.calibration`; the chart from :mod:`app.domain.calibration_chart`.
"""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from app.domain.calibration_chart import accuracy_svg
from app.services import calibration as calibration_service
from app.teacher import bp
from app.teacher.access import own_assignment_or_404


@bp.get("/assignments/<int:assignment_id>/calibration")
def assignment_calibration(assignment_id: int) -> ResponseReturnValue:
    assignment = own_assignment_or_404(assignment_id)
    result = calibration_service.of_assignment(assignment)
    title = f"Mean score by how sure students were: “{assignment.lesson.title}”"
    return render_template("teacher/results/calibration.html", assignment=assignment,
                           classroom=assignment.classroom, lesson=assignment.lesson,
                           result=result, chart=accuracy_svg(result.levels, title=title))
