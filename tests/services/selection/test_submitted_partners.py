"""A submitted proposal keeps the partners it was submitted with (ADR 0037): the conflicts of
interest and who sees the proposal read them, whatever the
applicant does to the consortium afterwards; a draft still reads its consortium as it is. Runs
on SQLite and PostgreSQL."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import Consortium, Organisation, ProgrammeCall, Proposal, User
from clusterbridge.db.repositories import evaluation as evaluation_repository
from clusterbridge.domain.enums import ProposalState, Role, UserRole
from clusterbridge.services.consortia import consortia, partners
from clusterbridge.services.selection import proposals
from clusterbridge.services.selection.experts import call_conflicts, members_of
from clusterbridge.services.selection.proposals import ProposalNotFoundError
from tests.factories.calls import make_call, make_proposal
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.evaluation import make_expert
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2024, 12, 1, 9, 0, tzinfo=UTC)
ON = date(2024, 12, 2)


@dataclass
class Submitted:
    """Anna's GREENLINK to the default call, submitted by a consortium of Delta BV (a registry
    organisation, coordinator; Eva, an expert of the pool, works there) and the Turin Cluster
    (typed in); Dan is a user of Delta."""

    call: ProgrammeCall
    consortium: Consortium
    proposal: Proposal
    delta: Organisation
    delta_partner: int
    users: dict[str, User]


@pytest.fixture
def submitted(session: Session) -> Submitted:
    officer = make_user(
        session, email="olga@programme.example", name="Olga", role=UserRole.PROGRAMME_OFFICER
    )
    users = {
        name: make_user(session, email=f"{name}@example.org", name=name.title())
        for name in ("anna", "eva", "dan", "gus")
    }
    delta = make_organisation(session, name="Delta BV", country="NL", nuts=None, pic="900000004")
    add_member(session, delta, users["dan"])
    make_expert(session, user=users["eva"], organisation=delta)
    call = make_call(session, officer=officer, published_at=NOW)
    team = make_consortium(session, owner=users["anna"], call_id=None, strand=None)
    changes = {"role": Role.COORDINATOR}
    row = partners.add_registry_partner(session, users["anna"], team.id, delta.id, changes=changes)
    add_partner(session, team, name="Turin Cluster", country="IT")
    proposal = make_proposal(session, call=call, applicant=users["anna"], consortium=team)
    proposals.submit_proposal(session, users["anna"], proposal.id, now=NOW)
    return Submitted(call, team, proposal, delta, row.id, users)


def _conflicts(session: Session, call: ProgrammeCall) -> list[tuple[str, str, str]]:
    session.expire_all()
    experts = evaluation_repository.list_experts(session)
    submitted = evaluation_repository.submitted_proposals(session, call.id)
    found = call_conflicts(session, experts, submitted, on=ON)
    names = {str(e.id): e.user.name for e in experts}
    acronyms = {str(p.id): p.acronym for p in submitted}
    return [(names[c.expert], acronyms[c.proposal], c.reason) for c in found]


SAME_ORGANISATION = [("Eva", "GREENLINK", "works for Delta BV, a member of the consortium")]


def test_submission_writes_the_partners_it_checked(session: Session, submitted: Submitted) -> None:
    rows = submitted.proposal.partners

    assert [(p.position, p.organisation_id, p.name, p.country, p.pic, p.role) for p in rows] == [
        (1, submitted.delta.id, "Delta BV", "NL", "900000004", Role.COORDINATOR),
        (2, None, "Turin Cluster", "IT", None, Role.BENEFICIARY),
    ]


def test_a_partner_removed_after_submission_is_still_a_conflict(
    session: Session, submitted: Submitted
) -> None:
    anna, team = submitted.users["anna"], submitted.consortium
    before = _conflicts(session, submitted.call)

    partners.remove_partner(session, anna, team.id, submitted.delta_partner)

    assert before == SAME_ORGANISATION
    assert _conflicts(session, submitted.call) == SAME_ORGANISATION


def test_a_deleted_consortium_still_leaves_its_conflicts(
    session: Session, submitted: Submitted
) -> None:
    consortia.delete_consortium(session, submitted.users["anna"], submitted.consortium.id)

    session.expire_all()
    proposal = proposals.get_proposal(session, submitted.users["anna"], submitted.proposal.id)
    assert (proposal.consortium_id, [p.name for p in proposal.partners]) == (
        None,
        ["Delta BV", "Turin Cluster"],
    )
    assert _conflicts(session, submitted.call) == SAME_ORGANISATION


def test_a_partner_added_after_submission_is_no_conflict(
    session: Session, submitted: Submitted
) -> None:
    anna, team = submitted.users["anna"], submitted.consortium
    omega = make_organisation(session, name="Omega AB", country="SE", nuts=None, pic="900000005")
    make_expert(session, user=submitted.users["gus"], organisation=omega)

    partners.add_registry_partner(session, anna, team.id, omega.id)

    assert _conflicts(session, submitted.call) == SAME_ORGANISATION


def test_a_draft_reads_its_consortium_as_it_is(session: Session, submitted: Submitted) -> None:
    anna, team = submitted.users["anna"], submitted.consortium
    made = make_proposal(session, call=submitted.call, applicant=anna, consortium=team)
    draft = proposals.get_proposal(session, anna, made.id)
    with_delta = [(m.id, m.name) for m in members_of(draft)]

    partners.remove_partner(session, anna, team.id, submitted.delta_partner)

    assert draft.state is ProposalState.DRAFT
    assert with_delta == [(str(submitted.delta.id), "Delta BV")]
    assert members_of(draft) == ()


def test_who_sees_a_sent_proposal_is_read_from_its_partners_as_submitted(
    session: Session, submitted: Submitted
) -> None:
    anna, dan, team = submitted.users["anna"], submitted.users["dan"], submitted.consortium
    omega = make_organisation(session, name="Omega AB", country="SE", nuts=None, pic="900000005")
    gus = submitted.users["gus"]
    add_member(session, omega, gus)

    partners.remove_partner(session, anna, team.id, submitted.delta_partner)
    partners.add_registry_partner(session, anna, team.id, omega.id)

    assert proposals.get_proposal(session, dan, submitted.proposal.id).acronym == "GREENLINK"
    assert [p.acronym for p in proposals.list_my_proposals(session, dan)] == ["GREENLINK"]
    with pytest.raises(ProposalNotFoundError):
        proposals.get_proposal(session, gus, submitted.proposal.id)
    assert proposals.list_my_proposals(session, gus) == []
