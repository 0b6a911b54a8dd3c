"""Your account: what it is, changing its password, and the forced change after a reset.

While an account has a temporary password (``must_change_password``: a reset by a teacher
or an admin, or a roster import), every page but the change-password form and "Log out"
sends it to that form, so the temporary password is used once.
"""

from __future__ import annotations

from typing import Final

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.auth import bp
from app.auth.forms import ChangePasswordForm
from app.auth.routes import landing_url
from app.services import directory
from app.services.account_changes import change_own_password

# What an account with a temporary password may still reach.
ALLOWED_WHILE_TEMPORARY: Final = frozenset({"auth.change_password", "auth.logout", "static",
                                            "main.healthz"})


@bp.before_app_request
def _temporary_password_must_be_changed() -> ResponseReturnValue | None:
    if request.endpoint in ALLOWED_WHILE_TEMPORARY:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.change_password"), code=303)
    return None


@bp.get("/account")
@login_required
def account() -> ResponseReturnValue:
    classes = directory.classes_of([current_user.id])[current_user.id]
    return render_template("auth/account.html", classes=classes)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    forced = current_user.must_change_password
    form = ChangePasswordForm(user=current_user)
    if form.validate_on_submit():
        change_own_password(current_user, form.password.data or "")
        flash("Your password is changed. Any other device logged in to your account has "
              "been logged out.", "success")
        return redirect(landing_url(current_user) if forced else url_for("auth.account"),
                        code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("auth/change_password.html", form=form, forced=forced), status
