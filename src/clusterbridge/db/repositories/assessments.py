"""Queries of the self-assessments (readiness questions, labels, digital maturity)."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from clusterbridge.db.models import (
    ClusterLabel,
    DigitalMaturityAssessment,
    ImprovementArea,
    Organisation,
    OrganisationMember,
    OrganisationTechnology,
    ReadinessEvidence,
    ReadinessQuestion,
    User,
)
from clusterbridge.domain.enums import TechnologyDirection, ValueOrigin


def questions(session: Session, organisation_id: int) -> list[ReadinessQuestion]:
    """The organisation's readiness questions with their evidence (not its content), in order."""
    statement = (
        sa.select(ReadinessQuestion)
        .where(ReadinessQuestion.organisation_id == organisation_id)
        .options(selectinload(ReadinessQuestion.evidence))
        .order_by(ReadinessQuestion.position, ReadinessQuestion.id)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(statement))


def add_questions_once(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert readiness questions (column values by name), skipping any whose organisation
    already has a question of that key: another request may have copied them at the same
    moment. The database decides (``ON CONFLICT DO NOTHING``), so neither request fails."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(ReadinessQuestion).on_conflict_do_nothing(
        index_elements=[ReadinessQuestion.organisation_id, ReadinessQuestion.key]
    )
    session.execute(statement, rows)


def question(session: Session, question_id: int) -> ReadinessQuestion | None:
    """One readiness question by id."""
    return session.get(ReadinessQuestion, question_id)


def evidence(session: Session, evidence_id: int) -> ReadinessEvidence | None:
    """One evidence file with its question."""
    statement = (
        sa.select(ReadinessEvidence)
        .where(ReadinessEvidence.id == evidence_id)
        .options(
            selectinload(ReadinessEvidence.question), sa.orm.undefer(ReadinessEvidence.content)
        )
    )
    return session.scalars(statement).one_or_none()


def improvement_areas(session: Session, organisation_id: int) -> list[ImprovementArea]:
    """The organisation's improvement areas, soonest due first (undated last)."""
    statement = (
        sa.select(ImprovementArea)
        .where(ImprovementArea.organisation_id == organisation_id)
        .order_by(ImprovementArea.due.is_(None), ImprovementArea.due, ImprovementArea.id)
    )
    return list(session.scalars(statement))


def labels(session: Session, organisation_id: int) -> list[ClusterLabel]:
    """The organisation's labels, latest expiry first."""
    statement = (
        sa.select(ClusterLabel)
        .where(ClusterLabel.organisation_id == organisation_id)
        .order_by(ClusterLabel.expires.desc(), ClusterLabel.id)
    )
    return list(session.scalars(statement))


def labels_expiring(session: Session, *, by: date) -> list[ClusterLabel]:
    """Labels expiring on or before ``by`` whose reminder has not gone out, soonest first."""
    statement = (
        sa.select(ClusterLabel)
        .where(ClusterLabel.expires <= by, ClusterLabel.reminded_at.is_(None))
        .order_by(ClusterLabel.expires, ClusterLabel.id)
    )
    return list(session.scalars(statement))


def organisation_users(session: Session, organisation_id: int) -> list[User]:
    """The active users who belong to the organisation."""
    statement = (
        sa.select(User)
        .join(OrganisationMember, OrganisationMember.user_id == User.id)
        .where(OrganisationMember.organisation_id == organisation_id, User.is_active)
        .order_by(User.email)
    )
    return list(session.scalars(statement))


def maturity_history(session: Session, organisation_id: int) -> list[DigitalMaturityAssessment]:
    """The organisation's digital maturity assessments with their scores, oldest first."""
    statement = (
        sa.select(DigitalMaturityAssessment)
        .where(DigitalMaturityAssessment.organisation_id == organisation_id)
        .options(selectinload(DigitalMaturityAssessment.scores))
        .order_by(DigitalMaturityAssessment.taken_at, DigitalMaturityAssessment.id)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(statement))


def has_declared_needs(session: Session, organisation_id: int) -> bool:
    """Whether the organisation declared any needed technology."""
    statement = sa.select(OrganisationTechnology.id).where(
        OrganisationTechnology.organisation_id == organisation_id,
        OrganisationTechnology.direction == TechnologyDirection.NEEDED,
        OrganisationTechnology.origin == ValueOrigin.DECLARED,
    )
    return session.scalars(statement.limit(1)).first() is not None


def needed_rows(session: Session, organisation_id: int) -> list[OrganisationTechnology]:
    """The organisation's needed technologies, any origin."""
    statement = sa.select(OrganisationTechnology).where(
        OrganisationTechnology.organisation_id == organisation_id,
        OrganisationTechnology.direction == TechnologyDirection.NEEDED,
    )
    return list(session.scalars(statement))


def organisation(session: Session, organisation_id: int) -> Organisation | None:
    """The organisation row (no collections)."""
    return session.get(Organisation, organisation_id)


def evidence_ids(session: Session, question_id: int) -> list[int]:
    """The ids of the evidence files of a question."""
    statement = sa.select(ReadinessEvidence.id).where(ReadinessEvidence.question_id == question_id)
    return list(session.scalars(statement))
