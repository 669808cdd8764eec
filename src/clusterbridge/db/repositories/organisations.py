"""Queries on the organisation registry: look-ups, bulk writes for imports, and search.

Text search runs on the side table ``organisation_search`` that revision 0002 creates and its
triggers keep current: an FTS5 table on SQLite, weighted ``tsvector`` documents on PostgreSQL
(docs/adr/0005-organisation-search.md); ``organisation_search_version`` (revision 0003) tells
when a cached result is out of date (docs/adr/0008). Only this module knows their SQL.
"""

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, load_only, selectinload

from clusterbridge.db.models import (
    ClusterMembership,
    Organisation,
    OrganisationEcosystem,
    OrganisationMember,
    OrganisationTechnology,
)
from clusterbridge.domain.enums import (
    OrgType,
    RecordSource,
    SmeProfile,
    TechnologyDirection,
)
from clusterbridge.reference.enums import RegionCategory

#: FTS5 column weights for bm25: name, short name, technologies, description, profile.
SQLITE_WEIGHTS = (10.0, 8.0, 4.0, 4.0, 1.0)
#: Rows per statement when a list of ids goes into ``IN (...)``.
CHUNK = 500


@dataclass(frozen=True, slots=True)
class SearchCriteria:
    """What a search asks for: every non-empty part must match (values of one part are OR-ed).

    ``terms`` are words (letters and digits only); each must occur, as a prefix, in the name,
    short name, technologies, description or profile. ``pic`` keeps only the organisation with
    that PIC.
    """

    terms: tuple[str, ...] = ()
    pic: str | None = None
    countries: tuple[str, ...] = ()
    types: tuple[OrgType, ...] = ()
    sme_profiles: tuple[SmeProfile, ...] = ()
    ecosystems: tuple[str, ...] = ()
    categories: tuple[RegionCategory, ...] = ()
    #: Codes of technologies offered (the vocabulary's codes).
    technologies: tuple[str, ...] = ()


#: The four facets counted from one grouped query, as columns of ``organisation``.
FACET_COLUMNS: dict[str, Any] = {
    "country": Organisation.country,
    "type": Organisation.type,
    "sme_profile": Organisation.sme_profile,
    "category": Organisation.category_2021_2027,
}

#: The columns a list of results shows; the others (long texts, timestamps) load on access.
LISTED = load_only(
    Organisation.pic,
    Organisation.name,
    Organisation.short_name,
    Organisation.type,
    Organisation.is_sme,
    Organisation.sme_profile,
    Organisation.country,
    Organisation.nuts,
    Organisation.city,
    Organisation.category_2021_2027,
    Organisation.category_2014_2020,
)


def get_organisation(session: Session, organisation_id: int) -> Organisation | None:
    """The organisation with this id, its ecosystems, technologies and clusters loaded."""
    statement = (
        sa.select(Organisation)
        .where(Organisation.id == organisation_id)
        .options(
            selectinload(Organisation.ecosystems),
            selectinload(Organisation.technologies),
            selectinload(Organisation.clusters).selectinload(ClusterMembership.cluster),
            selectinload(Organisation.members).selectinload(ClusterMembership.member),
        )
    )
    return session.scalars(statement).one_or_none()


def get_row(session: Session, organisation_id: int) -> Organisation | None:
    """The organisation with this id, without its collections, or None."""
    return session.get(Organisation, organisation_id)


def get_by_pic(session: Session, pic: str) -> Organisation | None:
    """The organisation with this PIC, or None."""
    return session.scalars(sa.select(Organisation).where(Organisation.pic == pic)).one_or_none()


def has_pic(session: Session, pic: str) -> bool:
    """Whether an organisation has this PIC (one look-up in the PIC's unique index)."""
    statement = sa.select(Organisation.id).where(Organisation.pic == pic)
    return session.scalar(statement) is not None


def has_country(session: Session, country: str) -> bool:
    """Whether an organisation is in this country (one look-up in the country's index)."""
    statement = sa.select(Organisation.id).where(Organisation.country == country).limit(1)
    return session.scalar(statement) is not None


def find_by_name_key(session: Session, name_key: str, country: str) -> Organisation | None:
    """The first organisation (lowest id) with this folded name in this country, or None."""
    statement = (
        sa.select(Organisation)
        .where(Organisation.name_key == name_key, Organisation.country == country)
        .order_by(Organisation.id)
        .limit(1)
    )
    return session.scalars(statement).one_or_none()


