"""A monitored project's analysis (issue 19, part 5): opportunities and threats for SMEs adopting
advanced technologies with the evidence they rest on, policy recommendations citing them, the
documents uploaded as evidence, and the document exported as PDF or DOCX (ADR 0030).

Part of the monitoring capability: it calls the projects' access rules, the registry's
vocabulary and the shared evidence helpers."""

from clusterbridge.services.monitoring.analysis.documents import get_document, upload_document
from clusterbridge.services.monitoring.analysis.evidence import (
    RESOLVERS,
    EvidenceResolver,
    EvidenceScope,
    evidence_choices,
    scope_of,
)
from clusterbridge.services.monitoring.analysis.findings import (
    FindingDraft,
    create_finding,
    delete_finding,
    link_evidence,
    reorder_findings,
    unlink_evidence,
    update_finding,
)
from clusterbridge.services.monitoring.analysis.recommendations import (
    RecommendationDraft,
    create_recommendation,
    delete_recommendation,
    reorder_recommendations,
    update_recommendation,
)
from clusterbridge.services.monitoring.analysis.workspace import (
    MEDIA_TYPES,
    PROFILE_LABELS,
    Analysis,
    ExportFormat,
    analysis_report,
    describe_concerns,
    export_analysis,
    get_analysis,
)

__all__ = [
    "MEDIA_TYPES",
    "PROFILE_LABELS",
    "RESOLVERS",
    "Analysis",
    "EvidenceResolver",
    "EvidenceScope",
    "ExportFormat",
    "FindingDraft",
    "RecommendationDraft",
    "analysis_report",
    "create_finding",
    "create_recommendation",
    "delete_finding",
    "delete_recommendation",
    "describe_concerns",
    "evidence_choices",
    "export_analysis",
    "get_analysis",
    "get_document",
    "link_evidence",
    "reorder_findings",
    "reorder_recommendations",
    "scope_of",
    "unlink_evidence",
    "update_finding",
    "update_recommendation",
    "upload_document",
]
