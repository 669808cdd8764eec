"""Why a candidate is suggested, in words a person can check against the data.

Every reason is computed from the same data as the score: the topics the idea (or the members'
work) and the candidate share, quoted only when distinctive (``topics``: a technology of the
vocabulary or a keyword phrase of past projects, never a common word), each with the
candidate's projects that show it; the past projects most similar to the idea it took part in,
the projects it shared with a member (not for new partners only: they have none),
technologies and ecosystems, the SME profiles and the NUTS-3 area or region. A reason is given
only when its signal is present.

What the reasons read from the whole index (the topics, the names of the places) is kept with a
saved index (``ReasonTables``), so that a question asked from a new process reads neither the
projects' keywords nor the NUTS files again.
"""

import functools
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from clusterbridge.engines.matching.index import (
    NUTS2_LENGTH,
    TECH_SAVVY_SME,
    TECHNOLOGY_PROVIDER,
    TRADITIONAL_SME,
    MatchIndex,
    kind_of,
)
from clusterbridge.engines.matching.needs import is_worded, need_evidence
from clusterbridge.engines.matching.profile import MatchQuery, OrgProfile, Technology
from clusterbridge.engines.matching.rerank import NUTS3_LENGTH, WIDE_VOTES
from clusterbridge.engines.matching.score import (
    SIMILAR_PROJECTS,
    QueryVectors,
    Scored,
    project_similarity,
)
from clusterbridge.engines.matching.text import count_matrix, count_words
from clusterbridge.engines.matching.topics import (
    OWN_TEXT,
    TopicState,
    keep_topics,
    technology_topic,
    topic_state,
    topics_of,
)
from clusterbridge.reference import (
    UnknownCountryError,
    UnknownRegionError,
    get_country,
    industrial_ecosystems,
    lookup_region,
)

#: Topics named in a reason.
TOPICS_SHOWN = 4
#: Projects named for each topic.
PROJECTS_PER_TOPIC = 3
#: Projects named in a reason.
PROJECTS_SHOWN = 3
#: Members named in a reason about past collaborations.
MEMBERS_SHOWN = 3


@dataclass(frozen=True, slots=True)
class ReasonTables:
    """What the reasons read from a whole index: its topics (``topics.topic_state``) and the
    words (``region_words``) of every NUTS-3 area and NUTS-2 region of its organisations."""

    topics: TopicState
    places: Mapping[str, str]


def reason_tables(index: MatchIndex) -> ReasonTables:
    """The reason tables of ``index`` (a few tenths of a second: every project's keywords,
    the NUTS files). Pure."""
    codes = {
        code
        for profile in index.profiles
        if profile.nuts
        for code in (_area_of(profile), profile.nuts[:NUTS2_LENGTH])
        if code
    }
    return ReasonTables(topic_state(index), {code: region_words(code) for code in sorted(codes)})


def keep_reason_tables(index: MatchIndex, tables: ReasonTables) -> None:
    """Make the reasons for ``index`` read ``tables`` (``reason_tables`` of this index, kept
    with it) rather than the projects and the NUTS files again."""
    keep_topics(index, tables.topics)
    key = id(index)
    if key not in _PLACES:
        weakref.finalize(index, _PLACES.pop, key, None)
    _PLACES[key] = tables.places


_PLACES: dict[int, Mapping[str, str]] = {}


def explain(
    index: MatchIndex,
    query: MatchQuery,
    vectors: QueryVectors,
    scored: Scored,
    *,
    newcomer: bool = False,
) -> list[str]:
    """The reasons for one suggestion, strongest kind first: technologies offered to a member
    (or needed from one) with their evidence, the topics shared (not those technologies
    again), the similar past projects, past collaborations (not for new partners only),
    ecosystems, SME profiles and place. A ``newcomer`` (an organisation without past projects
    listed for what it declared, ``score.newcomers_of``) "declares" its technologies, "(no
    projects yet)", where another "offers" or "needs" them."""
    candidate = index.profiles[scored.row]
    members = [index.profiles[row] for row in vectors.members] + list(query.guests)
    # A technology the candidate offers to a member (or needs from one) has its own reason,
    # with its evidence: the topics do not repeat it, under its name or its topic's label.
    common = [
        item
        for member in members
        for item in (
            *_common(candidate.offered, member.needed),
            *_common(candidate.needed, member.offered),
        )
    ]
    named = {item.label.casefold() for item in common}
    named |= {topic.casefold() for item in common if (topic := technology_topic(item.key))}
    reasons = _technology_reasons(candidate, members, newcomer=newcomer)
    worded = _worded_need_reasons(index, vectors, scored.row, newcomer=newcomer)
    worded += _worded_offer_reasons(vectors, scored.row, newcomer=newcomer)
    reasons += [reason for reason, _topics in worded]
    named |= {topic.casefold() for _reason, topics in worded for topic in topics}
    reasons += _topic_reasons(index, query, vectors, scored.row, skip=named)
    reasons += _similar_project_reasons(index, query, vectors, scored.row)
    if not query.new_only:
        # A new partner never worked with a member nor, mostly, near them: what it did is the
        # evidence, not whom it knows.
        reasons += _collaboration_reasons(index, vectors.members, candidate)
    reasons += _ecosystem_reasons(candidate, members)
    reasons += _profile_reasons(candidate, members)
    reasons += _region_reasons(candidate, members, _PLACES.get(id(index), {}))
    # Words in common but no distinctive topic, technology or place: the projects that carry
    # the likeness are named, for a person to judge (never an unexplained suggestion).
    return reasons or _closest_project_reasons(index, query, vectors, scored, members)


