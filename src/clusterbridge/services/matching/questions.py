"""Partner questions answered from the matching index alone: what a question seeks, how it is
checked, and its suggestions with their match, band and reasons.

``services.matching.suggestions`` asks these questions with what only the registry's rows give
(an organisation's record, a consortium of the platform, the rules of a call each suggestion
helps pass). A question without a call needs none of that: ``answer_for_pic`` and
``answer_for_team`` answer it from the index, so that ``clusterbridge partners suggest`` with a
saved index never loads the ORM models (a third of the command's time).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy.orm import Session

from clusterbridge.domain import consortium as snapshot
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.profile import (
    KINDS,
    MAX_TOP,
    MatchQuery,
    OrgProfile,
    is_of_kind,
)
from clusterbridge.engines.matching.reasons import explain
from clusterbridge.engines.matching.score import (
    NEWCOMERS,
    QueryVectors,
    Scored,
    band_of,
    suggest_with_newcomers,
    worked_with,
)
from clusterbridge.reference import RegionCategory, UnknownCountryError, normalise_country
from clusterbridge.services.matching.index import MatchIndexCache
from clusterbridge.services.text import has_control_characters

if TYPE_CHECKING:
    from clusterbridge.services.consortia.file import PartnerLookup

#: Longest project idea accepted, in characters.
MAX_IDEA_CHARS = 20_000
DEFAULT_TOP = 20


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested organisation, its match (0-100, the same scale in every question) and
    its band (``strong``, ``good``, ``weak``), and the reasons, strongest first."""

    organisation_id: int
    pic: str | None
    name: str
    country: str
    score: int
    reasons: tuple[str, ...]
    band: str = "weak"
    #: Whether it was in a past project with the organisation asking or a member (what new
    #: partners only leaves out).
    past_partner: bool = False


@dataclass(frozen=True, slots=True)
class Answer:
    """A question's suggestions and, beside them, the organisations registered without past
    projects whose declared technologies (or, in a question without technologies, whose own
    description) match it (``newcomers``, at most ``NEWCOMERS``; never one of the
    suggestions): the learned ranker reads mostly projects, so that they rarely make the list
    (ADR 0023, revision "newcomers")."""

    suggestions: list[Suggestion]
    newcomers: list[Suggestion]


@dataclass(frozen=True, slots=True)
class Seeking:
    """The kind of partner a question seeks: an organisation type or SME profile (``kind``),
    only organisations that never worked with a member (``new_only``), countries and region
    categories (empty: any). Build it with ``seeking`` to validate user input."""

    kind: str | None = None
    new_only: bool = False
    countries: frozenset[str] = frozenset()
    region_categories: frozenset[RegionCategory] = frozenset()


ANYONE = Seeking()
#: The kinds a question may seek, in the order forms list them.
KIND_CHOICES = (
    "sme",
    "tech_savvy",
    "traditional",
    "technology_centre",
    "research_organisation",
    "university",
    "cluster_organisation",
    "cluster_network",
    "business_network",
    "large_enterprise",
    "public_body",
    "other",
)


#: Each kind as a person names several of them.
KIND_PLURALS = {
    "sme": "SMEs",
    "tech_savvy": "tech-savvy SMEs",
    "traditional": "traditional SMEs",
    "technology_centre": "technology centres",
    "research_organisation": "research organisations",
    "university": "universities",
    "cluster_organisation": "cluster organisations",
    "cluster_network": "cluster networks",
    "business_network": "business networks",
    "large_enterprise": "large enterprises",
    "public_body": "public bodies",
    "other": "other organisations",
}
#: What to ask instead when the registry has none of a kind, where the data explains it.
KIND_HINTS = {
    "technology_centre": (
        "CORDIS has no type for technology centres: an organisation it imports is one only "
        "when CORDIS records it as a research organisation or an other body and its name "
        "says so, so ask for research organisations too."
    ),
}


def seeking(
    *,
    kind: str | None = None,
    new_only: bool = False,
    countries: Sequence[str] = (),
    region_categories: Sequence[str] = (),
    idea: str = "",
    top: int = DEFAULT_TOP,
) -> Seeking:
    """The kind of partner sought, from user input: ``kind`` one of ``KIND_CHOICES`` (empty
    means any), countries as codes or names, region categories as ``RegionCategory`` values;
    the question's ``idea`` and ``top`` are checked with them (`question_issues`).
    InvalidInputError names every bad value at once."""
    issues = []
    chosen = kind.strip() if kind and kind.strip() else None
    if chosen is not None and chosen not in KINDS:
        reason = f'"{chosen}" is not a kind of partner; use one of {", ".join(KIND_CHOICES)}'
        issues.append(InputIssue("", "kind", reason))
    codes = set()
    for value in countries:
        try:
            codes.add(normalise_country(value))
        except UnknownCountryError as error:
            issues.append(InputIssue("", "country", str(error)))
    categories = set()
    for value in region_categories:
        try:
            categories.add(RegionCategory(value.strip()))
        except ValueError:
            choices = ", ".join(c.value for c in RegionCategory)
            reason = f'"{value}" is not a region category; use one of {choices}'
            issues.append(InputIssue("", "region_category", reason))
    issues += question_issues(idea, top)
    if issues:
        raise InvalidInputError("The partner search is not valid", issues)
    return Seeking(chosen, new_only, frozenset(codes), frozenset(categories))


