"""Operator commands: `flask users ...`, `flask seeds ...`, `flask lessons ...`, `flask lens ...`,
`flask privacy ...`, `flask roster ...` (in app/cli_roster.py).

Each group is a plain click group added in `register(app)`, so `flask --app wsgi --help`
lists them all.
"""

from __future__ import annotations

import json
import secrets
import sys
from bisect import bisect_right
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup

from app.cli_roster import roster_cli
from app.config import PRODUCTION
from app.domain.documents import CatalogueError
from app.domain.lens import LexiconError, analyze, default_lexicon
from app.domain.library import render_catalogue, replace_catalogue
from app.domain.passwords import password_problem
from app.extensions import db
from app.models.users import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    ROLES,
    USERNAME_PATTERN,
    User,
    normalise_username,
)
from app.services.accounts import UsernameTaken, create_account
from app.services.lessons import check_lessons, sync_lessons
from app.services.seeds import document_texts, load_seeds

DEMO_ACCOUNTS = (("demo-teacher", "teacher"), ("demo-student", "student"))

# AppGroup: every subcommand runs inside an app context (db.session works).
users_cli = AppGroup("users", help="Create and manage accounts.")


def _check_password(password: str, username: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise click.BadParameter(
            f"must be {MIN_PASSWORD_LENGTH}–{MAX_PASSWORD_LENGTH} characters", param_hint="password"
        )
    problem = password_problem(password, username)
    if problem:
        raise click.BadParameter(problem, param_hint="password")
    return password


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="student", show_default=True)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (for scripts).",
)
def create_user(username: str, role: str, password_stdin: bool) -> None:
    """Create an account; the password is prompted for unless --password-stdin."""
    username = normalise_username(username)
    if not USERNAME_PATTERN.fullmatch(username):
        raise click.BadParameter(
            "3–32 characters: letters, digits, dots, underscores or hyphens",
            param_hint="USERNAME",
        )
    if db.session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise click.ClickException(f"user {username!r} already exists")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        create_account(username, _check_password(password, username), role)
    except UsernameTaken:
        # Created by someone else while the password was typed (F19).
        raise click.ClickException(f"user {username!r} already exists") from None
    click.echo(f"Created {role} {username!r}.")


@users_cli.command("demo")
def demo_users() -> None:
    """Create demo-teacher and demo-student with fresh random passwords (not in production).

    Idempotent: re-running resets their passwords (and roles) and prints the new ones.
    """
    if current_app.config.get("ENV_NAME") == PRODUCTION:
        raise click.ClickException("demo accounts are not created in production")
    for username, role in DEMO_ACCOUNTS:
        user = db.session.scalar(sa.select(User).where(User.username == username))
        if user is None:
            user = User(username=username)
            db.session.add(user)
        user.role = role
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        click.echo(f"{role:<8} {username:<14} password: {password}")
    db.session.commit()


# --- source documents and lessons -------------------------------------------------------

PROJECT_ROOT = Path(__file__).resolve().parent.parent
seeds_cli = AppGroup("seeds", help="Load the source documents from seeds/.")
lessons_cli = AppGroup("lessons", help="Check and load the lesson files in lessons/.")


@seeds_cli.command("load")
@click.option("--dir", "seed_dir", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "seeds", show_default="seeds/")
def load_seeds_command(seed_dir: Path) -> None:
    """Store every document listed in seeds/documents.yaml, byte for byte (idempotent)."""
    try:
        report = load_seeds(seed_dir)
    except CatalogueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Documents: {len(report.created)} added, {len(report.updated)} metadata "
               f"updated, {len(report.unchanged)} unchanged.")


def _print_issues(issues: list[Any]) -> None:
    for issue in issues:
        click.echo(f"error: {issue}", err=True)


@lessons_cli.command("check")
@click.option("--dir", "lesson_dir", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "lessons", show_default="lessons/")
@click.option("--json", "as_json", is_flag=True, help="Print the summary and problems as JSON.")
def check_lessons_command(lesson_dir: Path, as_json: bool) -> None:
    """Validate every shelf card, reading and lesson file against the loaded documents;
    print the questions per kind, the cards per kind and the balance of each reading; exit 1
    on any problem (a passage keyed two ways is one, a card cited but missing another)."""
    report = check_lessons(lesson_dir)
    summary = report.summary()
    if as_json:
        summary["issues"] = [{"path": i.path, "line": i.line, "message": i.message}
                             for i in report.issues]
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        _print_issues(report.issues)
        kinds = ", ".join(f"{count} {kind}" for kind, count in
                          summary["questions_per_kind"].items())
        click.echo(f"{summary['files']} files, {summary['lessons']} valid lessons, "
                   f"{summary['questions']} questions ({kinds}).")
        cards = summary["cards_per_kind"]
        click.echo(f"Shelf: {cards['fact']} fact cards, {cards['source']} source cards.")
        click.echo("Documents cited: " + (", ".join(
            f"{slug} ({count})" for slug, count in summary["documents_cited"].items()) or "none"))
        if report.frames is not None:
            click.echo(f"Frames ({len(summary['frames'])}, lessons/frames.yaml), times accepted "
                       "as right: " + ", ".join(f"{frame} {count}" for frame, count
                                                in summary["frames"].items()))
        if report.balance:
            click.echo("Balance (per 1,000 words of each document's reading):")
            for slug, line in sorted(report.balance.items()):
                click.echo(f"  {slug}: {line['loaded']} loaded phrases, {line['gaps']} sourcing "
                           f"gaps, {line['debatable']} debatable")
        if not summary["documents_cited"] and not document_texts():
            click.echo("No documents are loaded: run `flask seeds load` first.", err=True)
    if report.issues:
        raise SystemExit(1)


