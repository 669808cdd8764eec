"""Self-assessments: cluster management excellence readiness and SME digital maturity.

Pure: the dimensions, the answer scales and the scoring rules, as ADR 0019 documents them.

Cluster readiness: each question is answered on a 0-4 scale and has a weight (1-5, default 1).
A dimension's score is ``100 * sum(weight * level) / sum(weight * 4)`` over its *answered*
questions, rounded half up to one decimal; the overall score is the same sum over every answered
question of every dimension. A dimension with no answered question has no score. This is
clusterbridge's own rule: the official indicator list and scoring of the European Cluster
Excellence labels are not public.

Digital maturity: each question is answered on a 0-5 scale. A dimension's score is the mean of
its answers divided by 5, times 100; the overall score is the average of the six dimension
scores (the EDIH network: "calculated as an average from the scores that you obtained over the
six dimensions"). Every question must be answered.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from clusterbridge.domain.enums import OrgType

#: The evidence of every profile value a digital maturity assessment derived starts with this:
#: the next assessment replaces those values, and deriving profiles again from projects keeps
#: them (they are the SME's own statement, if not a declaration).
ASSESSMENT_EVIDENCE_PREFIX = "Digital maturity assessment"


class ClusterDimension(StrEnum):
    """The six areas of the European cluster management excellence benchmarking (ESCA,
    https://www.cluster-analysis.org/benchmarked-clusters)."""

    STRUCTURE = "structure"
    GOVERNANCE = "governance"
    FINANCING = "financing"
    SERVICES = "services"
    COOPERATION = "cooperation"
    RECOGNITION = "recognition"


class DmaDimension(StrEnum):
    """The six dimensions of the EU digital maturity assessment for SMEs (EDIH network FAQ,
    https://european-digital-innovation-hubs.ec.europa.eu/de/faq/DMA-Frequent-Fragen-faq)."""

    STRATEGY = "strategy"
    READINESS = "readiness"
    HUMAN_CENTRIC = "human_centric"
    DATA = "data"
    AUTOMATION_AI = "automation_ai"
    GREEN = "green"


class LabelLevel(StrEnum):
    """The European Cluster Excellence labels."""

    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"


class ImprovementStatus(StrEnum):
    """How far an improvement area has come."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


def overdue_since(status: ImprovementStatus, due: date | None, *, today: date) -> date | None:
    """The first day an improvement area is overdue, the day after its due date, once that
    day has come (``today``, the site's calendar date) and while it is not done; None for an
    area done, without a due date or due today or later. Pure."""
    if status is ImprovementStatus.DONE or due is None or due >= today:
        return None
    return due + timedelta(days=1)


#: The answer scales: cluster questions 0-4, digital maturity questions 0-5.
CLUSTER_TOP_LEVEL = 4
#: The six areas as the readiness page and its export name them, in their order.
CLUSTER_DIMENSION_NAMES = {
    ClusterDimension.STRUCTURE: "Structure of the cluster",
    ClusterDimension.GOVERNANCE: "Management and governance",
    ClusterDimension.FINANCING: "Financing",
    ClusterDimension.SERVICES: "Services",
    ClusterDimension.COOPERATION: "Cooperation and interaction",
    ClusterDimension.RECOGNITION: "Achievements and recognition",
}
#: Each answer of the 0-4 scale in words, by its level.
CLUSTER_LEVEL_WORDS = (
    "0 – not in place",
    "1 – started",
    "2 – partly",
    "3 – mostly",
    "4 – fully, with evidence",
)
DMA_TOP_LEVEL = 5
MIN_WEIGHT = 1
MAX_WEIGHT = 5
_TENTH = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Answer:
    """One answered question: its dimension, level and weight."""

    dimension: str
    level: int
    weight: int = 1


def round_score(value: Decimal) -> Decimal:
    """``value`` rounded half up to one decimal (62.45 -> 62.5)."""
    return value.quantize(_TENTH, rounding=ROUND_HALF_UP)


def score_cluster(answers: Iterable[Answer]) -> tuple[dict[str, Decimal], Decimal | None]:
    """Per dimension and overall, the weighted share of the top level, 0-100 (module
    docstring). Unanswered questions are not passed in; a dimension without answers is absent;
    the overall score is ``None`` when nothing is answered."""
    points: dict[str, list[int]] = {}
    for answer in answers:
        got, top = points.setdefault(answer.dimension, [0, 0])
        points[answer.dimension] = [
            got + answer.weight * answer.level,
            top + answer.weight * CLUSTER_TOP_LEVEL,
        ]
    scores = {d: round_score(Decimal(100 * g) / t) for d, (g, t) in points.items()}
    got = sum(g for g, _ in points.values())
    top = sum(t for _, t in points.values())
    return scores, round_score(Decimal(100 * got) / top) if top else None


def counts_as_sme(*, is_sme: bool | None, org_type: OrgType | None) -> bool:
    """Whether an organisation is an SME, as ADR 0029 counts them: ``is_sme`` true, or
    ``is_sme`` unknown and the type SME (an explicit false wins over the type). Only an SME
    takes the digital maturity self-assessment."""
    return is_sme is True or (is_sme is None and org_type is OrgType.SME)


def score_digital_maturity(
    answers: Mapping[str, Iterable[int]],
) -> tuple[dict[str, Decimal], Decimal]:
    """Per DMA dimension the mean answer as a share of 5, 0-100, and overall the average of
    the six dimension scores, each rounded half up to one decimal (the overall average is taken
    of the unrounded dimension scores). ``answers`` maps each of the six dimensions to its
    levels; ``ValueError`` if one is missing or has no answers."""
    exact: dict[str, Decimal] = {}
    for dimension in DmaDimension:
        levels = list(answers.get(dimension, ()))
        if not levels:
            raise ValueError(f"{dimension}: no answers")
        exact[dimension] = Decimal(100 * sum(levels)) / (DMA_TOP_LEVEL * len(levels))
    overall = sum(exact.values(), Decimal(0)) / len(exact)
    return {d: round_score(s) for d, s in exact.items()}, round_score(overall)
