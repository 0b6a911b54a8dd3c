"""The launch side of the test LMS: third-party initiated login, the OpenID Connect
authorization endpoint (/auth) that answers with a signed id_token, and the knobs that make
the next id_token wrong on purpose so tests can check the tool refuses it.

LTI Core 1.3 section 5.1 and IMS Security Framework 1.0 section 5.1.1
(https://www.imsglobal.org/spec/security/v1p0/#openid_connect_launch_flow): the platform
sends the browser to the tool's login URL; the tool sends it back to the platform's
authorization endpoint with scope=openid, response_type=id_token, response_mode=form_post,
prompt=none, client_id, redirect_uri, login_hint, lti_message_hint, state and nonce; the
platform answers with a page that posts id_token and state to redirect_uri.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from werkzeug.wrappers import Request, Response

from tests.lti import platform_claims as c
from tests.lti.platform_html import auto_post_form, page, parse_form
from tests.lti.platform_state import PendingLogin

REMOVE = object()  # a claim override value that drops the claim from the id_token


class PlatformRefused(Exception):
    """The platform answered a browser step with an error page instead of a form."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"{status}: {text[:300]}")
        self.status, self.text = status, text


class Misbehaviour:
    """One deliberate fault in the id_tokens the platform signs. Armed when made, it spoils
    the next id_token only; used as a context manager it spoils every id_token signed inside
    the `with` block."""

    def __init__(self, platform: Any, claims: dict[str, Any], header: dict[str, Any] | None,
                 key: str) -> None:
        self.platform, self.claims, self.header, self.key = platform, claims, header or {}, key
        self.sticky = False
        platform._misbehaviours.append(self)

    def __enter__(self) -> Misbehaviour:
        self.sticky = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self in self.platform._misbehaviours:
            self.platform._misbehaviours.remove(self)


