"""What a verified LTI launch does here: who it is, which class, which assignment.

* The platform's user (`sub`) is linked once to a local account, made on the first launch
  with the role the course gives (Instructor -> teacher, Learner -> student) and no
  password: they sign in through the LMS. A later launch never changes an account's role;
  a student account launched as an instructor is refused with what to do about it.
* The course is linked to a local class, made by the first teacher who launches from it.
  Learners who launch are enrolled in it.
* A resource link opens the assignment it was deep-linked to (custom parameter
  ``framinglab_assignment``), which must belong to that course's class.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TypeVar

import sqlalchemy as sa
from flask import url_for
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem
from sqlalchemy.exc import IntegrityError

from app.domain import lti_claims
from app.domain.lti_claims import Launch
from app.extensions import db
from app.models import (
    Assignment,
    Classroom,
    Enrollment,
    Lesson,
    LtiContext,
    LtiIdentity,
    LtiLink,
    LtiPlatform,
    User,
)
from app.services import assignments, classes

Row = TypeVar("Row", LtiContext, LtiLink)

# The password hash of an account that signs in through the LMS only: argon2 cannot
# verify it, so no password logs in until an admin sets a temporary one.
NO_PASSWORD = "!lti-no-password"


class LaunchRefused(Exception):
    """A verified launch this tool cannot act on; ``message`` says why and what to do."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


def platform_for(issuer: str, client_id: str) -> LtiPlatform | None:
    return db.session.scalar(sa.select(LtiPlatform).where(
        LtiPlatform.issuer == issuer, LtiPlatform.client_id == client_id))


def _free_username(base: str) -> str:
    taken = set(db.session.scalars(sa.select(User.username).where(
        User.username.like(base.replace("%", "").replace("_", "\\_") + "%", escape="\\"))))
    if base not in taken:
        return base
    for number in range(2, 10000):
        candidate = f"{base}{number}"
        if candidate not in taken:
            return candidate
    return f"{base[:20]}.{secrets.token_hex(4)}"


def identity_exists(platform: LtiPlatform, subject: str) -> bool:
    return db.session.scalar(sa.select(LtiIdentity.id).where(
        LtiIdentity.platform_id == platform.id, LtiIdentity.subject == subject)) is not None


def account_for(platform: LtiPlatform, launch: Launch) -> User:
    """The local account linked to the launch's user, made on the first launch."""
    if not launch.subject:
        raise LaunchRefused("The LMS did not say who you are (no user id in the launch). "
                            "Anonymous launches cannot keep scores.", 400)
    identity = db.session.scalar(sa.select(LtiIdentity).where(
        LtiIdentity.platform_id == platform.id, LtiIdentity.subject == launch.subject))
    if identity is not None:
        user = identity.user
        if user.disabled:
            raise LaunchRefused("Your Framing Lab account is switched off. Ask your school's "
                                "Framing Lab admin to switch it back on.")
        if launch.display_name and user.display_name != launch.display_name:
            user.display_name = launch.display_name
            db.session.commit()
        return user
    imported = _imported_account(platform, launch)
    if imported is not None:
        return imported
    if launch.role is None:
        raise LaunchRefused("Your role in this course is neither teacher nor student, so "
                            "Framing Lab cannot tell what to show you. Ask your teacher or "
                            "your LMS admin.")
    base = lti_claims.username_base(launch.display_name, launch.email, launch.subject)
    for _ in range(3):
        user = User(username=_free_username(base), password_hash=NO_PASSWORD,
                    role=launch.role, display_name=launch.display_name or None)
        db.session.add(user)
        try:
            db.session.flush()
            db.session.add(LtiIdentity(platform_id=platform.id, subject=launch.subject,
                                       user_id=user.id))
            db.session.commit()
            return user
        except IntegrityError:
            db.session.rollback()
            # Another launch of the same person won the race: use its account.
            identity = db.session.scalar(sa.select(LtiIdentity).where(
                LtiIdentity.platform_id == platform.id,
                LtiIdentity.subject == launch.subject))
            if identity is not None:
                return identity.user
    raise LaunchRefused("Could not make your account; please launch again.", 409)


