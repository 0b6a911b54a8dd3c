"""Keys: the platform's own signing keys (published at /jwks) and the tool's public keys
(fetched from the tool's key set URL) used to check what the tool signs.

IMS Security Framework 1.0 (https://www.imsglobal.org/spec/security/v1p0/), section 6:
messages are signed with RS256, the JWT header names the key by `kid`, and a party that
sees an unknown kid fetches the other's key set again.
"""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any
from urllib.parse import urlsplit

import jwt
import requests
from jwcrypto.jwk import JWK

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class SigningKey:
    def __init__(self) -> None:
        self.kid = "plat-" + uuid.uuid4().hex[:12]
        self._jwk = JWK.generate(kty="RSA", size=2048, kid=self.kid)
        self.private_pem = self._jwk.export_to_pem(private_key=True, password=None)

    def public_jwk(self) -> dict[str, Any]:
        public = json.loads(self._jwk.export_public())
        return {**public, "alg": "RS256", "use": "sig"}

    def sign(self, claims: dict[str, Any], header: dict[str, Any] | None = None) -> str:
        return jwt.encode(claims, self.private_pem, algorithm="RS256",
                          headers={"kid": self.kid, **(header or {})})


class KeyRing:
    """The platform's keys: the current signing key first, then older ones still published."""

    def __init__(self) -> None:
        self.keys = [SigningKey()]
        self._stray: SigningKey | None = None

    @property
    def current(self) -> SigningKey:
        return self.keys[0]

    @property
    def stray(self) -> SigningKey:
        """A key the platform signs with only when told to misbehave: never in /jwks."""
        if self._stray is None:
            self._stray = SigningKey()
        return self._stray

    def rotate(self, keep_old: bool = True) -> str:
        self.keys = [SigningKey(), *(self.keys if keep_old else [])]
        return self.current.kid

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk() for key in self.keys]}


class ToolKeyError(Exception):
    """The tool's JWT cannot be checked or does not pass; the message says why."""


def require_loopback(url: str) -> str:
    if urlsplit(url).hostname not in LOOPBACK_HOSTS:
        raise ValueError(f"the test platform only talks to 127.0.0.1, not {url!r}")
    return url


class ToolKeys:
    """The tool's public keys: a fixed key set, or one fetched from its key set URL over
    HTTP, cached, and fetched again when a JWT names a kid the cache does not hold."""

    def __init__(self) -> None:
        self.url: str | None = None
        self.fixed: dict[str, Any] | None = None
        self.cache: dict[str, Any] | None = None
        self.fetches = 0
        self._lock = threading.Lock()

    def configure(self, url: str | None, fixed: dict[str, Any] | None) -> None:
        self.url = require_loopback(url) if url else None
        self.fixed, self.cache = fixed, None

    def _fetch(self) -> dict[str, Any]:
        if self.url is None:
            raise ToolKeyError("the tool has no key set URL or key set configured")
        self.fetches += 1
        try:
            response = requests.get(self.url, timeout=5,
                                    headers={"Accept": "application/json"})
            response.raise_for_status()
            key_set = response.json()
        except (requests.RequestException, ValueError) as error:
            raise ToolKeyError(f"could not fetch the tool's key set: {error}") from error
        if not isinstance(key_set, dict) or not isinstance(key_set.get("keys"), list):
            raise ToolKeyError("the tool's key set is not a JWKS ({'keys': [...]})")
        return key_set

    def _find(self, kid: str) -> dict[str, Any] | None:
        if self.fixed is not None:
            candidates = self.fixed["keys"]
        else:
            with self._lock:
                if self.cache is None or not any(k.get("kid") == kid for k in self.cache["keys"]):
                    self.cache = self._fetch()
                candidates = self.cache["keys"]
        return next((key for key in candidates if key.get("kid") == kid), None)

    def verify(self, token: str, *, audience: str | list[str], issuer: str,
               required: list[str]) -> dict[str, Any]:
        """The claims of a JWT the tool signed, after checking its RS256 signature against
        the tool's key named by `kid`, its audience, issuer, expiry and required claims."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise ToolKeyError(f"not a JWT: {error}") from error
        if header.get("alg") != "RS256":
            raise ToolKeyError(f"alg must be RS256, not {header.get('alg')!r}")
        kid = header.get("kid")
        if not kid:
            raise ToolKeyError("the JWT header has no kid")
        key = self._find(kid)
        if key is None:
            raise ToolKeyError(f"no key with kid {kid!r} in the tool's key set")
        try:
            return jwt.decode(token, jwt.PyJWK(key).key, algorithms=["RS256"],
                              audience=audience, issuer=issuer, leeway=5,
                              options={"require": required})
        except jwt.PyJWTError as error:
            raise ToolKeyError(f"{type(error).__name__}: {error}") from error
