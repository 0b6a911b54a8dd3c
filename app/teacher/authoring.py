"""Teacher routes: authoring (see app/teacher/__init__.py)."""

from app.teacher import bp  # noqa: F401
