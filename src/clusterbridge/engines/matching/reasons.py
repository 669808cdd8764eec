"""Why a candidate is suggested, in words a person can check against the data.

Every reason is computed from the same data as the score: the words the idea (or the members'
texts) and the candidate's text share, the candidate's projects that contain them, the projects
it shared with a member, technologies and ecosystems, the SME profiles and the NUTS-3 area or
region. A reason is given only when its signal is present.
"""

from collections.abc import Sequence

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
from clusterbridge.engines.matching.profile import MatchQuery, OrgProfile, ProjectInfo, Technology
from clusterbridge.engines.matching.rerank import NUTS3_LENGTH, WIDE_VOTES
from clusterbridge.engines.matching.score import (
    SIMILAR_PROJECTS,
    QueryVectors,
    Scored,
)
from clusterbridge.engines.matching.text import shared_terms, words_of
from clusterbridge.engines.profiles.terms import technology_words
from clusterbridge.reference import UnknownRegionError, lookup_region

#: Shared words named in a reason.
TERMS_SHOWN = 6
#: Independent texts (projects; organisations' own texts when none of their projects has the
#: word) a word must occur in to be named as a shared topic: a word of a single project is
#: mostly an acronym or a rare token, "shared" by its participants only because they took part
#: in that project.
MIN_TOPIC_TEXTS = 2
#: A word in more than this share of the past projects is too common to say why an
#: organisation is suggested ("production", "platform", "data"), unless it names a technology
#: (``engines.profiles.terms.technology_words``: "AI", "robotics").
MAX_TOPIC_SHARE = 0.05
#: ... but a small registry may always name a word of up to this many texts.
COMMON_FLOOR = 20
#: Words of project texts that are never a reason, however rare in the registry: they say
#: what a project does, not what it is about.
GENERIC_TERMS = frozenset(
    {
        "moves", "move", "moving", "pilot", "pilots", "piloting", "production", "produce",
        "new", "novel", "approach", "approaches", "solution", "solutions", "results", "based",
        "development", "develop", "developing", "project", "projects", "innovation",
        "innovative", "activities", "partners", "consortium", "european", "europe", "level",
        "impact", "impacts", "demonstrate", "demonstration", "support", "enable", "key",
        "main", "high", "use", "used", "using", "work", "aims", "aim", "objective",
        "objectives", "will", "also", "well", "first", "second", "towards", "including",
        "aiming", "aimed", "joint", "jointly", "attracting", "attract", "partnership",
        "partnerships", "entire", "subject", "difficult", "customer", "customers",
    }
)  # fmt: skip
#: Projects named in a reason.
PROJECTS_SHOWN = 3
#: Members named in a reason about past collaborations.
MEMBERS_SHOWN = 3


def explain(
    index: MatchIndex, query: MatchQuery, vectors: QueryVectors, scored: Scored
) -> list[str]:
    """The reasons for one suggestion, strongest kind first."""
    candidate = index.profiles[scored.row]
    members = [index.profiles[row] for row in vectors.members] + list(query.guests)
    # The projects that voted for the candidate say more than those that merely share words.
    similar = _similar_project_reasons(index, vectors, scored.row)
    reasons = _topic_reasons(index, vectors, scored.row, list_projects=not similar) + similar
    reasons += _collaboration_reasons(index, vectors.members, candidate)
    reasons += _technology_reasons(candidate, members)
    reasons += _ecosystem_reasons(candidate, members)
    reasons += _profile_reasons(candidate, members)
    reasons += _region_reasons(candidate, members)
    return reasons


def _topic_reasons(
    index: MatchIndex, vectors: QueryVectors, row: int, *, list_projects: bool
) -> list[str]:
    source = vectors.idea if vectors.idea.nnz else vectors.members_text
    terms = shared_terms(
        source,
        index.text[row],
        index.vocabulary,
        limit=TERMS_SHOWN,
        skip=index.acronyms | GENERIC_TERMS,
        allowed=distinctive_words(index),
    )
    if not terms:
        return []
    what = "the idea" if vectors.idea.nnz else "the members' work"
    reasons = [f"shared topics with {what}: {', '.join(terms)}"]
    projects = _projects_with(index, index.profiles[row].projects, set(terms))
    if projects and list_projects:
        reasons.append(f"past projects on these topics: {'; '.join(p.label for p in projects)}")
    return reasons


