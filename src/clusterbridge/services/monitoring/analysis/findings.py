"""A project's findings: opportunities and threats for SMEs adopting advanced technologies, each
with the technologies and ecosystems it concerns (from the shipped vocabularies), the SME
profile it concerns and the evidence it rests on (``evidence``).

The project's managers change them (``AccessDeniedError`` for programme officers); those who may
not see the project get ``ProjectNotFoundError``."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from clusterbridge.db.models import Finding, FindingEvidence, User
from clusterbridge.db.repositories import analyses as repository
from clusterbridge.domain.analysis import (
    MAX_LINKS,
    MAX_TEXT,
    MAX_TITLE,
    EvidenceKind,
    FindingKind,
)
from clusterbridge.domain.calendar import DEFAULT_TIME_ZONE
from clusterbridge.domain.enums import SmeProfile
from clusterbridge.domain.errors import ConflictError, InputIssue, InvalidInputError
from clusterbridge.reference import industrial_ecosystems
from clusterbridge.services.monitoring.analysis.evidence import RESOLVERS, scope_of
from clusterbridge.services.monitoring.projects import ProjectNotFoundError, managed_project
from clusterbridge.services.registry import vocabulary
from clusterbridge.services.text import required_text_reason


@dataclass(frozen=True, slots=True)
class FindingDraft:
    """What a user writes of a finding. ``technologies`` are vocabulary codes, ``ecosystems``
    ecosystem slugs; ``sme_profile`` None concerns every SME."""

    kind: FindingKind
    title: str
    text: str
    technologies: tuple[str, ...] = ()
    ecosystems: tuple[str, ...] = ()
    sme_profile: SmeProfile | None = None


def draft_issues(draft: FindingDraft) -> list[InputIssue]:
    """Every problem of ``draft``, naming its field. Pure (reads the shipped vocabularies)."""
    issues = []
    if reason := required_text_reason(draft.title, MAX_TITLE):
        issues.append(InputIssue("", "title", reason))
    if reason := required_text_reason(draft.text, MAX_TEXT):
        issues.append(InputIssue("", "text", reason))
    codes = {term.code for term in vocabulary()}
    slugs = {ecosystem.slug for ecosystem in industrial_ecosystems()}
    for field, given, known in (
        ("technologies", draft.technologies, codes),
        ("ecosystems", draft.ecosystems, slugs),
    ):
        if len(given) > MAX_LINKS:
            issues.append(InputIssue("", field, f"must have at most {MAX_LINKS} entries"))
        issues.extend(
            InputIssue(value, field, "is not in the shipped vocabulary")
            for value in dict.fromkeys(given)
            if value not in known
        )
    return issues


def _apply(finding: Finding, draft: FindingDraft) -> None:
    finding.kind = draft.kind
    finding.title = " ".join(draft.title.split())
    finding.text = draft.text.strip()
    finding.technologies = list(dict.fromkeys(draft.technologies))
    finding.ecosystems = list(dict.fromkeys(draft.ecosystems))
    finding.sme_profile = draft.sme_profile


def create_finding(session: Session, actor: User, project_id: int, draft: FindingDraft) -> Finding:
    """Add a finding at the end of the project's list, after checking every field
    (``InvalidInputError``). Flushes."""
    project = managed_project(session, actor, project_id)
    issues = draft_issues(draft)
    if issues:
        raise InvalidInputError("The finding was not saved", issues)
    existing = repository.findings(session, project.id)
    finding = Finding(project_id=project.id, position=len(existing), evidence=[])
    _apply(finding, draft)
    session.add(finding)
    session.flush()
    return finding


def update_finding(
    session: Session, actor: User, project_id: int, finding_id: int, draft: FindingDraft
) -> Finding:
    """Change a finding's fields (its evidence and place stay). Flushes."""
    finding = _own_finding(session, actor, project_id, finding_id)
    issues = draft_issues(draft)
    if issues:
        raise InvalidInputError("The finding was not saved", issues)
    _apply(finding, draft)
    session.flush()
    return finding


