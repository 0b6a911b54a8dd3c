"""The class roster from the LMS (LTI Names and Role Provisioning Services 2.0).

A teacher's "Fill the roster from the LMS" reads the course's members (following the
service's pages) and makes sure every active learner has a linked account and is in the
class, so the gradebook lists students before they first launch. Nobody is removed: a
member the LMS marks inactive, or who left the course, keeps their attempts here; the
report says how many there were.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import sqlalchemy as sa
from pylti1p3.exception import LtiException
from pylti1p3.names_roles import NamesRolesProvisioningService
from requests import RequestException

from app.domain import lti_claims
from app.domain.lti_claims import Launch
from app.extensions import db
from app.models import Enrollment, LtiContext
from app.models.types import utcnow
from app.services import lti_launches

# A course of more than this many members is read only this far (and says so).
MAX_MEMBERS: Final = 5000


class RosterProblem(Exception):
    def __init__(self, message: str, status: int = 502):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(slots=True)
class RosterReport:
    added: int = 0
    already: int = 0
    new_accounts: int = 0
    inactive: int = 0
    not_learners: int = 0
    refused: int = 0
    truncated: bool = False


def _member_launch(member: dict[str, Any]) -> Launch:
    roles = member.get("roles") if isinstance(member.get("roles"), list) else []
    return lti_claims.read_launch({
        "sub": member.get("user_id"), "name": member.get("name"),
        "given_name": member.get("given_name"), "family_name": member.get("family_name"),
        "email": member.get("email"), lti_claims.LTI + "roles": roles})


def fetch_members(context: LtiContext) -> list[dict[str, Any]]:
    from app.lti import tool
    if not context.memberships_url:
        raise RosterProblem("The LMS has not offered its roster service for this course "
                            "(no Names and Role Provisioning claim in its launches).", 409)
    service = NamesRolesProvisioningService(tool.connector_for(context.platform), {
        "context_memberships_url": context.memberships_url, "service_versions": ["2.0"]})
    members: list[dict[str, Any]] = []
    url: str | None = context.memberships_url
    try:
        while url and len(members) < MAX_MEMBERS:
            page, url = service.get_members_page(url)
            members.extend(member for member in page if isinstance(member, dict))
    except (LtiException, RequestException, ValueError) as error:
        raise RosterProblem("The LMS did not give the roster: " + tool.describe(error)) \
            from error
    return members


def sync(context: LtiContext) -> RosterReport:
    """Enrol the course's active learners in its class; commits as it goes."""
    if context.classroom_id is None:
        raise RosterProblem("This course has no class yet: open Framing Lab from it first.",
                            409)
    members = fetch_members(context)
    report = RosterReport(truncated=len(members) >= MAX_MEMBERS)
    enrolled = set(db.session.scalars(sa.select(Enrollment.student_id).where(
        Enrollment.classroom_id == context.classroom_id)))
    for member in members[:MAX_MEMBERS]:
        launch = _member_launch(member)
        if str(member.get("status", "Active")) != "Active":
            report.inactive += 1
            continue
        if launch.role != "student":
            report.not_learners += 1
            continue
        existed = lti_launches.identity_exists(context.platform, launch.subject)
        try:
            user = lti_launches.account_for(context.platform, launch)
        except lti_launches.LaunchRefused:
            report.refused += 1
            continue
        if not user.has_role("student"):
            report.not_learners += 1
            continue
        report.new_accounts += 0 if existed else 1
        if user.id in enrolled:
            report.already += 1
            continue
        lti_launches.enrol(context, user)
        enrolled.add(user.id)
        report.added += 1
    context.roster_synced_at = utcnow()
    db.session.commit()
    return report
