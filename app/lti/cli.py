"""`flask lti ...`: send waiting scores to the LMSs (for cron), sweep launch state."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db

lti_cli = AppGroup("lti", help="LTI 1.3: scores for the LMSs' gradebooks, launch state.")


@lti_cli.command("send-grades")
@click.option("--limit", default=500, show_default=True, type=click.IntRange(1, 100000),
              help="Send at most this many scores in this run.")
@click.option("--failed", is_flag=True,
              help="Also try again the scores that gave up (marked failed).")
def send_grades_command(limit: int, failed: bool) -> None:
    """Send the scores whose time has come (run it every minute or few from cron)."""
    from app.lti import tool
    from app.services import lti_grades
    if failed:
        count = lti_grades.retry(lti_grades.link_ids(), failed_only=True)
        db.session.commit()
        click.echo(f"{count} failed score(s) set to be sent again.")
    report = lti_grades.send_due(limit=limit)
    swept = tool.sweep_expired()
    db.session.commit()
    click.echo(f"Sent {report.sent}; {report.pending} to try again later; "
               f"{report.failed} failed. Swept {swept} expired launch record(s).")
