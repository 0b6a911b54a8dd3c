"""A small, real LTI 1.3 platform (a test LMS) for the tool's tests.

It runs as an HTTP server on 127.0.0.1 (a random free port) in a daemon thread, so the tool
under test talks to it over HTTP as it would to Moodle or Canvas: the launch flow (login
initiation, /auth answering with a signed id_token), its key set (/jwks), the OAuth 2 token
endpoint (/token, client assertions checked against the tool's key set), Assignment and
Grade Services, Names and Role Provisioning Services and the Deep Linking return.

    with TestPlatform(client_id="framinglab-test", deployment_ids=["dep-1"]) as platform:
        platform.configure_tool(login_url=..., launch_url=..., jwks_url=...)
        platform.add_course("c1", "Media literacy", "ML1")
        platform.add_user("ada", given_name="Ada", family_name="Lovelace")
        platform.enrol("c1", "ada", [LEARNER])
        platform.add_resource_link("c1", "link-1", "Lesson 1", line_item={"scoreMaximum": 10})
        login_url, params = platform.login_initiation("ada", "c1", link_id="link-1")
        # the browser (a test) sends params to the tool's login URL; the tool redirects it
        # to the platform's /auth; the platform answers with a form to post to the tool:
        action, fields = platform.follow_auth(None, auth_url)  # fields: id_token, state

Knobs (attributes, or methods arming a fault for the next id_token / `with` block):
next_token_override, sign_with_unknown_key, unsigned, wrong_audience, wrong_issuer,
expired, unknown_deployment, missing_nonce, rotate_key; token_lifetime, fail_next_tokens,
revoke_tokens, tool_scopes, clock_offset; fail_next_scores, allow_extra_credit,
score_success_status, lineitems_page_size; page_size (NRPS), set_status;
deep_link_accept_multiple; ags_enabled, nrps_enabled, ags_scopes.
Records: requests_log, auth_requests, id_tokens, token_requests, tokens_issued,
scores(), gradebook(), ignored_scores, refused_scores, deep_link_results,
deep_link_items, returns, errors (the platform's own crashes).

The pieces live in platform_oidc (launch), platform_tokens (OAuth), platform_ags,
platform_nrps, platform_deep_link, platform_claims (claim names and id_token content),
platform_keys and platform_state. Nothing here imports the app.
"""

from __future__ import annotations

import threading
import time
import traceback
import uuid
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from tests.lti import platform_claims as claims
from tests.lti.local_server import LocalServer
from tests.lti.platform_ags import AgsMixin
from tests.lti.platform_deep_link import DeepLinkMixin
from tests.lti.platform_html import page
from tests.lti.platform_keys import KeyRing, ToolKeys
from tests.lti.platform_nrps import NrpsMixin
from tests.lti.platform_oidc import REMOVE, Misbehaviour, OidcMixin, PlatformRefused
from tests.lti.platform_state import Course, Enrolment, PlatformState, ResourceLink, User
from tests.lti.platform_tokens import TokenMixin, json_response

LEARNER = claims.LEARNER
INSTRUCTOR = claims.INSTRUCTOR
ADMIN = claims.ADMIN
TEACHING_ASSISTANT = claims.TEACHING_ASSISTANT

__all__ = ["ADMIN", "INSTRUCTOR", "LEARNER", "REMOVE", "TEACHING_ASSISTANT", "Misbehaviour",
           "PlatformRefused", "TestPlatform", "claims"]

ROUTES = Map([
    Rule("/jwks", endpoint="jwks", methods=["GET"]),
    Rule("/auth", endpoint="auth", methods=["GET", "POST"]),
    Rule("/token", endpoint="token", methods=["POST"]),
    Rule("/deep-link-return", endpoint="deep_link_return", methods=["POST"]),
    Rule("/courses/<ctx>/lineitems", endpoint="lineitems", methods=["GET", "POST"]),
    Rule("/courses/<ctx>/lineitems/<item_id>", endpoint="lineitem",
         methods=["GET", "PUT", "DELETE"]),
    Rule("/courses/<ctx>/lineitems/<item_id>/scores", endpoint="scores", methods=["POST"]),
    Rule("/courses/<ctx>/lineitems/<item_id>/results", endpoint="results", methods=["GET"]),
    Rule("/courses/<ctx>/memberships", endpoint="memberships", methods=["GET"]),
    Rule("/courses/<ctx>/return", endpoint="return", methods=["GET"]),
])


