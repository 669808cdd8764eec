"""Authored calls, submitted proposals and experts for the evaluation's tests, inserted through
the ORM (no access checks).

Defaults: a programme call with two criteria (relevance 30, threshold 21; impact 70, threshold
35), an overall threshold of 70, a budget of EUR 5,000,000, at most 2 projects, at least one
for Strand 1, and the tie-break keys uncovered_strand then relevance.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    ConsortiumPartner,
    Expert,
    Organisation,
    ProgrammeCall,
    Proposal,
    ProposalPartner,
    User,
)
from clusterbridge.db.repositories import organisations as repository
from clusterbridge.domain.enums import ProposalState, Role, UserRole
from clusterbridge.services.selection import assignment, evaluation
from clusterbridge.services.selection.call_drafts import check_draft
from tests.factories.calls import call_draft
from tests.factories.consortia import make_consortium
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

SUBMITTED_AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
#: The deadline of the calls of ``make_call``.
CLOSES_AT = datetime(2026, 3, 31, 15, 0, tzinfo=UTC)

SELECTION: dict[str, Any] = {
    "budget": 5_000_000,
    "max_projects": 2,
    "strand_minimum": {"1": 1},
    "on_overflow": "skip",
    "criteria": [
        {"id": "relevance", "max": 30, "threshold": 21},
        {"id": "impact", "max": 70, "threshold": 35},
    ],
    "overall_threshold": 70,
    "tie_break": ["uncovered_strand", "relevance"],
}


def make_call(
    session: Session,
    *,
    identifier: str = "EVAL-2026",
    title: str = "Eurocluster test call",
    selection: dict[str, Any] | None = None,
    closes_at: datetime | None = CLOSES_AT,
) -> ProgrammeCall:
    """A published call with the selection settings above unless told otherwise, closed on
    ``CLOSES_AT`` (``None``: no deadline)."""
    call = ProgrammeCall(
        identifier=identifier,
        title=title,
        # A valid call file: published calls join the call catalogue, which reads it.
        call_file=check_draft(call_draft(identifier=identifier, title=title)).text,
        selection=SELECTION if selection is None else selection,
        published_at=datetime(2026, 1, 10, tzinfo=UTC),
        closes_at=closes_at,
    )
    session.add(call)
    session.flush()
    return call


def make_proposal(
    session: Session,
    *,
    call: ProgrammeCall,
    applicant: User,
    acronym: str,
    strand: str | None = "1",
    requested: int = 2_000_000,
    eligible: bool | None = True,
    members: tuple[Organisation, ...] = (),
    summary: str = "",
) -> Proposal:
    """A submitted proposal of a consortium whose partners are ``members`` (registry
    organisations), its eligibility frozen as ``eligible`` and its partners as submitted
    being those ``members`` (as ``submit_proposal`` writes them)."""
    consortium = make_consortium(session, owner=applicant, name=f"{acronym} consortium")
    for position, organisation in enumerate(members, start=1):
        consortium.partners.append(
            ConsortiumPartner(
                position=position,
                name=organisation.name,
                role=Role.COORDINATOR if position == 1 else Role.BENEFICIARY,
                organisation=organisation,
            )
        )
    proposal = Proposal(
        call=call,
        applicant=applicant,
        consortium=consortium,
        acronym=acronym,
        title=f"{acronym}: a cluster partnership",
        summary=summary,
        strand=strand,
        requested_grant=Decimal(requested),
        duration_months=24,
        state=ProposalState.SUBMITTED,
        submitted_at=SUBMITTED_AT,
        eligibility={"verdict": "eligible" if eligible else "not eligible"},
        eligible=eligible,
        partners=[
            ProposalPartner(
                position=p.position,
                organisation=p.organisation,
                name=p.name or "",
                country=organisation.country,
                pic=organisation.pic,
                role=p.role,
            )
            for p, organisation in zip(consortium.partners, members, strict=True)
        ],
    )
    session.add(proposal)
    session.flush()
    return proposal


def make_expert(
    session: Session,
    *,
    user: User,
    organisation: Organisation | None = None,
    expertise: str = "",
    ecosystems: tuple[str, ...] = (),
) -> Expert:
    """An expert of the pool."""
    expert = Expert(
        user=user,
        organisation=organisation,
        expertise=expertise,
        ecosystems=list(ecosystems),
        technologies=[],
    )
    session.add(expert)
    session.flush()
    return expert


@dataclass
class SmallEvaluation:
    """A call with two eligible proposals, ALPHA (Strand 1, Acme's, by alice) and BETA (Strand
    2, Beta's, by bob); an officer, olga; and three accounts, kim (Acme's), lea and max, not yet
    in the pool (``POOL`` says how to add them)."""

    call_id: int
    proposals: dict[str, int]
    users: dict[str, User]


#: The experts of ``SmallEvaluation``: name, PIC of their organisation, expertise.
POOL = (
    ("kim", "920000001", "battery recycling data"),
    ("lea", "", "battery storage"),
    ("max", "", "tourism data"),
)


def make_small_evaluation(session: Session) -> SmallEvaluation:
    """The call and people of ``SmallEvaluation``; e-mail addresses are ``name@example.org``."""
    roles = {"olga": UserRole.PROGRAMME_OFFICER}
    users = {
        name: make_user(
            session,
            email=f"{name}@example.org",
            name=name.title(),
            role=roles.get(name, UserRole.ORGANISATION_MEMBER),
        )
        for name in ("olga", "alice", "bob", "kim", "lea", "max")
    }
    acme = make_organisation(session, name="Acme GmbH", pic="920000001")
    beta = make_organisation(session, name="Beta SA", pic="920000002")
    call = make_call(session)
    alpha = make_proposal(session, call=call, applicant=users["alice"], acronym="ALPHA",
                          strand="1", members=(acme,), summary="battery recycling")  # fmt: skip
    beta_p = make_proposal(session, call=call, applicant=users["bob"], acronym="BETA",
                           strand="2", members=(beta,), summary="tourism data")  # fmt: skip
    return SmallEvaluation(call.id, {"ALPHA": alpha.id, "BETA": beta_p.id}, users)


#: The consensus scores ``evaluate_small`` gives (relevance of 30, impact of 70): both pass,
#: ALPHA (85) before BETA (72).
SMALL_SCORES = {"ALPHA": ("25", "60"), "BETA": ("22", "50")}


def add_pool(session: Session, small: SmallEvaluation) -> None:
    """Put kim (of Acme: a conflict with ALPHA), lea and max in the pool (``POOL``)."""
    for name, pic, expertise in POOL:
        organisation = repository.get_by_pic(session, pic) if pic else None
        make_expert(session, user=small.users[name], organisation=organisation,
                    expertise=expertise)  # fmt: skip


def evaluate_small(session: Session, olga: User, call_id: int, *, now: datetime) -> None:
    """Through the services, as the officer ``olga`` and the experts do on the web pages: one
    expert per proposal of the `SmallEvaluation` call (ALPHA: Lea, BETA: Max), every report
    and consensus with ``SMALL_SCORES``, the one expert as rapporteur. The pool must be in
    (`add_pool`); the call is not ranked."""
    panel = assignment.assign_experts(
        session, olga, call_id, per_proposal=1, max_load=2, now=now, today=now.date()
    )
    for a in panel.assignments:
        relevance, impact = SMALL_SCORES[a.proposal.acronym]
        typed = evaluation.Scored(
            {"relevance": relevance, "impact": impact},
            {"relevance": "Clear.", "impact": "Sound."},
        )
        evaluation.submit_report(
            session, a.expert.user, a.proposal_id, typed, now=now, today=now.date()
        )
        evaluation.choose_rapporteur(session, olga, a.proposal_id, a.id, today=now.date())
        evaluation.submit_consensus(
            session, a.expert.user, a.proposal_id, typed, now=now, today=now.date()
        )
