"""The organisation registry: faceted search, organisation pages, create and edit forms."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from clusterbridge.api.deps import ClaimNotifierDep, SessionDep
from clusterbridge.api.downloads import attachment
from clusterbridge.db.models import Organisation, User
from clusterbridge.domain.assessment import counts_as_sme
from clusterbridge.domain.enums import ClaimStatus, OrgType, SmeProfile
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.geography import in_cohesion_area
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.reference import Period, industrial_ecosystems
from clusterbridge.services import registry
from clusterbridge.services.workbooks import TableFormat
from clusterbridge.web.auth import SignedInUser, WebUser
from clusterbridge.web.routing import web_router
from clusterbridge.web.suggestion_filter import KIND_LABELS
from clusterbridge.web.templating import render

router = web_router(prefix="/organisations")

PER_PAGE = 20
CORDIS_PROJECT_URL = "https://cordis.europa.eu/project/id/"


#: The filters of the search, in the page's order: their title, the form field, and the name
#: the registry service gives them (``OrganisationFilters``, the facets and its issues).
FILTERS = (
    ("Country", "country", "countries"),
    ("Type", "type", "types"),
    ("SME profile", "sme_profile", "sme_profiles"),
    ("Technology offered", "technology", "technologies"),
    ("Industrial ecosystem", "ecosystem", "ecosystems"),
    ("Region category 2021–2027", "category", "categories"),
)


#: The create and edit form's labels, which its summary of refused fields names.
FORM_LABELS = {
    "name": "Name", "short_name": "Short name", "pic": "PIC", "country": "Country",
    "nuts": "NUTS region code", "city": "City", "website": "Website", "email": "E-mail",
    "type": "Type", "sme_profile": "SME profile", "is_sme": "SME",
    "legal_entity": "Legal entity", "eccp_registered": "Registered on the ECCP",
    "ecosystems": "Industrial ecosystems", "cluster_ids": "Member of these cluster organisations",
    "add_cluster": "Add a cluster", "technologies_offered": "Technologies offered",
    "technologies_needed": "Technologies needed", "description": "Description",
}  # fmt: skip

#: What the form's words that only specialists know mean, under their fields.
FIELD_HINTS = {
    "pic": (
        "The Participant Identification Code that the EU Funding & Tenders Portal gives an "
        "organisation taking part in EU programmes. Leave it empty if yours has none."
    ),
    "nuts": (
        "The code of the organisation's region in the EU's NUTS list, such as DE212 for "
        "Munich. Leave it empty if you do not know it: the country is enough."
    ),
    "sme_profile": (
        "For SMEs only. Traditional: a small firm of a traditional sector (textiles, wood, "
        "food, construction...). Tech-savvy: a small firm that develops or offers digital or "
        "other advanced technologies."
    ),
    "is_sme": (
        "A small or medium-sized enterprise as the EU defines it: fewer than 250 staff, and a "
        "turnover of at most EUR 50 million or a balance sheet of at most EUR 43 million."
    ),
    "legal_entity": (
        "Whether the organisation has a legal personality of its own (not a department of "
        "another, nor an informal group)."
    ),
    "eccp_registered": (
        "Whether the organisation has a profile on the European Cluster Collaboration Platform."
    ),
}


class SearchForm(BaseModel):
    """The search box and facet checkboxes; the registry service checks the values."""

    q: str = Field("", max_length=200)
    country: list[str] = []
    type: list[str] = []
    sme_profile: list[str] = []
    ecosystem: list[str] = []
    category: list[str] = []
    technology: list[str] = []
    #: Any page from 1: one past the results is answered with the last page's number.
    page: int = Field(1, ge=1)


class OrganisationForm(BaseModel):
    """The create and edit form; every value is checked by the registry service."""

    name: str = ""
    short_name: str = ""
    pic: str = ""
    type: str = ""
    is_sme: str = ""
    sme_profile: str = ""
    country: str = ""
    nuts: str = ""
    city: str = ""
    website: str = ""
    email: str = ""
    legal_entity: str = ""
    eccp_registered: str = ""
    description: str = ""
    ecosystems: list[str] = []
    technologies_offered: str = ""
    technologies_needed: str = ""
    cluster_ids: list[str] = []
    #: A cluster to add, typed (its name or PIC): the picker's search box, read on saving.
    add_cluster: str = ""


@router.get("", response_class=HTMLResponse)
def search_page(
    request: Request, session: SessionDep, user: WebUser, form: Annotated[SearchForm, Query()]
) -> HTMLResponse:
    """Search with facets; htmx requests get the results fragment only. A value no filter has
    gets the page again with the filter named and why, instead of results (422); a page past
    the results says so and links the last page (404)."""
    context: dict[str, Any] = {"form": form, "filters": FILTERS, "problems": []}
    # A page past MAX_PAGE is past the results too; the search still counts them.
    page = min(form.page, registry.MAX_PAGE)
    try:
        result = registry.search_organisations(
            session, _filters(form), page=page, per_page=PER_PAGE
        )
    except InvalidInputError as error:
        context |= {"result": None, "problems": _problems(error)}
        return _search_page(request, user, context, status_code=error.status)
    context |= {
        "result": result,
        "ecosystem_names": {e.slug: e.name for e in industrial_ecosystems()},
        "technology_names": registry.technology_names(),
        "page_url": lambda page: _page_url(form, page),
    }
    if form.page > result.pages:
        context["missing_page"] = form.page
        return _search_page(request, user, context, status_code=404)
    return _search_page(request, user, context)


def _filters(form: SearchForm) -> registry.OrganisationFilters:
    """The filters as typed: the search checks them (`registry.search_organisations`)."""
    return registry.OrganisationFilters(
        text=form.q,
        countries=tuple(form.country),
        types=tuple(form.type),
        sme_profiles=tuple(form.sme_profile),
        ecosystems=tuple(form.ecosystem),
        categories=tuple(form.category),
        technologies=tuple(form.technology),
    )


def _problems(error: InvalidInputError) -> list[str]:
    """Each issue of the search, with the title of its filter ("Country: ...")."""
    titles = {part: title for title, _, part in FILTERS}
    return [f"{titles.get(issue.field, issue.field)}: {issue.reason}" for issue in error.issues]


def _search_page(
    request: Request, user: User | None, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "organisations/list.html",
        context,
        user=user,
        partial="organisations/_results.html",
        status_code=status_code,
    )


def _page_url(form: SearchForm, page: int) -> str:
    values: list[tuple[str, Any]] = [("q", form.q)] if form.q else []
    for _, name, _ in FILTERS:
        values += [(name, value) for value in getattr(form, name)]
    return "/organisations?" + urlencode([*values, ("page", page)])


@router.get("/new", response_class=HTMLResponse)
def new_page(request: Request, session: SessionDep, user: SignedInUser) -> HTMLResponse:
    """The form for a new organisation."""
    return _form_page(request, session, user, OrganisationForm())


@router.post("/new", response_model=None)
def create_submit(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    notifier: ClaimNotifierDep,
    form: Annotated[OrganisationForm, Form()],
) -> Response:
    """Create the organisation (its creator becomes a member) and show it; clusters it lists
    that the user does not speak for are asked to accept it."""
    try:
        values, read = _values(session, form, organisation_id=None)
        organisation = registry.create_organisation(
            session, user, values, notifier=notifier, read_issues=read
        )
    except InvalidInputError as error:
        return _form_page(
            request, session, user, form, errors=_errors(error), status_code=error.status
        )
    return RedirectResponse(f"/organisations/{organisation.id}", status_code=303)


class ClaimForm(BaseModel):
    """The message of a request to manage the record (checked by the registry service)."""

    message: str = ""


class DecisionForm(BaseModel):
    """The optional reason of an approval or a refusal."""

    reason: str = ""


@router.get("/{organisation_id}/export", response_class=Response)
def export_record(
    organisation_id: int,
    session: SessionDep,
    format: Annotated[TableFormat, Query()] = TableFormat.CSV,
) -> Response:
    """One organisation's record as CSV or XLSX, in the columns ``organisations import`` reads
    (what its page shows, for anyone who may see the page)."""
    content = registry.export_organisation(session, organisation_id, file_format=format)
    name = f"organisation-{organisation_id}.{format.value}"
    return attachment(content, name, media_type=format.media_type)


@router.get("/{organisation_id}", response_class=HTMLResponse)
def detail_page(
    request: Request, organisation_id: int, session: SessionDep, user: WebUser
) -> HTMLResponse:
    """Everything known about one organisation, with the projects it took part in, and the
    claims panel (``organisation_claims``)."""
    organisation = registry.get_organisation(session, organisation_id)
    context = detail_context(session, user, organisation)
    return render(request, "organisations/detail.html", context, user=user)


def detail_context(
    session: Session, user: User | None, organisation: Organisation, *, panel_only: bool = False
) -> dict[str, Any]:
    """What the organisation page shows ``user``; with ``panel_only`` just what its claims
    panel needs."""
    can_edit = registry.can_edit(session, user, organisation)
    context = {"organisation": organisation, "can_edit": can_edit}
    context |= claims_context(session, user, organisation, can_edit=can_edit)
    context |= {
        "membership_requests": (
            registry.list_requests_to(session, user, organisation.id) if user else []
        ),
        "asked_clusters": registry.list_requests_of(session, organisation.id) if can_edit else [],
    }
    if panel_only:
        return context
    return context | {
        "participations": registry.list_participations(session, organisation.id),
        "ecosystem_names": {e.slug: e.name for e in industrial_ecosystems()},
        "type_evidence": registry.type_evidence(organisation),
        "an_sme": counts_as_sme(is_sme=organisation.is_sme, org_type=organisation.type),
        "cordis_url": CORDIS_PROJECT_URL,
        "suggestion_kinds": KIND_LABELS,
        "outside_cohesion": {
            period.name: organisation.country is not None
            and not in_cohesion_area(organisation.country, period)
            for period in Period
        },
    }


def claims_context(
    session: Session, user: User | None, organisation: Organisation, *, can_edit: bool
) -> dict[str, Any]:
    """What the claims panel shows ``user``: the pending claims to decide, for those who can
    edit the record; for other signed-in users their latest claim and the form to ask."""
    pending = []
    if can_edit and user is not None:
        pending = registry.list_organisation_claims(
            session, user, organisation.id, status=ClaimStatus.PENDING
        )
    mine = None
    if not can_edit and user is not None:
        mine = registry.latest_claim(session, user, organisation)
    return {
        "pending_claims": pending,
        "my_claim": mine,
        "claim_form": ClaimForm(),
        "claim_errors": {},
    }


@router.post("/{organisation_id}/confirm", response_model=None)
def confirm_submit(
    organisation_id: int,
    session: SessionDep,
    user: SignedInUser,
    field: Annotated[str, Form(max_length=40)],
) -> Response:
    """The members confirm the values derived for one field: they become declared."""
    registry.confirm_derived(session, user, organisation_id, field)
    return RedirectResponse(f"/organisations/{organisation_id}", status_code=303)


@router.get("/{organisation_id}/edit", response_class=HTMLResponse)
def edit_page(
    request: Request, organisation_id: int, session: SessionDep, user: SignedInUser
) -> HTMLResponse:
    """The edit form, for the organisation's members and administrators."""
    organisation = registry.get_organisation(session, organisation_id)
    if not registry.can_edit(session, user, organisation):
        raise registry.NotAllowedError(
            "Only the organisation's members and administrators may edit it"
        )
    form = OrganisationForm(**registry.form_values(organisation))
    return _form_page(request, session, user, form, organisation_id=organisation_id)


