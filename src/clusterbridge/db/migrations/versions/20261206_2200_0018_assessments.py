"""Self-assessments (issue 19, parts 3 and 4): cluster readiness questions, evidence,
improvement areas and labels; SME digital maturity assessments. New tables only.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cluster_label",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "bronze",
                "silver",
                "gold",
                name="labellevel",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("awarded", sa.Date(), nullable=False),
        sa.Column("expires", sa.Date(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("expires > awarded", name=op.f("ck_cluster_label_expires_after_award")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_cluster_label_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster_label")),
        sa.UniqueConstraint(
            "organisation_id",
            "level",
            "awarded",
            name=op.f("uq_cluster_label_organisation_id_level_awarded"),
        ),
    )
    with op.batch_alter_table("cluster_label", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cluster_label_expires"), ["expires"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cluster_label_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "digital_maturity_assessment",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by_id", sa.Integer(), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("overall", sa.Numeric(precision=4, scale=1), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "overall BETWEEN 0 AND 100", name=op.f("ck_digital_maturity_assessment_overall_range")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_digital_maturity_assessment_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["taken_by_id"],
            ["user_account.id"],
            name=op.f("fk_digital_maturity_assessment_taken_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digital_maturity_assessment")),
    )
    with op.batch_alter_table("digital_maturity_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_digital_maturity_assessment_organisation_id"),
            ["organisation_id"],
            unique=False,
        )

    op.create_table(
        "improvement_area",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "dimension",
            sa.Enum(
                "structure",
                "governance",
                "financing",
                "services",
                "cooperation",
                "recognition",
                name="clusterdimension",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "in_progress",
                "done",
                name="improvementstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_improvement_area_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_improvement_area")),
    )
    with op.batch_alter_table("improvement_area", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_improvement_area_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "readiness_question",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column(
            "dimension",
            sa.Enum(
                "structure",
                "governance",
                "financing",
                "services",
                "cooperation",
                "recognition",
                name="clusterdimension",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("level BETWEEN 0 AND 4", name=op.f("ck_readiness_question_level_range")),
        sa.CheckConstraint(
            "weight BETWEEN 1 AND 5", name=op.f("ck_readiness_question_weight_range")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_readiness_question_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readiness_question")),
        sa.UniqueConstraint(
            "organisation_id", "key", name=op.f("uq_readiness_question_organisation_id_key")
        ),
    )
    with op.batch_alter_table("readiness_question", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_readiness_question_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "digital_maturity_score",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column(
            "dimension",
            sa.Enum(
                "strategy",
                "readiness",
                "human_centric",
                "data",
                "automation_ai",
                "green",
                name="dmadimension",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("score", sa.Numeric(precision=4, scale=1), nullable=False),
        sa.CheckConstraint(
            "score BETWEEN 0 AND 100", name=op.f("ck_digital_maturity_score_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["digital_maturity_assessment.id"],
            name=op.f("fk_digital_maturity_score_assessment_id_digital_maturity_assessment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "assessment_id", "dimension", name=op.f("pk_digital_maturity_score")
        ),
    )
    op.create_table(
        "readiness_evidence",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("size > 0", name=op.f("ck_readiness_evidence_not_empty")),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["readiness_question.id"],
            name=op.f("fk_readiness_evidence_question_id_readiness_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readiness_evidence")),
    )
    with op.batch_alter_table("readiness_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_readiness_evidence_question_id"), ["question_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("readiness_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_readiness_evidence_question_id"))

    op.drop_table("readiness_evidence")
    op.drop_table("digital_maturity_score")
    with op.batch_alter_table("readiness_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_readiness_question_organisation_id"))

    op.drop_table("readiness_question")
    with op.batch_alter_table("improvement_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_improvement_area_organisation_id"))

    op.drop_table("improvement_area")
    with op.batch_alter_table("digital_maturity_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digital_maturity_assessment_organisation_id"))

    op.drop_table("digital_maturity_assessment")
    with op.batch_alter_table("cluster_label", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cluster_label_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_cluster_label_expires"))

    op.drop_table("cluster_label")