def _topic_reasons(
    index: MatchIndex,
    query: MatchQuery,
    vectors: QueryVectors,
    row: int,
    *,
    skip: set[str],
) -> list[str]:
    """The topics (``topics.Topics``) the idea, or failing it the members' work, shares with
    the candidate, each with the candidate's projects that show it; the most evidence (projects
    times the topic's weight) first, a topic inside a longer one quoted left out."""
    topics = topics_of(index)
    if vectors.idea.nnz:
        wanted, what = topics.in_text(query.idea), query.idea_name
    else:
        members = [index.profiles[r] for r in vectors.members] + list(query.guests)
        what = members[0].name if len(members) == 1 else "the members' work"
        wanted = topics.of_members(members)
    candidate = index.profiles[row]
    evidence = topics.evidence(candidate, {t for t in wanted if t.casefold() not in skip})
    ranked = sorted(evidence, key=lambda t: (-len(evidence[t]) * topics.weight(t), t))
    chosen = [t for t in ranked if not any(_inside(t, other) for other in evidence)]
    if not chosen:
        return []
    quoted = [
        f"{topics.shown(t, candidate)} ({_listed(evidence[t], PROJECTS_PER_TOPIC)})"
        for t in chosen[:TOPICS_SHOWN]
    ]
    return [f"shared topics with {what}: {', '.join(quoted)}"]


def _inside(topic: str, other: str) -> bool:
    """Whether ``topic`` is a shorter phrase within ``other`` (whole words)."""
    return topic != other and f" {topic} " in f" {other} "


def _listed(labels: Sequence[str], shown: int) -> str:
    extra = len(labels) - shown
    return ", ".join(labels[:shown]) + (f" and {extra} more" if extra > 0 else "")


def _similar_project_reasons(
    index: MatchIndex, query: MatchQuery, vectors: QueryVectors, row: int
) -> list[str]:
    """The candidate's projects among the ``SIMILAR_PROJECTS`` past projects most similar to
    the idea (the ones that voted for it), most similar first; failing that, among the
    ``WIDE_VOTES[0]`` most similar (which the re-ranking trees count)."""
    similarity = vectors.projects
    if not similarity.any():
        return []
    order = np.argsort(-similarity, kind="stable")
    mine = set(index.participants[row].indices)
    for circle in (SIMILAR_PROJECTS, WIDE_VOTES[0]):
        found = [int(c) for c in order[:circle] if similarity[c] > 0 and int(c) in mine]
        if found:
            labels = [index.projects[index.project_ids[c]].label for c in found[:PROJECTS_SHOWN]]
            count = f"{len(found)} of the {min(circle, int(np.count_nonzero(similarity)))}"
            return [
                f"took part in {count} past projects most similar to {query.idea_name}: "
                + "; ".join(labels)
            ]
    return []


def _closest_project_reasons(
    index: MatchIndex,
    query: MatchQuery,
    vectors: QueryVectors,
    scored: Scored,
    members: list[OrgProfile],
) -> list[str]:
    """The candidate's projects whose words are closest to the idea, or failing it to the
    members' work (their own texts and projects), at most ``PROJECTS_SHOWN``; an organisation
    without projects whose own text is close, its description."""
    row = scored.row
    if vectors.idea.nnz:
        similarity, what = vectors.projects, query.idea_name
    else:
        similarity = _work_projects(index, query, vectors)
        what = f"{members[0].name}'s work" if len(members) == 1 else "the members' work"
    mine = sorted(
        (int(c) for c in index.participants[row].indices if similarity[c] > 0),
        key=lambda c: -float(similarity[c]),
    )[:PROJECTS_SHOWN]
    if not mine:
        # An organisation known by its own description alone (no project in the registry).
        own = index.profiles[row].text.strip() and scored.signals.get("idea", 0.0) > 0
        return [f"its own description is close to {what}"] if own else []
    labels = "; ".join(index.projects[index.project_ids[c]].label for c in mine)
    return [f"its project{'s' if len(mine) > 1 else ''} closest to {what}: {labels}"]


