"""Scoring every organisation of an index against one question, and keeping the best.

Each signal is a vector over the index's rows in ``[0, 1]``; the score is their weighted sum.
The signals are the ones a person can check afterwards (see ``reasons``): shared words with the
idea and with what the members worked on, past projects similar to the idea (their participants
vote with the similarity), past projects with the members (weighted by how similar each was to
the idea, and counted plainly) and with their past partners, technologies one needs and the
other offers, shared ecosystems, an SME's complementary profile, the members' countries and
region, and how many projects the organisation took part in (a negative weight: the largest
organisations are in everyone's network, so being near the members says little about them).
The weights are a conditional logistic regression fitted on a validation split of the CORDIS
data that ends before the benchmark's test period (docs/adr/0009-partner-matching.md),
rescaled so that the idea's weight is 1.
"""

from dataclasses import asdict, dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from clusterbridge.engines.matching.index import (
    TECH_SAVVY_SME,
    TECHNOLOGY_PROVIDER,
    TRADITIONAL_SME,
    MatchIndex,
    kind_of,
    nuts2_of,
    rows_with,
    without_projects,
)
from clusterbridge.engines.matching.needs import (
    WordedNeed,
    WordedOffer,
    is_worded,
    worded_needs,
    worded_offers,
)
from clusterbridge.engines.matching.profile import MatchQuery, OrgProfile, Technology
from clusterbridge.engines.matching.rerank import (
    FITTED_KINDS,
    NEW_PARTNER_KINDS,
    Question,
    Ranker,
    rerank,
    shipped_trees,
)
from clusterbridge.engines.matching.text import (
    count_matrix,
    count_words,
    normalise_rows,
    tf_idf,
    weigh,
    weigh_with,
)


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each signal counts; a weight of 0 switches a signal off."""

    idea: float = 1.0
    members_text: float = 0.0
    similar_projects: float = 0.456
    topic_collaborations: float = 0.297
    coparticipation: float = 0.279
    partners_of_partners: float = 0.113
    popularity: float = -0.216
    technologies: float = 0.3
    ecosystems: float = 0.1
    profile_fit: float = 0.1
    same_country: float = 0.122
    same_region: float = 0.173
    dense: float = 0.0


#: The light default (core install): fitted on the validation split (profiles before 2023,
#: consortia of 2023). Technologies, ecosystems and SME profiles are not in CORDIS: their
#: weights are a judgement.
DEFAULT_WEIGHTS = Weights()
#: With sentence embeddings (the ``embeddings`` extra), fitted on the same split.
DENSE_WEIGHTS = Weights(
    similar_projects=0.452,
    topic_collaborations=0.479,
    coparticipation=0.541,
    partners_of_partners=0.054,
    popularity=-0.151,
    same_country=0.265,
    same_region=0.351,
    dense=1.892,
)
#: A needs question (a member needs technologies, or offers them to those who need them):
#: covering what the members need, or needing what they offer, is the point of the question.
NEEDS_TECHNOLOGIES = 1.0
NEEDS_PROFILE_FIT = 0.3
#: For new partners only: the signals of closeness to the members' network (partners of
#: partners, same country and region, the damping of the most active) each lowered the
#: recall of new SME partners on the validation split (docs/adr/0009-partner-matching.md), and
#: similar projects did not help; a little of the members' own words did.
NEW_PARTNER_SIGNALS = {
    "members_text": 0.1,
    "similar_projects": 0.0,
    "partners_of_partners": 0.0,
    "popularity": 0.0,
    "same_country": 0.0,
    "same_region": 0.0,
}
#: The score shown as a match from 0 to 100: ``100 * s / (s + MATCH_HALF)`` of the weighted
#: score ``s`` (never relative to the other candidates, so that it reads the same in any
#: question); 50 is a candidate with as much evidence as a close match on the idea alone.
MATCH_HALF = 0.5
#: Bands of the match a person reads.
STRONG_MATCH = 60
GOOD_MATCH = 35
#: Saturation of the counting signals: ``count / (count + k)``.
COPARTICIPATION_HALF = 1.0
PARTNERS_OF_PARTNERS_HALF = 4.0
SHARED_KEYS_HALF = 1.0
#: Past projects most similar to the idea whose participants vote.
SIMILAR_PROJECTS = 20
#: Saturation of the votes (sums of squared cosines) of similar projects.
SIMILAR_PROJECTS_HALF = 0.05
#: Saturation of the past projects with the members, each counted by its members times its
#: squared cosine with the idea.
TOPIC_COLLABORATIONS_HALF = 0.05


@dataclass(frozen=True, slots=True)
class QueryVectors:
    """The question as vectors over the index's vocabulary and rows."""

    members: tuple[int, ...]
    idea: sp.csr_matrix
    members_text: sp.csr_matrix
    dense: np.ndarray | None
    #: The idea's cosine with each past project (columns of ``index.participants``), computed
    #: once per question (``project_similarity``); zeros without an idea.
    projects: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    #: The needs the members (or guests) declared, matched through the topics their words name,
    #: with who shows them; and their offers matched to others' needs the same way (``needs``).
    worded_needs: tuple[WordedNeed, ...] = ()
    worded_offers: tuple[WordedOffer, ...] = ()
    #: What is derived from the question once, on first need, for all its suggestions (the
    #: reasons' similarity of the members' work to every past project, ``reasons``), by name.
    derived: dict[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Scored:
    """One candidate: its row, its weighted score, the value of each signal, and what the
    list is sorted by (the trees' chance when they re-ordered it, else the weighted score)."""

    row: int
    score: float
    signals: dict[str, float]
    order: float = 0.0

    @property
    def match(self) -> int:
        """The weighted score as a match from 0 to 100 (``match_of``)."""
        return match_of(self.score)


def vectorise(index: MatchIndex, query: MatchQuery, *, dense: np.ndarray | None) -> QueryVectors:
    """The idea and the members' texts as TF-IDF vectors over the index's vocabulary; members
    not in the index are ignored. ``dense`` is the idea's (or the members') dense vector."""
    members = tuple(index.rows[m] for m in query.members if m in index.rows)
    idea_counts = count_matrix([count_words(query.idea)], index.vocabulary.columns)
    idea = tf_idf(idea_counts, index.vocabulary)
    guests = weigh([count_words("\n".join(g.text for g in query.guests))], index.vocabulary)
    together = index.text[list(members)].sum(axis=0) if members else None
    combined = sp.csr_matrix(together) + guests if together is not None else guests
    members_text = normalise_rows(sp.csr_matrix(combined))
    projects = project_similarity(index, idea_counts)
    askers = [index.profiles[row] for row in members] + list(query.guests)
    return QueryVectors(
        members,
        idea,
        members_text,
        dense,
        projects,
        worded_needs=worded_needs(index, askers),
        worded_offers=worded_offers(index, askers),
    )


def weights_for(vectors: QueryVectors, *, needs: bool = False, new_only: bool = False) -> Weights:
    """``DENSE_WEIGHTS`` when the question has a dense vector, else ``DEFAULT_WEIGHTS``; for
    new partners only (``new_only``), ``NEW_PARTNER_SIGNALS`` instead of the signals of the
    members' network; for a needs question (``needs``), technologies and complementary
    profiles count ``NEEDS_TECHNOLOGIES`` and ``NEEDS_PROFILE_FIT``."""
    chosen = DENSE_WEIGHTS if vectors.dense is not None else DEFAULT_WEIGHTS
    if new_only:
        chosen = replace(chosen, **NEW_PARTNER_SIGNALS)
    if needs:
        return replace(chosen, technologies=NEEDS_TECHNOLOGIES, profile_fit=NEEDS_PROFILE_FIT)
    return chosen


def is_needs_question(index: MatchIndex, query: MatchQuery) -> bool:
    """Whether a member (or guest) needs technologies, or is a tech-savvy SME offering some:
    the question is then who covers those needs, or who needs that offer."""
    profiles = [index.profiles[index.rows[m]] for m in query.members if m in index.rows]
    profiles += list(query.guests)
    return any(p.needed or (p.offered and kind_of(p) == TECH_SAVVY_SME) for p in profiles)


def match_of(score: float) -> int:
    """The weighted score ``score`` as a match from 0 to 100 (see ``MATCH_HALF``)."""
    positive = max(score, 0.0)
    return round(100 * positive / (positive + MATCH_HALF))


def band_of(match: int) -> str:
    """``strong``, ``good`` or ``weak``: the band of a match from 0 to 100."""
    if match >= STRONG_MATCH:
        return "strong"
    return "good" if match >= GOOD_MATCH else "weak"


def score_rows(
    index: MatchIndex, vectors: QueryVectors, query: MatchQuery, weights: Weights
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The score of every row and the signals it is made of."""
    members_text = _text_similarity(index, vectors.members_text)
    # Without an idea, what the members worked on is the topic.
    idea = _text_similarity(index, vectors.idea) if vectors.idea.nnz else members_text
    signals = {
        "idea": idea,
        "members_text": members_text,
        **_graph_signals(index, vectors.members),
        **_project_signals(index, vectors),
        "popularity": index.popularity,
        "technologies": _technology_signal(index, vectors, query.guests),
        "ecosystems": _shared(
            index.ecosystems.matrix, index, vectors.members, query.guests, "ecosystems"
        ),
        "profile_fit": _profile_fit(index, vectors.members, query.guests),
        "same_country": _country_share(index, vectors.members, query.guests),
        "same_region": _region_signal(index, vectors.members, query.guests),
    }
    if vectors.dense is not None and index.dense is not None:
        signals["dense"] = np.clip(index.dense @ vectors.dense, 0.0, 1.0)
    return weighted_sum(signals, weights, index.size), signals


def weighted_sum(signals: dict[str, np.ndarray], weights: Weights, size: int) -> np.ndarray:
    """Each row's signals summed with ``weights``."""
    total = np.zeros(size, dtype=np.float32)
    for name, values in signals.items():
        weight = getattr(weights, name)
        if weight:
            total += np.float32(weight) * values
    return total


#: How many candidates the ranker chooses, whatever the number asked (or more when more are
#: asked): a question asked for fewer lists the strongest matches among them, so that the
#: first k of a list of 20 are the list of k (ADR 0023, revision "shortlist"). The length
#: ``make bench-matching`` measures (recall@20).
SHORTLIST = 20


def suggest(
    index: MatchIndex,
    query: MatchQuery,
    *,
    weights: Weights | None = None,
    dense: np.ndarray | None = None,
    reranked: bool = True,
) -> tuple[list[Scored], QueryVectors]:
    """The ``query.top`` strongest matches among the best candidates, listed strongest first
    (``Scored.match``; equal matches in the order that chose them, ties by id), never a
    member nor anyone
    in ``query.exclude``, only those in ``query.only`` when it is given, and only candidates
    with some evidence (a signal of positive weight above 0; popularity alone, whose weight is
    negative, is none). The kind of partner sought (``query.kind``, ``new_only``, countries,
    region categories) and, in a needs question, competitors (``competitors``) are left out
    before anything is ranked. ``weights`` default to ``weights_for`` the question. With
    ``reranked`` (the default) and the default weights, the shipped ranker fitted for the kind
    of question (``trees_for``) orders the best candidates of the weighted score (without a
    kind, each organisation type's among themselves: ``rerank.held_places``) and chooses the
    best. ``Scored.score`` is always the weighted score (for new partners only, with
    the weights of the same question without that filter, so that an organisation's match
    reads the same with and without it) and ``Scored.order`` what the candidates were chosen
    by: the ranker's best ``SHORTLIST`` (or ``query.top`` if more), of which the ``query.top``
    strongest matches are listed. Pure."""
    found = suggest_with_newcomers(
        index, query, weights=weights, dense=dense, reranked=reranked, newcomers=0
    )
    return found.suggestions, found.vectors


#: How many organisations without past projects are listed at most beside the suggestions
#: (``Suggested.newcomers``; ADR 0023, revision "newcomers").
NEWCOMERS = 5


@dataclass(frozen=True, slots=True)
class Suggested:
    """The suggestions of a question (``suggest``), the organisations registered without past
    projects listed beside them (``newcomers``), and the question's vectors."""

    suggestions: list[Scored]
    newcomers: list[Scored]
    vectors: QueryVectors


def suggest_with_newcomers(
    index: MatchIndex,
    query: MatchQuery,
    *,
    weights: Weights | None = None,
    dense: np.ndarray | None = None,
    reranked: bool = True,
    newcomers: int = NEWCOMERS,
) -> Suggested:
    """``suggest``'s suggestions and, beside them, at most ``newcomers`` organisations without
    past projects (``newcomers_of``): candidates the same question allows (its filters,
    competitors and members left out, with some evidence) that are not in the list and whose
    declared technologies match the question. The suggestions are the same as ``suggest``'s.
    Pure."""
    vectors = vectorise(index, query, dense=dense)
    needs = is_needs_question(index, query)
    chosen = (
        weights
        if weights is not None
        else weights_for(vectors, needs=needs, new_only=query.new_only)
    )
    trees = trees_for(index, vectors, query) if reranked and weights is None else None
    scores, signals = score_rows(index, vectors, query, chosen)
    evidence = np.zeros(index.size, dtype=bool)
    for name, values in signals.items():
        if getattr(chosen, name) > 0:
            evidence |= values > 0
    # The match a person reads counts evidence only, the same for an organisation whether or
    # not the question asks for new partners only: that filter re-weighs who is chosen, and
    # the damping of the most active organisations (a prior) helps choose, but neither says
    # how well an organisation matches (ADR 0023, revision "filters").
    shown = (
        replace(weights_for(vectors, needs=needs), popularity=0.0) if weights is None else chosen
    )
    weighted = weighted_sum(signals, shown, index.size).astype(np.float64)
    blocked = blocked_rows(index, query, vectors, needs=needs) | ~evidence
    order = ranked_scores(
        index, vectors, query, scores, signals, blocked=blocked, trees=trees
    )  # fmt: skip
    best = _top(index, order, weighted, signals, max(query.top, SHORTLIST))
    # The ranker's best ``SHORTLIST`` are chosen, then listed by the match a person reads: a
    # list whose third says "match 70" below a first saying "match 66" reads as a mistake
    # (ADR 0023, revision "shown"); the first k of a longer list are the list of k (revision
    # "shortlist"). The sort is stable: equal matches keep the ranker's order.
    listed = sorted(best, key=lambda item: -item.match)[: query.top]
    if newcomers <= 0:
        return Suggested(listed, [], vectors)
    matched = signals["technologies"] if asks_technologies(index, query) else signals["idea"]
    found = newcomers_of(
        index, listed, weighted, signals, ~blocked & (matched > 0), limit=newcomers
    )  # fmt: skip
    return Suggested(listed, found, vectors)


def asks_technologies(index: MatchIndex, query: MatchQuery) -> bool:
    """Whether a member (or guest) of ``query`` declared technologies it needs or offers: the
    question's newcomers must then match them (the ``technologies`` signal), else the idea
    (or, without one, the members' work)."""
    askers = [index.profiles[index.rows[m]] for m in query.members if m in index.rows]
    return any(p.needed or p.offered for p in [*askers, *query.guests])


def newcomers_of(
    index: MatchIndex,
    listed: list[Scored],
    weighted: np.ndarray,
    signals: dict[str, np.ndarray],
    candidates: np.ndarray,
    *,
    limit: int = NEWCOMERS,
) -> list[Scored]:
    """At most ``limit`` rows of ``candidates`` (a mask over the index's rows) without past
    projects and not in ``listed``, by the weighted score ``weighted`` (the match a person
    reads), equal scores in a member's region first (the ``same_region`` signal), then by id.
    An organisation registered by hand has no projects, which most of the evidence of the
    suggestions is: this list is where a declaration can be seen (ADR 0023, revision
    "newcomers"). Pure."""
    if limit <= 0:
        return []
    wanted = candidates & without_projects(index)
    wanted[[item.row for item in listed]] = False
    region = signals.get("same_region", np.zeros(index.size, dtype=np.float32))
    rows = [int(row) for row in np.flatnonzero(wanted)]
    rows.sort(key=lambda row: (-float(weighted[row]), -float(region[row]), index.profiles[row].id))
    return [
        Scored(
            row,
            float(weighted[row]),
            {name: float(values[row]) for name, values in signals.items()},
            float(weighted[row]),
        )
        for row in rows[:limit]
    ]


def trees_for(index: MatchIndex, vectors: QueryVectors, query: MatchQuery) -> Ranker | None:
    """The shipped ranker fitted for the kind of question ``query`` is, or ``None``:

    - new partners only (``new_only``) of an SME kind (``NEW_PARTNER_KINDS``): ``new``;
    - with sentence embeddings, a kind of ``FITTED_KINDS``: ``dense`` (as before);
    - any other question that names a kind (not new partners only): ``kind``, fitted on
      questions asked for the missing member's own type, every candidate of that type;
    - no kind (not new partners only): ``kind`` too, but ``ranked_scores`` then lets it
      re-order the candidates of each organisation type among themselves only
      (``rerank.held_places``): the types at every rank are the weighted score's, so the ranker
      cannot favour a type the user did not ask for (ADR 0023);
    - new partners of another kind or of no kind, or no kind with sentence embeddings:
      ``None`` (the weighted score alone)."""
    if query.kind is None:
        dense = vectors.dense is not None and index.dense is not None
        return None if query.new_only or dense else shipped_trees("kind")
    if query.new_only:
        return shipped_trees("new") if query.kind in NEW_PARTNER_KINDS else None
    if vectors.dense is not None and index.dense is not None:
        return shipped_trees("dense") if query.kind in FITTED_KINDS else None
    return shipped_trees("kind")


def ranked_scores(
    index: MatchIndex,
    vectors: QueryVectors,
    query: MatchQuery,
    scores: np.ndarray,
    signals: dict[str, np.ndarray],
    *,
    blocked: np.ndarray,
    trees: Ranker | None,
    keep_types: bool | None = None,
) -> np.ndarray:
    """``scores`` (from ``score_rows``) as float64, -inf where ``blocked``, the best
    re-ordered by ``trees`` when given (see ``rerank``): within each organisation type only
    when ``keep_types``, which is by default whether the question names no kind. Pure."""
    result = np.where(blocked, -np.inf, scores.astype(np.float64))
    if trees is None:
        return result
    question = Question(vectors.members, query, vectors.projects)
    keep = query.kind is None if keep_types is None else keep_types
    return rerank(index, question, result, signals, trees, keep_types=keep)


def blocked_rows(
    index: MatchIndex, query: MatchQuery, vectors: QueryVectors, *, needs: bool = False
) -> np.ndarray:
    """The rows never to suggest for ``query``: members, exclusions, rows outside ``only``,
    of another kind, country or region category than asked, former partners of a member with
    ``new_only``, and with ``needs`` the members' competitors (``competitors``) and, for one
    organisation asking without an idea nor a kind, whoever does not complement it
    (``complements``). Pure."""
    blocked = np.zeros(index.size, dtype=bool)
    for member in (*query.members, *query.exclude):
        if member in index.rows:
            blocked[index.rows[member]] = True
    if query.only is not None:
        allowed = np.zeros(index.size, dtype=bool)
        allowed[[index.rows[i] for i in query.only if i in index.rows]] = True
        blocked |= ~allowed
    if query.kind is not None:
        blocked |= ~rows_with(index.types, [query.kind])
    if query.countries:
        blocked |= ~rows_with(index.countries, sorted(query.countries))
    if query.region_categories:
        blocked |= ~rows_with(index.categories, sorted(query.region_categories))
    if query.new_only:
        blocked |= worked_with(index, vectors.members)
    if needs:
        blocked |= competitors(index, vectors.members, query.guests)
        if _asks_for_complements(vectors, query):
            blocked |= ~complements(index, vectors, query.guests)
    return blocked


def worked_with(index: MatchIndex, members: tuple[int, ...]) -> np.ndarray:
    """The rows that were in a past project with one of the ``members`` (rows): the former
    partners that new partners only (``MatchQuery.new_only``) leaves out. Pure."""
    if not members:
        return np.zeros(index.size, dtype=bool)
    return np.asarray(index.graph[list(members)].sum(axis=0)).ravel() > 0


def competitors(
    index: MatchIndex, members: tuple[int, ...], guests: tuple[OrgProfile, ...]
) -> np.ndarray:
    """The rows with the same needs as a member (a technology both need), in its sector (an
    ecosystem in common, or both traditional SMEs) and region (its NUTS-2 region, or its
    country when its region is not known): not partners for a needs question. Pure."""
    found = np.zeros(index.size, dtype=bool)
    for member in [index.profiles[row] for row in members] + list(guests):
        if not member.needed:
            continue
        same_needs = rows_with(index.needed, [t.key for t in member.needed])
        sector = rows_with(index.ecosystems, list(member.ecosystems))
        if kind_of(member) == TRADITIONAL_SME:
            sector |= index.kinds == TRADITIONAL_SME
        region = nuts2_of(member.nuts)
        place = (
            rows_with(index.regions, [region])
            if region
            else rows_with(index.countries, [member.country])
        )
        found |= same_needs & sector & place
    return found


def _asks_for_complements(vectors: QueryVectors, query: MatchQuery) -> bool:
    """One organisation asking, with no idea and no kind: its needs (or its offer) are the
    whole question."""
    asking = len(vectors.members) + len(query.guests)
    return asking == 1 and not query.idea.strip() and query.kind is None


def complements(
    index: MatchIndex, vectors: QueryVectors, guests: tuple[OrgProfile, ...]
) -> np.ndarray:
    """The rows that complement the one organisation of a needs question: the tech-savvy SMEs
    and technology providers (centres, research bodies, universities) that offer a technology
    it needs (or show a need it declared in words, ``QueryVectors.worded_needs``), and, when it
    is a tech-savvy SME, those that need a technology it offers (by code, or through the
    topics of its offers, ``QueryVectors.worded_offers``). Pure."""
    asker = ([index.profiles[row] for row in vectors.members] + list(guests))[0]
    found = np.zeros(index.size, dtype=bool)
    if asker.needed:
        providers = (index.kinds == TECH_SAVVY_SME) | (index.kinds == TECHNOLOGY_PROVIDER)
        found |= providers & rows_with(index.offered, _coded(asker.needed))
        for need in vectors.worded_needs:
            found |= providers & need.shows
    if asker.offered and kind_of(asker) == TECH_SAVVY_SME:
        found |= rows_with(index.needed, _coded(asker.offered))
        for offer in vectors.worded_offers:
            found |= offer.shows
    return found


def _coded(technologies: tuple[Technology, ...]) -> list[str]:
    """The codes of ``technologies`` of the vocabulary (those in words are matched through
    their topics, ``needs``)."""
    return [t.key for t in technologies if not is_worded(t)]


def _top(
    index: MatchIndex,
    scores: np.ndarray,
    weighted: np.ndarray,
    signals: dict[str, np.ndarray],
    top: int,
) -> list[Scored]:
    count = min(top, index.size)
    if count == 0:
        return []
    best = (
        np.argpartition(-scores, count - 1)[:count] if count < index.size else np.arange(index.size)
    )
    ordered = sorted(
        (int(row) for row in best if np.isfinite(scores[row])),
        key=lambda row: (-float(scores[row]), index.profiles[row].id),
    )
    return [
        Scored(
            row,
            float(weighted[row]),
            {name: float(values[row]) for name, values in signals.items()},
            float(scores[row]),
        )
        for row in ordered
    ]


def _text_similarity(index: MatchIndex, vector: sp.csr_matrix) -> np.ndarray:
    if vector.nnz == 0:
        return np.zeros(index.size, dtype=np.float32)
    columns = index.text_by_term[:, vector.indices]
    return np.asarray(columns @ vector.data, dtype=np.float32).ravel()


def _graph_signals(index: MatchIndex, members: tuple[int, ...]) -> dict[str, np.ndarray]:
    if not members:
        zeros = np.zeros(index.size, dtype=np.float32)
        return {"coparticipation": zeros, "partners_of_partners": zeros}
    direct = np.asarray(index.graph[list(members)].sum(axis=0), dtype=np.float32).ravel()
    reached = sp.csr_matrix((direct > 0).astype(np.float32))
    second = np.asarray((reached @ index.graph).todense(), dtype=np.float32).ravel()
    return {
        "coparticipation": direct / (direct + COPARTICIPATION_HALF),
        "partners_of_partners": second / (second + PARTNERS_OF_PARTNERS_HALF),
    }


def project_similarity(index: MatchIndex, idea_counts: sp.csr_matrix) -> np.ndarray:
    """The cosine of the idea (its word counts over the index's vocabulary) with each past
    project (columns of ``index.participants``); zeros without an idea."""
    if not len(index.project_idf) or idea_counts.nnz == 0:
        return np.zeros(len(index.project_ids), dtype=np.float32)
    idea = weigh_with(idea_counts, index.project_idf)
    if idea.nnz == 0:
        return np.zeros(len(index.project_ids), dtype=np.float32)
    columns = index.project_text_by_term[:, idea.indices]
    return np.asarray(columns @ idea.data, dtype=np.float32).ravel()


def _project_signals(index: MatchIndex, vectors: QueryVectors) -> dict[str, np.ndarray]:
    """Item-based signals: the participants of the ``SIMILAR_PROJECTS`` past projects most
    similar to the idea, each voting with its squared cosine; and past projects with the
    members, each counted by its members times its squared cosine with the idea."""
    squared = vectors.projects.astype(np.float64) ** 2
    nearest = squared.copy()
    if len(nearest) > SIMILAR_PROJECTS:
        nearest[np.argpartition(-nearest, SIMILAR_PROJECTS)[SIMILAR_PROJECTS:]] = 0.0
    votes = np.asarray(index.participants @ nearest).ravel()
    members = list(vectors.members)
    per_project = (
        np.asarray(index.participants[members].sum(axis=0)).ravel()
        if members
        else np.zeros(len(squared))
    )
    together = np.asarray(index.participants @ (per_project * squared)).ravel()
    return {
        "similar_projects": (votes / (votes + SIMILAR_PROJECTS_HALF)).astype(np.float32),
        "topic_collaborations": (together / (together + TOPIC_COLLABORATIONS_HALF)).astype(
            np.float32
        ),
    }


def _keys(
    index: MatchIndex, members: tuple[int, ...], guests: tuple[OrgProfile, ...], field: str
) -> list[str]:
    """The keys of the members' (and guests') ``field``: ecosystems, or the codes of their
    technologies of the vocabulary (one declared in words is matched through its topics,
    ``needs``, never by its whole phrase)."""
    profiles = [index.profiles[row] for row in members] + list(guests)
    values: set[str] = set()
    for profile in profiles:
        items = getattr(profile, field)
        values.update(
            item if isinstance(item, str) else item.key
            for item in items
            if isinstance(item, str) or not is_worded(item)
        )
    return sorted(values)


def _shared(
    matrix: sp.csr_matrix,
    index: MatchIndex,
    members: tuple[int, ...],
    guests: tuple[OrgProfile, ...],
    field: str,
) -> np.ndarray:
    incidence = {"ecosystems": index.ecosystems, "offered": index.offered, "needed": index.needed}[
        field
    ]
    vector = incidence.vector(_keys(index, members, guests, field))
    counts = np.asarray(matrix @ vector, dtype=np.float32).ravel()
    return counts / (counts + SHARED_KEYS_HALF)


def _technology_signal(
    index: MatchIndex, vectors: QueryVectors, guests: tuple[OrgProfile, ...]
) -> np.ndarray:
    """Candidates that offer what the members need, or need what they offer, one count per
    technology: one of the vocabulary by its code; a need declared in words for those whose
    projects or offers show its topics, and an offer in words for those whose declared needs
    name them (``needs``: the same words declared by both count once, through their
    topics)."""
    members = vectors.members
    offers_needed = index.offered.matrix @ index.offered.vector(
        _keys(index, members, guests, "needed")
    )
    needs_offered = index.needed.matrix @ index.needed.vector(
        _keys(index, members, guests, "offered")
    )
    counts = np.asarray(offers_needed + needs_offered, dtype=np.float32).ravel()
    for need in vectors.worded_needs:
        counts += need.shows
    for offer in vectors.worded_offers:
        counts += offer.shows
    return counts / (counts + SHARED_KEYS_HALF)


def _profile_fit(
    index: MatchIndex, members: tuple[int, ...], guests: tuple[OrgProfile, ...]
) -> np.ndarray:
    """1 for the complement of an SME member: technology for a traditional SME, customers
    (traditional SMEs) for a tech-savvy one."""
    kinds = {int(index.kinds[row]) for row in members}
    kinds |= {_guest_kind(guest) for guest in guests}
    fit = np.zeros(index.size, dtype=np.float32)
    if TRADITIONAL_SME in kinds:
        fit[(index.kinds == TECH_SAVVY_SME) | (index.kinds == TECHNOLOGY_PROVIDER)] = 1.0
    if TECH_SAVVY_SME in kinds:
        fit[index.kinds == TRADITIONAL_SME] = 1.0
    return fit


def _guest_kind(guest: OrgProfile) -> int:
    return kind_of(guest)


def _region_signal(
    index: MatchIndex, members: tuple[int, ...], guests: tuple[OrgProfile, ...]
) -> np.ndarray:
    """1 in a member's NUTS-2 region, 0.5 in a member's country."""
    profiles = [index.profiles[row] for row in members] + list(guests)
    countries = index.countries.vector([p.country for p in profiles])
    regions = index.regions.vector([n for p in profiles if (n := nuts2_of(p.nuts))])
    same_country = np.asarray(index.countries.matrix @ countries, dtype=np.float32).ravel() > 0
    same_region = np.asarray(index.regions.matrix @ regions, dtype=np.float32).ravel() > 0
    return np.maximum(same_country * np.float32(0.5), same_region.astype(np.float32))


def _country_share(
    index: MatchIndex, members: tuple[int, ...], guests: tuple[OrgProfile, ...]
) -> np.ndarray:
    """The share of the members (and guests) in each candidate's country."""
    profiles = [index.profiles[row] for row in members] + list(guests)
    if not profiles:
        return np.zeros(index.size, dtype=np.float32)
    counts = np.zeros(len(index.countries.keys), dtype=np.float32)
    for profile in profiles:
        column = index.countries.columns.get(profile.country)
        if column is not None:
            counts[column] += 1.0
    shared = np.asarray(index.countries.matrix @ counts, dtype=np.float32).ravel()
    return shared / np.float32(len(profiles))


def weights_of(weights: Weights) -> dict[str, float]:
    """The weights by signal name."""
    return asdict(weights)
