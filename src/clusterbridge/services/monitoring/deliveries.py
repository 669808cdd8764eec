"""Deliveries of a project's services: a day's technical assistance, business support or
recruitment help to one registry organisation, or a training session with its participants
(organisations with a number of people trained, or named people). Each says how long it took
(hours or days), which partner of the project delivered it (and who, by name) and what comes
next. Recorded by the project's partners' people and the administrators; seen by whoever sees
the project."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    MonitoredProject,
    ProjectService,
    ServiceDelivery,
    TrainingParticipant,
    User,
)
from clusterbridge.db.repositories import sme_services as repository
from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.domain.sme_services import (
    MAX_PEOPLE,
    MAX_QUANTITY,
    ServiceKind,
    ServiceUnit,
)
from clusterbridge.services import registry
from clusterbridge.services.monitoring.projects import get_project, managed_project, partner_ids

MAX_PERSON = 200
MAX_FOLLOW_UP = 5000
MAX_PARTICIPANTS = 500
#: The most deliveries a list shows (newest first).
MAX_LISTED = 500


@dataclass(frozen=True, slots=True)
class ParticipantDraft:
    """A training participant: an organisation with ``people`` trained, or a person's
    ``name`` (``people`` 1), of an organisation or none."""

    organisation_id: int | None = None
    people: int = 1
    name: str | None = None


@dataclass(frozen=True, slots=True)
class DeliveryDraft:
    """A delivery to record. ``unit`` defaults to the service's; a training-kind service
    takes ``participants`` and no ``organisation_id``, any other service the reverse."""

    service_id: int
    delivered_on: date
    quantity: Decimal
    delivered_by_id: int
    organisation_id: int | None = None
    unit: ServiceUnit | None = None
    delivered_by_person: str = ""
    follow_up: str = ""
    participants: tuple[ParticipantDraft, ...] = ()


@dataclass(frozen=True, slots=True)
class DeliveryFilters:
    """Which deliveries a list shows; every filter given applies (dates both included)."""

    service_id: int | None = None
    kind: ServiceKind | None = None
    delivered_by_id: int | None = None
    start: date | None = None
    end: date | None = None


#: Why a delivery of a service that is not a training needs its organisation.
ORGANISATION_REQUIRED = "is required: the organisation the service went to"


@dataclass(slots=True)
class _Check:
    location: str
    issues: list[InputIssue] = field(default_factory=list)

    def add(self, field_name: str, reason: str) -> None:
        self.issues.append(InputIssue(self.location, field_name, reason))


def record_delivery(
    session: Session, actor: User, project_id: int, draft: DeliveryDraft
) -> ServiceDelivery:
    """Record a delivery of one of the project's services (the user must manage the project),
    after checking every field (``InvalidInputError`` naming each one at fault). Returns it
    loaded with its service, organisations, participants and ratings. Flushes."""
    project = managed_project(session, actor, project_id)
    issues = check_delivery(session, project, draft, location="")
    if issues:
        raise InvalidInputError("The delivery was not recorded", issues)
    delivery = repository.delivery(session, add_delivery(session, draft, recorded_by=actor).id)
    assert delivery is not None
    return delivery


def check_delivery(
    session: Session, project: MonitoredProject, draft: DeliveryDraft, *, location: str
) -> list[InputIssue]:
    """Every problem of ``draft`` as a delivery of ``project``, each at ``location`` (a file's
    row, or empty) with its field. Reads only."""
    check = _Check(location)
    service = repository.service(session, draft.service_id)
    if service is None or service.project_id != project.id:
        check.add("service", "is not a service of the project's catalogue")
    if not project.start_date <= draft.delivered_on <= project.end_date:
        span = f"{day_text(project.start_date)} – {day_text(project.end_date)}"
        check.add("date", f"is outside the project ({span})")
    if not Decimal(0) < draft.quantity <= MAX_QUANTITY or draft.quantity != round(
        draft.quantity, 2
    ):
        check.add("quantity", f"must be above 0 and at most {MAX_QUANTITY}, two decimals at most")
    if draft.delivered_by_id not in partner_ids(session, project.id):
        check.add("delivered_by", "is not a partner of the project")
    if len(draft.delivered_by_person) > MAX_PERSON:
        check.add("person", too_long_reason(MAX_PERSON, len(draft.delivered_by_person)))
    if len(draft.follow_up) > MAX_FOLLOW_UP:
        check.add("follow_up", too_long_reason(MAX_FOLLOW_UP, len(draft.follow_up)))
    if service is not None:
        _check_receivers(session, service, draft, check)
    return check.issues


def _check_receivers(
    session: Session, service: ProjectService, draft: DeliveryDraft, check: _Check
) -> None:
    if service.kind is not ServiceKind.TRAINING:
        if draft.participants:
            check.add("participants", "only a training or course has participants")
        if draft.organisation_id is None:
            check.add("organisation", ORGANISATION_REQUIRED)
        elif not _exists(session, draft.organisation_id):
            check.add("organisation", "is not an organisation of the registry")
        return
    if draft.organisation_id is not None:
        check.add("organisation", "a training lists its participants instead")
    if not draft.participants:
        check.add("participants", "a training has at least one participant")
    elif len(draft.participants) > MAX_PARTICIPANTS:
        check.add("participants", f"at most {MAX_PARTICIPANTS} per session")
    else:
        _check_participants(session, draft.participants, check)


def _check_participants(
    session: Session, participants: tuple[ParticipantDraft, ...], check: _Check
) -> None:
    counted: set[int] = set()
    named: set[tuple[str, int | None]] = set()
    for number, participant in enumerate(participants, start=1):
        where = f"participant {number}"
        org = participant.organisation_id
        if org is not None and not _exists(session, org):
            check.add("participants", f"{where}: is not an organisation of the registry")
        if participant.name is None:
            if org is None:
                check.add("participants", f"{where}: names no organisation and no person")
            elif not 1 <= participant.people <= MAX_PEOPLE:
                check.add("participants", f"{where}: must be 1 to {MAX_PEOPLE:,} people")
            elif org in counted:
                check.add("participants", f"{where}: the organisation is listed twice")
            counted.add(org or 0)
            continue
        name = " ".join(participant.name.split())
        if len(name) > MAX_PERSON:
            check.add("participants", f"{where}: the name {too_long_reason(MAX_PERSON, len(name))}")
        elif not name or participant.people != 1:
            check.add("participants", f"{where}: the name must be 1 to {MAX_PERSON} characters")
        elif (name.casefold(), org) in named:
            check.add("participants", f"{where}: {name} is listed twice")
        named.add((name.casefold(), org))
    if counted & {org for _, org in named if org is not None}:
        check.add(
            "participants",
            "an organisation's people are either counted or named in one session, not both",
        )


def _exists(session: Session, organisation_id: int) -> bool:
    try:
        registry.get_organisation(session, organisation_id)
    except registry.OrganisationNotFoundError:
        return False
    return True


def add_delivery(
    session: Session, draft: DeliveryDraft, *, recorded_by: User | None
) -> ServiceDelivery:
    """Write a delivery already checked (`check_delivery`). Flushes."""
    service = repository.service(session, draft.service_id)
    assert service is not None
    delivery = ServiceDelivery(
        service_id=service.id,
        organisation_id=draft.organisation_id,
        delivered_on=draft.delivered_on,
        quantity=draft.quantity,
        unit=draft.unit or service.unit,
        delivered_by_id=draft.delivered_by_id,
        delivered_by_person=" ".join(draft.delivered_by_person.split()),
        follow_up=draft.follow_up.strip(),
        recorded_by_id=recorded_by.id if recorded_by is not None else None,
    )
    delivery.participants = [
        TrainingParticipant(
            organisation_id=p.organisation_id,
            people=p.people if p.name is None else 1,
            name=" ".join(p.name.split()) if p.name is not None else None,
        )
        for p in draft.participants
    ]
    session.add(delivery)
    session.flush()
    return delivery


def list_deliveries(
    session: Session, user: User | None, project_id: int, filters: DeliveryFilters
) -> list[ServiceDelivery]:
    """The project's deliveries that pass ``filters``, newest first (at most
    ``MAX_LISTED``), for whoever sees the project (``ProjectNotFoundError`` otherwise);
    ``InvalidInputError`` if the filters' end is before their start. Reads only."""
    project = get_project(session, user, project_id)
    if filters.start is not None and filters.end is not None and filters.end < filters.start:
        reason = f"is before the start ({day_text(filters.start)})"
        raise InvalidInputError("The filters are not valid", [InputIssue("", "end", reason)])
    return repository.deliveries(
        session,
        project.id,
        service_id=filters.service_id,
        kind=filters.kind,
        delivered_by_id=filters.delivered_by_id,
        start=filters.start,
        end=filters.end,
        limit=MAX_LISTED,
    )