def _imported_account(platform: LtiPlatform, launch: Launch) -> User | None:
    """The account a roster import made for this person (same SIS sourcedId), linked to
    the platform's user on their first launch; None if there is none to link."""
    if not launch.person_sourcedid:
        return None
    user = db.session.scalar(sa.select(User).where(User.sourced_id == launch.person_sourcedid))
    if user is None or user.disabled:
        return None
    already = db.session.scalar(sa.select(LtiIdentity.id).where(
        LtiIdentity.platform_id == platform.id, LtiIdentity.user_id == user.id))
    if already is not None:  # linked to another of this LMS's users: do not take it over
        return None
    db.session.add(LtiIdentity(platform_id=platform.id, subject=launch.subject,
                               user_id=user.id))
    if launch.display_name and not user.display_name:
        user.display_name = launch.display_name
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return user


def acts_as_teacher(user: User, launch: Launch) -> bool:
    """Whether this launch is a teacher's: the course says so and the account is one.

    A teacher's account launched as a learner (an LMS's "switch role to student") is not
    put in the class as a student: it previews as the teacher it is.
    """
    if launch.role != "teacher":
        return user.has_role("teacher", "admin")
    if not user.has_role("teacher", "admin"):
        raise LaunchRefused(
            "The LMS says you teach this course, but your Framing Lab account is a student "
            "account. Ask your school's Framing Lab admin to make it a teacher account, then "
            "launch again.")
    return True


def _found_or_made(model: type[Row], **keys: object) -> Row:
    """The row with these unique ``keys``, made (and committed) if there is none; when two
    first launches make it at once, the loser of the race uses the winner's row."""
    statement = sa.select(model).filter_by(**keys)
    row = db.session.scalar(statement)
    if row is None:
        db.session.add(model(**keys))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
        row = db.session.scalar(statement)
        assert row is not None
    return row


def _class_name(teacher_id: int, title: str) -> str:
    base = (title or "Course from the LMS")[:100]
    name, number = base, 2
    while db.session.scalar(sa.select(Classroom.id).where(
            Classroom.teacher_id == teacher_id, sa.func.lower(Classroom.name) == name.lower(),
            Classroom.archived.is_(False))) is not None:
        name, number = f"{base} ({number})", number + 1
    return name


def context_for(platform: LtiPlatform, launch: Launch, user: User,
                teacher: bool) -> LtiContext:
    """The launch's course, with its class: made by the first teacher who launches with
    a teaching role (not by a teacher's account previewing as a learner)."""
    if launch.context_id is None:
        raise LaunchRefused("The launch did not come from a course, so there is no class "
                            "to keep scores in. Add Framing Lab to a course.", 400)
    context = _found_or_made(LtiContext, platform_id=platform.id, context_id=launch.context_id)
    context.title = launch.context_title or context.title
    if launch.memberships_url:
        context.memberships_url = launch.memberships_url
    if launch.lineitems_url:
        context.lineitems_url = launch.lineitems_url
    if launch.ags_scopes:
        context.ags_scopes = list(launch.ags_scopes)
    if (context.classroom is None or context.classroom.archived) and launch.section_sourcedid:
        # A class a roster import made for this course section: use it.
        imported = db.session.scalar(sa.select(Classroom).where(
            Classroom.sourced_id == launch.section_sourcedid, Classroom.archived.is_(False)))
        if imported is not None:
            context.classroom_id = imported.id
            db.session.flush()
            db.session.refresh(context)
    if context.classroom is None or context.classroom.archived:
        if not teacher or launch.role != "teacher":
            db.session.commit()
            raise LaunchRefused("Your teacher has not opened Framing Lab from this course yet. "
                                "Try again after they have.", 409)
        classroom = classes.create_class(user, _class_name(user.id, context.title))
        context.classroom_id = classroom.id
    elif teacher and context.classroom.teacher_id != user.id and not user.has_role("admin"):
        owner = context.classroom.teacher
        db.session.commit()
        raise LaunchRefused(
            f"This course's class belongs to {owner.display_name or owner.username}. "
            "A Framing Lab class has one teacher, so only they can add lessons and see its "
            "results here.")
    db.session.commit()
    return context


def enrol(context: LtiContext, user: User) -> None:
    """Put a learner in the course's class (once)."""
    assert context.classroom_id is not None
    exists = db.session.scalar(sa.select(Enrollment.id).where(
        Enrollment.classroom_id == context.classroom_id, Enrollment.student_id == user.id))
    if exists is None:
        db.session.add(Enrollment(classroom_id=context.classroom_id, student_id=user.id))
        try:
            db.session.commit()
        except IntegrityError:  # a second tab's launch enrolled them at the same moment
            db.session.rollback()


