"""Accounts: server-side web sessions (revocable), e-mailed password-reset links, and
invitations to consortia by e-mail address, and requests to be listed as a member of a
cluster (which the cluster accepts or refuses).

New tables only; no existing table is recreated (SQLite would drop the search triggers).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _user_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"],
        ["user_account.id"],
        name=op.f(f"fk_{table}_user_id_user_account"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "web_session",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        *_timestamps(),
        _user_key("web_session"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_web_session_key_hash")),
    )
    op.create_index(op.f("ix_web_session_user_id"), "web_session", ["user_id"])
    op.create_table(
        "password_reset",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        _user_key("password_reset"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_reset_token_hash")),
    )
    op.create_index(op.f("ix_password_reset_user_id"), "password_reset", ["user_id"])
    op.create_table(
        "consortium_invitation",
        sa.Column("consortium_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("can_edit", sa.Boolean(), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["consortium_id"],
            ["consortium.id"],
            name=op.f("fk_consortium_invitation_consortium_id_consortium"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["user_account.id"],
            name=op.f("fk_consortium_invitation_invited_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consortium_invitation")),
        sa.UniqueConstraint(
            "consortium_id", "email", name=op.f("uq_consortium_invitation_consortium_id_email")
        ),
    )
    op.create_index(
        op.f("ix_consortium_invitation_consortium_id"), "consortium_invitation", ["consortium_id"]
    )
    op.create_index(op.f("ix_consortium_invitation_email"), "consortium_invitation", ["email"])
    op.create_table(
        "cluster_membership_request",
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "cluster_id <> member_id", name=op.f("ck_cluster_membership_request_not_own_member")
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["organisation.id"],
            name=op.f("fk_cluster_membership_request_cluster_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["organisation.id"],
            name=op.f("fk_cluster_membership_request_member_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_cluster_membership_request_requested_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster_membership_request")),
        sa.UniqueConstraint(
            "cluster_id",
            "member_id",
            name=op.f("uq_cluster_membership_request_cluster_id_member_id"),
        ),
    )
    for column in ("cluster_id", "member_id"):
        op.create_index(
            op.f(f"ix_cluster_membership_request_{column}"),
            "cluster_membership_request",
            [column],
        )


def downgrade() -> None:
    for column in ("cluster_id", "member_id"):
        op.drop_index(
            op.f(f"ix_cluster_membership_request_{column}"),
            table_name="cluster_membership_request",
        )
    op.drop_table("cluster_membership_request")
    op.drop_index(op.f("ix_consortium_invitation_email"), table_name="consortium_invitation")
    op.drop_index(
        op.f("ix_consortium_invitation_consortium_id"), table_name="consortium_invitation"
    )
    op.drop_table("consortium_invitation")
    op.drop_index(op.f("ix_password_reset_user_id"), table_name="password_reset")
    op.drop_table("password_reset")
    op.drop_index(op.f("ix_web_session_user_id"), table_name="web_session")
    op.drop_table("web_session")
