"""Bodies of the endpoints of authored calls and their proposals.

A number's bounds are the services' limits (``call_drafts.MAX_EUROS``, ``MAX_MONTHS``,
``MAX_PROJECTS``, the engine's ``MAX_POINTS``), read from where they are defined: a body at a
limit passes to the service, one beyond is refused here, naming its field. The lower bounds
let a negative number through, for the service's reason ("must be more than 0").
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from clusterbridge.api.schemas.money import Money
from clusterbridge.db.models import CascadePayment, Proposal, ProposalDocument, ProposalPartner
from clusterbridge.domain.calendar import WITH_ITS_TIME
from clusterbridge.domain.enums import CallKind, ProposalOutcome, ProposalState, Role
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.engines.selection.problem import MAX_POINTS
from clusterbridge.services.selection import call_drafts, payments, proposals
from clusterbridge.services.selection.call_drafts import (
    MAX_EUROS,
    MAX_MONTHS,
    MAX_PROJECTS,
    CallDraft,
    CriterionDraft,
    StrandDraft,
)
from clusterbridge.services.selection.calls import CallView
from clusterbridge.services.selection.payments import FundedApplication, PaymentDraft
from clusterbridge.services.selection.proposals import ProposalDraft
from clusterbridge.services.selection.standing import Standing

#: Why a proposal's body names both its consortium and its SME, or neither.
ONE_APPLICANT = (
    "give exactly one of consortium_id (a consortium's proposal) and organisation_id "
    "(an SME's application to a cascade call)"
)


class Strict(BaseModel):
    """A body with no unknown fields."""

    model_config = ConfigDict(extra="forbid")


class StrandBody(Strict):
    """A strand: id, title and the number of its proposals funded first (0: none)."""

    id: str = Field(max_length=call_drafts.MAX_STRAND_ID)
    title: str = Field(max_length=call_drafts.MAX_TITLE)
    minimum: int = Field(0, ge=-MAX_PROJECTS, le=MAX_PROJECTS)


class CriterionBody(Strict):
    """An award criterion: id, maximum points, threshold (none: no threshold)."""

    id: str = Field(max_length=80)
    max: Decimal = Field(ge=-MAX_POINTS, le=MAX_POINTS)
    threshold: Decimal | None = Field(None, ge=-MAX_POINTS, le=MAX_POINTS)


class ProgrammeCallBody(Strict):
    """A call as written: its facts, deadline (local time in ``time_zone``; none: no stated
    deadline), strands, budget, award criteria and ranking settings, and ``rules``: the rest
    of the call file in TOML (``[documents]`` and the ``[[rules]]`` of the condition registry)."""

    identifier: str = Field(max_length=call_drafts.MAX_IDENTIFIER)
    title: str = Field(max_length=call_drafts.MAX_TITLE)
    summary: str = Field(max_length=call_drafts.MAX_SUMMARY)
    rules: str = Field(max_length=100_000)
    budget: int | None = Field(ge=-MAX_EUROS, le=MAX_EUROS)
    programme: str = Field(call_drafts.DEFAULT_PROGRAMME, max_length=call_drafts.MAX_TITLE)
    kind: CallKind = CallKind.PROGRAMME
    deadline: Annotated[datetime | None, WITH_ITS_TIME] = None
    time_zone: str = Field("Europe/Brussels", max_length=64)
    max_projects: int | None = Field(None, ge=-MAX_PROJECTS, le=MAX_PROJECTS)
    max_grant: int | None = Field(None, ge=-MAX_EUROS, le=MAX_EUROS)
    duration_min_months: int | None = Field(None, ge=-MAX_MONTHS, le=MAX_MONTHS)
    duration_max_months: int | None = Field(None, ge=-MAX_MONTHS, le=MAX_MONTHS)
    strands: list[StrandBody] = Field([], max_length=50)
    criteria: list[CriterionBody] = Field(max_length=50)
    overall_threshold: Decimal | None = Field(None, ge=-MAX_POINTS, le=MAX_POINTS)
    tie_break: list[str] = Field([], max_length=50)
    on_overflow: str = Field("skip", max_length=20)

    @field_validator("deadline")
    @classmethod
    def _local(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            msg = "write the deadline as local time (2025-03-03T17:00:00) in time_zone"
            raise ValueError(msg)
        return value

    def to_draft(self) -> CallDraft:
        """The body as the service's draft."""
        fields = self.model_dump(exclude={"strands", "criteria", "tie_break"})
        return CallDraft(
            **fields,
            strands=tuple(StrandDraft(s.id, s.title, s.minimum) for s in self.strands),
            criteria=tuple(CriterionDraft(c.id, c.max, c.threshold) for c in self.criteria),
            tie_break=tuple(self.tie_break),
        )


