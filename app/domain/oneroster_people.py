"""Planning a roster import, part one: the accounts (see :mod:`app.domain.oneroster_plan`
for the rules and the classes and enrolments).

:class:`PeoplePlanner` resolves every user of the bundle to an account here (existing,
linked or to be created) or to the reason it is not imported, and adds the account
changes and report lines to the plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from app.domain.oneroster import ABSENT, Bundle, Record, UserRecord
from app.domain.oneroster_files import ROLES, USERS
from app.domain.oneroster_names import display_name, username_from
from app.domain.oneroster_report import (
    ACCOUNT,
    CREATED,
    ERROR,
    REMOVED,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    LocalUser,
    NewUser,
    Options,
    Plan,
    Ref,
    State,
    UserChange,
)

ROLE_MAP: Final = {"student": "student", "teacher": "teacher"}
STAFF: Final = frozenset({"administrator", "aide", "proctor", "counselor", "principal",
                          "siteadministrator", "districtadministrator",
                          "systemadministrator"})
FAMILY: Final = frozenset({"guardian", "parent", "relative"})
ADMIN_KEPT: Final = ("An admin's account is never disabled by an import: disable it on its "
                     "page if the roster is right.")
# Local roles that may teach a class (an admin may own classes too).
TEACHES: Final = ("teacher", "admin")


@dataclass(frozen=True, slots=True)
class Person:
    """A roster user as the plan resolved it: the account (None: not imported, ``why``)."""

    ref: Ref | None
    role: str  # the account's role here ("" when not imported)
    username: str
    why: str = ""
    local_id: int | None = None  # the account here with this sourcedId, imported or not

    @property
    def here(self) -> int | None:
        """The id of the person's account here, if they have one already."""
        return self.ref.id if self.ref is not None else self.local_id


def first_problem(record: Record) -> str:
    return "; ".join(problem.message for problem in record.problems[:3])


def _role_reason(roles: Iterable[str]) -> str:
    named = sorted(set(roles))
    if any(role in FAMILY for role in named):
        return "Not imported: parents and guardians have no accounts in Framing Lab."
    if any(role in STAFF for role in named):
        return ("Not imported: Framing Lab imports students and teachers only. Staff with "
                f"the role {', '.join(named)} get an account from an admin, by hand.")
    return f"Not imported: the role {', '.join(named)} is not one Framing Lab uses."


