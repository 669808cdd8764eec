"""Bodies of the consortium endpoints: ``XCreate`` / ``XUpdate`` (all optional) / ``XRead``."""

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from clusterbridge.db.models import Consortium, ConsortiumMember, ConsortiumPartner
from clusterbridge.domain.enums import OrgType, Role, SmeProfile, Verdict
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.consortia.consortia import (
    MAX_DURATION_MONTHS,
    MAX_GRANT_EUR,
    MAX_NAME_LENGTH,
    ConsortiumCheck,
    partner_snapshot,
)
from clusterbridge.services.consortia.partners import MAX_PARTNER_NAME_LENGTH, OVERRIDABLE
from clusterbridge.services.text import cell_text

_Name = Field(min_length=1, max_length=MAX_NAME_LENGTH)
_CallId = Field(default=None, max_length=100)
_Strand = Field(default=None, max_length=40)
_Duration = Field(default=None, gt=0, le=MAX_DURATION_MONTHS)
_Grant = Field(default=None, gt=0, le=MAX_GRANT_EUR)


class ConsortiumCreate(BaseModel):
    """A new consortium: a name, and the call, strand, duration and grant if already known."""

    model_config = ConfigDict(extra="forbid")

    name: str = _Name
    call_id: str | None = _CallId
    strand: str | None = _Strand
    duration_months: StrictInt | None = _Duration
    requested_grant_eur: StrictInt | None = _Grant


class ConsortiumUpdate(BaseModel):
    """Fields to change; a field left out keeps its value, ``null`` clears it (not ``name``
    or ``shared``). Only the owner may change ``shared``."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=MAX_NAME_LENGTH)
    call_id: str | None = _CallId
    strand: str | None = _Strand
    duration_months: StrictInt | None = _Duration
    requested_grant_eur: StrictInt | None = _Grant
    shared: StrictBool | None = None

    @model_validator(mode="after")
    def _not_null(self) -> Self:
        for field in ("name", "shared"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


class _PartnerValues(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    name: str | None = Field(default=None, max_length=MAX_PARTNER_NAME_LENGTH)
    #: A country code or English name (GR and Greece are both EL).
    country: str | None = Field(default=None, max_length=60)
    nuts: str | None = Field(default=None, max_length=10)
    type: OrgType | None = None
    sme_profile: SmeProfile | None = None
    legal_entity: StrictBool | None = None
    eccp_registered: StrictBool | None = None
    pic: str | None = Field(default=None, max_length=20)


class PartnerCreate(_PartnerValues):
    """A registry organisation (``organisation_id``, with a role and overrides if any), or a
    typed-in partner (``name`` and ``country`` at least), validated as a consortium file row."""

    organisation_id: int | None = Field(default=None, ge=1, le=MAX_ID)

    def cells(self) -> dict[str, str | None]:
        """The typed-in values as the cells of a consortium file row."""
        values = self.model_dump(exclude={"organisation_id"}, exclude_none=True)
        return {key: cell_text(value) for key, value in values.items()}


class PartnerUpdate(_PartnerValues):
    """Values to set; a field left out keeps its value, ``null`` resets an override to the
    registry's value (or to unknown for a typed-in partner)."""


class PartnerRead(BaseModel):
    """A partner with its effective values (registry values under the partner's overrides)."""

    id: int
    position: int
    organisation_id: int | None
    role: Role | None
    name: str
    country: str
    nuts: str | None
    type: OrgType | None
    sme_profile: SmeProfile | None
    legal_entity: bool | None
    eccp_registered: bool | None
    pic: str | None
    #: The columns the partner overrides (registry partners only).
    overrides: list[str]

    @classmethod
    def from_row(cls, row: ConsortiumPartner) -> "PartnerRead":
        """The partner of ``row`` (its organisation loaded)."""
        partner = partner_snapshot(row)
        overrides = (
            [c for c in OVERRIDABLE if getattr(row, c) is not None] if row.organisation else []
        )
        return cls(
            id=row.id,
            position=row.position,
            organisation_id=row.organisation_id,
            role=partner.role,
            name=partner.name,
            country=partner.country,
            nuts=partner.nuts,
            type=partner.type,
            sme_profile=partner.sme_profile,
            legal_entity=partner.legal_entity,
            eccp_registered=partner.eccp_registered,
            pic=partner.pic,
            overrides=overrides,
        )


class MemberRead(BaseModel):
    """A user who may see the consortium."""

    user_id: int
    name: str
    can_edit: bool

    @classmethod
    def from_row(cls, row: ConsortiumMember) -> "MemberRead":
        """The member of ``row`` (its user loaded)."""
        return cls(user_id=row.user_id, name=row.user.name, can_edit=row.can_edit)


class ConsortiumRead(BaseModel):
    """A consortium, its partners and members, and its current verdict (null without a call)."""

    id: int
    name: str
    call_id: str | None
    strand: str | None
    duration_months: int | None
    requested_grant_eur: int | None
    shared: bool
    owner_id: int
    can_edit: bool
    verdict: Verdict | None
    partners: list[PartnerRead]
    members: list[MemberRead]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(
        cls, row: Consortium, check: ConsortiumCheck, *, can_edit: bool
    ) -> "ConsortiumRead":
        """The consortium of ``row`` (partners and members loaded) with its ``check``."""
        return cls(
            id=row.id,
            name=row.name,
            call_id=row.call_id,
            strand=row.strand,
            duration_months=row.duration_months,
            requested_grant_eur=row.requested_grant_eur,
            shared=row.shared,
            owner_id=row.owner_id,
            can_edit=can_edit,
            verdict=check.report.verdict if check.report else None,
            partners=[PartnerRead.from_row(p) for p in row.partners],
            members=[MemberRead.from_row(m) for m in row.members],
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
