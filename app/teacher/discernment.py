"""Teacher routes: a class's discernment (see app/teacher/__init__.py).

Who tells loaded from neutral, and who marks freely: per student, the class and per
technique, a chart and the CSV. Thin: the class through app.teacher.access (404 missing,
403 not yours), the numbers from app.services.discernment, the chart from
app.domain.discernment_chart. ``?assignment=<id>`` narrows everything to one of the
class's assignments.
"""

from __future__ import annotations

from flask import Response, abort, render_template
from flask.typing import ResponseReturnValue

from app.domain.csvsafe import csv_text
from app.domain.discernment_chart import discernment_svg
from app.models import Classroom
from app.services import discernment as discernment_service
from app.services import results_csv
from app.services.results import AssignmentInfo, class_assignments
from app.teacher import bp
from app.teacher.access import get_class_or_abort
from app.urlinput import query_id


def _chosen(classroom: Classroom) -> tuple[list[AssignmentInfo], AssignmentInfo | None]:
    """The class's assignments and the one ``?assignment=`` names (None: all of them);
    404 when it names none of this class's."""
    assignments = class_assignments(classroom.id)
    wanted = query_id("assignment")
    if wanted is None:
        return assignments, None
    chosen = next((info for info in assignments if info.id == wanted), None)
    if chosen is None:
        abort(404, description="This class has no such assignment. Choose one from the "
                               "list on the class's discernment page.")
    return assignments, chosen


@bp.get("/classes/<int:class_id>/discernment")
def discernment(class_id: int) -> ResponseReturnValue:
    classroom = get_class_or_abort(class_id)
    assignments, chosen = _chosen(classroom)
    report = discernment_service.class_discernment(classroom,
                                                   chosen.id if chosen else None)
    scope = f"“{chosen.title}”" if chosen else "all assignments"
    chart = discernment_svg([line.measure for line in report.measured],
                            title=f"Loaded items found against neutral items marked, "
                                  f"{classroom.name}, {scope}",
                            pooled=report.pooled)
    return render_template("teacher/results/discernment.html", classroom=classroom,
                           assignments=assignments, chosen=chosen, report=report,
                           chart=chart)


@bp.get("/classes/<int:class_id>/discernment.csv")
def discernment_csv(class_id: int) -> ResponseReturnValue:
    classroom = get_class_or_abort(class_id)
    _, chosen = _chosen(classroom)
    report = discernment_service.class_discernment(classroom,
                                                   chosen.id if chosen else None)
    name = f"class-{classroom.id}-discernment" + (f"-assignment-{chosen.id}" if chosen else "")
    return Response(csv_text(results_csv.DISCERNMENT_HEADER,
                             results_csv.discernment_csv_rows(report)),
                    mimetype="text/csv", headers={
                        "Content-Disposition": f'attachment; filename="{name}.csv"',
                        "Cache-Control": "no-store"})
