"""Application factory.

`create_app` builds a fresh app per call (one per test, one per worker process) and
imports blueprints inside the registration functions so importing `app` stays cheap and
free of import cycles.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from app import urlinput
from app.config import Config, settings_from_environment, uppercase_settings
from app.extensions import (
    commit_if_read_only,
    csrf,
    db,
    install_sqlite_pragmas,
    login_manager,
    migrate,
    track_writes,
)


def create_app(config: Mapping[str, Any] | type | None = None) -> Flask:
    """Create and configure the app.

    `config` overrides the environment: a dict, or a class whose UPPERCASE attributes
    are read (flaskr's `test_config`). Keys it sets are not computed from the
    environment, so a test's SECRET_KEY never triggers the production check.
    """
    app = Flask(__name__, instance_relative_config=True)
    # Tidy HTML from block tags: easier to read in "view source" and in test failures.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    register_template_filters(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    overrides = _as_dict(config)
    app.config.from_object(Config)
    app.config.update(
        settings_from_environment(os.environ, app.instance_path, skip=frozenset(overrides))
    )
    app.config.update(overrides)

    # Before any route exists: ids in URLs are bounded, text segments hold no control
    # characters, and a path or query string holding one is refused (app/urlinput.py).
    urlinput.install(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_template_filters(app: Flask) -> None:
    """Filters every template may use: one way to show a score or a percentage."""
    from app.domain import numbers

    app.add_template_filter(numbers.points, "points")
    app.add_template_filter(numbers.percent, "percent")
    # Text inside quotation marks the page draws (<q>): its own marks become inner ones.
    from app.domain.quotation import inner_quote

    app.add_template_filter(inner_quote, "inner_quote")
    # A stored moment on a class's clock, with its zone (app/zones.py).
    from app import zones

    app.add_template_filter(zones.local_time, "local_time")


def _as_dict(config: Mapping[str, Any] | type | None) -> dict[str, Any]:
    if config is None:
        return {}
    if isinstance(config, Mapping):
        return dict(config)
    return uppercase_settings(config)


def register_extensions(app: Flask) -> None:
    """Bind the extension singletons from `app.extensions` to this app."""
    from app import models, security  # noqa: F401  (models: registers every table)
    from app.models.users import User
    from app.security import sessions

    db.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    login_manager.init_app(app)

    with app.app_context():
        for engine in db.engines.values():
            install_sqlite_pragmas(engine)
            track_writes(engine)
    # Registered after db.init_app, so it runs before Flask-SQLAlchemy removes the session.
    app.teardown_appcontext(commit_if_read_only)

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        # Only a live server-side session logs anyone in (revoked at logout, time-outs);
        # a tampered or stale cookie makes the visitor anonymous, never crashes.
        return sessions.load_user(user_id)

    security.init_app(app)
    from app.lti import frames
    frames.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount each area of the site under its URL prefix."""
    from app.auth import bp as auth_bp
    from app.main import bp as main_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")

    from app.admin import bp as admin_bp
    from app.student import bp as student_bp
    from app.teacher import bp as teacher_bp

    app.register_blueprint(student_bp)
    app.register_blueprint(teacher_bp, url_prefix="/teach")
    app.register_blueprint(admin_bp, url_prefix="/admin")

    from app.compare import bp as compare_bp
    app.register_blueprint(compare_bp, url_prefix="/compare")
    from app.privacy import bp as privacy_bp
    app.register_blueprint(privacy_bp)
    from app.shelf import bp as shelf_bp
    app.register_blueprint(shelf_bp)
    from app.lti import bp as lti_bp
    app.register_blueprint(lti_bp, url_prefix="/lti")


def register_errorhandlers(app: Flask) -> None:
    """Every error gets a human page with the right status (see app/errors.py)."""
    from app.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    """`flask users ...` now; `flask seeds ...` and `flask lessons ...` join in app/cli.py."""
    from app import cli

    cli.register(app)
