"""Factories for partners and applications, the snapshots the eligibility rules read.

Defaults are surprise-free: ``make_partner()`` is a fully known, ordinary partner - a cluster
organisation in Germany (no NUTS code) that is a legal entity, is registered on the ECCP and takes
part as a beneficiary. Every fact a rule reads is set, so a test that wants a missing value
(``unknown``) passes ``None`` for it explicitly, and a test never depends on a hidden guess.
"""

from clusterbridge.domain.consortium import Application, Consortium, Partner
from clusterbridge.domain.enums import OrgType, Role, SmeProfile

__all__ = ["make_application", "make_partner"]


def make_partner(
    *,
    name: str = "Partner",
    country: str = "DE",
    nuts: str | None = None,
    type: OrgType | None = OrgType.CLUSTER_ORGANISATION,
    sme_profile: SmeProfile | None = None,
    legal_entity: bool | None = True,
    eccp_registered: bool | None = True,
    role: Role | None = Role.BENEFICIARY,
    pic: str | None = None,
    email: str | None = None,
    website: str | None = None,
) -> Partner:
    """A partner; every argument is a ``Partner`` field, ``None`` meaning *not known*.

    Defaults: a beneficiary cluster organisation in ``DE`` without NUTS code, a legal entity,
    registered on the ECCP, with no SME profile and no contact data.
    """
    return Partner(
        name=name,
        country=country,
        nuts=nuts,
        type=type,
        sme_profile=sme_profile,
        legal_entity=legal_entity,
        eccp_registered=eccp_registered,
        role=role,
        pic=pic,
        email=email,
        website=website,
    )


def make_application(
    *partners: Partner,
    strand: str | None = None,
    duration_months: int | None = None,
    requested_grant_eur: int | None = None,
) -> Application:
    """An application by ``partners`` (in that order); strand, duration and grant default to unknown."""
    return Application(
        consortium=Consortium(partners=tuple(partners)),
        strand=strand,
        duration_months=duration_months,
        requested_grant_eur=requested_grant_eur,
    )
