"""What the consortium builder optimises: parties, their parts in each rule, and the goal.

A *party* is a partner that may be in the proposal: a *member* (a partner the user fixed, or
the consortium to complete) or a *candidate* from the shortlist. For every rule the builder
encodes, each party has a ``Part``: what the eligibility engine says that partner alone brings
to the rule (see ``encode``). Everything is validated once, here.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

#: Scores are floats; CP-SAT wants integers: a score of 1.0 is worth this many units.
SCALE = 1000


class RuleKind(StrEnum):
    """How a rule is encoded: partner by partner, a count, distinct countries, or a share."""

    EACH = "each"
    COUNT = "count"
    COUNTRIES = "countries"
    SHARE = "share"


class Mode(StrEnum):
    """Build new proposals (members kept) or complete a consortium (members may be swapped)."""

    BUILD = "build"
    COMPLETE = "complete"


@dataclass(frozen=True, slots=True)
class RuleModel:
    """One rule of the call as the model sees it.

    ``minimum`` is the count a COUNT or COUNTRIES rule asks for; ``share`` the
    (numerator, denominator) of a SHARE rule. ``blocking`` rules must not fail; a rule that
    only warns is a bonus when it passes for certain.
    """

    id: str
    title: str
    kind: RuleKind
    minimum: int = 0
    share: tuple[int, int] = (0, 1)
    blocking: bool = True

    def __post_init__(self) -> None:
        if self.kind in {RuleKind.COUNT, RuleKind.COUNTRIES} and self.minimum < 1:
            raise ValueError(f"rule {self.id}: a {self.kind} rule needs a minimum of at least 1")
        numerator, denominator = self.share
        if self.kind is RuleKind.SHARE and not 0 < numerator <= denominator:
            raise ValueError(f"rule {self.id}: a share must lie in (0, 1], not {self.share}")


@dataclass(frozen=True, slots=True)
class Part:
    """What one party brings to one rule.

    EACH: ``possible`` is false when the party fails the rule (it cannot be in the proposal),
    ``certain`` when it surely passes, ``warning`` when it passes with a warning. COUNT and
    COUNTRIES: whether it counts for certain, or may count (missing data); ``country`` is the
    country it adds. SHARE: ``bounds`` are its terms of the share bounds (lowest share's
    numerator and denominator, highest share's numerator and denominator).
    """

    certain: bool = False
    possible: bool = False
    warning: bool = False
    country: str = ""
    bounds: tuple[int, int, int, int] = (0, 0, 0, 0)

    def __post_init__(self) -> None:
        if self.certain and not self.possible:
            raise ValueError("a part that counts for certain also counts possibly")


NEUTRAL = Part(certain=True, possible=True)


@dataclass(frozen=True, slots=True)
class Party:
    """A partner that may be in the proposal: its registry id (or a negative number for a
    member outside the registry), its relevance to the question (0 for members), the keys it
    covers for complementarity (``country:PL``, ``ecosystem:...``, ``technology:...``) and one
    part per rule of the problem."""

    id: int
    name: str
    country: str
    relevance: float
    parts: tuple[Part, ...]
    keys: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Weights:
    """How the score of a proposal is made: relevance of each added partner, plus a bonus for
    each complementarity key covered (by prefix), minus a penalty for each partner passing a
    rule only with a warning, plus a bonus for each warning-only rule passed for certain."""

    relevance: float = 1.0
    keys: tuple[tuple[str, float], ...] = (
        ("country", 0.05),
        ("ecosystem", 0.05),
        ("technology", 0.05),
        ("evidence", 0.05),
    )
    warning: float = 0.1
    soft_rule: float = 0.25
    #: In the proposals after the first (BUILD mode), the share of its relevance a partner
    #: already added by an earlier proposal loses, so that the next ones bring other partners
    #: rather than the same ones with two replaced. Never more than its relevance: the
    #: objective's tiers stay as they are.
    reused: float = 0.5

    def key_weight(self, key: str) -> float:
        """The bonus of covering ``key`` (by its prefix; 0 for an unknown prefix)."""
        prefix = key.partition(":")[0]
        return next((weight for name, weight in self.keys if name == prefix), 0.0)


@dataclass(frozen=True)
class BuildProblem:
    """One question to the builder.

    ``members`` are kept in BUILD mode and may be removed (a swap) in COMPLETE mode;
    ``candidates`` may be added. At most ``max_partners`` partners in all. Each new proposal
    differs from every earlier one in at least ``min_difference`` added partners (BUILD), or is
    no superset of an earlier change (COMPLETE).
    """

    rules: tuple[RuleModel, ...]
    members: tuple[Party, ...]
    candidates: tuple[Party, ...]
    max_partners: int
    mode: Mode = Mode.BUILD
    weights: Weights = field(default_factory=Weights)
    min_difference: int = 2

    def __post_init__(self) -> None:
        parties = (*self.members, *self.candidates)
        ids = [party.id for party in parties]
        if len(set(ids)) != len(ids):
            raise ValueError("party ids must be unique")
        for party in parties:
            if len(party.parts) != len(self.rules):
                raise ValueError(
                    f"party {party.id}: {len(party.parts)} parts for {len(self.rules)} rules"
                )
        if self.max_partners < 1:
            raise ValueError("max_partners must be at least 1")
        if self.mode is Mode.BUILD and len(self.members) > self.max_partners:
            raise ValueError(
                f"{len(self.members)} members exceed max_partners ({self.max_partners})"
            )
        if self.min_difference < 1:
            raise ValueError("min_difference must be at least 1")

    @property
    def parties(self) -> tuple[Party, ...]:
        """Members first, then candidates: the order of the model's variables."""
        return (*self.members, *self.candidates)

    def party(self, party_id: int) -> Party:
        """The party with this id (KeyError otherwise)."""
        for party in self.parties:
            if party.id == party_id:
                return party
        raise KeyError(party_id)


def scaled(value: float) -> int:
    """A score in the model's integer units."""
    return round(value * SCALE)


def covered_keys(parties: Sequence[Party]) -> frozenset[str]:
    """Every key the parties cover."""
    return frozenset(key for party in parties for key in party.keys)
