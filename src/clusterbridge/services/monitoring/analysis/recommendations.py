"""A project's policy recommendations: to an audience (the EU, national or regional authorities,
cluster organisations), each resting on at least one of the project's findings, in an order
the managers choose."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from clusterbridge.db.models import Recommendation, User
from clusterbridge.db.repositories import analyses as repository
from clusterbridge.domain.analysis import MAX_LINKS, MAX_TEXT, Audience
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.monitoring.projects import ProjectNotFoundError, managed_project
from clusterbridge.services.text import required_text_reason


@dataclass(frozen=True, slots=True)
class RecommendationDraft:
    """What a user writes of a recommendation: its audience (a value of ``Audience``), its
    text and the ids of the findings it rests on."""

    audience: str
    text: str
    finding_ids: tuple[int, ...]


def _checked(
    session: Session, project_id: int, draft: RecommendationDraft
) -> tuple[Audience, list[int]]:
    issues = []
    audiences = {audience.value: audience for audience in Audience}
    if draft.audience not in audiences:
        issues.append(InputIssue("", "audience", "choose the EU, national, regional or cluster"))
    if reason := required_text_reason(draft.text, MAX_TEXT):
        issues.append(InputIssue("", "text", reason))
    cited = list(dict.fromkeys(draft.finding_ids))
    known = {finding.id for finding in repository.findings(session, project_id)}
    if not cited:
        issues.append(InputIssue("", "finding_ids", "cite at least one finding"))
    elif len(cited) > MAX_LINKS:
        issues.append(InputIssue("", "finding_ids", f"cite at most {MAX_LINKS} findings"))
    issues.extend(
        InputIssue(str(finding_id), "finding_ids", "is not a finding of this project")
        for finding_id in cited
        if finding_id not in known
    )
    if issues:
        raise InvalidInputError("The recommendation was not saved", issues)
    return audiences[draft.audience], cited


def _apply(
    session: Session,
    recommendation: Recommendation,
    audience: Audience,
    text: str,
    cited: list[int],
) -> None:
    findings = {f.id: f for f in repository.findings(session, recommendation.project_id)}
    recommendation.audience = audience
    recommendation.text = text.strip()
    recommendation.findings = [findings[finding_id] for finding_id in cited]


def create_recommendation(
    session: Session, actor: User, project_id: int, draft: RecommendationDraft
) -> Recommendation:
    """Add a recommendation at the end of the project's list, after checking every field
    (``InvalidInputError``: the audience, the text, the findings cited). Flushes."""
    project = managed_project(session, actor, project_id)
    audience, cited = _checked(session, project.id, draft)
    position = len(repository.recommendations(session, project.id))
    recommendation = Recommendation(project_id=project.id, position=position)
    _apply(session, recommendation, audience, draft.text, cited)
    session.add(recommendation)
    session.flush()
    return recommendation


def update_recommendation(
    session: Session,
    actor: User,
    project_id: int,
    recommendation_id: int,
    draft: RecommendationDraft,
) -> Recommendation:
    """Change a recommendation's audience, text and findings (checked as when created; its
    place stays). Flushes."""
    recommendation = _own(session, actor, project_id, recommendation_id)
    audience, cited = _checked(session, recommendation.project_id, draft)
    _apply(session, recommendation, audience, draft.text, cited)
    session.flush()
    return recommendation


def delete_recommendation(
    session: Session, actor: User, project_id: int, recommendation_id: int
) -> None:
    """Delete a recommendation (the findings it cites stay). Flushes."""
    session.delete(_own(session, actor, project_id, recommendation_id))
    session.flush()


def reorder_recommendations(
    session: Session, actor: User, project_id: int, recommendation_ids: Sequence[int]
) -> list[Recommendation]:
    """Put the project's recommendations in the order of ``recommendation_ids``, which must
    name each of them once (``InvalidInputError`` naming ``recommendation_ids``). Flushes."""
    project = managed_project(session, actor, project_id)
    by_id = {r.id: r for r in repository.recommendations(session, project.id)}
    if sorted(recommendation_ids) != sorted(by_id):
        reason = "must name each of the project's recommendations once"
        issue = InputIssue("", "recommendation_ids", reason)
        raise InvalidInputError("The order was not saved", [issue])
    for position, recommendation_id in enumerate(recommendation_ids):
        by_id[recommendation_id].position = position
    session.flush()
    return [by_id[recommendation_id] for recommendation_id in recommendation_ids]


def _own(session: Session, actor: User, project_id: int, recommendation_id: int) -> Recommendation:
    project = managed_project(session, actor, project_id)
    recommendation = repository.recommendation(session, project.id, recommendation_id)
    if recommendation is None:
        raise ProjectNotFoundError("No such recommendation in this project.")
    return recommendation
