"""The evaluation of authored calls (issue 18): experts, declared conflicts, panels,
assignments with individual reports, consensus reports and decisions. New tables only.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "expert",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("expertise", sa.Text(), nullable=False),
        sa.Column("ecosystems", sa.JSON(), nullable=False),
        sa.Column("technologies", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_expert_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_expert_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert")),
        sa.UniqueConstraint("user_id", name=op.f("uq_expert_user_id")),
    )
    with op.batch_alter_table("expert", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expert_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "evaluation_panel",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("per_proposal", sa.Integer(), nullable=False),
        sa.Column("max_load", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ranked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ties_left", sa.JSON(), nullable=False),
        sa.Column("shortfalls", sa.JSON(), nullable=False),
        sa.Column("budget_used", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("max_load >= 1", name=op.f("ck_evaluation_panel_max_load_positive")),
        sa.CheckConstraint(
            "per_proposal >= 1", name=op.f("ck_evaluation_panel_per_proposal_positive")
        ),
        sa.CheckConstraint(
            "published_at IS NULL OR ranked_at IS NOT NULL",
            name=op.f("ck_evaluation_panel_published_after_ranking"),
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["programme_call.id"],
            name=op.f("fk_evaluation_panel_call_id_programme_call"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_panel")),
        sa.UniqueConstraint("call_id", name=op.f("uq_evaluation_panel_call_id")),
    )
    op.create_table(
        "evaluation_assignment",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("fit", sa.Double(), nullable=False),
        sa.Column("fit_words", sa.JSON(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=True),
        sa.Column("comments", sa.JSON(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(submitted_at IS NULL) = (scores IS NULL)",
            name=op.f("ck_evaluation_assignment_report_scored_when_submitted"),
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["expert.id"],
            name=op.f("fk_evaluation_assignment_expert_id_expert"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_evaluation_assignment_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_assignment")),
        sa.UniqueConstraint(
            "proposal_id", "expert_id", name=op.f("uq_evaluation_assignment_proposal_id_expert_id")
        ),
    )
    with op.batch_alter_table("evaluation_assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_assignment_expert_id"), ["expert_id"], unique=False
        )

    op.create_table(
        "expert_declaration",
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("statement <> ''", name=op.f("ck_expert_declaration_statement_given")),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["expert.id"],
            name=op.f("fk_expert_declaration_expert_id_expert"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_expert_declaration_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_declaration")),
        sa.UniqueConstraint(
            "expert_id", "proposal_id", name=op.f("uq_expert_declaration_expert_id_proposal_id")
        ),
    )
    with op.batch_alter_table("expert_declaration", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expert_declaration_proposal_id"), ["proposal_id"], unique=False
        )

    op.create_table(
        "proposal_decision",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "selected",
                "reserve",
                "out",
                name="proposaloutcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("total", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("taken_order", sa.Integer(), nullable=True),
        sa.Column("reserve_position", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(outcome = 'out') = (rank IS NULL)",
            name=op.f("ck_proposal_decision_ranked_unless_out"),
        ),
        sa.CheckConstraint(
            "(outcome = 'selected') = (taken_order IS NOT NULL)",
            name=op.f("ck_proposal_decision_ordered_when_selected"),
        ),
        sa.CheckConstraint(
            "(outcome = 'reserve') = (reserve_position IS NOT NULL)",
            name=op.f("ck_proposal_decision_placed_when_reserve"),
        ),
        sa.CheckConstraint("reason <> ''", name=op.f("ck_proposal_decision_reason_given")),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_proposal_decision_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_decision")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_proposal_decision_proposal_id")),
    )
    op.create_table(
        "consensus_report",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("rapporteur_id", sa.Integer(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=True),
        sa.Column("comments", sa.JSON(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(submitted_at IS NULL) = (scores IS NULL)",
            name=op.f("ck_consensus_report_scored_when_submitted"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_consensus_report_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rapporteur_id"],
            ["evaluation_assignment.id"],
            name=op.f("fk_consensus_report_rapporteur_id_evaluation_assignment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consensus_report")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_consensus_report_proposal_id")),
    )
    with op.batch_alter_table("consensus_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consensus_report_rapporteur_id"), ["rapporteur_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("consensus_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consensus_report_rapporteur_id"))

    op.drop_table("consensus_report")
    op.drop_table("proposal_decision")
    with op.batch_alter_table("expert_declaration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_declaration_proposal_id"))

    op.drop_table("expert_declaration")
    with op.batch_alter_table("evaluation_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_assignment_expert_id"))

    op.drop_table("evaluation_assignment")
    op.drop_table("evaluation_panel")
    with op.batch_alter_table("expert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_organisation_id"))

    op.drop_table("expert")
