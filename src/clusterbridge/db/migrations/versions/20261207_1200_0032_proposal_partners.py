"""The partners of a proposal as it was submitted (ADR 0037): a new table, and its backfill for
the proposals already sent (submitted or withdrawn).

The backfill is the best this database still knows, not the submission itself, which was
never stored with the registry's organisation ids:

- a proposal whose consortium still exists gets that consortium's partners *as they are now*
  (an own column over the registry organisation's, in the consortium's order); a partner
  removed since submission is lost and one added since is counted;
- a proposal whose consortium was deleted gets the partners of its frozen eligibility report
  (name, country, PIC, role), each linked to the registry organisation with that PIC, if any;
- an application to a cascade call gets its SME, as coordinator.

The downgrade drops the table (the frozen partners are lost; the eligibility reports stay).

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("coordinator", "beneficiary", "affiliated_entity", "associated_partner")

proposal = sa.table(
    "proposal",
    sa.column("id", sa.Integer),
    sa.column("state", sa.String),
    sa.column("consortium_id", sa.Integer),
    sa.column("organisation_id", sa.Integer),
    sa.column("eligibility", sa.JSON),
)
consortium_partner = sa.table(
    "consortium_partner",
    sa.column("id", sa.Integer),
    sa.column("consortium_id", sa.Integer),
    sa.column("organisation_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("role", sa.String),
    sa.column("name", sa.String),
    sa.column("country", sa.String),
    sa.column("pic", sa.String),
)
organisation = sa.table(
    "organisation",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("country", sa.String),
    sa.column("pic", sa.String),
)
proposal_partner = sa.table(
    "proposal_partner",
    sa.column("proposal_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("organisation_id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("country", sa.String),
    sa.column("pic", sa.String),
    sa.column("role", sa.String),
)


def upgrade() -> None:
    op.create_table(
        "proposal_partner",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("pic", sa.String(length=9), nullable=True),
        sa.Column(
            "role",
            sa.Enum(*ROLES, name="role", native_enum=False, create_constraint=True),
            nullable=True,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_proposal_partner_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_proposal_partner_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_partner")),
        sa.UniqueConstraint(
            "proposal_id", "position", name=op.f("uq_proposal_partner_proposal_id_position")
        ),
    )
    with op.batch_alter_table("proposal_partner", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_partner_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_proposal_partner_proposal_id"), ["proposal_id"], unique=False
        )
    rows = list(_backfill(op.get_bind()))
    if rows:
        op.get_bind().execute(proposal_partner.insert(), rows)


def downgrade() -> None:
    with op.batch_alter_table("proposal_partner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_partner_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_partner_organisation_id"))

    op.drop_table("proposal_partner")


def _backfill(connection: sa.Connection) -> Iterator[dict[str, Any]]:
    """The partner rows of every proposal sent (see the module)."""
    sent = connection.execute(
        sa.select(
            proposal.c.id,
            proposal.c.consortium_id,
            proposal.c.organisation_id,
            proposal.c.eligibility,
        )
        .where(proposal.c.state != "draft")
        .order_by(proposal.c.id)
    ).all()
    partners = _consortium_partners(connection)
    organisations = {
        row.id: row
        for row in connection.execute(
            sa.select(organisation.c.id, organisation.c.name, organisation.c.country,
                      organisation.c.pic)
        )
    }  # fmt: skip
    by_pic = {row.pic: row.id for row in organisations.values() if row.pic}
    for proposal_id, consortium_id, organisation_id, eligibility in sent:
        if consortium_id is not None:
            found = partners.get(consortium_id, [])
        elif organisation_id is not None:
            sme = organisations[organisation_id]
            found = [(sme.id, sme.name, sme.country, sme.pic, "coordinator")]
        else:
            found = _reported_partners(eligibility, by_pic)
        for position, (org_id, name, country, pic, role) in enumerate(found, start=1):
            yield {
                "proposal_id": proposal_id, "position": position, "organisation_id": org_id,
                "name": (name or "")[:300], "country": (country or "")[:2], "pic": pic,
                "role": role if role in ROLES else None,
            }  # fmt: skip


def _consortium_partners(connection: sa.Connection) -> dict[int, list[tuple[Any, ...]]]:
    """Each consortium's partners now: (organisation id, name, country, PIC, role), an own
    column winning over the registry organisation's, in the consortium's order."""
    joined = consortium_partner.outerjoin(
        organisation, organisation.c.id == consortium_partner.c.organisation_id
    )
    rows = connection.execute(
        sa.select(
            consortium_partner.c.consortium_id,
            consortium_partner.c.organisation_id,
            sa.func.coalesce(consortium_partner.c.name, organisation.c.name),
            sa.func.coalesce(consortium_partner.c.country, organisation.c.country),
            sa.func.coalesce(consortium_partner.c.pic, organisation.c.pic),
            consortium_partner.c.role,
        )
        .select_from(joined)
        .order_by(
            consortium_partner.c.consortium_id,
            consortium_partner.c.position,
            consortium_partner.c.id,
        )
    )
    partners: dict[int, list[tuple[Any, ...]]] = {}
    for consortium_id, *partner in rows:
        partners.setdefault(consortium_id, []).append(tuple(partner))
    return partners


def _reported_partners(eligibility: Any, by_pic: dict[str, int]) -> list[tuple[Any, ...]]:
    """The partners listed in a frozen eligibility report, linked to the registry by PIC."""
    consortium = eligibility.get("consortium") if isinstance(eligibility, dict) else None
    listed = consortium.get("partners") if isinstance(consortium, dict) else None
    return [
        (by_pic.get(p.get("pic") or ""), p.get("name"), p.get("country"), p.get("pic"),
         p.get("role"))
        for p in listed or []
        if isinstance(p, dict)
    ]  # fmt: skip
