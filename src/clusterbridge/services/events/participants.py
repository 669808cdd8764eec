"""Taking part in a match-making event: registering, being validated, browsing the others.

A user registers once per event, on behalf of a registry organisation, saying what they offer
and look for. The organiser validates (or rejects) each registration; only validated
participants see the others, with suggested meetings first (`domain.event_matching`).
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, EventParticipant, Organisation, Unavailability, User
from clusterbridge.db.repositories import events as repository
from clusterbridge.db.repositories import organisations as organisation_repository
from clusterbridge.domain.enums import (
    ACTIVE_MEETING_STATES,
    PARTICIPANT_DECISIONS,
    EventStatus,
    MeetingStatus,
    ParticipantStatus,
)
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError
from clusterbridge.domain.event_matching import MatchProfile, MatchSuggestion, suggest_matches
from clusterbridge.domain.events import check_time_zone, slot_windows
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services.events import access as event_access
from clusterbridge.services.events.events import (
    REGISTRATION_NOT_OPEN,
    EventStateError,
    event_slots,
    get_event,
    get_managed_event,
)
from clusterbridge.services.events.notifications import (
    Notifier,
    notify_cancelled,
    notify_registration,
)
from clusterbridge.services.events.placement import place
from clusterbridge.services.events.schedule import repair_schedule, unavailable_slots
from clusterbridge.services.text import has_control_characters

MAX_PROFILE_TEXT = 2000
#: How many suggested meetings the participant list shows first.
SUGGESTION_LIMIT = 5


@dataclass(frozen=True, slots=True)
class Registration:
    """What a participant registers with."""

    organisation_id: int
    offers: str = ""
    needs: str = ""
    #: The time zone the participant's mail gives times in; empty: the event's.
    time_zone: str = ""


@dataclass(frozen=True, slots=True)
class ParticipantView:
    """Another participant as the list shows them, with the suggestion if they are one."""

    participant: EventParticipant
    suggestion: MatchSuggestion | None


def register(
    session: Session, actor: User, event_id: int, registration: Registration
) -> EventParticipant:
    """Register ``actor`` for an event whose registration is open, on behalf of a registry
    organisation; the registration waits for the organiser (``pending``). Registering again
    updates the organisation, offers, needs and time zone and keeps the status.
    InvalidInputError names an unknown organisation, an unknown time zone or over-long texts.
    Flushes for the id."""
    event = get_event(session, actor, event_id)
    if event.status is EventStatus.DRAFT:
        raise EventStateError(REGISTRATION_NOT_OPEN)
    issues = _check_texts(registration)
    organisation = repository.get_organisation(session, registration.organisation_id)
    if organisation is None:
        reason = f"there is no organisation {registration.organisation_id} in the registry"
        issues.append(InputIssue("", "organisation_id", reason))
    if issues or organisation is None:
        raise InvalidInputError("The registration cannot be saved", issues)
    participant = event_access.find_participant(event, actor)
    _require_member(session, event, actor, organisation, participant)
    if participant is None:
        participant = EventParticipant(user=actor, status=ParticipantStatus.PENDING, unavailable=[])
        event.participants.append(participant)
    if participant.status is ParticipantStatus.WITHDRAWN:
        # Registering again after withdrawing: the organiser validates anew.
        participant.status = ParticipantStatus.PENDING
        participant.withdrawn_at = None
    participant.organisation = organisation
    participant.offers = registration.offers.strip()
    participant.needs = registration.needs.strip()
    participant.time_zone = registration.time_zone.strip() or None
    session.flush()
    return participant


def _require_member(
    session: Session,
    event: Event,
    actor: User,
    organisation: Organisation,
    participant: EventParticipant | None,
) -> None:
    """AccessDeniedError unless ``actor`` may register for ``organisation``."""
    if event_access.can_manage(event, actor):
        return
    if participant is not None and participant.organisation_id == organisation.id:
        return
    if repository.is_organisation_member(session, actor.id, organisation.id):
        return
    raise AccessDeniedError(
        f"You are not a member of {organisation.name} (organisation {organisation.id}): "
        "register for an organisation you belong to, or claim this one in the registry first"
    )


def find_organisation(session: Session, organisation_id: int) -> Organisation | None:
    """The registry organisation with this id, or None (a form showing the one chosen).
    Reads only."""
    return repository.get_organisation(session, organisation_id)


def set_unavailability(
    session: Session,
    actor: User,
    event_id: int,
    slots: Collection[int],
    *,
    participant_id: int | None = None,
) -> EventParticipant:
    """Say in which slots (numbered from 1) a participant cannot meet anyone, replacing what
    was said before; scheduling keeps their meetings out of those slots. ``actor`` sets their
    own (``participant_id`` None or theirs); the organiser sets anyone's.

    Stored as times, so the slots stay right if the organiser changes the slot length. Once the
    agenda is published it is fixed (EventStateError, 409): cancel a meeting instead.
    InvalidInputError (field ``unavailable_slots``) names each number that is not a slot.
    """
    event = get_event(session, actor, event_id)
    if participant_id is None:
        participant = event_access.find_participant(event, actor)
        if participant is None:
            raise event_access.not_taking_part(
                event, "Register for this event first", may_register=True
            )
    else:
        participant = find(event, participant_id)
        if participant.user_id != actor.id and not event_access.can_manage(event, actor):
            raise AccessDeniedError("Only the participant or the organiser may change this")
    if event.status is EventStatus.PUBLISHED:
        raise EventStateError(
            "The agenda is published: cancel the meetings you cannot attend instead"
        )
    known = event_slots(event)
    wrong = sorted({number for number in slots if not 1 <= number <= len(known)})
    if wrong:
        reason = (
            f"{', '.join(map(str, wrong))}: the event's slots are 1 to {len(known)}"
            if known
            else "the event has no slots yet"
        )
        issue = InputIssue("", "unavailable_slots", reason)
        raise InvalidInputError("The unavailable slots cannot be saved", [issue])
    participant.unavailable = [
        Unavailability(starts_at=window.start, ends_at=window.end)
        for window in slot_windows(known, slots)
    ]
    session.flush()
    return participant


def participant_unavailable_slots(event: Event, participant: EventParticipant) -> tuple[int, ...]:
    """The slots (from 1) ``participant`` cannot meet in, on the event's current slots."""
    return unavailable_slots(event_slots(event), participant)


