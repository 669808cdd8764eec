"""The demo's consortium: owned by the demo account, for strand 1 of the demo's open call
(DEMO-ALLIANCES, which ``services.selection.demo`` writes and keeps open), with real registry
organisations in their roles. Its coordinator is the demo account's own organisation (the
cluster it takes part in the demo event for), with a cluster organisation of another EU Member
State as beneficiary: two applicants where the call asks for three, so that the eligibility
checklist still has a rule to meet and the partner suggestions something to add before the
demo account sends the call a proposal.

Demo databases made before the consortium answered the open call have it for
SMP-COSME-2024-CLUSTER, a real call closed since February 2025: it moves to the open call
while it is as the demo made it (that call, strand, duration and grant) and nothing points at
it (no proposal, outcome or builder proposal), keeping its partners. The real call stays in
the catalogue, closed."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    Consortium,
    Organisation,
    OrganisationMember,
    User,
)
from clusterbridge.db.repositories import consortia as repository
from clusterbridge.domain.enums import OrgType, Role
from clusterbridge.reference import eu_member_state_codes
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.consortia.consortia import (
    ConsortiumChanges,
    ConsortiumDetails,
    create_consortium,
    update_consortium,
)
from clusterbridge.services.consortia.partners import add_registry_partner

DEMO_CONSORTIUM = "Traditional industries meet tech: a Eurocluster (demo)"
#: The demo's open call (``services.selection.demo.DEMO_CALL``, a capability above this one).
DEMO_CALL = "DEMO-ALLIANCES"
DEMO_STRAND = "1"
DURATION_MONTHS = 36
REQUESTED_GRANT_EUR = 500_000
#: What the demo consortium applied for before it answered the open call.
EARLIER_CALL = "SMP-COSME-2024-CLUSTER"
EARLIER_GRANT_EUR = 2_600_000
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
    #: Whether this run moved it from ``EARLIER_CALL`` to the open call.
    moved: bool = False
    #: The call and strand it applies to now (the owner may have changed them).
    call_id: str | None = None
    strand: str | None = None


def prepare_demo_consortium(
    session: Session, owner: User, *, catalogue: Catalogue
) -> DemoConsortium:
    """Unless ``owner`` (the demo account) has it, create the demo consortium of the module
    docstring for the open call of ``catalogue`` (the call files with the published calls):
    the coordinator is the owner's organisation (the first cluster it belongs to, else a
    registry cluster organisation), then a cluster organisation of another EU Member State.
    One the owner has for the earlier call moves to the open call as the module docstring
    says. Nothing when the catalogue lacks the open call. Writes; sends no mail."""
    open_call = any(call.id == DEMO_CALL for call in catalogue.calls)
    existing = session.scalar(
        sa.select(sa.func.min(Consortium.id)).where(
            Consortium.owner_id == owner.id, Consortium.name == DEMO_CONSORTIUM
        )
    )
    if existing is not None:
        moved = open_call and _move_to_open_call(session, owner, existing, catalogue=catalogue)
        row = repository.get_consortium(session, existing)
        if row is None:  # pragma: no cover - found in the same transaction
            return DemoConsortium(None, 0)
        return DemoConsortium(
            existing, len(row.partners), moved=moved, call_id=row.call_id, strand=row.strand
        )
    if not open_call:
        return DemoConsortium(None, 0)
    coordinator = _own_organisation(session, owner) or _pick(session, CLUSTER_TYPES, set())
    if coordinator is None:
        return DemoConsortium(None, 0)
    chosen = [(coordinator, Role.COORDINATOR)]
    partner = _pick(session, CLUSTER_TYPES, {coordinator.country})
    if partner is not None:
        chosen.append((partner, Role.BENEFICIARY))
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
    return DemoConsortium(
        consortium.id, len(chosen), added=True, call_id=DEMO_CALL, strand=DEMO_STRAND
    )


def _move_to_open_call(
    session: Session, owner: User, consortium_id: int, *, catalogue: Catalogue
) -> bool:
    """Move the demo consortium from the earlier call to the open call if it is as the demo
    made it and nothing points at it; whether it moved."""
    row = repository.get_consortium(session, consortium_id)
    if row is None or (row.call_id, row.strand) != (EARLIER_CALL, DEMO_STRAND):
        return False
    if (row.duration_months, row.requested_grant_eur) != (DURATION_MONTHS, EARLIER_GRANT_EUR):
        return False
    if repository.is_referenced(session, consortium_id):
        return False
    changes: ConsortiumChanges = {"call_id": DEMO_CALL, "requested_grant_eur": REQUESTED_GRANT_EUR}
    update_consortium(session, owner, consortium_id, changes, catalogue=catalogue)
    return True


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
