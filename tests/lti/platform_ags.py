"""Assignment and Grade Services 2.0 on the test LMS: line items, scores and results.

https://www.imsglobal.org/spec/lti-ags/v2p0 : a line item container per context (GET list
with filters and paging, POST to create), each line item (GET, PUT, DELETE), its scores
endpoint (POST, the tool publishes a score) and results endpoint (GET, result.readonly).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from tests.lti import platform_claims as c
from tests.lti.platform_state import LineItem, parse_timestamp
from tests.lti.platform_tokens import json_response

READ_ITEMS = (c.SCOPE_LINEITEM, c.SCOPE_LINEITEM_READONLY)


def problem(status: int, description: str) -> Response:
    return json_response({"error": "invalid_request", "error_description": description},
                         status)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def read_json(request: Request, media_type: str) -> tuple[Any, Response | None]:
    if request.mimetype != media_type:
        return None, problem(415, f"Content-Type must be {media_type}")
    try:
        return json.loads(request.get_data(as_text=True)), None
    except ValueError:
        return None, problem(400, "the body is not JSON")


def accepts(request: Request, media_type: str) -> bool:
    """Content negotiation: a missing Accept, */*, JSON or the service's own type."""
    wanted = request.headers.get("Accept")
    return not wanted or any(kind in wanted for kind in
                             (media_type, "application/json", "*/*"))


def paged(request: Request, rows: list[Any], default_size: int | None
          ) -> tuple[list[Any], dict[str, str]]:
    """One page of `rows` and the Link header to the next page, if any (limit/page query
    parameters; AGS 2.0 and NRPS 2.0 both page with Link rel="next")."""
    limit = request.args.get("limit", type=int) or default_size
    if not limit or limit < 1:
        return rows, {}
    number = max(request.args.get("page", 1, type=int), 1)
    chunk = rows[(number - 1) * limit:number * limit]
    if number * limit >= len(rows):
        return chunk, {}
    query = {**request.args.to_dict(), "limit": str(limit), "page": str(number + 1)}
    return chunk, {"Link": f'<{request.base_url}?{urlencode(query)}>; rel="next"'}


