"""PyLTI1p3 (the maintained `pylti1p3next` fork) wired to this app's database.

The library does the protocol: the OIDC login redirect, the id_token's signature, issuer,
audience, expiry, deployment and message checks, deep-linking responses and the service
calls. What it leaves to the tool is kept here:

* registrations and deployments come from the `lti_platforms` tables an admin fills in;
* state, nonces and launch data live in the database (`lti_stored_values`), so every
  worker sees them, and a nonce is **consumed** by its launch: the same id_token posted
  twice is refused (the library's session store only checks that a nonce exists);
* the platform's key set is kept on its row and fetched again when a launch is signed
  with a key id it does not hold (the platform rotated its keys), at most once a minute;
* every HTTP call to the platform has a time-out, and access tokens are cached for a
  little less than the lifetime the platform gave them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, Final

import requests
import sqlalchemy as sa
from pylti1p3.contrib.flask import (
    FlaskCookieService,
    FlaskMessageLaunch,
    FlaskOIDCLogin,
    FlaskRequest,
)
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.registration import Registration
from pylti1p3.service_connector import ServiceConnector
from pylti1p3.session import SessionService
from pylti1p3.tool_config.abstract import ToolConfAbstract

from app.extensions import db
from app.models import LtiDeployment, LtiPlatform, LtiStoredValue
from app.models.types import utcnow
from app.services import lti_keys

# Seconds to connect to a platform, and to wait for its answer (key set, token, scores,
# roster): a platform that does not answer costs a worker at most this long per call.
HTTP_TIMEOUT: Final = (5, 10)
# A key set is fetched again after this long even when its keys still match.
KEY_SET_MAX_AGE: Final = timedelta(hours=24)
# ...and for a launch signed with a key id it does not hold, at most once per key id in
# this long (an attacker's tokens must not make us hammer the platform).
KEY_SET_MIN_INTERVAL: Final = timedelta(minutes=1)
# How long launch data (for the deep-linking page) and login state are kept.
LAUNCH_DATA_LIFETIME: Final = 2 * 60 * 60


class TimeoutSession(requests.Session):
    """A requests session whose calls time out instead of hanging a worker."""

    def request(self, method: str | bytes, url: str | bytes, *args: Any,
                **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        return super().request(method, url, *args, **kwargs)


def http_session() -> requests.Session:
    session = TimeoutSession()
    session.headers["User-Agent"] = "FramingLab-LTI"
    return session


class DatabaseStorage(LaunchDataStorage[Any]):
    """Launch state in `lti_stored_values`, shared by every worker, with expiry."""

    _session_cookie_name = ""  # keys are random (state, nonce, launch id): no session id

    def get_session_cookie_name(self) -> None:
        return None

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str) -> Any:
        row = db.session.get(LtiStoredValue, self._prepare_key(key)[:255])
        if row is None or row.expires_at <= utcnow():
            return None
        return row.value

    def set_value(self, key: str, value: Any, exp: int | None = None) -> None:
        key = self._prepare_key(key)[:255]
        expires = utcnow() + timedelta(seconds=exp or LAUNCH_DATA_LIFETIME)
        row = db.session.get(LtiStoredValue, key)
        if row is None:
            db.session.add(LtiStoredValue(key=key, value=value, expires_at=expires))
        else:
            row.value, row.expires_at = value, expires
        db.session.flush()

    def check_value(self, key: str) -> bool:
        return self.get_value(key) is not None

    def consume(self, key: str) -> bool:
        """Delete ``key`` if it is there and unexpired; True only for the one caller that
        deleted it (a replayed launch racing the first one gets False)."""
        key = self._prepare_key(key)[:255]
        result = db.session.execute(sa.delete(LtiStoredValue).where(
            LtiStoredValue.key == key, LtiStoredValue.expires_at > utcnow()))
        return bool(result.rowcount)  # type: ignore[attr-defined]


def sweep_expired() -> int:
    """Delete expired launch state; the caller commits."""
    result = db.session.execute(sa.delete(LtiStoredValue).where(
        LtiStoredValue.expires_at <= utcnow()))
    return int(result.rowcount)  # type: ignore[attr-defined]


class ConsumingSessionService(SessionService):
    """The library's session service on the database, with nonces used only once."""

    _launch_data_lifetime = LAUNCH_DATA_LIFETIME

    def __init__(self, request: FlaskRequest, storage: DatabaseStorage):
        super().__init__(request)
        self.data_storage = storage
        storage.set_request(request)

    def check_nonce(self, nonce: str) -> bool:
        storage = self.data_storage
        assert isinstance(storage, DatabaseStorage)
        return storage.consume(self._get_key("nonce", nonce))


