"""The organisation registry: search with facets, one record, create and change, and claims
(asking to manage a record, and the decisions of its members and administrators)."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response
from sqlalchemy.orm import Session

from clusterbridge.api.deps import ClaimNotifierDep, CurrentUser, NowDep, SessionDep
from clusterbridge.api.errors import error_responses
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.claims import ClaimCreate, ClaimDecision, ClaimRead, claim_of
from clusterbridge.api.schemas.organisations import (
    MAX_ID,
    ConfirmDerived,
    OrganisationCreate,
    OrganisationPage,
    OrganisationQuery,
    OrganisationRead,
    OrganisationUpdate,
    page_json,
    read_of,
)
from clusterbridge.db.models import User
from clusterbridge.domain.enums import ClaimStatus
from clusterbridge.services import registry
from clusterbridge.services.registry import ClaimNotifier

router = APIRouter(prefix="/organisations", tags=["organisations"])

OrganisationId = Annotated[int, Path(ge=1, le=MAX_ID)]
ClaimId = Annotated[int, Path(ge=1, le=MAX_ID)]
Decision = Annotated[ClaimDecision | None, Body()]

UNAUTHENTICATED = "No valid API token."
NO_ORGANISATION = "No organisation with this id."
NO_CLAIM = "No claim with this id, or one you may not see."
BAD_BODY = "The body is not valid (every problem is listed)."
BAD_PARAMETER = "A path or query parameter is not valid."
DECISION_ERRORS = error_responses(
    {
        401: UNAUTHENTICATED,
        403: "You asked for this claim yourself: a member or an administrator decides.",
        404: NO_CLAIM,
        409: "The claim is already decided.",
        422: BAD_BODY,
    }
)


@router.get("", response_model=OrganisationPage)
def search_organisations(
    session: SessionDep, query: Annotated[OrganisationQuery, Query()]
) -> Response:
    """Organisations matching the text and filters, best match first, with facet counts.

    Unknown countries, types, SME profiles, region categories, ecosystems or technology codes
    are refused (422), every one at once, with the field and the reason. In a search for technologies or SME profiles each item says why it matches
    (``evidence``).
    """
    filters = registry.OrganisationFilters(
        text=query.text,
        countries=tuple(query.countries),
        types=tuple(query.types),
        sme_profiles=tuple(query.sme_profiles),
        ecosystems=tuple(query.ecosystems),
        categories=tuple(query.categories),
        technologies=tuple(query.technologies),
    )
    result = registry.search_organisations(
        session, filters, page=query.page, per_page=query.per_page, with_facets=query.facets
    )
    # Serialised straight from the result, as OrganisationPage documents it (the busiest route
    # of the API; benchmarks/bench_search.py and bench_load.py).
    return Response(page_json(result), media_type="application/json")


# The claim routes come before "/{organisation_id}", which would take "claims" for an id.


@router.get("/claims", responses=error_responses({401: UNAUTHENTICATED}))
def list_my_claims(session: SessionDep, user: CurrentUser) -> list[ClaimRead]:
    """Your claims on every organisation, newest first, with their decisions."""
    return [claim_of(claim) for claim in registry.list_my_claims(session, user)]


@router.get(
    "/claims/{claim_id}",
    responses=error_responses({401: UNAUTHENTICATED, 404: NO_CLAIM, 422: BAD_PARAMETER}),
)
def read_claim(claim_id: ClaimId, session: SessionDep, user: CurrentUser) -> ClaimRead:
    """One claim, for its requester, the organisation's members and administrators (404 for
    anyone else)."""
    return claim_of(registry.get_claim(session, user, claim_id))


@router.post("/claims/{claim_id}/approve", responses=DECISION_ERRORS)
def approve_claim(
    claim_id: ClaimId,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    notifier: ClaimNotifierDep,
    body: Decision = None,
) -> ClaimRead:
    """Approve a pending claim (a member of the organisation or an administrator): the
    requester becomes a member and may edit the organisation. The requester is mailed."""
    return _decide(session, user, claim_id, body, approve=True, now=now, notifier=notifier)


@router.post("/claims/{claim_id}/refuse", responses=DECISION_ERRORS)
def refuse_claim(
    claim_id: ClaimId,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    notifier: ClaimNotifierDep,
    body: Decision = None,
) -> ClaimRead:
    """Refuse a pending claim, with an optional reason; the requester is mailed and may ask
    again."""
    return _decide(session, user, claim_id, body, approve=False, now=now, notifier=notifier)


@router.post(
    "/{organisation_id}/claims",
    status_code=201,
    responses=error_responses(
        {
            401: UNAUTHENTICATED,
            404: NO_ORGANISATION,
            409: "You can already edit it, or you have an open claim on it.",
            422: BAD_BODY,
        }
    ),
)
def create_claim(
    organisation_id: OrganisationId,
    body: ClaimCreate,
    session: SessionDep,
    user: CurrentUser,
    notifier: ClaimNotifierDep,
) -> ClaimRead:
    """Ask to manage an organisation's record, saying who you are. Its members (or, when it
    has none, the administrators) are mailed and decide."""
    claim = registry.create_claim(
        session, user, organisation_id, message=body.message, notifier=notifier
    )
    return claim_of(registry.get_claim(session, user, claim.id))


@router.get(
    "/{organisation_id}/claims",
    responses=error_responses(
        {
            401: UNAUTHENTICATED,
            403: "Only its members and administrators.",
            404: NO_ORGANISATION,
            422: BAD_PARAMETER,
        }
    ),
)
def list_organisation_claims(
    organisation_id: OrganisationId,
    session: SessionDep,
    user: CurrentUser,
    status: Annotated[ClaimStatus | None, Query(description="Only claims in this state.")] = None,
) -> list[ClaimRead]:
    """The claims on an organisation, oldest first, for its members and administrators."""
    claims = registry.list_organisation_claims(session, user, organisation_id, status=status)
    return [claim_of(claim) for claim in claims]


def _decide(
    session: Session,
    user: User,
    claim_id: int,
    body: ClaimDecision | None,
    *,
    approve: bool,
    now: datetime,
    notifier: ClaimNotifier,
) -> ClaimRead:
    reason = body.reason if body is not None else ""
    claim = registry.decide_claim(
        session, user, claim_id, approve=approve, reason=reason, now=now, notifier=notifier
    )
    return claim_of(claim)


@router.get("/{organisation_id}")
def read_organisation(organisation_id: OrganisationId, session: SessionDep) -> OrganisationRead:
    """One organisation with its ecosystems, technologies, clusters and projects."""
    organisation = registry.get_organisation(session, organisation_id)
    return read_of(organisation, registry.list_participations(session, organisation_id))


@router.post("", status_code=201, responses=errors(403, 409))
def create_organisation(
    body: OrganisationCreate, session: SessionDep, user: CurrentUser, notifier: ClaimNotifierDep
) -> OrganisationRead:
    """Create an organisation; its creator becomes a member and may edit it. A cluster in
    ``cluster_ids`` that you are not a member of is asked to accept it (see
    ``/organisations/{id}/membership-requests``) instead of being listed at once.

    Every bad field is reported at once (422).
    """
    values = body.model_dump(exclude_unset=True)
    organisation = registry.create_organisation(session, user, values, notifier=notifier)
    return read_organisation(organisation.id, session)


@router.patch("/{organisation_id}", responses=errors(403, 409))
def update_organisation(
    organisation_id: OrganisationId,
    body: OrganisationUpdate,
    session: SessionDep,
    user: CurrentUser,
    notifier: ClaimNotifierDep,
) -> OrganisationRead:
    """Change the fields given. Only the organisation's members and administrators may (403).
    A new cluster in ``cluster_ids`` that you are not a member of is asked to accept it."""
    registry.update_organisation(
        session, user, organisation_id, body.model_dump(exclude_unset=True), notifier=notifier
    )
    return read_organisation(organisation_id, session)


@router.post("/{organisation_id}/confirm", responses=errors(403, 409))
def confirm_derived(
    organisation_id: OrganisationId,
    body: ConfirmDerived,
    session: SessionDep,
    user: CurrentUser,
) -> OrganisationRead:
    """The members confirm the values derived from the projects for one field: they become
    declared, and no later derivation or re-import changes them. Members and administrators
    only (403)."""
    registry.confirm_derived(session, user, organisation_id, body.field)
    return read_organisation(organisation_id, session)
