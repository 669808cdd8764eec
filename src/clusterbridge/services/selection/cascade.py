"""Cascade funding (issue 18, part 7; ADR 0026): a Eurocluster's open call to SMEs (a call of
kind ``cascade``) takes short applications, each by one registry organisation that is an SME
and that the applicant may edit, instead of a consortium.

- **The maximum per SME** is the call's maximum grant (``grant_max_eur`` of its file): what one
  organisation asks of the call in all its applications not withdrawn, drafts included, may not
  exceed it; checked when an application is saved and when it is submitted.
- **Eligibility** is the call's rules checked on a one-partner consortium: the SME as its
  coordinator (rules about several partners then fail or are unknown, as they would for any
  consortium of one).
- **The same activity funded twice**: at ranking, an application is out when its organisation
  was already funded (selected in another call whose selection is published) for an activity
  whose words (title and summary) are similar to this one's by the matching engine's text
  weighting, with a cosine of ``SAME_ACTIVITY`` or more; the reason states the grant the other
  call awarded (ADR 0032). Within one call, the maximum per SME already bounds what an SME can
  get.
"""

import math
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation, ProgrammeCall, Proposal, ProposalDecision, User
from clusterbridge.db.repositories import organisations as organisation_repository
from clusterbridge.db.repositories import selection as repository
from clusterbridge.domain import consortium as snapshot
from clusterbridge.domain.enums import CallKind, Role
from clusterbridge.domain.errors import InputIssue
from clusterbridge.domain.money import format_euros
from clusterbridge.engines.matching.text import count_words
from clusterbridge.services.consortia.consortia import registry_partner
from clusterbridge.services.registry.edit import can_edit

#: Two activities are the same from this cosine of their words' counts.
SAME_ACTIVITY = 0.5


def is_cascade(call: ProgrammeCall) -> bool:
    """Whether the call is a cascade call (applications by one SME)."""
    return call.kind is CallKind.CASCADE


def applicant_organisation(
    session: Session, actor: User, organisation_id: int | None
) -> tuple[Organisation | None, list[InputIssue]]:
    """The organisation an application to a cascade call comes from, or the reason it cannot:
    it must exist, be one ``actor`` may edit, and be an SME."""
    if organisation_id is None:
        return None, [InputIssue("", "organisation_id", "choose your organisation")]
    organisation = organisation_repository.get_row(session, organisation_id)
    if organisation is None or not can_edit(session, actor, organisation):
        reason = f"you may not edit organisation {organisation_id} (or there is none)"
        return None, [InputIssue("", "organisation_id", reason)]
    if organisation.is_sme is not True:
        reason = f"{organisation.name} is not recorded as an SME in the registry"
        return None, [InputIssue("", "organisation_id", reason)]
    return organisation, []


def applicant_smes(session: Session, actor: User) -> list[Organisation]:
    """The SMEs ``actor`` belongs to, by name: those an application can come from (the form's
    choices; an administrator may also name any SME by id through the API)."""
    return organisation_repository.smes_of_member(session, actor.id)


def sme_maximum_issues(
    session: Session,
    call: ProgrammeCall,
    organisation: Organisation,
    requested: Decimal,
    *,
    proposal_id: int | None,
) -> list[InputIssue]:
    """The reason the SME would ask for more than the call's maximum per SME with
    ``requested`` in this application (``proposal_id``, None for a new one), or none."""
    if call.max_grant is None:
        return []
    others = repository.requested_by_organisation(
        session, call.id, organisation.id, excluding=proposal_id
    )
    if others + requested <= call.max_grant:
        return []
    reason = (
        f"{organisation.name} would ask {format_euros(others + requested)} of this call in all, "
        f"more than its maximum of {format_euros(call.max_grant)} per SME"
    )
    if others:
        reason += f" ({format_euros(others)} in its other applications)"
    return [InputIssue("", "requested_grant", reason)]


def sme_consortium(organisation: Organisation) -> snapshot.Consortium:
    """The one-partner consortium the call's rules are checked on: the SME as coordinator."""
    partner = registry_partner(organisation, role=Role.COORDINATOR)
    return snapshot.Consortium(partners=(partner,), name=organisation.name)


def text_similarity(first: str, second: str) -> float:
    """The cosine of the two texts' word counts (the matching engine's words: folded, stop
    words left out), from 0 (no word shared) to 1 (the same words as often)."""
    a, b = count_words(first), count_words(second)
    dot = sum(count * b[word] for word, count in a.items())
    norm = math.sqrt(_square(a) * _square(b))
    return 0.0 if norm == 0 else dot / norm


def activity_text(proposal: Proposal) -> str:
    """The words of a proposal's activity: its title and summary."""
    return f"{proposal.title}\n{proposal.summary}"


def already_funded(
    proposal: Proposal, funded: Sequence[ProposalDecision], *, threshold: float = SAME_ACTIVITY
) -> str | None:
    """Why ``proposal`` is the same activity as one selected in ``funded`` (decisions with
    their proposals and calls) of the same organisation (the most similar one at or above
    ``threshold``), with the grant awarded there, or None."""
    text = activity_text(proposal)
    scored = [
        (text_similarity(text, activity_text(other.proposal)), other)
        for other in funded
        if other.proposal.organisation_id == proposal.organisation_id
        and other.proposal.id != proposal.id
    ]
    best = max(scored, key=lambda pair: (pair[0], -pair[1].proposal.id), default=None)
    if best is None or best[0] < threshold:
        return None
    similarity, decision = best
    other = decision.proposal
    return (
        f"already funded for this activity by call {other.call.identifier} "
        f"({other.acronym}, {format_euros(decision.awarded)} awarded, "
        f"similarity {similarity:.2f})"
    )


def double_funding(
    session: Session, call: ProgrammeCall, proposals: Sequence[Proposal]
) -> dict[int, str]:
    """The proposals of a cascade call already funded for their activity, with the reason, by
    proposal id (empty for a programme call)."""
    if not is_cascade(call):
        return {}
    organisations = {p.organisation_id for p in proposals if p.organisation_id is not None}
    if not organisations:
        return {}
    funded = repository.funded_decisions(session, organisations, excluding_call=call.id)
    found = {p.id: already_funded(p, funded) for p in proposals}
    return {key: reason for key, reason in found.items() if reason is not None}


def _square(counts: Counter[str]) -> int:
    return sum(count * count for count in counts.values())
