"""Planning a roster import: what a OneRoster bundle changes in the app, record by record.

Pure: :func:`plan_import` takes the parsed :class:`~app.domain.oneroster.Bundle` and the
app's :class:`~app.domain.oneroster_report.State` (plain data) and returns a
:class:`~app.domain.oneroster_report.Plan`: the accounts, classes and enrolments to create,
change or remove, and a report line for every record. Everything is keyed by
``sourcedId``, so planning the same bundle against the state it produced plans nothing.

The rules, decided here once:

* **Roles.** A OneRoster "student" becomes a student account and a "teacher" a teacher
  account. A user's role comes from ``roles.csv`` (primary roles first, then secondary),
  else from the ``role`` column of a 1.1 ``users.csv``, else from their enrolments.
  Administrators, aides, proctors, counsellors and principals are not imported (an admin
  makes staff accounts by hand), nor are parents, guardians and relatives (they have no
  accounts here). An account here keeps its role: a different role in the roster is only
  reported.
* **Accounts** get the roster's ``username`` made to follow the app's rule, and the name
  the roster gives as their display name. The username of an account is never changed by
  a later import (people log in with it). A username already used by an account that is
  not this roster person is an error, never merged, unless the admin asked to link
  accounts that have no roster id yet. ``enabledUser`` false disables the account; a user
  marked ``tobedeleted`` is disabled, never deleted.
* **Classes** are taught by the enrolment with role teacher and ``primary`` true, else the
  first teacher listed; a class without a usable teacher is skipped. A class keeps a
  name unique among its teacher's active classes by adding its class code. A class
  marked ``tobedeleted`` is archived, never deleted; a class archived here is left alone.
* **Enrolments** with role student add the student to the class. One marked
  ``tobedeleted`` takes them off. When ``enrollments.csv`` is a bulk file, an imported
  student (one with a roster id) whose enrolment in a class of the bundle is no longer
  listed is taken off that class too. Nothing else is ever removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.oneroster import BULK, Bundle, ClassRecord, EnrollmentRecord
from app.domain.oneroster_files import CLASSES, ENROLLMENTS
from app.domain.oneroster_names import class_name, class_names
from app.domain.oneroster_people import TEACHES, PeoplePlanner, Person, first_problem
from app.domain.oneroster_report import (
    CLASS,
    CREATED,
    ENROLMENT,
    ERROR,
    REMOVED,
    SKIPPED,
    TEACHER,
    UNCHANGED,
    UPDATED,
    ClassChange,
    LocalClass,
    NewClass,
    NewEnrollment,
    Options,
    Plan,
    Ref,
    State,
)

__all__ = ["plan_import"]

Key = int | str  # an id here, or the sourcedId of what the plan creates


def key(ref: Ref) -> Key:
    return ref.id if ref.id is not None else ref.sourced_id


@dataclass(slots=True)
class Klass:
    """A class as the plan resolved it (``ref`` None: not imported, ``why``)."""

    ref: Ref | None
    name: str
    local: LocalClass | None = None
    teacher: Ref | None = None
    why: str = ""
    kept: set[Key] = field(default_factory=set)  # students the bundle lists in it


class _Planner(PeoplePlanner):
    def __init__(self, bundle: Bundle, state: State, options: Options) -> None:
        super().__init__(bundle, state, options)
        self.classes = {klass.sourced_id: klass for klass in state.classes if klass.sourced_id}
        self.members = {(e.class_id, e.student_id) for e in state.enrollments}
        self.local_enrollments = state.enrollments
        self.klasses: dict[str, Klass] = {}
        # Per teacher, the active class names (lower-case) and the class holding each.
        self.names: dict[Key, dict[str, Key]] = {}
        self.kept_names: set[int] = set()  # classes whose name stays (see _settle_names)
        for klass in state.classes:
            if not klass.archived:
                self.names.setdefault(klass.teacher_id, {})[klass.name.lower()] = klass.id

    # --- teachers -------------------------------------------------------------------------

    def _teacher_rows(self) -> dict[str, list[EnrollmentRecord]]:
        """Per class, its teacher enrolments: the primary ones first, then in file order."""
        rows: dict[str, list[EnrollmentRecord]] = {}
        for record in self.bundle.enrollments:
            if record.ok and not record.deleted and record.role == "teacher":
                rows.setdefault(record.class_sourced_id, []).append(record)
        return {sid: sorted(found, key=lambda row: not row.primary)
                for sid, found in rows.items()}

    def _teacher(self, rows: list[EnrollmentRecord]) -> tuple[Person | None, str]:
        """The first usable teacher of ``rows``, or None and why there is none."""
        why = "No enrolment in enrollments.csv makes anyone its teacher."
        for index, row in enumerate(rows):
            person = self.person(row.user_sourced_id)
            if person is not None and person.ref is not None and person.role in TEACHES:
                return person, ""
            if index == 0:
                if person is None:
                    why = (f"Its teacher “{row.user_sourced_id}” (enrollments.csv line "
                           f"{row.line}) is in no users.csv row and has no account here.")
                elif person.ref is None:
                    why = f"Its teacher “{person.username}” is not imported (see users.csv)."
                else:
                    why = (f"Its teacher “{person.username}” has a {person.role}'s account "
                           "here, not a teacher's.")
        return None, why

    # --- classes --------------------------------------------------------------------------

    def classes_(self) -> None:
        teachers = self._teacher_rows()
        chosen = {record.sourced_id: self._teacher(teachers.get(record.sourced_id, []))
                  for record in self.bundle.classes if record.ok and not record.deleted}
        self._settle_names(chosen)
        for record in self.bundle.classes:
            self._class(record, *chosen.get(record.sourced_id, (None, "")))

    def _settle_names(self, chosen: dict[str, tuple[Person | None, str]]) -> None:
        """Which classes of the bundle keep the name they have (it is still one of their
        two names, under the same teacher); the names of the others are free to take, so
        the names settle in one import and the next changes none."""
        for record in self.bundle.classes:
            local = self.classes.get(record.sourced_id)
            if not record.ok or local is None or local.archived:
                continue
            person = chosen.get(record.sourced_id, (None, ""))[0]
            teacher = person.ref if person is not None else None
            same_teacher = teacher is None or key(teacher) == local.teacher_id
            if not record.deleted and same_teacher and local.name in class_names(
                    record.title, record.class_code, record.sourced_id):
                self.kept_names.add(local.id)
                continue
            held = self.names.get(local.teacher_id, {})
            if held.get(local.name.lower()) == local.id:
                del held[local.name.lower()]

    def _taken(self, teacher: Ref, owner: Key | None, name: str) -> bool:
        holder = self.names.get(key(teacher), {}).get(name.lower())
        return holder is not None and holder != owner

    def _skip_class(self, record: ClassRecord, outcome: str, label: str, why: str,
                    local: LocalClass | None = None) -> None:
        self.plan.add(CLASS, outcome, CLASSES, record.line, record.sourced_id, label, why)
        if record.sourced_id and record.sourced_id not in self.klasses:
            self.klasses[record.sourced_id] = Klass(
                None, label, local, why=f"its class (classes.csv line {record.line}) is not "
                                        "imported")

    def _class(self, record: ClassRecord, person: Person | None, why: str) -> None:
        sid = record.sourced_id
        local = self.classes.get(sid)
        label = local.name if local else record.title or sid
        if not record.ok:
            self._skip_class(record, ERROR, label, first_problem(record), local)
            return
        if record.deleted:
            self._delete_class(record, local)
            return
        if local is not None and local.archived:
            self._skip_class(record, SKIPPED, label, "This class is archived here, so the "
                             "import leaves it alone. Unarchive it to import into it.", local)
            return
        teacher = person.ref if person is not None else None
        if teacher is None and local is not None:
            teacher = self.user_ref(local.teacher_id)  # keeps its teacher
        if teacher is None:
            self._skip_class(record, SKIPPED, label, f"Not imported: {why}")
            return
        owner: Key = local.id if local is not None else sid
        name = local.name if local is not None and local.id in self.kept_names else \
            class_name(record.title, record.class_code, sid,
                       lambda text: self._taken(teacher, owner, text))
        if name is None:
            self._skip_class(record, ERROR, label, (
                f"Its teacher already has active classes called “{record.title}” and "
                f"“{record.title} ({record.class_code or sid})”. Rename one of them."), local)
            return
        self.names.setdefault(key(teacher), {})[name.lower()] = owner
        teacher_name = person.username if person is not None else "its teacher"
        if local is None:
            self.plan.new_classes.append(NewClass(sid, name, teacher))
            self.plan.add(CLASS, CREATED, CLASSES, record.line, sid, name,
                          f"New class, taught by {teacher_name}.")
            self.klasses[sid] = Klass(Ref(None, sid), name, None, teacher)
            return
        changed = []
        if name != local.name:
            changed.append(f"name (was “{local.name}”)")
        if teacher.id != local.teacher_id:
            changed.append(f"teacher (now {teacher_name})")
        if changed:
            self.plan.class_changes.append(ClassChange(local.id, name, teacher, False))
        self.plan.add(CLASS, UPDATED if changed else UNCHANGED, CLASSES, record.line, sid,
                      name, f"Changed: {', '.join(changed)}." if changed else
                      "Already up to date.")
        self.klasses[sid] = Klass(Ref(local.id, sid), name, local, teacher)

    def _delete_class(self, record: ClassRecord, local: LocalClass | None) -> None:
        if local is None:
            self._skip_class(record, UNCHANGED, record.title or record.sourced_id,
                             "Marked tobedeleted, and no class here has this sourcedId.")
        elif local.archived:
            self._skip_class(record, UNCHANGED, local.name,
                             "Marked tobedeleted; the class is already archived.", local)
        else:
            self.plan.class_changes.append(ClassChange(
                local.id, local.name, self.user_ref(local.teacher_id), True))
            self._skip_class(record, REMOVED, local.name, "Marked tobedeleted: the class is "
                             "archived (read-only; nothing is deleted).", local)

    def klass(self, sourced_id: str) -> Klass | None:
        """The class ``sourced_id``: from this bundle, else one imported before."""
        if sourced_id in self.klasses:
            return self.klasses[sourced_id]
        local = self.classes.get(sourced_id)
        if local is None:
            return None
        found = Klass(Ref(local.id, sourced_id), local.name, local,
                      self.user_ref(local.teacher_id))
        if local.archived:
            found.ref, found.why = None, "its class is archived here"
        self.klasses[sourced_id] = found
        return found

    # --- enrolments -----------------------------------------------------------------------

    def enrollments(self) -> None:
        seen: dict[tuple[Key, Key], int] = {}
        for record in self.bundle.enrollments:
            self._enrollment(record, seen)
        if self.bundle.manifest.mode(ENROLLMENTS) == BULK:
            self._unlisted()

    def _add(self, record: EnrollmentRecord, outcome: str, label: str, message: str) -> None:
        self.plan.add(ENROLMENT, outcome, ENROLLMENTS, record.line, record.sourced_id, label,
                      message)

    def _enrollment(self, record: EnrollmentRecord, seen: dict[tuple[Key, Key], int]) -> None:
        klass = self.klass(record.class_sourced_id) if record.class_sourced_id else None
        person = self.person(record.user_sourced_id) if record.user_sourced_id else None
        member = False
        if klass is not None and klass.local is not None and person is not None \
                and person.here is not None:
            member = (klass.local.id, person.here) in self.members
            if not record.deleted:  # listed (even with a problem): never taken off in bulk
                klass.kept.add(person.here)
        if not record.ok:
            self._add(record, ERROR, record.sourced_id, first_problem(record))
            return
        if klass is None or person is None:
            missing = (f"the class “{record.class_sourced_id}”" if klass is None else
                       f"the user “{record.user_sourced_id}”")
            self._add(record, ERROR, record.sourced_id, (
                f"It names {missing}, which is in neither this bundle nor imported before."))
            return
        label = f"{person.username} in {klass.name}"
        if klass.ref is None or person.ref is None:
            self._add(record, UNCHANGED if record.deleted else SKIPPED, label,
                      f"Not imported: {klass.why or person.why}.")
        elif record.deleted:
            self._deleted_enrollment(record, klass, person, member, label)
        elif record.role == "teacher":
            teaches = klass.teacher is not None and key(klass.teacher) == key(person.ref)
            self._add(record, TEACHER if teaches else SKIPPED, label,
                      "The class's teacher." if teaches else
                      "Not imported: a class has one teacher in Framing Lab, and another "
                      "teacher of the roster teaches this one.")
        elif record.role != "student":
            self._add(record, SKIPPED, label, f"Not imported: class lists hold students; "
                                              f"the role here is {record.role}.")
        elif person.role != "student":
            self._add(record, SKIPPED, label, f"Not imported: {person.username} has a "
                                              f"{person.role}'s account, and class lists "
                                              "hold students.")
        else:
            self._student(record, klass, person, member, label, seen)

    def _student(self, record: EnrollmentRecord, klass: Klass, person: Person, member: bool,
                 label: str, seen: dict[tuple[Key, Key], int]) -> None:
        assert klass.ref is not None and person.ref is not None
        pair = (key(klass.ref), key(person.ref))
        if pair in seen:
            self._add(record, SKIPPED, label, f"Listed again: line {seen[pair]} already puts "
                                              "this student in this class.")
            return
        seen[pair] = record.line
        klass.kept.add(key(person.ref))
        if member:
            self._add(record, UNCHANGED, label, "Already in the class.")
            return
        self.plan.new_enrollments.append(NewEnrollment(klass.ref, person.ref))
        self._add(record, CREATED, label, "Added to the class.")

    def _deleted_enrollment(self, record: EnrollmentRecord, klass: Klass, person: Person,
                            member: bool, label: str) -> None:
        if not member:
            self._add(record, UNCHANGED, label, "Marked tobedeleted; not in the class here.")
            return
        assert klass.local is not None and person.ref is not None and person.ref.id
        self.plan.removed_enrollments.append((klass.local.id, person.ref.id))
        self.members.discard((klass.local.id, person.ref.id))
        self._add(record, REMOVED, label, "Marked tobedeleted: taken off the class (their "
                                          "answers are kept).")

    def _unlisted(self) -> None:
        """A bulk enrollments.csv lists every enrolment: imported students it no longer
        lists in a class it names are taken off that class."""
        named = {klass.local.id: klass for klass in self.klasses.values()
                 if klass.ref is not None and klass.local is not None}
        for enrollment in self.local_enrollments:
            klass = named.get(enrollment.class_id)
            if (klass is None or enrollment.student_sourced_id is None
                    or enrollment.student_id in klass.kept
                    or (enrollment.class_id, enrollment.student_id) not in self.members):
                continue
            self.plan.removed_enrollments.append((enrollment.class_id, enrollment.student_id))
            self.plan.add(ENROLMENT, REMOVED, ENROLLMENTS, None,
                          enrollment.student_sourced_id,
                          f"{enrollment.username} in {klass.name}",
                          "No longer in enrollments.csv (a bulk file): taken off the class "
                          "(their answers are kept).")


def plan_import(bundle: Bundle, state: State, options: Options | None = None) -> Plan:
    """Everything ``bundle`` changes in the app described by ``state`` (see the module's
    doc for the rules); nothing is changed here."""
    planner = _Planner(bundle, state, options or Options())
    planner.users()
    planner.classes_()
    planner.enrollments()
    return planner.plan
