"""Who may see, run and take part in a match-making event.

- Event organisers and administrators create events (anyone signed in, when the
  ``anyone_can_create_events`` setting is on); an event is run by its organiser (and any
  administrator). Programme officers see every event, read-only.
- A draft is visible only to those who run it; once registration opens every signed-in user
  sees the event and may register.
- Only validated participants browse the others and send or answer requests.

An event the actor may not see is reported as not found (404); one they see but may not run
answers 403, as for consortia (`services.consortia.access`).
"""

from clusterbridge.db.models import Event, EventParticipant, User
from clusterbridge.domain.enums import EventStatus, ParticipantStatus, UserRole
from clusterbridge.domain.errors import AccessDeniedError, DomainError, NotTakingPartError

#: Why someone who takes no part in a draft event may not register yet.
REGISTRATION_CLOSED = "registration for this event is not open yet"
#: Roles that may create events.
EVENT_CREATOR_ROLES: frozenset[UserRole] = frozenset(
    {UserRole.ADMINISTRATOR, UserRole.EVENT_ORGANISER}
)
#: Roles that see every event, drafts included.
EVENT_READ_ALL_ROLES: frozenset[UserRole] = frozenset(
    {UserRole.ADMINISTRATOR, UserRole.PROGRAMME_OFFICER}
)


class EventNotFoundError(DomainError):
    """No event with this id, or none the actor may see (the two are not told apart)."""

    status = 404

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        super().__init__(f"There is no event {event_id}")


def can_create_events(actor: User, *, anyone_may_create: bool = False) -> bool:
    """Whether ``actor`` may create events: event organisers and administrators, or anyone
    when ``anyone_may_create`` (the ``anyone_can_create_events`` setting)."""
    return anyone_may_create or actor.role in EVENT_CREATOR_ROLES


def can_manage(event: Event, actor: User) -> bool:
    """Whether ``actor`` runs ``event``: its organiser or an administrator."""
    return actor.role is UserRole.ADMINISTRATOR or event.organiser_id == actor.id


def can_view(event: Event, actor: User) -> bool:
    """Whether ``actor`` may see ``event``: any event but another organiser's draft."""
    return (
        event.status is not EventStatus.DRAFT
        or can_manage(event, actor)
        or actor.role in EVENT_READ_ALL_ROLES
    )


def require_creator(actor: User, *, anyone_may_create: bool = False) -> None:
    """AccessDeniedError (403) unless ``actor`` may create events."""
    if not can_create_events(actor, anyone_may_create=anyone_may_create):
        raise AccessDeniedError("Only event organisers and administrators create events")


def require_view(event: Event | None, actor: User, event_id: int) -> Event:
    """``event`` if ``actor`` may see it; otherwise EventNotFoundError (404)."""
    if event is None or not can_view(event, actor):
        raise EventNotFoundError(event_id)
    return event


def require_manage(event: Event | None, actor: User, event_id: int) -> Event:
    """``event`` if ``actor`` runs it: 404 if they may not see it, else 403."""
    visible = require_view(event, actor, event_id)
    if not can_manage(visible, actor):
        raise AccessDeniedError("Only the organiser of this event may do this")
    return visible


def find_participant(event: Event, actor: User) -> EventParticipant | None:
    """``actor``'s registration for ``event`` (participants loaded), or None."""
    return next((p for p in event.participants if p.user_id == actor.id), None)


def require_validated(event: Event, actor: User) -> EventParticipant:
    """``actor``'s registration if the organiser validated it; otherwise NotTakingPartError
    (403) saying why, and whether they may register now."""
    participant = find_participant(event, actor)
    if participant is None:
        raise not_taking_part(event, "Register for this event first", may_register=True)
    if participant.status is ParticipantStatus.WITHDRAWN:
        reason = "You withdrew your registration: register again to take part"
        raise not_taking_part(event, reason, may_register=True)
    if participant.status is ParticipantStatus.REJECTED:
        reason = "The organiser rejected your registration"
        raise not_taking_part(event, reason, may_register=False)
    if participant.status is not ParticipantStatus.VALIDATED:
        reason = (
            f"Your registration is {participant.status.value}: the organiser has to validate it"
        )
        raise not_taking_part(event, reason, may_register=False)
    return participant


def not_taking_part(event: Event, reason: str, *, may_register: bool) -> NotTakingPartError:
    """The refusal of a participant's page to someone who takes no part in ``event``, for
    ``reason``; one who ``may_register`` is told instead that registration is not open yet
    when the event is a draft."""
    if may_register and event.status is EventStatus.DRAFT:
        reason = f"Only participants of this event see this page, and {REGISTRATION_CLOSED}"
        may_register = False
    return NotTakingPartError(reason, event_id=event.id, may_register=may_register)
