"""Deep Linking 2.0 return on the test LMS: the tool posts an LtiDeepLinkingResponse JWT
(form field JWT) to deep_link_return_url; the platform checks it and creates the links.

https://www.imsglobal.org/spec/lti-dl/v2p0 section 4.2: the response is signed by the tool
(its key set), iss is the tool's client_id, aud the platform's issuer, with exp, iat, nonce,
deployment_id, message_type LtiDeepLinkingResponse, version 1.3.0, the `data` value of the
request settings echoed back, and the content items. An ltiResourceLink item may carry a
lineItem (label, scoreMaximum, resourceId, tag) the platform creates with the link.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from tests.lti import platform_claims as c
from tests.lti.platform_html import page
from tests.lti.platform_keys import ToolKeyError
from tests.lti.platform_state import ResourceLink


class DeepLinkRefused(Exception):
    pass


class DeepLinkMixin:
    """Deep-link return endpoint of TestPlatform."""

    deep_link_accept_multiple = False

    @property
    def deep_link_accepted(self) -> list[dict[str, Any]]:
        return [result for result in self.deep_link_results if result["accepted"]]

    def handle_deep_link_return(self, request: Request) -> Response:
        token = request.form.get("JWT", "")
        try:
            result = self._accept_deep_link(token)
        except DeepLinkRefused as refusal:
            self.deep_link_results.append({"accepted": False, "reason": str(refusal)})
            return Response(page("Deep linking refused", str(refusal)), status=400,
                            mimetype="text/html")
        self.deep_link_results.append(result)
        count = len(result["link_ids"])
        return Response(page("Content added", f"{count} item(s) added to the course."),
                        mimetype="text/html")

    def _accept_deep_link(self, token: str) -> dict[str, Any]:
        if not token:
            raise DeepLinkRefused("the JWT form field is missing")
        try:
            claims = self.tool_keys.verify(token, audience=self.issuer, issuer=self.client_id,
                                           required=["iss", "aud", "exp", "iat", "nonce"])
        except ToolKeyError as error:
            raise DeepLinkRefused(str(error)) from error
        if claims.get(c.MESSAGE_TYPE) != c.DEEP_LINKING_RESPONSE:
            raise DeepLinkRefused(f"message_type must be {c.DEEP_LINKING_RESPONSE}")
        if claims.get(c.VERSION) != "1.3.0":
            raise DeepLinkRefused("version must be 1.3.0")
        items = claims.get(c.DL_CONTENT_ITEMS, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise DeepLinkRefused("content_items must be a list of objects")
        if len(items) > 1 and not self.deep_link_accept_multiple:
            raise DeepLinkRefused("accept_multiple is false: at most one content item")
        for item in items:
            if item.get("type") != "ltiResourceLink":
                raise DeepLinkRefused(f"content item type {item.get('type')!r} not accepted")
            line_item = item.get("lineItem")
            if line_item is not None and not _valid_line_item(line_item):
                raise DeepLinkRefused("lineItem needs scoreMaximum above 0")
        with self._lock:
            if claims["nonce"] in self._deep_link_nonces:
                raise DeepLinkRefused("nonce was already used")
            pending = self._deep_link_requests.get(claims.get(c.DL_DATA))
            if pending is None:
                raise DeepLinkRefused("data does not echo a deep linking request's data")
            if claims.get(c.DEPLOYMENT_ID) != pending.deployment_id:
                raise DeepLinkRefused("deployment_id is not the request's deployment")
            self._deep_link_nonces.add(claims["nonce"])
            del self._deep_link_requests[claims[c.DL_DATA]]
            link_ids = [self._create_link(pending, item) for item in items]
            self.deep_link_items.extend(items)
        return {"accepted": True, "context_id": pending.context_id, "items": items,
                "link_ids": link_ids, "msg": claims.get(c.DL_MSG),
                "errormsg": claims.get(c.DL_ERRORMSG)}

    def _create_link(self, pending: Any, item: dict[str, Any]) -> str:
        link_id = self.state.next_id("link-")
        title = item.get("title") or "Untitled activity"
        custom = item.get("custom") if isinstance(item.get("custom"), dict) else {}
        self.state.links[(pending.context_id, link_id)] = ResourceLink(
            pending.context_id, link_id, title, url=item.get("url"), custom=dict(custom),
            deployment_id=pending.deployment_id)
        line_item = item.get("lineItem")
        if line_item is not None:
            self.state.add_line_item(
                pending.context_id, label=line_item.get("label") or title,
                score_maximum=line_item["scoreMaximum"],
                resource_id=line_item.get("resourceId"), tag=line_item.get("tag"),
                resource_link_id=link_id)
        return link_id


def _valid_line_item(line_item: Any) -> bool:
    if not isinstance(line_item, dict):
        return False
    maximum = line_item.get("scoreMaximum")
    return isinstance(maximum, int | float) and not isinstance(maximum, bool) and maximum > 0
