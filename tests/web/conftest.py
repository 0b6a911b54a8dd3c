"""Fixtures shared by the web tests (the app, client and users are in tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest

from app.security import clock
from tests.helpers import START


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The app's clock stopped at START; set ``fake_clock["now"]`` to move it."""
    state = {"now": START}
    monkeypatch.setattr(clock, "now", lambda: state["now"])
    return state
