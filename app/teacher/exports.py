"""Teacher routes: a lesson downloaded as a QTI 3.0 package or a GIFT file (the logic is in
app/services/lesson_exports.py).

An export holds the lesson's whole key, so it follows the answer key page's rule: the
library's lessons and the teacher's own (an admin: any); another teacher's lesson is a 404,
not even its existence told; students never reach /teach (403). ``?draft=1`` exports the
owner's unpublished draft, as the key page shows it.
"""

from __future__ import annotations

from urllib.parse import quote as url_quote

from flask import Response, abort, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.services.lesson_exports import NothingToExport, exportable_lesson, lesson_export
from app.teacher import bp


@bp.get("/lessons/<int:lesson_id>/export/<any(qti, gift):export_format>",
        endpoint="lesson_download")
def lesson_download(lesson_id: int, export_format: str) -> ResponseReturnValue:
    lesson = exportable_lesson(current_user, lesson_id)
    if lesson is None:
        abort(404)
    try:
        exported = lesson_export(lesson, export_format, draft=request.args.get("draft") == "1")
    except NothingToExport as nothing:
        abort(404, description=nothing.message)
    return Response(exported.data, mimetype=exported.mimetype.split(";")[0], headers={
        "Content-Type": exported.mimetype,
        "Content-Disposition": f"attachment; filename=\"{exported.filename}\"; "
                               f"filename*=UTF-8''{url_quote(exported.filename)}",
        # the file holds the key: no shared cache keeps a copy
        "Cache-Control": "private, no-store"})
