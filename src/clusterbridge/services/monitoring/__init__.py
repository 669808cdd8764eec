"""Monitoring: self-assessments of cluster organisations (cluster management excellence
readiness, the labels they hold) and of SMEs (digital maturity); the outcome ledger (follow-ups
of meetings and exchanges, the outcomes answered, counted without double counting); the
monitored projects (Euroclusters, alliances, partnerships) that report their impact, and their
services to SMEs (catalogue, deliveries, trainings, the SMEs' ratings, the counts).

May call registry, accounts and the shared helpers (mail, evidence); nothing else."""

from clusterbridge.services.monitoring.access import (
    AssessmentNotFoundError,
    own_cluster,
    own_organisation,
)
from clusterbridge.services.monitoring.deliveries import (
    DeliveryDraft,
    DeliveryFilters,
    ParticipantDraft,
    list_deliveries,
    record_delivery,
    resolve_organisation,
)
from clusterbridge.services.monitoring.followups import (
    FOLLOWUP_PATH,
    FollowUpLinkError,
    FollowUpMail,
    FollowUpQuestion,
    answer_follow_up,
    open_follow_up,
    send_follow_ups,
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
from clusterbridge.services.monitoring.outcomes import (
    OUTCOME_LABELS,
    OutcomeEntry,
    distinct_smes_with_outcomes,
    organisation_outcomes,
    outcome_counts,
    outcome_entry,
)
from clusterbridge.services.monitoring.projects import (
    ProjectDetails,
    ProjectDraft,
    ProjectNotFoundError,
    add_partner,
    can_manage,
    coordinator_choices,
    create_project,
    get_project,
    list_projects,
    managed_project,
    partner_ids,
    project_periods,
    remove_partner,
    update_project,
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
from clusterbridge.services.monitoring.service_catalogue import (
    ServiceDraft,
    create_service,
    list_services,
)
from clusterbridge.services.monitoring.service_files import (
    export_deliveries,
    find_project,
    import_deliveries,
    record_delivery_text,
)
from clusterbridge.services.monitoring.service_ratings import (
    DeliveryNotFoundError,
    ReceivedService,
    may_rate,
    rate_delivery,
    received_services,
    receiver_ids,
)
from clusterbridge.services.monitoring.services_delivered import (
    people_trained,
    service_hours,
    services_delivered,
    supported_organisation_ids,
)

__all__ = [
    "DEFAULT_DAYS_BEFORE",
    "FOLLOWUP_PATH",
    "OUTCOME_LABELS",
    "AssessmentNotFoundError",
    "DeliveryDraft",
    "DeliveryFilters",
    "DeliveryNotFoundError",
    "FollowUpLinkError",
    "FollowUpMail",
    "FollowUpQuestion",
    "MaturityEntry",
    "OutcomeEntry",
    "ParticipantDraft",
    "ProjectDetails",
    "ProjectDraft",
    "ProjectNotFoundError",
    "Readiness",
    "ReceivedService",
    "ServiceDraft",
    "Suggestion",
    "add_improvement",
    "add_label",
    "add_partner",
    "add_question",
    "answer_follow_up",
    "answer_question",
    "attach_evidence",
    "can_manage",
    "coordinator_choices",
    "create_project",
    "create_service",
    "distinct_smes_with_outcomes",
    "edit_question",
    "export_deliveries",
    "find_project",
    "get_evidence",
    "get_project",
    "get_readiness",
    "import_deliveries",
    "list_deliveries",
    "list_projects",
    "list_services",
    "managed_project",
    "maturity_history",
    "maturity_rules",
    "may_rate",
    "open_follow_up",
    "organisation_outcomes",
    "outcome_counts",
    "outcome_entry",
    "own_cluster",
    "own_organisation",
    "partner_ids",
    "people_trained",
    "project_periods",
    "rate_delivery",
    "readiness_questions",
    "received_services",
    "receiver_ids",
    "record_delivery",
    "record_delivery_text",
    "remind_label_expiry",
    "remove_label",
    "remove_partner",
    "remove_question",
    "resolve_organisation",
    "send_follow_ups",
    "service_hours",
    "services_delivered",
    "suggest",
    "supported_organisation_ids",
    "take_assessment",
    "update_improvement",
    "update_project",
]
