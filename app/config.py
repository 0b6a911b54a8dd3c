"""Configuration read from the environment.

Static defaults live on `Config`; values that depend on the environment or on the instance
folder (database URL, secret key) are computed by `settings_from_environment` when the app is
created, so tests can change the environment with monkeypatch and build a fresh app.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.domain.timezones import ZoneProblem, canonical_name

PRODUCTION = "production"
# A shorter key can be guessed offline from one signed cookie.
MIN_SECRET_KEY_LENGTH = 32


class Config:
    """Defaults shared by every environment."""

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # Recycle pooled connections that a server (or PgBouncer) closed behind our back.
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}

    # Lessons and submissions are small; anything larger is a mistake or an attack.
    MAX_CONTENT_LENGTH = 1024 * 1024

    # Seconds a form stays valid; WTF_CSRF_TIME_LIMIT in the environment overrides it.
    WTF_CSRF_TIME_LIMIT: int | None = 3600

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Server-side session time-outs in seconds (app/security/sessions.py); the environment's
    # IDLE_TIMEOUT and ABSOLUTE_TIMEOUT override them. "Keep me logged in" lasts at most
    # ABSOLUTE_TIMEOUT too (PERMANENT_SESSION_LIFETIME follows it).
    IDLE_TIMEOUT = 30 * 60
    ABSOLUTE_TIMEOUT = 12 * 60 * 60
    PERMANENT_SESSION_LIFETIME = ABSOLUTE_TIMEOUT
    # Login throttling and other shared state: Redis when set, else the database.
    REDIS_URL: str | None = None
    # How many reverse proxies to trust for X-Forwarded-* (0: none; see docs/deploy.md).
    TRUSTED_PROXIES = 0

    # argon2id parameters from the OWASP Password Storage Cheat Sheet / ASVS (m=19 MiB, t=2, p=1).
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19456  # KiB
    ARGON2_PARALLELISM = 1

    # Days attempts are kept before `flask privacy purge` deletes them; None keeps them forever.
    ATTEMPT_RETENTION_DAYS: int | None = None

    # The IANA time zone of a class that has none of its own (SCHOOL_TIMEZONE in the
    # environment, e.g. "Asia/Almaty"): due dates are typed and shown in it.
    SCHOOL_TIMEZONE = "UTC"


class TestConfig(Config):
    """Fast, isolated settings for the test suite.

    CSRF stays ON: the tests post real tokens so they exercise what a browser does.
    """

    TESTING = True
    ENV_NAME = "testing"
    SECRET_KEY = "test-only-secret-key-not-for-production"
    # Cheapest argon2 the library accepts: hashing must not dominate test time.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1

    @classmethod
    def settings(
        cls, tmp_dir: Path, environ: Mapping[str, str] = os.environ
    ) -> dict[str, Any]:
        """Return this config as a dict for `create_app`, with the database chosen.

        `TEST_DATABASE_URL` (PostgreSQL) wins; otherwise a SQLite file inside `tmp_dir`.
        """
        values = uppercase_settings(cls)
        test_url = environ.get("TEST_DATABASE_URL")
        values["SQLALCHEMY_DATABASE_URI"] = (
            normalise_database_url(test_url)
            if test_url
            else f"sqlite:///{Path(tmp_dir).resolve() / 'test.sqlite3'}"
        )
        return values


def uppercase_settings(source: object) -> dict[str, Any]:
    """The UPPERCASE attributes of a config class, as Flask's `from_object` reads them."""
    return {key: getattr(source, key) for key in dir(source) if key.isupper()}


