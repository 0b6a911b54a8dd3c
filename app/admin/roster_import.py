"""Admin: import the school's roster from a OneRoster 1.2 CSV bundle, or check it first.

Thin: read the form, hand the files to app/domain/oneroster_files.py and the service
(app/services/oneroster_import.py), render the report. Only admins get here (the
blueprint's ``before_request``). A bundle that cannot be read is shown with its problems
(400, or 413 over a size limit); an import refused for its errors keeps the report and
answers 400; a clash with a change made at the same moment answers 409.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from flask import render_template
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app.admin import bp
from app.admin.forms import OneRosterForm
from app.domain.oneroster_files import BundleInvalid, Files, files_from_mapping, files_from_zip
from app.domain.oneroster_report import (
    CREATED,
    ERROR,
    REMOVED,
    SKIPPED,
    TEACHER,
    UNCHANGED,
    UPDATED,
    Line,
    Options,
    Plan,
)
from app.errors import register_csrf_error_renderer, register_too_large_message
from app.services.oneroster_import import ImportConflict, import_bundle

# How many lines of each outcome the report page lists (every error is listed, up to
# MAX_ERRORS_SHOWN; the counts are always complete).
LINES_SHOWN: Final = 50
MAX_ERRORS_SHOWN: Final = 1_000
SECTIONS: Final = (
    (ERROR, "Errors", "Fix these in your school's system (or the files) and import again."),
    (SKIPPED, "Not imported", "Valid records that Framing Lab does not import, and why."),
    (CREATED, "Created", ""),
    (UPDATED, "Updated", ""),
    (REMOVED, "Removed or disabled", "Nothing is deleted: accounts are disabled, classes "
                                     "archived, students taken off a class (their answers "
                                     "are kept)."),
    (TEACHER, "Teachers of classes", ""),
    (UNCHANGED, "Unchanged", ""),
)
TOO_LARGE: Final = ("The roster is larger than 1 MiB, the most this page accepts. Upload the "
                    "zip rather than the CSV files, or ask the server's operator to run "
                    "“flask roster import-oneroster” with the zip.")


@dataclass(frozen=True, slots=True)
class Section:
    outcome: str
    title: str
    hint: str
    lines: list[Line]
    total: int


def sections(plan: Plan) -> list[Section]:
    """The report's sections, in the order an admin needs them (errors first)."""
    found = []
    for outcome, title, hint in SECTIONS:
        lines = [line for line in plan.lines if line.outcome == outcome]
        if lines:
            shown = MAX_ERRORS_SHOWN if outcome == ERROR else LINES_SHOWN
            found.append(Section(outcome, title, hint, lines[:shown], len(lines)))
    return found


def _form_page(form: OneRosterForm, status: int, *, alert: str | None = None,
               issues: list | None = None) -> ResponseReturnValue:
    return render_template("admin/roster_import.html", form=form, alert=alert,
                           issues=issues or []), status


def _files(uploads: dict[str, bytes]) -> Files:
    if len(uploads) == 1 and next(iter(uploads)).lower().endswith(".zip"):
        name, data = next(iter(uploads.items()))
        return files_from_zip(data, name)
    return files_from_mapping(uploads)


@bp.get("/roster-import")
def roster_import() -> ResponseReturnValue:
    return _form_page(OneRosterForm(), 200)


@bp.post("/roster-import")
def roster_import_run() -> ResponseReturnValue:
    form = OneRosterForm()
    if not form.validate_on_submit():
        return _form_page(form, 400)
    dry_run = bool(form.dry_run.data)
    options = Options(all_or_nothing=bool(form.all_or_nothing.data),
                      link_by_username=bool(form.link_by_username.data))
    try:
        result = import_bundle(current_user, _files(form.uploads()), dry_run=dry_run,
                               options=options)
    except BundleInvalid as invalid:
        return _form_page(form, invalid.status, issues=invalid.issues,
                          alert="The roster cannot be read, so nothing was imported.")
    except ImportConflict as conflict:
        return _form_page(form, conflict.status, alert=str(conflict))
    status = 400 if result.plan.blocked and not dry_run else 200
    return render_template("admin/roster_report.html", form=OneRosterForm(formdata=None,
                           all_or_nothing=options.all_or_nothing,
                           link_by_username=options.link_by_username),
                           result=result, plan=result.plan,
                           sections=sections(result.plan)), status


def _expired(_error: CSRFError) -> ResponseReturnValue:
    return _form_page(OneRosterForm(formdata=None), 400, alert=(
        "This form expired or was sent from another page, so nothing was imported. Choose "
        "the files again and submit."))


@bp.record_once
def _install_renderers(state: BlueprintSetupState) -> None:
    register_csrf_error_renderer(state.app, "admin.roster_import_run", _expired)
    register_too_large_message(state.app, "admin.roster_import_run", TOO_LARGE)
