"""Every model, imported here so that ``Base.metadata`` knows all tables (Alembic needs it)."""

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
from clusterbridge.db.models.job import Job
from clusterbridge.db.models.matching import OrganisationEmbedding
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
)
from clusterbridge.db.models.user import ApiToken, PasswordReset, User, WebSession

__all__ = [
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
    "FollowUp",
    "ImprovementArea",
    "Job",
    "Meeting",
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
    "Proposal",
    "ProposalDecision",
    "ProposalDocument",
    "ReadinessEvidence",
    "ReadinessQuestion",
    "Unavailability",
    "User",
    "WebSession",
]
