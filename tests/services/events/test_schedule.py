"""Scheduling an event with the engine: schedule all, locks, unplaced meetings, repair."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, User
from clusterbridge.domain.enums import EventStatus, MeetingStatus, SolveStatus
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.scheduling import check_schedule
from clusterbridge.services.events import meetings as event_meetings
from clusterbridge.services.events import report as event_report
from clusterbridge.services.events import schedule as event_schedule
from clusterbridge.services.events.events import EventStateError
from clusterbridge.services.events.notifications import Notifier
from clusterbridge.services.mail import pending_mail
from tests.factories.events import (
    SESSION_START,
    add_meeting,
    make_event,
    make_participants,
)

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
SLOT = timedelta(minutes=20)


def test_schedule_all_places_every_meeting_without_double_booking(
    session: Session, event: Event, organiser: User, notifier: Notifier
) -> None:
    a, b, c = make_participants(session, event, "Anna", "Bert", "Cleo")
    meetings = [
        add_meeting(session, event, requester=a, recipient=b),
        add_meeting(session, event, requester=a, recipient=c),
        add_meeting(session, event, requester=b, recipient=c),
    ]

    summary = event_schedule.schedule_all(
        session, organiser, event.id, notifier=notifier, time_limit=5
    )

    assert (summary.status, summary.placed, summary.meetings, summary.unplaced) == (
        SolveStatus.OPTIMAL,
        3,
        3,
        (),
    )
    assert summary.breaks == 1  # three meetings of pairs in three slots: someone waits once
    assert sorted(m.starts_at for m in meetings) == [
        SESSION_START,
        SESSION_START + SLOT,
        SESSION_START + 2 * SLOT,
    ]  # type: ignore[type-var]
    slots = event_schedule.event_slots(event)
    problem = event_schedule.build_problem(event, slots, meetings)
    assert check_schedule(problem, event_schedule.current_schedule(slots, meetings)) == []
    assert pending_mail(session) == []


def test_schedule_all_keeps_locked_meetings_and_reports_what_does_not_fit(
    session: Session, event: Event, organiser: User, notifier: Notifier
) -> None:
    a, b, c, d, e = make_participants(session, event, "Anna", "Bert", "Cleo", "Dora", "Emil")
    locked = add_meeting(
        session, event, requester=a, recipient=b, starts_at=SESSION_START + 2 * SLOT, locked=True
    )
    others = [add_meeting(session, event, requester=a, recipient=x) for x in (c, d, e)]

    summary = event_schedule.schedule_all(
        session, organiser, event.id, notifier=notifier, time_limit=5
    )

    assert (locked.starts_at, locked.locked) == (SESSION_START + 2 * SLOT, True)
    assert (summary.placed, summary.meetings, len(summary.unplaced)) == (3, 4, 1)
    assert [m.starts_at is None for m in others].count(True) == 1
    assert summary.describe().startswith(
        "3 of 4 accepted meetings placed, 0 breaks in total. No slot fits: Anna GmbH / "
    )


def test_schedule_all_refuses_a_bad_time_limit_and_a_draft(
    session: Session, organiser: User, notifier: Notifier
) -> None:
    draft = make_event(session, organiser=organiser, status=EventStatus.DRAFT)

    with pytest.raises(InvalidInputError) as raised:
        event_schedule.schedule_all(session, organiser, draft.id, notifier=notifier, time_limit=0)
    with pytest.raises(EventStateError, match="Open registration before scheduling"):
        event_schedule.schedule_all(session, organiser, draft.id, notifier=notifier)

    assert raised.value.issues == (InputIssue("", "time_limit", "must be 1 to 600 seconds, not 0"),)


def test_a_cancellation_after_publication_repairs_the_schedule(
    session: Session, organiser: User, notifier: Notifier
) -> None:
    event = make_event(session, organiser=organiser, status=EventStatus.PUBLISHED, rooms=1)
    a, b, c, d = make_participants(session, event, "Anna", "Bert", "Cleo", "Dora")
    add_meeting(session, event, requester=a, recipient=b, starts_at=SESSION_START)
    cancelled = add_meeting(
        session, event, requester=a, recipient=c, starts_at=SESSION_START + SLOT
    )
    add_meeting(session, event, requester=a, recipient=d, starts_at=SESSION_START + 2 * SLOT)
    waiting = add_meeting(session, event, requester=b, recipient=c)  # one room: no slot was free

    event_meetings.cancel_meeting(
        session, a.user, event.id, cancelled.id, now=NOW, notifier=notifier
    )

    assert cancelled.status is MeetingStatus.CANCELLED
    assert (waiting.starts_at, waiting.room) == (SESSION_START + SLOT, 1)
    assert [(m.to[0], m.subject) for m in pending_mail(session)] == [
        ("cleo@example.org", "Textile meets Tech: Anna (Anna GmbH) cancelled your meeting"),
        ("bert@example.org", "Textile meets Tech: a new meeting in your agenda"),
        ("cleo@example.org", "Textile meets Tech: a new meeting in your agenda"),
    ]


def test_a_meeting_accepted_after_publication_gets_a_slot_at_once(
    session: Session, organiser: User, notifier: Notifier
) -> None:
    event = make_event(session, organiser=organiser, status=EventStatus.PUBLISHED)
    a, b, c = make_participants(session, event, "Anna", "Bert", "Cleo")
    kept = add_meeting(session, event, requester=a, recipient=b, starts_at=SESSION_START + SLOT)
    request = add_meeting(session, event, requester=c, recipient=a, status=MeetingStatus.REQUESTED)

    event_meetings.respond(
        session, a.user, event.id, request.id, accept=True, now=NOW, notifier=notifier
    )

    assert kept.starts_at == SESSION_START + SLOT
    assert request.starts_at in {SESSION_START, SESSION_START + 2 * SLOT}
    mails = pending_mail(session)
    assert [(m.to[0], m.subject) for m in mails] == [
        ("cleo@example.org", "Textile meets Tech: Anna (Anna GmbH) accepted your request"),
        ("cleo@example.org", "Textile meets Tech: a new meeting in your agenda"),
        ("anna@example.org", "Textile meets Tech: a new meeting in your agenda"),
    ]
    assert mails[2].body.startswith(
        "Hello Anna,\n\nYour meeting with Cleo (Cleo GmbH) is scheduled on Monday 10 March 2025 at "
    )


def test_the_report_counts_breaks_as_the_engine_does(
    session: Session, event: Event, organiser: User
) -> None:
    a, b, c = make_participants(session, event, "Anna", "Bert", "Cleo")
    add_meeting(session, event, requester=a, recipient=b, starts_at=SESSION_START)
    add_meeting(session, event, requester=a, recipient=c, starts_at=SESSION_START + 2 * SLOT)

    report = event_report.build_report(session, organiser, event.id, now=NOW)

    assert (report.breaks, report.participants_with_breaks) == (1, 1)


def test_more_meetings_than_room_slots_gives_the_best_partial_schedule_and_the_reason(
    session: Session, organiser: User, notifier: Notifier
) -> None:
    # 24 meetings of 24 different pairs and 4 rooms x 5 slots: the best schedule places 20,
    # whatever the machine's load (a harder instance was solved to 195 of 196 on a busy CI).
    event = make_event(
        session,
        organiser=organiser,
        rooms=4,
        sessions=((SESSION_START, SESSION_START + 5 * SLOT),),
    )
    people = make_participants(session, event, *(f"P{n:02}" for n in range(48)))
    meetings = [
        add_meeting(session, event, requester=people[2 * n], recipient=people[2 * n + 1])
        for n in range(24)
    ]

    summary = event_schedule.schedule_all(
        session, organiser, event.id, notifier=notifier, time_limit=15
    )

    assert summary.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert (summary.placed, summary.meetings, len(summary.unplaced)) == (20, 24, 4)
    assert summary.reason == "24 meetings, 20 room-slots"
    assert summary.describe().startswith(
        "20 of 24 accepted meetings placed (24 meetings, 20 room-slots), "
    )
    slots = event_schedule.event_slots(event)
    placed = [m for m in meetings if m.starts_at is not None]
    problem = event_schedule.build_problem(event, slots, placed)
    assert len(placed) == 20
    assert check_schedule(problem, event_schedule.current_schedule(slots, placed)) == []
