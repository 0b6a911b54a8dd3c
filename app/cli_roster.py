"""`flask roster import-oneroster PATH`: the admin page's OneRoster import, for an operator.

Same reading, planning and single transaction (app/services/oneroster_import.py); PATH is
the zip a school's system exported, or a folder holding its CSV files. The web page takes
at most 1 MiB; here the bundle's own bounds apply (app/domain/oneroster_files.py).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.domain.oneroster_files import (
    MAX_BUNDLE_BYTES,
    MAX_FILE_BYTES,
    BundleInvalid,
    Files,
    files_from_mapping,
    files_from_zip,
)
from app.domain.oneroster_report import ERROR, SKIPPED, Options
from app.services.oneroster_import import ImportConflict, import_bundle

roster_cli = AppGroup("roster", help="Import the school's roster.")


def _read(path: Path, limit: int) -> bytes:
    with path.open("rb") as stream:
        return stream.read(limit + 1)  # one byte over: the bounds then refuse it


def read_path(path: Path) -> Files:
    """The roster files of a zip or of a folder (its top level only)."""
    if path.is_dir():
        return files_from_mapping({child.name: _read(child, MAX_FILE_BYTES)
                                   for child in sorted(path.iterdir())
                                   if child.is_file() and child.suffix.lower() == ".csv"})
    return files_from_zip(_read(path, MAX_BUNDLE_BYTES), path.name)


@roster_cli.command("import-oneroster")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what the import would do; change nothing.")
@click.option("--keep-going", is_flag=True,
              help="Import the records without errors even when others have errors "
                   "(by default nothing is imported if any record has an error).")
@click.option("--link-by-username", is_flag=True,
              help="Link accounts made by hand that have a roster person's username and no "
                   "roster id yet, instead of reporting them as clashes.")
def import_oneroster(path: Path, dry_run: bool, keep_going: bool,
                     link_by_username: bool) -> None:
    """Import students, teachers, classes and enrolments from a OneRoster 1.2 CSV bundle."""
    options = Options(all_or_nothing=not keep_going, link_by_username=link_by_username)
    try:
        result = import_bundle(None, read_path(path), dry_run=dry_run, options=options)
    except BundleInvalid as invalid:
        for issue in invalid.issues:
            click.echo(str(issue), err=True)
        raise click.ClickException("The roster cannot be read, so nothing was imported.") \
            from invalid
    except (ImportConflict, OSError) as problem:
        raise click.ClickException(str(problem)) from problem
    plan = result.plan
    for note in plan.notes:
        click.echo(note)
    for line in plan.lines:
        if line.outcome in (ERROR, SKIPPED):
            where = f"{line.file}, line {line.line}" if line.line else line.file
            click.echo(f"{line.outcome}: {where} ({line.sourced_id}, {line.label}): "
                       f"{line.message}")
    click.echo(plan.summary() + ".")
    if result.written:
        click.echo(f"Imported: {plan.changes} changes stored.")
    elif dry_run:
        click.echo(f"Dry run: nothing was changed (an import would make {plan.changes} "
                   "changes" + (", but the errors above stop it" if plan.blocked else "")
                   + ").")
    else:
        raise click.ClickException(f"Nothing was imported: {len(plan.errors)} records have "
                                   "errors. Fix them, or use --keep-going to import the rest.")
