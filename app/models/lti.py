"""LTI 1.3: the platforms (school LMSs) registered with this tool, and what launches link.

A platform is one LMS registration (issuer + client id); its deployments are the places in
that LMS the tool was installed. A launch's user is linked to a local account through an
`LtiIdentity` (no password), its course to a local class through an `LtiContext`, and a
resource link to an assignment through an `LtiLink`. Scores go back through `GradeSend`
rows, one per student and link: the newest score to send, and how sending it went.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.classes import Assignment, Classroom
    from app.models.users import User

SEND_STATUSES: Final = ("pending", "sent", "failed")


class LtiPlatform(db.Model):
    """A school LMS registered by an admin (issuer, client id and its endpoints)."""

    __tablename__ = "lti_platforms"
    __table_args__ = (sa.UniqueConstraint("issuer", "client_id",
                                          name="uq_lti_platforms_issuer_client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    issuer: Mapped[str] = mapped_column(sa.String(255))
    client_id: Mapped[str] = mapped_column(sa.String(255))
    auth_login_url: Mapped[str] = mapped_column(sa.String(500))
    auth_token_url: Mapped[str] = mapped_column(sa.String(500))
    key_set_url: Mapped[str] = mapped_column(sa.String(500))
    # The `aud` of the tool's token request when the platform wants something other than
    # the token URL (Moodle and Canvas need none).
    audience: Mapped[str | None] = mapped_column(sa.String(500))
    # The platform's public keys as last fetched; refetched when a launch is signed with a
    # key id it does not hold (the platform rotated its keys) or when it is too old.
    key_set: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON(none_as_null=True))
    key_set_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    deployments: Mapped[list[LtiDeployment]] = relationship(
        back_populates="platform", cascade="all, delete-orphan", passive_deletes=True,
        order_by="LtiDeployment.id")

    def __repr__(self) -> str:
        return f"<LtiPlatform {self.issuer!r} client={self.client_id!r}>"


class LtiDeployment(db.Model):
    """One deployment id of a platform: a launch from any other is refused."""

    __tablename__ = "lti_deployments"
    __table_args__ = (sa.UniqueConstraint("platform_id", "deployment_id",
                                          name="uq_lti_deployments_platform_deployment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(sa.String(255))

    platform: Mapped[LtiPlatform] = relationship(back_populates="deployments")


class LtiToolKey(db.Model):
    """The tool's own RSA keys: the newest signs; retired ones stay published for a while
    so tokens signed just before a rotation still verify."""

    __tablename__ = "lti_tool_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(sa.String(64), unique=True)
    private_pem: Mapped[str] = mapped_column(sa.Text)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LtiIdentity(db.Model):
    """A platform's user (`sub`) linked to a local account."""

    __tablename__ = "lti_identities"
    __table_args__ = (sa.UniqueConstraint("platform_id", "subject",
                                          name="uq_lti_identities_platform_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(sa.String(255))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class LtiContext(db.Model):
    """A platform's course linked to a local class, with its roster service."""

    __tablename__ = "lti_contexts"
    __table_args__ = (sa.UniqueConstraint("platform_id", "context_id",
                                          name="uq_lti_contexts_platform_context"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(sa.String(255))
    classroom_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(sa.String(255), default="", server_default="")
    memberships_url: Mapped[str | None] = mapped_column(sa.String(500))
    lineitems_url: Mapped[str | None] = mapped_column(sa.String(500))
    # The AGS scopes the platform granted in its last launch (a token asks for these).
    ags_scopes: Mapped[list[str] | None] = mapped_column(sa.JSON(none_as_null=True))
    roster_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    platform: Mapped[LtiPlatform] = relationship()
    classroom: Mapped[Classroom | None] = relationship()


class LtiLink(db.Model):
    """A resource link in a course, set to an assignment, with its gradebook column."""

    __tablename__ = "lti_links"
    __table_args__ = (sa.UniqueConstraint("context_id", "resource_link_id",
                                          name="uq_lti_links_context_resource_link"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    context_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lti_contexts.id", ondelete="CASCADE"))
    resource_link_id: Mapped[str] = mapped_column(sa.String(255))
    assignment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(255), default="", server_default="")
    lineitem_url: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    context: Mapped[LtiContext] = relationship()
    assignment: Mapped[Assignment | None] = relationship()


class GradeSend(db.Model):
    """The score to send to the LMS for one student on one link, and how sending went.

    One row per (link, student): a newer graded attempt overwrites the score and sets it
    pending again. `tries` counts failed sends since the score last changed; `next_try_at`
    is when the sender may try again (backing off); after the last try it is "failed" and
    waits for a teacher's "send again".
    """

    __tablename__ = "lti_grade_sends"
    __table_args__ = (
        sa.UniqueConstraint("link_id", "user_id", name="uq_lti_grade_sends_link_user"),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
        sa.Index("ix_lti_grade_sends_status_next_try_at", "status", "next_try_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(sa.ForeignKey("lti_links.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="pending",
                                        server_default="pending")
    score_given: Mapped[float] = mapped_column(sa.Double)
    score_maximum: Mapped[float] = mapped_column(sa.Double)
    # When the score last changed here (the score's timestamp for the LMS).
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime())
    tries: Mapped[int] = mapped_column(default=0, server_default="0")
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Bumped whenever the score changes, so a send that read an older score cannot mark
    # the newer one sent.
    revision: Mapped[int] = mapped_column(default=1, server_default="1")

    link: Mapped[LtiLink] = relationship()
    user: Mapped[User] = relationship()


class LtiStoredValue(db.Model):
    """Short-lived launch state shared by every worker: OIDC nonces and states, and the
    launch data a deep-linking page needs after the launch request. Expired rows are
    ignored and swept."""

    __tablename__ = "lti_stored_values"

    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