def list_by_name_key(
    session: Session, name_key: str, *, limit: int, types: Iterable[OrgType] = ()
) -> list[Organisation]:
    """At most ``limit`` organisations with this folded name (any country), lowest id first;
    with ``types``, only organisations of these types."""
    statement = sa.select(Organisation).where(Organisation.name_key == name_key)
    if wanted := list(types):
        statement = statement.where(Organisation.type.in_(wanted))
    return list(session.scalars(statement.order_by(Organisation.id).limit(limit)))


def list_by_ids(session: Session, ids: Iterable[int]) -> list[Organisation]:
    """The organisations with these ids (unknown ids are skipped), in id order."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    statement = sa.select(Organisation).where(Organisation.id.in_(wanted)).order_by(Organisation.id)
    return list(session.scalars(statement))


def list_with_collections(session: Session, ids: Iterable[int]) -> list[Organisation]:
    """The organisations with these ids, ecosystems, technologies and clusters loaded."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    statement = (
        sa.select(Organisation)
        .where(Organisation.id.in_(wanted))
        .options(
            selectinload(Organisation.ecosystems),
            selectinload(Organisation.technologies),
            selectinload(Organisation.clusters).selectinload(ClusterMembership.cluster),
        )
    )
    return list(session.scalars(statement))


def list_by_pics(session: Session, pics: Iterable[str]) -> list[Organisation]:
    """The organisations with these PICs."""
    wanted = sorted(set(pics))
    if not wanted:
        return []
    return list(session.scalars(sa.select(Organisation).where(Organisation.pic.in_(wanted))))


def is_member(session: Session, organisation_id: int, user_id: int) -> bool:
    """Whether the user belongs to the organisation."""
    statement = sa.select(OrganisationMember).where(
        OrganisationMember.organisation_id == organisation_id,
        OrganisationMember.user_id == user_id,
    )
    return session.scalars(statement).first() is not None


def list_of_member(session: Session, user_id: int) -> list[Organisation]:
    """The organisations the user belongs to (may edit), by name."""
    statement = (
        sa.select(Organisation)
        .join(OrganisationMember, OrganisationMember.organisation_id == Organisation.id)
        .where(OrganisationMember.user_id == user_id)
        .order_by(Organisation.name_key, Organisation.id)
    )
    return list(session.scalars(statement))


def list_of_member_by_name(session: Session, user_id: int) -> list[Organisation]:
    """The organisations the user is a member of, by name as written (the choices a form
    offers them)."""
    statement = (
        sa.select(Organisation)
        .join(OrganisationMember, OrganisationMember.organisation_id == Organisation.id)
        .where(OrganisationMember.user_id == user_id)
        .order_by(Organisation.name)
    )
    return list(session.scalars(statement))


def list_for_export(session: Session) -> list[Organisation]:
    """Every organisation with ecosystems, technologies and clusters loaded, in id order."""
    statement = (
        sa.select(Organisation)
        .order_by(Organisation.id)
        .options(
            selectinload(Organisation.ecosystems),
            selectinload(Organisation.technologies),
            selectinload(Organisation.clusters).selectinload(ClusterMembership.cluster),
        )
    )
    return list(session.scalars(statement))


def identity_keys(session: Session) -> list[tuple[int, str | None, str, str, RecordSource]]:
    """(id, pic, name_key, country, source) of every organisation, for matching imports."""
    statement = sa.select(
        Organisation.id,
        Organisation.pic,
        Organisation.name_key,
        Organisation.country,
        Organisation.source,
    )
    return [tuple(row) for row in session.execute(statement)]  # type: ignore[misc]


def insert_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert organisations from plain column dicts in one executemany (no ORM objects).

    ``render_nulls``: a None is written as NULL instead of leaving its column out, so every row
    has the same columns and the rows go in multi-row INSERTs; else each run of rows with None
    in other columns was an INSERT of its own (13,000 for a CORDIS import). The bulk inserts of
    projects, participations and profile rows do the same.
    """
    if rows:
        session.execute(sa.insert(Organisation).execution_options(render_nulls=True), list(rows))


def update_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Update organisations by ``id`` from plain column dicts in one executemany."""
    if rows:
        session.execute(sa.update(Organisation), list(rows))