def question_issues(idea: str, top: int) -> list[InputIssue]:
    """What is wrong with ``top`` (outside 1-100) and the idea (too long, control
    characters)."""
    issues = []
    if not 1 <= top <= MAX_TOP:
        issues.append(InputIssue("", "top", f"must be between 1 and {MAX_TOP}, not {top}"))
    if len(idea) > MAX_IDEA_CHARS:
        reason = too_long_reason(MAX_IDEA_CHARS, len(idea))
        issues.append(InputIssue("", "idea", reason))
    elif has_control_characters(idea.replace("\n", " ").replace("\r", " ").replace("\t", " ")):
        issues.append(InputIssue("", "idea", "must not contain control characters"))
    return issues


def validate_question(idea: str, top: int) -> None:
    """InvalidInputError for ``top`` outside 1-100 or an idea too long or with control
    characters."""
    if issues := question_issues(idea, top):
        raise InvalidInputError("The partner search is not valid", issues)


def no_suggestions(index: MatchIndex, wanted: Seeking) -> str:
    """Why a question of the kind ``wanted`` found nobody, as a person reads it: the registry
    has no organisation of that kind (in those countries and region categories), or none of
    them has anything in common with the search (among those new to it)."""
    if wanted == ANYONE:
        return "No suggestions: nothing in the registry has anything in common with the search."
    what = KIND_PLURALS.get(wanted.kind or "", "organisations")
    if wanted.countries:
        what += " in " + ", ".join(sorted(wanted.countries))
    if wanted.region_categories:
        categories = sorted(c.value.replace("_", " ") for c in wanted.region_categories)
        what += " in " + " or ".join(categories) + " regions"
    pool = sum(
        1
        for p in index.profiles
        if is_of_kind(p, wanted.kind)
        and (not wanted.countries or p.country in wanted.countries)
        and (not wanted.region_categories or p.category in wanted.region_categories)
    )
    if pool == 0:
        hint = KIND_HINTS.get(wanted.kind or "", "")
        return f"No suggestions: the registry has no {what}." + (f" {hint}" if hint else "")
    counted = f"the registry's {what} ({pool:,})"
    if wanted.new_only:
        return (
            f"No suggestions: {counted} either worked with a member or have nothing in common "
            "with the search."
        )
    return f"No suggestions: none of {counted} has anything in common with the search."


def answer_for_pic(
    session: Session,
    pic: str,
    *,
    cache: MatchIndexCache,
    idea: str = "",
    top: int = DEFAULT_TOP,
    wanted: Seeking = ANYONE,
    newcomers: int = NEWCOMERS,
) -> Answer | None:
    """The organisations that complement the registry's organisation with ``pic``, only of the
    kind ``wanted``, from the index alone; None when the index has no organisation with that
    PIC (the caller looks it up in the registry, to say so). InvalidInputError for a bad
    ``top`` or idea. Reads only, apart from the index cache.
    Beside them, at most ``newcomers`` organisations registered without past projects
    (``Answer.newcomers``)."""
    validate_question(idea, top)
    index = cache.get(session)
    found = next((p for p in index.profiles if p.pic == pic), None)
    if found is None:
        return None
    team = snapshot.Consortium((), name=found.name)
    query, scored, newcomer_rows, vectors = rank(
        cache, index, team, (found.id,), idea=idea, top=top, wanted=wanted, newcomers=newcomers
    )  # fmt: skip
    return Answer(
        described(index, query, scored, vectors, {}),
        described(index, query, newcomer_rows, vectors, {}, newcomers=True),
    )


def answer_for_team(
    session: Session,
    team: snapshot.Consortium,
    *,
    cache: MatchIndexCache,
    idea: str = "",
    top: int = DEFAULT_TOP,
    wanted: Seeking = ANYONE,
    newcomers: int = NEWCOMERS,
) -> Answer:
    """The organisations that would complete ``team`` (read with ``index_partners``), only of
    the kind ``wanted``, from the index alone: partners with a PIC of the index are matched on
    its record and never suggested; the others are matched on their fields. InvalidInputError
    for a bad ``top`` or idea. Reads only, apart from the index cache.
    Beside them, at most ``newcomers`` organisations registered without past projects
    (``Answer.newcomers``)."""
    validate_question(idea, top)
    index = cache.get(session)
    ids = {p.pic: p.id for p in index.profiles if p.pic}
    members = tuple(ids[p.pic] for p in team.partners if p.pic in ids)
    query, scored, newcomer_rows, vectors = rank(
        cache, index, team, members, idea=idea, top=top, wanted=wanted, newcomers=newcomers
    )  # fmt: skip
    return Answer(
        described(index, query, scored, vectors, {}),
        described(index, query, newcomer_rows, vectors, {}, newcomers=True),
    )