@router.post("/{organisation_id}/edit", response_model=None)
def edit_submit(
    *,
    request: Request,
    organisation_id: int,
    session: SessionDep,
    user: SignedInUser,
    notifier: ClaimNotifierDep,
    form: Annotated[OrganisationForm, Form()],
) -> Response:
    """Save the changes; a bad field re-renders the form with its reason. A new cluster the
    user does not speak for is asked to accept the membership."""
    try:
        values, read = _values(session, form, organisation_id=organisation_id)
        registry.update_organisation(
            session, user, organisation_id, values, notifier=notifier, read_issues=read
        )
    except InvalidInputError as error:
        return _form_page(
            request,
            session,
            user,
            form,
            organisation_id=organisation_id,
            errors=_errors(error),
            status_code=error.status,
        )
    return RedirectResponse(f"/organisations/{organisation_id}?saved=1", status_code=303)


def _values(
    session: Session, form: OrganisationForm, *, organisation_id: int | None
) -> tuple[dict[str, Any], list[InputIssue]]:
    """The registry's values of ``form`` and the mistake of its picker's box: a cluster typed
    there joins the ticked ones; a text that names no one cluster is an issue on
    ``add_cluster``, which the registry reports with the form's other mistakes (all at once)."""
    values: dict[str, Any] = form.model_dump(exclude={"add_cluster"})
    for field in ("technologies_offered", "technologies_needed"):
        values[field] = values[field].replace("\r", "").replace("\n", ";")
    if not form.add_cluster.strip():
        return values, []
    try:
        cluster = registry.find_named_organisation(
            session,
            form.add_cluster,
            field="add_cluster",
            clusters_only=True,
            exclude_id=organisation_id,
        )
    except InvalidInputError as error:
        return values, list(error.issues)
    values["cluster_ids"] = [*form.cluster_ids, str(cluster.id)]
    return values, []