def link_for(context: LtiContext, launch: Launch) -> LtiLink | None:
    """The resource link of the launch, set to its assignment when it names one."""
    if launch.resource_link_id is None:
        return None
    link = _found_or_made(LtiLink, context_id=context.id,
                          resource_link_id=launch.resource_link_id)
    link.title = launch.resource_link_title or link.title
    if launch.lineitem_url:
        link.lineitem_url = launch.lineitem_url
    if link.assignment_id is None:
        wanted = lti_claims.assignment_param(launch.custom)
        if wanted is not None:
            assignment = db.session.get(Assignment, wanted)
            # A link copied into another course must not open that course's assignment.
            if assignment is None or assignment.classroom_id != context.classroom_id:
                db.session.commit()
                raise LaunchRefused("This link points at an assignment of another course. "
                                    "Add it again from this course (Framing Lab's "
                                    "\"Select content\").", 404)
            link.assignment_id = assignment.id
    db.session.commit()
    return link


@dataclass(frozen=True, slots=True)
class Picked:
    assignment: Assignment
    lesson: Lesson


def assign_from_lms(context: LtiContext, teacher: User, lesson_id: int,
                    link: LtiLink | None = None) -> Picked:
    """Set a lesson the teacher may assign for the course's class (deep linking, or a
    link the LMS made without it); ``link`` then opens it."""
    library, mine = assignments.assignable_lessons(teacher.id)
    lesson = next((lesson for lesson in library + mine if lesson.id == lesson_id), None)
    if lesson is None:
        raise LaunchRefused("That lesson is not one you can assign.", 404)
    classroom = context.classroom
    if classroom is None or classroom.teacher_id != teacher.id and not teacher.has_role("admin"):
        raise LaunchRefused("This course's class is not yours.", 403)
    assignment = assignments.create_assignment(classroom, lesson, assignments.Rules(
        due_at=None, max_attempts=None, grading="highest", feedback="immediately",
        late_policy="accept"))
    if link is not None and link.assignment_id is None:
        link.assignment_id = assignment.id
        db.session.commit()
    return Picked(assignment, lesson)


def is_linked(platform: LtiPlatform, subject: str, user_id: int) -> bool:
    """Whether the platform's ``subject`` is the local account ``user_id``."""
    return db.session.scalar(sa.select(LtiIdentity.id).where(
        LtiIdentity.platform_id == platform.id, LtiIdentity.subject == subject,
        LtiIdentity.user_id == user_id)) is not None


def existing_context(platform: LtiPlatform, launch: Launch) -> LtiContext | None:
    if launch.context_id is None:
        return None
    return db.session.scalar(sa.select(LtiContext).where(
        LtiContext.platform_id == platform.id, LtiContext.context_id == launch.context_id))


def existing_link(context: LtiContext, link_id: str | None) -> LtiLink | None:
    """The course's link with local id ``link_id`` (from the picker form), if any."""
    if not link_id or not str(link_id).isdigit():
        return None
    link = db.session.get(LtiLink, int(link_id))
    return link if link is not None and link.context_id == context.id else None


def content_item(picked: Picked) -> DeepLinkResource:
    """The deep-linking content item for a picked lesson: a resource link that opens the
    new assignment, with a gradebook column (0-100) the LMS makes for it."""
    title = picked.lesson.title[:200]
    line_item = (LineItem().set_score_maximum(100).set_label(title)
                 .set_resource_id(f"framinglab-assignment-{picked.assignment.id}")
                 .set_tag("framinglab"))
    return (DeepLinkResource().set_url(url_for("lti.launch", _external=True))
            .set_title(title)
            .set_custom_params({lti_claims.ASSIGNMENT_PARAM: str(picked.assignment.id)})
            .set_lineitem(line_item))


def course_of(classroom_id: int) -> LtiContext | None:
    """The LMS course a class is linked to (the newest link), if any."""
    return db.session.scalar(sa.select(LtiContext).where(
        LtiContext.classroom_id == classroom_id).order_by(LtiContext.id.desc()).limit(1))
