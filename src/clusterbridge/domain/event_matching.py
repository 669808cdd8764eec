"""Suggested meetings at a match-making event: a light score anyone can check by eye.

This is deliberately small: shared words between what one participant needs and another offers,
and the complementary profiles the strategic-alliances call pairs (traditional SMEs with
tech-savvy SMEs and cluster organisations). The full partner-matching engine is separate work.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from clusterbridge.domain.enums import CLUSTER_TYPES, OrgType, SmeProfile

#: Points for each word or technology one side needs and the other offers.
WORD_POINTS: Final = 3
#: Points when a traditional SME meets a tech-savvy SME.
PROFILE_POINTS: Final = 5
#: Points when an SME meets a cluster organisation or network.
CLUSTER_POINTS: Final = 2
#: Words shorter than this are ignored ("and", "for", "new").
MIN_WORD_LENGTH: Final = 4
#: Words too common in offers and needs to say anything.
STOP_WORDS: Final = frozenset(
    [
        "about",
        "also",
        "with",
        "from",
        "into",
        "that",
        "this",
        "their",
        "them",
        "they",
        "what",
        "which",
        "will",
        "your",
        "have",
        "more",
        "need",
        "needs",
        "offer",
        "offers",
        "looking",
        "partner",
        "partners",
        "company",
        "companies",
        "services",
        "service",
        "solutions",
        "solution",
        "support",
        "other",
        "some",
        "such",
    ]
)
_WORD = re.compile(r"[^\W\d_][\w-]*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class MatchProfile:
    """What the score reads of one participant."""

    key: int
    offers: str
    needs: str
    org_type: OrgType | None = None
    sme_profile: SmeProfile | None = None


@dataclass(frozen=True, slots=True)
class MatchSuggestion:
    """A participant worth meeting: their key, the score and the reasons in words."""

    key: int
    score: int
    reasons: tuple[str, ...]


def suggest_matches(
    me: MatchProfile, others: Sequence[MatchProfile], *, limit: int = 5
) -> list[MatchSuggestion]:
    """The ``limit`` best participants for ``me`` to meet, best first (ties by key), each with
    a positive score and its reasons. ``me`` itself is never suggested. Pure."""
    my_needs, my_offers = _words(me.needs), _words(me.offers)
    suggestions = []
    for other in others:
        if other.key == me.key:
            continue
        reasons: list[str] = []
        score = 0
        they_offer = sorted(my_needs & _words(other.offers))
        if they_offer:
            score += WORD_POINTS * len(they_offer)
            reasons.append("offers what you look for: " + ", ".join(they_offer))
        they_need = sorted(my_offers & _words(other.needs))
        if they_need:
            score += WORD_POINTS * len(they_need)
            reasons.append("looks for what you offer: " + ", ".join(they_need))
        if {me.sme_profile, other.sme_profile} == {SmeProfile.TRADITIONAL, SmeProfile.TECH_SAVVY}:
            score += PROFILE_POINTS
            reasons.append("a traditional and a tech-savvy SME")
        if _sme_meets_cluster(me, other):
            score += CLUSTER_POINTS
            reasons.append("an SME and a cluster organisation")
        if score > 0:
            suggestions.append(MatchSuggestion(other.key, score, tuple(reasons)))
    suggestions.sort(key=lambda suggestion: (-suggestion.score, suggestion.key))
    return suggestions[:limit]


def _words(text: str) -> set[str]:
    words = {word.casefold() for word in _WORD.findall(text)}
    return {word for word in words if len(word) >= MIN_WORD_LENGTH and word not in STOP_WORDS}


def _sme_meets_cluster(a: MatchProfile, b: MatchProfile) -> bool:
    return (a.org_type is OrgType.SME and b.org_type in CLUSTER_TYPES) or (
        b.org_type is OrgType.SME and a.org_type in CLUSTER_TYPES
    )
