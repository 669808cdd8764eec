"""Conflicts of interest found from the registry: experts and consortia named by PIC, the
projects of the experts' organisations from the CORDIS data, and the experts' declarations.

The file of ``clusterbridge selection conflicts``::

    {"experts": [{"id": "ana", "organisation": "999999999",
                  "declared": [{"proposal": "P2", "statement": "..."}]}],
     "proposals": [{"id": "P1", "members": ["999999998", "999999997"]}]}

``organisation`` may be left out or ``null`` for an independent expert.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation
from clusterbridge.db.models import Project as ProjectRow
from clusterbridge.db.repositories import organisations as organisation_repository
from clusterbridge.db.repositories import projects as project_repository
from clusterbridge.engines.selection.conflicts import (
    LOOKBACK_YEARS,
    Conflict,
    Declared,
    ExpertFacts,
    Member,
    Project,
    ProposalFacts,
    detect_conflicts,
    years_before,
)
from clusterbridge.services.selection.files import ABSENT, Issues, load_document


@dataclass(frozen=True, slots=True)
class _ExpertEntry:
    id: str
    pic: str | None
    declared: tuple[Declared, ...]


@dataclass(frozen=True, slots=True)
class _ProposalEntry:
    id: str
    pics: tuple[str, ...]


def read_conflicts_file(session: Session, path: Path, *, on: date) -> tuple[Conflict, ...]:
    """The conflicts of interest of the experts and proposals of a ``selection conflicts``
    file as of ``on``; every unknown PIC or malformed field is an `InvalidInputError` naming
    its place. Reads the registry only."""
    return find_conflicts(session, load_document(path), source=path.name, on=on)


def find_conflicts(
    session: Session, document: object, *, source: str, on: date
) -> tuple[Conflict, ...]:
    """The conflicts of a parsed document (see the module) as of ``on``."""
    issues = Issues()
    doc = issues.fields(
        document, "", known={"experts", "proposals"}, required={"experts", "proposals"}
    )
    experts = list(_experts(issues, doc.get("experts", [])))
    proposals = list(_proposals(issues, doc.get("proposals", [])))
    issues.raise_if_any(source, "conflicts file")
    pics = {e.pic for e in experts if e.pic} | {p for entry in proposals for p in entry.pics}
    known = {o.pic: o for o in organisation_repository.list_by_pics(session, pics) if o.pic}
    _unknown_pics(issues, experts, proposals, known)
    _unknown_declared(issues, experts, {p.id for p in proposals})
    issues.raise_if_any(source, "conflicts file")
    since = years_before(on, LOOKBACK_YEARS)
    expert_orgs = [known[e.pic].id for e in experts if e.pic]
    projects = project_repository.projects_with_since(session, expert_orgs, since)
    return detect_conflicts(
        [_expert_facts(e, known, projects) for e in experts],
        [
            ProposalFacts(
                p.id, tuple(Member(str(known[pic].id), known[pic].name) for pic in p.pics)
            )
            for p in proposals
        ],
        on=on,
    )


def conflicts_to_dict(conflicts: Sequence[Conflict]) -> dict[str, Any]:
    """``{"conflicts": [{"expert", "proposal", "kind", "reason"}]}``."""
    return {
        "conflicts": [
            {"expert": c.expert, "proposal": c.proposal, "kind": str(c.kind), "reason": c.reason}
            for c in conflicts
        ]
    }


def _experts(issues: Issues, value: object) -> Iterator[_ExpertEntry]:
    for number, item in enumerate(issues.items(value, "experts")):
        place = f"experts[{number}]"
        fields = issues.fields(
            item, place, known={"id", "organisation", "declared"}, required={"id"}
        )
        if not fields:
            continue
        pic = fields.get("organisation")
        declared = []
        for n, entry in enumerate(issues.items(fields.get("declared", []), f"{place}.declared")):
            where = f"{place}.declared[{n}]"
            said = issues.fields(
                entry, where, known={"proposal", "statement"}, required={"proposal", "statement"}
            )
            if said:
                declared.append(
                    Declared(
                        issues.text(said.get("proposal", ABSENT), f"{where}.proposal"),
                        issues.text(said.get("statement", ABSENT), f"{where}.statement"),
                    )
                )
        yield _ExpertEntry(
            issues.text(fields.get("id", ABSENT), f"{place}.id"),
            None if pic is None else issues.text(pic, f"{place}.organisation"),
            tuple(declared),
        )


def _proposals(issues: Issues, value: object) -> Iterator[_ProposalEntry]:
    for number, item in enumerate(issues.items(value, "proposals")):
        place = f"proposals[{number}]"
        fields = issues.fields(item, place, known={"id", "members"}, required={"id", "members"})
        if not fields:
            continue
        members = issues.items(fields.get("members", []), f"{place}.members")
        yield _ProposalEntry(
            issues.text(fields.get("id", ABSENT), f"{place}.id"),
            tuple(issues.text(pic, f"{place}.members[{n}]") for n, pic in enumerate(members)),
        )


def _unknown_pics(
    issues: Issues,
    experts: Sequence[_ExpertEntry],
    proposals: Sequence[_ProposalEntry],
    known: dict[str, Organisation],
) -> None:
    missing = "no organisation with the PIC {} in the registry"
    for number, expert in enumerate(experts):
        if expert.pic is not None and expert.pic not in known:
            issues.add(f"experts[{number}].organisation", missing.format(expert.pic))
    for number, proposal in enumerate(proposals):
        for n, pic in enumerate(proposal.pics):
            if pic not in known:
                issues.add(f"proposals[{number}].members[{n}]", missing.format(pic))


def _unknown_declared(issues: Issues, experts: Sequence[_ExpertEntry], ids: set[str]) -> None:
    for number, expert in enumerate(experts):
        for n, said in enumerate(expert.declared):
            if said.proposal not in ids:
                where = f"experts[{number}].declared[{n}].proposal"
                issues.add(where, f'"{said.proposal}" is not a proposal of the file')


def _expert_facts(
    expert: _ExpertEntry, known: dict[str, Organisation], projects: Sequence[ProjectRow]
) -> ExpertFacts:
    if expert.pic is None:
        return ExpertFacts(expert.id, declared=expert.declared)
    organisation = known[expert.pic].id
    own = projects_of(organisation, projects)
    return ExpertFacts(expert.id, str(organisation), own, expert.declared)


def projects_of(organisation_id: int, projects: Sequence[ProjectRow]) -> tuple[Project, ...]:
    """The projects of ``projects`` (participations loaded) that the organisation took part
    in, as the conflicts engine reads them: named by acronym, else grant id; a project with
    no start date counts as started on ``date.min``. Reads nothing more."""
    return tuple(
        Project(
            row.acronym or row.grant_id,
            row.start_date or date.min,
            row.end_date,
            frozenset(str(p.organisation_id) for p in row.participations),
        )
        for row in projects
        if any(p.organisation_id == organisation_id for p in row.participations)
    )