def distinctive_words(index: MatchIndex) -> np.ndarray | None:
    """One bool per word of the index's vocabulary: whether a reason may name it (in at least
    ``MIN_TOPIC_TEXTS`` independent texts, in the title or keywords of some project, and in
    at most ``MAX_TOPIC_SHARE`` of the projects, or ``COMMON_FLOOR``, unless it names a
    technology); ``None`` for an index without counts."""
    if not len(index.documents):
        return None
    projects = max(len(index.project_ids), 1)
    common = max(MAX_TOPIC_SHARE * projects, COMMON_FLOOR)
    allowed = (index.documents >= MIN_TOPIC_TEXTS) & (index.documents <= common)
    if len(index.headline) == len(allowed):
        allowed &= index.headline
    columns = index.vocabulary.columns
    named = [columns[word] for word in technology_words() if word in columns]
    allowed[named] = index.documents[named] >= MIN_TOPIC_TEXTS
    return np.asarray(allowed)


def _similar_project_reasons(index: MatchIndex, vectors: QueryVectors, row: int) -> list[str]:
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
                f"took part in {count} past projects most similar to the idea: " + "; ".join(labels)
            ]
    return []


def _projects_with(index: MatchIndex, numbers: Sequence[int], terms: set[str]) -> list[ProjectInfo]:
    """The candidate's projects whose title or text has the most of ``terms``."""
    found = []
    for number in numbers:
        project = index.projects.get(number)
        if project is None:
            continue
        words = words_of(f"{project.acronym} {project.title} {project.text}")
        hits = len(words & terms)
        if hits:
            found.append((-hits, project.acronym, project))
    found.sort(key=lambda item: (item[0], item[1]))
    return [project for _, _, project in found[:PROJECTS_SHOWN]]


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
    names = [index.profiles[r].name for r in via[:MEMBERS_SHOWN]]
    return [f"worked with partners of your partners: {'; '.join(names)}" + _more(via)]


def _more(items: Sequence[object]) -> str:
    extra = len(items) - MEMBERS_SHOWN
    return f" and {extra} more" if extra > 0 else ""


def _technology_reasons(candidate: OrgProfile, members: list[OrgProfile]) -> list[str]:
    reasons = []
    for member in members:
        offers = _overlap(candidate.offered, member.needed)
        if offers:
            reasons.append(f"offers {', '.join(offers)}, which {member.name} needs")
        needs = _overlap(candidate.needed, member.offered)
        if needs:
            reasons.append(f"needs {', '.join(needs)}, which {member.name} offers")
    return reasons


def _overlap(mine: Sequence[Technology], theirs: Sequence[Technology]) -> list[str]:
    """The labels of ``mine`` whose keys are in ``theirs``, each with its evidence."""
    keys = {item.key for item in theirs}
    return [
        f"{item.label} ({item.evidence})" if item.evidence else item.label
        for item in mine
        if item.key in keys
    ]


def _ecosystem_reasons(candidate: OrgProfile, members: list[OrgProfile]) -> list[str]:
    theirs = {ecosystem for member in members for ecosystem in member.ecosystems}
    shared = [ecosystem for ecosystem in candidate.ecosystems if ecosystem in theirs]
    return [f"works in the same ecosystems: {', '.join(shared)}"] if shared else []


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


def _region_reasons(candidate: OrgProfile, members: list[OrgProfile]) -> list[str]:
    area = candidate.nuts if candidate.nuts and len(candidate.nuts) == NUTS3_LENGTH else None
    for member in members:
        if area and member.nuts == area:
            return [f"in the same area as {member.name}: {region_words(area)}"]
    region = candidate.nuts[:NUTS2_LENGTH] if candidate.nuts else None
    for member in members:
        if region and member.nuts and member.nuts[:NUTS2_LENGTH] == region:
            return [f"in the same region as {member.name}: {region_words(region)}"]
    for member in members:
        if member.country == candidate.country:
            return [f"in the same country as {member.name}: {candidate.country}"]
    return []


def region_words(code: str) -> str:
    """``PL82 Podkarpackie``: a NUTS code and its name, or the code alone if unknown."""
    try:
        return f"{code} {lookup_region(code).name}"
    except UnknownRegionError:
        return code
