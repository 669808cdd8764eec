"""Consortia for tests, inserted through the ORM (no catalogue, no access checks).

Defaults: an unshared consortium for SMP-COSME-2024-CLUSTER strand 1, 36 months, no grant, no
partners; the owner is its only member, with edit rights.
"""

from sqlalchemy.orm import Session

from clusterbridge.db.models import Consortium, ConsortiumMember, ConsortiumPartner, User
from clusterbridge.domain.enums import Role


def make_consortium(
    session: Session,
    *,
    owner: User,
    name: str = "Isar Eurocluster",
    call_id: str | None = "SMP-COSME-2024-CLUSTER",
    strand: str | None = "1",
    duration_months: int | None = 36,
    requested_grant_eur: int | None = None,
    shared: bool = False,
) -> Consortium:
    """A consortium owned by ``owner``, flushed so that it has an id."""
    consortium = Consortium(
        name=name,
        call_id=call_id,
        strand=strand,
        duration_months=duration_months,
        requested_grant_eur=requested_grant_eur,
        owner=owner,
        shared=shared,
        partners=[],
        members=[ConsortiumMember(user=owner, can_edit=True)],
    )
    session.add(consortium)
    session.flush()
    return consortium


def add_member(session: Session, consortium: Consortium, user: User, *, can_edit: bool) -> None:
    """Make ``user`` a member of ``consortium``."""
    consortium.members.append(ConsortiumMember(user=user, can_edit=can_edit))
    session.flush()


def add_partner(
    session: Session,
    consortium: Consortium,
    *,
    name: str = "Rzeszow Cluster",
    country: str = "PL",
    role: Role | None = Role.BENEFICIARY,
) -> ConsortiumPartner:
    """A typed-in partner with a name, a country and a role, all else unknown, as the last one."""
    position = max((p.position for p in consortium.partners), default=0) + 1
    partner = ConsortiumPartner(
        position=position, name=name, country=country, role=role, organisation=None
    )
    consortium.partners.append(partner)
    session.flush()
    return partner