class PeoplePlanner:
    def __init__(self, bundle: Bundle, state: State, options: Options) -> None:
        self.bundle = bundle
        self.plan = Plan(options=options, modes=dict(bundle.manifest.modes),
                         notes=list(bundle.notes))
        self.by_sid = {user.sourced_id: user for user in state.users if user.sourced_id}
        self.by_name = {user.username: user for user in state.users}
        self.by_id = {user.id: user for user in state.users}
        self.people: dict[str, Person] = {}
        self.claimed_names: dict[str, int] = {}  # username → users.csv line

    def user_ref(self, user_id: int) -> Ref:
        """The account ``user_id`` as a plan names it."""
        user = self.by_id.get(user_id)
        return Ref(user_id, (user.sourced_id or "") if user else "")

    # --- roles ----------------------------------------------------------------------------

    def _roles(self) -> dict[str, tuple[set[str], set[str]]]:
        """Each user's (primary, secondary) roles, from the best source the bundle has."""
        found: dict[str, tuple[set[str], set[str]]] = {}
        if self.bundle.manifest.mode(ROLES) != ABSENT:
            self.plan.notes.append("Roles were read from roles.csv.")
            for role in self.bundle.roles:
                if role.ok and not role.deleted:
                    primary, secondary = found.setdefault(role.user_sourced_id, (set(), set()))
                    (primary if role.primary else secondary).add(role.role)
        elif self.bundle.has_users_role_column:
            self.plan.notes.append("Roles were read from the role column of users.csv "
                                   "(a OneRoster 1.1 file).")
            for user in self.bundle.users:
                if user.role:
                    found[user.sourced_id] = ({user.role}, set())
        else:
            self.plan.notes.append("There is no roles.csv: each user's role was taken from "
                                   "their enrolments.")
            for enrollment in self.bundle.enrollments:
                if enrollment.ok and not enrollment.deleted:
                    found.setdefault(enrollment.user_sourced_id, (set(), set()))[0].add(
                        enrollment.role)
        return found

    @staticmethod
    def _mapped(primary: set[str], secondary: set[str]) -> tuple[str | None, str]:
        """The app role for these roster roles, or None and why not."""
        for roles in (primary, secondary):
            mapped = {ROLE_MAP[role] for role in roles if role in ROLE_MAP}
            if len(mapped) == 1:
                return mapped.pop(), ""
            if len(mapped) > 1:
                return None, ("Not imported: the roster gives this person both the student "
                              "and the teacher role. Give them one.")
        if primary or secondary:
            return None, _role_reason(primary | secondary)
        return None, "Not imported: the roster gives this person no role."

    # --- accounts -------------------------------------------------------------------------

    def users(self) -> None:
        roles = self._roles()
        for record in self.bundle.users:
            self._user(record, *roles.get(record.sourced_id, (set(), set())))

    def _skip_user(self, record: UserRecord, outcome: str, label: str, why: str) -> None:
        self.plan.add(ACCOUNT, outcome, USERS, record.line, record.sourced_id, label, why)
        if record.sourced_id and record.sourced_id not in self.people:
            local = self.by_sid.get(record.sourced_id)
            self.people[record.sourced_id] = Person(
                None, "", label, f"its user (users.csv line {record.line}) is not imported",
                local.id if local is not None else None)

    def _user(self, record: UserRecord, primary: set[str], secondary: set[str]) -> None:
        sid = record.sourced_id
        local = self.by_sid.get(sid)
        label = local.username if local else record.username or sid
        if not record.ok:
            self._skip_user(record, ERROR, label, first_problem(record))
            return
        if record.deleted:
            self._delete_user(record, local)
            return
        role, why = self._mapped(primary, secondary)
        if role is None:
            self._skip_user(record, SKIPPED, label, why)
            return
        name = display_name(record.given_name, record.family_name,
                            record.preferred_given_name, record.preferred_family_name)
        if local is not None:
            self._update_user(record, local, role, name)
            return
        username, problem = username_from(record.username)
        if username is None:
            self._skip_user(record, ERROR, label, problem or "")
            return
        if username in self.claimed_names:
            self._skip_user(record, ERROR, username, (
                f"The username “{username}” is also made for users.csv line "
                f"{self.claimed_names[username]}: give one of them another username."))
            return
        self.claimed_names[username] = record.line
        other = self.by_name.get(username)
        if other is not None:
            self._existing_name(record, other, role, name, username)
            return
        self.plan.new_users.append(NewUser(sid, username, role, name, not record.enabled))
        made = "" if username == record.username else f" (made from “{record.username}”)"
        self.plan.add(ACCOUNT, CREATED, USERS, record.line, sid, username,
                      f"New {role} account{made}, without a password."
                      + (" Disabled, as the roster asks." if not record.enabled else ""))
        self.people[sid] = Person(Ref(None, sid), role, username)

    def _delete_user(self, record: UserRecord, local: LocalUser | None) -> None:
        sid = record.sourced_id
        if local is None:
            self._skip_user(record, UNCHANGED, record.username or sid,
                            "Marked tobedeleted, and no account here has this sourcedId.")
            return
        if local.disabled or local.role == "admin":
            self._skip_user(record, UNCHANGED, local.username,
                            "Marked tobedeleted; the account is already disabled."
                            if local.disabled else ADMIN_KEPT)
            return
        self.plan.user_changes.append(UserChange(local.id, sid, local.display_name, True))
        self._skip_user(record, REMOVED, local.username,
                        "Marked tobedeleted: the account is disabled (nothing is deleted).")

    def _update_user(self, record: UserRecord, local: LocalUser, role: str,
                     name: str | None) -> None:
        sid = record.sourced_id
        notes = []
        if local.role != role and not (local.role == "admin" and role == "teacher"):
            notes.append(f"Its role stays {local.role} (the roster says {role}); change it "
                         "on the account's page if the roster is right.")
        username, _ = username_from(record.username)
        if username and username != local.username:
            notes.append(f"Its username stays “{local.username}” (the roster now gives "
                         f"“{record.username}”).")
        changed = []
        if name != local.display_name:
            changed.append("name")
        disabled = not record.enabled
        if disabled and local.role == "admin":
            notes.append(ADMIN_KEPT)
            disabled = local.disabled
        if local.disabled != disabled:
            changed.append("disabled" if disabled else "enabled again")
        if changed:
            self.plan.user_changes.append(UserChange(local.id, sid, name, disabled))
        message = (f"Changed: {', '.join(changed)}." if changed else "Already up to date.")
        self.plan.add(ACCOUNT, UPDATED if changed else UNCHANGED, USERS, record.line, sid,
                      local.username, " ".join([message, *notes]))
        self.people[sid] = Person(Ref(local.id, sid), local.role, local.username)

    def _existing_name(self, record: UserRecord, other: LocalUser, role: str,
                       name: str | None, username: str) -> None:
        sid = record.sourced_id
        compatible = other.role == role or (other.role == "admin" and role == "teacher")
        if other.sourced_id is None and self.plan.options.link_by_username and compatible:
            disabled = other.disabled if other.role == "admin" else not record.enabled
            self.plan.user_changes.append(UserChange(other.id, sid, name, disabled))
            self.plan.add(ACCOUNT, UPDATED, USERS, record.line, sid, username,
                          f"Linked to the existing {other.role} account “{username}”, which "
                          "keeps its password; later imports update it.")
            self.people[sid] = Person(Ref(other.id, sid), other.role, username)
            return
        if other.sourced_id is not None:
            why = (f"An account “{username}” already exists for another roster person "
                   f"(sourcedId “{other.sourced_id}”). Nothing was merged: give one of them "
                   "another username in your school's system.")
        elif not compatible:
            why = (f"An account “{username}” already exists here as a {other.role}, and the "
                   f"roster makes this person a {role}. Nothing was merged.")
        else:
            why = (f"An account “{username}” already exists here, made by hand. Nothing was "
                   "merged: tick “Link existing accounts” to make it this roster person's, "
                   "or give one of them another username.")
        self._skip_user(record, ERROR, username, why)

    def person(self, sourced_id: str) -> Person | None:
        """The roster user ``sourced_id``: from this bundle, else an account imported
        before (a delta file may name people it does not list again)."""
        if sourced_id in self.people:
            return self.people[sourced_id]
        local = self.by_sid.get(sourced_id)
        if local is None:
            return None
        person = Person(Ref(local.id, sourced_id), local.role, local.username)
        self.people[sourced_id] = person
        return person