class ProgrammeCallRead(ProgrammeCallBody):
    """An authored call: its fields, its status (draft, open, closed, no_deadline; closed once
    its deadline has passed or its selection is published), when it was published and when it
    closes (UTC), and its selection settings."""

    model_config = ConfigDict(extra="ignore")

    id: int
    status: str
    published_at: datetime | None
    closes_at: datetime | None
    selection: dict[str, Any]

    @classmethod
    def from_view(cls, view: CallView) -> "ProgrammeCallRead":
        """The API's view of a call."""
        draft, row = view.draft, view.row
        return cls(
            id=row.id,
            status=view.status,
            published_at=row.published_at,
            closes_at=row.closes_at,
            selection=row.selection,
            identifier=draft.identifier,
            title=draft.title,
            summary=draft.summary,
            rules=draft.rules,
            budget=draft.budget,
            programme=draft.programme,
            kind=draft.kind,
            deadline=draft.deadline,
            time_zone=draft.time_zone,
            max_projects=draft.max_projects,
            max_grant=draft.max_grant,
            duration_min_months=draft.duration_min_months,
            duration_max_months=draft.duration_max_months,
            strands=[StrandBody(id=s.id, title=s.title, minimum=s.minimum) for s in draft.strands],
            criteria=[
                CriterionBody(id=c.id, max=c.max, threshold=c.threshold) for c in draft.criteria
            ],
            overall_threshold=draft.overall_threshold,
            tie_break=list(draft.tie_break),
            on_overflow=draft.on_overflow,
        )


class ProposalBody(Strict):
    """A proposal as written: the consortium (``consortium_id``: a registry consortium you may
    change) or, to a cascade call, the SME (``organisation_id`` instead: a registry
    organisation you may edit); exactly one of the two. Then the acronym, title, summary,
    strand, requested grant (whole euros) and duration (months)."""

    consortium_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="The consortium of a proposal to a programme call; leave it out (or null) "
        "with organisation_id.",
    )
    organisation_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        validate_default=True,
        description="The SME of an application to a cascade call, instead of consortium_id.",
    )
    acronym: str = Field(max_length=proposals.MAX_ACRONYM)
    title: str = Field(max_length=proposals.MAX_TITLE)
    summary: str = Field("", max_length=proposals.MAX_SUMMARY)
    strand: str | None = Field(None, max_length=call_drafts.MAX_STRAND_ID)
    requested_grant: int | None = Field(ge=-MAX_EUROS, le=MAX_EUROS)
    duration_months: int | None = Field(ge=-MAX_MONTHS, le=proposals.MAX_DURATION_MONTHS)

    @field_validator("organisation_id")
    @classmethod
    def _one_applicant(cls, value: int | None, info: ValidationInfo) -> int | None:
        """Exactly one of ``consortium_id`` and ``organisation_id`` (the error is put on the
        second; none when ``consortium_id`` itself is invalid)."""
        if "consortium_id" not in info.data:
            return value
        if (info.data["consortium_id"] is None) == (value is None):
            raise PydanticCustomError("one_applicant", ONE_APPLICANT)
        return value

    def to_draft(self) -> ProposalDraft:
        """The body as the service's draft."""
        return ProposalDraft(**self.model_dump())


