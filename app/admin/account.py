"""One account, for an admin: its facts and classes, and what can be done to it.

Thin: fetch the account (404), validate the form (400), call
app/services/account_changes.py (403 own account, 409 last admin, …), flash, redirect.
"""

from __future__ import annotations

from typing import Final

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.admin import bp
from app.admin.forms import DeleteAccountForm, RoleForm
from app.auth.forms import EmptyForm
from app.extensions import db
from app.models import User
from app.services import account_changes, directory
from app.services import privacy as privacy_service
from app.services.account_changes import AccountProblem

# A page holding a temporary password must not be kept by the browser or a proxy.
NO_STORE: Final = {"Cache-Control": "no-store"}


def get_account_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404, description="There is no such account. It may have been deleted.")
    return user


def _render(user: User, *, role_form: RoleForm | None = None, alert: str | None = None,
            status: int = 200) -> ResponseReturnValue:
    found = directory.accounts_by_id([user.id])
    return render_template(
        "admin/account.html", account=user, row=found[0],
        role_form=role_form or RoleForm(formdata=None, role=user.role),
        alert=alert), status


@bp.get("/users/<int:user_id>")
def account(user_id: int) -> ResponseReturnValue:
    return _render(get_account_or_404(user_id))


def _back(user: User) -> ResponseReturnValue:
    return redirect(url_for("admin.account", user_id=user.id), code=303)


@bp.post("/users/<int:user_id>/disable")
def account_disable(user_id: int) -> ResponseReturnValue:
    return _set_disabled(user_id, True)


@bp.post("/users/<int:user_id>/enable")
def account_enable(user_id: int) -> ResponseReturnValue:
    return _set_disabled(user_id, False)


def _set_disabled(user_id: int, disabled: bool) -> ResponseReturnValue:
    user = get_account_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        changed = account_changes.set_disabled(current_user, user, disabled)
    except AccountProblem as problem:
        return _render(user, alert=str(problem), status=problem.status)
    if not changed:
        flash(f"{user.username} was already {'disabled' if disabled else 'active'}.", "info")
    elif disabled:
        flash(f"{user.username} is disabled: they were logged out everywhere and cannot log "
              "in until you re-enable the account. Their work is kept.", "success")
    else:
        flash(f"{user.username} can log in again.", "success")
    return _back(user)


@bp.post("/users/<int:user_id>/role")
def account_role(user_id: int) -> ResponseReturnValue:
    user = get_account_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _render(user, role_form=form, status=400)
    try:
        changed = account_changes.change_role(current_user, user, form.role.data or "")
    except AccountProblem as problem:
        return _render(user, role_form=form, alert=str(problem), status=problem.status)
    if changed:
        flash(f"{user.username} is now a {user.role}.", "success")
    else:
        flash(f"{user.username} already was a {user.role}.", "info")
    return _back(user)


@bp.post("/users/<int:user_id>/reset-password")
def account_reset_password(user_id: int) -> ResponseReturnValue:
    user = get_account_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        password = account_changes.reset_password(current_user, user)
    except AccountProblem as problem:
        return _render(user, alert=str(problem), status=problem.status)
    return render_template(
        "auth/temporary_password.html", account=user, password=password,
        back_url=url_for("admin.account", user_id=user.id),
        back_label=f"Back to {user.username}'s account"), 200, NO_STORE


@bp.route("/users/<int:user_id>/delete", methods=["GET", "POST"])
def account_delete(user_id: int) -> ResponseReturnValue:
    user = get_account_or_404(user_id)
    if not user.has_role("student"):
        abort(403, description="Only student accounts can be deleted. Disable a teacher's "
                               "or an admin's account instead: their classes and lessons "
                               "stay in place.")
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if (form.confirm.data or "").strip().lower() == user.username:
            username = user.username
            try:
                privacy_service.delete_student(user.id, actor=current_user)
            except privacy_service.PrivacyProblem as problem:
                abort(problem.status, description=str(problem))
            flash(f"{username} and all their data were deleted.", "success")
            return redirect(url_for("admin.users"), code=303)
        form.confirm.errors.append(f"That is not {user.username}: nothing was deleted.")
    status = 400 if form.is_submitted() else 200
    return render_template("admin/delete.html", account=user, form=form), status
