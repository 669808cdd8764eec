"""Queries for the derived parts of organisation profiles: technologies, ecosystems, SME profile.

Derived rows are replaced wholesale on every derivation; declared rows are never touched here,
and neither are the values a digital maturity assessment derived (their evidence starts with
``ASSESSMENT_EVIDENCE_PREFIX``): what the organisation stated, by declaring or by assessing
itself, is not overwritten by what its projects suggest.
"""

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation, OrganisationEcosystem, OrganisationTechnology
from clusterbridge.domain.assessment import ASSESSMENT_EVIDENCE_PREFIX
from clusterbridge.domain.enums import TechnologyDirection, ValueOrigin

#: Ids per ``IN (...)`` list: far below SQLite's and PostgreSQL's parameter limits.
CHUNK = 900


def declared_fields(session: Session, ids: Sequence[int]) -> dict[int, set[str]]:
    """The declared fields of the organisations ``ids`` that have any, and whether each one's
    SME profile was declared (as the pseudo-field ``sme_profile``)."""
    found: dict[int, set[str]] = {}
    for chunk in _chunks(ids):
        statement = sa.select(
            Organisation.id,
            Organisation.declared_fields,
            Organisation.sme_profile_origin,
            Organisation.sme_profile_evidence,
        ).where(Organisation.id.in_(chunk))
        for id_, fields, origin, evidence in session.execute(statement):
            names = set(fields or ())
            if origin == ValueOrigin.DECLARED or _assessed(evidence):
                names.add("sme_profile")
            if names:
                found[id_] = names
    return found


def declared_keys(session: Session, ids: Sequence[int]) -> tuple[set[Any], set[Any]]:
    """The declared ``(organisation_id, ecosystem)`` and ``(organisation_id, direction, label)``
    pairs of the organisations ``ids``: a derived row must not repeat them."""
    ecosystems: set[Any] = set()
    technologies: set[Any] = set()
    for chunk in _chunks(ids):
        declared = OrganisationEcosystem.origin == ValueOrigin.DECLARED
        ecosystems.update(
            (row[0], row[1])
            for row in session.execute(
                sa.select(OrganisationEcosystem.organisation_id, OrganisationEcosystem.ecosystem)
                .where(OrganisationEcosystem.organisation_id.in_(chunk))
                .where(declared)
            )
        )
        technologies.update(
            (row[0], row[1], row[2])
            for row in session.execute(
                sa.select(
                    OrganisationTechnology.organisation_id,
                    OrganisationTechnology.direction,
                    OrganisationTechnology.label,
                )
                .where(OrganisationTechnology.organisation_id.in_(chunk))
                .where(_stated(OrganisationTechnology))
            )
        )
    return ecosystems, technologies


def _assessed(evidence: str | None) -> bool:
    return (evidence or "").startswith(ASSESSMENT_EVIDENCE_PREFIX)


def _stated(model: type[OrganisationTechnology]) -> sa.ColumnElement[bool]:
    """Declared, or derived by a self-assessment."""
    by_assessment = model.evidence.startswith(ASSESSMENT_EVIDENCE_PREFIX, autoescape=True)
    return sa.or_(model.origin == ValueOrigin.DECLARED, by_assessment)


def delete_derived(session: Session, ids: Sequence[int]) -> None:
    """Delete the derived ecosystems and technologies of the organisations ``ids``, except
    those a self-assessment derived."""
    for chunk in _chunks(ids):
        for model in (OrganisationEcosystem, OrganisationTechnology):
            session.execute(
                sa.delete(model)
                .where(model.organisation_id.in_(chunk))
                .where(model.origin == ValueOrigin.DERIVED)
                .where(_not_assessed(model))
            )


def insert_ecosystems(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert ecosystem rows from plain column dicts in one executemany."""
    if rows:
        session.execute(sa.insert(OrganisationEcosystem).execution_options(render_nulls=True), rows)


def insert_technologies(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert technology rows from plain column dicts in one executemany."""
    if rows:
        session.execute(
            sa.insert(OrganisationTechnology).execution_options(render_nulls=True), rows
        )


def update_sme_profiles(session: Session, rows: list[dict[str, Any]]) -> None:
    """Set ``sme_profile``, ``sme_profile_origin`` and ``sme_profile_evidence`` by ``id``."""
    if rows:
        session.execute(sa.update(Organisation), rows)


def technology_evidence(
    session: Session, ids: Sequence[int], codes: Sequence[str]
) -> dict[int, list[tuple[str, str | None]]]:
    """(label, evidence) of the technologies with ``codes`` that the organisations ``ids``
    offer, by organisation, in label order."""
    statement = (
        sa.select(
            OrganisationTechnology.organisation_id,
            OrganisationTechnology.label,
            OrganisationTechnology.evidence,
        )
        .where(OrganisationTechnology.organisation_id.in_(list(ids)))
        .where(OrganisationTechnology.code.in_(list(codes)))
        .where(OrganisationTechnology.direction == TechnologyDirection.OFFERED)
        .order_by(OrganisationTechnology.label)
    )
    found: dict[int, list[tuple[str, str | None]]] = {}
    for id_, label, evidence in session.execute(statement):
        found.setdefault(id_, []).append((label, evidence))
    return found


def sme_profile_evidence(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """The evidence of the derived SME profiles of the organisations ``ids`` that have one."""
    statement = sa.select(Organisation.id, Organisation.sme_profile_evidence).where(
        Organisation.id.in_(list(ids)), Organisation.sme_profile_evidence.is_not(None)
    )
    return {id_: text for id_, text in session.execute(statement) if text}


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    items = list(ids)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _not_assessed(
    model: type[OrganisationEcosystem] | type[OrganisationTechnology],
) -> sa.ColumnElement[bool]:
    by_assessment = model.evidence.startswith(ASSESSMENT_EVIDENCE_PREFIX, autoescape=True)
    return sa.or_(model.evidence.is_(None), ~by_assessment)