def registration_for(platform: LtiPlatform) -> Registration:
    """The library's registration for ``platform``, signing with the tool's current key."""
    key = lti_keys.signing_key()
    registration = (Registration()
                    .set_issuer(platform.issuer)
                    .set_client_id(platform.client_id)
                    .set_auth_login_url(platform.auth_login_url)
                    .set_auth_token_url(platform.auth_token_url)
                    .set_key_set_url(platform.key_set_url)
                    .set_tool_private_key(key.private_pem))
    if platform.audience:
        registration.set_auth_audience(platform.audience)
    registration.set_tool_public_key(None)
    # The library reads the kid from the public key; give it ours directly.
    registration.get_kid = lambda: key.kid  # type: ignore[method-assign]
    registration.set_key_set(platform.key_set)  # type: ignore[arg-type]
    return registration


class DatabaseToolConf(ToolConfAbstract[FlaskRequest]):
    """Registrations and deployments from the tables an admin fills in."""

    def __init__(self) -> None:
        self.platform: LtiPlatform | None = None

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def _platform(self, iss: str, client_id: str | None) -> LtiPlatform | None:
        statement = sa.select(LtiPlatform).where(LtiPlatform.issuer == iss)
        if client_id:
            statement = statement.where(LtiPlatform.client_id == client_id)
        platforms = list(db.session.scalars(statement.limit(2)))
        # Without a client id, the issuer must name one registration only.
        return platforms[0] if len(platforms) == 1 else None

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration:
        raise NotImplementedError  # every issuer may have several client ids

    def find_registration_by_params(self, iss: str, client_id: str | None, *args: Any,
                                    **kwargs: Any) -> Registration:
        platform = self._platform(iss, client_id)
        if platform is None:
            return None  # type: ignore[return-value]  (the library raises its own error)
        self.platform = platform
        return registration_for(platform)

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        raise NotImplementedError

    def find_deployment_by_params(self, iss: str, deployment_id: str, client_id: str,
                                  *args: Any, **kwargs: Any) -> Deployment | None:
        platform = self._platform(iss, client_id)
        if platform is None or not deployment_id:
            return None
        found = db.session.scalar(sa.select(LtiDeployment.id).where(
            LtiDeployment.platform_id == platform.id,
            LtiDeployment.deployment_id == deployment_id))
        return None if found is None else Deployment().set_deployment_id(deployment_id)


def _fetch_key_set(platform: LtiPlatform) -> dict[str, Any]:
    try:
        response = http_session().get(platform.key_set_url)
        response.raise_for_status()
        key_set = response.json()
    except (requests.RequestException, ValueError) as error:
        raise LtiException(f"Could not fetch the LMS's public keys from "
                           f"{platform.key_set_url}: {error}") from error
    if not isinstance(key_set, dict) or not isinstance(key_set.get("keys"), list):
        raise LtiException("The LMS's key set URL did not answer with a JSON key set.")
    return key_set


def _has_kid(key_set: dict[str, Any] | None, kid: str | None) -> bool:
    return bool(key_set) and any(isinstance(key, dict) and key.get("kid") == kid
                                 for key in key_set.get("keys", []))  # type: ignore[union-attr]


class Launch(FlaskMessageLaunch):
    """A message launch checked against the database's registrations and key sets."""

    def __init__(self, request: FlaskRequest, tool_conf: DatabaseToolConf,
                 storage: DatabaseStorage) -> None:
        super().__init__(request, tool_conf,
                         session_service=ConsumingSessionService(request, storage),
                         cookie_service=FlaskCookieService(request),
                         launch_data_storage=storage, requests_session=http_session())
        self.tool_conf = tool_conf
        self.set_launch_data_lifetime(LAUNCH_DATA_LIFETIME)

    def get_public_key(self) -> tuple[str, str]:
        platform = self.tool_conf.platform
        if platform is not None:
            kid = str(self._jwt.get("header", {}).get("kid"))
            now = utcnow()
            fetched = platform.key_set_fetched_at
            stale = fetched is None or now - fetched > KEY_SET_MAX_AGE
            unknown = not _has_kid(platform.key_set, kid)
            if stale or (unknown and _first_try_for(platform.id, kid)):
                platform.key_set = _fetch_key_set(platform)
                platform.key_set_fetched_at = now
                db.session.flush()
            assert self._registration is not None
            self._registration.set_key_set(platform.key_set)  # type: ignore[arg-type]
        return super().get_public_key()


