"""What the test LMS knows: courses, people, enrolments, resource links, line items and the
scores the tool sent. Plain data, guarded by the platform's lock; no HTTP here."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote


@dataclass
class Course:
    context_id: str
    title: str
    label: str

    @property
    def path(self) -> str:
        """The context id as one URL path segment."""
        return quote(self.context_id, safe="")


@dataclass
class User:
    sub: str
    roles: list[str]
    given_name: str | None = None
    family_name: str | None = None
    name: str | None = None
    email: str | None = None


@dataclass
class Enrolment:
    roles: list[str]
    status: str = "Active"  # NRPS 2.0: Active or Inactive


@dataclass
class ResourceLink:
    context_id: str
    link_id: str
    title: str
    url: str | None = None
    custom: dict[str, str] = field(default_factory=dict)
    deployment_id: str | None = None


@dataclass
class LineItem:
    item_id: str
    context_id: str
    label: str
    score_maximum: float
    resource_id: str | None = None
    tag: str | None = None
    resource_link_id: str | None = None
    start_date_time: str | None = None
    end_date_time: str | None = None

    FIELDS = (("label", "label"), ("scoreMaximum", "score_maximum"),
              ("resourceId", "resource_id"), ("tag", "tag"),
              ("resourceLinkId", "resource_link_id"), ("startDateTime", "start_date_time"),
              ("endDateTime", "end_date_time"))

    def to_json(self, url: str) -> dict[str, Any]:
        body: dict[str, Any] = {"id": url}
        for key, attribute in self.FIELDS:
            value = getattr(self, attribute)
            if value is not None:
                body[key] = value
        return body


@dataclass
class PendingLogin:
    """A third-party initiated login the platform started and will answer at /auth once."""
    message_hint: str
    user_sub: str
    context_id: str
    deployment_id: str
    target_link_uri: str
    link_id: str | None
    deep_link: bool


def parse_timestamp(value: Any) -> datetime | None:
    """An ISO 8601 date-time with a UTC offset, as AGS 2.0 asks for score timestamps."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


class PlatformState:
    def __init__(self) -> None:
        self.courses: dict[str, Course] = {}
        self.users: dict[str, User] = {}
        self.enrolments: dict[str, dict[str, Enrolment]] = {}
        self.links: dict[tuple[str, str], ResourceLink] = {}
        self.line_items: dict[str, LineItem] = {}
        self.score_log: list[tuple[str, str, dict[str, Any]]] = []  # (context, item, score)
        self.latest: dict[tuple[str, str], dict[str, Any]] = {}  # (item, user) -> score
        self.ignored_scores: list[dict[str, Any]] = []
        self._ids = itertools.count(1)

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    def course(self, context_id: str) -> Course:
        if context_id not in self.courses:
            raise KeyError(f"unknown course {context_id!r}: call add_course first")
        return self.courses[context_id]

    def user(self, sub: str) -> User:
        if sub not in self.users:
            raise KeyError(f"unknown user {sub!r}: call add_user first")
        return self.users[sub]

    def link(self, context_id: str, link_id: str) -> ResourceLink:
        if (context_id, link_id) not in self.links:
            raise KeyError(f"unknown resource link {link_id!r} in {context_id!r}")
        return self.links[(context_id, link_id)]

    def launch_roles(self, context_id: str, sub: str) -> list[str]:
        """Roles in the launch: the context roles of the enrolment, then the person's
        institution/system roles (LTI Core 1.3 section 5.3.7)."""
        enrolment = self.enrolments.get(context_id, {}).get(sub)
        roles = list(enrolment.roles) if enrolment else []
        return roles + [role for role in self.user(sub).roles if role not in roles]

    def members(self, context_id: str) -> list[tuple[User, Enrolment]]:
        return [(self.users[sub], enrolment)
                for sub, enrolment in self.enrolments.get(context_id, {}).items()]

    def line_items_of(self, context_id: str) -> list[LineItem]:
        return [item for item in self.line_items.values() if item.context_id == context_id]

    def line_items_of_link(self, context_id: str, link_id: str) -> list[LineItem]:
        return [item for item in self.line_items_of(context_id)
                if item.resource_link_id == link_id]

    def add_line_item(self, context_id: str, **fields: Any) -> LineItem:
        item = LineItem(item_id=self.next_id("li-"), context_id=context_id, **fields)
        self.line_items[item.item_id] = item
        return item

    def record_score(self, item: LineItem, score: dict[str, Any]) -> bool:
        """Log a received score and make it the user's current one, unless the score on
        record has a later timestamp: AGS 2.0 says a platform must not let an older score
        replace a newer one (an equal timestamp may replace it). True when applied."""
        self.score_log.append((item.context_id, item.item_id, score))
        key = (item.item_id, score["userId"])
        previous = self.latest.get(key)
        if previous is not None:
            before = parse_timestamp(previous["timestamp"])
            incoming = parse_timestamp(score["timestamp"])
            if before is not None and incoming is not None and before > incoming:
                self.ignored_scores.append(score)
                return False
        self.latest[key] = score
        return True

    def scores(self, context_id: str, item_id: str | None = None) -> list[dict[str, Any]]:
        return [score for context, item, score in self.score_log
                if context == context_id and (item_id is None or item == item_id)]

    def gradebook(self, context_id: str) -> dict[str, dict[str, float]]:
        """{sub: {line item label: scoreGiven / scoreMaximum}} from each user's latest
        applied score; a latest score without scoreGiven clears the cell (AGS 2.0)."""
        book: dict[str, dict[str, float]] = {}
        for item in self.line_items_of(context_id):
            for (item_id, sub), score in self.latest.items():
                if item_id != item.item_id or score.get("scoreGiven") is None:
                    continue
                book.setdefault(sub, {})[item.label] = (
                    float(score["scoreGiven"]) / float(score["scoreMaximum"]))
        return book