def delete_finding(session: Session, actor: User, project_id: int, finding_id: int) -> None:
    """Delete a finding with its evidence links; ``ConflictError`` while a recommendation
    cites it (a recommendation rests on at least one finding). Flushes."""
    finding = _own_finding(session, actor, project_id, finding_id)
    citing = repository.citing_recommendations(session, finding.id)
    if citing:
        raise ConflictError(
            "A recommendation rests on this finding: change the recommendation first."
        )
    session.delete(finding)
    session.flush()


def _own_finding(session: Session, actor: User, project_id: int, finding_id: int) -> Finding:
    project = managed_project(session, actor, project_id)
    finding = repository.finding(session, project.id, finding_id)
    if finding is None:
        raise ProjectNotFoundError("No such finding in this project.")
    return finding


def link_evidence(
    session: Session,
    actor: User,
    project_id: int,
    finding_id: int,
    *,
    kind: str,
    ref_id: int,
    today: date,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> FindingEvidence:
    """Cite an item as a finding's evidence, keeping its label as of ``today``. The item must be
    one the kind's resolver offers the actor in this project (its partners' items, the project's
    documents): ``InvalidInputError`` naming ``kind`` or ``ref_id`` otherwise; ``ConflictError``
    if the finding cites it already. Flushes."""
    finding = _own_finding(session, actor, project_id, finding_id)
    kinds = {known.value: known for known in EvidenceKind}
    resolver = RESOLVERS.get(kinds[kind]) if kind in kinds else None
    if resolver is None:
        reason = f'"{kind}" is not a kind of evidence a finding cites; use one of: '
        issue = InputIssue("", "kind", reason + ", ".join(RESOLVERS))
        raise InvalidInputError("The evidence was not linked", [issue])
    project = managed_project(session, actor, project_id)
    scope = scope_of(session, actor, project, today=today, time_zone=time_zone)
    key = resolver.resolve(scope, ref_id)
    if key is None:
        reason = "is not an item of the project's partners that you may cite"
        raise InvalidInputError("The evidence was not linked", [InputIssue("", "ref_id", reason)])
    if any(e.kind == key.kind and e.ref_id == key.ref_id for e in finding.evidence):
        raise ConflictError("The finding cites this evidence already.")
    if len(finding.evidence) >= MAX_LINKS:
        issue = InputIssue("", "ref_id", f"a finding cites at most {MAX_LINKS} items")
        raise InvalidInputError("The evidence was not linked", [issue])
    link = FindingEvidence(kind=key.kind, ref_id=key.ref_id, label=key.label, finding=finding)
    session.add(link)
    session.flush()
    return link


def unlink_evidence(
    session: Session, actor: User, project_id: int, finding_id: int, evidence_id: int
) -> None:
    """Remove one evidence link of a finding. Flushes."""
    finding = _own_finding(session, actor, project_id, finding_id)
    link = next((e for e in finding.evidence if e.id == evidence_id), None)
    if link is None:
        raise ProjectNotFoundError("The finding does not cite this evidence.")
    finding.evidence.remove(link)
    session.flush()


def reorder_findings(
    session: Session, actor: User, project_id: int, finding_ids: Sequence[int]
) -> list[Finding]:
    """Put the project's findings in the order of ``finding_ids``, which must name each of them
    once (``InvalidInputError`` naming ``finding_ids``). Flushes."""
    project = managed_project(session, actor, project_id)
    findings = repository.findings(session, project.id)
    by_id = {finding.id: finding for finding in findings}
    if sorted(finding_ids) != sorted(by_id):
        reason = "must name each of the project's findings once"
        raise InvalidInputError("The order was not saved", [InputIssue("", "finding_ids", reason)])
    for position, finding_id in enumerate(finding_ids):
        by_id[finding_id].position = position
    session.flush()
    return [by_id[finding_id] for finding_id in finding_ids]
