"""Registry organisations for tests, inserted through the ORM.

Defaults: a cluster organisation in München (DE, DE212) that is a legal entity registered on the
ECCP, without PIC. Every fact the eligibility rules read is set; pass ``None`` for unknown.
"""

from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation, OrganisationMember, User
from clusterbridge.domain.enums import OrgType, SmeProfile


def make_organisation(
    session: Session,
    *,
    name: str = "Munich Cluster",
    country: str = "DE",
    nuts: str | None = "DE212",
    type: OrgType | None = OrgType.CLUSTER_ORGANISATION,
    sme_profile: SmeProfile | None = None,
    legal_entity: bool | None = True,
    eccp_registered: bool | None = True,
    pic: str | None = None,
    is_sme: bool | None = None,
) -> Organisation:
    """An organisation of the registry, flushed so that it has an id."""
    organisation = Organisation(
        name=name,
        name_key=" ".join(name.split()).casefold(),
        country=country,
        nuts=nuts,
        type=type,
        sme_profile=sme_profile,
        legal_entity=legal_entity,
        eccp_registered=eccp_registered,
        pic=pic,
        is_sme=is_sme,
    )
    session.add(organisation)
    session.flush()
    return organisation


def add_member(session: Session, organisation: Organisation, user: User) -> None:
    """Make ``user`` a member of ``organisation`` (who may edit it), flushed."""
    session.add(OrganisationMember(organisation_id=organisation.id, user_id=user.id))
    session.flush()
