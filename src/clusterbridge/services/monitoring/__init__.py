"""Monitoring: self-assessments of cluster organisations (cluster management excellence
readiness, the labels they hold) and of SMEs (digital maturity).

May call registry, accounts and the shared helpers (mail, evidence); nothing else."""

from clusterbridge.services.monitoring.access import (
    AssessmentNotFoundError,
    own_cluster,
    own_organisation,
)
from clusterbridge.services.monitoring.labels import (
    DEFAULT_DAYS_BEFORE,
    add_label,
    remind_label_expiry,
    remove_label,
)
from clusterbridge.services.monitoring.maturity import (
    MaturityEntry,
    Suggestion,
    maturity_history,
    suggest,
    take_assessment,
)
from clusterbridge.services.monitoring.questions import maturity_rules, readiness_questions
from clusterbridge.services.monitoring.readiness import (
    Readiness,
    add_improvement,
    add_question,
    answer_question,
    attach_evidence,
    edit_question,
    get_evidence,
    get_readiness,
    remove_question,
    update_improvement,
)

__all__ = [
    "DEFAULT_DAYS_BEFORE",
    "AssessmentNotFoundError",
    "MaturityEntry",
    "Readiness",
    "Suggestion",
    "add_improvement",
    "add_label",
    "add_question",
    "answer_question",
    "attach_evidence",
    "edit_question",
    "get_evidence",
    "get_readiness",
    "maturity_history",
    "maturity_rules",
    "own_cluster",
    "own_organisation",
    "readiness_questions",
    "remind_label_expiry",
    "remove_label",
    "remove_question",
    "suggest",
    "take_assessment",
    "update_improvement",
]