def member_organisations(session: Session, actor: User) -> list[Organisation]:
    """The registry organisations ``actor`` is a member of, by name: the first choices when
    registering. Reads only."""
    return organisation_repository.list_of_member_by_name(session, actor.id)


def set_status(
    session: Session,
    actor: User,
    event_id: int,
    participant_id: int,
    status: ParticipantStatus,
    *,
    notifier: Notifier,
) -> EventParticipant:
    """Validate or reject a registration (organiser only) and tell the participant by mail.
    Rejecting cancels the participant's open requests and meetings, and tells the other sides.
    Setting the status it already has changes nothing and sends nothing."""
    event = get_managed_event(session, actor, event_id)
    participant = find(event, participant_id)
    if status not in PARTICIPANT_DECISIONS:
        issue = InputIssue("", "status", "must be validated or rejected")
        raise InvalidInputError("The registration cannot change", [issue])
    if participant.status is ParticipantStatus.WITHDRAWN:
        raise EventStateError(
            f"{participant.organisation.name} withdrew their registration: it cannot change"
        )
    if participant.status is not status:
        participant.status = status
        notify_registration(session, notifier, participant, event)
        if status is ParticipantStatus.REJECTED:
            _cancel_meetings(session, event, participant, notifier=notifier)
    session.flush()
    return participant


def withdraw(
    session: Session,
    actor: User,
    event_id: int,
    participant_id: int,
    *,
    now: datetime,
    notifier: Notifier,
) -> EventParticipant:
    """``actor`` withdraws their own registration: they no longer take part (status
    ``withdrawn``, ``withdrawn_at`` set; registering again makes it pending). Their open
    requests and meetings are cancelled and the other sides told, as when a meeting is
    cancelled; once the agenda is published a schedule that lost a meeting is repaired from
    the next slot that has not started, and everyone whose meeting moves is told. Their
    calendar file then cancels their meetings. AccessDeniedError (403) for anyone but the
    participant (the organiser rejects instead); EventStateError (409) if already withdrawn.
    Locks the event's meetings first, like every change to them. Flushes."""
    repository.lock_meetings(session, event_id)
    event = get_event(session, actor, event_id)
    participant = find(event, participant_id)
    if participant.user_id != actor.id:
        raise AccessDeniedError(
            "Only the participant may withdraw their registration; the organiser rejects it"
        )
    if participant.status is ParticipantStatus.WITHDRAWN:
        raise EventStateError("You already withdrew your registration")
    scheduled = _cancel_meetings(session, event, participant, notifier=notifier, by=participant)
    participant.status = ParticipantStatus.WITHDRAWN
    participant.withdrawn_at = now
    session.flush()
    if scheduled and event.status is EventStatus.PUBLISHED:
        repair_schedule(session, event, now=now, notifier=notifier)
    return participant


