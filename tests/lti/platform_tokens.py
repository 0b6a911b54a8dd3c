"""The OAuth 2 token endpoint of the test LMS and the bearer check its services use.

IMS Security Framework 1.0 section 4 (https://www.imsglobal.org/spec/security/v1p0/):
the tool asks for an access token with the client_credentials grant, authenticating by a
JWT it signs (RFC 7523 client assertion: iss = sub = client_id, aud = the token endpoint or
the platform's stated audience, exp, iat, unique jti), and names the scopes it wants.
Errors follow RFC 6749 section 5.2; services answer RFC 6750 errors (401 invalid_token,
403 insufficient_scope).
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.lti import platform_claims as c
from tests.lti.platform_keys import ToolKeyError


@dataclass
class AccessToken:
    scopes: frozenset[str]
    expires_at: float


def json_response(body: Any, status: int = 200, mimetype: str = "application/json",
                  headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, mimetype=mimetype, headers=headers)


def oauth_error(status: int, error: str, description: str) -> Response:
    return json_response({"error": error, "error_description": description}, status,
                         headers={"Cache-Control": "no-store"})


ASSERTION = c.CLIENT_ASSERTION_TYPE


class TokenMixin:
    """Token endpoint of TestPlatform."""

    def fail_next_tokens(self, count: int = 1, status: int = 503) -> None:
        """Make the next `count` token requests fail with `status` (a platform outage)."""
        with self._lock:
            self._token_failures.extend([status] * count)

    def revoke_tokens(self) -> None:
        """Forget every access token issued so far (services then answer 401)."""
        with self._lock:
            self._access_tokens.clear()

    def handle_token(self, request: Request) -> Response:
        with self._lock:
            failure = self._token_failures.pop(0) if self._token_failures else None
        if failure is not None:
            self.token_requests.append({"error": "injected failure", "status": failure})
            return oauth_error(failure, "temporarily_unavailable", "injected failure")
        form = request.form
        refusal = self._check_token_request(form)
        if refusal is not None:
            self.token_requests.append({"error": refusal[1], "status": refusal[0]})
            return oauth_error(*refusal)
        requested = form.get("scope", "").split()
        granted = [scope for scope in requested if scope in self.tool_scopes]
        if not granted:
            self.token_requests.append({"error": "invalid_scope", "requested": requested})
            return oauth_error(400, "invalid_scope",
                               "none of the requested scopes is granted to this tool")
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._access_tokens[token] = AccessToken(
                frozenset(granted), self.now_precise() + self.token_lifetime)
            self.tokens_issued += 1
        self.token_requests.append({"requested": requested, "granted": granted})
        return json_response({"access_token": token, "token_type": "Bearer",
                              "expires_in": self.token_lifetime, "scope": " ".join(granted)},
                             headers={"Cache-Control": "no-store"})

    def _check_token_request(self, form: Any) -> tuple[int, str, str] | None:
        if form.get("grant_type") != "client_credentials":
            return 400, "unsupported_grant_type", "grant_type must be client_credentials"
        if form.get("client_assertion_type") != c.CLIENT_ASSERTION_TYPE:
            return 400, "invalid_request", f"client_assertion_type must be {ASSERTION}"
        assertion = form.get("client_assertion")
        if not assertion:
            return 400, "invalid_request", "client_assertion is missing"
        audience = self.token_audience or self.token_url
        try:
            claims = self.tool_keys.verify(
                assertion, audience=audience, issuer=self.client_id,
                required=["iss", "sub", "aud", "exp", "iat", "jti"])
        except ToolKeyError as error:
            return 401, "invalid_client", f"client assertion refused: {error}"
        if claims["sub"] != self.client_id:
            return 401, "invalid_client", "client assertion sub must be the client_id"
        with self._lock:
            now = self.now_precise()
            self._used_jti = {jti: exp for jti, exp in self._used_jti.items() if exp > now}
            if claims["jti"] in self._used_jti:
                return 401, "invalid_client", "client assertion jti was already used"
            self._used_jti[claims["jti"]] = float(claims["exp"])
        return None

    def bearer_refusal(self, request: Request, accepted: tuple[str, ...]) -> Response | None:
        """None when the request carries a live access token holding one of `accepted`
        scopes; otherwise the RFC 6750 error response."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return self._bearer_error(401, "invalid_request", "Authorization: Bearer missing")
        with self._lock:
            grant = self._access_tokens.get(token.strip())
            if grant is not None and grant.expires_at <= self.now_precise():
                del self._access_tokens[token.strip()]
                return self._bearer_error(401, "invalid_token", "the access token expired")
        if grant is None:
            return self._bearer_error(401, "invalid_token", "unknown access token")
        if not grant.scopes.intersection(accepted):
            return self._bearer_error(403, "insufficient_scope",
                                      "the token lacks the scope this service needs",
                                      scope=" ".join(accepted))
        return None

    def _bearer_error(self, status: int, error: str, description: str,
                      scope: str | None = None) -> Response:
        challenge = f'Bearer error="{error}", error_description="{description}"'
        if scope:
            challenge += f', scope="{scope}"'
        return json_response({"error": error, "error_description": description}, status,
                             headers={"WWW-Authenticate": challenge})

    def now_precise(self) -> float:
        return time.time() + self.clock_offset
