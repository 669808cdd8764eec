"""Bodies of eligibility checks."""

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from clusterbridge.services.consortia.consortia import MAX_DURATION_MONTHS, MAX_GRANT_EUR


class PartnerIn(BaseModel):
    """One partner, as in a consortium file; cells are validated by the same rules as a file."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    country: str | None = None
    nuts: str | None = None
    type: str | None = None
    sme_profile: str | None = None
    legal_entity: str | StrictBool | None = None
    eccp_registered: str | StrictBool | None = None
    role: str | None = None
    pic: str | None = None
    email: str | None = None
    website: str | None = None


class CheckRequest(BaseModel):
    """A consortium and what it applies for."""

    model_config = ConfigDict(extra="forbid")

    strand: str | None = Field(default=None, max_length=40)
    duration_months: StrictInt | None = Field(default=None, gt=0, le=MAX_DURATION_MONTHS)
    requested_grant_eur: StrictInt | None = Field(default=None, gt=0, le=MAX_GRANT_EUR)
    partners: list[PartnerIn] = Field(min_length=1, max_length=500)