def _work_projects(index: MatchIndex, query: MatchQuery, vectors: QueryVectors) -> np.ndarray:
    """The cosine of the members' work (their own texts and projects, and the guests' texts)
    with every past project: computed once per question (``QueryVectors.derived``), for every
    suggestion whose reason it is."""
    if (found := vectors.derived.get(_WORK_PROJECTS)) is not None:
        return found
    rows = list(vectors.members)
    counts = sp.csr_matrix(
        index.own_counts[rows].sum(axis=0)
        + sp.csr_matrix(index.participants[rows].sum(axis=0)) @ index.project_counts
    )
    guests = "\n".join(guest.text for guest in query.guests)
    if guests:
        counts = counts + count_matrix([count_words(guests)], index.vocabulary.columns)
    similarity = project_similarity(index, sp.csr_matrix(counts))
    vectors.derived[_WORK_PROJECTS] = similarity
    return similarity


_WORK_PROJECTS = "work_projects"


def _collaboration_reasons(
    index: MatchIndex, members: tuple[int, ...], candidate: OrgProfile
) -> list[str]:
    row = index.rows[candidate.id]
    mine = set(candidate.projects)
    direct = []
    for member_row in members:
        member = index.profiles[member_row]
        shared = sorted(mine & set(member.projects))
        if shared:
            labels = [
                index.projects[p].acronym or index.projects[p].title
                for p in shared
                if p in index.projects
            ]
            direct.append(f"{member.name} ({', '.join(labels[:PROJECTS_SHOWN])})")
    if direct:
        return [f"worked with {'; '.join(direct[:MEMBERS_SHOWN])}" + _more(direct)]
    return _second_degree(index, members, row)


def _second_degree(index: MatchIndex, members: tuple[int, ...], row: int) -> list[str]:
    if not members:
        return []
    partners_of_members = sp.csr_matrix(index.graph[list(members)].sum(axis=0))
    via = sorted(set(index.graph[row].indices) & set(partners_of_members.indices))
    if not via:
        return []
    # Each partner named with a member it worked with, as the direct reason names the member.
    named = [
        f"{index.profiles[r].name} (a partner of "
        f"{index.profiles[next(m for m in members if index.graph[m, r])].name})"
        for r in via[:MEMBERS_SHOWN]
    ]
    return [f"worked with partners of the members: {'; '.join(named)}" + _more(via)]


def _more(items: Sequence[object]) -> str:
    extra = len(items) - MEMBERS_SHOWN
    return f" and {extra} more" if extra > 0 else ""


def _technology_reasons(
    candidate: OrgProfile, members: list[OrgProfile], *, newcomer: bool = False
) -> list[str]:
    """What the candidate offers that a member needs, and needs that a member offers: a
    derived technology with its evidence (``3 projects, e.g. ...``), a declared one by its
    label alone; a ``newcomer`` says it declares them and has no projects yet."""
    offering, needing, after = (
        ("declares", "declares a need for", " (no projects yet)")
        if newcomer
        else ("offers", "needs", "")
    )
    reasons = []
    for member in members:
        offers = _overlap(candidate.offered, member.needed)
        if offers:
            reasons.append(f"{offering} {', '.join(offers)}, which {member.name} needs{after}")
        needs = _overlap(candidate.needed, member.offered)
        if needs:
            reasons.append(f"{needing} {', '.join(needs)}, which {member.name} offers{after}")
    return reasons


def _worded_need_reasons(
    index: MatchIndex, vectors: QueryVectors, row: int, *, newcomer: bool = False
) -> list[tuple[str, list[str]]]:
    """For each need of a member matched through its topics that the candidate shows, the
    reason (the offers it declared that name them; the topics with the projects that have
    them; and the need as declared) and the topics it quotes."""
    candidate = index.profiles[row]
    found = []
    for need in vectors.worded_needs:
        if not need.shows[row]:
            continue
        shown: list[str] = []
        topics: list[str] = []
        if row in need.offers:
            offering = "declares" if newcomer else "offers"
            shown.append(f"{offering} {', '.join(need.offers[row])}")
            topics += need.topics
        evidence = need_evidence(index, need, candidate) if need.by_projects else {}
        if evidence:
            quoted = sorted(evidence)
            topics += quoted
            # Each topic written as the reasons write it elsewhere (``Topics.shown``).
            written = {t: topics_of(index).shown(t, candidate) for t in quoted}
            if all(evidence[topic] == [OWN_TEXT] for topic in quoted):
                shown.append(f"its description names {', '.join(written.values())}")
            else:
                listed = (
                    f"{written[t]} ({_listed(evidence[t], PROJECTS_PER_TOPIC)})" for t in quoted
                )
                shown.append(f"its projects show {', '.join(listed)}")
        if shown:
            after = " (no projects yet)" if newcomer else ""
            reason = f"{'; '.join(shown)}, for {need.owner}'s need: {need.label}{after}"
            found.append((reason, topics))
    return found


