"""Calls authored in the app and the proposals sent to them with their documents (issue 18).
New tables only.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programme_call",
        sa.Column("identifier", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "programme", "cascade", name="callkind", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("call_file", sa.Text(), nullable=False),
        sa.Column("selection", sa.JSON(), nullable=False),
        sa.Column("max_grant", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_programme_call_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_call")),
        sa.UniqueConstraint("identifier", name=op.f("uq_programme_call_identifier")),
    )
    op.create_table(
        "proposal",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=True),
        sa.Column("consortium_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("acronym", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("strand", sa.String(length=40), nullable=True),
        sa.Column("requested_grant", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("duration_months", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "submitted",
                "withdrawn",
                name="proposalstate",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("eligibility", sa.JSON(), nullable=True),
        sa.Column("eligible", sa.Boolean(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(state = 'draft') = (submitted_at IS NULL)",
            name=op.f("ck_proposal_submitted_when_submitted"),
        ),
        sa.CheckConstraint("requested_grant >= 0", name=op.f("ck_proposal_grant_not_negative")),
        sa.ForeignKeyConstraint(
            ["applicant_id"],
            ["user_account.id"],
            name=op.f("fk_proposal_applicant_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["programme_call.id"],
            name=op.f("fk_proposal_call_id_programme_call"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["consortium_id"],
            ["consortium.id"],
            name=op.f("fk_proposal_consortium_id_consortium"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_proposal_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal")),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_applicant_id"), ["applicant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_proposal_call_id"), ["call_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_proposal_consortium_id"), ["consortium_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_proposal_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "proposal_document",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("size > 0", name=op.f("ck_proposal_document_not_empty")),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_proposal_document_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_document")),
    )
    with op.batch_alter_table("proposal_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_document_proposal_id"), ["proposal_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("proposal_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_document_proposal_id"))

    op.drop_table("proposal_document")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_consortium_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_call_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_applicant_id"))

    op.drop_table("proposal")
    op.drop_table("programme_call")
