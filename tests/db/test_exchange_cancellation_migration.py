"""Revision 0017 recreates the ``exchange`` table on SQLite: the evidence of its exchanges
(``ON DELETE CASCADE``) must survive the upgrade and the downgrade, and the downgrade drops
the cancelled exchanges the schema before had no place for."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db import migrate
from clusterbridge.db.base import Base
from clusterbridge.db.models import Exchange, ExchangeEvidence, ExchangePartnership
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import ActivityType, ExchangeRole, ExchangeState
from tests.factories.exchanges import make_participant
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

WHEN = datetime(2025, 3, 10, tzinfo=UTC)


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


def _exchange(visitor_id: int, host_id: int, partnership_id: int, **values: object) -> Exchange:
    return Exchange(
        visitor_id=visitor_id,
        host_id=host_id,
        credited_partnership_id=partnership_id,
        start_date=date(2025, 3, 3),
        end_date=date(2025, 3, 7),
        activity_type=ActivityType.NETWORKING,
        working_days=5,
        distance_km=Decimal("1768.9"),
        threshold_eur=Decimal(780),
        lump_sum_eur=Decimal(780),
        halved=False,
        reasons=["Threshold for PT: EUR 780, paid in full: EUR 780."],
        goals="g",
        objectives="o",
        agenda="a",
        **values,
    )


def _fill(db: Database) -> None:
    with Session(db.engine) as session:
        vera = make_user(session, email="vera@munich.example", name="Vera")
        partnership = ExchangePartnership(name="Alpine CXC", country="AT")
        session.add(partnership)
        munich = make_organisation(session, name="Munich Cluster", country="DE")
        porto = make_organisation(session, name="Porto Cluster", country="PT", nuts=None)
        common = {"partnership": partnership, "contact": vera}
        visitor = make_participant(
            session, organisation=munich, role=ExchangeRole.VISITOR, **common
        )
        host = make_participant(session, organisation=porto, role=ExchangeRole.HOST, **common)
        cancelled = _exchange(
            visitor.id,
            host.id,
            partnership.id,
            state=ExchangeState.CANCELLED,
            cancelled_at=WHEN,
            cancelled_by_party="the visitor",
            cancel_reason="Ill.",
        )
        reported = _exchange(
            visitor.id,
            host.id,
            partnership.id,
            state=ExchangeState.REPORTED,
            report_submitted_at=WHEN,
        )
        session.add_all([cancelled, reported])
        session.flush()
        session.add(
            ExchangeEvidence(
                exchange_id=reported.id,
                file_name="pass.pdf",
                content_type="application/pdf",
                size=5,
                content=b"%PDF-",
                uploaded_at=WHEN,
            )
        )
        session.commit()


def _counts(db: Database) -> tuple[int, int]:
    with db.engine.connect() as connection:
        exchanges = connection.scalar(sa.text("SELECT count(*) FROM exchange"))
        evidence = connection.scalar(sa.text("SELECT count(*) FROM exchange_evidence"))
    return int(exchanges or 0), int(evidence or 0)


def test_evidence_survives_the_revision_both_ways(scratch: Database) -> None:
    _fill(scratch)
    assert _counts(scratch) == (2, 1)

    migrate.downgrade(scratch.engine, "0015")
    assert _counts(scratch) == (1, 1)

    migrate.upgrade(scratch.engine)
    assert _counts(scratch) == (1, 1)
