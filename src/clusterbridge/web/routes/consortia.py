"""Consortium pages: the list, the create form, and each consortium with its live eligibility.

Every change made through htmx answers with the fragment it changed plus the eligibility panel
(``hx-swap-oob``), so the verdict follows each edit. Without htmx the forms still work: a change
redirects back to the consortium page, a mistake re-renders it with the reasons.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from clusterbridge.api.deps import CatalogueDep, InvitationMailDep, NowDep, SessionDep
from clusterbridge.api.downloads import attachment
from clusterbridge.db.models import Consortium, ConsortiumPartner, Organisation, User
from clusterbridge.domain.consortium import Partner
from clusterbridge.domain.enums import OrgType, Role, Verdict
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.reports.checklist import render_checklist_html, render_checklist_pdf
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.consortia import access, consortia, invitations
from clusterbridge.services.consortia.consortia import ConsortiumDetails
from clusterbridge.services.consortia.partners import OVERRIDABLE
from clusterbridge.services.text import cell_text
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.numbers import read_whole_euros, read_whole_number
from clusterbridge.web.routing import web_router
from clusterbridge.web.suggestion_filter import KIND_LABELS
from clusterbridge.web.templating import is_htmx, label, render

router = web_router(prefix="/consortia")

#: A consortium, partner or user id in a path (bounded like the database's integers).
ConsortiumId = Annotated[int, Path(ge=1, le=MAX_ID)]
SHARING = "consortia/_sharing.html"
SETTINGS = "consortia/_settings.html"

VERDICT_TEXT = {
    Verdict.ELIGIBLE: "Every blocking rule of the call passes.",
    Verdict.INELIGIBLE: "At least one blocking rule fails: see the rules marked fail.",
    Verdict.INCOMPLETE: "No rule fails, but some cannot be decided yet: fill in the missing data.",
}


class ConsortiumForm(BaseModel):
    """The consortium's name and what it applies for, as typed (numbers checked here)."""

    name: str = ""
    call_id: str = ""
    strand: str = ""
    duration_months: str = ""
    requested_grant_eur: str = ""


@dataclass(frozen=True, slots=True)
class PageContext:
    """What every consortium route needs: the request, the signed-in user, the unit of work,
    the calls and the time."""

    request: Request
    user: User
    session: Session
    catalogue: Catalogue
    now: datetime


def get_page(
    request: Request, user: SignedInUser, session: SessionDep, catalogue: CatalogueDep, now: NowDep
) -> PageContext:
    """The route's `PageContext`."""
    return PageContext(request, user, session, catalogue, now)


Page = Annotated[PageContext, Depends(get_page)]


@dataclass(frozen=True, slots=True)
class PartnerView:
    """A partner row as the table shows it: the row, its effective values, its organisation."""

    row: ConsortiumPartner
    partner: Partner
    organisation: Organisation | None
    #: The partner's own values and the registry's, as form text (``yes``, ``cluster_network``).
    own: dict[str, str]
    registry: dict[str, str]

    @classmethod
    def of(cls, row: ConsortiumPartner) -> "PartnerView":
        """The view of ``row`` (its organisation loaded)."""
        return cls(
            row,
            consortia.partner_snapshot(row),
            row.organisation,
            _texts(row, (*OVERRIDABLE, "role")),
            _texts(row.organisation, OVERRIDABLE),
        )


def _texts(source: object | None, columns: tuple[str, ...]) -> dict[str, str]:
    texts = {column: cell_text(getattr(source, column, None)) for column in columns}
    return {column: text for column, text in texts.items() if text is not None}


def _options(members: list[Any]) -> list[tuple[str, str]]:
    return [(member.value, label(member.value)) for member in members]


# ------------------------------------------------------------------------------ pages


@router.get("", response_class=HTMLResponse)
def list_page(page: Page) -> HTMLResponse:
    """The consortia the user may see, with their verdicts, and the create form."""
    return _list_page(page, ConsortiumForm(), {})


