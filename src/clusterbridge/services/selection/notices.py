"""The selection letters: when the selection of a call is published, each applicant is mailed
their proposal's outcome, its reason and the address of its evaluation summary report; and the
receipt of a proposal when it is submitted."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import ProgrammeCall, Proposal, ProposalDecision
from clusterbridge.domain.enums import ProposalOutcome
from clusterbridge.domain.money import format_euros
from clusterbridge.services.mail import Mail, Mailer, queue_mail

#: What a letter says of each outcome.
OUTCOME_LINES = {
    ProposalOutcome.SELECTED: "Your proposal {acronym} is selected for funding: {grant}.",
    ProposalOutcome.RESERVE: (
        "Your proposal {acronym} is on the reserve list, in position {position} (rank {rank})."
    ),
    ProposalOutcome.OUT: "Your proposal {acronym} is not selected.",
}


@dataclass(frozen=True, slots=True)
class SelectionMail:
    """Where the selection letters go (``mailer``) and the site address their links start
    with."""

    mailer: Mailer
    public_url: str


def queue_letters(
    session: Session,
    mail: SelectionMail,
    call: ProgrammeCall,
    decisions: Sequence[ProposalDecision],
) -> None:
    """Queue one letter per decision to the proposal's applicant (active accounts only); the
    letters go when the session commits. ``decisions`` need their proposal and its applicant
    loaded."""
    letters = []
    for decision in decisions:
        proposal = decision.proposal
        applicant = proposal.applicant
        if applicant is None or not applicant.is_active:
            continue
        line = OUTCOME_LINES[decision.outcome].format(
            acronym=proposal.acronym,
            rank=decision.rank,
            position=decision.reserve_position,
            grant=grant_words(decision),
        )
        body = (
            f"Hello {applicant.name},\n\n"
            f"The evaluation of the call {call.identifier} ({call.title}) is complete.\n\n"
            f"{line}\nWhy: {decision.reason}.\n\n"
            "The evaluation summary report, with the experts' scores and comments:\n"
            f"{mail.public_url}/evaluation/proposals/{proposal.id}/summary.pdf\n"
        )
        subject = f"{call.identifier}: the outcome of {proposal.acronym}"
        letters.append(Mail((applicant.email,), subject, body))
    queue_mail(session, mail.mailer, letters)


def grant_words(decision: ProposalDecision) -> str:
    """The grant of a selected proposal as a letter states it: ``a grant of EUR 40,000``, and
    what was requested when the award is less (``(EUR 50,000 requested)``)."""
    requested = decision.proposal.requested_grant
    words = f"a grant of {format_euros(decision.awarded)}"
    if decision.awarded < requested:
        words += f" ({format_euros(requested)} requested)"
    return words


def queue_receipt(
    session: Session, mail: SelectionMail, proposal: Proposal, *, submitted: datetime
) -> None:
    """Queue the receipt of a submitted proposal to its applicant (an active account only):
    the call, the time of submission in the call's zone, the verdict frozen and the
    proposal's address. It goes when the session commits. ``proposal`` needs its call and
    applicant loaded."""
    applicant = proposal.applicant
    if applicant is None or not applicant.is_active:
        return
    call = proposal.call
    verdict = (proposal.eligibility or {}).get("verdict", "not checked")
    body = (
        f"Hello {applicant.name},\n\n"
        f"Your proposal {proposal.acronym} ({proposal.title}) to the call {call.identifier} "
        f"was submitted on {submitted:%d %B %Y at %H:%M} ({call.time_zone}).\n\n"
        f"The eligibility check at submission: {verdict}.\n\n"
        f"Its page: {mail.public_url}/proposals/{proposal.id}\n"
    )
    subject = f"{call.identifier}: {proposal.acronym} is submitted"
    queue_mail(session, mail.mailer, [Mail((applicant.email,), subject, body)])
