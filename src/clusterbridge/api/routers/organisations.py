"""The organisation registry: search with facets, one record, create and change."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from clusterbridge.api.deps import CurrentUser, SessionDep
from clusterbridge.api.schemas.organisations import (
    MAX_ID,
    ConfirmDerived,
    OrganisationCreate,
    OrganisationPage,
    OrganisationQuery,
    OrganisationRead,
    OrganisationUpdate,
    page_of,
    read_of,
)
from clusterbridge.services import registry

router = APIRouter(prefix="/organisations", tags=["organisations"])

OrganisationId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=OrganisationPage)
def search_organisations(
    session: SessionDep, query: Annotated[OrganisationQuery, Query()]
) -> Response:
    """Organisations matching the text and filters, best match first, with facet counts.

    Unknown countries, ecosystems or technology codes are refused (422) with the field and the
    reason. In a search for technologies or SME profiles each item says why it matches
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
    # The page is built by its own model already: serialised once, not validated again
    # (the busiest route of the API; the benchmark in benchmarks/bench_search.py).
    return Response(page_of(result).model_dump_json(), media_type="application/json")


@router.get("/{organisation_id}")
def read_organisation(organisation_id: OrganisationId, session: SessionDep) -> OrganisationRead:
    """One organisation with its ecosystems, technologies, clusters and projects."""
    organisation = registry.get_organisation(session, organisation_id)
    return read_of(organisation, registry.list_participations(session, organisation_id))


@router.post("", status_code=201)
def create_organisation(
    body: OrganisationCreate, session: SessionDep, user: CurrentUser
) -> OrganisationRead:
    """Create an organisation; its creator becomes a member and may edit it.

    Every bad field is reported at once (422).
    """
    values = body.model_dump(exclude_unset=True)
    organisation = registry.create_organisation(session, user, values)
    return read_organisation(organisation.id, session)


@router.patch("/{organisation_id}")
def update_organisation(
    organisation_id: OrganisationId,
    body: OrganisationUpdate,
    session: SessionDep,
    user: CurrentUser,
) -> OrganisationRead:
    """Change the fields given. Only the organisation's members and administrators may (403)."""
    registry.update_organisation(
        session, user, organisation_id, body.model_dump(exclude_unset=True)
    )
    return read_organisation(organisation_id, session)


@router.post("/{organisation_id}/confirm")
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
