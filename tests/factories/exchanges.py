"""Exchange participants for tests, inserted through the ORM (no mail, no rules checked).

Defaults: a validated cluster organisation taking part in networking, at 40°N 0°E, with no
preferences; a pending participant has no decision time, as the schema requires.
"""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import ExchangeParticipant, ExchangePartnership, Organisation, User
from clusterbridge.domain.enums import (
    ActivityType,
    ExchangeRole,
    OrganisationKind,
    ValidationState,
)

DECIDED_AT = datetime(2025, 2, 1, 9, 0, tzinfo=UTC)


def make_participant(
    session: Session,
    *,
    partnership: ExchangePartnership,
    organisation: Organisation,
    contact: User,
    role: ExchangeRole,
    state: ValidationState = ValidationState.VALIDATED,
    activities: tuple[ActivityType, ...] = (ActivityType.NETWORKING,),
    countries: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
    capacity: int = 1,
) -> ExchangeParticipant:
    """An enrolled participant in ``organisation``'s country, flushed so that it has an id."""
    participant = ExchangeParticipant(
        partnership=partnership,
        organisation=organisation,
        contact=contact,
        role=role,
        kind=OrganisationKind.CLUSTER_ORGANISATION,
        country=organisation.country,
        cluster_member=True,
        place=organisation.name,
        latitude=40.0,
        longitude=0.0,
        motivation="Meet.",
        activity_types=[str(a) for a in activities],
        preferred_countries=list(countries),
        preferred_sectors=list(sectors),
        capacity=capacity,
        state=state,
        decided_at=None if state is ValidationState.PENDING else DECIDED_AT,
    )
    session.add(participant)
    session.flush()
    return participant
