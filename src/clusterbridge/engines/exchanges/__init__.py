"""Exchanges between clusters (ClusterXchange, issue 17; docs/adr/0017-exchanges.md).

``programme`` holds the scheme's rules as data with their sources (``data/``); ``catalogue``
ranks the other side for a participant with reasons; ``stay``
counts working days (weekends and the host country's public holidays excluded), measures the
great-circle distance and computes the lump sum with its reasons; ``eligibility`` judges
participants, visit-once, the two countries and host capacity; ``problem``, ``deferred``,
``check``, ``model`` (the only module importing OR-Tools) and ``solve`` assign visitors to hosts:
the visitor-optimal stable assignment, or the most exchanges with the blocking pairs counted.
"""

from clusterbridge.engines.exchanges.catalogue import (
    CatalogueProfile,
    Similarity,
    Suggestion,
    rank_catalogue,
)
from clusterbridge.engines.exchanges.check import check_assignment
from clusterbridge.engines.exchanges.eligibility import (
    Judgement,
    ParticipantSnapshot,
    judge_countries,
    judge_host_capacity,
    judge_participant,
    judge_visit_once,
)
from clusterbridge.engines.exchanges.problem import AssignmentProblem, Host, Visitor, parse_problem
from clusterbridge.engines.exchanges.programme import (
    Programme,
    RuleSource,
    load_programme,
    parse_lump_sum_table,
)
from clusterbridge.engines.exchanges.result import (
    AssignmentResult,
    BlockingPair,
    CheckReport,
    Match,
    Method,
    SolveStatus,
)
from clusterbridge.engines.exchanges.solve import solve
from clusterbridge.engines.exchanges.stay import (
    Distance,
    LumpSum,
    Point,
    StayAssessment,
    StayDatesError,
    assess_stay,
    compute_lump_sum,
    measure_distance,
    month_later,
)

__all__ = [
    "AssignmentProblem",
    "AssignmentResult",
    "BlockingPair",
    "CatalogueProfile",
    "CheckReport",
    "Distance",
    "Host",
    "Judgement",
    "LumpSum",
    "Match",
    "Method",
    "ParticipantSnapshot",
    "Point",
    "Programme",
    "RuleSource",
    "Similarity",
    "SolveStatus",
    "StayAssessment",
    "StayDatesError",
    "Suggestion",
    "Visitor",
    "assess_stay",
    "check_assignment",
    "compute_lump_sum",
    "judge_countries",
    "judge_host_capacity",
    "judge_participant",
    "judge_visit_once",
    "load_programme",
    "measure_distance",
    "month_later",
    "parse_lump_sum_table",
    "parse_problem",
    "rank_catalogue",
    "solve",
]
