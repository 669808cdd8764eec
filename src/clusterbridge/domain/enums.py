"""Enumerations of the domain, with their named groups."""

from enum import StrEnum


class OrgType(StrEnum):
    """What kind of organisation a partner is."""

    CLUSTER_ORGANISATION = "cluster_organisation"
    CLUSTER_NETWORK = "cluster_network"
    BUSINESS_NETWORK = "business_network"
    SME = "sme"
    LARGE_ENTERPRISE = "large_enterprise"
    TECHNOLOGY_CENTRE = "technology_centre"
    RESEARCH_ORGANISATION = "research_organisation"
    UNIVERSITY = "university"
    PUBLIC_BODY = "public_body"
    OTHER = "other"
    NATURAL_PERSON = "natural_person"


class SmeProfile(StrEnum):
    """The two SME profiles of the strategic-alliances call (seed 001)."""

    TRADITIONAL = "traditional"
    TECH_SAVVY = "tech_savvy"


class Role(StrEnum):
    """A partner's role in a consortium."""

    COORDINATOR = "coordinator"
    BENEFICIARY = "beneficiary"
    AFFILIATED_ENTITY = "affiliated_entity"
    ASSOCIATED_PARTNER = "associated_partner"


#: Roles of the applicants proper: affiliated entities and associated partners are not applicants.
APPLICANT_ROLES: frozenset[Role] = frozenset({Role.COORDINATOR, Role.BENEFICIARY})

#: Organisation types that count as cluster organisations or cluster networks.
CLUSTER_TYPES: frozenset[OrgType] = frozenset(
    {OrgType.CLUSTER_ORGANISATION, OrgType.CLUSTER_NETWORK}
)


class RuleStatus(StrEnum):
    """The outcome of one rule for one consortium."""

    PASS = "pass"  # noqa: S105 -- a rule status, not a password
    FAIL = "fail"
    WARNING = "warning"
    UNKNOWN = "unknown"


# Members bound to module names: on Python 3.11 ``RuleStatus.PASS`` costs a descriptor call,
# which the rule engine pays for every rule of every check.
PASS, FAIL, WARNING, UNKNOWN = (
    RuleStatus.PASS,
    RuleStatus.FAIL,
    RuleStatus.WARNING,
    RuleStatus.UNKNOWN,
)


class Verdict(StrEnum):
    """The overall answer for a consortium and a call."""

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    INCOMPLETE = "incomplete"


#: Verdicts ordered from best to worst, for ranking calls.
VERDICT_ORDER: tuple[Verdict, ...] = (Verdict.ELIGIBLE, Verdict.INCOMPLETE, Verdict.INELIGIBLE)


class CallStatus(StrEnum):
    """Whether a call still accepts proposals."""

    OPEN = "open"
    CLOSED = "closed"
    NO_DEADLINE = "no_deadline"


class UserRole(StrEnum):
    """What a user of the platform does; it decides what they may see and change."""

    ADMINISTRATOR = "administrator"
    CLUSTER_MANAGER = "cluster_manager"
    ORGANISATION_MEMBER = "organisation_member"
    EVENT_ORGANISER = "event_organiser"
    PROGRAMME_OFFICER = "programme_officer"


class ValueOrigin(StrEnum):
    """Where a profile value comes from: derived from the organisation's projects, or declared
    (typed, imported from a file, or confirmed) by its members. A declared value always wins."""

    DERIVED = "derived"
    DECLARED = "declared"


class TechnologyDirection(StrEnum):
    """Whether an organisation offers a technology or needs it."""

    OFFERED = "offered"
    NEEDED = "needed"


class RecordSource(StrEnum):
    """Where an organisation's record came from."""

    MANUAL = "manual"
    IMPORT = "import"
    CORDIS = "cordis"


class ClaimStatus(StrEnum):
    """Where a user's request to manage an organisation's record stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class EventStatus(StrEnum):
    """Where a match-making event stands: prepared, taking registrations, agenda published."""

    DRAFT = "draft"
    OPEN = "open"
    PUBLISHED = "published"


class RequestMode(StrEnum):
    """How a meeting request becomes a meeting: the recipient answers, or it is accepted at once."""

    ACCEPT_DECLINE = "accept_decline"
    AUTOMATIC = "automatic"


class ParticipantStatus(StrEnum):
    """Whether a registered participant takes part: waiting for the organiser, let in or
    turned away by the organiser, or withdrawn by the participant themself."""

    PENDING = "pending"
    VALIDATED = "validated"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


#: The organiser's decisions on a registration (``withdrawn`` is the participant's own).
PARTICIPANT_DECISIONS: frozenset[ParticipantStatus] = frozenset(
    {ParticipantStatus.VALIDATED, ParticipantStatus.REJECTED}
)
#: Registrations that no longer take part: no meetings, and a calendar that only cancels.
LEFT_PARTICIPANT_STATES: frozenset[ParticipantStatus] = frozenset(
    {ParticipantStatus.REJECTED, ParticipantStatus.WITHDRAWN}
)


class MeetingStatus(StrEnum):
    """The life of a meeting request."""

    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


#: Requests that still bind both participants: no second request between the same pair.
ACTIVE_MEETING_STATES: frozenset[MeetingStatus] = frozenset(
    {MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED}
)


class MeetingOutcome(StrEnum):
    """What a participant records after a meeting."""

    NO_SHOW = "no_show"
    HELD = "held"
    FOLLOW_UP = "follow_up"
    AGREEMENT = "agreement"


class SolveStatus(StrEnum):
    """How far a scheduling solver got: a proven optimum, a schedule, a proof of none, nothing."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


