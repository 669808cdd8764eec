"""Exchanges between clusters (ClusterXchange, issue 17): partnerships and their members,
enrolled participants, exchanges (Commitment to Quality, closing report, validation, payment)
and the evidence files. New tables only.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 15:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_partnership",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_partnership")),
        sa.UniqueConstraint("name", name=op.f("uq_exchange_partnership_name")),
    )
    op.create_table(
        "exchange_participant",
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "visitor", "host", name="exchangerole", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "cluster_organisation",
                "business_network",
                "scaling_up_support",
                "sme",
                "other",
                name="organisationkind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("cluster_member", sa.Boolean(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.Column("motivation", sa.Text(), nullable=False),
        sa.Column("activity_types", sa.JSON(), nullable=False),
        sa.Column("preferred_countries", sa.JSON(), nullable=False),
        sa.Column("preferred_sectors", sa.JSON(), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=True),
        sa.Column("available_until", sa.Date(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("host_exception", sa.Text(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "validated",
                "refused",
                name="validationstate",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(state = 'pending') = (decided_at IS NULL)",
            name=op.f("ck_exchange_participant_decided_unless_pending"),
        ),
        sa.CheckConstraint(
            "available_from IS NULL OR available_until IS NULL OR available_from <= available_until",
            name=op.f("ck_exchange_participant_availability_order"),
        ),
        sa.CheckConstraint(
            "capacity >= 0", name=op.f("ck_exchange_participant_capacity_not_negative")
        ),
        sa.CheckConstraint(
            "latitude BETWEEN -90 AND 90", name=op.f("ck_exchange_participant_latitude")
        ),
        sa.CheckConstraint(
            "longitude BETWEEN -180 AND 180", name=op.f("ck_exchange_participant_longitude")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["user_account.id"],
            name=op.f("fk_exchange_participant_contact_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_exchange_participant_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_exchange_participant_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["exchange_partnership.id"],
            name=op.f("fk_exchange_participant_partnership_id_exchange_partnership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_participant")),
        sa.UniqueConstraint(
            "organisation_id", "role", name=op.f("uq_exchange_participant_organisation_id_role")
        ),
    )
    with op.batch_alter_table("exchange_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_participant_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_exchange_participant_partnership_id"), ["partnership_id"], unique=False
        )

    op.create_table(
        "exchange_partnership_member",
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["exchange_partnership.id"],
            name=op.f("fk_exchange_partnership_member_partnership_id_exchange_partnership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_exchange_partnership_member_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "partnership_id", "user_id", name=op.f("pk_exchange_partnership_member")
        ),
    )
    with op.batch_alter_table("exchange_partnership_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_partnership_member_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "exchange_preference",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("preferred_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "participant_id <> preferred_id", name=op.f("ck_exchange_preference_not_oneself")
        ),
        sa.CheckConstraint("rank >= 1", name=op.f("ck_exchange_preference_rank_positive")),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["exchange_participant.id"],
            name=op.f("fk_exchange_preference_participant_id_exchange_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["preferred_id"],
            ["exchange_participant.id"],
            name=op.f("fk_exchange_preference_preferred_id_exchange_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "participant_id", "preferred_id", name=op.f("pk_exchange_preference")
        ),
        sa.UniqueConstraint(
            "participant_id", "rank", name=op.f("uq_exchange_preference_participant_id_rank")
        ),
    )
    with op.batch_alter_table("exchange_preference", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_preference_preferred_id"), ["preferred_id"], unique=False
        )

    op.create_table(
        "exchange",
        sa.Column("visitor_id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("credited_partnership_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "proposed",
                "confirmed",
                "reported",
                "validated",
                "paid",
                name="exchangestate",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column(
            "activity_type",
            sa.Enum(
                "capacity_building",
                "knowledge_sharing",
                "project_development",
                "market_research",
                "networking",
                name="activitytype",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("distance_km", sa.Numeric(precision=8, scale=1), nullable=False),
        sa.Column("threshold_eur", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("lump_sum_eur", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("halved", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("objectives", sa.Text(), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("visitor_approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("host_approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("visitor_partnership_approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("host_partnership_approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("report_submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("validated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("validated_by_id", sa.Integer(), nullable=True),
        sa.Column("payment_due", sa.Date(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_amount_eur", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("payment_reference", sa.String(length=100), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(state = 'paid') = (paid_on IS NOT NULL)", name=op.f("ck_exchange_paid")
        ),
        sa.CheckConstraint(
            "(state IN ('proposed', 'confirmed')) = (report_submitted_at IS NULL)",
            name=op.f("ck_exchange_reported"),
        ),
        sa.CheckConstraint(
            "(state IN ('validated', 'paid')) = (validated_at IS NOT NULL)",
            name=op.f("ck_exchange_validated"),
        ),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_exchange_dates_in_order")),
        sa.CheckConstraint("visitor_id <> host_id", name=op.f("ck_exchange_two_participants")),
        sa.ForeignKeyConstraint(
            ["credited_partnership_id"],
            ["exchange_partnership.id"],
            name=op.f("fk_exchange_credited_partnership_id_exchange_partnership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["host_id"],
            ["exchange_participant.id"],
            name=op.f("fk_exchange_host_id_exchange_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["validated_by_id"],
            ["user_account.id"],
            name=op.f("fk_exchange_validated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["visitor_id"],
            ["exchange_participant.id"],
            name=op.f("fk_exchange_visitor_id_exchange_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange")),
        sa.UniqueConstraint("visitor_id", name=op.f("uq_exchange_visitor_id")),
    )
    with op.batch_alter_table("exchange", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_credited_partnership_id"),
            ["credited_partnership_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_exchange_host_id"), ["host_id"], unique=False)

    op.create_table(
        "exchange_evidence",
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("size > 0", name=op.f("ck_exchange_evidence_not_empty")),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchange.id"],
            name=op.f("fk_exchange_evidence_exchange_id_exchange"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_evidence")),
    )
    with op.batch_alter_table("exchange_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_evidence_exchange_id"), ["exchange_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("exchange_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_evidence_exchange_id"))

    op.drop_table("exchange_evidence")
    with op.batch_alter_table("exchange", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_host_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_credited_partnership_id"))

    op.drop_table("exchange")
    with op.batch_alter_table("exchange_partnership_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_partnership_member_user_id"))

    with op.batch_alter_table("exchange_preference", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_preference_preferred_id"))
    op.drop_table("exchange_preference")
    op.drop_table("exchange_partnership_member")
    with op.batch_alter_table("exchange_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_participant_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_participant_contact_id"))

    op.drop_table("exchange_participant")
    op.drop_table("exchange_partnership")