def _worded_offer_reasons(
    vectors: QueryVectors, row: int, *, newcomer: bool = False
) -> list[tuple[str, list[str]]]:
    """For each offer of a member matched through its topics to a need the candidate
    declared, the reason and the topics it quotes."""
    needing, after = ("declares a need for", " (no projects yet)") if newcomer else ("needs", "")
    return [
        (f"{needing} {', '.join(offer.needs[row])}, for {offer.owner}'s offer: "
         f"{offer.label}{after}", list(offer.topics))
        for offer in vectors.worded_offers
        if row in offer.needs
    ]  # fmt: skip


def _overlap(mine: Sequence[Technology], theirs: Sequence[Technology]) -> list[str]:
    """The labels of ``mine`` whose keys are in ``theirs``, each with its evidence."""
    return [
        f"{item.label} ({item.evidence})" if item.evidence else item.label
        for item in _common(mine, theirs)
    ]


def _common(mine: Sequence[Technology], theirs: Sequence[Technology]) -> list[Technology]:
    """The technologies of ``mine`` of the vocabulary whose codes are in ``theirs`` (those in
    words are matched through their topics, ``needs``, and have their own reasons)."""
    keys = {item.key for item in theirs}
    return [item for item in mine if item.key in keys and not is_worded(item)]


def _ecosystem_reasons(candidate: OrgProfile, members: list[OrgProfile]) -> list[str]:
    theirs = {ecosystem for member in members for ecosystem in member.ecosystems}
    shared = [ecosystem for ecosystem in candidate.ecosystems if ecosystem in theirs]
    if not shared:
        return []
    names = _ecosystem_names()
    return [
        f"works in the same industrial ecosystems: {', '.join(names.get(s, s) for s in shared)}"
    ]


@functools.cache
def _ecosystem_names() -> dict[str, str]:
    """The Commission's names of the 14 industrial ecosystems, by slug."""
    return {ecosystem.slug: ecosystem.name for ecosystem in industrial_ecosystems()}


def _profile_reasons(candidate: OrgProfile, members: list[OrgProfile]) -> list[str]:
    kinds = {kind_of(member): member for member in members}
    mine = kind_of(candidate)
    if TRADITIONAL_SME in kinds and mine == TECH_SAVVY_SME:
        return [f"a tech-savvy SME, for {kinds[TRADITIONAL_SME].name} (a traditional SME)"]
    if TRADITIONAL_SME in kinds and mine == TECHNOLOGY_PROVIDER:
        what = (candidate.type or "").replace("_", " ")
        return [f"a {what}, for {kinds[TRADITIONAL_SME].name} (a traditional SME)"]
    if TECH_SAVVY_SME in kinds and mine == TRADITIONAL_SME:
        return [f"a traditional SME, a potential customer of {kinds[TECH_SAVVY_SME].name}"]
    return []


def _region_reasons(
    candidate: OrgProfile, members: list[OrgProfile], places: Mapping[str, str]
) -> list[str]:
    """The same NUTS-3 area, else NUTS-2 region, else country as a member; the places'
    words from ``places`` when kept there."""
    area = _area_of(candidate)
    for member in members:
        if area and member.nuts == area:
            return [f"in the same area as {member.name}: {places.get(area) or region_words(area)}"]
    region = candidate.nuts[:NUTS2_LENGTH] if candidate.nuts else None
    for member in members:
        if region and member.nuts and member.nuts[:NUTS2_LENGTH] == region:
            words = places.get(region) or region_words(region)
            return [f"in the same region as {member.name}: {words}"]
    for member in members:
        if member.country == candidate.country:
            return [f"in the same country as {member.name}: {country_words(candidate.country)}"]
    return []


def _area_of(profile: OrgProfile) -> str | None:
    """The NUTS-3 code of ``profile``, if its NUTS code is one."""
    return profile.nuts if profile.nuts and len(profile.nuts) == NUTS3_LENGTH else None


def country_words(code: str) -> str:
    """``Spain (ES)``: a country's name and its code, as the pages write it; the code alone if
    unknown."""
    try:
        return f"{get_country(code).name} ({code})"
    except UnknownCountryError:
        return code


def region_words(code: str) -> str:
    """``PL82 Podkarpackie``: a NUTS code and its name, or the code alone if unknown."""
    try:
        return f"{code} {lookup_region(code).name}"
    except UnknownRegionError:
        return code
