"""Bodies of the claim endpoints: ``ClaimCreate`` / ``ClaimDecision`` / ``ClaimRead``."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from clusterbridge.api.schemas.organisations import OrganisationRef
from clusterbridge.db.models import OrganisationClaim, User
from clusterbridge.domain.enums import ClaimStatus
from clusterbridge.services.registry.claims import MAX_MESSAGE_LENGTH, MAX_REASON_LENGTH


class ClaimCreate(BaseModel):
    """A request to manage an organisation's record."""

    model_config = ConfigDict(extra="forbid")

    message: str = Field(
        max_length=MAX_MESSAGE_LENGTH,
        description="Who you are and how you belong to the organisation (required).",
    )


class ClaimDecision(BaseModel):
    """An approval or a refusal, with an optional reason the requester reads."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=MAX_REASON_LENGTH)


class PersonRead(BaseModel):
    """A user, by name."""

    id: int
    name: str


class RequesterRead(PersonRead):
    """Who asked, with the address the deciders may write to."""

    email: str


class ClaimRead(BaseModel):
    """A claim and, once decided, the decision."""

    id: int
    organisation: OrganisationRef
    requester: RequesterRead
    message: str
    status: ClaimStatus
    reason: str = Field(description="Why it was decided so; empty when none was given.")
    created_at: datetime
    decided_at: datetime | None
    decided_by: PersonRead | None


def claim_of(claim: OrganisationClaim) -> ClaimRead:
    """The body of a claim (its organisation, requester and decider must be loaded)."""
    return ClaimRead(
        id=claim.id,
        organisation=OrganisationRef(id=claim.organisation.id, name=claim.organisation.name),
        requester=RequesterRead(
            id=claim.requester.id, name=claim.requester.name, email=claim.requester.email
        ),
        message=claim.message,
        status=claim.status,
        reason=claim.reason,
        created_at=claim.created_at,
        decided_at=claim.decided_at,
        decided_by=_person(claim.decided_by),
    )


def _person(user: User | None) -> PersonRead | None:
    return None if user is None else PersonRead(id=user.id, name=user.name)
