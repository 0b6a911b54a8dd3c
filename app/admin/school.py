"""The school as an admin sees it: every class, and the log of account and class actions."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue

from app.admin import bp
from app.admin.routes import MAX_SEARCH, ensure_page_exists, page_number, search_text
from app.services import audit, directory


@bp.get("/classes")
def classes() -> ResponseReturnValue:
    search = search_text()
    found = directory.all_classes(page_number(), search)
    ensure_page_exists(found.page, "classes")
    return render_template("admin/classes.html", found=found,
                           filters={"q": search} if search else {})


@bp.get("/log")
def log() -> ResponseReturnValue:
    account = (request.args.get("account") or "").strip().lower()
    if len(account) > MAX_SEARCH:
        abort(400, description="That is longer than any username.")
    found = audit.events(page_number(), account or None)
    ensure_page_exists(found.page, "the log")
    return render_template("admin/log.html", found=found, account=account,
                           actions=audit.ACTIONS,
                           filters={"account": account} if account else {})
