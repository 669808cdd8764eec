"""Exchanges (ClusterXchange, issue 17): partnerships, enrolment and validation, the catalogue of validated participants with suggestions, requests between visitors and
hosts, exchanges from
proposal to payment (Commitment to Quality, closing report and evidence, validation, payment,
indicator credit) or cancelled before the report's validation, the partnership's dashboard, programme officers' read-only view of every exchange, mail at each step; assignment problems as files,
lump sums between two places, the programme with the administrator's lump-sum table.

Owns the exchange rows. May call ``matching`` (suggestions with reasons),
``registry`` and ``accounts``, and the shared helpers.
"""

from clusterbridge.services.evidence import (
    EVIDENCE_TYPES,
    MAX_EVIDENCE_BYTES,
    MAX_EVIDENCE_FILES,
    Upload,
)
from clusterbridge.services.exchanges.access import (
    ExchangeConflictError,
    ExchangeNotFoundError,
    acts_for,
    reads_partnership,
)
from clusterbridge.services.exchanges.approvals import (
    approvable_parties,
    approve_commitment,
    party_words,
)
from clusterbridge.services.exchanges.assignment import (
    AssignmentRun,
    run_assignment,
    set_preferences,
)
from clusterbridge.services.exchanges.cancellation import (
    can_cancel,
    cancel_exchange,
    cancelling_party,
)
from clusterbridge.services.exchanges.catalogue import (
    Catalogue,
    CatalogueItem,
    participant_catalogue,
    visible_participant,
)
from clusterbridge.services.exchanges.commitment import commitment_pdf
from clusterbridge.services.exchanges.dashboard import Dashboard, partnership_dashboard
from clusterbridge.services.exchanges.enrolment import (
    MAX_PREFERRED_COUNTRIES,
    MAX_PREFERRED_SECTORS,
    MAX_TEXT,
    Enrolment,
    check_enrolment,
    create_partnership,
    create_partnership_as,
    create_partnership_from_form,
    decide_enrolment,
    enrol,
    judge_enrolment,
)
from clusterbridge.services.exchanges.files import (
    assign,
    assignment_to_dict,
    read_assignment_problem,
)
from clusterbridge.services.exchanges.lump_sums import (
    LumpSumEstimate,
    estimate_lump_sum,
    estimate_to_dict,
    lump_sum_reasons,
    open_programme,
)
from clusterbridge.services.exchanges.notifications import ExchangeNotifier
from clusterbridge.services.exchanges.oversight import (
    ExchangeListing,
    PaymentsAwaited,
    list_exchanges,
    overseen_partnerships,
    oversees,
    payments_awaited,
)
from clusterbridge.services.exchanges.overview import (
    Overview,
    PartnershipView,
    overview,
    partnership_view,
)
from clusterbridge.services.exchanges.payment import check_payment, record_payment
from clusterbridge.services.exchanges.places import Place, resolve_place
from clusterbridge.services.exchanges.reminders import remind_payments
from clusterbridge.services.exchanges.requests import (
    answer_request,
    ask_host,
    participant_requests,
)
from clusterbridge.services.exchanges.workflow import (
    Proposal,
    check_proposal,
    get_evidence,
    get_exchange,
    propose_exchange,
    submit_report,
    validate_report,
)

__all__ = [
    "EVIDENCE_TYPES",
    "MAX_EVIDENCE_BYTES",
    "MAX_EVIDENCE_FILES",
    "MAX_PREFERRED_COUNTRIES",
    "MAX_PREFERRED_SECTORS",
    "MAX_TEXT",
    "AssignmentRun",
    "Catalogue",
    "CatalogueItem",
    "Dashboard",
    "Enrolment",
    "ExchangeConflictError",
    "ExchangeListing",
    "ExchangeNotFoundError",
    "ExchangeNotifier",
    "LumpSumEstimate",
    "Overview",
    "PartnershipView",
    "PaymentsAwaited",
    "Place",
    "Proposal",
    "Upload",
    "acts_for",
    "answer_request",
    "approvable_parties",
    "approve_commitment",
    "ask_host",
    "assign",
    "assignment_to_dict",
    "can_cancel",
    "cancel_exchange",
    "cancelling_party",
    "check_enrolment",
    "check_payment",
    "check_proposal",
    "commitment_pdf",
    "create_partnership",
    "create_partnership_as",
    "create_partnership_from_form",
    "decide_enrolment",
    "enrol",
    "estimate_lump_sum",
    "estimate_to_dict",
    "get_evidence",
    "get_exchange",
    "judge_enrolment",
    "list_exchanges",
    "lump_sum_reasons",
    "open_programme",
    "overseen_partnerships",
    "oversees",
    "overview",
    "participant_catalogue",
    "participant_requests",
    "partnership_dashboard",
    "partnership_view",
    "party_words",
    "payments_awaited",
    "propose_exchange",
    "read_assignment_problem",
    "reads_partnership",
    "record_payment",
    "remind_payments",
    "resolve_place",
    "run_assignment",
    "set_preferences",
    "submit_report",
    "validate_report",
    "visible_participant",
]
