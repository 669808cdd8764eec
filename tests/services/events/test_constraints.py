"""What shapes an event's schedule beyond the meetings: participants' unavailable slots,
meeting priorities, fairness; calendar sequence numbers; and reminders before the meetings."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, User
from clusterbridge.domain.enums import EventStatus, MeetingStatus
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError
from clusterbridge.services.events import agenda as event_agenda
from clusterbridge.services.events import events, placement
from clusterbridge.services.events import meetings as event_meetings
from clusterbridge.services.events import participants as event_participants
from clusterbridge.services.events import schedule as event_schedule
from clusterbridge.services.events.events import EventDetails, EventStateError
from clusterbridge.services.events.notifications import Notifier
from clusterbridge.services.mail import pending_mail
from tests.factories.events import (
    SESSION_START,
    add_meeting,
    make_event,
    make_participants,
    make_person,
)

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
SLOT = timedelta(minutes=20)


def _slot(meeting_start: datetime | None) -> int | None:
    return None if meeting_start is None else (meeting_start - SESSION_START) // SLOT + 1


# ------------------------------------------------------------------------ unavailability


def test_participants_say_when_they_are_unavailable_and_scheduling_respects_it(
    session: Session, event: Event, organiser: User, notifier: Notifier
) -> None:
    anna, ben = make_participants(session, event, "Anna", "Ben")
    meeting = add_meeting(session, event, requester=anna, recipient=ben)

    event_participants.set_unavailability(session, anna.user, event.id, [1, 2])
    event_participants.set_unavailability(session, organiser, event.id, [3], participant_id=ben.id)
    event_participants.set_unavailability(session, ben.user, event.id, [])

    assert [(w.starts_at, w.ends_at) for w in anna.unavailable] == [
        (SESSION_START, SESSION_START + 2 * SLOT)
    ]
    assert event_participants.participant_unavailable_slots(event, anna) == (1, 2)
    assert event_participants.participant_unavailable_slots(event, ben) == ()
    summary = event_schedule.schedule_all(session, organiser, event.id, notifier=notifier)
    assert (summary.placed, _slot(meeting.starts_at)) == (1, 3)


def test_unavailable_slots_are_checked_and_only_the_participant_or_organiser_sets_them(
    session: Session, event: Event
) -> None:
    anna, ben = make_participants(session, event, "Anna", "Ben")

    with pytest.raises(InvalidInputError) as error:
        event_participants.set_unavailability(session, anna.user, event.id, [0, 2, 4, 4])
    with pytest.raises(AccessDeniedError):
        event_participants.set_unavailability(
            session, anna.user, event.id, [1], participant_id=ben.id
        )
    stranger = make_person(session, email="sam@example.org", name="Sam")
    with pytest.raises(AccessDeniedError, match="Register for this event first"):
        event_participants.set_unavailability(session, stranger, event.id, [1])

    assert error.value.issues == (
        InputIssue("", "unavailable_slots", "0, 4: the event's slots are 1 to 3"),
    )
    assert anna.unavailable == []


def test_unavailability_is_fixed_once_the_agenda_is_published(
    session: Session, organiser: User
) -> None:
    event = make_event(session, organiser=organiser, status=EventStatus.PUBLISHED)
    (anna,) = make_participants(session, event, "Anna")

    with pytest.raises(EventStateError, match="cancel the meetings you cannot attend"):
        event_participants.set_unavailability(session, anna.user, event.id, [1])


def test_a_meeting_cannot_be_locked_into_a_slot_a_participant_is_unavailable_in(
    session: Session, event: Event, organiser: User, notifier: Notifier
) -> None:
    anna, ben = make_participants(session, event, "Anna", "Ben")
    meeting = add_meeting(session, event, requester=anna, recipient=ben)
    event_participants.set_unavailability(session, ben.user, event.id, [2])

    with pytest.raises(InvalidInputError) as error:
        event_meetings.lock_meeting(
            session, organiser, event.id, meeting.id, slot=2, notifier=notifier
        )

    assert error.value.issues == (InputIssue("", "slot", "Ben GmbH is unavailable in slot 2"),)


# ------------------------------------------------------------------ priorities, fairness


def test_the_higher_priority_meeting_gets_the_only_slot(
    session: Session, organiser: User, notifier: Notifier
) -> None:
    one_slot = ((SESSION_START, SESSION_START + SLOT),)
    event = make_event(session, organiser=organiser, sessions=one_slot)
    anna, ben, cleo = make_participants(session, event, "Anna", "Ben", "Cleo")
    with_ben = add_meeting(session, event, requester=anna, recipient=ben)
    with_cleo = add_meeting(session, event, requester=anna, recipient=cleo)

    event_meetings.set_priority(session, organiser, event.id, with_cleo.id, priority=3)
    summary = event_schedule.schedule_all(session, organiser, event.id, notifier=notifier)

    assert (with_cleo.priority, _slot(with_cleo.starts_at), with_ben.starts_at) == (3, 1, None)
    assert [m.id for m in summary.unplaced] == [with_ben.id]


def test_priorities_are_checked_and_set_by_the_organiser_only(
    session: Session, event: Event, organiser: User
) -> None:
    anna, ben = make_participants(session, event, "Anna", "Ben")
    meeting = add_meeting(session, event, requester=anna, recipient=ben)
    declined = add_meeting(
        session, event, requester=ben, recipient=anna, status=MeetingStatus.DECLINED
    )

    with pytest.raises(InvalidInputError) as error:
        event_meetings.set_priority(session, organiser, event.id, meeting.id, priority=6)
    with pytest.raises(AccessDeniedError):
        event_meetings.set_priority(session, anna.user, event.id, meeting.id, priority=2)
    with pytest.raises(EventStateError):
        event_meetings.set_priority(session, organiser, event.id, declined.id, priority=2)

    assert error.value.issues == (InputIssue("", "priority", "must be 1 (normal) to 5, not 6"),)
    assert meeting.priority == 1


def test_fairness_is_an_event_setting_the_scheduler_keeps(
    session: Session, organiser: User, notifier: Notifier
) -> None:
    six_slots = ((SESSION_START, SESSION_START + 6 * SLOT),)
    event = make_event(session, organiser=organiser, sessions=six_slots)
    events.update_event(session, organiser, event.id, {"fairness": 0})
    anna, ben, cleo, dora = make_participants(session, event, "Anna", "Ben", "Cleo", "Dora")
    for a, b in [(anna, ben), (anna, cleo), (anna, dora), (ben, cleo), (cleo, dora)]:
        add_meeting(session, event, requester=a, recipient=b)

    summary = event_schedule.schedule_all(session, organiser, event.id, notifier=notifier)

    breaks = event_schedule.breaks_by_participant(event)
    assert summary.placed == 5
    assert len(set(breaks.values())) == 1
    with pytest.raises(InvalidInputError) as error:
        events.update_event(session, organiser, event.id, {"fairness": 51})
    assert error.value.issues == (
        InputIssue("", "fairness", "must be 0 to 50, or empty for no limit; not 51"),
    )
    created = events.create_event(
        session, organiser, EventDetails(name="Fair", fairness=2), now=NOW
    )
    assert (event.fairness, created.fairness) == (0, 2)


# -------------------------------------------------------------------- calendar sequence


def test_each_move_and_the_cancellation_raise_the_calendar_sequence(
    session: Session, event: Event, organiser: User, notifier: Notifier
) -> None:
    anna, ben = make_participants(session, event, "Anna", "Ben")
    meeting = add_meeting(session, event, requester=anna, recipient=ben)
    assert meeting.sequence == 0

    event_schedule.schedule_all(session, organiser, event.id, notifier=notifier)
    first = (_slot(meeting.starts_at), meeting.sequence)
    event_schedule.schedule_all(session, organiser, event.id, notifier=notifier)
    again = meeting.sequence
    other = 3 if first[0] != 3 else 1
    event_meetings.lock_meeting(
        session, organiser, event.id, meeting.id, slot=other, notifier=notifier
    )
    locked = meeting.sequence
    event_meetings.cancel_meeting(
        session, organiser, event.id, meeting.id, now=NOW, notifier=notifier
    )

    assert (first[1], again, locked, meeting.sequence) == (1, 1, 2, 3)


def test_a_meeting_cancelled_after_publication_stays_in_the_calendar_as_cancelled(
    session: Session, event: Event, organiser: User, notifier: Notifier
) -> None:
    anna, ben, cleo = make_participants(session, event, "Anna", "Ben", "Cleo")
    kept = add_meeting(session, event, requester=anna, recipient=cleo, starts_at=SESSION_START)
    gone = add_meeting(
        session, event, requester=anna, recipient=ben, starts_at=SESSION_START + SLOT
    )
    event_schedule.publish_schedule(session, organiser, event.id, now=NOW, notifier=notifier)

    event_meetings.cancel_meeting(session, ben.user, event.id, gone.id, now=NOW, notifier=notifier)
    agenda = event_agenda.get_agenda(session, anna.user, event.id)
    calendar = event_agenda.agenda_calendar(agenda, public_url="https://cb.example.org", now=NOW)
    cleos = event_agenda.get_agenda(session, cleo.user, event.id)

    assert [item.meeting for item in agenda.items] == [kept]
    assert [(w.meeting, f"{w.starts:%H:%M}", w.other) for w in agenda.withdrawn] == [
        (gone, "09:20", ben)
    ]
    assert cleos.withdrawn == []
    assert calendar.endswith(
        "BEGIN:VEVENT\r\n"
        f"UID:event-{event.id}-meeting-{gone.id}@cb.example.org\r\n"
        "DTSTAMP:20250301T120000Z\r\n"
        "DTSTART:20250310T082000Z\r\n"
        "DTEND:20250310T084000Z\r\n"
        "SEQUENCE:1\r\n"
        "SUMMARY:Cancelled: Meeting with Ben GmbH\r\n"
        f"DESCRIPTION:{event.name}: the one-to-one meeting of you and Ben (Ben \r\n"
        " GmbH) is cancelled.\r\n"
        "STATUS:CANCELLED\r\n"
        "TRANSP:TRANSPARENT\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )


def test_slots_lost_before_publication_are_not_in_any_calendar(
    session: Session, event: Event, organiser: User, notifier: Notifier
) -> None:
    anna, ben, cleo = make_participants(session, event, "Anna", "Ben", "Cleo")
    add_meeting(session, event, requester=anna, recipient=ben, starts_at=SESSION_START)
    early = add_meeting(
        session, event, requester=cleo, recipient=anna, starts_at=SESSION_START + SLOT
    )
    event_meetings.cancel_meeting(
        session, organiser, event.id, early.id, now=NOW, notifier=notifier
    )
    organisers = event_agenda.get_agenda(session, organiser, event.id)

    event_schedule.publish_schedule(session, organiser, event.id, now=NOW, notifier=notifier)

    assert [w.meeting for w in organisers.withdrawn] == [early]
    assert early.former_starts_at is None
    assert event_agenda.get_agenda(session, anna.user, event.id).withdrawn == []


def test_a_withdrawn_meeting_placed_again_is_confirmed_again(
    session: Session, event: Event, organiser: User, notifier: Notifier
) -> None:
    anna, ben = make_participants(session, event, "Anna", "Ben")
    meeting = add_meeting(session, event, requester=anna, recipient=ben, starts_at=SESSION_START)

    placement.place(meeting, None, None)
    withdrawn = (meeting.former_starts_at, meeting.sequence)
    placement.place(meeting, SESSION_START + SLOT, 1)

    assert withdrawn == (SESSION_START, 1)
    assert (meeting.former_starts_at, meeting.sequence) == (None, 2)


# --------------------------------------------------------------------------- reminders


def test_reminders_go_once_to_participants_whose_meetings_are_near(
    session: Session, organiser: User, notifier: Notifier
) -> None:
    event = make_event(session, organiser=organiser, status=EventStatus.PUBLISHED)
    anna, ben, cleo, dora = make_participants(session, event, "Anna", "Ben", "Cleo", "Dora")
    first = add_meeting(session, event, requester=anna, recipient=ben, starts_at=SESSION_START)
    add_meeting(session, event, requester=cleo, recipient=anna, starts_at=SESSION_START + SLOT)
    add_meeting(session, event, requester=dora, recipient=cleo, status=MeetingStatus.REQUESTED)
    evening_before = SESSION_START - timedelta(hours=14)

    too_early = event_agenda.send_reminders(
        session, organiser, event.id, now=SESSION_START - timedelta(days=2), notifier=notifier
    )
    reminded = event_agenda.send_reminders(
        session, organiser, event.id, now=evening_before, notifier=notifier
    )
    again = event_agenda.send_reminders(
        session, organiser, event.id, now=evening_before + timedelta(hours=1), notifier=notifier
    )

    assert too_early == []
    assert [p.user.name for p in reminded] == ["Anna", "Ben", "Cleo"]
    assert again == []
    assert anna.reminded_at == evening_before
    mail = next(m for m in pending_mail(session) if m.to == ("anna@example.org",))
    assert mail.subject == "Textile meets Tech: a reminder of your 2 meetings"
    assert mail.body == (
        "Hello Anna,\n\n"
        "A reminder of your 2 meetings at Textile meets Tech:\n\n"
        "- on Monday 10 March 2025 at 09:00 (Europe/Brussels): Ben (Ben GmbH)\n"
        f"  Room: https://meet.example.org/{event.id}-{first.id}\n"
        "- on Monday 10 March 2025 at 09:20 (Europe/Brussels): Cleo (Cleo GmbH)\n"
        f"  Room: https://meet.example.org/{event.id}-{first.id + 1}\n\n"
        f"Your agenda: https://cb.example.org/events/{event.id}/agenda\n"
        f"Add it to your calendar: https://cb.example.org/events/{event.id}/agenda.ics\n"
    )


def test_reminders_need_a_published_agenda_the_organiser_and_sensible_hours(
    session: Session, event: Event, organiser: User, notifier: Notifier
) -> None:
    (anna,) = make_participants(session, event, "Anna")

    with pytest.raises(EventStateError, match="Publish the agenda"):
        event_agenda.send_reminders(session, organiser, event.id, now=NOW, notifier=notifier)
    with pytest.raises(AccessDeniedError):
        event_agenda.send_reminders(session, anna.user, event.id, now=NOW, notifier=notifier)
    with pytest.raises(InvalidInputError) as error:
        event_agenda.send_reminders(
            session, organiser, event.id, now=NOW, notifier=notifier, within_hours=0
        )

    assert error.value.issues == (InputIssue("", "within_hours", "must be 1 to 168 hours, not 0"),)
