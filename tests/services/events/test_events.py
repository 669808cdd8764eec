"""Events through the services: creation, registration, requests, locking, agenda, report."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, EventParticipant, User
from clusterbridge.domain.enums import (
    EventStatus,
    MeetingOutcome,
    MeetingStatus,
    OrgType,
    ParticipantStatus,
    RequestMode,
    SmeProfile,
    UserRole,
)
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError
from clusterbridge.services.events import agenda as event_agenda
from clusterbridge.services.events import events
from clusterbridge.services.events import meetings as event_meetings
from clusterbridge.services.events import participants as event_participants
from clusterbridge.services.events import report as event_report
from clusterbridge.services.events import schedule as event_schedule
from clusterbridge.services.events.access import EventNotFoundError
from clusterbridge.services.events.events import (
    EventDetails,
    EventStateError,
    SessionDetails,
    SessionNotFoundError,
)
from clusterbridge.services.events.notifications import Notifier
from clusterbridge.services.mail import Mail, pending_mail
from tests.factories.events import (
    SESSION_START,
    add_meeting,
    add_participant,
    make_event,
    make_person,
)
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def organiser(session: Session) -> User:
    return make_person(
        session, email="olga@events.example", name="Olga Organiser", role=UserRole.EVENT_ORGANISER
    )


def _participant(session: Session, event: Event, name: str, **kwargs: object) -> EventParticipant:
    user = make_person(session, email=f"{name.lower()}@example.org", name=name)
    organisation = make_organisation(session, name=f"{name} GmbH", type=OrgType.SME)
    return add_participant(session, event, user=user, organisation=organisation, **kwargs)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ events


def test_create_event_stores_local_sessions_in_utc_and_starts_as_a_draft(
    session: Session, organiser: User
) -> None:
    morning = SessionDetails("Morning", date(2025, 3, 10), time(9, 0), time(10, 0))

    created = events.create_event(
        session, organiser, EventDetails(name=" Textile meets Tech "), now=NOW, sessions=(morning,)
    )

    assert (created.name, created.status, created.time_zone) == (
        "Textile meets Tech",
        EventStatus.DRAFT,
        "Europe/Brussels",
    )
    assert [(s.name, s.starts_at, s.ends_at) for s in created.sessions] == [
        (
            "Morning",
            datetime(2025, 3, 10, 8, 0, tzinfo=UTC),
            datetime(2025, 3, 10, 9, 0, tzinfo=UTC),
        )
    ]
    assert [slot.start.hour * 60 + slot.start.minute for slot in events.event_slots(created)] == [
        480,
        500,
        520,
    ]


def test_create_event_reports_every_bad_field_at_once(session: Session, organiser: User) -> None:
    details = EventDetails(
        name="",
        time_zone="Mars/Olympus",
        slot_minutes=2,
        room_link_template="ftp://x/{slot}",
        rooms=0,
    )

    with pytest.raises(InvalidInputError) as raised:
        events.create_event(session, organiser, details, now=NOW)

    assert raised.value.issues == (
        InputIssue("", "name", "is required"),
        InputIssue(
            "",
            "time_zone",
            '"Mars/Olympus" is not a known time zone; use a name such as Europe/Brussels',
        ),
        InputIssue("", "slot_minutes", "must be 5 to 240 minutes, not 2"),
        InputIssue(
            "",
            "room_link_template",
            '"{slot}" is not a placeholder; use {event}, {meeting}, {room}',
        ),
        InputIssue("", "rooms", "must be 1 to 1000, or empty for no limit; not 0"),
    )


def test_create_event_refuses_a_session_that_ends_before_it_starts(
    session: Session, organiser: User
) -> None:
    backwards = SessionDetails("Morning", date(2025, 3, 10), time(10, 0), time(9, 0))

    with pytest.raises(InvalidInputError) as raised:
        events.create_event(
            session, organiser, EventDetails(name="X"), sessions=(backwards,), now=NOW
        )

    assert raised.value.issues == (InputIssue("session 1", "end", "must be after the start"),)


def test_create_event_needs_an_organiser_role(session: Session) -> None:
    member = make_user(session, role=UserRole.ORGANISATION_MEMBER)

    with pytest.raises(AccessDeniedError):
        events.create_event(session, member, EventDetails(name="X"), now=NOW)


def test_a_draft_is_invisible_to_others(session: Session, organiser: User) -> None:
    draft = make_event(session, organiser=organiser, status=EventStatus.DRAFT)
    other = make_user(session)

    with pytest.raises(EventNotFoundError):
        events.get_event(session, other, draft.id)
    assert events.list_events(session, other) == []


def test_open_registration_needs_a_slot(session: Session, organiser: User) -> None:
    draft = make_event(session, organiser=organiser, status=EventStatus.DRAFT, sessions=())

    with pytest.raises(InvalidInputError) as raised:
        events.open_registration(session, organiser, draft.id)

    assert raised.value.issues == (
        InputIssue("", "sessions", "add a session at least one slot long first"),
    )


# ------------------------------------------------------------------------ registration


def test_register_waits_for_validation_and_validating_mails_the_participant(
    session: Session, event: Event, organiser: User, notifier: Notifier
) -> None:
    user = make_user(session, email="wanda@weaver.example", name="Wanda Weaver")
    weaver = make_organisation(session, name="Weaver SA", type=OrgType.SME)
    add_member(session, weaver, user)

    registered = event_participants.register(
        session, user, event.id, event_participants.Registration(weaver.id, "Looms", "Sensors")
    )
    event_participants.set_status(
        session, organiser, event.id, registered.id, ParticipantStatus.VALIDATED, notifier=notifier
    )

    assert (registered.organisation_id, registered.offers, registered.needs) == (
        weaver.id,
        "Looms",
        "Sensors",
    )
    assert registered.status is ParticipantStatus.VALIDATED
    assert pending_mail(session) == [
        Mail(
            ("wanda@weaver.example",),
            "Textile meets Tech: your registration is validated",
            "Hello Wanda Weaver,\n\nYour registration for Textile meets Tech is validated.\n\n"
            f"Browse the other participants and request meetings: https://cb.example.org/events/{event.id}/participants\n",
        )
    ]


def test_register_names_an_unknown_organisation(session: Session, event: Event) -> None:
    user = make_user(session)

    with pytest.raises(InvalidInputError) as raised:
        event_participants.register(
            session, user, event.id, event_participants.Registration(999_999)
        )

    assert raised.value.issues == (
        InputIssue("", "organisation_id", "there is no organisation 999999 in the registry"),
    )


def test_validated_participants_see_suggestions_first(session: Session, event: Event) -> None:
    me = _participant(session, event, "Wanda", needs="sensors for looms")
    _participant(session, event, "Alice", offers="accounting")
    bob = _participant(session, event, "Bob", offers="sensors")
    _participant(session, event, "Carl", offers="sensors", status=ParticipantStatus.PENDING)

    _event, views = event_participants.list_participants(session, me.user, event.id)

    assert [
        (v.participant.user.name, v.suggestion.reasons if v.suggestion else None) for v in views
    ] == [
        ("Bob", ("offers what you look for: sensors",)),
        ("Alice", None),
    ]
    assert bob.id == views[0].participant.id


def test_a_pending_participant_may_not_browse(session: Session, event: Event) -> None:
    pending = _participant(session, event, "Petra", status=ParticipantStatus.PENDING)

    with pytest.raises(AccessDeniedError, match="Your registration is pending"):
        event_participants.list_participants(session, pending.user, event.id)


# ---------------------------------------------------------------------------- requests


def test_request_and_accept_a_meeting_mails_both_sides(
    session: Session, event: Event, notifier: Notifier
) -> None:
    wanda, bob = _participant(session, event, "Wanda"), _participant(session, event, "Bob")

    meeting = event_meetings.request_meeting(
        session,
        wanda.user,
        event.id,
        recipient_id=bob.id,
        message="Sensors?",
        now=NOW,
        notifier=notifier,
    )
    event_meetings.respond(
        session, bob.user, event.id, meeting.id, accept=True, now=NOW, notifier=notifier
    )

    assert (meeting.status, meeting.expires_at, meeting.responded_at) == (
        MeetingStatus.ACCEPTED,
        NOW + timedelta(hours=72),
        NOW,
    )
    assert [(m.to, m.subject) for m in pending_mail(session)] == [
        (("bob@example.org",), "Textile meets Tech: meeting request from Wanda (Wanda GmbH)"),
        (("wanda@example.org",), "Textile meets Tech: Bob (Bob GmbH) accepted your request"),
    ]


@pytest.mark.parametrize(
    ("recipient", "reason"),
    [
        ("self", "you cannot request a meeting with yourself"),
        ("unknown", "999999 is not a participant of this event"),
        ("pending", "is not a participant of this event"),
        ("again", "you already have a requested meeting with Bob GmbH"),
    ],
)
def test_request_meeting_refuses_bad_recipients(
    session: Session, event: Event, notifier: Notifier, recipient: str, reason: str
) -> None:
    wanda, bob = _participant(session, event, "Wanda"), _participant(session, event, "Bob")
    pending = _participant(session, event, "Petra", status=ParticipantStatus.PENDING)
    ids = {"self": wanda.id, "unknown": 999_999, "pending": pending.id, "again": bob.id}
    if recipient == "again":
        add_meeting(session, event, requester=bob, recipient=wanda, status=MeetingStatus.REQUESTED)
    if recipient == "pending":
        reason = f"{pending.id} {reason}"

    with pytest.raises(InvalidInputError) as raised:
        event_meetings.request_meeting(
            session,
            wanda.user,
            event.id,
            recipient_id=ids[recipient],
            message="",
            now=NOW,
            notifier=notifier,
        )

    assert raised.value.issues == (InputIssue("", "recipient_id", reason),)
    assert pending_mail(session) == []


def test_automatic_events_accept_requests_at_once(
    session: Session, organiser: User, notifier: Notifier
) -> None:
    event = make_event(session, organiser=organiser, request_mode=RequestMode.AUTOMATIC)
    wanda, bob = _participant(session, event, "Wanda"), _participant(session, event, "Bob")

    meeting = event_meetings.request_meeting(
        session, wanda.user, event.id, recipient_id=bob.id, message="", now=NOW, notifier=notifier
    )

    assert (meeting.status, meeting.expires_at) == (MeetingStatus.ACCEPTED, None)


def test_an_expired_request_cannot_be_accepted(
    session: Session, event: Event, notifier: Notifier
) -> None:
    wanda, bob = _participant(session, event, "Wanda"), _participant(session, event, "Bob")
    meeting = event_meetings.request_meeting(
        session, wanda.user, event.id, recipient_id=bob.id, message="", now=NOW, notifier=notifier
    )

    with pytest.raises(EventStateError, match="This request is expired"):
        event_meetings.respond(
            session,
            bob.user,
            event.id,
            meeting.id,
            accept=True,
            now=NOW + timedelta(hours=73),
            notifier=notifier,
        )


def test_only_the_recipient_answers(session: Session, event: Event, notifier: Notifier) -> None:
    wanda, bob = _participant(session, event, "Wanda"), _participant(session, event, "Bob")
    meeting = add_meeting(
        session, event, requester=wanda, recipient=bob, status=MeetingStatus.REQUESTED
    )

    with pytest.raises(AccessDeniedError):
        event_meetings.respond(
            session, wanda.user, event.id, meeting.id, accept=True, now=NOW, notifier=notifier
        )


# ----------------------------------------------------------------------------- locking


@pytest.mark.parametrize(
    ("slot", "reason"),
    [
        (0, "must be between 1 and 3 (the event's slots), not 0"),
        (4, "must be between 1 and 3 (the event's slots), not 4"),
        (None, "the meeting has no slot yet: give the slot to put it in"),
        (1, "Bob GmbH already has a meeting in slot 1"),
    ],
)
def test_lock_meeting_refuses_a_bad_slot(
    session: Session,
    event: Event,
    organiser: User,
    notifier: Notifier,
    slot: int | None,
    reason: str,
) -> None:
    wanda, bob, carl = (_participant(session, event, name) for name in ("Wanda", "Bob", "Carl"))
    meeting = add_meeting(session, event, requester=wanda, recipient=bob)
    add_meeting(session, event, requester=carl, recipient=bob, starts_at=SESSION_START)

    with pytest.raises(InvalidInputError) as raised:
        event_meetings.lock_meeting(
            session, organiser, event.id, meeting.id, slot=slot, notifier=notifier
        )

    assert raised.value.issues == (InputIssue("", "slot", reason),)


def test_lock_meeting_puts_it_into_the_slot_and_the_first_free_room(
    session: Session, event: Event, organiser: User, notifier: Notifier
) -> None:
    wanda, bob, carl, dora = (
        _participant(session, event, n) for n in ("Wanda", "Bob", "Carl", "Dora")
    )
    meeting = add_meeting(session, event, requester=wanda, recipient=bob)
    add_meeting(session, event, requester=carl, recipient=dora, starts_at=SESSION_START, room=1)

    event_meetings.lock_meeting(session, organiser, event.id, meeting.id, slot=1, notifier=notifier)

    assert (meeting.starts_at, meeting.room, meeting.locked) == (SESSION_START, 2, True)


# ------------------------------------------------------------------ agenda and outcomes


def test_published_agenda_as_icalendar(
    session: Session, organiser: User, notifier: Notifier
) -> None:
    event = make_event(session, organiser=organiser)
    wanda, bob = _participant(session, event, "Wanda"), _participant(session, event, "Bob")
    meeting = add_meeting(
        session,
        event,
        requester=wanda,
        recipient=bob,
        starts_at=SESSION_START + timedelta(minutes=20),
    )
    event_schedule.publish_schedule(session, organiser, event.id, now=NOW, notifier=notifier)

    agenda = event_agenda.get_agenda(session, wanda.user, event.id)
    calendar = event_agenda.agenda_calendar(agenda, public_url="https://cb.example.org", now=NOW)

    assert [
        (i.slot, f"{i.starts:%H:%M}", f"{i.ends:%H:%M}", i.link, i.other) for i in agenda.items
    ] == [(2, "09:20", "09:40", f"https://meet.example.org/{event.id}-{meeting.id}", bob)]
    assert f"UID:event-{event.id}-meeting-{meeting.id}@cb.example.org\r\n" in calendar
    assert (
        "DTSTART:20250310T082000Z\r\nDTEND:20250310T084000Z\r\nSEQUENCE:0\r\n"
        "SUMMARY:Meeting with Bob GmbH\r\n" in calendar
    )
    assert sorted(m.to[0] for m in pending_mail(session)) == [
        "bob@example.org",
        "wanda@example.org",
    ]


def test_the_agenda_waits_for_publication(session: Session, event: Event) -> None:
    wanda = _participant(session, event, "Wanda")

    with pytest.raises(EventStateError, match="not published"):
        event_agenda.get_agenda(session, wanda.user, event.id)


def test_outcomes_wait_for_the_meeting_and_feed_the_report(
    session: Session, event: Event, organiser: User
) -> None:
    wanda, bob = _participant(session, event, "Wanda"), _participant(session, event, "Bob")
    wanda.organisation.sme_profile = SmeProfile.TRADITIONAL
    meeting = add_meeting(session, event, requester=wanda, recipient=bob, starts_at=SESSION_START)
    add_meeting(session, event, requester=bob, recipient=wanda, status=MeetingStatus.DECLINED)
    after = SESSION_START + timedelta(minutes=20)

    with pytest.raises(EventStateError):
        event_meetings.record_outcome(
            session,
            wanda.user,
            event.id,
            meeting.id,
            outcome=MeetingOutcome.AGREEMENT,
            now=SESSION_START,
        )
    event_meetings.record_outcome(
        session, wanda.user, event.id, meeting.id, outcome=MeetingOutcome.AGREEMENT, now=after
    )
    event_meetings.record_outcome(
        session, bob.user, event.id, meeting.id, outcome=MeetingOutcome.FOLLOW_UP, now=after
    )
    report = event_report.build_report(session, organiser, event.id, now=after)

    assert (meeting.requester_outcome, meeting.recipient_outcome) == (
        MeetingOutcome.AGREEMENT,
        MeetingOutcome.FOLLOW_UP,
    )
    assert report.as_dict() == {
        "event_id": event.id,
        "at": "2025-03-10T08:20:00+00:00",
        "participants": 2,
        "registrations": {"pending": 0, "validated": 2, "rejected": 0, "withdrawn": 0},
        "requests": {"requested": 0, "accepted": 1, "declined": 1, "expired": 0, "cancelled": 0},
        "accepted": 1,
        "cancelled_after_acceptance": 0,
        "acceptance_rate": 0.5,
        "scheduled": 1,
        "unscheduled": 0,
        "past": 1,
        "held": 1,
        "breaks": 0,
        "participants_with_breaks": 0,
        "outcomes": {"no_show": 0, "held": 0, "follow_up": 1, "agreement": 1},
        "outcomes_missing": 0,
    }
    assert 'data-label="Agreement" data-value="1"' in report.charts["outcomes"]


def test_the_organiser_cancelling_tells_both_sides_with_the_time(
    session: Session, event: Event, organiser: User, notifier: Notifier
) -> None:
    wanda, bob = _participant(session, event, "Wanda"), _participant(session, event, "Bob")
    meeting = add_meeting(session, event, requester=wanda, recipient=bob, starts_at=SESSION_START)

    event_meetings.cancel_meeting(
        session, organiser, event.id, meeting.id, now=NOW, notifier=notifier
    )

    assert (meeting.status, meeting.starts_at, meeting.room) == (
        MeetingStatus.CANCELLED,
        None,
        None,
    )
    assert [(m.to, m.body.splitlines()[2]) for m in pending_mail(session)] == [
        (
            ("wanda@example.org",),
            "The organiser cancelled your meeting with Bob (Bob GmbH) on Monday 10 March 2025 at 09:00 (Europe/Brussels).",
        ),
        (
            ("bob@example.org",),
            "The organiser cancelled your meeting with Wanda (Wanda GmbH) on Monday 10 March 2025 at 09:00 (Europe/Brussels).",
        ),
    ]


def test_rejecting_a_participant_cancels_their_meetings(
    session: Session, event: Event, organiser: User, notifier: Notifier
) -> None:
    wanda, bob = _participant(session, event, "Wanda"), _participant(session, event, "Bob")
    meeting = add_meeting(session, event, requester=wanda, recipient=bob, starts_at=SESSION_START)
    declined = add_meeting(
        session, event, requester=bob, recipient=wanda, status=MeetingStatus.DECLINED
    )

    event_participants.set_status(
        session, organiser, event.id, bob.id, ParticipantStatus.REJECTED, notifier=notifier
    )

    assert (meeting.status, meeting.starts_at, declined.status) == (
        MeetingStatus.CANCELLED,
        None,
        MeetingStatus.DECLINED,
    )
    assert [(m.to, m.subject) for m in pending_mail(session)] == [
        (("bob@example.org",), "Textile meets Tech: your registration"),
        (("wanda@example.org",), "Textile meets Tech: The organiser cancelled your meeting"),
        (("bob@example.org",), "Textile meets Tech: The organiser cancelled your meeting"),
    ]


# ------------------------------------------------------------------------ event changes


def test_update_event_freezes_the_schedule_settings_once_published(
    session: Session, organiser: User
) -> None:
    event = make_event(session, organiser=organiser, status=EventStatus.PUBLISHED)

    renamed = events.update_event(
        session, organiser, event.id, {"name": "Renamed", "slot_minutes": 20}
    ).event
    with pytest.raises(EventStateError) as raised:
        events.update_event(session, organiser, event.id, {"slot_minutes": 30, "rooms": 4})

    assert (renamed.name, renamed.slot_minutes) == ("Renamed", 20)
    assert str(raised.value) == "The agenda is published: rooms, slot_minutes can no longer change"


def test_add_session_refuses_an_overlap_and_keeps_time_order(
    session: Session, event: Event, organiser: User
) -> None:
    overlapping = SessionDetails("Late", date(2025, 3, 10), time(9, 30), time(10, 30))
    earlier = SessionDetails("Early", date(2025, 3, 9), time(9, 0), time(10, 0))

    with pytest.raises(InvalidInputError) as raised:
        events.add_session(session, organiser, event.id, overlapping, now=NOW)
    events.add_session(session, organiser, event.id, earlier, now=NOW)

    assert raised.value.issues == (InputIssue("", "start", 'overlaps the session "Session 1"'),)
    assert [row.name for row in event.sessions] == ["Early", "Session 1"]
    assert len(events.event_slots(event)) == 6


def test_remove_session_names_an_unknown_session(
    session: Session, event: Event, organiser: User
) -> None:
    with pytest.raises(SessionNotFoundError) as raised:
        events.remove_session(session, organiser, event.id, 424242)

    assert (str(raised.value), raised.value.status) == (
        f"Event {event.id} has no session 424242",
        404,
    )


def test_a_session_in_an_impossible_year_is_refused(session: Session, organiser: User) -> None:
    typo = SessionDetails("Morning", date(225, 3, 10), time(9, 0), time(10, 0))

    with pytest.raises(InvalidInputError) as raised:
        events.create_event(session, organiser, EventDetails(name="X"), sessions=(typo,), now=NOW)

    assert raised.value.issues == (
        InputIssue("session 1", "date", "must be in the years 2000 to 2999, not 0225-03-10"),
    )


# ------------------------------------------------------ sessions: removal, past, too short


def test_removing_a_session_unschedules_its_meetings_everywhere(
    session: Session, event: Event, organiser: User
) -> None:
    afternoon = SessionDetails("Afternoon", date(2025, 3, 10), time(14, 0), time(15, 0))
    events.add_session(session, organiser, event.id, afternoon, now=NOW)
    later = event.sessions[1]
    anna, ben, cleo = (_participant(session, event, name) for name in ("Anna", "Ben", "Cleo"))
    kept = add_meeting(session, event, requester=anna, recipient=ben, starts_at=SESSION_START)
    moved = add_meeting(
        session, event, requester=anna, recipient=cleo, starts_at=later.starts_at, locked=True
    )
    other = add_meeting(
        session, event, requester=ben, recipient=cleo, starts_at=later.starts_at, room=2
    )

    listed = events.meetings_in_session(event, later.id)
    change = events.remove_session(session, organiser, event.id, later.id)
    session.expire_all()
    agenda = event_agenda.get_agenda(session, organiser, event.id)

    assert listed == [moved, other]
    assert change.unscheduled == tuple(sorted((moved.id, other.id)))
    assert [row.name for row in agenda.event.sessions] == ["Session 1"]
    assert [(m.starts_at, m.room, m.locked, m.sequence) for m in (kept, moved, other)] == [
        (SESSION_START, 1, False, 0),
        (None, None, False, 1),
        (None, None, False, 1),
    ]
    assert [item.meeting.id for item in agenda.items] == [kept.id]


def test_a_session_in_the_past_is_refused_and_names_the_field(
    session: Session, event: Event, organiser: User
) -> None:
    last_year = SessionDetails("Morning", date(2024, 3, 1), time(9, 0), time(10, 0))
    this_morning = SessionDetails("Morning", date(2025, 3, 1), time(9, 0), time(14, 0))

    with pytest.raises(InvalidInputError) as created:
        events.create_event(
            session, organiser, EventDetails(name="X"), now=NOW, sessions=(last_year,)
        )
    with pytest.raises(InvalidInputError) as added:
        events.add_session(session, organiser, event.id, this_morning, now=NOW)

    assert created.value.issues == (
        InputIssue(
            "session 1",
            "date",
            "must not be in the past: 01 March 2024 is before today, 01 March 2025",
        ),
    )
    assert added.value.issues == (
        InputIssue("", "start", "must not be in the past: 09:00 today is before now, 13:00"),
    )
    assert [row.name for row in event.sessions] == ["Session 1"]


def test_a_session_shorter_than_one_slot_is_refused(
    session: Session, event: Event, organiser: User
) -> None:
    short = SessionDetails("Short", date(2025, 3, 11), time(9, 0), time(10, 0))
    exact = SessionDetails("Exact", date(2025, 3, 12), time(9, 0), time(13, 0))
    details = EventDetails(name="Long meetings", slot_minutes=240)

    with pytest.raises(InvalidInputError) as created:
        events.create_event(session, organiser, details, now=NOW, sessions=(short,))
    with pytest.raises(InvalidInputError) as added:
        events.add_session(session, organiser, event.id, replace(short, end=time(9, 10)), now=NOW)
    made = events.create_event(session, organiser, details, now=NOW, sessions=(exact,))

    reason = (
        "the session is 60 minutes long, shorter than one 240-minute meeting: "
        "end it later or shorten the slots"
    )
    assert created.value.issues == (InputIssue("session 1", "end", reason),)
    assert added.value.issues == (
        InputIssue(
            "",
            "end",
            "the session is 10 minutes long, shorter than one 20-minute meeting: "
            "end it later or shorten the slots",
        ),
    )
    assert len(events.event_slots(made)) == 1


def test_a_slot_length_longer_than_a_session_is_refused_and_a_new_one_unschedules(
    session: Session, event: Event, organiser: User
) -> None:
    anna, ben, cleo = (_participant(session, event, name) for name in ("Anna", "Ben", "Cleo"))
    first = add_meeting(session, event, requester=anna, recipient=ben, starts_at=SESSION_START)
    second = add_meeting(
        session,
        event,
        requester=anna,
        recipient=cleo,
        starts_at=SESSION_START + timedelta(minutes=20),
    )

    with pytest.raises(InvalidInputError) as raised:
        events.update_event(session, organiser, event.id, {"slot_minutes": 240})
    change = events.update_event(session, organiser, event.id, {"slot_minutes": 30})

    assert raised.value.issues == (
        InputIssue(
            "",
            "slot_minutes",
            'is longer than the session "Session 1" (60 minutes): it would hold no meeting',
        ),
    )
    assert [(m.starts_at, m.room, m.sequence) for m in (first, second)] == [
        (SESSION_START, 1, 0),
        (None, None, 1),
    ]
    assert change.unscheduled == (second.id,)


def test_fewer_rooms_move_meetings_into_free_rooms_and_unschedule_those_beyond(
    session: Session, event: Event, organiser: User
) -> None:
    # The QA of 2026-12-07: lowering the rooms left slots holding more meetings than rooms.
    # 09:00 holds four meetings (rooms 1, 2, 4 and 5, the one in room 5 locked), 09:20 one in
    # room 3; with two rooms the 09:00 slot keeps the locked meeting and room 1's.
    people = [_participant(session, event, name) for name in ("A", "B", "C", "D", "E", "F")]
    later = SESSION_START + timedelta(minutes=20)
    placed = [
        add_meeting(session, event, requester=people[0], recipient=people[1],
                    starts_at=SESSION_START, room=1),
        add_meeting(session, event, requester=people[2], recipient=people[3],
                    starts_at=SESSION_START, room=2),
        add_meeting(session, event, requester=people[4], recipient=people[5],
                    starts_at=SESSION_START, room=4),
        add_meeting(session, event, requester=people[0], recipient=people[2],
                    starts_at=SESSION_START, room=5, locked=True),
        add_meeting(session, event, requester=people[1], recipient=people[3],
                    starts_at=later, room=3),
    ]  # fmt: skip

    change = events.update_event(session, organiser, event.id, {"rooms": 2})

    assert event.rooms == 2
    assert change.unscheduled == tuple(sorted((placed[1].id, placed[2].id)))
    assert [(m.starts_at, m.room, m.locked, m.sequence) for m in placed] == [
        (SESSION_START, 1, False, 0),
        (None, None, False, 1),
        (None, None, False, 1),
        (SESSION_START, 2, True, 1),
        (later, 1, False, 1),
    ]
