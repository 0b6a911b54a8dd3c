"""How each request's transaction ends: COMMIT when it only read, else ROLLBACK.

A read-only transaction ends with COMMIT so that psycopg keeps its prepared statements
(it drops them all at ROLLBACK) and PostgreSQL does not plan every query again. These
tests hold the other half of that promise: a request that wrote without committing, or
failed, still leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Document


@contextmanager
def transaction_ends(app) -> Iterator[list[str]]:
    """Collect "commit" / "rollback" for every transaction the app's engine ends."""
    ends: list[str] = []
    with app.app_context():
        engine = db.engine

    def committed(_connection):
        ends.append("commit")

    def rolled_back(_connection):
        ends.append("rollback")

    sa.event.listen(engine, "commit", committed)
    sa.event.listen(engine, "rollback", rolled_back)
    try:
        yield ends
    finally:
        sa.event.remove(engine, "commit", committed)
        sa.event.remove(engine, "rollback", rolled_back)


def _document(slug: str) -> Document:
    return Document(slug=slug, title="Left behind?", text="Nothing to see.",
                    sha256="0" * 64)


@pytest.fixture
def routes(app):
    """Test-only routes that write without committing, in three ways."""

    @app.get("/_test/flush-no-commit")
    def flush_no_commit():
        db.session.add(_document("flushed"))
        db.session.flush()  # INSERT sent, never committed
        return "ok"

    @app.get("/_test/pending-no-commit")
    def pending_no_commit():
        db.session.scalar(sa.select(sa.func.count(Document.id)))
        db.session.add(_document("pending"))  # not even flushed
        return "ok"

    @app.get("/_test/flush-then-fail")
    def flush_then_fail():
        db.session.add(_document("failed"))
        db.session.flush()
        raise RuntimeError("the route failed after writing")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def _slugs(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Document.slug)))


def test_a_page_that_only_reads_ends_its_transaction_with_commit(app, client, make_user):
    make_user("reader")
    with transaction_ends(app) as ends:
        assert client.get("/healthz").status_code == 200
    assert ends == ["commit"]


@pytest.mark.parametrize("path", ["/_test/flush-no-commit", "/_test/pending-no-commit"])
def test_a_write_left_uncommitted_is_rolled_back(routes, client, path):
    with transaction_ends(routes) as ends:
        assert client.get(path).status_code == 200
    assert ends == ["rollback"]
    assert _slugs(routes) == []


def test_a_request_that_fails_after_writing_leaves_nothing(routes, client):
    with transaction_ends(routes) as ends:
        assert client.get("/_test/flush-then-fail").status_code == 500
    assert ends == ["rollback"]
    assert _slugs(routes) == []