@lessons_cli.command("sync")
@click.option("--dir", "lesson_dir", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "lessons", show_default="lessons/")
def sync_lessons_command(lesson_dir: Path) -> None:
    """Load the valid lesson files (new versions for changed ones); exit 1 if any failed."""
    report = sync_lessons(lesson_dir)
    _print_issues(report.check.issues)
    click.echo(f"Lessons: {len(report.created)} added, {len(report.new_versions)} new "
               f"versions, {len(report.unchanged)} unchanged, {len(report.archived)} archived.")
    cards = report.cards
    click.echo(f"Cards: {len(report.check.cards)} valid, {len(cards.created)} added, "
               f"{len(cards.updated)} updated, {len(cards.unchanged)} unchanged.")
    click.echo(f"Readings: {len(report.check.readings)} valid, {len(report.readings)} stored "
               "or changed.")
    if report.check.issues:
        failed = sorted({issue.path for issue in report.check.issues})
        click.echo(f"Not loaded (fix and sync again): {', '.join(failed)}", err=True)
        raise SystemExit(1)


@lessons_cli.command("catalogue")
@click.option("--dir", "lesson_dir", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "lessons", show_default="lessons/")
@click.option("--write", is_flag=True, help="Update the catalogue section of lessons/README.md.")
def catalogue_command(lesson_dir: Path, write: bool) -> None:
    """Print the lesson catalogue (Markdown), or write it into lessons/README.md."""
    report = check_lessons(lesson_dir)
    _print_issues(report.issues)
    catalogue = render_catalogue(report.lessons)
    if not write:
        click.echo(catalogue)
    else:
        readme = lesson_dir / "README.md"
        readme.write_text(replace_catalogue(readme.read_text(encoding="utf-8"), catalogue),
                          encoding="utf-8")
        click.echo(f"Wrote the catalogue of {len(report.lessons)} lessons to {readme}.")
    if report.issues:
        raise SystemExit(1)


# --- the language lens ----------------------------------------------------------------------

lens_cli = AppGroup("lens", help="Find loaded language, vague attribution and hedges in a text.")


def _read_utf8(path: Path) -> str:
    """The file's text, decoded as UTF-8 exactly (no newline translation, so offsets hold)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise click.ClickException(f"{path}: no such file") from error
    except IsADirectoryError as error:
        raise click.ClickException(f"{path} is a directory, not a text file") from error
    except OSError as error:
        raise click.ClickException(f"{path}: cannot read ({error.strerror})") from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{path} is not UTF-8 text (byte {error.start}: {data[error.start:error.start + 1]!r}"
            "); save it as UTF-8 and try again") from error


@lens_cli.command("analyze")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list of {start, end, text, kind, category, suggestion, reason}.")
@click.option("--why", is_flag=True, help="Print each finding's reason under it.")
def lens_analyze_command(file: Path, as_json: bool, why: bool) -> None:
    """Print the lens's findings for a UTF-8 text FILE.

    Offsets in --json output are Python str offsets into the decoded file text; the plain
    output gives line:column (both from 1).
    """
    text = _read_utf8(file)
    try:
        lexicon = default_lexicon()
    except LexiconError as error:
        raise click.ClickException(f"the lens's data files have problems:\n{error}") from error
    findings = analyze(text, lexicon)
    if as_json:
        click.echo(json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False))
        return
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    for finding in findings:
        line = bisect_right(line_starts, finding.start)
        column = finding.start - line_starts[line - 1] + 1
        shown = " ".join(finding.text.split())
        suggestion = f"  → {finding.suggestion}" if finding.suggestion else ""
        click.echo(f"{line}:{column}\t{finding.kind}\t{finding.category}\t“{shown}”{suggestion}")
        if why:
            click.echo(f"\t{finding.reason}")
    counts = ", ".join(f"{sum(f.kind == kind for f in findings)} {kind}"
                       for kind in ("loaded", "attribution", "hedge"))
    click.echo(f"{len(findings)} findings ({counts}) in {file}.")


privacy_cli = AppGroup("privacy", help="Data retention.")


@privacy_cli.command("purge")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Delete attempts older than this many days (default: ATTEMPT_RETENTION_DAYS).")
def privacy_purge_command(days: int | None) -> None:
    """Delete attempts (and their answers) older than the retention period."""
    from app.services.privacy import purge_attempts

    days = days or current_app.config.get("ATTEMPT_RETENTION_DAYS")
    if not days:
        click.echo("No retention period set (ATTEMPT_RETENTION_DAYS): attempts are kept "
                   "forever. Nothing deleted.")
        return
    result = purge_attempts(int(days))
    click.echo(f"Deleted {result.attempts} attempts and {result.answers} answers submitted "
               f"before {result.before:%Y-%m-%d %H:%M} UTC ({days} days).")


def register(app: Flask) -> None:
    """Add every command group to `app.cli`."""
    app.cli.add_command(users_cli)
    app.cli.add_command(seeds_cli)
    from app import cli_exports  # noqa: F401  (adds `flask lessons export` to lessons_cli)

    app.cli.add_command(lessons_cli)
    app.cli.add_command(lens_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(roster_cli)
    from app.lti.cli import lti_cli
    app.cli.add_command(lti_cli)
