"""Joining a class: by typing its code (``/join``, or ``/join?code=…`` filled in), or by its
link (``/join/<code>``, what the class page's QR code holds).

A link asks before joining (GET shows the class and its teacher, POST joins), so opening
a link, or a browser prefetching it, never puts anyone in a class. A visitor who is not
logged in is sent to log in (or register) and comes back to the same link. Only student
accounts join classes (403 for teachers and admins). Every join is written to the
admin's log. Students cannot leave a class themselves: the teacher keeps the class list
(a student leaving would take their work out of the gradebook).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.auth.forms import EmptyForm
from app.domain import joincodes
from app.models import Classroom
from app.services import audit, directory
from app.services import classes as class_service
from app.student import bp
from app.student.forms import JoinForm


@bp.app_context_processor
def _my_classes() -> dict[str, Any]:
    # A function: only the pages that show a student's classes run the query.
    return {"my_classes": lambda: directory.classes_joined(current_user.id)}


def _students_only() -> None:
    if not current_user.has_role("student"):
        abort(403, description="Only student accounts can join a class. Teachers add "
                               "classes under Teach.")


def _joined(classroom: Classroom, added: bool, how: str) -> ResponseReturnValue:
    if added:
        audit.log(current_user, "class_joined", target=current_user, classroom=classroom,
                  detail=how)
        flash(f"You joined {classroom.name}. Its assignments are listed below.", "success")
    else:
        flash(f"You are already in {classroom.name}: nothing to do.", "info")
    return redirect(url_for("student.lessons"), code=303)


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join() -> ResponseReturnValue:
    """Join a class with its code; ``?code=`` fills the field in."""
    _students_only()
    form = JoinForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:40]
    if not form.validate_on_submit():
        return render_template("student/join.html", form=form), \
            400 if request.method == "POST" else 200
    try:
        classroom, added = class_service.join_class(current_user, form.code.data)
    except class_service.ClassProblem as problem:
        form.code.errors.append(str(problem))
        return render_template("student/join.html", form=form), problem.status
    return _joined(classroom, added, "with the class code")


@bp.route("/join/<code>", methods=["GET", "POST"])
@login_required
def join_link(code: str) -> ResponseReturnValue:
    """The class's join link: GET asks, POST joins."""
    _students_only()
    if request.method == "POST" and not EmptyForm().validate_on_submit():
        abort(400)
    try:
        if request.method == "POST":
            classroom, added = class_service.join_class(current_user, code)
            return _joined(classroom, added, "with the class's link")
        classroom = class_service.class_for_code(code)
    except class_service.ClassProblem as problem:
        # The code typed into the form, so the student can correct it or ask about it.
        form = JoinForm(formdata=None, code=code[:40])
        form.code.errors = [str(problem)]
        return render_template("student/join.html", form=form), problem.status
    return render_template("student/join_link.html", classroom=classroom,
                           code=joincodes.display(classroom.join_code),
                           member=class_service.is_member(classroom, current_user))
