"""Match-making events: events, their sessions, participants and meetings.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 08:28:28.574221
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("room_link_template", sa.String(length=500), nullable=False),
        sa.Column(
            "request_mode",
            sa.Enum(
                "accept_decline",
                "automatic",
                name="requestmode",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("request_expiry_hours", sa.Integer(), nullable=True),
        sa.Column("rooms", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "open",
                "published",
                name="eventstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("organiser_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status = 'published') = (published_at IS NOT NULL)",
            name=op.f("ck_event_published_at"),
        ),
        sa.CheckConstraint(
            "request_expiry_hours IS NULL OR request_expiry_hours > 0",
            name=op.f("ck_event_request_expiry"),
        ),
        sa.CheckConstraint("rooms IS NULL OR rooms > 0", name=op.f("ck_event_rooms")),
        sa.CheckConstraint("slot_minutes BETWEEN 5 AND 240", name=op.f("ck_event_slot_minutes")),
        sa.ForeignKeyConstraint(
            ["organiser_id"], ["user_account.id"], name=op.f("fk_event_organiser_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_organiser_id"), ["organiser_id"], unique=False)

    op.create_table(
        "event_participant",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("offers", sa.Text(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "validated",
                "rejected",
                name="participantstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_participant_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_event_participant_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_event_participant_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_participant")),
        sa.UniqueConstraint(
            "event_id", "user_id", name=op.f("uq_event_participant_event_id_user_id")
        ),
    )
    with op.batch_alter_table("event_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_participant_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_event_participant_user_id"), ["user_id"], unique=False)

    op.create_table(
        "event_session",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_event_session_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_session_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_session")),
    )
    with op.batch_alter_table("event_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_session_event_id"), ["event_id"], unique=False)

    op.create_table(
        "meeting",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "accepted",
                "declined",
                "expired",
                "cancelled",
                name="meetingstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("room", sa.Integer(), nullable=True),
        sa.Column(
            "requester_outcome",
            sa.Enum(
                "no_show",
                "held",
                "follow_up",
                "agreement",
                name="requester_outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "recipient_outcome",
            sa.Enum(
                "no_show",
                "held",
                "follow_up",
                "agreement",
                name="recipient_outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "starts_at IS NULL OR status = 'accepted'", name=op.f("ck_meeting_scheduled_accepted")
        ),
        sa.CheckConstraint(
            "NOT locked OR starts_at IS NOT NULL", name=op.f("ck_meeting_locked_scheduled")
        ),
        sa.CheckConstraint(
            "requester_id <> recipient_id", name=op.f("ck_meeting_not_with_oneself")
        ),
        sa.CheckConstraint(
            "room IS NULL OR starts_at IS NOT NULL", name=op.f("ck_meeting_room_scheduled")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_meeting_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["event_participant.id"],
            name=op.f("fk_meeting_recipient_id_event_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["event_participant.id"],
            name=op.f("fk_meeting_requester_id_event_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_recipient_id"), ["recipient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_requester_id"), ["requester_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_requester_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_event_id"))

    op.drop_table("meeting")
    with op.batch_alter_table("event_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_session_event_id"))

    op.drop_table("event_session")
    with op.batch_alter_table("event_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_participant_user_id"))
        batch_op.drop_index(batch_op.f("ix_event_participant_organisation_id"))

    op.drop_table("event_participant")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_organiser_id"))

    op.drop_table("event")