class AgsMixin:
    """Line items, scores and results endpoints of TestPlatform."""

    lineitems_page_size: int | None = None
    allow_extra_credit = True  # AGS 2.0: the platform must accept scoreGiven > scoreMaximum
    score_success_status = 204  # what an accepted score gets (any 2xx means success)

    def fail_next_scores(self, count: int = 1, status: int = 503,
                         retry_after: int | None = None) -> None:
        """Make the next `count` score posts fail with `status` (optionally Retry-After)."""
        with self._lock:
            self._score_failures.extend([(status, retry_after)] * count)

    def line_item_url(self, item: LineItem) -> str:
        course = self.state.course(item.context_id)
        return f"{self.issuer}/courses/{course.path}/lineitems/{item.item_id}"

    def _item(self, ctx: str, item_id: str) -> LineItem | None:
        item = self.state.line_items.get(item_id)
        return item if item is not None and item.context_id == ctx else None

    def handle_lineitems(self, request: Request, ctx: str) -> Response:
        if ctx not in self.state.courses:
            return problem(404, "unknown context")
        if request.method == "POST":
            refusal = self.bearer_refusal(request, (c.SCOPE_LINEITEM,))
            if refusal is not None:
                return refusal
            body, error = read_json(request, c.LINEITEM_MEDIA)
            fields, error = (None, error) if error else self._line_item_fields(ctx, body)
            if error is not None:
                return error
            with self._lock:
                item = self.state.add_line_item(ctx, **fields)
                url = self.line_item_url(item)
            return json_response(item.to_json(url), 201, c.LINEITEM_MEDIA,
                                 headers={"Location": url})
        refusal = self.bearer_refusal(request, READ_ITEMS)
        if refusal is not None:
            return refusal
        if not accepts(request, c.LINEITEMS_MEDIA):
            return problem(406, f"this service answers {c.LINEITEMS_MEDIA}")
        filters = {"resource_link_id": "resource_link_id", "resource_id": "resource_id",
                   "tag": "tag"}
        with self._lock:
            items = [item for item in self.state.line_items_of(ctx)
                     if all(request.args.get(arg) in (None, getattr(item, attribute))
                            for arg, attribute in filters.items())]
            rows = [item.to_json(self.line_item_url(item)) for item in items]
        page_rows, headers = paged(request, rows, self.lineitems_page_size)
        return json_response(page_rows, 200, c.LINEITEMS_MEDIA, headers)

    def handle_lineitem(self, request: Request, ctx: str, item_id: str) -> Response:
        item = self._item(ctx, item_id)
        if item is None:
            return problem(404, "unknown line item")
        needed = READ_ITEMS if request.method == "GET" else (c.SCOPE_LINEITEM,)
        refusal = self.bearer_refusal(request, needed)
        if refusal is not None:
            return refusal
        if request.method == "DELETE":
            with self._lock:
                self.state.line_items.pop(item_id, None)
            return Response(status=204)
        if request.method == "PUT":
            body, error = read_json(request, c.LINEITEM_MEDIA)
            fields, error = (None, error) if error else self._line_item_fields(ctx, body)
            if error is None and body.get("id") not in (None, self.line_item_url(item)):
                error = problem(400, "id in the body is not this line item's URL")
            if error is not None:
                return error
            with self._lock:
                for name, value in fields.items():
                    setattr(item, name, value)
        elif not accepts(request, c.LINEITEM_MEDIA):
            return problem(406, f"this service answers {c.LINEITEM_MEDIA}")
        return json_response(item.to_json(self.line_item_url(item)), 200, c.LINEITEM_MEDIA)

    def _line_item_fields(self, ctx: str, body: Any) -> tuple[dict[str, Any] | None,
                                                              Response | None]:
        if not isinstance(body, dict):
            return None, problem(400, "a line item is a JSON object")
        label, maximum = body.get("label"), body.get("scoreMaximum")
        if not isinstance(label, str) or not label.strip():
            return None, problem(400, "label is required")
        if not is_number(maximum) or maximum <= 0:
            return None, problem(400, "scoreMaximum must be a number greater than 0")
        link_id = body.get("resourceLinkId")
        if link_id is not None and (ctx, link_id) not in self.state.links:
            return None, problem(400, "resourceLinkId is not a link in this context")
        for name in ("startDateTime", "endDateTime"):
            if body.get(name) is not None and parse_timestamp(body[name]) is None:
                return None, problem(400, f"{name} must be ISO 8601 with a UTC offset")
        return {"label": label, "score_maximum": maximum, "resource_id": body.get("resourceId"),
                "tag": body.get("tag"), "resource_link_id": link_id,
                "start_date_time": body.get("startDateTime"),
                "end_date_time": body.get("endDateTime")}, None

    def handle_scores(self, request: Request, ctx: str, item_id: str) -> Response:
        item = self._item(ctx, item_id)
        if item is None:
            return problem(404, "unknown line item")
        refusal = self.bearer_refusal(request, (c.SCOPE_SCORE,))
        if refusal is not None:
            return refusal
        with self._lock:
            failure = self._score_failures.pop(0) if self._score_failures else None
        if failure is not None:
            status, retry_after = failure
            headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
            return json_response({"error": "injected failure"}, status, headers=headers)
        score, error = read_json(request, c.SCORE_MEDIA)
        error = error or self._score_problem(ctx, score)
        if error is not None:
            self.refused_scores.append(score)
            return error
        with self._lock:
            self.state.record_score(item, score)
        if self.score_success_status == 204:
            return Response(status=204)
        query = urlencode({"user_id": score["userId"]})
        result_url = f"{self.line_item_url(item)}/results?{query}"
        return json_response({"resultUrl": result_url}, self.score_success_status)

    def _score_problem(self, ctx: str, score: Any) -> Response | None:
        if not isinstance(score, dict):
            return problem(400, "a score is a JSON object")
        user_id = score.get("userId")
        if not isinstance(user_id, str) or user_id not in self.state.enrolments.get(ctx, {}):
            return problem(400, "userId is not a member of this context")
        if parse_timestamp(score.get("timestamp")) is None:
            return problem(400, "timestamp must be ISO 8601 with a UTC offset")
        if score.get("activityProgress") not in c.ACTIVITY_PROGRESS:
            return problem(400, f"activityProgress must be one of {c.ACTIVITY_PROGRESS}")
        if score.get("gradingProgress") not in c.GRADING_PROGRESS:
            return problem(400, f"gradingProgress must be one of {c.GRADING_PROGRESS}")
        given, maximum = score.get("scoreGiven"), score.get("scoreMaximum")
        if given is not None:
            if not is_number(given) or given < 0:
                return problem(400, "scoreGiven must be a number, 0 or more")
            if not is_number(maximum) or maximum <= 0:
                return problem(400, "scoreMaximum must be a number above 0 with scoreGiven")
            if given > maximum and not self.allow_extra_credit:
                return problem(400, "scoreGiven is above scoreMaximum")
        if score.get("comment") is not None and not isinstance(score["comment"], str):
            return problem(400, "comment must be text")
        return None

    def handle_results(self, request: Request, ctx: str, item_id: str) -> Response:
        item = self._item(ctx, item_id)
        if item is None:
            return problem(404, "unknown line item")
        refusal = self.bearer_refusal(request, (c.SCOPE_RESULT_READONLY,))
        if refusal is not None:
            return refusal
        url = self.line_item_url(item)
        wanted_user = request.args.get("user_id")
        with self._lock:
            latest = [(sub, score) for (key, sub), score in self.state.latest.items()
                      if key == item_id and wanted_user in (None, sub)]
        rows = []
        for sub, score in latest:
            row = {"id": f"{url}/results/{sub}", "scoreOf": url, "userId": sub}
            if score.get("scoreGiven") is not None:
                row["resultScore"] = score["scoreGiven"]
                row["resultMaximum"] = score["scoreMaximum"]
            if score.get("comment") is not None:
                row["comment"] = score["comment"]
            rows.append(row)
        page_rows, headers = paged(request, rows, None)
        return json_response(page_rows, 200, c.RESULTS_MEDIA, headers)
