"""The counts of a project's services to SMEs, on a fixture with exact figures: deliveries
once each, people trained (numbers add up per session, named people once), organisations
supported once, hours with days at 8 hours. SQLite and PostgreSQL."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation
from clusterbridge.domain.enums import OrgType
from clusterbridge.domain.sme_services import ServiceKind, ServiceUnit
from clusterbridge.services.monitoring import (
    people_trained,
    service_hours,
    services_delivered,
    supported_organisation_ids,
)
from tests.factories.organisations import make_organisation
from tests.factories.sme_services import make_delivery, make_project, make_service

pytestmark = [pytest.mark.integration, pytest.mark.db]

H1 = (date(2025, 1, 1), date(2025, 6, 30))
EDGE = (date(2025, 6, 30), date(2025, 7, 1))
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


@dataclass
class Fixture:
    project: int
    other_project: int
    a: Organisation
    b: Organisation
    d: Organisation


@pytest.fixture
def fixture(session: Session) -> Fixture:
    """Project EMA: audits to A (4 h on 4 March, 2.5 h on 30 June), 1.5 days of support to B
    on 1 July, two course sessions (1 day on 10 May: A 3 people, Ana Silva of D, Rui Costa of
    no organisation; half a day on 1 June: A 2 people, "ana  SILVA" of D again, Joe of D).
    Project OTHER: a 10-hour audit to E in March."""
    cluster = make_organisation(session, name="Cluster")
    centre = make_organisation(session, name="Tech Centre", type=OrgType.RESEARCH_ORGANISATION)
    a, b, d, e = (make_organisation(session, name=n, type=OrgType.SME) for n in "ABDE")
    project = make_project(session, coordinator=cluster, partners=(centre,))
    audit = make_service(session, project)
    support = make_service(
        session, project, name="Adoption coaching", kind=ServiceKind.BUSINESS_SUPPORT,
        unit=ServiceUnit.DAYS,
    )  # fmt: skip
    course = make_service(
        session, project, name="Cobot course", kind=ServiceKind.TRAINING, unit=ServiceUnit.DAYS
    )
    make_delivery(session, audit, by=cluster, to=a, on=date(2025, 3, 4), quantity="4")
    make_delivery(session, audit, by=centre, to=a, on=date(2025, 6, 30), quantity="2.5")
    make_delivery(session, support, by=cluster, to=b, on=date(2025, 7, 1), quantity="1.5")
    make_delivery(
        session, course, by=centre, on=date(2025, 5, 10), quantity="1",
        participants=((a, 3, None), (d, 1, "Ana Silva"), (None, 1, "Rui Costa")),
    )  # fmt: skip
    make_delivery(
        session, course, by=centre, on=date(2025, 6, 1), quantity="0.5",
        participants=((a, 2, None), (d, 1, "ana  SILVA"), (d, 1, "Joe")),
    )  # fmt: skip
    other = make_project(session, coordinator=e, acronym="OTHER")
    make_delivery(session, make_service(session, other), by=e, to=e, on=date(2025, 3, 5))
    return Fixture(project.id, other.id, a, b, d)


def test_services_delivered_counts_each_delivery_once(session: Session, fixture: Fixture) -> None:
    counts = [services_delivered(session, fixture.project, *r) for r in (H1, EDGE, YEAR)]

    assert counts == [4, 2, 5]
    assert services_delivered(session, fixture.other_project, *YEAR) == 1


def test_people_trained_adds_numbers_per_session_and_named_people_once(
    session: Session, fixture: Fixture
) -> None:
    counts = [people_trained(session, fixture.project, *r) for r in (H1, EDGE, YEAR)]

    # 3 + 2 counted for A, then Ana Silva (of D, twice), Rui Costa and Joe.
    assert counts == [8, 0, 8]
    assert people_trained(session, fixture.project, date(2025, 6, 1), date(2025, 6, 1)) == 4


def test_supported_organisations_are_each_counted_once(session: Session, fixture: Fixture) -> None:
    found = [supported_organisation_ids(session, fixture.project, *r) for r in (H1, EDGE, YEAR)]

    assert found == [
        {fixture.a.id, fixture.d.id},
        {fixture.a.id, fixture.b.id},
        {fixture.a.id, fixture.b.id, fixture.d.id},
    ]


def test_service_hours_count_days_at_eight_hours_and_sessions_once(
    session: Session, fixture: Fixture
) -> None:
    hours = [service_hours(session, fixture.project, *r) for r in (H1, EDGE, YEAR)]

    # 4 + 2.5 + 8 (a day's course) + 4 (half a day); 2.5 + 12 (1.5 days); all of them.
    assert hours == [Decimal("18.50"), Decimal("14.50"), Decimal("30.50")]


def test_an_empty_range_counts_nothing(session: Session, fixture: Fixture) -> None:
    start, end = date(2026, 1, 1), date(2026, 12, 31)

    assert services_delivered(session, fixture.project, start, end) == 0
    assert people_trained(session, fixture.project, start, end) == 0
    assert supported_organisation_ids(session, fixture.project, start, end) == set()
    assert service_hours(session, fixture.project, start, end) == Decimal("0.00")
