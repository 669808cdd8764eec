"""Queries on funded projects and participations (bulk writes for the CORDIS import)."""

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from clusterbridge.db.models import Participation, Project

#: Ids per ``IN (...)`` list.
CHUNK = 500


def grant_ids(session: Session) -> dict[str, int]:
    """Grant agreement number → id of every project."""
    statement = sa.select(Project.grant_id, Project.id)
    return {row[0]: row[1] for row in session.execute(statement)}


def insert_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert projects from plain column dicts in one executemany."""
    if rows:
        session.execute(sa.insert(Project).execution_options(render_nulls=True), list(rows))


def update_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Update projects by ``id`` from plain column dicts in one executemany."""
    if rows:
        session.execute(sa.update(Project), list(rows))


def replace_participations(
    session: Session, project_ids: Sequence[int], rows: Sequence[dict[str, Any]]
) -> None:
    """Delete every participation in these projects, then insert ``rows`` (one executemany)."""
    for start in range(0, len(project_ids), CHUNK):
        chunk = list(project_ids[start : start + CHUNK])
        statement = sa.delete(Participation).where(Participation.project_id.in_(chunk))
        session.execute(statement, execution_options={"synchronize_session": False})
    if rows:
        session.execute(sa.insert(Participation).execution_options(render_nulls=True), list(rows))


def participations_of(session: Session, organisation_id: int) -> list[Participation]:
    """An organisation's participations with their projects, newest project first."""
    statement = (
        sa.select(Participation)
        .join(Project)
        .where(Participation.organisation_id == organisation_id)
        .options(joinedload(Participation.project))
        .order_by(Project.start_date.desc().nulls_last(), Project.id.desc())
    )
    return list(session.scalars(statement))


def count_projects(session: Session) -> int:
    """How many projects exist."""
    return session.scalar(sa.select(sa.func.count()).select_from(Project)) or 0


def projects_with_since(
    session: Session, organisation_ids: Sequence[int], since: date
) -> list[Project]:
    """The projects any of these organisations took part in that had not ended before
    ``since`` (running ones included), with every participation, oldest first."""
    if not organisation_ids:
        return []
    taking_part = sa.select(Participation.project_id).where(
        Participation.organisation_id.in_(sorted(set(organisation_ids)))
    )
    statement = (
        sa.select(Project)
        .where(Project.id.in_(taking_part))
        .where(sa.or_(Project.end_date.is_(None), Project.end_date >= since))
        .options(selectinload(Project.participations))
        .order_by(Project.start_date.nulls_first(), Project.id)
    )
    return list(session.scalars(statement))
