"""Monitored projects (issue 19): a Eurocluster, an alliance or a partnership reporting its
impact, and its partner organisations. New tables only.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monitored_project",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("acronym", sa.String(length=60), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "eurocluster",
                "strategic_alliance",
                "cluster_partnership",
                "other",
                name="projectkind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("period_months", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "end_date >= start_date", name=op.f("ck_monitored_project_dates_in_order")
        ),
        sa.CheckConstraint(
            "period_months BETWEEN 1 AND 36", name=op.f("ck_monitored_project_period_range")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_monitored_project_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_monitored_project_project_id_project"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_monitored_project_proposal_id_proposal"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitored_project")),
        sa.UniqueConstraint("acronym", name=op.f("uq_monitored_project_acronym")),
    )
    op.create_table(
        "monitored_project_member",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "coordinator",
                "partner",
                name="projectrole",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_monitored_project_member_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["monitored_project.id"],
            name=op.f("fk_monitored_project_member_project_id_monitored_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "project_id", "organisation_id", name=op.f("pk_monitored_project_member")
        ),
    )
    with op.batch_alter_table("monitored_project_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitored_project_member_organisation_id"),
            ["organisation_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("monitored_project_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitored_project_member_organisation_id"))

    op.drop_table("monitored_project_member")
    op.drop_table("monitored_project")
