"""The demo's open call: written and published once by the demo's administrator, open for two
months, and taking a proposal from the demo account's consortium."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clusterbridge.db.models import ProgrammeCall
from clusterbridge.domain.enums import OrgType, ProposalState, UserRole
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.services.consortia.demo import prepare_demo_consortium
from clusterbridge.services.selection import proposals
from clusterbridge.services.selection.calls import find_call, takes_proposals
from clusterbridge.services.selection.demo import DEMO_CALL, prepare_demo_call
from clusterbridge.services.selection.proposals import ProposalDraft
from clusterbridge.services.uploads import Upload
from tests.factories.calls import PDF_BYTES
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


def test_the_demo_account_sends_its_demo_consortium_to_the_demo_call(session: Session) -> None:
    admin = make_user(session, email="admin@example.org", name="A", role=UserRole.ADMINISTRATOR)
    me = make_user(session, email="demo@example.org", name="Demo")
    add_member(session, make_organisation(session, name="Demo Textile Cluster"), me)
    make_organisation(session, name="Lyon Textile Cluster", country="FR", nuts="FRK26")
    make_organisation(
        session, name="Turin Robotics SME", country="IT", nuts="ITC11", type=OrgType.SME
    )
    consortium = prepare_demo_consortium(session, me, catalogue=CATALOGUE)
    call = prepare_demo_call(session, admin, catalogue=CATALOGUE, now=NOW)
    assert consortium.consortium_id is not None
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
