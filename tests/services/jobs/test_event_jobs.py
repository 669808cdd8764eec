"""The jobs of events: the hourly reminders of every published event, and the repair of a
published schedule on the organiser's request (checked at once, repaired in the job, its mail
queued with it)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from clusterbridge.config import Settings
from clusterbridge.db.models import Job, Meeting
from clusterbridge.db.repositories.users import get_user
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import EventStatus, JobState, UserRole
from clusterbridge.domain.errors import AccessDeniedError
from clusterbridge.services import jobs
from clusterbridge.services.events.events import EventStateError
from tests.conftest import NOW
from tests.factories.events import (
    SESSION_START,
    add_meeting,
    make_event,
    make_participants,
    make_person,
)
from tests.services.jobs.conftest import clock

pytestmark = [pytest.mark.integration, pytest.mark.db]

SLOT = timedelta(minutes=20)


def _not_dispatched(_job_id: int) -> None:
    """Jobs submitted here are run by the test."""


def _run(database: Database, settings: Settings, job_id: int) -> JobState | None:
    return jobs.run_job(database, settings, job_id, clock=clock, dispatch=lambda _id: None)


def _jobs(database: Database) -> list[Job]:
    with database.unit_of_work() as session:
        return list(session.scalars(sa.select(Job).order_by(Job.id)))


def _mails(database: Database) -> list[tuple[str, str]]:
    return [
        (job.arguments["to"][0], job.arguments["subject"])
        for job in _jobs(database)
        if job.kind == "mail.send"
    ]


def test_the_hourly_job_reminds_participants_of_meetings_within_a_day_once(
    clean_database: Database, job_settings: Settings
) -> None:
    with clean_database.unit_of_work() as session:
        olga = make_person(session, email="olga@events.example", name="Olga")
        soon = ((NOW + timedelta(hours=2), NOW + timedelta(hours=3)),)
        today = make_event(session, organiser=olga, status=EventStatus.PUBLISHED, sessions=soon)
        anna, bert = make_participants(session, today, "Anna", "Bert")
        add_meeting(session, today, requester=anna, recipient=bert, starts_at=soon[0][0])
        later = make_event(session, organiser=olga, name="Later", status=EventStatus.PUBLISHED)
        cleo, dora = make_participants(session, later, "Cleo", "Dora")
        add_meeting(session, later, requester=cleo, recipient=dora, starts_at=SESSION_START)

    states = []
    for _run_number in range(2):
        with clean_database.unit_of_work() as session:
            job_id = jobs.submit_job(
                session, None, "events.remind", {}, dispatch=_not_dispatched
            ).id
        states.append(_run(clean_database, job_settings, job_id))

    results = [job.result or {} for job in _jobs(clean_database) if job.kind == "events.remind"]
    assert states == [JobState.SUCCEEDED, JobState.SUCCEEDED]
    assert [result["summary"] for result in results] == [
        "Reminders sent to 2 participant(s) of 1 event(s).",
        "Reminders sent to 0 participant(s) of 0 event(s).",
    ]
    assert sorted(to for to, _subject in _mails(clean_database)) == [
        "anna@example.org",
        "bert@example.org",
    ]


def _published_with_a_waiting_meeting(database: Database) -> tuple[int, int, int, int]:
    """Olga's published event, one room: Anna meets Bert, then Cleo; Bert and Cleo's meeting
    got no slot. Returns the ids of the event, Olga, Otto and the waiting meeting."""
    with database.unit_of_work() as session:
        olga = make_person(
            session, email="olga@events.example", name="Olga", role=UserRole.EVENT_ORGANISER
        )
        otto = make_person(session, email="otto@example.org", name="Otto")
        event = make_event(session, organiser=olga, status=EventStatus.PUBLISHED, rooms=1)
        anna, bert, cleo = make_participants(session, event, "Anna", "Bert", "Cleo")
        add_meeting(session, event, requester=anna, recipient=bert, starts_at=SESSION_START)
        add_meeting(session, event, requester=anna, recipient=cleo, starts_at=SESSION_START + SLOT)
        waiting = add_meeting(session, event, requester=bert, recipient=cleo)
        return event.id, olga.id, otto.id, waiting.id


def test_a_repair_job_gives_the_waiting_meeting_a_slot_and_queues_its_mail(
    clean_database: Database, job_settings: Settings
) -> None:
    event_id, olga_id, _otto_id, waiting_id = _published_with_a_waiting_meeting(clean_database)
    dispatched: list[int] = []
    with clean_database.unit_of_work() as session:
        olga = get_user(session, olga_id)
        assert olga is not None
        job_id = jobs.submit_schedule_repair(session, olga, event_id, dispatch=dispatched.append).id

    state = _run(clean_database, job_settings, job_id)

    [job] = [job for job in _jobs(clean_database) if job.kind == "schedule.repair"]
    with clean_database.unit_of_work() as session:
        slot = session.get_one(Meeting, waiting_id).starts_at
    assert (dispatched, state, job.owner_id) == ([job_id], JobState.SUCCEEDED, olga_id)
    assert job.result == {
        "summary": "Meetings moved or given a slot: 1.",
        "moved": [waiting_id],
        "link": f"/events/{event_id}/manage",
    }
    assert slot == SESSION_START + 2 * SLOT
    assert _mails(clean_database) == [
        ("bert@example.org", "Textile meets Tech: a new meeting in your agenda"),
        ("cleo@example.org", "Textile meets Tech: a new meeting in your agenda"),
    ]


def test_a_repair_is_refused_at_once_for_others_and_before_publication(
    clean_database: Database,
) -> None:
    event_id, olga_id, otto_id, _waiting = _published_with_a_waiting_meeting(clean_database)
    with clean_database.unit_of_work() as session:
        olga, otto = get_user(session, olga_id), get_user(session, otto_id)
        assert olga is not None
        assert otto is not None
        with pytest.raises(AccessDeniedError):
            jobs.submit_schedule_repair(session, otto, event_id, dispatch=_not_dispatched)
        draft = make_event(session, organiser=olga, name="Open", status=EventStatus.OPEN)
        with pytest.raises(EventStateError) as refused:
            jobs.submit_schedule_repair(session, olga, draft.id, dispatch=_not_dispatched)

    assert str(refused.value) == "Publish the agenda before repairing it (or schedule all meetings)"
    assert _jobs(clean_database) == []
