"""Fixtures of the job tests: an organiser's open event with one accepted meeting to schedule,
on the test database that the runner opens its own sessions on."""

from dataclasses import dataclass
from datetime import datetime

import pytest

from clusterbridge.config import Settings
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import UserRole
from tests.conftest import NOW
from tests.factories.events import add_meeting, make_event, make_participants, make_person


@dataclass(frozen=True)
class Scheduled:
    """The ids of the event to schedule and the people around it."""

    event: int
    organiser: int
    other: int
    admin: int
    meeting: int


@pytest.fixture
def job_settings(settings: Settings) -> Settings:
    """The test settings with a short lease, so that abandoned jobs expire quickly."""
    return settings.model_copy(update={"job_lease_seconds": 2})


@pytest.fixture
def scheduled(clean_database: Database) -> Scheduled:
    """Olga's open event: two validated participants with one accepted meeting, no slot yet."""
    with clean_database.unit_of_work() as session:
        olga = make_person(
            session, email="olga@events.example", name="Olga", role=UserRole.EVENT_ORGANISER
        )
        otto = make_person(session, email="otto@example.org", name="Otto")
        ada = make_person(
            session, email="ada@admin.example", name="Ada", role=UserRole.ADMINISTRATOR
        )
        event = make_event(session, organiser=olga)
        anna, bert = make_participants(session, event, "Anna", "Bert")
        meeting = add_meeting(session, event, requester=anna, recipient=bert)
        return Scheduled(event.id, olga.id, otto.id, ada.id, meeting.id)


def clock() -> datetime:
    """The fixed time of the tests."""
    return NOW
