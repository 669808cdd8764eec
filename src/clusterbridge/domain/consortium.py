"""Snapshots of a consortium and of what is being applied for.

Rules and engines see only these frozen values, never files, rows or ORM objects. ``None`` in an
optional field means *not known*: a rule that needs the value reports ``unknown``, never a guess.
"""

from dataclasses import dataclass

from clusterbridge.domain.enums import OrgType, Role, SmeProfile


@dataclass(frozen=True, slots=True)
class Partner:
    """One organisation in a consortium. ``country`` is a canonical EU code (EL, UK, DE...)."""

    name: str
    country: str
    nuts: str | None = None
    type: OrgType | None = None
    sme_profile: SmeProfile | None = None
    legal_entity: bool | None = None
    eccp_registered: bool | None = None
    role: Role | None = None
    pic: str | None = None
    email: str | None = None
    website: str | None = None

    @property
    def label(self) -> str:
        """The partner as a person reads it in a message: name and country."""
        return partner_label(self.name, self.country)


def partner_label(name: str, country: str) -> str:
    """A partner as a person reads it in a message: ``Name (DE)``."""
    return f"{name} ({country})"


@dataclass(frozen=True, slots=True)
class Consortium:
    """The partners of a proposal, in the order the user gave them."""

    partners: tuple[Partner, ...]
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Application:
    """A consortium applying to a call: the strand, duration and grant it asks for, if known."""

    consortium: Consortium
    strand: str | None = None
    duration_months: int | None = None
    requested_grant_eur: int | None = None
