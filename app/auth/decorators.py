"""Role checks for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user

from app.extensions import login_manager

P = ParamSpec("P")
R = TypeVar("R")


def require_role(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Allow the view only to users whose role is in `roles`.

    Anonymous visitors are sent to the login page (with `next`), so they can come back;
    a logged-in user with another role gets 403, since logging in again would not help.
    """

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()  # type: ignore[no-any-return]
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
