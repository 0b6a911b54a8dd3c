"""What an LTI 1.3 launch says, read from its (already verified) claims.

Pure: takes the id_token's body as a dict and returns plain values. Claim names are those
of LTI 1.3 Core, Deep Linking 2.0, Assignment and Grade Services 2.0 and Names and Role
Provisioning Services 2.0 (https://www.imsglobal.org/spec/lti/v1p3/,
https://www.imsglobal.org/spec/lti-ags/v2p0, https://www.imsglobal.org/spec/lti-nrps/v2p0).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Final

LTI: Final = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_ENDPOINT: Final = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS: Final = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DEEP_LINKING: Final = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"

SCOPE_LINEITEM: Final = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_SCORE: Final = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_MEMBERSHIPS: Final = \
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"

# The custom parameter a deep-linked resource link carries: which assignment it opens.
ASSIGNMENT_PARAM: Final = "framinglab_assignment"

# Context (course) roles that make someone the class's teacher here. Full URIs and the
# short forms LTI 1.3 still allows (Core, section A.2.3).
_TEACHING: Final = ("Instructor", "ContentDeveloper", "Administrator", "Mentor",
                    "TeachingAssistant")
_LEARNING: Final = ("Learner",)
_MEMBERSHIP: Final = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def _context_role_names(roles: Iterable[str]) -> set[str]:
    """The context roles' names ("Instructor"), sub-roles folded into their role."""
    names = set()
    for role in roles:
        if not isinstance(role, str):
            continue
        if role.startswith(_MEMBERSHIP):
            name = role[len(_MEMBERSHIP):]
        elif role.startswith("http://purl.imsglobal.org/vocab/lis/v2/membership/"):
            # A sub-role: .../membership/Instructor#TeachingAssistant
            name = role.rsplit("/", 1)[-1].split("#", 1)[0]
        elif "/" not in role and "#" not in role:
            name = role
        else:
            continue
        names.add(name)
    return names


def local_role(roles: Iterable[str]) -> str | None:
    """"teacher" for a course's teaching roles, "student" for a learner, else None.

    Only context (course) roles count: an institution or system role says what someone is
    elsewhere in the school, not in this course.
    """
    names = _context_role_names(roles)
    if names.intersection(_TEACHING):
        return "teacher"
    if names.intersection(_LEARNING):
        return "student"
    return None


@dataclass(frozen=True, slots=True)
class Launch:
    """The parts of a verified launch the tool acts on."""

    subject: str
    role: str | None
    message_type: str
    deployment_id: str
    display_name: str
    email: str
    context_id: str | None
    context_title: str
    resource_link_id: str | None
    resource_link_title: str
    custom: dict[str, str] = field(default_factory=dict)
    lineitem_url: str | None = None
    lineitems_url: str | None = None
    ags_scopes: tuple[str, ...] = ()
    memberships_url: str | None = None
    return_url: str | None = None
    document_target: str | None = None
    # The school information system's ids (the LIS claim): the same sourcedIds a
    # OneRoster import stores, so a launch finds the imported account and class.
    person_sourcedid: str | None = None
    section_sourcedid: str | None = None


def _text(value: Any, limit: int = 255) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _url(value: Any) -> str | None:
    text = _text(value, 500)
    return text if text.startswith(("https://", "http://")) else None


def display_name_of(claims: Mapping[str, Any]) -> str:
    """The person's name as the platform gives it, or "" when it sends none (privacy)."""
    name = _text(claims.get("name"), 120)
    if name:
        return name
    parts = [_text(claims.get("given_name"), 60), _text(claims.get("family_name"), 60)]
    return " ".join(part for part in parts if part)[:120]


def read_launch(claims: Mapping[str, Any]) -> Launch:
    """The launch's subject, role, course, link and services, from its claims."""
    context = claims.get(LTI + "context") or {}
    link = claims.get(LTI + "resource_link") or {}
    custom = claims.get(LTI + "custom") or {}
    ags = claims.get(AGS_ENDPOINT) or {}
    nrps = claims.get(NRPS) or {}
    presentation = claims.get(LTI + "launch_presentation") or {}
    lis = claims.get(LTI + "lis") or {}
    if not isinstance(lis, Mapping):
        lis = {}
    roles = claims.get(LTI + "roles") or []
    if not isinstance(context, Mapping):
        context = {}
    if not isinstance(link, Mapping):
        link = {}
    scopes = ags.get("scope") if isinstance(ags, Mapping) else None
    return Launch(
        subject=_text(claims.get("sub")),
        role=local_role(roles if isinstance(roles, list) else []),
        message_type=_text(claims.get(LTI + "message_type"), 64),
        deployment_id=_text(claims.get(LTI + "deployment_id")),
        display_name=display_name_of(claims),
        email=_text(claims.get("email")),
        context_id=_text(context.get("id")) or None,
        context_title=_text(context.get("title")) or _text(context.get("label")),
        resource_link_id=_text(link.get("id")) or None,
        resource_link_title=_text(link.get("title")),
        custom={str(k)[:64]: _text(v, 500) for k, v in custom.items()
                if isinstance(v, str)} if isinstance(custom, Mapping) else {},
        lineitem_url=_url(ags.get("lineitem")) if isinstance(ags, Mapping) else None,
        lineitems_url=_url(ags.get("lineitems")) if isinstance(ags, Mapping) else None,
        ags_scopes=tuple(s for s in scopes if isinstance(s, str))[:10]
        if isinstance(scopes, list) else (),
        memberships_url=_url(nrps.get("context_memberships_url"))
        if isinstance(nrps, Mapping) else None,
        return_url=_url(presentation.get("return_url"))
        if isinstance(presentation, Mapping) else None,
        document_target=_text(presentation.get("document_target"), 16) or None
        if isinstance(presentation, Mapping) else None,
        person_sourcedid=_text(lis.get("person_sourcedid")) or None,
        section_sourcedid=_text(lis.get("course_section_sourcedid")) or None,
    )


def assignment_param(custom: Mapping[str, str]) -> int | None:
    """The assignment id a deep-linked resource link carries, if it is a plain number."""
    value = custom.get(ASSIGNMENT_PARAM, "")
    return int(value) if value.isdigit() and len(value) < 12 else None


_NOT_NAME = re.compile(r"[^a-z0-9]+")


def username_base(display_name: str, email: str, subject: str) -> str:
    """A readable username stem for a new account: the name, the e-mail's local part, or
    "lms-user"; lower-case ASCII letters and digits joined by dots, at most 24 characters
    (a number may be added to make it unique)."""
    for source in (display_name, email.split("@", 1)[0]):
        ascii_text = unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode()
        stem = _NOT_NAME.sub(".", ascii_text.lower()).strip(".")
        if len(stem) >= 3:
            return stem[:24].strip(".")
    return "lms.user"


# How long a failed score send waits before the next try: the LMS may be restarting or
# briefly overloaded, then down for longer. After the last wait the send is "failed" and
# waits for a teacher's "Send again" (or `flask lti send-grades --failed`).
RETRY_WAITS: Final = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                      timedelta(hours=2), timedelta(hours=12))


def next_wait(tries: int) -> timedelta | None:
    """How long to wait after the ``tries``-th failed send; None once it should give up."""
    if tries < 1:
        return timedelta(0)
    return RETRY_WAITS[tries - 1] if tries <= len(RETRY_WAITS) else None
