"""Accounts: who may log in, and what they may do."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Final

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, validates
from sqlalchemy.orm.exc import ObjectDeletedError

# Re-exported: forms and the CLI import the username rule from here.
from app.domain.usernames import USERNAME_PATTERN as USERNAME_PATTERN
from app.domain.usernames import normalise_username
from app.extensions import db
from app.models.types import UTCDateTime, utcnow

ROLES: Final = ("student", "teacher", "admin")
MIN_PASSWORD_LENGTH: Final = 8
MAX_PASSWORD_LENGTH: Final = 256


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def password_hasher() -> PasswordHasher:
    """The argon2id hasher configured for the current app (cheap in tests, OWASP in prod)."""
    config = current_app.config
    return _hasher(
        config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"]
    )


@lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("not a real password")


def spend_password_check_time(password: str) -> None:
    """Verify against a throwaway hash when the username does not exist.

    Without it a login for an unknown name answers faster than a wrong password, which
    tells an attacker which usernames exist.
    """
    hasher = password_hasher()
    try:
        hasher.verify(_dummy_hash(hasher), password)
    except VerificationError:
        pass


class User(UserMixin, db.Model):
    """A person with a login. New accounts are students; teachers are made by an admin."""

    __tablename__ = "users"
    __table_args__ = (sa.CheckConstraint("role IN ('student', 'teacher', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(32), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[str] = mapped_column(
        sa.String(16), default="student", server_default="student"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # An admin can switch an account off without deleting its history.
    disabled: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Set by a reset (a temporary password): the next login must choose a new one.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # How the student takes lessons: "one" question at a time, or "all" on one page.
    # None: the default for the screen (one at a time).
    quiz_layout: Mapped[str | None] = mapped_column(sa.String(8))
    # The person's name as the school's systems give it (an LMS launch, a OneRoster
    # roster); None for accounts made here, which show their username.
    display_name: Mapped[str | None] = mapped_column(sa.String(120))
    # The OneRoster `sourcedId` of an imported account: a re-import updates, never doubles.
    sourced_id: Mapped[str | None] = mapped_column(sa.String(255), unique=True)

    def __repr__(self) -> str:
        return f"<User {self.username!r} ({self.role})>"

    @validates("username")
    def _store_lower_case(self, _key: str, username: str) -> str:
        return normalise_username(username)

    @property
    def is_active(self) -> bool:
        """False once an admin disables the account (it can no longer log in), or once
        the account is deleted while a request still holds it."""
        try:
            return not self.disabled
        except ObjectDeletedError:
            return False

    def has_role(self, *roles: str) -> bool:
        """True when this user's role is one of `roles`."""
        return self.role in roles

    def set_password(self, password: str) -> None:
        """Store an argon2id hash (salted, memory-hard) — never the password."""
        self.password_hash = password_hasher().hash(password)

    def check_password(self, password: str) -> bool:
        """Verify `password`; upgrade the stored hash if the cost parameters changed.

        The upgrade only changes this object: the caller (login) commits it with the
        rest of its transaction.
        """
        hasher = password_hasher()
        try:
            hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if hasher.check_needs_rehash(self.password_hash):
            self.password_hash = hasher.hash(password)
        return True
