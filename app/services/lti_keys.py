"""The tool's own signing keys (RSA, RS256), published at /lti/jwks.

The newest unretired key signs deep-linking responses and token requests. Rotating makes
a new key and retires the old one, which stays in the published key set for
``RETIRED_KEPT`` so a platform that cached the old set, or a token signed just before the
rotation, still verifies; after that it is deleted.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

import sqlalchemy as sa
from jwcrypto.jwk import JWK
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import LtiToolKey
from app.models.types import utcnow

RETIRED_KEPT: Final = timedelta(days=7)
KEY_SIZE: Final = 2048


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    private_pem: str


def _new_key() -> LtiToolKey:
    jwk = JWK.generate(kty="RSA", size=KEY_SIZE)
    kid = secrets.token_urlsafe(16)
    public = json.loads(jwk.export_public())
    public.update({"kid": kid, "alg": "RS256", "use": "sig"})
    private_pem = jwk.export_to_pem(private_key=True, password=None).decode("ascii")
    return LtiToolKey(kid=kid, private_pem=private_pem, public_jwk=public)


def _current() -> LtiToolKey | None:
    return db.session.scalar(sa.select(LtiToolKey).where(LtiToolKey.retired_at.is_(None))
                             .order_by(LtiToolKey.created_at.desc(), LtiToolKey.id.desc())
                             .limit(1))


def signing_key() -> SigningKey:
    """The key that signs now, made on first use (committed at once, so two workers that
    both found none agree on one: the loser of the race uses the winner's)."""
    key = _current()
    if key is None:
        key = _new_key()
        try:
            with db.session.begin_nested():
                db.session.add(key)
        except IntegrityError:  # pragma: no cover - kid collision, practically impossible
            key = _current()
        assert key is not None
    return SigningKey(key.kid, key.private_pem)


def rotate() -> str:
    """Retire the signing key, make a new one, drop keys retired long ago; the caller
    commits. Returns the new key id."""
    now = utcnow()
    db.session.execute(sa.delete(LtiToolKey).where(LtiToolKey.retired_at < now - RETIRED_KEPT))
    db.session.execute(sa.update(LtiToolKey).where(LtiToolKey.retired_at.is_(None))
                       .values(retired_at=now))
    key = _new_key()
    db.session.add(key)
    db.session.flush()
    return key.kid


def public_key_set() -> dict[str, Any]:
    """The JWKS: the signing key and those retired within ``RETIRED_KEPT``."""
    signing_key()
    cutoff = utcnow() - RETIRED_KEPT
    keys = db.session.scalars(sa.select(LtiToolKey).where(
        sa.or_(LtiToolKey.retired_at.is_(None), LtiToolKey.retired_at >= cutoff))
        .order_by(LtiToolKey.created_at.desc(), LtiToolKey.id.desc()))
    return {"keys": [dict(key.public_jwk) for key in keys]}


def key_summary() -> list[tuple[str, Any, Any]]:
    """(kid, created, retired) of every published key, newest first, for the admin page."""
    cutoff = utcnow() - RETIRED_KEPT
    return [(key.kid, key.created_at, key.retired_at) for key in db.session.scalars(
        sa.select(LtiToolKey).where(sa.or_(LtiToolKey.retired_at.is_(None),
                                           LtiToolKey.retired_at >= cutoff))
        .order_by(LtiToolKey.created_at.desc(), LtiToolKey.id.desc()))]
