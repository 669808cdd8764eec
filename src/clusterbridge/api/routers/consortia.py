"""Consortia: create them, add partners, fix partner data and check eligibility.

Every route needs an API token. A consortium the token's user may not see answers 404; one
they may see but not change answers 403 to a change.
"""

from datetime import datetime
from typing import Annotated, Any, cast

from fastapi import APIRouter, Path, Response

from clusterbridge.api.deps import CatalogueDep, CurrentUser, NowDep, SessionDep
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.consortia import (
    ConsortiumCreate,
    ConsortiumRead,
    ConsortiumUpdate,
    PartnerCreate,
    PartnerRead,
    PartnerUpdate,
)
from clusterbridge.db.models import Consortium, User
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.reports.serialise import report_to_dict
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.consortia import access, consortia
from clusterbridge.services.consortia import partners as consortium_partners
from clusterbridge.services.consortia.consortia import ConsortiumChanges, ConsortiumDetails
from clusterbridge.services.consortia.partners import PartnerChanges

router = APIRouter(prefix="/consortia", tags=["consortia"], route_class=ExactNumbersRoute)

ConsortiumId = Annotated[int, Path(ge=1, le=MAX_ID)]
PartnerId = Annotated[int, Path(ge=1, le=MAX_ID)]
NO_CONTENT = 204


@router.get("")
def list_consortia(
    session: SessionDep, user: CurrentUser, catalogue: CatalogueDep, now: NowDep
) -> list[ConsortiumRead]:
    """The consortia you may see (yours, those you are a member of, shared ones), newest first."""
    return [
        ConsortiumRead.from_row(item.consortium, item.check, can_edit=item.editable)
        for item in consortia.list_consortia(session, user, catalogue=catalogue, now=now)
    ]


@router.post("", status_code=201)
def create_consortium(
    body: ConsortiumCreate,
    session: SessionDep,
    user: CurrentUser,
    catalogue: CatalogueDep,
    now: NowDep,
) -> ConsortiumRead:
    """Create a consortium; you own it. The call and strand must be in the catalogue."""
    details = ConsortiumDetails(**body.model_dump())
    row = consortia.create_consortium(session, user, details, catalogue=catalogue)
    return _read(row, user, catalogue, now)


@router.get("/{consortium_id}")
def read_consortium(
    consortium_id: ConsortiumId,
    session: SessionDep,
    user: CurrentUser,
    catalogue: CatalogueDep,
    now: NowDep,
) -> ConsortiumRead:
    """One consortium with its partners, members and verdict."""
    return _read(consortia.get_consortium(session, user, consortium_id), user, catalogue, now)


@router.patch("/{consortium_id}", responses=errors(403))
def update_consortium(
    consortium_id: ConsortiumId,
    body: ConsortiumUpdate,
    *,
    session: SessionDep,
    user: CurrentUser,
    catalogue: CatalogueDep,
    now: NowDep,
) -> ConsortiumRead:
    """Change the fields given; ``null`` clears call, strand, duration or grant."""
    changes = cast(ConsortiumChanges, body.model_dump(exclude_unset=True))
    row = consortia.update_consortium(session, user, consortium_id, changes, catalogue=catalogue)
    return _read(row, user, catalogue, now)


@router.delete("/{consortium_id}", status_code=NO_CONTENT, responses=errors(403))
def delete_consortium(
    consortium_id: ConsortiumId, session: SessionDep, user: CurrentUser
) -> Response:
    """Delete a consortium (its owner only)."""
    consortia.delete_consortium(session, user, consortium_id)
    return Response(status_code=NO_CONTENT)


@router.post("/{consortium_id}/partners", status_code=201, responses=errors(403, 409))
def add_partner(
    consortium_id: ConsortiumId, body: PartnerCreate, session: SessionDep, user: CurrentUser
) -> PartnerRead:
    """Add a registry organisation (``organisation_id``) or a typed-in partner."""
    if body.organisation_id is None:
        row = consortium_partners.add_typed_partner(session, user, consortium_id, body.cells())
    else:
        changes = cast(
            PartnerChanges, body.model_dump(exclude_unset=True, exclude={"organisation_id"})
        )
        row = consortium_partners.add_registry_partner(
            session, user, consortium_id, body.organisation_id, changes=changes
        )
    return PartnerRead.from_row(row)


@router.patch("/{consortium_id}/partners/{partner_id}", responses=errors(403, 409))
def update_partner(
    consortium_id: ConsortiumId,
    partner_id: PartnerId,
    body: PartnerUpdate,
    session: SessionDep,
    user: CurrentUser,
) -> PartnerRead:
    """Set a partner's role, or override (``null``: reset) its registry values."""
    changes = cast(PartnerChanges, body.model_dump(exclude_unset=True))
    row = consortium_partners.update_partner(session, user, consortium_id, partner_id, changes)
    return PartnerRead.from_row(row)


@router.delete(
    "/{consortium_id}/partners/{partner_id}", status_code=NO_CONTENT, responses=errors(403)
)
def remove_partner(
    consortium_id: ConsortiumId, partner_id: PartnerId, session: SessionDep, user: CurrentUser
) -> Response:
    """Remove a partner from the consortium."""
    consortium_partners.remove_partner(session, user, consortium_id, partner_id)
    return Response(status_code=NO_CONTENT)


@router.get("/{consortium_id}/eligibility", responses=errors(409))
def check_eligibility(
    consortium_id: ConsortiumId,
    session: SessionDep,
    user: CurrentUser,
    catalogue: CatalogueDep,
    now: NowDep,
) -> dict[str, Any]:
    """The eligibility report: verdict and every rule with its reason and quoted source.
    409 while the consortium has no call."""
    row = consortia.get_consortium(session, user, consortium_id)
    return report_to_dict(consortia.eligibility_report(row, catalogue=catalogue, now=now))


def _read(row: Consortium, user: User, catalogue: Catalogue, now: datetime) -> ConsortiumRead:
    check = consortia.check_consortium(row, catalogue=catalogue, now=now)
    return ConsortiumRead.from_row(row, check, can_edit=access.can_edit(row, user))