class ProposalCreate(ProposalBody):
    """A new proposal to a published, open call: the call, and the proposal as written
    (``consortium_id``, or ``organisation_id`` for an SME's application to a cascade call;
    exactly one of the two)."""

    call_id: int = Field(ge=1, le=MAX_ID)

    def to_draft(self) -> ProposalDraft:
        """The body, without the call, as the service's draft."""
        return ProposalDraft(**self.model_dump(exclude={"call_id"}))


class DocumentRead(BaseModel):
    """A document of a proposal (its bytes at ``/proposals/{id}/documents/{document_id}``)."""

    id: int
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime

    @classmethod
    def from_row(cls, row: ProposalDocument) -> "DocumentRead":
        """The API's view of a document."""
        return cls(
            id=row.id,
            file_name=row.file_name,
            content_type=row.content_type,
            size=row.size,
            uploaded_at=row.uploaded_at,
        )


class ProposalPartnerRead(BaseModel):
    """A partner of a proposal as it was submitted: its place (from 1), the registry
    organisation it was (null for a partner typed in, or an organisation deleted since), and
    its name, country, PIC and role as the call's rules saw them."""

    position: int
    organisation_id: int | None
    name: str
    country: str
    pic: str | None
    role: Role | None

    @classmethod
    def from_row(cls, row: ProposalPartner) -> "ProposalPartnerRead":
        """The API's view of a partner as submitted."""
        return cls(
            position=row.position,
            organisation_id=row.organisation_id,
            name=row.name,
            country=row.country,
            pic=row.pic,
            role=row.role,
        )


class ProposalOutcomeRead(BaseModel):
    """A proposal's outcome once its call's selection is published: selected (with the grant
    awarded), on the reserve list (with its position) or out, and why."""

    outcome: ProposalOutcome
    reason: str
    rank: int | None
    reserve_position: int | None
    awarded: Decimal | None


class PaymentRead(BaseModel):
    """A payment recorded; a cancelled one says when, by whom and why, and no longer counts as
    paid."""

    id: int
    proposal_id: int
    amount: Money
    paid_on: date
    reference: str
    cancelled_at: datetime | None
    cancelled_by: str | None
    cancel_reason: str

    @classmethod
    def from_row(cls, row: CascadePayment) -> "PaymentRead":
        """The API's view of a payment."""
        return cls(
            id=row.id,
            proposal_id=row.proposal_id,
            amount=row.amount,
            paid_on=row.paid_on,
            reference=row.reference,
            cancelled_at=row.cancelled_at,
            cancelled_by=None if row.cancelled_by is None else row.cancelled_by.name,
            cancel_reason=row.cancel_reason,
        )


class ProposalFundingRead(BaseModel):
    """What a selected application of a cascade call is awarded, paid so far (cancelled
    payments excluded) and has left to pay; the payments received, and apart from them those
    cancelled (recorded by mistake, with who, when and why), which never count."""

    awarded: Money
    paid: Money
    left: Money
    received: list[PaymentRead]
    cancelled: list[PaymentRead]

    @classmethod
    def from_view(cls, view: FundedApplication) -> "ProposalFundingRead":
        """The API's view of an application's funding."""
        return cls(
            awarded=view.awarded,
            paid=view.paid,
            left=view.left,
            received=[PaymentRead.from_row(p) for p in view.received],
            cancelled=[PaymentRead.from_row(p) for p in view.cancelled],
        )


