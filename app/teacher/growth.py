"""Teacher routes: growth studies (pre-test and post-test) of a class, and their results.

Thin: fetch the class or study (404 unless it is the current teacher's; admins see all),
validate the form, call :mod:`app.services.growth` (which owns the transactions and
checks that every assignment belongs to its class) or :mod:`app.services.growth_results`,
render. An archived class's studies can be read, not changed (409).
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.sansio.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.domain.csvsafe import csv_text
from app.domain.growth_chart import slope_svg
from app.domain.growth_words import pts, signed
from app.errors import CSRF_EXPIRED_MESSAGE, register_csrf_error_renderer, render_error
from app.extensions import db
from app.models import Classroom
from app.models.learning import GrowthStudy
from app.services import growth as service
from app.services.classes import ClassProblem
from app.services.growth_results import GROWTH_HEADER, growth_csv_rows, study_results
from app.teacher import bp
from app.teacher.access import typed_again
from app.teacher.forms_growth import DeleteStudyForm, StudyForm
from app.teacher.stale import refuse_if_stale


def _yours(classroom: Classroom | None) -> bool:
    return classroom is not None and (classroom.teacher_id == current_user.id
                                      or current_user.has_role("admin"))


def class_or_404(class_id: int) -> Classroom:
    """The current teacher's class; 404 for a missing class or another teacher's."""
    classroom = db.session.get(Classroom, class_id)
    if not _yours(classroom):
        abort(404)
    return classroom  # type: ignore[return-value]


def study_or_404(study_id: int) -> GrowthStudy:
    """A study of one of the current teacher's classes; 404 otherwise."""
    study = db.session.get(GrowthStudy, study_id)
    if study is None or not _yours(study.classroom):
        abort(404)
    return study


def _form(classroom: Classroom, study: GrowthStudy | None = None,
          formdata: bool = True) -> StudyForm:
    form = (StudyForm(obj=study) if formdata
            else StudyForm(formdata=None, obj=study))
    form.offer(service.class_options(classroom), service.other_classes(classroom))
    return form


def _render_form(classroom: Classroom, form: StudyForm, study: GrowthStudy | None = None,
                 status: int = 200, alert: str | None = None) -> ResponseReturnValue:
    return render_template("teacher/growth/form.html", classroom=classroom, form=form,
                           study=study, delete_form=DeleteStudyForm(formdata=None),
                           alert=alert), status


@bp.get("/classes/<int:class_id>/growth")
def growth_studies(class_id: int) -> ResponseReturnValue:
    classroom = class_or_404(class_id)
    return render_template("teacher/growth/index.html", classroom=classroom,
                           studies=service.studies_of(classroom))


@bp.route("/classes/<int:class_id>/growth/new", methods=["GET", "POST"])
def growth_new(class_id: int) -> ResponseReturnValue:
    classroom = class_or_404(class_id)
    if classroom.archived:
        return render_error(409, "This class is archived, so it is read-only. Unarchive it "
                                 "to add a growth study.")
    form = _form(classroom)
    if form.validate_on_submit():
        try:
            study = service.create_study(classroom, form.choice())
        except service.StudyInvalid as problem:
            form.show_errors(problem.errors)
        except ClassProblem as problem:
            return render_error(problem.status, str(problem))
        else:
            flash(f"Growth study “{study.name}” saved.", "success")
            return redirect(url_for("teacher.growth_results", study_id=study.id), code=303)
    return _render_form(classroom, form, status=400 if request.method == "POST" else 200)


@bp.route("/growth/<int:study_id>/edit", methods=["GET", "POST"])
def growth_edit(study_id: int) -> ResponseReturnValue:
    study = study_or_404(study_id)
    classroom = study.classroom
    if classroom.archived:
        return render_error(409, "This class is archived, so its studies are read-only.")
    refuse_if_stale(study, "study")
    form = _form(classroom, study)
    if form.validate_on_submit():
        try:
            service.update_study(study, form.choice())
        except service.StudyInvalid as problem:
            form.show_errors(problem.errors)
        except ClassProblem as problem:
            return render_error(problem.status, str(problem))
        else:
            flash(f"Growth study “{study.name}” saved.", "success")
            return redirect(url_for("teacher.growth_results", study_id=study.id), code=303)
    return _render_form(classroom, form, study,
                        status=400 if request.method == "POST" else 200)


@bp.post("/growth/<int:study_id>/delete")
def growth_delete(study_id: int) -> ResponseReturnValue:
    study = study_or_404(study_id)
    classroom = study.classroom
    if classroom.archived:
        return render_error(409, "This class is archived, so its studies are read-only.")
    refuse_if_stale(study, "study")
    if not DeleteStudyForm().validate_on_submit():
        abort(400)
    name = study.name
    service.delete_study(study)
    flash(f"Growth study “{name}” deleted. The assignments and attempts are untouched.",
          "success")
    return redirect(url_for("teacher.growth_studies", class_id=classroom.id), code=303)


@bp.get("/growth/<int:study_id>")
def growth_results(study_id: int) -> ResponseReturnValue:
    study = study_or_404(study_id)
    results = study_results(study)
    chart = slope_svg(
        [(row.username, row.pre.percent, row.post.percent) for row in results.own.rows
         if row.counted],  # type: ignore[union-attr]
        title=f"Each student's score on the pre-test and the post-test of “{study.name}”")
    return render_template("teacher/growth/results.html", study=study, results=results,
                           classroom=study.classroom, chart=chart, pts=pts,
                           signed=signed)


@bp.get("/growth/<int:study_id>.csv")
def growth_csv(study_id: int) -> ResponseReturnValue:
    """The results page's per-student numbers, for a spreadsheet."""
    study = study_or_404(study_id)
    name = f"growth-study-{study.id}.csv"
    return Response(csv_text(GROWTH_HEADER, growth_csv_rows(study_results(study))),
                    mimetype="text/csv", headers={
                        "Content-Disposition": f'attachment; filename="{name}"',
                        "Cache-Control": "no-store"})



# --- an expired form keeps what was chosen -----------------------------------------------


def _new_expired() -> ResponseReturnValue:
    classroom = class_or_404((request.view_args or {}).get("class_id", 0))
    return _render_form(classroom, _form(classroom), status=400, alert=CSRF_EXPIRED_MESSAGE)


def _edit_expired() -> ResponseReturnValue:
    study = study_or_404((request.view_args or {}).get("study_id", 0))
    return _render_form(study.classroom, _form(study.classroom, study), study, status=400,
                        alert=CSRF_EXPIRED_MESSAGE)


@bp.record_once
def _install_csrf_renderers(state: BlueprintSetupState) -> None:
    register_csrf_error_renderer(state.app, "teacher.growth_new", typed_again(_new_expired))
    register_csrf_error_renderer(state.app, "teacher.growth_edit", typed_again(_edit_expired))
