"""The demo's services to SMEs: a catalogue of four kinds and the deliveries due by ``now``,
once; the figures they make."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from clusterbridge.domain.calendar import DEFAULT_TIME_ZONE, local_today
from clusterbridge.domain.enums import OrgType
from clusterbridge.services.monitoring import (
    list_services,
    people_trained,
    service_hours,
    services_delivered,
    supported_organisation_ids,
)
from clusterbridge.services.monitoring.services_demo import prepare_demo_services
from tests.factories.organisations import add_member, make_organisation
from tests.factories.sme_services import make_project
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]


def test_the_demo_records_what_is_due_once(session: Session) -> None:
    cluster = make_organisation(session, name="Textile Cluster")
    smes = [make_organisation(session, name=n, type=OrgType.SME).id for n in ("A", "B", "C")]
    manager = make_user(session)
    add_member(session, cluster, manager)
    project = make_project(session, coordinator=cluster, start=date(2025, 1, 1))
    now = datetime(2025, 10, 1, tzinfo=UTC)

    made = prepare_demo_services(
        session, manager, project.id, delivered_by_id=cluster.id, sme_ids=smes, today=now.date()
    )
    again = prepare_demo_services(
        session, manager, project.id, delivered_by_id=cluster.id, sme_ids=smes, today=now.date()
    )

    span = (date(2025, 1, 1), date(2025, 12, 31))
    assert (made, again) == (7, 0)
    assert len(list_services(session, manager, project.id)) == 4
    assert services_delivered(session, project.id, *span) == 7
    # B 2 and C 3 people in each of two sessions; Marta and Jonas of A once each.
    assert people_trained(session, project.id, *span) == 12
    assert supported_organisation_ids(session, project.id, *span) == set(smes)
    # Audits 6 + 4.5 h, coaching 2 + 1.5 days, talent day 3 h, two course days.
    assert service_hours(session, project.id, *span) == Decimal("57.50")


def test_the_demo_records_a_delivery_dated_today_in_the_sites_time_zone(
    session: Session,
) -> None:
    cluster = make_organisation(session, name="Textile Cluster")
    smes = [make_organisation(session, name=n, type=OrgType.SME).id for n in ("A", "B", "C")]
    manager = make_user(session)
    add_member(session, cluster, manager)
    project = make_project(session, coordinator=cluster, start=date(2025, 1, 1))
    # Half past ten in the evening of 19 July in UTC: already 20 July, the day of the delivery
    # 200 days after the start, in Brussels.
    late = datetime(2025, 7, 19, 22, 30, tzinfo=UTC)

    made = prepare_demo_services(
        session, manager, project.id, delivered_by_id=cluster.id, sme_ids=smes,
        today=local_today(late, DEFAULT_TIME_ZONE),
    )  # fmt: skip

    assert made == 5
    assert services_delivered(session, project.id, date(2025, 7, 20), date(2025, 7, 20)) == 1
