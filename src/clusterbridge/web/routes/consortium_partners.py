"""The partner tools of a consortium page: registry search, add, type in, upload, edit, remove.

Each change answers (for htmx) with the partner table, or the one partner, and the eligibility
panel out of band; see `consortia.after_change`.
"""

from typing import Annotated

from fastapi import File, Form, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.consortia import partners as consortium_partners
from clusterbridge.services.consortia.partners import MAX_UPLOAD_BYTES, PartnerChanges
from clusterbridge.web.numbers import read_id
from clusterbridge.web.routes.consortia import ConsortiumId, Page, after_change
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render
from clusterbridge.web.wording import field_errors, issue_text

router = web_router(prefix="/consortia/{consortium_id}")

PARTNERS = "consortia/_partners.html"
PARTNER = "consortia/_partner_row.html"


class RegistryPartnerForm(BaseModel):
    """An organisation of the registry to add."""

    organisation_id: str = ""


class TypedPartnerForm(BaseModel):
    """A partner typed in: the columns of a consortium file."""

    name: str = ""
    country: str = ""
    nuts: str = ""
    type: str = ""
    sme_profile: str = ""
    legal_entity: str = ""
    eccp_registered: str = ""
    role: str = ""
    pic: str = ""


class PartnerFieldForm(BaseModel):
    """One inline edit: which column, and its new text (blank: unknown, or the registry's)."""

    field: str = ""
    value: str = ""


@router.get("/organisations", response_class=HTMLResponse)
def search(consortium_id: ConsortiumId, page: Page, q: str = "") -> HTMLResponse:
    """Registry organisations matching ``q``, each with an Add button."""
    hits = consortium_partners.search_registry(page.session, page.user, consortium_id, q)
    context = {"hits": hits, "q": q, "consortium_id": consortium_id}
    return render(page.request, "consortia/_search_results.html", context, user=page.user)


@router.post("/partners/registry", response_model=None)
def add_from_registry(
    consortium_id: ConsortiumId,
    page: Page,
    form: Annotated[RegistryPartnerForm, Form()],
) -> Response:
    """Add a registry organisation as a partner."""
    error = None
    try:
        organisation_id = _organisation_id(form.organisation_id)
        consortium_partners.add_registry_partner(
            page.session, page.user, consortium_id, organisation_id
        )
    except InvalidInputError as raised:
        error = raised
    return announced(after_change(page, consortium_id, PARTNERS, error=error), error)


@router.post("/partners/typed", response_model=None)
def add_typed(
    consortium_id: ConsortiumId,
    page: Page,
    form: Annotated[TypedPartnerForm, Form()],
) -> Response:
    """Add a partner typed in, validated like a consortium file row."""
    error = None
    try:
        consortium_partners.add_typed_partner(
            page.session, page.user, consortium_id, form.model_dump()
        )
    except InvalidInputError as raised:
        error = raised
    extra = _typed_errors(form, error) if error else {}
    return announced(after_change(page, consortium_id, PARTNERS, error=error, extra=extra), error)


def _typed_errors(form: TypedPartnerForm, error: InvalidInputError) -> dict[str, object]:
    """What the typed-in form shows after ``error``: each field's problems next to it, and
    the problems of no field of the form in the notice."""
    fields = set(TypedPartnerForm.model_fields)
    issues = [issue for issue in error.issues if issue.field in fields]
    others = [issue_text(issue) for issue in error.issues if issue.field not in fields]
    return {
        "typed": form,
        "error_at": "typed",
        "typed_errors": field_errors(InvalidInputError(error.summary, issues)),
        "typed_other": others,
    }


@router.post("/partners/upload", response_model=None)
def upload(
    consortium_id: ConsortiumId,
    page: Page,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Add every partner of a CSV, XLSX or JSON consortium file, or none if a cell is bad; sent
    without a file, the upload box says to choose one."""
    error = None
    name, data = (
        ("", b"") if file is None else (file.filename or "", file.file.read(MAX_UPLOAD_BYTES + 1))
    )
    try:
        consortium_partners.upload_partners(
            page.session, page.user, consortium_id, filename=name, data=data
        )
    except InvalidInputError as raised:
        error = raised
    extra = {"error_at": "upload"} if error else {}
    return announced(after_change(page, consortium_id, PARTNERS, error=error, extra=extra), error)


@router.post("/partners/{partner_id}", response_model=None)
def edit(
    consortium_id: ConsortiumId,
    partner_id: ConsortiumId,
    page: Page,
    form: Annotated[PartnerFieldForm, Form()],
) -> Response:
    """Set one value of a partner: its role, or an override of a registry value."""
    error = None
    try:
        changes: PartnerChanges = consortium_partners.parse_partner_changes(
            {form.field: form.value}
        )
        consortium_partners.update_partner(
            page.session, page.user, consortium_id, partner_id, changes
        )
    except InvalidInputError as raised:
        error = raised
    response = after_change(
        page, consortium_id, PARTNER, error=error, extra={"partner_id": partner_id}
    )
    if error is None:
        # The row already shows what the user chose: swapping it would drop an edit of another
        # cell of the same row still queued behind this one. Only the eligibility panel (out of
        # band) changes; a refused value swaps the row back, with the reason.
        response.headers["HX-Reswap"] = "none"
    return response


@router.post("/partners/{partner_id}/remove", response_model=None)
def remove(
    consortium_id: ConsortiumId,
    partner_id: ConsortiumId,
    page: Page,
) -> Response:
    """Remove a partner."""
    consortium_partners.remove_partner(page.session, page.user, consortium_id, partner_id)
    return announced(after_change(page, consortium_id, PARTNERS), None)


def announced(response: Response, error: InvalidInputError | None) -> Response:
    """``response`` telling htmx that the partners changed (``PARTNERS_CHANGED``), so that
    panels that depend on them (the suggestions) load again; not after a refused change."""
    if error is None:
        response.headers["HX-Trigger"] = PARTNERS_CHANGED
    return response


#: The htmx event sent when a consortium's partners change.
PARTNERS_CHANGED = "partners-changed"


def _organisation_id(text: str) -> int:
    found = read_id(text.strip())
    if found is None:
        issue = InputIssue("", "organisation_id", f'"{text}" is not an organisation id')
        raise InvalidInputError("The partner cannot be added", [issue])
    return found
