"""`flask lessons export`: a lesson as a QTI 3.0 package or a GIFT file, from the command line.

The operator's command (no login): any stored lesson, by slug or id, its version in force.
The files are the ones the answer key page offers teachers (app/services/lesson_exports.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from app.cli import lessons_cli
from app.services.lesson_exports import FORMATS, NothingToExport, find_lesson, lesson_export


@lessons_cli.command("export")
@click.option("--format", "export_format", type=click.Choice(FORMATS), required=True,
              help="qti: a QTI 3.0 content package (.zip) of every question; gift: a Moodle "
                   "GIFT file (what it leaves out is in its first lines).")
@click.option("--out", "out", default=None,
              help="File or existing folder to write to (default: the file's name in the "
                   "current folder); '-' writes to standard output.")
@click.argument("lesson")
def export_command(export_format: str, out: str | None, lesson: str) -> None:
    """Export LESSON (a slug or an id) in the version students get."""
    found = find_lesson(lesson)
    if found is None:
        raise click.ClickException(f"no lesson {lesson!r} (give its slug or its id; "
                                   "`flask lessons sync` loads the library)")
    try:
        exported = lesson_export(found, export_format)
    except NothingToExport as nothing:
        raise click.ClickException(nothing.message) from nothing
    if out == "-":
        sys.stdout.buffer.write(exported.data)
        sys.stdout.buffer.flush()
        return
    target = Path(out or exported.filename)
    if target.is_dir():
        target = target / exported.filename
    elif out and out.endswith(("/", os.sep)):
        raise click.ClickException(f"{out}: no such folder")
    try:
        target.write_bytes(exported.data)
    except OSError as error:
        raise click.ClickException(f"{target}: cannot write ({error.strerror})") from error
    click.echo(f"Wrote {target} ({len(exported.data):,} bytes): {found.title}, "
               f"{LABEL[export_format]}.")


LABEL = {"qti": "QTI 3.0 package", "gift": "Moodle GIFT file"}
