"""Configuration from the environment: secrets, database URLs, overrides."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from app import create_app
from app.config import TestConfig, database_uri, normalise_database_url, secret_key

IN_MEMORY = {"SQLALCHEMY_DATABASE_URI": "sqlite://"}


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("FRAMINGLAB_ENV", "FLASK_ENV", "SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("variable", ["FRAMINGLAB_ENV", "FLASK_ENV"])
def test_production_without_secret_key_refuses_to_start(clean_env, variable: str) -> None:
    clean_env.setenv(variable, "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app(IN_MEMORY)


def test_production_with_secret_key_uses_it_and_secure_cookies(clean_env) -> None:
    clean_env.setenv("FRAMINGLAB_ENV", "production")
    clean_env.setenv("SECRET_KEY", "from-the-environment-" + "k" * 32)
    app = create_app(IN_MEMORY)
    assert app.config["SECRET_KEY"] == "from-the-environment-" + "k" * 32
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024


def test_development_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = secret_key({}, tmp_path)
    assert len(first) >= 32
    assert secret_key({}, tmp_path) == first
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_production_refuses_a_short_secret_key(clean_env) -> None:
    clean_env.setenv("FRAMINGLAB_ENV", "production")
    clean_env.setenv("SECRET_KEY", "changeme")
    with pytest.raises(RuntimeError, match="SECRET_KEY is too short"):
        create_app(IN_MEMORY)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@db.example:5432/fl", "postgresql+psycopg://u:p@db.example:5432/fl"),
        ("postgresql://u@localhost/fl", "postgresql+psycopg://u@localhost/fl"),
        ("postgresql+psycopg://u@localhost/fl", "postgresql+psycopg://u@localhost/fl"),
        ("sqlite:////srv/fl.sqlite3", "sqlite:////srv/fl.sqlite3"),
    ],
)
def test_database_url_is_pointed_at_psycopg(url: str, expected: str) -> None:
    assert normalise_database_url(url) == expected


def test_database_url_from_environment_reaches_the_app(clean_env) -> None:
    clean_env.setenv("DATABASE_URL", "postgres://u@db.example/fl")
    clean_env.setenv("SECRET_KEY", "x")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/fl"


def test_default_database_is_sqlite_in_instance_folder(tmp_path: Path) -> None:
    assert database_uri({}, tmp_path) == f"sqlite:///{tmp_path.resolve()}/framinglab.sqlite3"


def test_create_app_accepts_a_config_class(clean_env) -> None:
    class Custom(TestConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        WTF_CSRF_TIME_LIMIT = 60

    app = create_app(Custom)
    assert app.testing
    assert app.config["WTF_CSRF_TIME_LIMIT"] == 60
    assert app.config["SECRET_KEY"] == TestConfig.SECRET_KEY
