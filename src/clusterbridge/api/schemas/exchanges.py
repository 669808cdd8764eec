"""Bodies of the exchange endpoints (ClusterXchange)."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from clusterbridge.api.schemas.pages import PageRead
from clusterbridge.db.models import Exchange, ExchangeParticipant, ExchangeRequest
from clusterbridge.domain.enums import (
    ActivityType,
    CommitmentParty,
    ExchangeRole,
    ExchangeState,
    OrganisationKind,
    RequestState,
    ValidationState,
)
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.exchanges import (
    MAX_PREFERRED_COUNTRIES,
    MAX_PREFERRED_SECTORS,
    MAX_TEXT,
    ExchangeListing,
    assignment,
    enrolment,
    lump_sum_reasons,
)
from clusterbridge.services.exchanges.oversight import MAX_PAGE, MAX_PER_PAGE, PER_PAGE

CENT = Decimal("0.01")


class EnrolmentCreate(BaseModel):
    """An organisation's enrolment as a visitor or a host with the partnership it chose."""

    model_config = ConfigDict(extra="forbid")

    organisation_id: int = Field(ge=1, le=MAX_ID)
    partnership_id: int = Field(ge=1, le=MAX_ID)
    role: ExchangeRole
    kind: OrganisationKind
    cluster_member: bool | None = None
    motivation: str = Field(max_length=MAX_TEXT)
    activity_types: list[ActivityType] = Field(max_length=len(ActivityType))
    place: str = Field(
        "",
        max_length=200,
        description='"lat,lon" or "City, CC"; blank: the registry\'s coordinates',
    )
    preferred_countries: list[str] = Field([], max_length=MAX_PREFERRED_COUNTRIES)
    preferred_sectors: list[str] = Field([], max_length=MAX_PREFERRED_SECTORS)
    available_from: date | None = None
    available_until: date | None = None
    capacity: int = Field(1, ge=0, le=enrolment.MAX_CAPACITY)
    host_exception: str = Field("", max_length=MAX_TEXT)


class Decision(BaseModel):
    """A validation or a refusal; a refusal needs a reason."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=MAX_TEXT)


class ParticipantRead(BaseModel):
    """An enrolled participant and the partnership's decision."""

    id: int
    organisation_id: int
    organisation: str
    partnership_id: int
    role: ExchangeRole
    kind: OrganisationKind
    country: str
    place: str
    latitude: float
    longitude: float
    activity_types: list[str]
    preferred_countries: list[str]
    capacity: int
    host_exception: str
    state: ValidationState
    decision_reason: str


def participant_of(participant: ExchangeParticipant) -> ParticipantRead:
    """The API view of a participant (organisation loaded)."""
    return ParticipantRead(
        id=participant.id,
        organisation_id=participant.organisation_id,
        organisation=participant.organisation.name,
        partnership_id=participant.partnership_id,
        role=participant.role,
        kind=participant.kind,
        country=participant.country,
        place=participant.place,
        latitude=participant.latitude,
        longitude=participant.longitude,
        activity_types=list(participant.activity_types),
        preferred_countries=list(participant.preferred_countries),
        capacity=participant.capacity,
        host_exception=participant.host_exception,
        state=participant.state,
        decision_reason=participant.decision_reason,
    )


class SuggestionRead(BaseModel):
    """A participant of the other side in the catalogue, its match (``score``, 0 to 100), the
    match's band (strong, good or weak, as partner suggestions show it) and the reasons."""

    participant: ParticipantRead
    score: int
    band: str
    reasons: list[str]


class CatalogueRead(BaseModel):
    """The other side for a validated participant, best suggestion first."""

    participant_id: int
    suggestions: list[SuggestionRead]


class ExchangeCreate(BaseModel):
    """An exchange to set up, with its Commitment to Quality."""

    model_config = ConfigDict(extra="forbid")

    visitor_id: int = Field(ge=1, le=MAX_ID)
    host_id: int = Field(ge=1, le=MAX_ID)
    start: date
    end: date
    activity_type: ActivityType
    goals: str = Field(max_length=MAX_TEXT)
    objectives: str = Field(max_length=MAX_TEXT)
    agenda: str = Field(max_length=MAX_TEXT)


class RequestCreate(BaseModel):
    """A visitor's request to a host, with its message."""

    model_config = ConfigDict(extra="forbid")

    host_id: int = Field(ge=1, le=MAX_ID)
    message: str = Field(max_length=MAX_TEXT)


class RequestAnswer(BaseModel):
    """The host's answer to a request (may be empty)."""

    model_config = ConfigDict(extra="forbid")

    answer: str = Field("", max_length=MAX_TEXT)


class RequestRead(BaseModel):
    """A request between a visitor and a host, and the host's answer."""

    id: int
    visitor_id: int
    visitor: str
    host_id: int
    host: str
    message: str
    state: RequestState
    answer: str
    created_at: datetime
    answered_at: datetime | None


def request_of(request: ExchangeRequest) -> RequestRead:
    """The API view of a request (both organisations loaded)."""
    return RequestRead(
        id=request.id,
        visitor_id=request.visitor_id,
        visitor=request.visitor.organisation.name,
        host_id=request.host_id,
        host=request.host.organisation.name,
        message=request.message,
        state=request.state,
        answer=request.answer,
        created_at=request.created_at,
        answered_at=request.answered_at,
    )