class TestPlatform(OidcMixin, TokenMixin, AgsMixin, NrpsMixin, DeepLinkMixin):
    """The test LMS. State and knobs are plain attributes; every HTTP handler takes the
    lock around state changes, so tests may read attributes between requests."""

    __test__ = False  # a fixture, not a pytest test class

    def __init__(self, client_id: str = "framinglab-test",
                 deployment_ids: list[str] | None = None, *,
                 token_audience: str | None = None) -> None:
        self.client_id = client_id
        self.deployment_ids = list(deployment_ids or ["dep-1"])
        self.token_audience = token_audience
        self.guid = "test-lms-" + uuid.uuid4().hex[:8]
        self.state = PlatformState()
        self.keys = KeyRing()
        self.tool_keys = ToolKeys()
        self._lock = threading.RLock()
        self._tool: dict[str, Any] | None = None
        self._server = LocalServer(self.wsgi_app, "lti-test-platform")
        # Knobs.
        self.id_token_lifetime = 300
        self.token_lifetime = 3600
        self.clock_offset = 0.0  # seconds added to the platform's clock (skew)
        self.tool_scopes = set(claims.ALL_SCOPES)  # scopes the token endpoint grants
        self.ags_scopes = list(claims.AGS_SCOPES)  # scopes named in the launch's AGS claim
        self.ags_enabled = True
        self.nrps_enabled = True
        # Records for assertions.
        self.requests_log: list[tuple[str, str, int]] = []  # (method, path, status)
        self.errors: list[str] = []  # the platform's own crashes (a bug in the fixture)
        self.auth_requests: list[dict[str, str]] = []
        self.id_tokens: list[dict[str, Any]] = []  # claims of every id_token signed
        self.token_requests: list[dict[str, Any]] = []
        self.tokens_issued = 0
        self.refused_scores: list[Any] = []
        self.deep_link_results: list[dict[str, Any]] = []
        self.deep_link_items: list[dict[str, Any]] = []
        self.returns: list[dict[str, str]] = []  # launch_presentation return_url visits
        # Internal queues.
        self._misbehaviours: list[Misbehaviour] = []
        self._pending: dict[str, Any] = {}
        self._deep_link_requests: dict[str, Any] = {}
        self._deep_link_nonces: set[str] = set()
        self._access_tokens: dict[str, Any] = {}
        self._used_jti: dict[str, float] = {}
        self._token_failures: list[int] = []
        self._score_failures: list[tuple[int, int | None]] = []

    # --- server ------------------------------------------------------------------------

    def start(self) -> TestPlatform:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> TestPlatform:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def issuer(self) -> str:
        """The platform's base URL (http://127.0.0.1:PORT), once started."""
        return self._server.url

    @property
    def token_url(self) -> str:
        return f"{self.issuer}/token"

    def now(self) -> int:
        return int(time.time() + self.clock_offset)

    def wsgi_app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            endpoint, args = ROUTES.bind_to_environ(environ).match()
            response = getattr(self, "_route_" + endpoint)(request, **args)
        except HTTPException as error:
            response = error.get_response(environ)
        except Exception:  # the fixture's own bug: answer 500 and keep it for the test
            self.errors.append(traceback.format_exc())
            response = Response("test platform error", status=500)
        self.requests_log.append((request.method, request.path, response.status_code))
        return response(environ, start_response)

    def _route_jwks(self, request: Request) -> Response:
        with self._lock:
            return json_response(self.keys.jwks(), headers={"Cache-Control": "no-store"})

    def _route_auth(self, request: Request) -> Response:
        return self.handle_auth(request)

    def _route_token(self, request: Request) -> Response:
        return self.handle_token(request)

    def _route_deep_link_return(self, request: Request) -> Response:
        return self.handle_deep_link_return(request)

    def _route_lineitems(self, request: Request, ctx: str) -> Response:
        return self.handle_lineitems(request, ctx)

    def _route_lineitem(self, request: Request, ctx: str, item_id: str) -> Response:
        return self.handle_lineitem(request, ctx, item_id)

    def _route_scores(self, request: Request, ctx: str, item_id: str) -> Response:
        return self.handle_scores(request, ctx, item_id)

    def _route_results(self, request: Request, ctx: str, item_id: str) -> Response:
        return self.handle_results(request, ctx, item_id)

    def _route_memberships(self, request: Request, ctx: str) -> Response:
        return self.handle_memberships(request, ctx)

    def _route_return(self, request: Request, ctx: str) -> Response:
        self.returns.append({"context_id": ctx, **request.args.to_dict()})
        return Response(page("Back in the course", request.args.get("lti_msg", "")),
                        mimetype="text/html")

    # --- registration ------------------------------------------------------------------

    def configure_tool(self, login_url: str, launch_url: str, jwks_url: str | None = None,
                       deep_link_url: str | None = None, *,
                       jwks: dict[str, Any] | None = None,
                       redirect_uris: list[str] | None = None) -> None:
        """Register the tool: its login initiation URL, launch (redirect) URL, and either its
        key set URL (fetched over HTTP, 127.0.0.1 only) or a fixed key set `jwks`."""
        if (jwks_url is None) == (jwks is None):
            raise ValueError("give the tool's jwks_url or its jwks, not both or neither")
        uris = [launch_url, *([deep_link_url] if deep_link_url else []), *(redirect_uris or [])]
        with self._lock:
            self.tool_keys.configure(jwks_url, jwks)
            self._tool = {"login_url": login_url, "launch_url": launch_url,
                          "deep_link_url": deep_link_url, "redirect_uris": uris}

    def registration(self) -> dict[str, Any]:
        """What an admin copies from the LMS into the tool's registration form."""
        return {"issuer": self.issuer, "client_id": self.client_id,
                "deployment_ids": list(self.deployment_ids),
                "key_set_url": f"{self.issuer}/jwks", "auth_login_url": f"{self.issuer}/auth",
                "auth_token_url": self.token_url, "audience": self.token_audience}

    # --- course data -------------------------------------------------------------------

    def add_course(self, context_id: str, title: str, label: str) -> Course:
        with self._lock:
            course = self.state.courses[context_id] = Course(context_id, title, label)
        return course

    def add_user(self, sub: str, roles: list[str] | None = None, given_name: str | None = None,
                 family_name: str | None = None, name: str | None = None,
                 email: str | None = None) -> User:
        """A person; `roles` are institution/system roles (context roles come with enrol)."""
        if name is None and (given_name or family_name):
            name = " ".join(part for part in (given_name, family_name) if part)
        with self._lock:
            user = self.state.users[sub] = User(sub, list(roles or []), given_name,
                                                family_name, name, email)
        return user

    def enrol(self, context_id: str, sub: str, roles: list[str],
              status: str = "Active") -> None:
        with self._lock:
            self.state.course(context_id)
            self.state.user(sub)
            self.state.enrolments.setdefault(context_id, {})[sub] = Enrolment(list(roles),
                                                                              status)

    def add_resource_link(self, context_id: str, link_id: str, title: str,
                          custom: dict[str, str] | None = None,
                          line_item: dict[str, Any] | None = None, url: str | None = None,
                          deployment_id: str | None = None) -> ResourceLink:
        """A placed link, as deep linking would make. `line_item` ({"scoreMaximum": 10,
        "label": ..., "resourceId": ..., "tag": ...}) adds its gradebook column, so launches
        carry the AGS `lineitem` claim."""
        with self._lock:
            self.state.course(context_id)
            link = ResourceLink(context_id, link_id, title, url, dict(custom or {}),
                                deployment_id)
            self.state.links[(context_id, link_id)] = link
            if line_item is not None:
                self.state.add_line_item(
                    context_id, label=line_item.get("label") or title,
                    score_maximum=line_item["scoreMaximum"],
                    resource_id=line_item.get("resourceId"), tag=line_item.get("tag"),
                    resource_link_id=link_id)
        return link

    def link(self, context_id: str, link_id: str) -> ResourceLink:
        with self._lock:
            return self.state.link(context_id, link_id)

    def line_items(self, context_id: str) -> list[dict[str, Any]]:
        """The context's line items as the service shows them (id = URL)."""
        with self._lock:
            return [item.to_json(self.line_item_url(item))
                    for item in self.state.line_items_of(context_id)]

    # --- reading the gradebook ---------------------------------------------------------

    def scores(self, context_id: str, line_item_id: str | None = None) -> list[dict[str, Any]]:
        """Every score the tool posted to the context (or one line item: its id or URL), in
        the order received, including ones a later timestamp superseded."""
        if line_item_id is not None:
            line_item_id = line_item_id.rstrip("/").rsplit("/", 1)[-1]
        with self._lock:
            return list(self.state.scores(context_id, line_item_id))

    def gradebook(self, context_id: str) -> dict[str, dict[str, float]]:
        """{sub: {line item label: scoreGiven / scoreMaximum}}: each user's latest score."""
        with self._lock:
            return self.state.gradebook(context_id)

    @property
    def ignored_scores(self) -> list[dict[str, Any]]:
        """Scores accepted but not applied: older timestamp than the one on record."""
        return list(self.state.ignored_scores)

    @property
    def jwks_fetches(self) -> int:
        """How many times anyone fetched the platform's /jwks."""
        return sum(1 for _method, path, _status in self.requests_log if path == "/jwks")