def pic_ids(session: Session) -> dict[str, int]:
    """PIC → id of every organisation that has a PIC."""
    statement = sa.select(Organisation.pic, Organisation.id).where(Organisation.pic.is_not(None))
    return {row[0]: row[1] for row in session.execute(statement) if row[0] is not None}


# ------------------------------------------------------------------------------------ search


def search_page(
    session: Session, criteria: SearchCriteria, *, offset: int, limit: int
) -> list[Organisation]:
    """One page of matching organisations: best text match first (ties by id), else by name.

    A text-only search takes its page straight from the search index (``ORDER BY rank
    LIMIT``), so only the rows shown are joined to ``organisation``. Only the ``LISTED``
    columns are loaded; the others load when first read.
    """
    if criteria.terms and _text_only(criteria):
        top = _ranks(session, criteria.terms, page=(offset, limit))
        statement = sa.select(Organisation).join(top, top.c.id == Organisation.id)
        statement = statement.options(LISTED).order_by(top.c.rank, Organisation.id)
        return list(session.scalars(statement))
    statement = sa.select(Organisation).options(LISTED)
    order: list[Any] = []
    if criteria.terms:
        ranks = _ranks(session, criteria.terms)
        statement = statement.join(ranks, ranks.c.id == Organisation.id)
        order.append(ranks.c.rank)
    else:
        order.append(Organisation.name)
    statement = statement.where(*_conditions(criteria)).order_by(*order, Organisation.id)
    return list(session.scalars(statement.offset(offset).limit(limit)))


def count_matches(session: Session, criteria: SearchCriteria) -> int:
    """How many organisations match (a text-only search is counted in the index alone)."""
    if criteria.terms and _text_only(criteria):
        matched = _matched_ids(session, criteria.terms).columns(sa.column("id")).subquery()
        return session.scalar(sa.select(sa.func.count()).select_from(matched)) or 0
    statement = _matching(session, criteria, sa.func.count())
    return session.scalar(statement) or 0


def _text_only(criteria: SearchCriteria) -> bool:
    return criteria == SearchCriteria(terms=criteria.terms)


def facet_combinations(
    session: Session, criteria: SearchCriteria
) -> list[tuple[str, OrgType | None, SmeProfile | None, RegionCategory | None, int]]:
    """Counts per (country, type, SME profile, category 2021-2027) of the organisations that
    match the text and ecosystems of ``criteria``, whatever its other filters."""
    loose = SearchCriteria(
        terms=criteria.terms,
        pic=criteria.pic,
        ecosystems=criteria.ecosystems,
        technologies=criteria.technologies,
    )
    columns = list(FACET_COLUMNS.values())
    statement = _matching(session, loose, *columns, sa.func.count()).group_by(*columns)
    return [tuple(row) for row in session.execute(statement)]


def ecosystem_counts(session: Session, criteria: SearchCriteria) -> dict[str, int]:
    """Counts per ecosystem of the organisations matching ``criteria`` but its ecosystems."""
    loose = dataclasses.replace(criteria, ecosystems=())
    ecosystem = OrganisationEcosystem.ecosystem
    statement = (
        _matching(session, loose, ecosystem, sa.func.count())
        .join(OrganisationEcosystem, OrganisationEcosystem.organisation_id == Organisation.id)
        .group_by(ecosystem)
    )
    return {row[0]: row[1] for row in session.execute(statement)}


def technology_counts(session: Session, criteria: SearchCriteria) -> dict[str, int]:
    """Counts per code of technology offered, of the organisations matching ``criteria`` but
    its technologies."""
    loose = dataclasses.replace(criteria, technologies=())
    code = OrganisationTechnology.code
    statement = (
        _matching(session, loose, code, sa.func.count(sa.distinct(Organisation.id)))
        .join(OrganisationTechnology, OrganisationTechnology.organisation_id == Organisation.id)
        .where(OrganisationTechnology.direction == TechnologyDirection.OFFERED)
        .where(code.is_not(None))
        .group_by(code)
    )
    return {row[0]: row[1] for row in session.execute(statement)}


def _matching(session: Session, criteria: SearchCriteria, *columns: Any) -> sa.Select[Any]:
    """``columns`` of the matching organisations; the text match is a semi-join without rank
    (counting does not need it, and bm25/ts_rank is the expensive part)."""
    statement = sa.select(*columns).select_from(Organisation)
    if criteria.terms:
        statement = statement.where(Organisation.id.in_(_matched_ids(session, criteria.terms)))
    return statement.where(*_conditions(criteria))