def _errors(error: InvalidInputError) -> dict[str, str]:
    """Each field's first problem, in the form's order (the order its summary lists them)."""
    errors: dict[str, str] = {}
    for issue in error.issues:
        errors.setdefault(issue.field, issue.reason)
    order = list(FORM_LABELS)
    return dict(sorted(errors.items(), key=lambda item: _place(order, item[0])))


def _place(order: list[str], field: str) -> int:
    return order.index(field) if field in order else len(order)


def _ids(values: list[str]) -> list[int]:
    """The values that are organisation ids (the others are refused on saving)."""
    digits = [value for value in values if value.isascii() and value.isdigit()]
    return [int(value) for value in digits if 0 < int(value) <= MAX_ID]


def _form_page(
    request: Request,
    session: Session,
    user: Any,
    form: OrganisationForm,
    *,
    organisation_id: int | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    # The name as stored (the form's may be the refused one), for the title and heading.
    stored = registry.get_organisation(session, organisation_id) if organisation_id else None
    context = {
        "form": form,
        "organisation_id": organisation_id,
        "organisation_name": stored.name if stored is not None else None,
        "errors": errors or {},
        "labels": FORM_LABELS,
        "field_hints": FIELD_HINTS,
        "types": list(OrgType),
        "sme_profiles": list(SmeProfile),
        "ecosystems": industrial_ecosystems(),
        "technologies": sorted((term.label for term in registry.vocabulary()), key=str.casefold),
        "chosen": registry.list_listings(session, _ids(form.cluster_ids)),
    }
    return render(request, "organisations/form.html", context, user=user, status_code=status_code)
