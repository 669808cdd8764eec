"""The pool of experts and their conflicts of interest with a call's proposals (the fit of
their expertise: ``fit``).

Conflicts are found by ``engines.selection.conflicts`` from the registry: the expert's
organisation in the consortium (as submitted, ``members_of``), the expert's account as the
proposal's applicant or as a user of an organisation of the consortium, a joint project with
a consortium member during the last 3 years (CORDIS participations), and the conflicts experts
declared.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    EvaluationAssignment,
    Expert,
    ExpertDeclaration,
    Proposal,
    User,
)
from clusterbridge.db.models import Project as ProjectRow
from clusterbridge.db.repositories import evaluation as repository
from clusterbridge.db.repositories import organisations as organisation_repository
from clusterbridge.db.repositories import projects as project_repository
from clusterbridge.db.repositories import users as user_repository
from clusterbridge.domain.enums import ProposalState
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.engines.selection.conflicts import (
    APPLYING_SME,
    LOOKBACK_YEARS,
    Conflict,
    ConflictKind,
    Declared,
    ExpertFacts,
    Member,
    ProposalFacts,
    detect_conflicts,
    years_before,
)
from clusterbridge.reference import industrial_ecosystems, unknown_ecosystems_reason
from clusterbridge.services.registry.fields import PIC_PATTERN, technology_code
from clusterbridge.services.selection.access import (
    EvaluationNotFoundError,
    EvaluationStateError,
    require_officer,
    require_unpublished,
)
from clusterbridge.services.selection.conflicts import projects_of

#: The longest expertise text and list entry kept.
MAX_EXPERTISE = 4000
MAX_LABEL = 100


@dataclass(frozen=True, slots=True)
class ExpertForm:
    """What an officer types to put a user in the pool: the account's e-mail, the PIC of the
    organisation they work for (empty: independent), the expertise and comma-separated lists."""

    email: str
    organisation_pic: str = ""
    expertise: str = ""
    ecosystems: str = ""
    technologies: str = ""


def list_pool(session: Session, actor: User) -> list[Expert]:
    """The pool of experts (officers only)."""
    require_officer(actor, doing="see the pool of experts")
    return repository.list_experts(session)


def add_expert(session: Session, actor: User, form: ExpertForm) -> Expert:
    """Put an existing account in the pool, or update its expertise when it is there already.
    Every mistake is an `InvalidInputError` naming its field. Writes one row."""
    require_officer(actor, doing="build the pool of experts")
    issues: list[InputIssue] = []
    user = _account(session, form.email, issues)
    organisation_id = _organisation_id(session, form.organisation_pic, issues)
    if len(form.expertise) > MAX_EXPERTISE:
        issues.append(
            InputIssue("", "expertise", too_long_reason(MAX_EXPERTISE, len(form.expertise)))
        )
    ecosystems = _ecosystems(_labels(form.ecosystems), issues)
    technologies = _technologies(_labels(form.technologies), issues)
    if issues or user is None:
        raise InvalidInputError("The expert cannot be added:", issues)
    expert = repository.expert_of_user(session, user.id) or Expert(user_id=user.id)
    expert.organisation_id = organisation_id
    expert.expertise = form.expertise.strip()
    expert.ecosystems = ecosystems
    expert.technologies = technologies
    session.add(expert)
    session.flush()
    return expert


def _account(session: Session, email: str, issues: list[InputIssue]) -> User | None:
    """The active account of ``email`` (None, with the reason added to ``issues``)."""
    address = email.strip().lower()
    user = user_repository.get_user_by_email(session, address) if address else None
    if user is None or not user.is_active:
        reason = "no active account has this address" if address else "is required"
        issues.append(InputIssue("", "email", reason))
        return None
    return user


def _organisation_id(session: Session, pic: str, issues: list[InputIssue]) -> int | None:
    """The id of the organisation with the PIC ``pic`` (None for none given, or with the
    reason added to ``issues``)."""
    pic = pic.strip()
    if not pic:
        return None
    if not PIC_PATTERN.match(pic):
        reason = f'"{pic}" is not a PIC: a PIC has exactly 9 digits'
        issues.append(InputIssue("", "organisation_pic", reason))
        return None
    organisation = organisation_repository.get_by_pic(session, pic)
    if organisation is None:
        issues.append(InputIssue("", "organisation_pic", "no such PIC"))
        return None
    return organisation.id


def _labels(text: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def _ecosystems(labels: list[str], issues: list[InputIssue]) -> list[str]:
    """The industrial ecosystems named by ``labels`` (each by its name, its ECCP label or its
    slug, in any case), as their names; an issue naming the unknown ones otherwise."""
    names = {
        key.casefold(): ecosystem.name
        for ecosystem in industrial_ecosystems()
        for key in (ecosystem.name, ecosystem.eccp_label, ecosystem.slug)
    }
    unknown = [label for label in labels if label.casefold() not in names]
    if unknown:
        reason = unknown_ecosystems_reason([_quote(label) for label in unknown])
        issues.append(InputIssue("", "ecosystems", reason))
    return list(dict.fromkeys(names[label.casefold()] for label in labels if not unknown))


def _technologies(labels: list[str], issues: list[InputIssue]) -> list[str]:
    """``labels`` when each is a term of the registry's technology vocabulary (a label, an
    alias or a code, `technology_code`); an issue naming the others otherwise."""
    unknown = [label for label in labels if technology_code(label) is None]
    if unknown:
        verb = "is" if len(unknown) == 1 else "are"
        reason = (
            f"{_quoted(unknown)} {verb} not in the technology vocabulary; use its labels or codes"
            " (as in the registry, e.g. ati-iot or Internet of Things)"
        )
        issues.append(InputIssue("", "technologies", reason))
    return labels


def _quote(label: str) -> str:
    return f'"{label[:MAX_LABEL]}"'


def _quoted(labels: list[str]) -> str:
    return ", ".join(_quote(label) for label in labels)


def declare_conflict(
    session: Session, user: User, proposal_id: int, statement: str
) -> ExpertDeclaration:
    """The signed-in expert declares a conflict with a proposal assigned to them: they are
    then off it. Their report on it, if written, is withdrawn (it no longer counts), and when
    they were its rapporteur the consensus, not yet submitted, waits for another one; the
    officer assigns again to replace them. A declaration is kept as it was: a second one for
    the same proposal is refused, and so is one once the proposal's consensus is submitted
    or the selection published (`EvaluationStateError`). Anyone else, and any other proposal:
    `EvaluationNotFoundError`. Writes one row, and clears the report and the rapporteur."""
    assignment = check_declaration(session, user, proposal_id, statement)
    declared = ExpertDeclaration(
        expert_id=assignment.expert_id, proposal_id=proposal_id, statement=statement.strip()
    )
    session.add(declared)
    _take_off(session, assignment)
    session.flush()
    return declared


def check_declaration(
    session: Session, user: User, proposal_id: int, statement: str
) -> EvaluationAssignment:
    """What `declare_conflict` would refuse, in its order and with its errors, without
    writing: the web's confirmation step shows only a declaration that would be taken. The
    expert's assignment to the proposal (its report and whether they are its rapporteur say
    what declaring withdraws)."""
    expert = repository.expert_of_user(session, user.id)
    proposal = repository.get_proposal(session, proposal_id)
    if expert is None or proposal is None:
        raise EvaluationNotFoundError("No such proposal among your assignments")
    earlier = repository.get_declaration(session, expert.id, proposal_id)
    if earlier is not None:
        raise EvaluationStateError(
            f"You already declared a conflict of interest with {proposal.acronym} "
            f'("{earlier.statement}"); it is kept as it was'
        )
    assignment = next(
        (a for a in repository.assignments_of_expert(session, expert.id)
         if a.proposal_id == proposal_id),
        None,
    )  # fmt: skip
    if assignment is None:
        raise EvaluationNotFoundError("No such proposal among your assignments")
    _check_statement(statement)
    _require_undecided(session, proposal)
    return assignment


def _check_statement(statement: str) -> None:
    """InvalidInputError naming ``statement`` when it is empty or longer than the limit (it is
    kept whole, never cut)."""
    reason = None
    if not statement.strip():
        reason = "is required: say what the conflict is"
    elif len(statement.strip()) > MAX_EXPERTISE:
        reason = too_long_reason(MAX_EXPERTISE, len(statement.strip()))
    if reason is not None:
        raise InvalidInputError(
            "The declaration is not valid:", [InputIssue("", "statement", reason)]
        )


def _require_undecided(session: Session, proposal: Proposal) -> None:
    """Refuse a declaration once the proposal's consensus is submitted or its call's
    selection published: the officer must then be told directly."""
    require_unpublished(repository.get_panel(session, proposal.call_id))
    consensus = repository.consensus_of_proposal(session, proposal.id)
    if consensus is not None and consensus.submitted_at is not None:
        raise EvaluationStateError(
            f"The consensus on {proposal.acronym} is submitted: tell the programme officer "
            "about the conflict"
        )


def _take_off(session: Session, assignment: EvaluationAssignment) -> None:
    """The expert's report no longer counts, and they are no longer rapporteur."""
    repository.clear_report(session, assignment)
    consensus = repository.consensus_of_proposal(session, assignment.proposal_id)
    if consensus is not None and consensus.rapporteur_id == assignment.id:
        session.delete(consensus)