#: Statuses that come with a schedule.
SCHEDULED_STATUSES: frozenset[SolveStatus] = frozenset({SolveStatus.OPTIMAL, SolveStatus.FEASIBLE})


class ViolationKind(StrEnum):
    """What a schedule breaks: each hard constraint of the B2B scheduling problem."""

    UNKNOWN_MEETING = "unknown_meeting"
    REPEATED_MEETING = "repeated_meeting"
    SLOT_OUT_OF_RANGE = "slot_out_of_range"
    UNPLACED = "unplaced"
    DOUBLE_BOOKING = "double_booking"
    ROOMS_EXCEEDED = "rooms_exceeded"
    ROOM_OUT_OF_RANGE = "room_out_of_range"
    ROOM_CONFLICT = "room_conflict"
    WRONG_SESSION = "wrong_session"
    UNAVAILABLE = "unavailable"
    PIN = "pin"
    PRECEDENCE = "precedence"
    FAIRNESS = "fairness"


class EventExport(StrEnum):
    """The tables an event's organiser exports (CSV or XLSX)."""

    PARTICIPANTS = "participants"
    REQUESTS = "requests"
    MEETINGS = "meetings"
    AGENDAS = "agendas"


class OrganisationKind(StrEnum):
    """Kinds of organisation in an exchange programme (ClusterXchange: cluster organisations and
    business networks; scaling-up support organisations, such as technology centres, research
    institutes, innovation hubs, incubators and accelerators; SMEs; anything else)."""

    CLUSTER_ORGANISATION = "cluster_organisation"
    BUSINESS_NETWORK = "business_network"
    SCALING_UP_SUPPORT = "scaling_up_support"
    SME = "sme"
    OTHER = "other"


class ExchangeRole(StrEnum):
    """A participant's side of an exchange: it travels (visitor) or receives (host)."""

    VISITOR = "visitor"
    HOST = "host"


class ActivityType(StrEnum):
    """What an exchange is for (issue 17)."""

    CAPACITY_BUILDING = "capacity_building"
    KNOWLEDGE_SHARING = "knowledge_sharing"
    PROJECT_DEVELOPMENT = "project_development"
    MARKET_RESEARCH = "market_research"
    NETWORKING = "networking"


class ValidationState(StrEnum):
    """A participant's enrolment as its partnership judged it."""

    PENDING = "pending"
    VALIDATED = "validated"
    REFUSED = "refused"


class RequestState(StrEnum):
    """Where a visitor's request to a host stands."""

    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class ExchangeState(StrEnum):
    """Where an exchange stands: its Commitment to Quality awaits approvals (``proposed``), all
    four approved (``confirmed``), closing report in (``reported``), report validated by the
    visitor's partnership (``validated``), lump sum paid (``paid``); or called off before the
    report's validation (``cancelled``), when it never counts (ADR 0017)."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    REPORTED = "reported"
    VALIDATED = "validated"
    PAID = "paid"
    CANCELLED = "cancelled"


#: The states an exchange may be cancelled in: before its closing report is validated.
CANCELLABLE_STATES: frozenset[ExchangeState] = frozenset(
    {ExchangeState.PROPOSED, ExchangeState.CONFIRMED, ExchangeState.REPORTED}
)


class CommitmentParty(StrEnum):
    """The four who approve a Commitment to Quality: visitor, host and their partnerships."""

    VISITOR = "visitor"
    HOST = "host"
    VISITOR_PARTNERSHIP = "visitor_partnership"
    HOST_PARTNERSHIP = "host_partnership"


class CallKind(StrEnum):
    """Who a call authored in the app funds: consortia (a programme's call) or SMEs (a
    Eurocluster's open call, cascade funding)."""

    PROGRAMME = "programme"
    CASCADE = "cascade"


class ProposalState(StrEnum):
    """A proposal's life before the evaluation: written, sent in before the deadline, or
    withdrawn by its applicant."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class ProposalOutcome(StrEnum):
    """What the panel's selection made of an evaluated proposal."""

    SELECTED = "selected"
    RESERVE = "reserve"
    OUT = "out"


class OutcomeType(StrEnum):
    """What came of a meeting or an exchange, as the SME answers a follow-up (issue 19)."""

    COMMERCIAL_AGREEMENT = "commercial_agreement"
    TECHNICAL_COOPERATION = "technical_cooperation"
    RESEARCH_COOPERATION = "research_cooperation"
    JOINT_APPLICATION = "joint_application"
    NO_FOLLOW_UP = "no_follow_up"


#: The outcomes that are a result (everything but "no follow-up").
RESULT_OUTCOMES: frozenset[OutcomeType] = frozenset(OutcomeType) - {OutcomeType.NO_FOLLOW_UP}


class JobState(StrEnum):
    """Where a background job is (ADR 0027): waiting for a worker, running, or finished one of
    three ways."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


#: A job in one of these states is over: it never runs again.
FINISHED_JOB_STATES: frozenset[JobState] = frozenset(
    {JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED}
)
