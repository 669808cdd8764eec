"""Revision 0011 on a database that races already broke: the duplicates are resolved the same
way every time before the unique indexes are created."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db import migrate
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import MeetingStatus, OrgType, Role
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.events import (
    SESSION_START,
    add_meeting,
    add_participant,
    make_event,
    make_person,
)
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def scratch(database_url: str, tmp_path: Path) -> Iterator[Database]:
    """A SQLite file of its own, or the PostgreSQL test database (left empty at head)."""
    if database_url.startswith("sqlite"):
        database_url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    db = Database.connect(database_url)
    migrate.downgrade(db.engine, "base") if migrate.current_revision(db.engine) else None
    migrate.upgrade(db.engine)
    yield db
    migrate.downgrade(db.engine, "base")
    migrate.upgrade(db.engine)
    db.dispose()


def _copy_meeting(connection: sa.Connection, meeting_id: int, *, swap: bool, status: str) -> int:
    """A second meeting of the same pair (the other way round with ``swap``), at 0010."""
    requester, recipient = ("recipient_id", "requester_id")[:: -1 if not swap else 1]
    row = connection.execute(
        sa.text(
            "INSERT INTO meeting (event_id, requester_id, recipient_id, message, status, locked,"
            " priority, sequence, created_at, updated_at)"
            f" SELECT event_id, {requester}, {recipient}, message, :status, false, priority,"
            " sequence, created_at, updated_at FROM meeting WHERE id = :id RETURNING id"
        ),
        {"id": meeting_id, "status": status},
    )
    return int(row.scalar_one())


def test_existing_duplicates_are_resolved_before_the_indexes(scratch: Database) -> None:
    with scratch.unit_of_work() as session:
        ids = _rows_at_head(session)
    migrate.downgrade(scratch.engine, "0010")
    with scratch.engine.begin() as connection:
        for name, position in (("Listed first", 1), ("Listed last", 5)):
            connection.execute(
                sa.text(
                    "INSERT INTO consortium_partner (consortium_id, position, role, name, country)"
                    " VALUES (:consortium, :position, 'coordinator', :name, 'DE')"
                ),
                {"consortium": ids["consortium"], "position": position, "name": name},
            )
        requested_back = _copy_meeting(connection, ids["meeting"], swap=True, status="requested")
        accepted_again = _copy_meeting(connection, ids["meeting"], swap=False, status="accepted")

    migrate.upgrade(scratch.engine)

    with scratch.engine.connect() as connection:
        roles = connection.execute(
            sa.text(
                "SELECT name, role FROM consortium_partner WHERE consortium_id = :id ORDER BY id"
            ),
            {"id": ids["consortium"]},
        ).all()
        meetings = connection.execute(
            sa.text("SELECT id, status, starts_at, room FROM meeting ORDER BY id")
        ).all()
    # The first coordinator in the consortium's order stays; an accepted meeting before a
    # request, the oldest first.
    assert [tuple(row) for row in roles] == [
        ("Beneficiary", "beneficiary"),
        ("Coordinator", "beneficiary"),
        ("Listed first", "coordinator"),
        ("Listed last", "beneficiary"),
    ]
    assert [(row.id, row.status, row.room) for row in meetings] == [
        (ids["meeting"], "accepted", 1),
        (requested_back, "cancelled", None),
        (accepted_again, "cancelled", None),
    ]


def _rows_at_head(session: Session) -> dict[str, int]:
    """A consortium with a coordinator at position 2, and a scheduled meeting of Anna and Ben."""
    owner = make_person(session, email="owner@example.org", name="Owner")
    consortium = make_consortium(session, owner=owner)
    add_partner(session, consortium, name="Beneficiary", role=Role.BENEFICIARY)
    add_partner(session, consortium, name="Coordinator", country="BE", role=Role.COORDINATOR)
    event = make_event(session, organiser=owner)
    anna, ben = (
        add_participant(
            session,
            event,
            user=make_person(session, email=f"{name}@example.org", name=name),
            organisation=make_organisation(session, name=f"{name} GmbH", type=OrgType.SME),
        )
        for name in ("anna", "ben")
    )
    meeting = add_meeting(
        session,
        event,
        requester=anna,
        recipient=ben,
        status=MeetingStatus.ACCEPTED,
        starts_at=SESSION_START,
    )
    return {"consortium": consortium.id, "meeting": meeting.id}