@router.post("", response_model=None)
def create(page: Page, form: Annotated[ConsortiumForm, Form()]) -> Response:
    """Create a consortium and open it; a bad field re-renders the list with the reason."""
    try:
        details = _details(form, page.catalogue)
        created = consortia.create_consortium(
            page.session, page.user, details, catalogue=page.catalogue
        )
    except InvalidInputError as error:
        errors = {issue.field: issue.reason for issue in error.issues}
        return _list_page(page, form, errors, status_code=error.status)
    return RedirectResponse(f"/consortia/{created.id}", status_code=303)


@router.get("/strands", response_class=HTMLResponse)
def strand_select(page: Page, call_id: str = "", strand: str = "") -> HTMLResponse:
    """The strand select for a call (htmx swaps it in when the call changes). The strand chosen
    stays chosen; one the new call lacks is said to be none of its strands (saving it is
    refused beside the field), never dropped unsaid."""
    context = strand_context(page.catalogue, call_id, strand)
    return render(page.request, "consortia/_strand_select.html", context, user=page.user)


@router.get("/{consortium_id}", response_class=HTMLResponse)
def detail_page(consortium_id: ConsortiumId, page: Page) -> HTMLResponse:
    """A consortium: settings, partners, the tools to add them, and the eligibility panel."""
    consortium = consortia.get_consortium(page.session, page.user, consortium_id)
    context = detail_context(consortium, page)
    return render(page.request, "consortia/detail.html", context, user=page.user)


@router.get("/{consortium_id}/eligibility", response_class=HTMLResponse)
def eligibility_panel(consortium_id: ConsortiumId, page: Page) -> HTMLResponse:
    """The eligibility panel alone (for htmx), or as a page of its own when opened directly."""
    consortium = consortia.get_consortium(page.session, page.user, consortium_id)
    context = detail_context(consortium, page)
    return render(
        page.request,
        "consortia/eligibility.html",
        context,
        user=page.user,
        partial="consortia/_eligibility.html",
    )


@router.post("/{consortium_id}/settings", response_model=None)
def save_settings(
    consortium_id: ConsortiumId, page: Page, form: Annotated[ConsortiumForm, Form()]
) -> Response:
    """Save name, call, strand, duration and grant."""
    try:
        details = _details(form, page.catalogue)
        changes: consortia.ConsortiumChanges = {
            "name": details.name,
            "call_id": details.call_id,
            "strand": details.strand,
            "duration_months": details.duration_months,
            "requested_grant_eur": details.requested_grant_eur,
        }
        consortia.update_consortium(
            page.session, page.user, consortium_id, changes, catalogue=page.catalogue
        )
    except InvalidInputError as error:
        extra = _fields_context(form, page.catalogue)
        return after_change(page, consortium_id, SETTINGS, error=error, extra=extra)
    return after_change(page, consortium_id, SETTINGS)


@router.post("/{consortium_id}/delete")
def delete(consortium_id: ConsortiumId, page: Page) -> RedirectResponse:
    """Delete the consortium (its owner only) and go back to the list."""
    consortia.delete_consortium(page.session, page.user, consortium_id)
    return RedirectResponse("/consortia", status_code=303)


@router.get("/{consortium_id}/checklist.pdf")
def checklist_pdf(consortium_id: ConsortiumId, page: Page) -> Response:
    """The eligibility checklist as PDF, to attach to the proposal."""
    consortium = consortia.get_consortium(page.session, page.user, consortium_id)
    report = consortia.eligibility_report(consortium, catalogue=page.catalogue, now=page.now)
    return attachment(
        render_checklist_pdf(report),
        _checklist_name(consortium, "pdf"),
        media_type="application/pdf",
    )


@router.get("/{consortium_id}/checklist.html")
def checklist_html(consortium_id: ConsortiumId, page: Page) -> Response:
    """The checklist as a self-contained HTML file. A download: its inline styles would be
    blocked by this site's content security policy."""
    consortium = consortia.get_consortium(page.session, page.user, consortium_id)
    report = consortia.eligibility_report(consortium, catalogue=page.catalogue, now=page.now)
    return attachment(
        render_checklist_html(report),
        _checklist_name(consortium, "html"),
        media_type="text/html; charset=utf-8",
    )


class SharingForm(BaseModel):
    """Whether every signed-in user may read the consortium (``yes``)."""

    shared: str = ""


