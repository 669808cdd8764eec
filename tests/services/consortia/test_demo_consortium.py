"""The demo consortium: made once for the demo account, for the demo's open call, its own
cluster as coordinator with a real registry partner from another EU Member State, and a rule
still to meet. One an older demo made for SMP-COSME-2024-CLUSTER (closed) moves to the open
call while it is as the demo made it and nothing points at it."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clusterbridge.db.models import Consortium, ConsortiumPartner, User
from clusterbridge.domain.enums import CallStatus, OrgType, Role, UserRole
from clusterbridge.services.calls.catalogue import Catalogue, load_catalogue
from clusterbridge.services.consortia.consortia import check_consortium, get_consortium
from clusterbridge.services.consortia.demo import (
    DEMO_CONSORTIUM,
    EARLIER_CALL,
    prepare_demo_consortium,
)
from clusterbridge.services.selection import demo as demo_call
from clusterbridge.services.selection.calls import catalogue_with_calls, find_call
from tests.factories.calls import make_proposal
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

FILES = load_catalogue()
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def _with_open_call(session: Session) -> Catalogue:
    """The call files with the demo's open call, written by the demo's administrator."""
    admin = make_user(session, email="admin@example.org", name="A", role=UserRole.ADMINISTRATOR)
    demo_call.prepare_demo_call(session, admin, catalogue=FILES, now=NOW)
    return catalogue_with_calls(session, FILES)


def _older_demo_consortium(session: Session, me: User, **changes: object) -> Consortium:
    """The demo consortium as versions before the open call made it (three partners)."""
    values: dict[str, object] = {
        "call_id": EARLIER_CALL, "strand": "1", "duration_months": 36,
        "requested_grant_eur": 2_600_000,
    } | changes  # fmt: skip
    consortium = make_consortium(session, owner=me, name=DEMO_CONSORTIUM, **values)  # type: ignore[arg-type]
    for name, country, role in [
        ("Demo Textile Cluster", "DE", Role.COORDINATOR),
        ("Vienna Cluster Agency", "AT", Role.BENEFICIARY),
        ("Lodz Textile SME GmbH", "PL", Role.BENEFICIARY),
    ]:
        add_partner(session, consortium, name=name, country=country, role=role)
    return consortium


def test_the_demo_consortium_is_made_once_for_the_open_call_with_a_rule_to_meet(
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
    catalogue = _with_open_call(session)

    first = prepare_demo_consortium(session, me, catalogue=catalogue)
    session.expire_all()  # as in the next run of the demo: nothing loaded yet
    again = prepare_demo_consortium(session, me, catalogue=catalogue)

    assert (first.added, again.added, first.moved, again.moved) == (True, False, False, False)
    assert (first.consortium_id, first.partners) == (again.consortium_id, again.partners)
    assert (again.call_id, again.strand) == ("DEMO-ALLIANCES", "1")
    assert first.partners == 2
    assert session.scalar(select(func.count(Consortium.id))) == 1
    assert session.scalar(select(func.count(ConsortiumPartner.id))) == 2
    assert first.consortium_id is not None
    consortium = get_consortium(session, me, first.consortium_id)
    assert (
        consortium.call_id, consortium.strand, consortium.requested_grant_eur, consortium.owner_id
    ) == ("DEMO-ALLIANCES", "1", 500_000, me.id)  # fmt: skip
    assert [(p.organisation.name, p.role.value) for p in consortium.partners] == [
        ("Demo Textile Cluster", "coordinator"),
        ("Vienna Cluster Agency", "beneficiary"),
    ]
    report = check_consortium(consortium, catalogue=catalogue, now=NOW).report
    assert report is not None
    assert report.call.status(NOW)[0] is CallStatus.OPEN
    failed = [f.rule for f in report.findings if f.status.value == "fail"]
    assert failed == ["three-applicants"]


def test_without_organisations_there_is_no_demo_consortium(session: Session) -> None:
    me = make_user(session, email="demo@example.org", name="Demo")

    made = prepare_demo_consortium(session, me, catalogue=_with_open_call(session))

    assert made.consortium_id is None
    assert session.scalar(select(func.count(Consortium.id))) == 0


def test_without_the_open_call_there_is_no_demo_consortium(session: Session) -> None:
    me = make_user(session, email="demo@example.org", name="Demo")
    add_member(session, make_organisation(session, name="Demo Textile Cluster"), me)

    assert prepare_demo_consortium(session, me, catalogue=FILES).consortium_id is None
    assert session.scalar(select(func.count(Consortium.id))) == 0


def test_an_older_demo_consortium_moves_to_the_open_call_keeping_its_partners(
    session: Session,
) -> None:
    me = make_user(session, email="demo@example.org", name="Demo")
    older = _older_demo_consortium(session, me)
    catalogue = _with_open_call(session)

    moved = prepare_demo_consortium(session, me, catalogue=catalogue)
    session.expire_all()
    again = prepare_demo_consortium(session, me, catalogue=catalogue)

    assert (moved.consortium_id, moved.partners, moved.added) == (older.id, 3, False)
    assert (moved.moved, again.moved) == (True, False)
    assert (moved.call_id, moved.strand) == ("DEMO-ALLIANCES", "1")
    row = get_consortium(session, me, older.id)
    assert (row.call_id, row.strand, row.duration_months, row.requested_grant_eur) == (
        "DEMO-ALLIANCES", "1", 36, 500_000,
    )  # fmt: skip
    assert [p.name for p in row.partners] == [
        "Demo Textile Cluster", "Vienna Cluster Agency", "Lodz Textile SME GmbH",
    ]  # fmt: skip
    report = check_consortium(row, catalogue=catalogue, now=NOW).report
    assert report is not None
    assert report.verdict.value == "eligible"
    # The real call stays in the catalogue, closed.
    assert catalogue.get(EARLIER_CALL).status(NOW)[0] is CallStatus.CLOSED


@pytest.mark.parametrize(
    "changes",
    [{"requested_grant_eur": 2_000_000}, {"strand": "2"}, {"duration_months": 24}],
    ids=["grant", "strand", "duration"],
)
def test_an_older_demo_consortium_its_owner_changed_stays_as_it_is(
    session: Session, changes: dict[str, object]
) -> None:
    me = make_user(session, email="demo@example.org", name="Demo")
    older = _older_demo_consortium(session, me, **changes)
    catalogue = _with_open_call(session)

    made = prepare_demo_consortium(session, me, catalogue=catalogue)

    assert (made.moved, made.call_id) == (False, EARLIER_CALL)
    assert get_consortium(session, me, older.id).call_id == EARLIER_CALL


def test_an_older_demo_consortium_a_proposal_was_made_from_stays_as_it_is(
    session: Session,
) -> None:
    me = make_user(session, email="demo@example.org", name="Demo")
    older = _older_demo_consortium(session, me)
    catalogue = _with_open_call(session)
    call = find_call(session, None, demo_call.DEMO_CALL)
    make_proposal(session, call=call, applicant=me, consortium=older)  # a draft

    made = prepare_demo_consortium(session, me, catalogue=catalogue)

    assert (made.moved, made.call_id) == (False, EARLIER_CALL)
