"""The admin's view of the school: every account and every class, a page at a time.

Each page costs a fixed number of queries whatever its size: the page of rows, then one
query each for the classes and the last logins of the accounts on it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import sqlalchemy as sa

from app.domain.paging import Page
from app.extensions import db
from app.models import Classroom, Enrollment, User
from app.models.security import UserSession

ACCOUNTS_PER_PAGE: Final = 50
CLASSES_PER_PAGE: Final = 50
STATUSES: Final = ("active", "disabled")


@dataclass(frozen=True, slots=True)
class AccountRow:
    """An account as the list shows it: the classes it teaches or is in, its last login."""

    user: User
    last_login: datetime | None
    classes: list[Classroom]


@dataclass(frozen=True, slots=True)
class AccountPage:
    rows: list[AccountRow]
    page: Page


def _account_filters(search: str, role: str | None,
                     status: str | None) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if search:
        # autoescape: "_" and "%" typed in a search are matched as themselves.
        where.append(User.username.contains(search.lower(), autoescape=True))
    if role:
        where.append(User.role == role)
    if status:
        where.append(User.disabled.is_(status == "disabled"))
    return where


def accounts(number: int, search: str = "", role: str | None = None,
             status: str | None = None) -> AccountPage:
    """Page ``number`` of the accounts whose username contains ``search`` (lower-case),
    of ``role`` and ``status`` when given, by username."""
    where = _account_filters(search, role, status)
    total = db.session.scalar(sa.select(sa.func.count(User.id)).where(*where)) or 0
    page = Page(number, ACCOUNTS_PER_PAGE, total)
    users = list(db.session.scalars(sa.select(User).where(*where).order_by(User.username)
                                    .offset(page.start).limit(ACCOUNTS_PER_PAGE)))
    return AccountPage(_rows(users), page)


def accounts_by_id(user_ids: list[int]) -> list[AccountRow]:
    """The accounts ``user_ids`` (those that exist), as the list shows them."""
    users = list(db.session.scalars(sa.select(User).where(User.id.in_(user_ids))
                                    .order_by(User.username)))
    return _rows(users)


def _rows(users: list[User]) -> list[AccountRow]:
    ids = [user.id for user in users]
    classes = classes_of(ids)
    logins = dict(db.session.execute(
        sa.select(UserSession.user_id, sa.func.max(UserSession.created_at))
        .where(UserSession.user_id.in_(ids)).group_by(UserSession.user_id)).all())
    return [AccountRow(user, logins.get(user.id), classes[user.id]) for user in users]


def classes_of(user_ids: list[int]) -> dict[int, list[Classroom]]:
    """For each user id, the classes they teach and the classes they are a student in."""
    found: dict[int, list[Classroom]] = defaultdict(list)
    if not user_ids:
        return found
    for classroom in db.session.scalars(sa.select(Classroom).where(
            Classroom.teacher_id.in_(user_ids)).order_by(Classroom.name)):
        found[classroom.teacher_id].append(classroom)
    for student_id, classroom in db.session.execute(
            sa.select(Enrollment.student_id, Classroom)
            .join(Classroom, Classroom.id == Enrollment.classroom_id)
            .where(Enrollment.student_id.in_(user_ids)).order_by(Classroom.name)):
        found[student_id].append(classroom)
    return found


@dataclass(frozen=True, slots=True)
class ClassRow:
    classroom: Classroom
    teacher: str
    students: int


@dataclass(frozen=True, slots=True)
class ClassPage:
    rows: list[ClassRow]
    page: Page


def all_classes(number: int, search: str = "") -> ClassPage:
    """Page ``number`` of every class in the school (active first, then by name), with
    its teacher's username and its number of students; ``search`` matches the class
    name or the teacher's username."""
    where = []
    if search:
        where.append(sa.or_(sa.func.lower(Classroom.name).contains(search.lower(),
                                                                   autoescape=True),
                            User.username.contains(search.lower(), autoescape=True)))
    counted = (sa.select(Enrollment.classroom_id, sa.func.count(Enrollment.id).label("n"))
               .group_by(Enrollment.classroom_id).subquery())
    base = sa.select(Classroom, User.username, sa.func.coalesce(counted.c.n, 0)).join(
        User, User.id == Classroom.teacher_id).outerjoin(
        counted, counted.c.classroom_id == Classroom.id).where(*where)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    page = Page(number, CLASSES_PER_PAGE, total)
    rows = db.session.execute(base.order_by(Classroom.archived, sa.func.lower(Classroom.name),
                                            Classroom.id)
                              .offset(page.start).limit(CLASSES_PER_PAGE))
    return ClassPage([ClassRow(classroom, teacher, students)
                      for classroom, teacher, students in rows], page)


def classes_joined(student_id: int) -> list[tuple[Classroom, str]]:
    """The active classes ``student_id`` is in, with their teacher's username, by name."""
    return [(classroom, teacher) for classroom, teacher in db.session.execute(
        sa.select(Classroom, User.username)
        .join(Enrollment, Enrollment.classroom_id == Classroom.id)
        .join(User, User.id == Classroom.teacher_id)
        .where(Enrollment.student_id == student_id, Classroom.archived.is_(False))
        .order_by(sa.func.lower(Classroom.name), Classroom.id))]
