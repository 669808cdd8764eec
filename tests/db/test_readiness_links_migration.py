"""Revision 0037 gives readiness questions copied before the shipped sources were fixed the
public address of the ECCP instead of its staging host: the three old links of the shipped
questions, and those exact addresses in a source a cluster edited; any other text stays as it
is. The downgrade changes nothing."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db import migrate
from clusterbridge.db.base import Base
from clusterbridge.db.models import ReadinessQuestion
from clusterbridge.db.session import Database
from clusterbridge.domain.assessment import ClusterDimension
from clusterbridge.services.monitoring import readiness_questions
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.integration, pytest.mark.db]

PROFILE = "https://impr-0001-1260-partners.eccp.hosted-temp.com/register-your-profile"
NEWS = (
    "https://impr-0001-1265-news-overview.eccp.hosted-temp.com/community-news/"
    "basque-energy-cluster-given-european-gold-label-top-management-excellence-award"
)
#: The sources the shipped questions had before the fix (commit 15fb090), by question key.
OLD_SOURCES = {
    "structure-members": "ECCP profile validation: 'A minimum of 15 clearly committed cluster "
    f"members' ({PROFILE})",
    "governance-team": "ECCP profile validation: 'Dedicated cluster management organisation/team "
    f"with at least 0.5 FTE' ({PROFILE})",
    "governance-strategy": "Gold result of the Basque Energy Cluster names 'definition of the "
    f"Cluster's strategy' among its top indicators ({NEWS})",
}
EDITED = f"Our board checked it against {PROFILE}. See also {PROFILE}?lang=de and {PROFILE}/faq"
UNRELATED = "Added by the organisation (https://staging.example.hosted-temp.com/x)"


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


def _fill(db: Database, sources: dict[str, str]) -> None:
    with Session(db.engine) as session:
        cluster = make_organisation(session, name="Basque Energy Cluster", country="ES")
        session.add_all(
            ReadinessQuestion(
                organisation_id=cluster.id,
                key=key,
                dimension=ClusterDimension.STRUCTURE,
                position=position,
                text=f"Question with {PROFILE} in its words",
                source=source,
            )
            for position, (key, source) in enumerate(sources.items())
        )
        session.commit()


def _stored(db: Database) -> dict[str, tuple[str, str]]:
    with db.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT key, text, source FROM readiness_question"))
        return {key: (text, source) for key, text, source in rows}


def test_the_staging_links_of_copied_questions_become_the_public_ones(scratch: Database) -> None:
    migrate.downgrade(scratch.engine, "0036")
    _fill(scratch, OLD_SOURCES | {"own-1": EDITED, "own-2": UNRELATED})

    migrate.upgrade(scratch.engine)
    stored = _stored(scratch)
    migrate.downgrade(scratch.engine, "0036")
    after_downgrade = _stored(scratch)

    shipped = {q.key: q.source for q in readiness_questions()[1] if q.key in OLD_SOURCES}
    assert {key: stored[key][1] for key in OLD_SOURCES} == shipped
    public = "https://clustercollaboration.eu/register-your-profile"
    assert stored["own-1"][1] == (
        f"Our board checked it against {public}. See also {PROFILE}?lang=de and {PROFILE}/faq"
    )
    assert stored["own-2"][1] == UNRELATED
    assert {text for text, _source in stored.values()} == {f"Question with {PROFILE} in its words"}
    assert after_downgrade == stored