class OidcMixin:
    """Launch flow of TestPlatform (uses its state, keys, lock and tool configuration)."""

    # --- what tests call ---------------------------------------------------------------

    def login_initiation(self, user_sub: str, context_id: str, link_id: str | None = None,
                         deep_link: bool = False, target_link_uri: str | None = None,
                         deployment_id: str | None = None) -> tuple[str, dict[str, str]]:
        """The tool's login URL and the parameters of the third-party initiated login the
        LMS sends the browser with (GET query or POST form, LTI Core 1.3 section 4.1)."""
        tool = self._require_tool()
        with self._lock:
            self.state.course(context_id)
            self.state.user(user_sub)
            link = self.state.link(context_id, link_id) if link_id else None
            if not deep_link and link is None:
                raise ValueError("a resource link launch needs link_id (or deep_link=True)")
            deployment = deployment_id or (link.deployment_id if link else None)
            deployment = deployment or self.deployment_ids[0]
            if target_link_uri is None:
                if deep_link:
                    target_link_uri = tool["deep_link_url"] or tool["launch_url"]
                else:
                    target_link_uri = (link.url if link and link.url else tool["launch_url"])
            hint = "msg-" + secrets.token_urlsafe(12)
            self._pending[hint] = PendingLogin(hint, user_sub, context_id, deployment,
                                               target_link_uri, link_id, deep_link)
        params = {"iss": self.issuer, "login_hint": user_sub,
                  "target_link_uri": target_link_uri, "lti_message_hint": hint,
                  "client_id": self.client_id, "lti_deployment_id": deployment}
        return tool["login_url"], params

    def follow_auth(self, session: requests.Session | None,
                    auth_url: str) -> tuple[str, dict[str, str]]:
        """Act as the browser at the platform's authorization endpoint: GET `auth_url` (the
        redirect the tool's login answered with) and return the auto-post form's action and
        fields (id_token and state, or error and error_description). Raises PlatformRefused
        when the platform answers with an error page instead (unknown client, bad
        redirect_uri)."""
        getter = session.get if session is not None else requests.get
        response = getter(auth_url, timeout=10, allow_redirects=False)
        if response.status_code != 200:
            raise PlatformRefused(response.status_code, response.text)
        action, _method, fields = parse_form(response.text)
        return action, fields

    def next_token_override(self, claims: dict[str, Any] | None = None, *,
                            header: dict[str, Any] | None = None, **short: Any) -> Misbehaviour:
        """Set claims of the next id_token (full claim names in `claims`, top-level ones
        such as aud=... as keywords); REMOVE drops a claim; a callable gets `now`."""
        return Misbehaviour(self, {**(claims or {}), **short}, header, "current")

    def sign_with_unknown_key(self) -> Misbehaviour:
        """Sign with a key whose kid is not in /jwks (a forged or stale token)."""
        return Misbehaviour(self, {}, None, "stray")

    def unsigned(self) -> Misbehaviour:
        """alg "none": no signature at all."""
        return Misbehaviour(self, {}, None, "none")

    def wrong_audience(self, audience: str = "some-other-tool") -> Misbehaviour:
        return Misbehaviour(self, {"aud": audience, "azp": audience}, None, "current")

    def wrong_issuer(self, issuer: str = "https://lms.example.invalid") -> Misbehaviour:
        return Misbehaviour(self, {"iss": issuer}, None, "current")

    def expired(self) -> Misbehaviour:
        """exp ten minutes ago (and iat before that)."""
        return Misbehaviour(self, {"exp": lambda now: now - 600, "iat": lambda now: now - 900},
                            None, "current")

    def unknown_deployment(self, deployment_id: str = "dep-unknown") -> Misbehaviour:
        return Misbehaviour(self, {c.DEPLOYMENT_ID: deployment_id}, None, "current")

    def missing_nonce(self) -> Misbehaviour:
        return Misbehaviour(self, {"nonce": REMOVE}, None, "current")

    def rotate_key(self, keep_old: bool = True) -> str:
        """Sign from now on with a new key (new kid); the old key stays in /jwks unless
        keep_old is False. Returns the new kid."""
        with self._lock:
            return self.keys.rotate(keep_old)

    # --- signing -----------------------------------------------------------------------

    def _sign_id_token(self, claims: dict[str, Any], now: int) -> str:
        key, header = "current", {}
        for fault in list(self._misbehaviours):
            key = fault.key if fault.key != "current" else key
            header.update(fault.header)
            for name, value in fault.claims.items():
                if value is REMOVE:
                    claims.pop(name, None)
                else:
                    claims[name] = value(now) if callable(value) else value
            if not fault.sticky:
                self._misbehaviours.remove(fault)
        self.id_tokens.append(claims)
        if key == "none":
            return jwt.encode(claims, None, algorithm="none")
        signer = self.keys.stray if key == "stray" else self.keys.current
        return signer.sign(claims, header)

    # --- /auth -------------------------------------------------------------------------

    def handle_auth(self, request: Request) -> Response:
        params = request.values
        tool = self._tool
        self.auth_requests.append(dict(params))
        if params.get("client_id") != self.client_id:
            return self._html(400, "Unknown client", "client_id is not registered here.")
        redirect_uri = params.get("redirect_uri", "")
        if tool is None or redirect_uri not in tool["redirect_uris"]:
            return self._html(400, "Unknown redirect_uri",
                              "redirect_uri is not one of the tool's registered launch URLs.")
        state = params.get("state")

        def answer(fields: dict[str, str], title: str = "Launching") -> Response:
            if state is not None:
                fields["state"] = state
            return Response(auto_post_form(redirect_uri, fields, title), mimetype="text/html")

        with self._lock:
            error = self._auth_error(params)
            if error is not None:
                return answer({"error": error[0], "error_description": error[1]},
                              "Launch refused")
            pending = self._pending.pop(params["lti_message_hint"])
            now = self.now()
            link = None
            if pending.link_id:
                link = self.state.link(pending.context_id, pending.link_id)
            data = None
            if pending.deep_link:
                data = "dl-" + secrets.token_urlsafe(12)
                self._deep_link_requests[data] = pending
            claims = c.launch_claims(
                self, user=self.state.user(pending.user_sub),
                course=self.state.course(pending.context_id),
                deployment_id=pending.deployment_id, target_link_uri=pending.target_link_uri,
                nonce=params["nonce"], now=now, link=link, deep_link_data=data)
            id_token = self._sign_id_token(claims, now)
        return answer({"id_token": id_token})

    def _auth_error(self, params: Any) -> tuple[str, str] | None:
        """The OpenID Connect error for a bad authentication request, or None (called with
        the lock held)."""
        if "openid" not in params.get("scope", "").split():
            return "invalid_scope", "scope must include openid"
        if params.get("response_type") != "id_token":
            return "unsupported_response_type", "response_type must be id_token"
        for name, wanted in (("response_mode", "form_post"), ("prompt", "none")):
            if params.get(name) != wanted:
                return "invalid_request", f"{name} must be {wanted}"
        if not params.get("nonce"):
            return "invalid_request", "nonce is required"
        pending = self._pending.get(params.get("lti_message_hint", ""))
        if pending is None:
            return "invalid_request", "lti_message_hint is unknown or already used"
        if params.get("login_hint") != pending.user_sub:
            return "login_required", "login_hint is not the user this login was started for"
        return None

    def _html(self, status: int, title: str, text: str) -> Response:
        return Response(page(title, text), status=status, mimetype="text/html")

    def auth_url(self, params: dict[str, str]) -> str:
        """The authorization endpoint URL with `params`, as a tool would build it."""
        return f"{self.issuer}/auth?{urlencode(params)}"

    def _require_tool(self) -> dict[str, Any]:
        if self._tool is None:
            raise RuntimeError("call configure_tool(...) first")
        return self._tool
