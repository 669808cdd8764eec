"""The demo's services to SMEs: a catalogue of the four kinds the calls name and a year of
deliveries to the demo project's SMEs (audits, coaching, a course in two sessions, a
recruitment day), some rated. For ``clusterbridge demo``, once its monitored project exists."""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import User
from clusterbridge.db.repositories import sme_services as repository
from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.domain.sme_services import ServiceKind, ServiceUnit
from clusterbridge.services.monitoring.deliveries import (
    DeliveryDraft,
    ParticipantDraft,
    add_delivery,
    check_delivery,
)
from clusterbridge.services.monitoring.projects import managed_project
from clusterbridge.services.monitoring.service_catalogue import ServiceDraft, create_service

CATALOGUE = (
    ServiceDraft(
        "Advanced technology audit", ServiceKind.TECHNICAL_ASSISTANCE, ServiceUnit.HOURS,
        "An engineer reviews an SME's production and names the technologies worth adopting.",
    ),
    ServiceDraft(
        "Technology adoption coaching", ServiceKind.BUSINESS_SUPPORT, ServiceUnit.DAYS,
        "Business support for adapting a technology: plan, suppliers, financing.",
    ),
    ServiceDraft(
        "Digital skills course", ServiceKind.TRAINING, ServiceUnit.DAYS,
        "Up- and reskilling of SME staff: data, automation, green digitalisation.",
    ),
    ServiceDraft(
        "Talent matching day", ServiceKind.RECRUITMENT, ServiceUnit.HOURS,
        "Job facilitation: SMEs meet candidates with the skills they need.",
    ),
)  # fmt: skip
#: Days after the project's start of each delivery, and its service (by position) and time.
PLAN = ((30, 0, "6"), (75, 1, "2"), (120, 0, "4.5"), (200, 3, "3"), (260, 1, "1.5"))
COURSE_DAYS = (90, 240)


def prepare_demo_services(
    session: Session,
    manager: User,
    project_id: int,
    *,
    delivered_by_id: int,
    sme_ids: Sequence[int],
    today: date,
) -> int:
    """Fill the project's catalogue and record its deliveries to ``sme_ids`` (in turn) by the
    partner ``delivered_by_id``, those dated up to ``today`` (the site's calendar date, ADR 0039) only, and two sessions of the
    course each SME sends people to (the same two people named in both). Does nothing when
    the project has a catalogue already or there is no SME. Returns the deliveries recorded.
    Flushes."""
    project = managed_project(session, manager, project_id)
    if repository.services(session, project.id) or not sme_ids:
        return 0
    services = [create_service(session, manager, project.id, draft) for draft in CATALOGUE]
    drafts = [
        DeliveryDraft(
            service_id=services[index].id, delivered_on=project.start_date + timedelta(days),
            quantity=Decimal(quantity), delivered_by_id=delivered_by_id,
            organisation_id=sme_ids[number % len(sme_ids)],
            follow_up="A second visit to plan the investment" if index == 0 else "",
        )
        for number, (days, index, quantity) in enumerate(PLAN)
    ]  # fmt: skip
    people = (
        *(ParticipantDraft(sme, 2 + n % 3) for n, sme in enumerate(sme_ids[1:])),
        ParticipantDraft(sme_ids[0], 1, "Marta Ferreira"),
        ParticipantDraft(sme_ids[0], 1, "Jonas Berg"),
    )
    drafts += [
        DeliveryDraft(
            service_id=services[2].id, delivered_on=project.start_date + timedelta(days),
            quantity=Decimal(1), delivered_by_id=delivered_by_id, participants=people,
        )
        for days in COURSE_DAYS
    ]  # fmt: skip
    last = min(today, project.end_date)
    due = [draft for draft in drafts if draft.delivered_on <= last]
    issues = [i for draft in due for i in check_delivery(session, project, draft, location="")]
    if issues:
        raise InvalidInputError("The demo's deliveries do not fit the project", issues)
    return len([add_delivery(session, draft, recorded_by=manager) for draft in due])