def index_partners(index: MatchIndex) -> "PartnerLookup":
    """Looks PICs up among the organisations of ``index``, for a consortium file that names them
    by ``id``: each as the index holds its registry record (no e-mail nor website, which
    matching does not read)."""
    by_pic = {p.pic: p for p in index.profiles if p.pic}

    def lookup(pics: Sequence[str]) -> Mapping[str, snapshot.Partner]:
        return {pic: _partner(by_pic[pic]) for pic in pics if pic in by_pic}

    return lookup


def _partner(profile: OrgProfile) -> snapshot.Partner:
    return snapshot.Partner(
        name=profile.name,
        country=profile.country,
        nuts=profile.nuts,
        type=profile.type,
        sme_profile=profile.sme_profile,
        legal_entity=profile.legal_entity,
        eccp_registered=profile.eccp_registered,
        pic=profile.pic,
    )


def rank(
    cache: MatchIndexCache,
    index: MatchIndex,
    team: snapshot.Consortium,
    members: tuple[int, ...],
    *,
    idea: str,
    top: int,
    wanted: Seeking,
    idea_name: str = "the idea",
    newcomers: int = NEWCOMERS,
) -> tuple[MatchQuery, list[Scored], list[Scored], QueryVectors]:
    """The question of ``team`` (whose registry members are ``members``; its other partners are
    matched on their fields), its best ``top`` candidates of the kind ``wanted`` and at most
    ``newcomers`` organisations without past projects beside them
    (``score.suggest_with_newcomers``), with the vectors the reasons read."""
    guests = tuple(
        _guest(p, -n)
        for n, p in enumerate(team.partners, start=1)
        if not _member(p, index, members)
    )
    query = MatchQuery(
        members=members,
        guests=guests,
        idea=idea,
        top=top,
        kind=wanted.kind,
        new_only=wanted.new_only,
        countries=wanted.countries,
        region_categories=wanted.region_categories,
        idea_name=idea_name,
    )
    dense = dense_query(cache, index, query)
    found = suggest_with_newcomers(index, query, dense=dense, newcomers=newcomers)
    return query, found.suggestions, found.newcomers, found.vectors


def described(
    index: MatchIndex,
    query: MatchQuery,
    scored: list[Scored],
    vectors: QueryVectors,
    gains: Mapping[int, Sequence[str]],
    *,
    newcomers: bool = False,
) -> list[Suggestion]:
    """Each scored candidate as a suggestion: the rules it helps pass (``gains``, by row) and
    then the reasons of the match (for ``newcomers``, what they declare: ``explain``)."""
    # New partners only has left every past partner out already.
    past = worked_with(index, () if query.new_only else vectors.members)
    return [
        _suggestion(
            index,
            item,
            [*gains.get(item.row, []), *explain(index, query, vectors, item, newcomer=newcomers)],
            past_partner=bool(past[item.row]),
        )
        for item in scored
    ]


def _member(partner: snapshot.Partner, index: MatchIndex, members: tuple[int, ...]) -> bool:
    pics = {index.profiles[index.rows[m]].pic for m in members if m in index.rows}
    return partner.pic is not None and partner.pic in pics


def _guest(partner: snapshot.Partner, number: int) -> OrgProfile:
    return OrgProfile(
        id=number,
        name=partner.name,
        country=partner.country,
        pic=partner.pic,
        type=partner.type,
        sme_profile=partner.sme_profile,
        nuts=partner.nuts,
    )


def dense_query(cache: MatchIndexCache, index: MatchIndex, query: MatchQuery) -> np.ndarray | None:
    """The question's dense vector when the cache has an encoder and the index vectors."""
    if cache.encoder is None or index.dense is None:
        return None
    texts = (
        [query.idea]
        if query.idea.strip()
        else [index.profiles[index.rows[m]].text for m in query.members if m in index.rows]
    )
    text = "\n".join(texts).strip()
    return cache.encoder.encode([text])[0] if text else None


def _suggestion(
    index: MatchIndex, item: Scored, reasons: list[str], *, past_partner: bool
) -> Suggestion:
    profile = index.profiles[item.row]
    return Suggestion(
        profile.id,
        profile.pic,
        profile.name,
        profile.country,
        item.match,
        tuple(reasons),
        band_of(item.match),
        past_partner,
    )
