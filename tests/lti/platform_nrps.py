"""Names and Role Provisioning Services 2.0 on the test LMS: the context membership service.

https://www.imsglobal.org/spec/lti-nrps/v2p0 : GET the context_memberships_url with a bearer
token holding the contextmembership.readonly scope; the answer (a membership container) names
the context and lists members with their status, names, email, user_id and context roles. A
long list comes in pages linked by a Link header with rel="next"; `role` filters members by
role and `limit` asks for a page size.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from tests.lti import platform_claims as c
from tests.lti.platform_ags import accepts, paged, problem
from tests.lti.platform_tokens import json_response

CONTEXT_ROLE_PREFIX = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def role_matches(wanted: str, roles: list[str]) -> bool:
    """NRPS 2.0 `role` filter: a full role URI, or a context role's short name (Learner)."""
    full = wanted if "://" in wanted else CONTEXT_ROLE_PREFIX + wanted
    return full in roles


class NrpsMixin:
    """Membership endpoint of TestPlatform."""

    page_size: int | None = None  # members per page when the tool sends no limit

    def set_status(self, context_id: str, sub: str, status: str) -> None:
        """Mark an enrolment Active or Inactive (a dropped student stays listed)."""
        if status not in ("Active", "Inactive"):
            raise ValueError("status is Active or Inactive")
        with self._lock:
            self.state.enrolments[context_id][sub].status = status

    def handle_memberships(self, request: Request, ctx: str) -> Response:
        if ctx not in self.state.courses:
            return problem(404, "unknown context")
        refusal = self.bearer_refusal(request, (c.SCOPE_NRPS,))
        if refusal is not None:
            return refusal
        if not accepts(request, c.MEMBERSHIPS_MEDIA):
            return problem(406, f"this service answers {c.MEMBERSHIPS_MEDIA}")
        rlid = request.args.get("rlid")
        if rlid is not None and (ctx, rlid) not in self.state.links:
            return problem(400, "rlid is not a resource link in this context")
        wanted_role = request.args.get("role")
        with self._lock:
            course = self.state.course(ctx)
            members: list[dict[str, Any]] = []
            for user, enrolment in self.state.members(ctx):
                if wanted_role and not role_matches(wanted_role, enrolment.roles):
                    continue
                member = {"status": enrolment.status, "user_id": user.sub,
                          "roles": list(enrolment.roles), **c.person_claims(user)}
                members.append(member)
        chunk, headers = paged(request, members, self.page_size)
        body = {"id": request.url, "context": {"id": course.context_id, "label": course.label,
                                               "title": course.title},
                "members": chunk}
        return json_response(body, 200, c.MEMBERSHIPS_MEDIA, headers)