def count_withdrawal_losses(event: Event, participant: EventParticipant) -> tuple[int, int]:
    """What withdrawing would cancel for ``participant``: (open requests, accepted meetings),
    read from the loaded ``event``. Changes nothing."""
    mine = [
        meeting
        for meeting in event.meetings
        if participant.id in {meeting.requester_id, meeting.recipient_id}
    ]
    requests = sum(meeting.status is MeetingStatus.REQUESTED for meeting in mine)
    accepted = sum(meeting.status is MeetingStatus.ACCEPTED for meeting in mine)
    return requests, accepted


def _cancel_meetings(
    session: Session,
    event: Event,
    participant: EventParticipant,
    *,
    notifier: Notifier,
    by: EventParticipant | None = None,
) -> bool:
    """Cancel a leaving participant's open requests and meetings, telling the others (as
    cancelled by ``by``; None: by the organiser). Whether any of them had a slot."""
    scheduled = False
    for meeting in event.meetings:
        involved = participant.id in {meeting.requester_id, meeting.recipient_id}
        if involved and meeting.status in ACTIVE_MEETING_STATES:
            notify_cancelled(session, notifier, meeting, event, by=by)
            scheduled = scheduled or meeting.starts_at is not None
            meeting.status = MeetingStatus.CANCELLED
            place(meeting, None, None)
            meeting.locked = False
    return scheduled


def find_registration(event: Event, actor: User) -> EventParticipant:
    """``actor``'s registration for ``event``; NotTakingPartError (403) when there is none."""
    participant = event_access.find_participant(event, actor)
    if participant is None:
        raise event_access.not_taking_part(
            event, "Register for this event first", may_register=True
        )
    return participant


def find(event: Event, participant_id: int) -> EventParticipant:
    """The event's participant with this id; InvalidInputError naming the field otherwise."""
    participant = next((p for p in event.participants if p.id == participant_id), None)
    if participant is None:
        reason = f"{participant_id} is not a participant of this event"
        raise InvalidInputError("Unknown participant", [InputIssue("", "participant_id", reason)])
    return participant


def list_participants(
    session: Session, actor: User, event_id: int
) -> tuple[Event, list[ParticipantView]]:
    """The participants ``actor`` may see, suggested meetings first (best first), then by
    organisation name. The organiser sees everyone, whatever their status; a validated
    participant sees the other validated ones. Reads only."""
    event = get_event(session, actor, event_id)
    if event_access.can_manage(event, actor):
        rows = sorted(event.participants, key=lambda p: (p.organisation.name, p.id))
        return event, [ParticipantView(row, None) for row in rows]
    me = event_access.require_validated(event, actor)
    others = [
        p for p in event.participants if p.status is ParticipantStatus.VALIDATED and p.id != me.id
    ]
    suggestions = {
        item.key: item
        for item in suggest_matches(
            _profile(me), [_profile(p) for p in others], limit=SUGGESTION_LIMIT
        )
    }
    others.sort(
        key=lambda p: (
            -suggestions[p.id].score if p.id in suggestions else 1,
            p.organisation.name,
            p.id,
        )
    )
    return event, [ParticipantView(p, suggestions.get(p.id)) for p in others]


def _profile(participant: EventParticipant) -> MatchProfile:
    organisation = participant.organisation
    return MatchProfile(
        key=participant.id,
        offers=participant.offers,
        needs=participant.needs,
        org_type=organisation.type,
        sme_profile=organisation.sme_profile,
    )


def check_registration_texts(registration: Registration) -> list[InputIssue]:
    """The problems of the offers, needs and time zone of ``registration``, its organisation
    aside. Reads and writes nothing: a form whose organisation is missing checks the rest with
    it, so that one answer names every bad field."""
    return _check_texts(registration)


def _check_texts(registration: Registration) -> list[InputIssue]:
    issues = []
    for field in ("offers", "needs"):
        value = getattr(registration, field).strip()
        if has_control_characters(value, multiline=True):
            issues.append(InputIssue("", field, "must not contain control characters"))
        elif len(value) > MAX_PROFILE_TEXT:
            issues.append(InputIssue("", field, too_long_reason(MAX_PROFILE_TEXT, len(value))))
    zone = registration.time_zone.strip()
    zone_problem = check_time_zone(zone) if zone else None
    if zone_problem:
        issues.append(InputIssue("", "time_zone", zone_problem))
    return issues
