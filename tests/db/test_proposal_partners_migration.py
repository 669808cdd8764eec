"""Revision 0032 backfills the partners as submitted of the proposals already sent: from their
consortium as it is now, from the frozen report when the consortium was deleted (linked by
PIC), from the SME of a cascade application; drafts get none. The downgrade drops them."""

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db import migrate
from clusterbridge.db.base import Base
from clusterbridge.db.models import ProgrammeCall, Proposal
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import ProposalState, Role
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

SENT_AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
REPORT = {
    "verdict": "eligible",
    "consortium": {
        "name": "Gone",
        "partners": [
            {"name": "Delta BV", "country": "NL", "pic": "900000004", "role": "coordinator"},
            {"name": "Kiel Cluster", "country": "DE", "pic": None, "role": "beneficiary"},
        ],
    },
}


@pytest.fixture
def scratch(database_url: str, tmp_path: Path) -> Iterator[Database]:
    """A SQLite file of its own, or the PostgreSQL test database (emptied, left at head)."""
    if database_url.startswith("sqlite"):
        database_url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    db = Database.connect(database_url)
    migrate.upgrade(db.engine)
    yield db
    migrate.upgrade(db.engine)
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    db.dispose()


def _proposal(call: ProgrammeCall, acronym: str, state: ProposalState, **values: Any) -> Proposal:
    return Proposal(
        call=call, acronym=acronym, title=acronym, summary="", requested_grant=Decimal(1000),
        state=state, submitted_at=None if state is ProposalState.DRAFT else SENT_AT,
        eligibility=REPORT if state is not ProposalState.DRAFT else None, **values,
    )  # fmt: skip


def _fill(db: Database) -> dict[str, int]:
    """Proposals SENT (Delta and a typed Turin Cluster), WITHDRAWN (the same consortium),
    DRAFT (the same), ORPHAN (consortium deleted, report above) and SME (a cascade
    application of Solar Bits); the ids of the proposals and organisations by name."""
    with Session(db.engine) as session:
        anna = make_user(session, email="anna@example.org", name="Anna")
        delta = make_organisation(session, name="Delta BV", country="NL", pic="900000004")
        solar = make_organisation(session, name="Solar Bits GmbH", country="DE")
        team = make_consortium(session, owner=anna, call_id=None, strand=None)
        add_partner(session, team, name="Turin Cluster", country="IT", role=Role.BENEFICIARY)
        add_partner(session, team, name="Delta override", country="NL", role=Role.COORDINATOR)
        team.partners[1].organisation = delta
        team.partners[1].country = None
        call = ProgrammeCall(identifier="C-1", title="C", call_file="", selection={})
        rows = {
            "SENT": _proposal(call, "SENT", ProposalState.SUBMITTED, consortium=team),
            "WITHDRAWN": _proposal(call, "WITHDRAWN", ProposalState.WITHDRAWN, consortium=team),
            "DRAFT": _proposal(call, "DRAFT", ProposalState.DRAFT, consortium=team),
            "ORPHAN": _proposal(call, "ORPHAN", ProposalState.SUBMITTED),
            "SME": _proposal(call, "SME", ProposalState.SUBMITTED, organisation=solar),
        }
        session.add_all(rows.values())
        session.commit()
        ids = {name: row.id for name, row in rows.items()}
        return ids | {"Delta": delta.id, "Solar": solar.id}


def _partners(db: Database) -> list[tuple[Any, ...]]:
    with db.engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT proposal_id, position, organisation_id, name, country, pic, role "
                "FROM proposal_partner ORDER BY proposal_id, position"
            )
        )
        return [tuple(row) for row in rows]


def test_the_partners_of_sent_proposals_are_backfilled(scratch: Database) -> None:
    ids = _fill(scratch)

    migrate.downgrade(scratch.engine, "0031")
    tables = set(sa.inspect(scratch.engine).get_table_names())
    migrate.upgrade(scratch.engine)

    assert "proposal_partner" not in tables
    sent = [
        (1, None, "Turin Cluster", "IT", None, "beneficiary"),
        (2, ids["Delta"], "Delta override", "NL", "900000004", "coordinator"),
    ]
    assert _partners(scratch) == [
        *[(ids["SENT"], *row) for row in sent],
        *[(ids["WITHDRAWN"], *row) for row in sent],
        (ids["ORPHAN"], 1, ids["Delta"], "Delta BV", "NL", "900000004", "coordinator"),
        (ids["ORPHAN"], 2, None, "Kiel Cluster", "DE", None, "beneficiary"),
        (ids["SME"], 1, ids["Solar"], "Solar Bits GmbH", "DE", None, "coordinator"),
    ]
