"""Revision 0038 makes ``withdrawn`` a participant status: the registrations revision 0036
stored as ``rejected`` with ``withdrawn_at`` become ``withdrawn`` and back. On SQLite the
table is recreated: the meetings, unavailability, follow-ups and outcomes that hang on the
participants (``ON DELETE CASCADE``, ``SET NULL``) must survive both ways, unchanged."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clusterbridge.db import migrate
from clusterbridge.db.base import Base
from clusterbridge.db.models import FollowUp, Outcome, Unavailability
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import MeetingStatus, OutcomeType, ParticipantStatus
from tests.factories.events import (
    SESSION_END,
    SESSION_START,
    add_meeting,
    make_event,
    make_participants,
    make_person,
)

pytestmark = [pytest.mark.integration, pytest.mark.db]

WITHDREW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
CARL = "user_id = (SELECT id FROM user_account WHERE name = 'Carl')"
#: The rows of every table that hangs on the participants, as the test reads them.
DEPENDENTS = {
    "meeting": "SELECT id, requester_id, recipient_id, status, starts_at, room FROM meeting",
    "event_unavailability": "SELECT id, participant_id, starts_at FROM event_unavailability",
    "follow_up": "SELECT id, meeting_id, week FROM follow_up",
    "outcome": "SELECT id, meeting_id, follow_up_id, type FROM outcome",
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


def _fill(db: Database) -> None:
    """Wanda validated, Bob withdrawn as revision 0036 stored it, Carl rejected by the
    organiser; a meeting of Wanda and Carl with a follow-up and its outcome, Bob's cancelled
    request, Wanda's unavailability."""
    with Session(db.engine) as session:
        olga = make_person(session, email="olga@events.example", name="Olga")
        event = make_event(session, organiser=olga)
        wanda, bob, carl = make_participants(session, event, "Wanda", "Bob", "Carl")
        bob.status, bob.withdrawn_at = ParticipantStatus.REJECTED, WITHDREW
        carl.status = ParticipantStatus.REJECTED
        add_meeting(session, event, requester=bob, recipient=wanda, status=MeetingStatus.CANCELLED)
        met = add_meeting(session, event, requester=wanda, recipient=carl, starts_at=SESSION_START)
        session.add(Unavailability(participant=wanda, starts_at=SESSION_START, ends_at=SESSION_END))
        follow_up = FollowUp(
            meeting_id=met.id,
            organisation_id=wanda.organisation_id,
            recipient_id=wanda.user_id,
            week=1,
            token_hash="0" * 64,
            sent_at=SESSION_END,
            expires_at=SESSION_END,
            answered_at=SESSION_END,
        )
        session.add(follow_up)
        session.flush()
        session.add(
            Outcome(
                organisation_id=wanda.organisation_id,
                meeting_id=met.id,
                follow_up_id=follow_up.id,
                type=OutcomeType.TECHNICAL_COOPERATION,
            )
        )
        session.commit()


def _statuses(db: Database) -> dict[str, tuple[str, bool]]:
    query = (
        "SELECT u.name, p.status, p.withdrawn_at IS NOT NULL FROM event_participant p "
        "JOIN user_account u ON u.id = p.user_id"
    )
    with db.engine.connect() as connection:
        return {row[0]: (row[1], bool(row[2])) for row in connection.execute(sa.text(query))}


def _dependents(db: Database) -> dict[str, list[tuple[object, ...]]]:
    with db.engine.connect() as connection:
        return {
            table: sorted(tuple(row) for row in connection.execute(sa.text(query)))
            for table, query in DEPENDENTS.items()
        }


def _refused(db: Database, statement: str) -> bool:
    """Whether the database refuses ``statement`` (on Carl's registration)."""
    try:
        with db.engine.begin() as connection:
            connection.execute(sa.text(statement))
    except IntegrityError:
        return True
    return False


def test_withdrawn_registrations_get_their_status_and_nothing_that_hangs_on_them_is_lost(
    scratch: Database,
) -> None:
    migrate.downgrade(scratch.engine, "0037")
    _fill(scratch)
    before = _dependents(scratch)

    migrate.upgrade(scratch.engine)

    assert _statuses(scratch) == {
        "Wanda": ("validated", False),
        "Bob": ("withdrawn", True),
        "Carl": ("rejected", False),
    }
    assert _dependents(scratch) == before
    assert [len(rows) for rows in before.values()] == [2, 1, 1, 1]
    assert before["outcome"][0][2] is not None
    # Withdrawn exactly when it says when.
    assert _refused(scratch, f"UPDATE event_participant SET status = 'withdrawn' WHERE {CARL}")
    assert _refused(
        scratch, f"UPDATE event_participant SET withdrawn_at = '{WITHDREW}' WHERE {CARL}"
    )


def test_downgrading_stores_withdrawn_registrations_as_revision_0036_did(
    scratch: Database,
) -> None:
    migrate.downgrade(scratch.engine, "0037")
    _fill(scratch)
    migrate.upgrade(scratch.engine)
    before = _dependents(scratch)

    migrate.downgrade(scratch.engine, "0037")

    assert _statuses(scratch) == {
        "Wanda": ("validated", False),
        "Bob": ("rejected", True),
        "Carl": ("rejected", False),
    }
    assert _dependents(scratch) == before
    assert _refused(scratch, f"UPDATE event_participant SET status = 'withdrawn' WHERE {CARL}")