class MemberForm(BaseModel):
    """A user to give access to, by e-mail address, and whether they may edit (``yes``)."""

    email: str = ""
    can_edit: str = ""


@router.post("/{consortium_id}/sharing", response_model=None)
def share(
    consortium_id: ConsortiumId, page: Page, form: Annotated[SharingForm, Form()]
) -> Response:
    """Share the consortium read-only with every signed-in user, or stop sharing it."""
    changes: consortia.ConsortiumChanges = {"shared": form.shared == "yes"}
    consortia.update_consortium(
        page.session, page.user, consortium_id, changes, catalogue=page.catalogue
    )
    return after_change(page, consortium_id, SHARING)


@router.post("/{consortium_id}/members", response_model=None)
def add_member(
    consortium_id: ConsortiumId,
    page: Page,
    mail: InvitationMailDep,
    form: Annotated[MemberForm, Form()],
) -> Response:
    """Invite somebody by e-mail address, with or without edit rights; the answer is the same
    whether or not the address has an account."""
    try:
        invitations.invite_member(
            page.session,
            page.user,
            consortium_id,
            email=form.email,
            can_edit=form.can_edit == "yes",
            mail=mail,
        )
    except InvalidInputError as error:
        return after_change(page, consortium_id, SHARING, error=error)
    return after_change(page, consortium_id, SHARING)


@router.post("/{consortium_id}/invitations/{invitation_id}/withdraw", response_model=None)
def withdraw_invitation(
    consortium_id: ConsortiumId, invitation_id: ConsortiumId, page: Page
) -> Response:
    """Withdraw a pending invitation."""
    invitations.withdraw_invitation(page.session, page.user, consortium_id, invitation_id)
    return after_change(page, consortium_id, SHARING)


@router.post("/invitations/{invitation_id}/accept", response_model=None)
def accept_invitation(invitation_id: ConsortiumId, page: Page) -> Response:
    """Accept an invitation for one's address and open the consortium."""
    consortium_id = invitations.accept_invitation(page.session, page.user, invitation_id)
    return RedirectResponse(f"/consortia/{consortium_id}", status_code=303)


@router.post("/invitations/{invitation_id}/decline", response_model=None)
def decline_invitation(invitation_id: ConsortiumId, page: Page) -> Response:
    """Decline an invitation for one's address."""
    invitations.decline_invitation(page.session, page.user, invitation_id)
    return RedirectResponse("/consortia", status_code=303)


@router.post("/{consortium_id}/members/{user_id}/remove", response_model=None)
def remove_member(consortium_id: ConsortiumId, user_id: ConsortiumId, page: Page) -> Response:
    """Take a member's access away."""
    consortia.remove_member(page.session, page.user, consortium_id, user_id=user_id)
    return after_change(page, consortium_id, SHARING)


# ------------------------------------------------------------------------ shared helpers


