"""Admin pages: the account list and creating teacher (or admin) accounts."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from app.admin import bp
from app.admin.forms import AccountForm
from app.auth.forms import USERNAME_TAKEN
from app.extensions import db
from app.models import User
from app.services.accounts import UsernameTaken, create_account


@bp.route("/users", methods=["GET", "POST"])
def users() -> ResponseReturnValue:
    form = AccountForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = create_account(form.username.data or "", form.password.data or "",
                                  form.role.data or "")
        except UsernameTaken:
            # Another request (a double click, a second admin) took the name after the
            # form's check: the database's unique constraint said so (F19).
            form.username.errors = [USERNAME_TAKEN]
        else:
            flash(f"Created {user.role} account {user.username!r}. Give them the password "
                  "you chose; they can log in now.", "success")
            return redirect(url_for("admin.users"), code=303)
    if form.is_submitted():
        status = 400
    accounts = db.session.scalars(sa.select(User).order_by(User.role, User.username)).all()
    return render_template("admin/users.html", form=form, accounts=accounts), status
