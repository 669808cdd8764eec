"""The demo's open call: written and published once by the demo's administrator, open for two
months after each start of the demo until somebody sends it a proposal, and taking a proposal
from the demo account's consortium once it has a third partner."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clusterbridge.db.models import EvaluationPanel, ProgrammeCall
from clusterbridge.domain.enums import OrgType, ProposalState, Role, UserRole
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.services.consortia.demo import prepare_demo_consortium
from clusterbridge.services.consortia.partners import add_registry_partner
from clusterbridge.services.selection import proposals
from clusterbridge.services.selection.calls import (
    authored_call,
    catalogue_with_calls,
    find_call,
    takes_proposals,
)
from clusterbridge.services.selection.demo import DEMO_CALL, prepare_demo_call
from clusterbridge.services.selection.proposals import ProposalDraft
from clusterbridge.services.uploads import Upload
from tests.factories.calls import PDF_BYTES
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
CATALOGUE = load_catalogue()


def test_the_demo_call_is_published_once_and_open_for_two_months(session: Session) -> None:
    admin = make_user(session, email="admin@example.org", name="A", role=UserRole.ADMINISTRATOR)

    first = prepare_demo_call(session, admin, catalogue=CATALOGUE, now=NOW)
    again = prepare_demo_call(session, admin, catalogue=CATALOGUE, now=NOW.replace(month=11))

    assert (first.added, again.added) == (True, False)
    assert (first.identifier, first.closes_at) == (again.identifier, again.closes_at)
    assert first.identifier == DEMO_CALL
    # 5 February 2027 at 17:00 in Brussels (CET): 16:00 UTC.
    assert first.closes_at == datetime(2027, 2, 5, 16, 0, tzinfo=UTC)
    assert session.scalar(select(func.count(ProgrammeCall.id))) == 1
    row = find_call(session, None, DEMO_CALL)
    assert row.published_at == NOW
    assert takes_proposals(session, row, now=NOW)
    assert not takes_proposals(session, row, now=datetime(2027, 2, 5, 16, 0, tzinfo=UTC))


def _send_a_proposal(session: Session, call: ProgrammeCall, *, now: datetime) -> None:
    me = make_user(session, email="demo@example.org", name="Demo")
    consortium = make_consortium(session, owner=me, call_id=None, strand=None)
    for name, country in [("Kiel Cluster", "DE"), ("Lyon Cluster", "FR"), ("Turin SME", "IT")]:
        add_partner(session, consortium, name=name, country=country, role=Role.BENEFICIARY)
    draft = ProposalDraft(
        consortium_id=consortium.id, acronym="LOOMTECH", title="Sensors for looms",
        strand="1", requested_grant=500_000, duration_months=24,
    )  # fmt: skip
    proposal = proposals.create_proposal(session, me, call.id, draft, now=now)
    proposals.add_documents(
        session, me, proposal.id, [Upload("plan.pdf", "application/pdf", PDF_BYTES)], now=now
    )
    proposals.submit_proposal(session, me, proposal.id, now=now)


def test_a_demo_started_again_after_its_deadline_opens_its_call_again_until_a_proposal(
    session: Session,
) -> None:
    admin = make_user(session, email="admin@example.org", name="A", role=UserRole.ADMINISTRATOR)
    first = prepare_demo_call(session, admin, catalogue=CATALOGUE, now=NOW)
    later = NOW + timedelta(days=100)  # 17 March 2027: the call closed on 5 February
    row = find_call(session, None, DEMO_CALL)
    assert not takes_proposals(session, row, now=later)

    moved = prepare_demo_call(session, admin, catalogue=CATALOGUE, now=later)
    same_day = prepare_demo_call(session, admin, catalogue=CATALOGUE, now=later)

    # 16 May 2027 at 17:00 in Brussels (CEST): 15:00 UTC.
    assert (moved.closes_at, moved.moved_from, moved.added) == (
        datetime(2027, 5, 16, 15, 0, tzinfo=UTC), first.closes_at, False,
    )  # fmt: skip
    assert (same_day.closes_at, same_day.moved_from) == (moved.closes_at, None)
    row = find_call(session, None, DEMO_CALL)
    assert row.closes_at == moved.closes_at
    assert authored_call(row).deadline == moved.closes_at  # the call file says so too
    assert "deadline = 2027-05-16T17:00:00" in row.call_file
    assert row.published_at == NOW
    assert takes_proposals(session, row, now=later)
    assert session.scalar(select(func.count(ProgrammeCall.id))) == 1

    _send_a_proposal(session, row, now=later)
    kept = prepare_demo_call(session, admin, catalogue=CATALOGUE, now=later + timedelta(days=90))

    assert (kept.closes_at, kept.moved_from) == (moved.closes_at, None)
    assert not takes_proposals(session, row, now=later + timedelta(days=90))


def test_a_demo_started_again_while_its_call_is_open_moves_the_deadline_only_later(
    session: Session,
) -> None:
    admin = make_user(session, email="admin@example.org", name="A", role=UserRole.ADMINISTRATOR)
    first = prepare_demo_call(session, admin, catalogue=CATALOGUE, now=NOW)

    earlier = prepare_demo_call(session, admin, catalogue=CATALOGUE, now=NOW - timedelta(days=3))
    week_later = prepare_demo_call(session, admin, catalogue=CATALOGUE, now=NOW + timedelta(days=7))

    assert (earlier.closes_at, earlier.moved_from) == (first.closes_at, None)
    assert (week_later.closes_at, week_later.moved_from) == (
        datetime(2027, 2, 12, 16, 0, tzinfo=UTC), first.closes_at,
    )  # fmt: skip


def test_the_demo_account_sends_its_demo_consortium_to_the_demo_call(session: Session) -> None:
    admin = make_user(session, email="admin@example.org", name="A", role=UserRole.ADMINISTRATOR)
    me = make_user(session, email="demo@example.org", name="Demo")
    add_member(session, make_organisation(session, name="Demo Textile Cluster"), me)
    make_organisation(session, name="Lyon Textile Cluster", country="FR", nuts="FRK26")
    sme = make_organisation(
        session, name="Turin Robotics SME", country="IT", nuts="ITC11", type=OrgType.SME
    )
    call = prepare_demo_call(session, admin, catalogue=CATALOGUE, now=NOW)
    consortium = prepare_demo_consortium(
        session, me, catalogue=catalogue_with_calls(session, CATALOGUE)
    )
    assert consortium.consortium_id is not None
    # The demo consortium has two applicants; the demo account adds the third.
    add_registry_partner(
        session, me, consortium.consortium_id, sme.id, changes={"role": Role.BENEFICIARY}
    )
    row = find_call(session, me, call.identifier)

    draft = ProposalDraft(
        consortium_id=consortium.consortium_id, acronym="LOOMTECH", title="Sensors for looms",
        strand="1", requested_grant=500_000, duration_months=24,
    )  # fmt: skip
    proposal = proposals.create_proposal(session, me, row.id, draft, now=NOW)
    proposals.add_documents(
        session, me, proposal.id, [Upload("plan.pdf", "application/pdf", PDF_BYTES)], now=NOW
    )
    sent = proposals.submit_proposal(session, me, proposal.id, now=NOW)

    assert sent.state is ProposalState.SUBMITTED
    assert [(p.name, p.role.value if p.role else None) for p in sent.partners] == [
        ("Demo Textile Cluster", "coordinator"),
        ("Lyon Textile Cluster", "beneficiary"),
        ("Turin Robotics SME", "beneficiary"),
    ]
    assert sent.eligible is True
    assert [p.acronym for p in proposals.list_call_proposals(session, admin, row.id)] == [
        "LOOMTECH"
    ]


def test_a_demo_call_whose_selection_is_published_keeps_its_deadline(session: Session) -> None:
    admin = make_user(session, email="admin@example.org", name="A", role=UserRole.ADMINISTRATOR)
    first = prepare_demo_call(session, admin, catalogue=CATALOGUE, now=NOW)
    row = find_call(session, None, DEMO_CALL)
    later = NOW + timedelta(days=100)
    published = later - timedelta(days=1)  # an empty selection, ranked and published
    session.add(EvaluationPanel(call_id=row.id, ranked_at=published, published_at=published))
    session.flush()
    text = row.call_file

    kept = prepare_demo_call(session, admin, catalogue=CATALOGUE, now=later)

    assert (kept.closes_at, kept.moved_from) == (first.closes_at, None)
    assert row.call_file == text
