"""Conflicts of interest between experts and proposals, found from the data, each with its
reason.

The three kinds issue 18 (item 3) asks for: the expert's organisation is in the
consortium; the expert's organisation and a consortium member took part in the same project
that ran during the last 3 years (``LOOKBACK_YEARS``) before the reference date; a conflict the
expert declared. Two more come from the expert's account: they submitted the proposal, or
their account is a user of an organisation of the consortium (of the applying SME), whatever
organisation they said they work for. EU programmes treat employment by an applicant as a conflict ("is employed or
contracted by one of the … partners", https://dih-hero.eu/conflict-of-interest-with-dih-hero-core-partners/);
the three-year window for collaborations is the issue's setting (the EU expert contract's own
wording was not retrieved).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

#: A joint project counts when it ran during this many years before the reference date.
LOOKBACK_YEARS = 3


class ConflictKind(StrEnum):
    """Why an expert may not evaluate a proposal."""

    APPLICANT = "applicant"
    SAME_ORGANISATION = "same_organisation"
    MEMBER = "member"
    JOINT_PROJECT = "joint_project"
    DECLARED = "declared"


#: How a conflict's reason names a partner of a consortium's proposal.
CONSORTIUM_MEMBER = "a member of the consortium"
#: How it names the SME that sends an application to a call for SMEs.
APPLYING_SME = "the applying SME"


@dataclass(frozen=True, slots=True)
class Member:
    """A consortium member: its registry id, name and what it is to the proposal, in the
    words of the reasons (``CONSORTIUM_MEMBER`` or ``APPLYING_SME``)."""

    id: str
    name: str
    role: str = CONSORTIUM_MEMBER


@dataclass(frozen=True, slots=True)
class Project:
    """A project the expert's organisation took part in: its acronym, when it ran (``end``
    ``None``: still running) and the ids of all its participants."""

    acronym: str
    start: date
    end: date | None
    participants: frozenset[str]


@dataclass(frozen=True, slots=True)
class Declared:
    """A conflict the expert declared for a proposal, in their words."""

    proposal: str
    statement: str


@dataclass(frozen=True, slots=True)
class ExpertFacts:
    """What conflicts are found from: the expert's organisation (id, ``None`` when
    independent), the projects it took part in, the expert's declarations, and, for an
    expert with an account, the account (``account``, compared with a proposal's applicant)
    and the organisations it is a user of (``memberships``, ids, whatever organisation the
    expert says they work for)."""

    id: str
    organisation: str | None = None
    projects: tuple[Project, ...] = ()
    declared: tuple[Declared, ...] = ()
    account: str | None = None
    memberships: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ProposalFacts:
    """A proposal, its consortium and the account of the applicant who submitted it."""

    id: str
    members: tuple[Member, ...]
    applicant: str | None = None


@dataclass(frozen=True, slots=True)
class Conflict:
    """One conflict of interest and its reason in words."""

    expert: str
    proposal: str
    kind: ConflictKind
    reason: str


def detect_conflicts(
    experts: Sequence[ExpertFacts], proposals: Sequence[ProposalFacts], *, on: date
) -> tuple[Conflict, ...]:
    """Every conflict between the experts and the proposals, as of the date ``on`` (the
    window of joint projects ends there). In the order of the experts, then the proposals,
    then the kinds; a pair may have several conflicts."""
    holders: dict[str, list[tuple[ProposalFacts, Member]]] = defaultdict(list)
    for proposal in proposals:
        for member in proposal.members:
            holders[member.id].append((proposal, member))
    known = {p.id for p in proposals}
    found: list[Conflict] = []
    for expert in experts:
        found += (
            Conflict(expert.id, p.id, ConflictKind.APPLICANT, "submitted the proposal")
            for p in proposals
            if expert.account is not None and p.applicant == expert.account
        )
        found += _organisation(expert, holders)
        found += _memberships(expert, holders)
        found += _projects(expert, holders, on=on)
        found += (
            Conflict(expert.id, d.proposal, ConflictKind.DECLARED, f"declared: {d.statement}")
            for d in expert.declared
            if d.proposal in known
        )
    order = {p.id: i for i, p in enumerate(proposals)}
    kinds = list(ConflictKind)
    expert_order = {e.id: i for i, e in enumerate(experts)}
    return tuple(
        sorted(
            found,
            key=lambda c: (expert_order[c.expert], order[c.proposal], kinds.index(c.kind)),
        )
    )


def _organisation(
    expert: ExpertFacts, holders: dict[str, list[tuple[ProposalFacts, Member]]]
) -> Iterable[Conflict]:
    if expert.organisation is None:
        return
    for proposal, member in holders.get(expert.organisation, ()):
        reason = f"works for {member.name}, {member.role}"
        yield Conflict(expert.id, proposal.id, ConflictKind.SAME_ORGANISATION, reason)


def _memberships(
    expert: ExpertFacts, holders: dict[str, list[tuple[ProposalFacts, Member]]]
) -> Iterable[Conflict]:
    for organisation in sorted(expert.memberships - {expert.organisation}):
        for proposal, member in holders.get(organisation, ()):
            reason = f"is a user of {member.name}, {member.role}"
            yield Conflict(expert.id, proposal.id, ConflictKind.MEMBER, reason)


def _projects(
    expert: ExpertFacts, holders: dict[str, list[tuple[ProposalFacts, Member]]], *, on: date
) -> Iterable[Conflict]:
    since = years_before(on, LOOKBACK_YEARS)
    seen: set[tuple[str, str]] = set()
    for project in expert.projects:
        if project.start > on or (project.end is not None and project.end < since):
            continue
        for partner in sorted(project.participants - {expert.organisation}):
            for proposal, member in holders.get(partner, ()):
                if (proposal.id, member.id) in seen:
                    continue
                seen.add((proposal.id, member.id))
                yield Conflict(
                    expert.id, proposal.id, ConflictKind.JOINT_PROJECT,
                    f"their organisation worked with {member.name}, {member.role}, "
                    f"in the project {project.acronym} ({_ran(project)})",
                )  # fmt: skip


def _ran(project: Project) -> str:
    if project.end is None:
        return f"running since {project.start.isoformat()}"
    return f"{project.start.isoformat()} to {project.end.isoformat()}"


def years_before(day: date, years: int) -> date:
    """The same day ``years`` years earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