def _matched_ids(session: Session, terms: tuple[str, ...]) -> sa.TextClause:
    if session.get_bind().dialect.name == "postgresql":
        return sa.text(
            "SELECT organisation_id FROM organisation_search"
            " WHERE document @@ to_tsquery('english', :query)"
        ).bindparams(query=_tsquery(terms))
    return sa.text(
        "SELECT rowid FROM organisation_search WHERE organisation_search MATCH :query"
    ).bindparams(query=_fts_query(terms))


def _tsquery(terms: tuple[str, ...]) -> str:
    return " & ".join(f"{term}:*" for term in terms)


def _fts_query(terms: tuple[str, ...]) -> str:
    return " ".join(f'"{term}"*' for term in terms)


def _conditions(criteria: SearchCriteria) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if criteria.pic is not None:
        conditions.append(Organisation.pic == criteria.pic)
    if criteria.countries:
        conditions.append(Organisation.country.in_(criteria.countries))
    if criteria.types:
        conditions.append(Organisation.type.in_(criteria.types))
    if criteria.sme_profiles:
        conditions.append(Organisation.sme_profile.in_(criteria.sme_profiles))
    if criteria.categories:
        conditions.append(Organisation.category_2021_2027.in_(criteria.categories))
    if criteria.ecosystems:
        chosen = sa.select(OrganisationEcosystem.organisation_id).where(
            OrganisationEcosystem.ecosystem.in_(criteria.ecosystems)
        )
        conditions.append(Organisation.id.in_(chosen))
    if criteria.technologies:
        offering = sa.select(OrganisationTechnology.organisation_id).where(
            OrganisationTechnology.code.in_(criteria.technologies),
            OrganisationTechnology.direction == TechnologyDirection.OFFERED,
        )
        conditions.append(Organisation.id.in_(offering))
    return conditions


def _ranks(
    session: Session, terms: tuple[str, ...], *, page: tuple[int, int] | None = None
) -> sa.Subquery:
    """(id, rank) of the organisations whose document has every term; lower rank is better.
    With ``page`` (offset, limit) only that slice of the ranking, ties broken by id."""
    if session.get_bind().dialect.name == "postgresql":
        sql = (
            "SELECT organisation_id AS id, -ts_rank(document, q) AS rank"
            " FROM organisation_search, to_tsquery('english', :query) AS q"
            " WHERE document @@ q"
        )
        query = _tsquery(terms)
    else:
        weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
        sql = (
            f"SELECT rowid AS id, bm25(organisation_search, {weights}) AS rank"  # noqa: S608 -- constants
            " FROM organisation_search WHERE organisation_search MATCH :query"
        )
        query = _fts_query(terms)
    values: dict[str, Any] = {"query": query}
    if page is not None:
        sql += " ORDER BY rank, id LIMIT :limit OFFSET :offset"
        values |= {"offset": page[0], "limit": page[1]}
    statement = sa.text(sql).bindparams(**values)
    return statement.columns(id=sa.Integer, rank=sa.Float).subquery("ranks")


# ---------------------------------------------------------------- ecosystems and technologies


def technologies_of(
    session: Session, organisation_ids: Sequence[int]
) -> list[OrganisationTechnology]:
    """The technologies of these organisations."""
    if not organisation_ids:
        return []
    statement = sa.select(OrganisationTechnology).where(
        OrganisationTechnology.organisation_id.in_(organisation_ids)
    )
    return list(session.scalars(statement))


def count_by_source(session: Session, source: RecordSource) -> int:
    """How many organisations came from ``source`` (e.g. the CORDIS import)."""
    statement = (
        sa.select(sa.func.count()).select_from(Organisation).where(Organisation.source == source)
    )
    return session.scalar(statement) or 0


def smes_of_member(session: Session, user_id: int) -> list[Organisation]:
    """The organisations recorded as SMEs that the user belongs to, by name."""
    statement = (
        sa.select(Organisation)
        .join(OrganisationMember, OrganisationMember.organisation_id == Organisation.id)
        .where(OrganisationMember.user_id == user_id, Organisation.is_sme.is_(True))
        .order_by(Organisation.name, Organisation.id)
    )
    return list(session.scalars(statement))
