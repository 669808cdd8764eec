"""Indicators of monitored projects (issue 19, part 2; ADR 0029): the activities linked to a
project, indicators with targets by period, manual values with evidence, frozen periodic reports
with copies of their evidence. New tables only.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "indicator",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("baseline", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("target", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["monitored_project.id"],
            name=op.f("fk_indicator_project_id_monitored_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sa.UniqueConstraint("project_id", "name", name=op.f("uq_indicator_project_id_name")),
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_project_id"), ["project_id"], unique=False)

    op.create_table(
        "indicator_report",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("period_label", sa.String(length=80), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "period >= 1 AND version >= 1", name=op.f("ck_indicator_report_numbers_positive")
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["user_account.id"],
            name=op.f("fk_indicator_report_issued_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["monitored_project.id"],
            name=op.f("fk_indicator_report_project_id_monitored_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_report")),
        sa.UniqueConstraint(
            "project_id",
            "period",
            "version",
            name=op.f("uq_indicator_report_project_id_period_version"),
        ),
    )
    with op.batch_alter_table("indicator_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_report_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "project_call",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["programme_call.id"],
            name=op.f("fk_project_call_call_id_programme_call"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["monitored_project.id"],
            name=op.f("fk_project_call_project_id_monitored_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "call_id", name=op.f("pk_project_call")),
    )
    with op.batch_alter_table("project_call", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_call_call_id"), ["call_id"], unique=False)

    op.create_table(
        "project_event",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_project_event_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["monitored_project.id"],
            name=op.f("fk_project_event_project_id_monitored_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "event_id", name=op.f("pk_project_event")),
    )
    with op.batch_alter_table("project_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_event_event_id"), ["event_id"], unique=False)

    op.create_table(
        "project_partnership",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["exchange_partnership.id"],
            name=op.f("fk_project_partnership_partnership_id_exchange_partnership"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["monitored_project.id"],
            name=op.f("fk_project_partnership_project_id_monitored_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "project_id", "partnership_id", name=op.f("pk_project_partnership")
        ),
    )
    with op.batch_alter_table("project_partnership", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_partnership_partnership_id"), ["partnership_id"], unique=False
        )

    op.create_table(
        "indicator_report_line",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("baseline", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("target", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("value", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_report_line_indicator_id_indicator"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["indicator_report.id"],
            name=op.f("fk_indicator_report_line_report_id_indicator_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_report_line")),
    )
    with op.batch_alter_table("indicator_report_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_report_line_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "indicator_target",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("period >= 1", name=op.f("ck_indicator_target_period_positive")),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_target_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("indicator_id", "period", name=op.f("pk_indicator_target")),
    )
    op.create_table(
        "indicator_value",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("period >= 1", name=op.f("ck_indicator_value_period_positive")),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_value_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_indicator_value_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_value")),
        sa.UniqueConstraint(
            "indicator_id", "period", name=op.f("uq_indicator_value_indicator_id_period")
        ),
    )
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_value_indicator_id"), ["indicator_id"], unique=False
        )

    op.create_table(
        "indicator_evidence",
        sa.Column("value_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("size > 0", name=op.f("ck_indicator_evidence_not_empty")),
        sa.ForeignKeyConstraint(
            ["value_id"],
            ["indicator_value.id"],
            name=op.f("fk_indicator_evidence_value_id_indicator_value"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_evidence")),
    )
    with op.batch_alter_table("indicator_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_evidence_value_id"), ["value_id"], unique=False
        )

    op.create_table(
        "indicator_report_evidence",
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("size > 0", name=op.f("ck_indicator_report_evidence_not_empty")),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["indicator_report_line.id"],
            name=op.f("fk_indicator_report_evidence_line_id_indicator_report_line"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_report_evidence")),
    )
    with op.batch_alter_table("indicator_report_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_report_evidence_line_id"), ["line_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("indicator_report_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_report_evidence_line_id"))

    op.drop_table("indicator_report_evidence")
    with op.batch_alter_table("indicator_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_evidence_value_id"))

    op.drop_table("indicator_evidence")
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_value_indicator_id"))

    op.drop_table("indicator_value")
    op.drop_table("indicator_target")
    with op.batch_alter_table("indicator_report_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_report_line_report_id"))

    op.drop_table("indicator_report_line")
    with op.batch_alter_table("project_partnership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_partnership_partnership_id"))

    op.drop_table("project_partnership")
    with op.batch_alter_table("project_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_event_event_id"))

    op.drop_table("project_event")
    with op.batch_alter_table("project_call", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_call_call_id"))

    op.drop_table("project_call")
    with op.batch_alter_table("indicator_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_report_project_id"))

    op.drop_table("indicator_report")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_project_id"))

    op.drop_table("indicator")
