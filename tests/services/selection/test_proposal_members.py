"""Who sees a sent proposal (issue 18): its applicant and every user of an organisation of the
consortium that sent it see its state and, once the selection is published, its outcome and
evaluation summary; nobody else (other applicants, other organisations' users, experts who
are not members). Runs on SQLite and PostgreSQL."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import Proposal, User
from clusterbridge.db.repositories import evaluation as evaluation_repository
from clusterbridge.db.repositories.organisations import get_by_pic
from clusterbridge.domain.enums import ProposalOutcome, ProposalState
from clusterbridge.domain.errors import AccessDeniedError
from clusterbridge.services.selection import outcome, proposals
from clusterbridge.services.selection.access import EvaluationNotFoundError
from clusterbridge.services.selection.proposals import ProposalNotFoundError
from tests.factories.evaluation import (
    add_pool,
    evaluate_small,
    make_proposal,
    make_small_evaluation,
)
from tests.factories.organisations import add_member
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@dataclass
class Members:
    """The small evaluation's call and proposals (ALPHA: Acme's, by alice; BETA: Beta's, by
    bob), carl (a user of Acme), dora (a user of Beta), lea (an expert on ALPHA, of no
    organisation) and olga (the officer); ALPHA's consortium also has a draft, GAMMA."""

    call_id: int
    alpha: Proposal
    beta: Proposal
    draft: Proposal
    users: dict[str, User]


@pytest.fixture
def members(session: Session) -> Members:
    small = make_small_evaluation(session)
    acme, beta = get_by_pic(session, "920000001"), get_by_pic(session, "920000002")
    assert acme is not None
    assert beta is not None
    users = dict(small.users)
    for name, organisation in (("carl", acme), ("dora", beta)):
        users[name] = make_user(session, email=f"{name}@example.org", name=name.title())
        add_member(session, organisation, users[name])
    add_pool(session, small)
    alpha = proposals.get_proposal(session, users["olga"], small.proposals["ALPHA"])
    draft = make_proposal(session, call=alpha.call, applicant=users["alice"], acronym="GAMMA",
                          members=(acme,))  # fmt: skip
    draft.state, draft.submitted_at, draft.eligible = ProposalState.DRAFT, None, None
    session.flush()
    beta_p = proposals.get_proposal(session, users["olga"], small.proposals["BETA"])
    return Members(small.call_id, alpha, beta_p, draft, users)


def test_a_member_of_the_consortium_sees_the_sent_proposal_and_its_state(
    session: Session, members: Members
) -> None:
    carl = members.users["carl"]

    seen = proposals.get_proposal(session, carl, members.alpha.id)
    listed = proposals.list_my_proposals(session, carl)

    assert (seen.acronym, seen.state) == ("ALPHA", ProposalState.SUBMITTED)
    assert [p.acronym for p in listed] == ["ALPHA"]


def test_nobody_else_sees_the_proposal(session: Session, members: Members) -> None:
    others = [members.users[who] for who in ("dora", "bob", "lea")]

    for user in others:
        with pytest.raises(ProposalNotFoundError):
            proposals.get_proposal(session, user, members.alpha.id)

    # dora is a user of Beta, which sent BETA; bob sent it.
    assert [[p.acronym for p in proposals.list_my_proposals(session, u)] for u in others] == [
        ["BETA"],
        ["BETA"],
        [],
    ]


def test_a_member_does_not_see_a_draft_nor_change_a_sent_proposal(
    session: Session, members: Members
) -> None:
    carl = members.users["carl"]

    with pytest.raises(ProposalNotFoundError):
        proposals.get_proposal(session, carl, members.draft.id)
    with pytest.raises(AccessDeniedError):
        proposals.withdraw_proposal(session, carl, members.alpha.id, now=NOW)


def test_a_member_sees_the_outcome_and_summary_once_published(
    session: Session, members: Members
) -> None:
    carl = members.users["carl"]
    evaluate_small(session, members.users["olga"], members.call_id, now=NOW)
    outcome.rank_call(session, members.users["olga"], members.call_id, now=NOW)
    before = outcome.my_outcomes(session, carl)
    with pytest.raises(EvaluationNotFoundError):
        outcome.summary_report(session, carl, members.alpha.id)
    panel = evaluation_repository.get_panel(session, members.call_id)
    assert panel is not None
    panel.published_at = NOW

    after = outcome.my_outcomes(session, carl)
    summary = outcome.summary_report(session, carl, members.alpha.id)

    assert [(p.acronym, d) for p, d in before] == [("ALPHA", None)]
    assert [(p.acronym, d.outcome if d else None) for p, d in after] == [
        ("ALPHA", ProposalOutcome.SELECTED)
    ]
    assert (summary.proposal.acronym, summary.total, summary.decision.reason) == (
        "ALPHA",
        85,
        "taken in rank order",
    )
    with pytest.raises(EvaluationNotFoundError):
        outcome.summary_report(session, carl, members.beta.id)
    with pytest.raises(EvaluationNotFoundError):
        outcome.summary_report(session, members.users["dora"], members.alpha.id)
    with pytest.raises(EvaluationNotFoundError):
        outcome.summary_report(session, members.users["lea"], members.alpha.id)
