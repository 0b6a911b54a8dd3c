"""Registering a school LMS (an LTI 1.3 platform) with the tool: an admin's action."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import LtiDeployment, LtiPlatform, User
from app.services import audit

MAX_DEPLOYMENTS = 50


class PlatformProblem(Exception):
    def __init__(self, message: str, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


@dataclass(frozen=True, slots=True)
class PlatformDetails:
    name: str
    issuer: str
    client_id: str
    deployment_ids: tuple[str, ...]
    key_set_url: str
    auth_login_url: str
    auth_token_url: str
    audience: str | None = None


def url_problem(url: str, *, allow_http: bool) -> str | None:
    """Why ``url`` cannot be a platform endpoint, or None.

    HTTPS only: the endpoints carry signed launches and access tokens. Plain HTTP is
    allowed for this machine (a test LMS) or when the site runs without HTTPS itself.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "Give a full web address starting with https://."
    if parts.username or parts.password:
        return "Leave user names and passwords out of the address."
    if parts.scheme == "http" and not allow_http and parts.hostname not in (
            "127.0.0.1", "localhost", "::1"):
        return "Use an https:// address: launches and tokens must not travel unencrypted."
    return None


def parse_deployments(text: str) -> tuple[str, ...]:
    """One deployment id per line (or separated by commas), blank lines ignored."""
    found: list[str] = []
    for line in text.replace(",", "\n").splitlines():
        value = line.strip()
        if value and value not in found:
            found.append(value)
    if not found:
        raise PlatformProblem("Give at least one deployment id (the LMS shows it when the "
                              "tool is added).", field="deployment_ids")
    if len(found) > MAX_DEPLOYMENTS:
        raise PlatformProblem(f"At most {MAX_DEPLOYMENTS} deployment ids.",
                              field="deployment_ids")
    if any(len(value) > 255 for value in found):
        raise PlatformProblem("A deployment id is at most 255 characters.",
                              field="deployment_ids")
    return tuple(found)


def platforms() -> list[LtiPlatform]:
    return list(db.session.scalars(sa.select(LtiPlatform).order_by(LtiPlatform.name,
                                                                   LtiPlatform.id)))


def save(admin: User, details: PlatformDetails, platform: LtiPlatform | None = None,
         ) -> LtiPlatform:
    """Create or update a registration with its deployments; commits. An issuer and
    client id registered twice is refused (409)."""
    from app.lti import tool
    creating = platform is None
    if platform is None:
        platform = LtiPlatform()
        db.session.add(platform)
    changed_keys = platform.key_set_url != details.key_set_url
    for name in ("name", "issuer", "client_id", "key_set_url", "auth_login_url",
                 "auth_token_url", "audience"):
        setattr(platform, name, getattr(details, name))
    if changed_keys:
        platform.key_set, platform.key_set_fetched_at = None, None
    kept = {d.deployment_id: d for d in platform.deployments}
    platform.deployments = [kept.get(value) or LtiDeployment(deployment_id=value)
                            for value in details.deployment_ids]
    audit.record(admin, "lti_platform_saved",
                 detail=f"{'Added' if creating else 'Changed'} {details.name} "
                        f"({details.issuer}, client {details.client_id})")
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise PlatformProblem("This issuer and client id are registered already: edit that "
                              "connection instead.", 409, field="client_id") from error
    tool.forget_tokens()
    return platform


def delete(admin: User, platform: LtiPlatform) -> None:
    """Remove a registration: its launches stop working; accounts, classes and scores
    stay (their links to the LMS go)."""
    audit.record(admin, "lti_platform_deleted",
                 detail=f"{platform.name} ({platform.issuer}, client {platform.client_id})")
    db.session.delete(platform)
    db.session.commit()
