"""A stand-in LTI tool for testing the test platform itself (tests/lti/test_platform.py):
its own RSA key, published at a RsaKeyS URL it serves on 127.0.0.1, and the few messages a tool
sends (authentication request parameters, client assertion, deep linking response)."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from typing import Any

import jwt
import requests
from werkzeug.wrappers import Request, Response

from tests.lti import platform_claims as c
from tests.lti.local_server import LocalServer
from tests.lti.platform_keys import RsaKey


class StubTool:
    def __init__(self, client_id: str = "framinglab-test") -> None:
        self.client_id = client_id
        self._made = 0
        self.published: list[RsaKey] = []
        self.key = self.new_key(publish=True)
        self.server = LocalServer(self._app, "stub-tool")
        self.jwks_served = 0

    def new_key(self, publish: bool) -> RsaKey:
        """A fresh signing key; published in the tool's RsaKeyS only when `publish`."""
        self._made += 1
        key = RsaKey(("tool", self._made - 1))
        if publish:
            self.published.append(key)
        return key

    def _app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.path != "/jwks":
            return Response("not found", status=404)(environ, start_response)
        self.jwks_served += 1
        body = {"keys": [key.public_jwk() for key in self.published]}
        return Response(json.dumps(body), mimetype="application/json")(environ, start_response)

    def __enter__(self) -> StubTool:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

    @property
    def jwks_url(self) -> str:
        return self.server.url + "/jwks"

    @property
    def launch_url(self) -> str:
        return self.server.url + "/launch"

    @property
    def login_url(self) -> str:
        return self.server.url + "/login"

    def register(self, platform: Any) -> None:
        platform.configure_tool(login_url=self.login_url, launch_url=self.launch_url,
                                jwks_url=self.jwks_url)

    def sign(self, claims: dict[str, Any], key: RsaKey | None = None) -> str:
        return (key or self.key).sign(claims)

    def auth_params(self, login: dict[str, str], nonce: str | None = None,
                    **changes: str) -> dict[str, str]:
        """The authentication request the tool's login endpoint redirects the browser to,
        as PyLTI1p3's OIDCLogin builds it."""
        params = {"scope": "openid", "response_type": "id_token",
                  "response_mode": "form_post", "prompt": "none", "client_id": self.client_id,
                  "redirect_uri": self.launch_url, "state": "state-" + secrets.token_hex(8),
                  "nonce": secrets.token_hex(16) if nonce is None else nonce,
                  "login_hint": login["login_hint"],
                  "lti_message_hint": login["lti_message_hint"], **changes}
        return {name: value for name, value in params.items() if value is not None}

    def client_assertion(self, audience: str, key: RsaKey | None = None, **changes: Any) -> str:
        now = int(time.time())
        claims = {"iss": self.client_id, "sub": self.client_id, "aud": audience,
                  "iat": now - 5, "exp": now + 60, "jti": "jti-" + uuid.uuid4().hex, **changes}
        return self.sign(claims, key)

    def request_token(self, platform: Any, scopes: list[str], assertion: str | None = None,
                      **form: str) -> requests.Response:
        body = {"grant_type": "client_credentials",
                "client_assertion_type": c.CLIENT_ASSERTION_TYPE,
                "client_assertion": assertion or self.client_assertion(platform.token_url),
                "scope": " ".join(scopes), **form}
        return requests.post(platform.token_url, data=body, timeout=10)

    def token(self, platform: Any, scopes: list[str]) -> str:
        response = self.request_token(platform, scopes)
        response.raise_for_status()
        return response.json()["access_token"]

    def deep_link_response(self, platform: Any, request_claims: dict[str, Any],
                           items: list[dict[str, Any]], key: RsaKey | None = None,
                           **changes: Any) -> str:
        """An LtiDeepLinkingResponse JWT answering the deep linking request `request_claims`
        (Deep Linking 2.0 section 4.2)."""
        now = int(time.time())
        settings = request_claims[c.DL_SETTINGS]
        claims = {"iss": self.client_id, "aud": [platform.issuer], "iat": now,
                  "exp": now + 600, "nonce": "nonce-" + uuid.uuid4().hex,
                  c.DEPLOYMENT_ID: request_claims[c.DEPLOYMENT_ID],
                  c.MESSAGE_TYPE: c.DEEP_LINKING_RESPONSE, c.VERSION: "1.3.0",
                  c.DL_CONTENT_ITEMS: items, c.DL_DATA: settings.get("data"), **changes}
        return self.sign(claims, key)

    def launch(self, platform: Any, user_sub: str, context_id: str, link_id: str | None = None,
               deep_link: bool = False, **changes: str) -> tuple[str, dict[str, str]]:
        """The whole browser round trip: login initiation, then the authentication request
        at the platform; the auto-post form's (action, fields)."""
        _login_url, login = platform.login_initiation(user_sub, context_id, link_id=link_id,
                                                      deep_link=deep_link)
        return platform.follow_auth(None, platform.auth_url(self.auth_params(login, **changes)))

    def verify_id_token(self, platform: Any, id_token: str) -> dict[str, Any]:
        """The id_token's claims, checked as a tool must: signature by the key the header's
        kid names in the platform's /jwks, issuer, audience, expiry."""
        kid = jwt.get_unverified_header(id_token)["kid"]
        key_set = requests.get(platform.issuer + "/jwks", timeout=10).json()
        key = next(key for key in key_set["keys"] if key["kid"] == kid)
        return jwt.decode(id_token, jwt.PyJWK(key).key, algorithms=["RS256"],
                          audience=self.client_id, issuer=platform.issuer)
