"""Every model, imported here so that ``Base.metadata`` knows all tables (Alembic needs it)."""

from clusterbridge.db.models.analysis import (
    AnalysisDocument,
    Finding,
    FindingEvidence,
    Recommendation,
    RecommendationFinding,
)
from clusterbridge.db.models.assessment import (
    ClusterLabel,
    DigitalMaturityAssessment,
    DigitalMaturityScore,
    ImprovementArea,
    ReadinessEvidence,
    ReadinessQuestion,
)
from clusterbridge.db.models.claim import OrganisationClaim
from clusterbridge.db.models.consortium import (
    Consortium,
    ConsortiumInvitation,
    ConsortiumMember,
    ConsortiumPartner,
    ProposalConsortium,
)
from clusterbridge.db.models.evaluation import (
    ConsensusReport,
    EvaluationAssignment,
    EvaluationPanel,
    Expert,
    ExpertDeclaration,
    ProposalDecision,
)
from clusterbridge.db.models.event import (
    Event,
    EventParticipant,
    EventSession,
    Meeting,
    Unavailability,
)
from clusterbridge.db.models.exchange import (
    Exchange,
    ExchangeEvidence,
    ExchangeParticipant,
    ExchangePartnership,
    ExchangePartnershipMember,
    ExchangePreference,
    ExchangeRequest,
)
from clusterbridge.db.models.indicator import (
    Indicator,
    IndicatorEvidence,
    IndicatorReport,
    IndicatorReportEvidence,
    IndicatorReportLine,
    IndicatorTarget,
    IndicatorValue,
    ProjectCall,
    ProjectEvent,
    ProjectPartnership,
)
from clusterbridge.db.models.job import Job
from clusterbridge.db.models.matching import OrganisationEmbedding
from clusterbridge.db.models.monitored_project import MonitoredProject, MonitoredProjectMember
from clusterbridge.db.models.organisation import (
    ClusterMembership,
    ClusterMembershipRequest,
    Organisation,
    OrganisationEcosystem,
    OrganisationMember,
    OrganisationTechnology,
)
from clusterbridge.db.models.outcome import FollowUp, Outcome
from clusterbridge.db.models.project import Participation, Project
from clusterbridge.db.models.selection import (
    CascadePayment,
    ProgrammeCall,
    Proposal,
    ProposalDocument,
    ProposalPartner,
)
from clusterbridge.db.models.sme_service import (
    ProjectService,
    ServiceDelivery,
    ServiceRating,
    TrainingParticipant,
)
from clusterbridge.db.models.user import ApiToken, PasswordReset, User, WebSession

__all__ = [
    "AnalysisDocument",
    "ApiToken",
    "CascadePayment",
    "ClusterLabel",
    "ClusterMembership",
    "ClusterMembershipRequest",
    "ConsensusReport",
    "Consortium",
    "ConsortiumInvitation",
    "ConsortiumMember",
    "ConsortiumPartner",
    "DigitalMaturityAssessment",
    "DigitalMaturityScore",
    "EvaluationAssignment",
    "EvaluationPanel",
    "Event",
    "EventParticipant",
    "EventSession",
    "Exchange",
    "ExchangeEvidence",
    "ExchangeParticipant",
    "ExchangePartnership",
    "ExchangePartnershipMember",
    "ExchangePreference",
    "ExchangeRequest",
    "Expert",
    "ExpertDeclaration",
    "Finding",
    "FindingEvidence",
    "FollowUp",
    "ImprovementArea",
    "Indicator",
    "IndicatorEvidence",
    "IndicatorReport",
    "IndicatorReportEvidence",
    "IndicatorReportLine",
    "IndicatorTarget",
    "IndicatorValue",
    "Job",
    "Meeting",
    "MonitoredProject",
    "MonitoredProjectMember",
    "Organisation",
    "OrganisationClaim",
    "OrganisationEcosystem",
    "OrganisationEmbedding",
    "OrganisationMember",
    "OrganisationTechnology",
    "Outcome",
    "Participation",
    "PasswordReset",
    "ProgrammeCall",
    "Project",
    "ProjectCall",
    "ProjectEvent",
    "ProjectPartnership",
    "ProjectService",
    "Proposal",
    "ProposalConsortium",
    "ProposalDecision",
    "ProposalDocument",
    "ProposalPartner",
    "ReadinessEvidence",
    "ReadinessQuestion",
    "Recommendation",
    "RecommendationFinding",
    "ServiceDelivery",
    "ServiceRating",
    "TrainingParticipant",
    "Unavailability",
    "User",
    "WebSession",
]
