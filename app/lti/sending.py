"""Scores go to the LMS after the response is out, never while a student waits.

A graded attempt (or a launch) queues scores in its own transaction; this sends the due
ones once the response has been handed to the server (`call_on_close`), in the same
worker, with its own app context. A send that fails is retried later (backing off) by the
next one of these, by `flask lti send-grades` (cron), or by a teacher's "Send again".
"""

from __future__ import annotations

from flask import after_this_request, current_app
from werkzeug.wrappers import Response

from app.extensions import db


def send_after_response(*, assignment_id: int | None = None,
                        context_id: int | None = None) -> None:
    """After this response, send the due scores of an assignment's or a course's links."""
    if not current_app.config.get("LTI_SEND_AFTER_RESPONSE", True):
        return
    from app.services import lti_grades
    link_ids = lti_grades.link_ids(assignment_id=assignment_id, context_id=context_id)
    if not link_ids:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def send() -> None:
        with app.app_context():
            try:
                lti_grades.send_due(link_ids=link_ids, limit=20)
            except Exception:  # a failed send must not break anything: it is retried
                app.logger.exception("sending scores to the LMS failed")
                db.session.rollback()

    @after_this_request
    def _later(response: Response) -> Response:
        response.call_on_close(send)
        return response
