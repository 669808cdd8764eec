"""The demo's consortium: owned by the demo account, for strand 1 of the Euroclusters call of
2024, with real registry organisations in their roles. Its coordinator is the demo account's
own organisation (the cluster it takes part in the demo event for), with a cluster
organisation of another EU Member State and an SME of a third one as beneficiaries: three
applicants, but only two cluster organisations, so that the eligibility checklist still has
rules to meet and the partner suggestions something to propose."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    Consortium,
    ConsortiumPartner,
    Organisation,
    OrganisationMember,
    User,
)
from clusterbridge.domain.enums import OrgType, Role
from clusterbridge.reference import eu_member_state_codes
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.consortia.consortia import ConsortiumDetails, create_consortium
from clusterbridge.services.consortia.partners import add_registry_partner

DEMO_CONSORTIUM = "Traditional industries meet tech: a Eurocluster (demo)"
DEMO_CALL = "SMP-COSME-2024-CLUSTER"
DEMO_STRAND = "1"
DURATION_MONTHS = 36
REQUESTED_GRANT_EUR = 2_600_000
CLUSTER_TYPES = (OrgType.CLUSTER_ORGANISATION, OrgType.CLUSTER_NETWORK)
#: Names this short are acronyms more often than not (as the demo event's picks).
SHORTEST_NAME = 13


@dataclass(frozen=True, slots=True)
class DemoConsortium:
    """The demo consortium's number and partners (None and 0 when the registry has no
    organisation to make it of, or the catalogue lacks the call)."""

    consortium_id: int | None
    partners: int
    #: Whether this run made it (the demo account had none).
    added: bool = False


def prepare_demo_consortium(
    session: Session, owner: User, *, catalogue: Catalogue
) -> DemoConsortium:
    """Unless ``owner`` (the demo account) has it, create the demo consortium of the module
    docstring: the coordinator is the owner's organisation (the first cluster it belongs to,
    else a registry cluster organisation), then a cluster organisation of another EU Member
    State and an SME of a third. Writes; sends no mail."""
    existing = session.scalar(
        sa.select(sa.func.min(Consortium.id)).where(
            Consortium.owner_id == owner.id, Consortium.name == DEMO_CONSORTIUM
        )
    )
    if existing is not None:
        partners = sa.select(sa.func.count(ConsortiumPartner.id)).where(
            ConsortiumPartner.consortium_id == existing
        )
        return DemoConsortium(existing, session.scalar(partners) or 0)
    if not any(call.id == DEMO_CALL for call in catalogue.calls):
        return DemoConsortium(None, 0)
    coordinator = _own_organisation(session, owner) or _pick(session, CLUSTER_TYPES, set())
    if coordinator is None:
        return DemoConsortium(None, 0)
    countries = {coordinator.country}
    chosen = [(coordinator, Role.COORDINATOR)]
    for types in (CLUSTER_TYPES, (OrgType.SME,)):
        organisation = _pick(session, types, countries)
        if organisation is not None:
            countries.add(organisation.country)
            chosen.append((organisation, Role.BENEFICIARY))
    details = ConsortiumDetails(
        name=DEMO_CONSORTIUM,
        call_id=DEMO_CALL,
        strand=DEMO_STRAND,
        duration_months=DURATION_MONTHS,
        requested_grant_eur=REQUESTED_GRANT_EUR,
    )
    consortium = create_consortium(session, owner, details, catalogue=catalogue)
    for organisation, role in chosen:
        add_registry_partner(session, owner, consortium.id, organisation.id, changes={"role": role})
    return DemoConsortium(consortium.id, len(chosen), added=True)


def _own_organisation(session: Session, owner: User) -> Organisation | None:
    """The owner's first organisation, a cluster organisation or network before any other."""
    statement = (
        sa.select(Organisation)
        .join(OrganisationMember, OrganisationMember.organisation_id == Organisation.id)
        .where(OrganisationMember.user_id == owner.id)
        .order_by(sa.case((Organisation.type.in_(CLUSTER_TYPES), 0), else_=1), Organisation.id)
        .limit(1)
    )
    return session.scalars(statement).first()


def _pick(
    session: Session, types: tuple[OrgType, ...], taken_countries: set[str]
) -> Organisation | None:
    """The first organisation (by id) of ``types`` in an EU Member State none of
    ``taken_countries``, with a name longer than an acronym."""
    statement = (
        sa.select(Organisation)
        .where(
            Organisation.type.in_(types),
            Organisation.country.in_(sorted(eu_member_state_codes() - taken_countries)),
            sa.func.length(Organisation.name) >= SHORTEST_NAME,
        )
        .order_by(Organisation.id)
        .limit(1)
    )
    return session.scalars(statement).first()
