"""Tiny hand-made builder problems whose optimum is known by hand."""

from clusterbridge.engines.consortium.problem import (
    BuildProblem,
    Mode,
    Part,
    Party,
    RuleKind,
    RuleModel,
    Weights,
)

#: Relevance only: no bonus for countries, so that the optimum is a sum of relevances.
PLAIN = Weights(keys=())
RULES = (
    RuleModel("legal", "Partners are legal entities", RuleKind.EACH),
    RuleModel("clusters", "At least two clusters", RuleKind.COUNT, minimum=2),
    RuleModel("countries", "Clusters from two countries", RuleKind.COUNTRIES, minimum=2),
)
OK = Part(certain=True, possible=True)
NO = Part()
FAILS = Part()


def party(
    number: int, relevance: float, country: str, *, cluster: bool, legal: bool = True
) -> Party:
    """A party whose parts say: legal entity or not, cluster or not (in ``country``)."""
    counted = Part(certain=True, possible=True, country=country) if cluster else NO
    return Party(
        id=number,
        name=f"P{number}",
        country=country,
        relevance=relevance,
        parts=(OK if legal else FAILS, OK if cluster else NO, counted),
        keys=frozenset({f"country:{country}"}),
    )


A = party(1, 0.9, "DE", cluster=False)
B = party(2, 0.5, "DE", cluster=True)
C = party(3, 0.4, "FR", cluster=True)
D = party(4, 0.3, "PL", cluster=True)
E = party(5, 0.95, "US", cluster=True, legal=False)
MEMBER_FR = party(-1, 0.0, "FR", cluster=True)
MEMBER_US = party(-2, 0.0, "US", cluster=True, legal=False)


def build_problem(**changes: object) -> BuildProblem:
    """Five candidates, at most three partners: the optimum is A, B and C (1.8)."""
    values: dict[str, object] = {
        "rules": RULES, "members": (), "candidates": (A, B, C, D, E), "max_partners": 3,
        "weights": PLAIN,
    }  # fmt: skip
    values.update(changes)
    return BuildProblem(**values)  # type: ignore[arg-type]


def complete_problem() -> BuildProblem:
    """A French cluster and a partner that is no legal entity, to complete."""
    return build_problem(
        members=(MEMBER_FR, MEMBER_US), candidates=(A, B, C, D), mode=Mode.COMPLETE
    )
