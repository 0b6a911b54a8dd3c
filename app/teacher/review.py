"""Teacher routes: review of what was missed in a class (see app/services/review.py).

The switch in the class settings, and the overview of the class's review per student.
Only the class's teacher (or an admin) reaches either; anyone else is told the class does
not exist (404), as for a class that does not.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from app.domain.discernment import technique_label
from app.services import class_settings
from app.services import review as review_service
from app.services.classes import ClassProblem
from app.teacher import bp
from app.teacher.access import own_class_or_404
from app.teacher.forms_classes import ReviewSwitchForm
from app.teacher.stale import refuse_if_stale


@bp.post("/classes/<int:class_id>/review/switch")
def class_review_switch(class_id: int) -> ResponseReturnValue:
    classroom = own_class_or_404(class_id)
    form = ReviewSwitchForm()
    if not form.validate_on_submit():
        abort(400, description="This form is damaged (it does not say on or off). Reload "
                               "the class page and choose again.")
    refuse_if_stale(classroom, "class")
    try:
        class_settings.set_review(classroom, form.enabled.data == "1")
    except ClassProblem as problem:
        abort(problem.status, description=str(problem))
    if classroom.review_enabled:
        flash(f"Review is on for “{classroom.name}”: after each graded attempt, students get "
              "short review questions on what they missed, on passages they have not seen.",
              "success")
    else:
        flash(f"Review is off for “{classroom.name}”: its students no longer see review "
              "questions, and none are scheduled. Their answers so far are kept.", "success")
    return redirect(url_for("teacher.class_detail", class_id=class_id) + "#review-title",
                    code=303)


@bp.get("/classes/<int:class_id>/review")
def class_review(class_id: int) -> ResponseReturnValue:
    classroom = own_class_or_404(class_id)
    return render_template("teacher/classes/review.html", classroom=classroom,
                           rows=review_service.overview(classroom),
                           technique_label=technique_label)