def call_conflicts(
    session: Session, experts: Sequence[Expert], proposals: Sequence[Proposal], *, on: date
) -> tuple[Conflict, ...]:
    """Every conflict of interest between the experts and the proposals as of ``on``;
    experts and proposals are named by their ids as text. Besides the organisation the expert
    works for, the expert's account counts: the applicant who submitted a proposal, and the
    users of an organisation of its consortium (of its SME), conflict with it. Reads the
    registry."""
    since = years_before(on, LOOKBACK_YEARS)
    organisations = [e.organisation_id for e in experts if e.organisation_id is not None]
    projects = project_repository.projects_with_since(session, organisations, since)
    declared = repository.declarations_for(session, [p.id for p in proposals])
    memberships = repository.memberships_of(session, [e.user_id for e in experts])
    return detect_conflicts(
        [
            replace(
                _expert_facts(e, projects, declared),
                account=str(e.user_id),
                memberships=frozenset(str(o) for o in memberships.get(e.user_id, ())),
            )
            for e in experts
        ],
        [
            ProposalFacts(str(p.id), members_of(p), applicant=_text(p.applicant_id))
            for p in proposals
        ],
        on=on,
    )


@dataclass(frozen=True, slots=True)
class Off:
    """Why an assigned expert is off a proposal: the conflict they declared, or the
    conflicts found from the registry since they were assigned (``reason``, in words)."""

    declared: bool
    reason: str


