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
from cryptography.hazmat.primitives import serialization
from jwcrypto.jwk import JWK

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}

_MATERIAL: dict[tuple[str, int], tuple[Any, dict[str, Any]]] = {}
_MATERIAL_LOCK = threading.Lock()


class RsaKey:
    """An RSA 2048 signing key named `kid`.

    Making RSA keys, and loading them from PEM, takes tens of milliseconds each, so the key
    material of each slot (("platform", 0), ("platform", 1), ("tool", 0)...) is made once per
    test process and kept as a loaded key; each RsaKey gets a fresh kid. Every platform and
    tool thus has its own kids, and different slots never share a key."""

    def __init__(self, slot: tuple[str, int], kid: str | None = None) -> None:
        with _MATERIAL_LOCK:
            if slot not in _MATERIAL:
                jwk = JWK.generate(kty="RSA", size=2048)
                public = json.loads(jwk.export_public())
                public.pop("kid", None)
                _MATERIAL[slot] = (jwk.get_op_key("sign"), public)
            self.private_key, public = _MATERIAL[slot]
        self.kid = kid or f"{slot[0]}-{uuid.uuid4().hex[:12]}"
        self._public = {**public, "kid": self.kid}

    def public_jwk(self) -> dict[str, Any]:
        return {**self._public, "alg": "RS256", "use": "sig"}

    def private_pem(self) -> str:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()).decode()

    def public_pem(self) -> str:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def sign(self, claims: dict[str, Any], header: dict[str, Any] | None = None) -> str:
        return jwt.encode(claims, self.private_key, algorithm="RS256",
                          headers={"kid": self.kid, **(header or {})})


class KeyRing:
    """The platform's keys: the current signing key first, then older ones still published."""

    def __init__(self) -> None:
        self._made = 0
        self.keys = [self._new()]
        self._stray: RsaKey | None = None

    def _new(self) -> RsaKey:
        self._made += 1
        return RsaKey(("platform", self._made - 1))

    @property
    def current(self) -> RsaKey:
        return self.keys[0]

    @property
    def stray(self) -> RsaKey:
        """A key the platform signs with only when told to misbehave: never in /jwks."""
        if self._stray is None:
            self._stray = RsaKey(("stray", 0))
        return self._stray

    def rotate(self, keep_old: bool = True) -> str:
        self.keys = [self._new(), *(self.keys if keep_old else [])]
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