class Preferences(BaseModel):
    """A participant's ranked list of the other side: participant ids, best first."""

    model_config = ConfigDict(extra="forbid")

    preferences: list[int] = Field(max_length=assignment.MAX_PREFERENCES)


class Approval(BaseModel):
    """Whose approval of the Commitment to Quality this is."""

    model_config = ConfigDict(extra="forbid")

    party: CommitmentParty


class Cancellation(BaseModel):
    """Why an exchange is called off."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=MAX_TEXT)


class PaymentCreate(BaseModel):
    """The payment of the lump sum."""

    model_config = ConfigDict(extra="forbid")

    paid_on: date
    amount_eur: Decimal = Field(ge=0, le=100_000, decimal_places=2)
    reference: str = Field("", max_length=100)


class EvidenceRead(BaseModel):
    """An evidence file, without its content."""

    id: int
    file_name: str
    content_type: str
    size: int


class ExchangeRead(BaseModel):
    """An exchange with its stay, lump sum, approvals, report, validation and payment."""

    id: int
    state: ExchangeState
    visitor: ParticipantRead
    host: ParticipantRead
    credited_partnership_id: int
    start: date
    end: date
    activity_type: ActivityType
    working_days: int
    distance_km: Decimal
    threshold_eur: Decimal
    lump_sum_eur: Decimal
    halved: bool
    reasons: list[str]
    goals: str
    objectives: str
    agenda: str
    approvals: dict[str, datetime | None]
    report: str
    evidence: list[EvidenceRead]
    validated_at: datetime | None
    payment_due: date | None
    paid_on: date | None
    paid_amount_eur: Decimal | None
    cancelled_at: datetime | None
    #: Who called it off, in words (``the host``, ``the visitor's partnership``...).
    cancelled_by: str
    cancel_reason: str


def exchange_of(exchange: Exchange) -> ExchangeRead:
    """The API view of an exchange (participants and evidence loaded)."""
    return ExchangeRead(
        id=exchange.id,
        state=exchange.state,
        visitor=participant_of(exchange.visitor),
        host=participant_of(exchange.host),
        credited_partnership_id=exchange.credited_partnership_id,
        start=exchange.start_date,
        end=exchange.end_date,
        activity_type=exchange.activity_type,
        working_days=exchange.working_days,
        distance_km=exchange.distance_km.quantize(Decimal("0.1")),
        threshold_eur=exchange.threshold_eur.quantize(CENT),
        lump_sum_eur=exchange.lump_sum_eur.quantize(CENT),
        halved=exchange.halved,
        reasons=lump_sum_reasons(exchange),
        goals=exchange.goals,
        objectives=exchange.objectives,
        agenda=exchange.agenda,
        approvals={
            "visitor": exchange.visitor_approved_at,
            "host": exchange.host_approved_at,
            "visitor_partnership": exchange.visitor_partnership_approved_at,
            "host_partnership": exchange.host_partnership_approved_at,
        },
        report=exchange.report,
        evidence=[
            EvidenceRead(id=e.id, file_name=e.file_name, content_type=e.content_type, size=e.size)
            for e in exchange.evidence
        ],
        validated_at=exchange.validated_at,
        payment_due=exchange.payment_due,
        paid_on=exchange.paid_on,
        paid_amount_eur=None
        if exchange.paid_amount_eur is None
        else exchange.paid_amount_eur.quantize(CENT),
        cancelled_at=exchange.cancelled_at,
        cancelled_by=exchange.cancelled_by_party,
        cancel_reason=exchange.cancel_reason,
    )


class ExchangeQuery(BaseModel):
    """The filters of the list of every exchange; none is every exchange."""

    model_config = ConfigDict(extra="forbid")

    partnership_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Exchanges whose visitor or host is of this partnership."
    )
    state: ExchangeState | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(PER_PAGE, ge=1, le=MAX_PER_PAGE)


class ExchangePage(PageRead[ExchangeRead]):
    """One page of exchanges, by start date, and how many the filters find."""


def exchange_page_of(listing: ExchangeListing) -> ExchangePage:
    """The API view of one page of the list."""
    return ExchangePage(
        items=[exchange_of(e) for e in listing.exchanges],
        total=listing.total,
        page=listing.page,
        per_page=listing.per_page,
        pages=listing.pages,
    )


class AcceptedRequestRead(BaseModel):
    """A request a host accepted from one of the partnership's visitors, and whether the
    assignment counts it."""

    request: RequestRead
    counted: bool


class PartnershipRead(BaseModel):
    """A partnership's page: its queue, its validated visitors, the requests hosts accepted
    from them, and the exchanges of its visitors and hosts (cancelled ones included)."""

    id: int
    name: str
    country: str
    pending: list[ParticipantRead]
    visitors: list[ParticipantRead]
    accepted_requests: list[AcceptedRequestRead]
    exchanges: list[ExchangeRead]


class DashboardRead(BaseModel):
    """A partnership's figures."""

    partnership: str
    today: date
    by_state: dict[str, int]
    credited: int
    hosted: int
    committed_eur: Decimal
    paid_eur: Decimal
    host_countries: dict[str, int]
    activity_types: dict[str, int]
    late_payments: list[int]
