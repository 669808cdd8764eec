"""What counts for a project (ADR 0029): the match-making events, exchange partnerships and
cascade calls its partners link to it. Only linked activities feed its computed indicators."""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from clusterbridge.db.base import Base
from clusterbridge.db.models import (
    Event,
    ExchangePartnership,
    ProgrammeCall,
    ProjectCall,
    ProjectEvent,
    ProjectPartnership,
    User,
)
from clusterbridge.db.repositories import indicators as repository
from clusterbridge.domain.enums import CallKind, UserRole
from clusterbridge.domain.errors import (
    AccessDeniedError,
    ConflictError,
    InputIssue,
    InvalidInputError,
)
from clusterbridge.services.events.access import can_manage as runs_event
from clusterbridge.services.monitoring.indicators import IndicatorNotFoundError
from clusterbridge.services.monitoring.projects import managed_project


class LinkKind(StrEnum):
    """What a project can count."""

    EVENT = "event"
    PARTNERSHIP = "partnership"
    CALL = "call"


@dataclass(frozen=True, slots=True)
class Linked:
    """One linked activity (or a choice to link): its kind, id and name."""

    kind: LinkKind
    id: int
    name: str


def _event(row: Event) -> Linked:
    return Linked(LinkKind.EVENT, row.id, row.name)


def _partnership(row: ExchangePartnership) -> Linked:
    return Linked(LinkKind.PARTNERSHIP, row.id, row.name)


def _call(row: ProgrammeCall) -> Linked:
    return Linked(LinkKind.CALL, row.id, f"{row.identifier}: {row.title}")


def project_links(session: Session, project_id: int) -> list[Linked]:
    """The activities linked to the project: events, partnerships, then cascade calls."""
    return (
        [_event(row) for row in repository.linked_events(session, project_id)]
        + [_partnership(row) for row in repository.linked_partnerships(session, project_id)]
        + [_call(row) for row in repository.linked_calls(session, project_id)]
    )


def link_choices(session: Session, actor: User, project_id: int) -> list[Linked]:
    """The events and cascade calls ``actor`` runs (every one for an administrator) and the
    partnerships, not linked to the project yet (ADR 0040)."""
    linked = {(item.kind, item.id) for item in project_links(session, project_id)}
    every = (
        [_event(row) for row in repository.all_events(session) if runs_event(row, actor)]
        + [_partnership(row) for row in repository.all_partnerships(session)]
        + [_call(row) for row in repository.cascade_calls(session) if runs_call(row, actor)]
    )
    return [item for item in every if (item.kind, item.id) not in linked]


def _link_row(kind: LinkKind, project_id: int, target_id: int) -> Base:
    if kind is LinkKind.EVENT:
        return ProjectEvent(project_id=project_id, event_id=target_id)
    if kind is LinkKind.PARTNERSHIP:
        return ProjectPartnership(project_id=project_id, partnership_id=target_id)
    return ProjectCall(project_id=project_id, call_id=target_id)


_MODELS: dict[LinkKind, type[Base]] = {
    LinkKind.EVENT: ProjectEvent,
    LinkKind.PARTNERSHIP: ProjectPartnership,
    LinkKind.CALL: ProjectCall,
}


def runs_call(call: ProgrammeCall, actor: User) -> bool:
    """Whether ``actor`` runs ``call``: it created it, or is an administrator."""
    return actor.role is UserRole.ADMINISTRATOR or (
        call.created_by_id is not None and call.created_by_id == actor.id
    )


def _target(session: Session, kind: LinkKind, target_id: int) -> Base | None:
    if kind is LinkKind.EVENT:
        return session.get(Event, target_id)
    if kind is LinkKind.PARTNERSHIP:
        return session.get(ExchangePartnership, target_id)
    call = session.get(ProgrammeCall, target_id)
    return call if call is not None and call.kind == CallKind.CASCADE else None


def _require_running(actor: User, target: Base) -> None:
    """AccessDeniedError unless ``actor`` runs the event or call ``target`` (a partnership
    has nobody who runs it: any partner of the project may link it)."""
    if isinstance(target, Event) and not runs_event(target, actor):
        raise AccessDeniedError(
            f"You do not run the event {target.name}: only its organiser or an administrator "
            "may count it for a project."
        )
    if isinstance(target, ProgrammeCall) and not runs_call(target, actor):
        raise AccessDeniedError(
            f"You do not run the call {target.identifier}: only the officer who created it or "
            "an administrator may count it for a project."
        )


def link_activity(
    session: Session, actor: User, project_id: int, kind: LinkKind, target_id: int
) -> None:
    """Count an event, a partnership or a cascade call for a project the actor manages
    (``InvalidInputError`` for an unknown one, ``AccessDeniedError`` for an event or call the
    actor does not run (ADR 0040), ``ConflictError`` if linked already). Flushes."""
    project = managed_project(session, actor, project_id)
    target = _target(session, kind, target_id)
    if target is None:
        noun = (
            "a cascade call"
            if kind is LinkKind.CALL
            else f"an {kind.value}"
            if kind is LinkKind.EVENT
            else "a partnership"
        )
        issue = InputIssue("", f"{kind.value}_id", f"is not {noun} of the platform")
        raise InvalidInputError("Nothing was linked", [issue])
    _require_running(actor, target)
    if session.get(_MODELS[kind], (project.id, target_id)) is not None:
        raise ConflictError(f"This {kind.value} counts for the project already.")
    session.add(_link_row(kind, project.id, target_id))
    session.flush()


def unlink_activity(
    session: Session, actor: User, project_id: int, kind: LinkKind, target_id: int
) -> None:
    """Stop counting a linked activity for the project; frozen reports keep their figures.
    Flushes."""
    project = managed_project(session, actor, project_id)
    row = session.get(_MODELS[kind], (project.id, target_id))
    if row is None:
        raise IndicatorNotFoundError(f"This {kind.value} is not linked to the project.")
    session.delete(row)
    session.flush()
