"""Growth studies: a teacher pairs a pre-test and a post-test of one class (optionally a
delayed post-test, and a comparison class with its own pre- and post-test).

This module owns the studies' transactions (create, change, delete) and the server-side
checks of what a form chose: every assignment must belong to the class it is chosen for,
the pre-test is not the post-test, and a comparison class must be the same teacher's.
What the results page shows is computed in :mod:`app.services.growth_results`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Assignment, Classroom, Lesson
from app.models.learning import GrowthStudy
from app.services import locking
from app.services.classes import ensure_active


class StudyInvalid(Exception):
    """What the form chose does not fit: field name -> message (shown beside the field)."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass(frozen=True, slots=True)
class StudyChoice:
    """A study as the form chose it (ids of assignments and of the comparison class)."""

    name: str
    pre_assignment_id: int | None
    post_assignment_id: int | None
    delayed_assignment_id: int | None = None
    comparison_classroom_id: int | None = None
    comparison_pre_assignment_id: int | None = None
    comparison_post_assignment_id: int | None = None

    @classmethod
    def of(cls, study: GrowthStudy) -> StudyChoice:
        return cls(**{f.name: getattr(study, f.name) for f in fields(cls)})

    def apply_to(self, study: GrowthStudy) -> None:
        for field in fields(self):
            setattr(study, field.name, getattr(self, field.name))


@dataclass(frozen=True, slots=True)
class Option:
    """An assignment as a choice in the form: its id and "Lesson title (level)"."""

    id: int
    label: str


@dataclass(frozen=True, slots=True)
class OtherClass:
    """Another class of the same teacher, with its assignments to choose from."""

    id: int
    name: str
    assignments: list[Option]


def _options(classroom_ids: list[int]) -> dict[int, list[Option]]:
    """Each class's assignments as options, oldest first (one query)."""
    found: dict[int, list[Option]] = {class_id: [] for class_id in classroom_ids}
    if not classroom_ids:
        return found
    rows = db.session.execute(
        sa.select(Assignment.id, Assignment.classroom_id, Lesson.title, Lesson.level)
        .join(Lesson, Lesson.id == Assignment.lesson_id)
        .where(Assignment.classroom_id.in_(classroom_ids))
        .order_by(Assignment.id))
    seen: dict[tuple[int, str], int] = {}
    for assignment_id, class_id, title, level in rows:
        label = f"{title} ({level})"
        seen[class_id, label] = seen.get((class_id, label), 0) + 1
        if seen[class_id, label] > 1:  # the same lesson assigned again
            label = f"{label}, assigned again ({seen[class_id, label]})"
        found[class_id].append(Option(assignment_id, label))
    return found


def class_options(classroom: Classroom) -> list[Option]:
    """The class's assignments, as the pre-, post- and delayed-test choices."""
    return _options([classroom.id])[classroom.id]


def other_classes(classroom: Classroom) -> list[OtherClass]:
    """The teacher's other classes (archived ones too: last year's class is a common
    comparison) with their assignments, by name."""
    classes = db.session.execute(
        sa.select(Classroom.id, Classroom.name)
        .where(Classroom.teacher_id == classroom.teacher_id, Classroom.id != classroom.id)
        .order_by(Classroom.name, Classroom.id)).all()
    options = _options([class_id for class_id, _ in classes])
    return [OtherClass(class_id, name, options[class_id]) for class_id, name in classes]


def studies_of(classroom: Classroom) -> list[GrowthStudy]:
    """The class's studies, newest first, with the assignments' lessons loaded."""
    return list(db.session.scalars(
        sa.select(GrowthStudy).where(GrowthStudy.classroom_id == classroom.id)
        .options(*(selectinload(getattr(GrowthStudy, name)).selectinload(Assignment.lesson)
                   for name in ("pre_assignment", "post_assignment", "delayed_assignment")),
                 selectinload(GrowthStudy.comparison_classroom))
        .order_by(GrowthStudy.created_at.desc(), GrowthStudy.id.desc())))


def _class_of(assignment_id: int) -> int | None:
    return db.session.scalar(sa.select(Assignment.classroom_id)
                             .where(Assignment.id == assignment_id))


def check(classroom: Classroom, choice: StudyChoice) -> dict[str, str]:
    """Field name -> problem; empty when the choice is sound (a few small queries)."""
    errors: dict[str, str] = {}
    if not choice.name.strip():
        errors["name"] = "Give the study a name, for example “Loaded language, autumn”."
    own = "Choose one of this class's assignments."
    for field in ("pre_assignment_id", "post_assignment_id", "delayed_assignment_id"):
        chosen = getattr(choice, field)
        if chosen is None:
            if field != "delayed_assignment_id":
                errors[field] = own
        elif _class_of(chosen) != classroom.id:
            errors[field] = own
    pre, post, delayed = (choice.pre_assignment_id, choice.post_assignment_id,
                          choice.delayed_assignment_id)
    if pre is not None and pre == post and "post_assignment_id" not in errors:
        errors["post_assignment_id"] = ("The post-test must be another assignment than the "
                                        "pre-test.")
    if delayed is not None and delayed in (pre, post) and "delayed_assignment_id" not in errors:
        errors["delayed_assignment_id"] = ("The delayed post-test must be a third assignment, "
                                           "given some weeks after the post-test.")
    errors.update(_check_comparison(classroom, choice))
    return errors


def _check_comparison(classroom: Classroom, choice: StudyChoice) -> dict[str, str]:
    errors: dict[str, str] = {}
    other_id = choice.comparison_classroom_id
    tests = ("comparison_pre_assignment_id", "comparison_post_assignment_id")
    if other_id is None:
        for field in tests:
            if getattr(choice, field) is not None:
                errors[field] = "Choose the comparison class first, or leave this empty."
        return errors
    other = db.session.get(Classroom, other_id)
    if other is None or other.teacher_id != classroom.teacher_id or other.id == classroom.id:
        errors["comparison_classroom_id"] = "Choose one of your other classes."
        return errors
    for field in tests:
        chosen = getattr(choice, field)
        if chosen is None or _class_of(chosen) != other.id:
            errors[field] = f"Choose one of the assignments of {other.name}."
    if (choice.comparison_pre_assignment_id is not None
            and choice.comparison_pre_assignment_id == choice.comparison_post_assignment_id
            and "comparison_post_assignment_id" not in errors):
        errors["comparison_post_assignment_id"] = ("The comparison class's post-test must be "
                                                   "another assignment than its pre-test.")
    return errors


def create_study(classroom: Classroom, choice: StudyChoice) -> GrowthStudy:
    """Save a new study of an active class; :class:`StudyInvalid` if the choice does not fit."""
    ensure_active(classroom)
    errors = check(classroom, choice)
    if errors:
        raise StudyInvalid(errors)
    study = GrowthStudy(classroom_id=classroom.id)
    choice.apply_to(study)
    db.session.add(study)
    db.session.commit()
    return study


def update_study(study: GrowthStudy, choice: StudyChoice) -> None:
    """Change a study (optimistic lock: a lost race raises StaleEdit, nothing saved)."""
    ensure_active(study.classroom)
    errors = check(study.classroom, choice)
    if errors:
        raise StudyInvalid(errors)
    choice.apply_to(study)
    locking.commit("study")


def delete_study(study: GrowthStudy) -> None:
    """Delete a study; the assignments and attempts it names are untouched."""
    ensure_active(study.classroom)
    db.session.delete(study)
    locking.commit("study")
