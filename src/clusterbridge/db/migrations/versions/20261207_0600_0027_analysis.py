"""A monitored project's analysis (issue 19, part 5): findings (opportunities and threats) with
typed evidence references, documents, policy recommendations and the findings they cite. New
tables only.

Revision ID: 0027
Revises: 0025
Create Date: 2026-12-07 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analysis_document",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("size > 0", name=op.f("ck_analysis_document_not_empty")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["monitored_project.id"],
            name=op.f("fk_analysis_document_project_id_monitored_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_document")),
    )
    with op.batch_alter_table("analysis_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analysis_document_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "analysis_finding",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "opportunity",
                "threat",
                name="findingkind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("technologies", sa.JSON(), nullable=False),
        sa.Column("ecosystems", sa.JSON(), nullable=False),
        sa.Column(
            "sme_profile",
            sa.Enum(
                "traditional",
                "tech_savvy",
                name="smeprofile",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["monitored_project.id"],
            name=op.f("fk_analysis_finding_project_id_monitored_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_finding")),
    )
    with op.batch_alter_table("analysis_finding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analysis_finding_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "policy_recommendation",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column(
            "audience",
            sa.Enum(
                "eu",
                "national",
                "regional",
                "cluster",
                name="audience",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["monitored_project.id"],
            name=op.f("fk_policy_recommendation_project_id_monitored_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_recommendation")),
    )
    with op.batch_alter_table("policy_recommendation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_policy_recommendation_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "analysis_evidence",
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "maturity_assessment",
                "readiness",
                "outcome",
                "document",
                "indicator_value",
                name="evidencekind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["analysis_finding.id"],
            name=op.f("fk_analysis_evidence_finding_id_analysis_finding"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_evidence")),
        sa.UniqueConstraint(
            "finding_id", "kind", "ref_id", name=op.f("uq_analysis_evidence_finding_id_kind_ref_id")
        ),
    )
    with op.batch_alter_table("analysis_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analysis_evidence_finding_id"), ["finding_id"], unique=False
        )

    op.create_table(
        "recommendation_finding",
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["analysis_finding.id"],
            name=op.f("fk_recommendation_finding_finding_id_analysis_finding"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["policy_recommendation.id"],
            name=op.f("fk_recommendation_finding_recommendation_id_policy_recommendation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "recommendation_id", "finding_id", name=op.f("pk_recommendation_finding")
        ),
    )
    with op.batch_alter_table("recommendation_finding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_finding_finding_id"), ["finding_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("recommendation_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_finding_finding_id"))

    op.drop_table("recommendation_finding")
    with op.batch_alter_table("analysis_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_evidence_finding_id"))

    op.drop_table("analysis_evidence")
    with op.batch_alter_table("policy_recommendation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_recommendation_project_id"))

    op.drop_table("policy_recommendation")
    with op.batch_alter_table("analysis_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_finding_project_id"))

    op.drop_table("analysis_finding")
    with op.batch_alter_table("analysis_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_document_project_id"))

    op.drop_table("analysis_document")
