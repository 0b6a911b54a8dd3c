"""Admin pages: every account (search, filter, pages) and creating accounts.

One account's page and its actions are in :mod:`app.admin.account`; the school's classes
and the log in :mod:`app.admin.school`.
"""

from __future__ import annotations

from typing import Final

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.admin import bp
from app.admin.forms import AccountForm
from app.auth.forms import USERNAME_TAKEN
from app.domain import paging
from app.models.users import ROLES
from app.services import directory
from app.services.accounts import UsernameTaken, create_account

MAX_SEARCH: Final = 64


def page_number() -> int:
    """The ``?page=`` of a list (400 for anything but a whole number from 1)."""
    try:
        return paging.parse_page(request.args.get("page"))
    except ValueError as problem:
        abort(400, description=f"{problem} Use the page links below the list.")


def search_text() -> str:
    """The ``?q=`` of a list, trimmed (400 if too long; app/urlinput.py already refuses
    control characters in a query string)."""
    text = (request.args.get("q") or "").strip()
    if len(text) > MAX_SEARCH:
        abort(400, description=f"Search for at most {MAX_SEARCH} characters.")
    return text


def _choice(name: str, allowed: tuple[str, ...]) -> str | None:
    value = request.args.get(name) or None
    if value is not None and value not in allowed:
        abort(400, description=f"Choose the {name} from the list: {', '.join(allowed)}.")
    return value


def ensure_page_exists(page: paging.Page, noun: str) -> None:
    if not page.exists:
        abort(404, description=f"There is no page {page.number} of {noun}: "
                               f"{page.count} page{'' if page.count == 1 else 's'}.")


@bp.route("/users", methods=["GET", "POST"])
def users() -> ResponseReturnValue:
    form = AccountForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = create_account(form.username.data or "", form.password.data or "",
                                  form.role.data or "", actor=current_user)
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
    search, role = search_text(), _choice("role", ROLES)
    state = _choice("status", directory.STATUSES)
    found = directory.accounts(page_number(), search, role, state)
    ensure_page_exists(found.page, "accounts")
    filters = {key: value for key, value in (("q", search), ("role", role),
                                             ("status", state)) if value}
    return render_template("admin/users.html", form=form, found=found, filters=filters,
                           roles=ROLES, statuses=directory.STATUSES), status