def environment_name(environ: Mapping[str, str]) -> str:
    """`FRAMINGLAB_ENV` (preferred) or the legacy `FLASK_ENV`; development when neither is set."""
    name = environ.get("FRAMINGLAB_ENV") or environ.get("FLASK_ENV") or "development"
    return name.strip().lower()


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at the psycopg 3 driver.

    Hosting platforms hand out `postgres://` (which SQLAlchemy rejects) or `postgresql://`
    (which SQLAlchemy maps to psycopg2, not installed here).
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_uri(environ: Mapping[str, str], instance_path: str | Path) -> str:
    """`DATABASE_URL` if set, else a zero-setup SQLite file in the instance folder."""
    url = environ.get("DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{Path(instance_path).resolve() / 'framinglab.sqlite3'}"


def secret_key(environ: Mapping[str, str], instance_path: str | Path) -> str:
    """Return the session-signing key.

    Production must be given one: a guessable fallback would let anyone forge a teacher's
    session. In development a random key is generated once and kept in
    `instance/secret_key`, so logins survive a restart of `flask run`.
    """
    key = environ.get("SECRET_KEY")
    if key and environment_name(environ) == PRODUCTION and len(key) < MIN_SECRET_KEY_LENGTH:
        raise RuntimeError(
            f"SECRET_KEY is too short ({len(key)} characters). In production Framing Lab "
            f"refuses a key shorter than {MIN_SECRET_KEY_LENGTH} characters: set it to a long "
            "random value (e.g. the output of "
            "`python3 -c 'import secrets; print(secrets.token_hex(32))'`)."
        )
    if key:
        return key
    if environment_name(environ) == PRODUCTION:
        raise RuntimeError(
            "SECRET_KEY is not set. In production Framing Lab refuses to start without it: "
            "set SECRET_KEY to a long random value (e.g. the output of "
            "`python3 -c 'import secrets; print(secrets.token_hex(32))'`)."
        )
    key_file = Path(instance_path) / "secret_key"
    if key_file.exists():
        stored = key_file.read_text(encoding="utf-8").strip()
        if stored:
            return stored
    key = secrets.token_hex(32)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    # Created owner-only: the key signs sessions, other local users must not read it.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def school_timezone(name: str) -> str:
    """The site's default time zone, checked at start-up: a typo would otherwise show every
    class's due dates in the wrong zone, or fail on the first page that shows one."""
    try:
        return canonical_name(name)
    except ZoneProblem as problem:
        raise RuntimeError(
            f"SCHOOL_TIMEZONE={name!r} is not a time zone this server knows: {problem} "
            "Use an IANA name such as Asia/Almaty, Europe/London or UTC (the server needs "
            "its time zone database, e.g. Debian's tzdata package).") from problem


def settings_from_environment(
    environ: Mapping[str, str],
    instance_path: str | Path,
    skip: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Compute the environment-dependent settings, leaving out keys the caller overrides.

    Skipping matters: a test that passes its own SECRET_KEY must not trigger the
    production check or write `instance/secret_key`.
    """
    values: dict[str, Any] = {"ENV_NAME": environment_name(environ)}
    if "SQLALCHEMY_DATABASE_URI" not in skip:
        values["SQLALCHEMY_DATABASE_URI"] = database_uri(environ, instance_path)
    if "SECRET_KEY" not in skip:
        values["SECRET_KEY"] = secret_key(environ, instance_path)
    if environ.get("WTF_CSRF_TIME_LIMIT"):
        values["WTF_CSRF_TIME_LIMIT"] = int(environ["WTF_CSRF_TIME_LIMIT"])
    for name in ("IDLE_TIMEOUT", "ABSOLUTE_TIMEOUT", "TRUSTED_PROXIES"):
        if environ.get(name):
            values[name] = int(environ[name])
    if environ.get("ABSOLUTE_TIMEOUT"):
        values["PERMANENT_SESSION_LIFETIME"] = values["ABSOLUTE_TIMEOUT"]
    if environ.get("REDIS_URL"):
        values["REDIS_URL"] = environ["REDIS_URL"]
    if environ.get("ATTEMPT_RETENTION_DAYS"):
        values["ATTEMPT_RETENTION_DAYS"] = int(environ["ATTEMPT_RETENTION_DAYS"])
    if environ.get("SCHOOL_TIMEZONE"):
        values["SCHOOL_TIMEZONE"] = school_timezone(environ["SCHOOL_TIMEZONE"])
    if values["ENV_NAME"] == PRODUCTION:
        # HTTPS-only cookies; SESSION_COOKIE_SECURE=0 for a plain-HTTP school intranet.
        secure = environ.get("SESSION_COOKIE_SECURE", "1") != "0"
        values["SESSION_COOKIE_SECURE"] = secure
        values["REMEMBER_COOKIE_SECURE"] = secure
    return {key: value for key, value in values.items() if key not in skip}
