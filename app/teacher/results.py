"""Teacher routes: class results (see app/teacher/__init__.py).

The gradebook, one assignment's item analysis, one student's attempts, and two CSV
exports. Thin: fetch through app.teacher.access (404 missing, 403 not yours), ask
app.services.results, render. Every page runs a fixed number of queries whatever the
class size (tests/web/test_query_counts.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from flask import Response, abort, get_template_attribute, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from app.domain import analysis, paging
from app.domain.adjusted_grades import Note
from app.domain.charts import distribution_svg
from app.domain.csvsafe import csv_text
from app.domain.numbers import percent_value
from app.models import Classroom, utcnow
from app.services import contests as contest_service
from app.services import discernment as discernment_service
from app.services import results as results_service
from app.services import results_csv
from app.student.present import reason_label
from app.teacher import bp
from app.teacher.access import get_assignment_or_abort, get_class_or_abort


def _csv_response(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store"})


@bp.get("/classes/<int:class_id>/gradebook")
def gradebook(class_id: int) -> ResponseReturnValue:
    """Every student graded and sorted, a page of them shown (``?page=``, ``?sort=&dir=``)."""
    classroom = get_class_or_abort(class_id)
    try:
        number = paging.parse_page(request.args.get("page"))
    except ValueError as problem:
        abort(400, description=f"{problem} Use the page links below the table.")
    book = results_service.gradebook(classroom, utcnow())
    try:
        column, descending = analysis.parse_sort(request.args.get("sort"),
                                                 request.args.get("dir"),
                                                 [a.key for a in book.assignments])
    except ValueError as problem:
        abort(400, description=f"{problem} Use the links in the table's header to sort it.")
    rows = analysis.sort_gradebook(book.rows, column, descending)
    page = paging.Page(number, analysis.STUDENTS_PER_PAGE, len(rows))
    if not page.exists:
        abort(404, description=f"This gradebook has no page {number}: its students fill "
                               f"{page.count} page{'' if page.count == 1 else 's'}.")
    # What the pager's links keep (the sort), left out when it is the default.
    sort_args = {} if column is None and not descending else {
        "sort": "student" if column is None else book.assignments[column].key,
        "dir": "desc" if descending else "asc"}
    cell_html = _grade_cells()
    notes = book.notes
    shown = [(row, [cell_html(cell) if (row.student_id, index) not in notes
                    else cell_html(*_noted(notes[row.student_id, index]))
                    for index, cell in enumerate(row.cells)])
             for row in rows[page.start:page.stop]]
    # Discernment (d′) of the students shown (summing every student's counts would take
    # longer than grading them all); the class mean is on the discernment page.
    discernment = discernment_service.overall_by_student(
        classroom, [row.student_id for row, _ in shown])
    return render_template("teacher/results/gradebook.html", classroom=classroom, book=book,
                           rows=shown, page=page, sort_args=sort_args, sort_column=column,
                           descending=descending, discernment=discernment)


def _noted(note: Note) -> tuple[analysis.Cell, float | None, bool]:
    """A changed cell as the macro takes it: computed standing, override, extended."""
    return note.computed, note.override, note.extended_to is not None


def _grade_cells() -> Callable[..., Markup]:
    """The ``grade_cell`` macro, remembering its output per distinct cell.

    A page of 100 students by 50 assignments has 5,000 cells but only as many different
    ones as there are different grades, attempt counts and statuses: each is rendered
    once (by the macro, so escaping and wording stay in the template) and then reused.
    """
    return lru_cache(maxsize=None)(
        get_template_attribute("teacher/results/_macros.html", "grade_cell"))


@bp.get("/classes/<int:class_id>/gradebook.csv")
def gradebook_csv(class_id: int) -> ResponseReturnValue:
    classroom = get_class_or_abort(class_id)
    header, rows = results_csv.gradebook_csv_rows(
        results_service.gradebook(classroom, utcnow()),
        discernment_service.overall_by_student(classroom))
    return _csv_response(csv_text(header, rows), f"class-{classroom.id}-gradebook.csv")


@bp.get("/classes/<int:class_id>/responses.csv")
def responses_csv(class_id: int) -> ResponseReturnValue:
    classroom = get_class_or_abort(class_id)
    return _csv_response(csv_text(results_csv.RESPONSE_HEADER,
                                  results_csv.responses_csv_rows(classroom)),
                         f"class-{classroom.id}-responses.csv")


@bp.get("/assignments/<int:assignment_id>/results")
def assignment_results(assignment_id: int) -> ResponseReturnValue:
    assignment = get_assignment_or_abort(assignment_id)
    classroom: Classroom = assignment.classroom
    results = results_service.assignment_results(assignment)
    chart = distribution_svg(results.bands, title=f"Grades on “{results.info.title}”")
    open_contests = contest_service.open_counts(current_user, assignment.lesson_id)
    info = results.info
    may_regrade = info.owner_id is not None and (
        info.owner_id == current_user.id or current_user.has_role("admin"))
    return render_template("teacher/results/assignment.html", classroom=classroom,
                           results=results, chart=chart, open_contests=open_contests,
                           may_regrade=may_regrade, whole=percent_value,
                           contests_url=url_for("teacher.lesson_contests",
                                                lesson_id=assignment.lesson_id),
                           moodle_doc=analysis.MOODLE_STATISTICS_DOC)


@bp.get("/classes/<int:class_id>/students/<int:student_id>")
def student_attempts(class_id: int, student_id: int) -> ResponseReturnValue:
    classroom = get_class_or_abort(class_id)
    student = results_service.enrolled_student(classroom, student_id)
    if student is None:
        abort(404)
    sections = results_service.student_sections(classroom, student, utcnow())
    return render_template("teacher/results/student.html", classroom=classroom,
                           student=student, sections=sections, reason_label=reason_label)