class ProposalRead(BaseModel):
    """A proposal, its state, and from its submission the frozen eligibility report (the
    checker's JSON) with its verdict in ``eligible`` and the partners as submitted in
    ``partners`` (empty for a draft; ``consortium_id`` names the consortium as it is now)."""

    id: int
    call_id: int
    call_identifier: str
    applicant_id: int | None
    consortium_id: int | None
    organisation_id: int | None
    acronym: str
    title: str
    summary: str
    strand: str | None
    requested_grant: Money
    duration_months: int | None
    state: ProposalState
    submitted_at: datetime | None
    eligible: bool | None
    eligibility: dict[str, Any] | None
    documents: list[DocumentRead]
    partners: list[ProposalPartnerRead]
    call_status: str | None = None
    time_left: str | None = None
    outcome: ProposalOutcomeRead | None = None
    funding: ProposalFundingRead | None = Field(
        default=None,
        description=(
            "A selected application of a cascade call, once the selection is published: the "
            "grant awarded, paid so far (cancelled payments excluded) and left to pay, the "
            "payments received and, apart, those cancelled. Given by GET /proposals/{id} (to "
            "its applicant, its SME's users and officers) and GET "
            "/programme-calls/{id}/proposals (officers); null otherwise."
        ),
    )

    @classmethod
    def from_row(
        cls,
        row: Proposal,
        standing: Standing | None = None,
        *,
        funding: FundedApplication | None = None,
    ) -> "ProposalRead":
        """The API's view of a proposal (call and documents loaded); with its ``standing``,
        the call's status and time left as of the request (also in the frozen eligibility
        report's ``call``) and, once the selection is published, its outcome; with its
        ``funding``, its payments."""
        decision = None if standing is None else standing.decision
        return cls(
            funding=None if funding is None else ProposalFundingRead.from_view(funding),
            call_status=None if standing is None else standing.call_status,
            time_left=None if standing is None else standing.time_left,
            outcome=None
            if decision is None or standing is None
            else ProposalOutcomeRead(
                outcome=decision.outcome,
                reason=decision.reason,
                rank=decision.rank,
                reserve_position=decision.reserve_position,
                awarded=standing.awarded,
            ),
            id=row.id,
            call_id=row.call_id,
            call_identifier=row.call.identifier,
            applicant_id=row.applicant_id,
            consortium_id=row.consortium_id,
            organisation_id=row.organisation_id,
            acronym=row.acronym,
            title=row.title,
            summary=row.summary,
            strand=row.strand,
            requested_grant=row.requested_grant,
            duration_months=row.duration_months,
            state=row.state,
            submitted_at=row.submitted_at,
            eligible=row.eligible,
            eligibility=row.eligibility
            if standing is None
            else standing.eligibility_now(row.eligibility),
            documents=[DocumentRead.from_row(d) for d in row.documents],
            partners=[ProposalPartnerRead.from_row(p) for p in row.partners],
        )


class PaymentCreate(Strict):
    """A payment to a selected application of a cascade call: the amount in euros (to the
    cent), the day it was paid and its reference."""

    amount: Decimal = Field(gt=0, le=MAX_EUROS, decimal_places=2)
    paid_on: date
    reference: str = Field(max_length=payments.MAX_REFERENCE)

    def to_draft(self) -> PaymentDraft:
        """The body as the service's draft."""
        return PaymentDraft(self.amount, self.paid_on, self.reference)


class AwardUpdate(Strict):
    """The grant awarded to a selected application of a cascade call, in euros (to the cent):
    at most the grant requested and the call's maximum per SME."""

    awarded: Decimal = Field(gt=0, le=MAX_EUROS, decimal_places=2)


class AwardRead(BaseModel):
    """The grant requested and the grant awarded to a selected application."""

    proposal_id: int
    requested: Money
    awarded: Money


class PaymentCancel(Strict):
    """Why a payment recorded by mistake is cancelled."""

    reason: str = Field(max_length=2000)


class FundedApplicationRead(BaseModel):
    """A selected application of a cascade call: its SME, the amount awarded, paid and left,
    and its payments."""

    proposal_id: int
    acronym: str
    organisation_id: int | None
    awarded: Money
    paid: Money
    left: Money
    payments: list[PaymentRead]

    @classmethod
    def from_view(cls, view: FundedApplication) -> "FundedApplicationRead":
        """The API's view of a funded application."""
        return cls(
            proposal_id=view.proposal.id,
            acronym=view.proposal.acronym,
            organisation_id=view.proposal.organisation_id,
            awarded=view.awarded,
            paid=view.paid,
            left=view.left,
            payments=[PaymentRead.from_row(p) for p in view.payments],
        )