def assigned_off(
    conflicts: Sequence[Conflict],
    assignments: Sequence[EvaluationAssignment],
    *,
    settled: Collection[int] = (),
) -> dict[tuple[int, int], Off]:
    """The assignments whose expert is off the proposal, by (expert id, proposal id): a
    declared conflict, or any conflict of interest ``call_conflicts`` finds now (the
    expert's organisation or account in the consortium, a joint project in the window),
    which takes them off with the same consequences: their report does not count, a new one
    is refused, they cannot be rapporteur and assigning again replaces them. A conflict found
    from the registry once the proposal's consensus is submitted (``settled``, proposal ids)
    does not undo it, as a declaration is refused then; it is left out. Pure."""
    assigned = {(a.expert_id, a.proposal_id) for a in assignments}
    found: dict[tuple[int, int], list[Conflict]] = {}
    for conflict in conflicts:
        pair = (int(conflict.expert), int(conflict.proposal))
        if pair in assigned:
            found.setdefault(pair, []).append(conflict)
    off = {}
    for pair, listed in found.items():
        declared = [c for c in listed if c.kind is ConflictKind.DECLARED]
        if declared:
            off[pair] = Off(True, declared[0].reason.removeprefix("declared: "))
        elif pair[1] not in settled:
            off[pair] = Off(False, "; ".join(c.reason for c in listed))
    return off


def proposal_off(
    session: Session,
    proposal: Proposal,
    assignments: Sequence[EvaluationAssignment],
    *,
    on: date,
    settled: bool,
) -> dict[int, Off]:
    """The experts off one proposal (`assigned_off`), by expert id, with conflicts as of
    ``on``; ``settled``: its consensus is submitted. The proposal's partners and the
    assignments' experts must be loaded. Reads the registry and the declarations."""
    experts = list({a.expert_id: a.expert for a in assignments}.values())
    conflicts = call_conflicts(session, experts, [proposal], on=on)
    off = assigned_off(conflicts, assignments, settled=[proposal.id] if settled else [])
    return {expert: why for (expert, _), why in off.items()}


def _text(key: int | None) -> str | None:
    return None if key is None else str(key)


def members_of(proposal: Proposal) -> tuple[Member, ...]:
    """The registry organisations of a proposal: its applicant organisation (to a cascade
    call, named "the applying SME" in the reasons) and the partners of its consortium; once it is sent, the partners as submitted
    (``Proposal.partners``, ADR 0037, whatever became of the consortium since); while it is
    a draft, the consortium's partners now (which the caller must have loaded with their
    organisations)."""
    members: dict[int, Member] = {}
    if proposal.organisation is not None:
        organisation = proposal.organisation
        members[organisation.id] = Member(str(organisation.id), organisation.name, APPLYING_SME)
    for organisation_id, name in _partner_organisations(proposal):
        members.setdefault(organisation_id, Member(str(organisation_id), name))
    return tuple(members.values())


def _partner_organisations(proposal: Proposal) -> list[tuple[int, str]]:
    if proposal.state is not ProposalState.DRAFT:
        return [(p.organisation_id, p.name) for p in proposal.partners if p.organisation_id]
    if proposal.consortium is None:
        return []
    return [
        (p.organisation.id, p.organisation.name)
        for p in proposal.consortium.partners
        if p.organisation is not None
    ]


def _expert_facts(
    expert: Expert, projects: Sequence[ProjectRow], declared: Sequence[ExpertDeclaration]
) -> ExpertFacts:
    statements = tuple(
        Declared(str(d.proposal_id), d.statement) for d in declared if d.expert_id == expert.id
    )
    organisation = expert.organisation_id
    if organisation is None:
        return ExpertFacts(str(expert.id), declared=statements)
    own = projects_of(organisation, projects)
    return ExpertFacts(str(expert.id), str(organisation), own, statements)
