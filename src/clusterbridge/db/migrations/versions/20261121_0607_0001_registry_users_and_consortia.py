"""The registry, projects, users and consortia.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 06:07:32.759411
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("pic", sa.String(length=9), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("short_name", sa.String(length=100), nullable=True),
        sa.Column(
            "type",
            sa.Enum(
                "cluster_organisation",
                "cluster_network",
                "business_network",
                "sme",
                "large_enterprise",
                "technology_centre",
                "research_organisation",
                "university",
                "public_body",
                "other",
                "natural_person",
                name="org_type",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("is_sme", sa.Boolean(), nullable=True),
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
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("nuts", sa.String(length=5), nullable=True),
        sa.Column(
            "category_2021_2027",
            sa.Enum(
                "less_developed",
                "transition",
                "more_developed",
                name="region_category_2021_2027",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "category_2014_2020",
            sa.Enum(
                "less_developed",
                "transition",
                "more_developed",
                name="region_category_2014_2020",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("legal_entity", sa.Boolean(), nullable=True),
        sa.Column("eccp_registered", sa.Boolean(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("profile", sa.Text(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "manual",
                "import",
                "cordis",
                name="recordsource",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(country) = 2", name=op.f("ck_organisation_country_code")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("pic", name=op.f("uq_organisation_pic")),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_category_2021_2027"), ["category_2021_2027"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_organisation_country"), ["country"], unique=False)
        batch_op.create_index(
            "ix_organisation_name_key_country", ["name_key", "country"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_organisation_type"), ["type"], unique=False)

    op.create_table(
        "project",
        sa.Column("grant_id", sa.String(length=20), nullable=False),
        sa.Column("acronym", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("programme", sa.String(length=40), nullable=True),
        sa.Column("topic", sa.String(length=120), nullable=True),
        sa.Column("funding_scheme", sa.String(length=60), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("keywords", sa.Text(), nullable=False),
        sa.Column("objective", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
        sa.UniqueConstraint("grant_id", name=op.f("uq_project_grant_id")),
    )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_start_date"), ["start_date"], unique=False)

    op.create_table(
        "user_account",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "administrator",
                "cluster_manager",
                "organisation_member",
                "event_organiser",
                "programme_officer",
                name="userrole",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_table(
        "api_token",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "cluster_membership",
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "cluster_id <> member_id", name=op.f("ck_cluster_membership_not_own_member")
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["organisation.id"],
            name=op.f("fk_cluster_membership_cluster_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["organisation.id"],
            name=op.f("fk_cluster_membership_member_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cluster_id", "member_id", name=op.f("pk_cluster_membership")),
    )
    with op.batch_alter_table("cluster_membership", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cluster_membership_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "consortium",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("call_id", sa.String(length=100), nullable=True),
        sa.Column("strand", sa.String(length=40), nullable=True),
        sa.Column("duration_months", sa.Integer(), nullable=True),
        sa.Column("requested_grant_eur", sa.BigInteger(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "duration_months IS NULL OR duration_months > 0", name=op.f("ck_consortium_duration")
        ),
        sa.CheckConstraint(
            "requested_grant_eur IS NULL OR requested_grant_eur > 0",
            name=op.f("ck_consortium_requested_grant"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user_account.id"], name=op.f("fk_consortium_owner_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consortium")),
    )
    with op.batch_alter_table("consortium", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consortium_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "organisation_ecosystem",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("ecosystem", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_ecosystem_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "organisation_id", "ecosystem", name=op.f("pk_organisation_ecosystem")
        ),
    )
    with op.batch_alter_table("organisation_ecosystem", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_ecosystem_ecosystem"), ["ecosystem"], unique=False
        )

    op.create_table(
        "organisation_member",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_member_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_organisation_member_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", "user_id", name=op.f("pk_organisation_member")),
    )
    with op.batch_alter_table("organisation_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_member_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "organisation_technology",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "direction",
            sa.Enum(
                "offered",
                "needed",
                name="technologydirection",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_technology_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_technology")),
        sa.UniqueConstraint(
            "organisation_id",
            "direction",
            "label",
            name=op.f("uq_organisation_technology_organisation_id_direction_label"),
        ),
    )
    with op.batch_alter_table("organisation_technology", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_technology_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_organisation_technology_organisation_id"),
            ["organisation_id"],
            unique=False,
        )

    op.create_table(
        "participation",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("sme", sa.Boolean(), nullable=True),
        sa.Column("ec_contribution_eur", sa.Double(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_participation_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_participation_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participation")),
        sa.UniqueConstraint(
            "project_id",
            "organisation_id",
            "role",
            name=op.f("uq_participation_project_id_organisation_id_role"),
        ),
    )
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participation_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "consortium_member",
        sa.Column("consortium_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("can_edit", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consortium_id"],
            ["consortium.id"],
            name=op.f("fk_consortium_member_consortium_id_consortium"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_consortium_member_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consortium_id", "user_id", name=op.f("pk_consortium_member")),
    )
    with op.batch_alter_table("consortium_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consortium_member_user_id"), ["user_id"], unique=False)

    op.create_table(
        "consortium_partner",
        sa.Column("consortium_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "coordinator",
                "beneficiary",
                "affiliated_entity",
                "associated_partner",
                name="role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("nuts", sa.String(length=5), nullable=True),
        sa.Column(
            "type",
            sa.Enum(
                "cluster_organisation",
                "cluster_network",
                "business_network",
                "sme",
                "large_enterprise",
                "technology_centre",
                "research_organisation",
                "university",
                "public_body",
                "other",
                "natural_person",
                name="partner_org_type",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "sme_profile",
            sa.Enum(
                "traditional",
                "tech_savvy",
                name="partner_sme_profile",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("legal_entity", sa.Boolean(), nullable=True),
        sa.Column("eccp_registered", sa.Boolean(), nullable=True),
        sa.Column("pic", sa.String(length=9), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "organisation_id IS NOT NULL OR (name IS NOT NULL AND country IS NOT NULL)",
            name=op.f("ck_consortium_partner_registry_or_named"),
        ),
        sa.ForeignKeyConstraint(
            ["consortium_id"],
            ["consortium.id"],
            name=op.f("fk_consortium_partner_consortium_id_consortium"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_consortium_partner_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consortium_partner")),
        sa.UniqueConstraint(
            "consortium_id",
            "organisation_id",
            name=op.f("uq_consortium_partner_consortium_id_organisation_id"),
        ),
    )
    with op.batch_alter_table("consortium_partner", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consortium_partner_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("consortium_partner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consortium_partner_organisation_id"))

    op.drop_table("consortium_partner")
    with op.batch_alter_table("consortium_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consortium_member_user_id"))

    op.drop_table("consortium_member")
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participation_organisation_id"))

    op.drop_table("participation")
    with op.batch_alter_table("organisation_technology", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_technology_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_organisation_technology_code"))

    op.drop_table("organisation_technology")
    with op.batch_alter_table("organisation_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_member_user_id"))

    op.drop_table("organisation_member")
    with op.batch_alter_table("organisation_ecosystem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_ecosystem_ecosystem"))

    op.drop_table("organisation_ecosystem")
    with op.batch_alter_table("consortium", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consortium_owner_id"))

    op.drop_table("consortium")
    with op.batch_alter_table("cluster_membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cluster_membership_member_id"))

    op.drop_table("cluster_membership")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))

    op.drop_table("api_token")
    op.drop_table("user_account")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_start_date"))

    op.drop_table("project")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_type"))
        batch_op.drop_index("ix_organisation_name_key_country")
        batch_op.drop_index(batch_op.f("ix_organisation_country"))
        batch_op.drop_index(batch_op.f("ix_organisation_category_2021_2027"))

    op.drop_table("organisation")