_kid_tries: dict[tuple[int, str], float] = {}
_kid_tries_lock = threading.Lock()


def _first_try_for(platform_id: int, kid: str) -> bool:
    """Whether a launch signed with key ``kid`` may make us fetch the platform's key set:
    once per key id a minute (a rotation is picked up at its first launch; forged tokens
    with made-up key ids cannot make us hammer the platform with fetches)."""
    now = time.monotonic()
    with _kid_tries_lock:
        if len(_kid_tries) > 1000:
            _kid_tries.clear()
        last = _kid_tries.get((platform_id, kid))
        if last is not None and now - last < KEY_SET_MIN_INTERVAL.total_seconds():
            return False
        _kid_tries[(platform_id, kid)] = now
        return True


class Login(FlaskOIDCLogin):
    """The OIDC login initiation, with state and nonce stored in the database."""

    def __init__(self, request: FlaskRequest, tool_conf: DatabaseToolConf,
                 storage: DatabaseStorage) -> None:
        super().__init__(request, tool_conf,
                         session_service=ConsumingSessionService(request, storage),
                         cookie_service=FlaskCookieService(request),
                         launch_data_storage=storage)
        self.set_launch_data_lifetime(LAUNCH_DATA_LIFETIME)


def flask_request(data: dict[str, Any] | None = None) -> FlaskRequest:
    """The library's view of the current request (or of ``data`` for a restored launch)."""
    return FlaskRequest(request_data=data) if data else FlaskRequest()


# --- service calls (scores, rosters) -----------------------------------------------------

_tokens: dict[str, tuple[str, float]] = {}
_tokens_lock = threading.Lock()


class Connector(ServiceConnector):
    """Service calls with time-outs; access tokens cached per process, and dropped a
    little before the platform says they expire (never kept past their lifetime)."""

    def __init__(self, registration: Registration) -> None:
        super().__init__(registration, requests_session=http_session())

    def _scope_key(self, scopes: Iterable[str]) -> str:
        # The library keys tokens by issuer and scopes; every Canvas shares one issuer, so
        # two registrations there would share a token. Key by client id and token URL too.
        registration = self._registration
        return "\x1f".join([registration.get_issuer() or "", registration.get_client_id() or "",
                             registration.get_auth_token_url() or "", *sorted(scopes)])

    def _get_cached_access_token(self, scope_key: str) -> str | None:
        with _tokens_lock:
            cached = _tokens.get(scope_key)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        return None

    def _cache_access_token(self, scope_key: str, access_token: str,
                            expires_in: float) -> None:
        try:
            lifetime = float(expires_in)
        except (TypeError, ValueError):
            lifetime = 0.0
        # 10% or a minute early, whichever is less; a token with no lifetime is not kept.
        keep = lifetime - min(60.0, lifetime / 10)
        with _tokens_lock:
            if keep > 0:
                _tokens[scope_key] = (access_token, time.monotonic() + keep)
            else:
                _tokens.pop(scope_key, None)


def forget_tokens() -> None:
    """Drop every cached access token (a platform's registration changed)."""
    with _tokens_lock:
        _tokens.clear()


def connector_for(platform: LtiPlatform) -> Connector:
    return Connector(registration_for(platform))


def describe(error: Exception) -> str:
    """One line on what went wrong with a platform call, for logs and the teacher's page."""
    response = getattr(error, "response", None)
    if isinstance(response, requests.Response):
        return f"{error} (HTTP {response.status_code})"[:480]
    if len(error.args) > 1 and isinstance(error.args[1], requests.Response):
        return f"{error.args[0]} (HTTP {error.args[1].status_code})"[:480]
    return str(error)[:480] or error.__class__.__name__
