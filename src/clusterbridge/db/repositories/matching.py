"""Queries for partner matching: the registry as plain tuples, and the embedding cache."""

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    ClusterMembership,
    Organisation,
    OrganisationEcosystem,
    OrganisationEmbedding,
    OrganisationTechnology,
    Participation,
    Project,
)
from clusterbridge.db.repositories.organisations import CHUNK

#: The organisation columns matching reads, in this order.
ORGANISATION_COLUMNS = (
    Organisation.id,
    Organisation.pic,
    Organisation.name,
    Organisation.country,
    Organisation.type,
    Organisation.sme_profile,
    Organisation.nuts,
    Organisation.category_2021_2027,
    Organisation.description,
    Organisation.profile,
    Organisation.legal_entity,
    Organisation.eccp_registered,
)


def organisation_rows(session: Session) -> list[tuple[Any, ...]]:
    """Every organisation as a tuple of ``ORGANISATION_COLUMNS``, in id order."""
    statement = sa.select(*ORGANISATION_COLUMNS).order_by(Organisation.id)
    return [tuple(row) for row in session.execute(statement)]


def ecosystem_pairs(session: Session) -> list[tuple[int, str]]:
    """(organisation id, ecosystem) of every organisation."""
    statement = sa.select(OrganisationEcosystem.organisation_id, OrganisationEcosystem.ecosystem)
    return [(row[0], row[1]) for row in session.execute(statement)]


def technology_rows(session: Session) -> list[tuple[int, str, str, str | None, str | None]]:
    """(organisation id, direction, label, code, evidence) of every technology."""
    statement = sa.select(
        OrganisationTechnology.organisation_id,
        OrganisationTechnology.direction,
        OrganisationTechnology.label,
        OrganisationTechnology.code,
        OrganisationTechnology.evidence,
    ).order_by(OrganisationTechnology.id)
    return [(row[0], row[1], row[2], row[3], row[4]) for row in session.execute(statement)]


def membership_pairs(session: Session) -> list[tuple[int, int]]:
    """(member id, cluster id) of every cluster membership."""
    statement = sa.select(ClusterMembership.member_id, ClusterMembership.cluster_id)
    return [(row[0], row[1]) for row in session.execute(statement)]


def participation_pairs(session: Session) -> list[tuple[int, int]]:
    """(organisation id, project id) of every participation, each pair once."""
    statement = sa.select(Participation.organisation_id, Participation.project_id).distinct()
    return [(row[0], row[1]) for row in session.execute(statement)]


def project_rows(session: Session) -> list[tuple[int, str, str, str, str]]:
    """(id, acronym, title, keywords, objective) of every project."""
    statement = sa.select(
        Project.id, Project.acronym, Project.title, Project.keywords, Project.objective
    )
    return [(row[0], row[1], row[2], row[3], row[4]) for row in session.execute(statement)]


def embeddings_of(session: Session, model: str) -> dict[int, tuple[str, int, bytes]]:
    """organisation id → (content hash, dimension, vector bytes) cached for ``model``."""
    statement = sa.select(
        OrganisationEmbedding.organisation_id,
        OrganisationEmbedding.content_hash,
        OrganisationEmbedding.dimension,
        OrganisationEmbedding.vector,
    ).where(OrganisationEmbedding.model == model)
    return {row[0]: (row[1], row[2], row[3]) for row in session.execute(statement)}


def save_embeddings(session: Session, model: str, rows: Sequence[dict[str, Any]]) -> None:
    """Replace the cached vectors of these organisations for ``model`` (dicts with
    ``organisation_id``, ``content_hash``, ``dimension``, ``vector``, ``updated_at``)."""
    ids = [row["organisation_id"] for row in rows]
    delete_embeddings(session, model, ids)
    for start in range(0, len(rows), CHUNK):
        chunk = [row | {"model": model} for row in rows[start : start + CHUNK]]
        session.execute(sa.insert(OrganisationEmbedding), chunk)


def delete_embeddings(session: Session, model: str, ids: Iterable[int]) -> None:
    """Forget the vectors of these organisations for ``model``."""
    wanted = list(ids)
    for start in range(0, len(wanted), CHUNK):
        statement = sa.delete(OrganisationEmbedding).where(
            OrganisationEmbedding.model == model,
            OrganisationEmbedding.organisation_id.in_(wanted[start : start + CHUNK]),
        )
        session.execute(statement, execution_options={"synchronize_session": False})