def after_change(
    page: PageContext,
    consortium_id: int,
    fragment: str,
    *,
    error: InvalidInputError | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    """The answer to a change: for htmx the changed ``fragment`` with the eligibility panel
    out of band; otherwise back to the page, or the page with the reasons of ``error``."""
    htmx = is_htmx(page.request)
    if error is None and not htmx:
        return RedirectResponse(f"/consortia/{consortium_id}", status_code=303)
    consortium = consortia.get_consortium(page.session, page.user, consortium_id)
    context = detail_context(consortium, page) | (extra or {})
    if error is not None:
        context |= {"error": error, "errors": {i.field: i.reason for i in error.issues}}
    if htmx:
        return render(page.request, fragment, context | {"oob": True}, user=page.user)
    status = error.status if error is not None else 200
    return render(
        page.request, "consortia/detail.html", context, user=page.user, status_code=status
    )


def detail_context(consortium: Consortium, page: PageContext) -> dict[str, Any]:
    """Everything the consortium page and its fragments show."""
    return {
        "consortium": consortium,
        "check": consortia.check_consortium(consortium, catalogue=page.catalogue, now=page.now),
        "verdict_text": VERDICT_TEXT,
        "editable": access.can_edit(consortium, page.user),
        "manageable": access.can_manage(consortium, page.user),
        "invitations": (
            invitations.list_invitations(page.session, consortium.id)
            if access.can_manage(consortium, page.user)
            else []
        ),
        "all_calls": page.catalogue.calls,
        "partners": [PartnerView.of(row) for row in consortium.partners],
        "roles": list(Role),
        "suggestion_kinds": KIND_LABELS,
        "org_types": list(OrgType),
        "role_options": _options(list(Role)),
        "org_type_options": _options(list(OrgType)),
        "errors": {},
        "error": None,
        "oob": False,
    } | _fields_context(_form_of(consortium), page.catalogue)


def _fields_context(form: ConsortiumForm, catalogue: Catalogue) -> dict[str, Any]:
    """What the consortium fields show: ``form`` as typed, with the strands of its call."""
    return {"form": form} | strand_context(catalogue, form.call_id, form.strand)


def strand_context(catalogue: Catalogue, call_id: str, strand: str) -> dict[str, Any]:
    """The strand select's: the strands of the call chosen (every call's before one is), the
    strand chosen, and its label when the one call listed lacks it (``stale_strand``)."""
    calls, strand = _calls_for(catalogue, call_id), strand.strip()
    offered = {s.id for call in calls for s in call.strands}
    stale = ""
    if strand and len(calls) == 1 and strand not in offered:
        labels = (s.label for call in catalogue.calls for s in call.strands if s.id == strand)
        stale = next(labels, strand)
    return {"calls": calls, "selected_strand": strand, "stale_strand": stale}


def _list_page(
    page: PageContext,
    form: ConsortiumForm,
    errors: dict[str, str],
    *,
    status_code: int = 200,
) -> HTMLResponse:
    overviews = consortia.list_consortia(
        page.session, page.user, catalogue=page.catalogue, now=page.now
    )
    context = {
        "overviews": overviews,
        "my_invitations": invitations.list_my_invitations(page.session, page.user),
        "errors": errors,
        "all_calls": page.catalogue.calls,
    } | _fields_context(form, page.catalogue)
    return render(
        page.request, "consortia/list.html", context, user=page.user, status_code=status_code
    )


def _checklist_name(consortium: Consortium, suffix: str) -> str:
    return f"checklist-{consortium.call_id}-{consortium.id}.{suffix}"


def _calls_for(catalogue: Catalogue, call_id: str) -> list[Any]:
    """The calls whose strands the strand select offers: the chosen one, or all of them."""
    wanted = call_id.strip().casefold()
    chosen = [call for call in catalogue.calls if call.id.casefold() == wanted]
    return chosen or list(catalogue.calls)


def _form_of(consortium: Consortium) -> ConsortiumForm:
    return ConsortiumForm(
        name=consortium.name,
        call_id=consortium.call_id or "",
        strand=consortium.strand or "",
        duration_months=str(consortium.duration_months or ""),
        requested_grant_eur=str(consortium.requested_grant_eur or ""),
    )


def _details(form: ConsortiumForm, catalogue: Catalogue) -> ConsortiumDetails:
    """The form as details; a number that is not a whole number is named by its field, with
    every other bad field in the same error (the service checks the numbers' ranges)."""
    issues: list[InputIssue] = []
    duration = read_whole_number(form.duration_months, "duration_months", issues)
    grant = read_whole_euros(form.requested_grant_eur, "requested_grant_eur", issues)
    details = ConsortiumDetails(
        name=form.name,
        call_id=form.call_id.strip() or None,
        strand=form.strand.strip() or None,
        duration_months=duration,
        requested_grant_eur=grant,
    )
    if issues:
        try:
            consortia.validate_details(details, catalogue=catalogue)
        except InvalidInputError as error:
            issues += error.issues
        raise InvalidInputError("The consortium cannot be saved", _in_form_order(issues))
    return details


def _in_form_order(issues: list[InputIssue]) -> list[InputIssue]:
    """``issues`` in the order of their fields on the form (the summary reads as the form)."""
    order = list(ConsortiumForm.model_fields)
    return sorted(
        issues, key=lambda issue: order.index(issue.field) if issue.field in order else len(order)
    )
