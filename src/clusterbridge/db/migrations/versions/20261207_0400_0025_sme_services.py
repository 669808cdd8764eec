"""Services to SMEs (issue 19, part 0): a monitored project's service catalogue, deliveries
to organisations, training participants and the receivers' ratings. New tables only.

Revision ID: 0025
Revises: 0022
Create Date: 2026-12-07 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "project_service",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "technical_assistance",
                "business_support",
                "training",
                "recruitment",
                "other",
                name="servicekind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "unit",
            sa.Enum("hours", "days", name="serviceunit", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["monitored_project.id"],
            name=op.f("fk_project_service_project_id_monitored_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_service")),
        sa.UniqueConstraint("project_id", "name", name=op.f("uq_project_service_project_id_name")),
    )
    with op.batch_alter_table("project_service", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_service_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "service_delivery",
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column(
            "unit",
            sa.Enum("hours", "days", name="serviceunit", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("delivered_by_id", sa.Integer(), nullable=True),
        sa.Column("delivered_by_person", sa.String(length=200), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_service_delivery_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["delivered_by_id"],
            ["organisation.id"],
            name=op.f("fk_service_delivery_delivered_by_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_service_delivery_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_service_delivery_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["project_service.id"],
            name=op.f("fk_service_delivery_service_id_project_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_delivery")),
    )
    with op.batch_alter_table("service_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_delivery_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            "ix_service_delivery_service_day", ["service_id", "delivered_on"], unique=False
        )

    op.create_table(
        "service_rating",
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("rated_by_id", sa.Integer(), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_service_rating_score_range")),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["service_delivery.id"],
            name=op.f("fk_service_rating_delivery_id_service_delivery"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_service_rating_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rated_by_id"],
            ["user_account.id"],
            name=op.f("fk_service_rating_rated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_rating")),
        sa.UniqueConstraint(
            "delivery_id",
            "organisation_id",
            name=op.f("uq_service_rating_delivery_id_organisation_id"),
        ),
    )
    with op.batch_alter_table("service_rating", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_rating_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "training_participant",
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "name IS NOT NULL OR organisation_id IS NOT NULL",
            name=op.f("ck_training_participant_someone"),
        ),
        sa.CheckConstraint(
            "name IS NULL OR people = 1", name=op.f("ck_training_participant_named_is_one")
        ),
        sa.CheckConstraint("people >= 1", name=op.f("ck_training_participant_people_positive")),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["service_delivery.id"],
            name=op.f("fk_training_participant_delivery_id_service_delivery"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_training_participant_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_participant")),
    )
    with op.batch_alter_table("training_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_participant_delivery_id"), ["delivery_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_participant_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("training_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_participant_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_training_participant_delivery_id"))

    op.drop_table("training_participant")
    with op.batch_alter_table("service_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_rating_organisation_id"))

    op.drop_table("service_rating")
    with op.batch_alter_table("service_delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_service_delivery_service_day")
        batch_op.drop_index(batch_op.f("ix_service_delivery_organisation_id"))

    op.drop_table("service_delivery")
    with op.batch_alter_table("project_service", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_service_project_id"))

    op.drop_table("project_service")
