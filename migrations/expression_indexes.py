"""Indexes on expressions, which Alembic's autogenerate cannot compare.

SQLite's reflection skips an expression index (with a warning), so the comparison of
models and database would always see it as missing. Both ``migrations/env.py`` and the
schema test leave these out of the comparison; tests/web/test_schema.py checks each one
exists and holds its rule on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

EXPRESSION_INDEXES = frozenset({
    # classes (teacher_id, lower(name)) WHERE NOT archived: one active class per name.
    "uq_classes_teacher_id_active_name",
    # readings (document_id) WHERE owner_id IS NULL: one library reading per document.
    "uq_readings_library_document_id",
})


def include_object(obj: Any, name: str | None, type_: str, reflected: bool,
                   compare_to: Any) -> bool:
    """Alembic ``include_object`` hook: everything but the indexes above."""
    return not (type_ == "index" and name in EXPRESSION_INDEXES)
