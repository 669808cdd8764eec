"""Queries of a project's analysis: its findings with their evidence, its recommendations with
the findings they cite, its documents, and the partners' items a finding may cite."""

from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from clusterbridge.db.models import (
    AnalysisDocument,
    DigitalMaturityAssessment,
    Finding,
    Organisation,
    Outcome,
    ReadinessQuestion,
    Recommendation,
    RecommendationFinding,
)


def findings(session: Session, project_id: int) -> list[Finding]:
    """The project's findings with their evidence, in their order."""
    statement = (
        sa.select(Finding)
        .where(Finding.project_id == project_id)
        .options(selectinload(Finding.evidence))
        .order_by(Finding.position, Finding.id)
    )
    return list(session.scalars(statement))


def finding(session: Session, project_id: int, finding_id: int) -> Finding | None:
    """One finding of the project, with its evidence."""
    statement = (
        sa.select(Finding)
        .where(Finding.id == finding_id, Finding.project_id == project_id)
        .options(selectinload(Finding.evidence))
    )
    return session.scalars(statement).one_or_none()


def recommendations(session: Session, project_id: int) -> list[Recommendation]:
    """The project's recommendations with the findings they cite, in their order."""
    statement = (
        sa.select(Recommendation)
        .where(Recommendation.project_id == project_id)
        .options(selectinload(Recommendation.findings))
        .order_by(Recommendation.position, Recommendation.id)
    )
    return list(session.scalars(statement))


def recommendation(
    session: Session, project_id: int, recommendation_id: int
) -> Recommendation | None:
    """One recommendation of the project, with the findings it cites."""
    statement = (
        sa.select(Recommendation)
        .where(Recommendation.id == recommendation_id, Recommendation.project_id == project_id)
        .options(selectinload(Recommendation.findings))
    )
    return session.scalars(statement).one_or_none()


def citing_recommendations(session: Session, finding_id: int) -> list[int]:
    """The ids of the recommendations citing a finding."""
    statement = (
        sa.select(RecommendationFinding.recommendation_id)
        .where(RecommendationFinding.finding_id == finding_id)
        .order_by(RecommendationFinding.recommendation_id)
    )
    return list(session.scalars(statement))


def documents(session: Session, project_id: int) -> list[AnalysisDocument]:
    """The project's documents (without their content), newest first."""
    statement = (
        sa.select(AnalysisDocument)
        .where(AnalysisDocument.project_id == project_id)
        .order_by(AnalysisDocument.uploaded_at.desc(), AnalysisDocument.id.desc())
    )
    return list(session.scalars(statement))


def document(session: Session, project_id: int, document_id: int) -> AnalysisDocument | None:
    """One document of the project (its content loads when read)."""
    found = session.get(AnalysisDocument, document_id)
    return found if found is not None and found.project_id == project_id else None


def maturity_assessments(
    session: Session, organisation_ids: Collection[int]
) -> list[tuple[DigitalMaturityAssessment, str]]:
    """The digital maturity assessments of the organisations with the organisation's name,
    newest first."""
    statement = (
        sa.select(DigitalMaturityAssessment, Organisation.name)
        .join(Organisation, Organisation.id == DigitalMaturityAssessment.organisation_id)
        .where(DigitalMaturityAssessment.organisation_id.in_(organisation_ids))
        .order_by(DigitalMaturityAssessment.taken_at.desc(), DigitalMaturityAssessment.id.desc())
    )
    return [(row[0], row[1]) for row in session.execute(statement)]


def answered_questions(
    session: Session, organisation_ids: Collection[int]
) -> list[ReadinessQuestion]:
    """The answered readiness questions of the organisations."""
    statement = sa.select(ReadinessQuestion).where(
        ReadinessQuestion.organisation_id.in_(organisation_ids),
        ReadinessQuestion.level.is_not(None),
    )
    return list(session.scalars(statement))


def outcomes(session: Session, organisation_ids: Collection[int]) -> list[Outcome]:
    """The outcomes the organisations answered, newest first."""
    statement = (
        sa.select(Outcome)
        .where(Outcome.organisation_id.in_(organisation_ids))
        .order_by(Outcome.recorded_at.desc(), Outcome.id.desc())
    )
    return list(session.scalars(statement))


def organisation_names(session: Session, organisation_ids: Collection[int]) -> dict[int, str]:
    """The names of the organisations, by id."""
    statement = sa.select(Organisation.id, Organisation.name).where(
        Organisation.id.in_(organisation_ids)
    )
    return {row[0]: row[1] for row in session.execute(statement)}
