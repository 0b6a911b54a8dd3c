"""Teacher routes: regrading a lesson's past attempts with its current version (logic in
app/services/regrading.py).

The page lists whose score would change, and whose cannot be rescored and why; applying
it is one POST carrying the plan's fingerprint, refused if the plan changed since.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from app.services import regrading
from app.teacher import bp
from app.teacher.access import get_editable_lesson_or_abort
from app.teacher.authoring import _refused
from app.teacher.forms_authoring import RegradeForm


@bp.route("/lessons/<int:lesson_id>/regrade", methods=["GET", "POST"])
def lesson_regrade(lesson_id: int) -> ResponseReturnValue:
    lesson = get_editable_lesson_or_abort(lesson_id)
    form = RegradeForm()
    if form.validate_on_submit():
        with _refused():
            changed = regrading.apply_regrade(lesson, form.fingerprint.data)
        flash(f"Regraded {changed} attempt{'s' if changed != 1 else ''} with version "
              f"{lesson.version}.", "success")
        return redirect(url_for("teacher.lesson_regrade", lesson_id=lesson.id), code=303)
    if form.is_submitted():
        abort(400, description="This regrade form is incomplete; reload the page.")
    plan = regrading.regrade_plan(lesson)
    form.fingerprint.data = plan.fingerprint
    return render_template("teacher/authoring/regrade.html", lesson=lesson, plan=plan,
                           form=form)
