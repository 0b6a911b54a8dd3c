"""Fixtures shared by the web tests (the app, client and users are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app.models import User
from app.security import clock
from app.services.lessons import sync_lessons
from app.services.seeds import load_seeds
from tests.helpers import ROOT, START, library_folder


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The app's clock stopped at START; set ``fake_clock["now"]`` to move it."""
    state = {"now": START}
    monkeypatch.setattr(clock, "now", lambda: state["now"])
    return state


@pytest.fixture
def library_readings(app: Flask, tmp_path: Path) -> Path:
    """The seeds and the library's readings stored (no lessons); returns the lessons folder."""
    folder = library_folder(tmp_path / "lessons")
    with app.app_context():
        load_seeds(ROOT / "seeds")
        assert sync_lessons(folder).check.ok
    return folder


@pytest.fixture
def reading_teacher(make_user: Callable[..., User], auth: Any, library_readings: Path) -> User:
    """Teacher "teacher-a", logged in, with the library's readings stored."""
    user = make_user("teacher-a", role="teacher")
    auth.login(user.username)
    return user
