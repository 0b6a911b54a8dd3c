"""Names from the LTI 1.3 / LTI Advantage specifications and the id_token claims the test
platform puts in a launch.

Claim names, role URIs, scopes and media types are those of:
- LTI Core 1.3, https://www.imsglobal.org/spec/lti/v1p3/ (message claims, role vocabularies)
- Deep Linking 2.0, https://www.imsglobal.org/spec/lti-dl/v2p0 (deep_linking_settings)
- Assignment and Grade Services 2.0, https://www.imsglobal.org/spec/lti-ags/v2p0
- Names and Role Provisioning Services 2.0, https://www.imsglobal.org/spec/lti-nrps/v2p0
"""

from __future__ import annotations

from typing import Any

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
VERSION = LTI + "version"
DEPLOYMENT_ID = LTI + "deployment_id"
TARGET_LINK_URI = LTI + "target_link_uri"
ROLES = LTI + "roles"
CONTEXT = LTI + "context"
RESOURCE_LINK = LTI + "resource_link"
LAUNCH_PRESENTATION = LTI + "launch_presentation"
CUSTOM = LTI + "custom"
TOOL_PLATFORM = LTI + "tool_platform"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
DL_CONTENT_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
DL_DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data"
DL_MSG = "https://purl.imsglobal.org/spec/lti-dl/claim/msg"
DL_ERRORMSG = "https://purl.imsglobal.org/spec/lti-dl/claim/errormsg"

RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
DEEP_LINKING_RESPONSE = "LtiDeepLinkingResponse"

# Roles (LTI Core 1.3, appendix A.2): context roles, then institution and system roles.
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
TEACHING_ASSISTANT = (
    "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant")
CONTENT_DEVELOPER = "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper"
MENTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"
ADMIN = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"
INSTITUTION_STUDENT = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student"
INSTITUTION_INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor"
SYSTEM_ADMIN = "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator"
COURSE_OFFERING = "http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"

# OAuth 2 scopes (AGS 2.0 section 3.1, NRPS 2.0 section 2.1).
SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
SCOPE_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
AGS_SCOPES = (SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_SCORE, SCOPE_RESULT_READONLY)
ALL_SCOPES = (*AGS_SCOPES, SCOPE_NRPS)

# Media types (AGS 2.0 and NRPS 2.0).
LINEITEM_MEDIA = "application/vnd.ims.lis.v2.lineitem+json"
LINEITEMS_MEDIA = "application/vnd.ims.lis.v2.lineitemcontainer+json"
SCORE_MEDIA = "application/vnd.ims.lis.v1.score+json"
RESULTS_MEDIA = "application/vnd.ims.lis.v2.resultcontainer+json"
MEMBERSHIPS_MEDIA = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"

ACTIVITY_PROGRESS = ("Initialized", "Started", "InProgress", "Submitted", "Completed")
GRADING_PROGRESS = ("FullyGraded", "Pending", "PendingManual", "Failed", "NotReady")

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def context_claim(course: Any) -> dict[str, Any]:
    return {"id": course.context_id, "label": course.label, "title": course.title,
            "type": [COURSE_OFFERING]}


def person_claims(user: Any) -> dict[str, Any]:
    """The OpenID Connect standard claims about the user (LTI Core 1.3 section 5.3.6)."""
    claims = {"given_name": user.given_name, "family_name": user.family_name,
              "name": user.name, "email": user.email}
    return {key: value for key, value in claims.items() if value is not None}


def substitute(custom: dict[str, str], values: dict[str, str]) -> dict[str, str]:
    """Custom parameters with the few substitution variables the platform knows replaced
    (LTI Core 1.3 appendix C); unknown variables are left as they are, as the spec says."""
    return {key: values.get(value, value) for key, value in custom.items()}


def launch_claims(platform: Any, *, user: Any, course: Any, deployment_id: str,
                  target_link_uri: str, nonce: str, now: int, link: Any = None,
                  deep_link_data: str | None = None) -> dict[str, Any]:
    """The full claim set of an id_token for a resource link launch (link given) or a deep
    linking request (deep_link_data given)."""
    message_type = DEEP_LINKING_REQUEST if deep_link_data is not None else RESOURCE_LINK_REQUEST
    claims: dict[str, Any] = {
        "iss": platform.issuer,
        "aud": platform.client_id,
        "azp": platform.client_id,
        "sub": user.sub,
        "iat": now,
        "exp": now + platform.id_token_lifetime,
        "nonce": nonce,
        MESSAGE_TYPE: message_type,
        VERSION: "1.3.0",
        DEPLOYMENT_ID: deployment_id,
        TARGET_LINK_URI: target_link_uri,
        ROLES: platform.state.launch_roles(course.context_id, user.sub),
        CONTEXT: context_claim(course),
        LAUNCH_PRESENTATION: {
            "document_target": "iframe",
            "return_url": f"{platform.issuer}/courses/{course.path}/return",
            "locale": "en",
        },
        TOOL_PLATFORM: {
            "guid": platform.guid,
            "name": "Framing Lab test LMS",
            "product_family_code": "framinglab-test-lms",
            "version": "1.0",
        },
        **person_claims(user),
    }
    if platform.ags_enabled:
        endpoint: dict[str, Any] = {
            "scope": list(platform.ags_scopes),
            "lineitems": f"{platform.issuer}/courses/{course.path}/lineitems",
        }
        if link is not None:
            items = platform.state.line_items_of_link(course.context_id, link.link_id)
            if items:
                endpoint["lineitem"] = platform.line_item_url(items[0])
        claims[AGS_ENDPOINT] = endpoint
    if platform.nrps_enabled:
        claims[NRPS] = {
            "context_memberships_url": f"{platform.issuer}/courses/{course.path}/memberships",
            "service_versions": ["2.0"],
        }
    if link is not None:
        claims[RESOURCE_LINK] = {"id": link.link_id, "title": link.title}
        if link.custom:
            claims[CUSTOM] = substitute(link.custom, {
                "$User.id": user.sub, "$Context.id": course.context_id,
                "$Context.title": course.title, "$ResourceLink.id": link.link_id,
                "$ResourceLink.title": link.title or "",
            })
    if deep_link_data is not None:
        claims[DL_SETTINGS] = {
            "deep_link_return_url": f"{platform.issuer}/deep-link-return",
            "accept_types": ["ltiResourceLink"],
            "accept_presentation_document_targets": ["iframe", "window"],
            "accept_multiple": platform.deep_link_accept_multiple,
            "auto_create": True,
            "title": f"Add an activity to {course.title}",
            "data": deep_link_data,
        }
    return claims
