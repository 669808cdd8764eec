"""The demo consortium: made once for the demo account, its own cluster as coordinator with
real registry partners from other EU Member States, and rules still to meet."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clusterbridge.db.models import Consortium, ConsortiumPartner
from clusterbridge.domain.enums import OrgType
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.services.consortia.consortia import check_consortium, get_consortium
from clusterbridge.services.consortia.demo import prepare_demo_consortium
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

CATALOGUE = load_catalogue()
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_the_demo_consortium_is_made_once_with_the_demo_accounts_cluster_as_coordinator(
    session: Session,
) -> None:
    me = make_user(session, email="demo@example.org", name="Demo")
    make_organisation(session, name="Vienna Cluster Agency", country="AT", nuts="AT130")
    make_organisation(session, name="Second Munich Cluster")  # the coordinator's country
    sme = make_organisation(session, name="Munich Robotics SME", type=OrgType.SME)
    make_organisation(
        session, name="Lodz Textile SME GmbH", country="PL", nuts="PL711", type=OrgType.SME
    )
    mine = make_organisation(session, name="Demo Textile Cluster")
    add_member(session, sme, me)
    add_member(session, mine, me)

    first = prepare_demo_consortium(session, me, catalogue=CATALOGUE)
    session.expire_all()  # as in the next run of the demo: nothing loaded yet
    again = prepare_demo_consortium(session, me, catalogue=CATALOGUE)

    assert (first.added, again.added) == (True, False)
    assert (first.consortium_id, first.partners) == (again.consortium_id, again.partners)
    assert first.partners == 3
    assert session.scalar(select(func.count(Consortium.id))) == 1
    assert session.scalar(select(func.count(ConsortiumPartner.id))) == 3
    assert first.consortium_id is not None
    consortium = get_consortium(session, me, first.consortium_id)
    assert (consortium.call_id, consortium.strand, consortium.owner_id) == (
        "SMP-COSME-2024-CLUSTER", "1", me.id,
    )  # fmt: skip
    assert [(p.organisation.name, p.role.value) for p in consortium.partners] == [
        ("Demo Textile Cluster", "coordinator"),
        ("Vienna Cluster Agency", "beneficiary"),
        ("Lodz Textile SME GmbH", "beneficiary"),
    ]
    report = check_consortium(consortium, catalogue=CATALOGUE, now=NOW).report
    assert report is not None
    failed = [f.rule for f in report.findings if f.status.value == "fail"]
    assert failed == ["cluster-organisations-in-three-member-states"]


def test_without_organisations_there_is_no_demo_consortium(session: Session) -> None:
    me = make_user(session, email="demo@example.org", name="Demo")

    assert prepare_demo_consortium(session, me, catalogue=CATALOGUE).consortium_id is None
    assert session.scalar(select(func.count(Consortium.id))) == 0
