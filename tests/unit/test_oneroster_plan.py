"""Planning a OneRoster import against the app's state (plain data): what is created,
changed, skipped and why, and that a plan applied and planned again changes nothing."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from app.domain.oneroster import parse_bundle
from app.domain.oneroster_files import files_from_mapping
from app.domain.oneroster_names import username_from
from app.domain.oneroster_plan import plan_import
from app.domain.oneroster_report import (
    ACCOUNT,
    CLASS,
    CREATED,
    ENROLMENT,
    ERROR,
    REMOVED,
    SKIPPED,
    TEACHER,
    UNCHANGED,
    UPDATED,
    LocalClass,
    LocalEnrollment,
    LocalUser,
    Options,
    Plan,
    Ref,
    State,
)
from tests.helpers import oneroster_files, oneroster_school

EMPTY = State()


def plan(tables=None, state=EMPTY, options=None, **kwargs) -> Plan:
    bundle = parse_bundle(files_from_mapping(oneroster_files(tables, **kwargs)))
    return plan_import(bundle, state, options)


def outcomes(found: Plan, kind: str) -> dict[str, str]:
    """sourcedId → outcome of every report line of ``kind``."""
    return {line.sourced_id: line.outcome for line in found.lines if line.kind == kind}


def message(found: Plan, sourced_id: str) -> str:
    return next(line.message for line in found.lines if line.sourced_id == sourced_id)


def applied(state: State, found: Plan) -> State:
    """``state`` after the service stored ``found`` (ids given in order, as a database
    would): what the next import is planned against."""
    ids = itertools.count(1000)
    users = {user.id: user for user in state.users}
    by_sid: dict[str, int] = {}
    for new in found.new_users:
        user = LocalUser(next(ids), new.username, new.role, new.sourced_id, new.disabled,
                         new.display_name)
        users[user.id] = user
        by_sid[new.sourced_id] = user.id
    for change in found.user_changes:
        users[change.id] = replace(users[change.id], sourced_id=change.sourced_id,
                                   display_name=change.display_name, disabled=change.disabled)

    def user_id(ref: Ref) -> int:
        return ref.id if ref.id is not None else by_sid[ref.sourced_id]

    classes = {klass.id: klass for klass in state.classes}
    class_by_sid: dict[str, int] = {}
    for new_class in found.new_classes:
        klass = LocalClass(next(ids), new_class.sourced_id, new_class.name,
                           user_id(new_class.teacher), False)
        classes[klass.id] = klass
        class_by_sid[new_class.sourced_id] = klass.id
    for change in found.class_changes:
        classes[change.id] = replace(classes[change.id], name=change.name,
                                     teacher_id=user_id(change.teacher),
                                     archived=change.archived)
    removed = set(found.removed_enrollments)
    enrollments = [e for e in state.enrollments if (e.class_id, e.student_id) not in removed]
    for new_enrollment in found.new_enrollments:
        ref = new_enrollment.classroom
        student = users[user_id(new_enrollment.student)]
        enrollments.append(LocalEnrollment(
            ref.id if ref.id is not None else class_by_sid[ref.sourced_id], student.id,
            student.sourced_id, student.username))
    return State(list(users.values()), list(classes.values()), enrollments)


def test_a_school_creates_its_teachers_students_classes_and_enrolments():
    found = plan()
    assert outcomes(found, ACCOUNT) == {"t-1": CREATED, "t-2": CREATED, "s-1": CREATED,
                                        "s-2": CREATED, "s-3": CREATED, "g-1": SKIPPED,
                                        "a-1": CREATED}
    assert {(new.username, new.role, new.display_name) for new in found.new_users} == {
        ("ms.lee", "teacher", "Ada Lee"), ("mr.kay", "teacher", "Ben Kay"),
        ("alice", "student", "Alice Smith"), ("bob.jones", "student", "Bob Jones"),
        ("zoe", "student", "Zoë Martin"), ("principal", "teacher", "Dan Ode")}
    # Two sections with one title: the second is told apart by its class code.
    assert [(new.name, new.teacher) for new in found.new_classes] == [
        ("Media 10", Ref(None, "t-1")), ("Media 10 (M10-B)", Ref(None, "t-1"))]
    assert {(e.classroom.sourced_id, e.student.sourced_id) for e in found.new_enrollments} \
        == {("c-1", "s-1"), ("c-1", "s-2"), ("c-2", "s-2"), ("c-2", "s-3")}
    assert outcomes(found, ENROLMENT) == {"e-1": SKIPPED, "e-2": TEACHER, "e-3": CREATED,
                                          "e-4": CREATED, "e-5": TEACHER, "e-6": CREATED,
                                          "e-7": CREATED}
    assert "a class has one teacher" in message(found, "e-1")
    assert found.errors == [] and not found.blocked
    assert found.summary() == ("accounts: 6 created, 0 updated, 0 unchanged, 1 skipped; "
                               "classes: 2 created, 0 updated, 0 unchanged; enrolments: "
                               "4 created, 0 unchanged, 2 teacher, 1 skipped")


def test_importing_the_same_bundle_into_the_state_it_made_changes_nothing():
    first = plan()
    state = applied(EMPTY, first)
    again = plan(state=state)
    assert again.changes == 0
    assert (again.new_users, again.user_changes, again.new_classes, again.class_changes,
            again.new_enrollments, again.removed_enrollments) == ([], [], [], [], [], [])
    assert again.count(ACCOUNT, UNCHANGED) == 6 and again.count(CLASS, UNCHANGED) == 2
    assert again.count(ENROLMENT, UNCHANGED) == 4


def test_role_mapping_staff_family_and_the_fallbacks():
    school = oneroster_school()
    school["roles.csv"] = [
        {"sourcedId": "r1", "userSourcedId": "t-1", "roleType": "primary", "role": "aide"},
        {"sourcedId": "r2", "userSourcedId": "t-2", "roleType": "primary", "role": "teacher"},
        {"sourcedId": "r3", "userSourcedId": "t-2", "roleType": "primary", "role": "student"},
        {"sourcedId": "r4", "userSourcedId": "s-1", "roleType": "primary", "role": "student"},
        {"sourcedId": "r5", "userSourcedId": "g-1", "roleType": "primary", "role": "relative"},
    ]
    found = plan(school)
    assert outcomes(found, ACCOUNT) == {"t-1": SKIPPED, "t-2": SKIPPED, "s-1": CREATED,
                                        "s-2": SKIPPED, "s-3": SKIPPED, "g-1": SKIPPED,
                                        "a-1": SKIPPED}
    assert "Staff with the role aide get an account from an admin" in message(found, "t-1")
    assert "both the student and the teacher role" in message(found, "t-2")
    assert message(found, "s-2") == "Not imported: the roster gives this person no role."
    assert "parents and guardians" in message(found, "g-1")
    # Both classes lose their teacher, so neither is imported, nor their enrolments.
    assert outcomes(found, CLASS) == {"c-1": SKIPPED, "c-2": SKIPPED}
    assert message(found, "c-1") == ("Not imported: Its teacher “Ms.Lee@school.example” is "
                                      "not imported (see users.csv).")
    assert message(found, "e-3") == ("Not imported: its class (classes.csv line 2) is not "
                                     "imported.")


def test_without_roles_csv_a_1_1_role_column_or_the_enrolments_give_the_role():
    school = oneroster_school()
    del school["roles.csv"]
    by_enrolment = plan(school)
    assert "their enrolments" in by_enrolment.notes[-1]
    assert {new.sourced_id: new.role for new in by_enrolment.new_users} == {
        "t-1": "teacher", "t-2": "teacher", "s-1": "student", "s-2": "student",
        "s-3": "student"}
    for user in school["users.csv"]:
        user["role"] = {"t": "teacher", "s": "student", "g": "guardian",
                        "a": "administrator"}[user["sourcedId"][0]]
    columns = (*[c for c in ("sourcedId", "status", "dateLastModified", "orgSourcedIds",
                             "role", "username", "givenName", "familyName")],)
    by_column = plan(school, version="1.1", columns={"users.csv": columns})
    assert "role column of users.csv" in by_column.notes[-1]
    assert outcomes(by_column, ACCOUNT)["a-1"] == SKIPPED


def test_a_username_already_taken_here_is_an_error_never_a_merge():
    state = State(users=[LocalUser(1, "alice", "student", None, False, None),
                         LocalUser(2, "mr.kay", "teacher", "other-sis-9", False, None)])
    found = plan(state=state)
    assert outcomes(found, ACCOUNT)["s-1"] == ERROR
    assert "already exists here, made by hand. Nothing was merged" in message(found, "s-1")
    assert "for another roster person (sourcedId “other-sis-9”)" in message(found, "t-2")
    assert found.blocked  # all or nothing by default
    # The class keeps its primary teacher; the clashing co-teacher changes nothing.
    assert outcomes(found, CLASS) == {"c-1": CREATED, "c-2": CREATED}
    assert message(found, "e-3") == ("Not imported: its user (users.csv line 4) is not "
                                     "imported.")
    # Asked to, the import links the hand-made account (same role, no roster id).
    linked = plan(state=state, options=Options(link_by_username=True))
    assert outcomes(linked, ACCOUNT)["s-1"] == UPDATED
    assert [change.id for change in linked.user_changes] == [1]
    assert outcomes(linked, ACCOUNT)["t-2"] == ERROR  # another roster's account: never


def test_two_roster_people_with_one_username_and_usernames_that_cannot_be_made():
    school = oneroster_school()
    school["users.csv"][3]["username"] = "Alice@other.example"
    school["users.csv"][4]["username"] = "李"
    found = plan(school)
    assert outcomes(found, ACCOUNT)["s-2"] == ERROR
    assert message(found, "s-2") == ("The username “alice” is also made for users.csv line "
                                      "4: give one of them another username.")
    assert message(found, "s-3").startswith("“李” has no letter or digit a username can use")


def test_tobedeleted_disables_archives_and_takes_off_nothing_is_deleted():
    state = applied(EMPTY, plan())
    school = oneroster_school()
    school["users.csv"][2]["status"] = "tobedeleted"  # alice
    school["classes.csv"][1]["status"] = "tobedeleted"  # the second section
    school["enrollments.csv"][3]["status"] = "tobedeleted"  # bob in the first
    modes = {name: "delta" for name in school}
    found = plan(school, state, modes=modes)
    assert outcomes(found, ACCOUNT)["s-1"] == REMOVED
    assert [change.disabled for change in found.user_changes] == [True]
    assert [change.archived for change in found.class_changes] == [True]
    assert message(found, "c-2") == ("Marked tobedeleted: the class is archived (read-only; "
                                     "nothing is deleted).")
    assert outcomes(found, ENROLMENT)["e-4"] == REMOVED
    assert len(found.removed_enrollments) == 1
    # The second section is archived now: its enrolments are left alone.
    assert outcomes(found, ENROLMENT)["e-7"] == SKIPPED
    after = applied(state, found)
    assert plan(school, after, modes=modes).changes == 0


def test_a_bulk_file_takes_off_imported_students_it_no_longer_lists():
    state = applied(EMPTY, plan())
    hand_made = LocalUser(1, "walk.in", "student", None, False, None)
    c1 = next(klass.id for klass in state.classes if klass.sourced_id == "c-1")
    state = State([*state.users, hand_made], state.classes,
                  [*state.enrollments, LocalEnrollment(c1, 1, None, "walk.in")])
    school = oneroster_school()
    del school["enrollments.csv"][3]  # bob.jones leaves the first section
    found = plan(school, state)
    removed = [line for line in found.lines if line.outcome == REMOVED]
    assert [(line.label, line.line) for line in removed] == [("bob.jones in Media 10", None)]
    assert "No longer in enrollments.csv (a bulk file)" in removed[0].message
    # The same file as a delta removes nothing, and a student who joined by hand stays.
    delta = plan(school, state, modes={name: "delta" for name in school})
    assert delta.removed_enrollments == []


def test_a_row_with_an_error_keeps_its_student_in_a_bulk_import():
    state = applied(EMPTY, plan())
    school = oneroster_school()
    school["enrollments.csv"][2]["primary"] = "maybe"  # alice's row
    found = plan(school, state, options=Options(all_or_nothing=False))
    assert outcomes(found, ENROLMENT)["e-3"] == ERROR
    assert found.removed_enrollments == [] and not found.blocked


def test_an_enrolment_naming_nothing_known_is_an_error_and_a_delta_may_name_earlier_imports():
    state = applied(EMPTY, plan())
    enrolments = [{"sourcedId": "e-9", "classSourcedId": "c-2", "userSourcedId": "s-1",
                   "role": "student"},
                  {"sourcedId": "e-10", "classSourcedId": "c-404", "userSourcedId": "s-1",
                   "role": "student"},
                  {"sourcedId": "e-11", "classSourcedId": "c-2", "userSourcedId": "g-1",
                   "role": "guardian"}]
    found = plan({"enrollments.csv": enrolments}, state,
                 modes={"enrollments.csv": "delta"})
    assert outcomes(found, ENROLMENT) == {"e-9": CREATED, "e-10": ERROR, "e-11": ERROR}
    assert "the class “c-404”, which is in neither this bundle nor imported before" in \
        message(found, "e-10")


def test_changes_in_the_roster_update_names_and_status_but_never_usernames_or_roles():
    state = applied(EMPTY, plan())
    school = oneroster_school()
    school["users.csv"][2].update(preferredGivenName="Ally", username="ally")
    school["users.csv"][3]["enabledUser"] = "false"
    school["classes.csv"][0]["title"] = "Media 10 (spring)"
    school["roles.csv"][2]["role"] = "teacher"  # alice, now a teacher?
    found = plan(school, state)
    assert outcomes(found, ACCOUNT)["s-1"] == UPDATED
    assert message(found, "s-1") == (
        "Changed: name. Its role stays student (the roster says teacher); change it on the "
        "account's page if the roster is right. Its username stays “alice” (the roster now "
        "gives “ally”).")
    assert outcomes(found, ACCOUNT)["s-2"] == UPDATED
    assert [(c.display_name, c.disabled) for c in found.user_changes] == [
        ("Ally Smith", False), ("Bob Jones", True)]
    assert [c.name for c in found.class_changes] == ["Media 10 (spring)"]
    assert plan(school, applied(state, found)).changes == 0


def test_a_class_without_a_teacher_is_skipped_and_an_admin_may_teach():
    school = oneroster_school()
    school["enrollments.csv"] = [row for row in school["enrollments.csv"]
                                 if row["classSourcedId"] == "c-2" or row["role"] != "teacher"]
    found = plan(school)
    assert outcomes(found, CLASS) == {"c-1": SKIPPED, "c-2": CREATED}
    assert message(found, "c-1") == ("Not imported: No enrolment in enrollments.csv makes "
                                     "anyone its teacher.")
    admin = LocalUser(7, "ms.lee", "admin", None, False, None)
    linked = plan(state=State([admin]), options=Options(link_by_username=True))
    assert outcomes(linked, CLASS) == {"c-1": CREATED, "c-2": CREATED}
    assert linked.new_classes[0].teacher == Ref(7, "t-1")


def test_a_class_title_taken_by_the_teachers_own_class_gets_its_code():
    teacher = LocalUser(5, "ms.lee", "teacher", "t-1", False, None)
    own = LocalClass(9, None, "Media 10", 5, False)
    found = plan(state=State([teacher], [own]))
    assert [new.name for new in found.new_classes] == ["Media 10 (M10-A)", "Media 10 (M10-B)"]


def test_class_names_settle_in_one_import_whatever_the_order_of_the_file():
    state = applied(EMPTY, plan())
    school = oneroster_school()
    school["classes.csv"].reverse()
    assert plan(school, state).changes == 0  # the sections keep the names they have
    fresh = plan(school)  # into an empty app, the first listed gets the plain title
    assert [new.name for new in fresh.new_classes] == ["Media 10", "Media 10 (M10-A)"]


@pytest.mark.parametrize(("typed", "username"), [
    ("Alice", "alice"), ("alice@school.example", "alice"), ("Zoë Martin", "zoe.martin"),
    ("O'Brien, Seán", "obrien.sean"), ("al", None), ("a" * 33, None), ("李", None),
])
def test_usernames_are_made_to_follow_the_apps_rule(typed, username):
    made, problem = username_from(typed)
    assert made == username
    assert (problem is None) == (username is not None)


def test_a_student_the_roster_still_lists_stays_in_the_class_even_when_not_imported_now():
    state = applied(EMPTY, plan())
    school = oneroster_school()
    school["roles.csv"][2]["role"] = "aide"  # alice is listed as an aide now
    found = plan(school, state)
    assert outcomes(found, ACCOUNT)["s-1"] == SKIPPED
    assert outcomes(found, ENROLMENT)["e-3"] == SKIPPED
    assert found.removed_enrollments == []  # listed in enrollments.csv: not taken off
