"""The consortium builder page, partner suggestions on organisation and consortium pages, and
the one-click forms that turn a proposal into a consortium or apply a completion.

Suggestions are fragments the pages load with htmx once shown (``hx-trigger="load"``). A
builder run is a background job: the form opens the job's page, which shows the proposals.
"""

from dataclasses import dataclass, field, replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from clusterbridge.api.deps import CatalogueDep, SessionDep, StateDep
from clusterbridge.api.state import AppState
from clusterbridge.db.models import Job
from clusterbridge.domain.enums import CallStatus
from clusterbridge.domain.errors import ConflictError, DomainError, InputIssue, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.engines.consortium.problem import Mode
from clusterbridge.services import jobs, registry
from clusterbridge.services.builder import apply as builder_apply
from clusterbridge.services.builder.build import (
    DEFAULT_MAX_PARTNERS,
    DEFAULT_PROPOSALS,
    BuildRequest,
    validate_request,
)
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.consortia import access, consortia
from clusterbridge.services.consortia.access import ConsortiumNotFoundError
from clusterbridge.services.matching.questions import no_suggestions
from clusterbridge.services.matching.store import IndexNotReadyError
from clusterbridge.services.matching.suggestions import (
    answer_for_organisation,
    answer_for_saved_consortium,
)
from clusterbridge.web.auth import WebUser
from clusterbridge.web.numbers import read_whole_number
from clusterbridge.web.routes.consortia import Page, PageContext, strand_context
from clusterbridge.web.routes.jobs import job_context
from clusterbridge.web.routing import web_router
from clusterbridge.web.suggestion_filter import FILTER_FIELDS, KIND_LABELS, SuggestionFilter
from clusterbridge.web.templating import is_htmx, render
from clusterbridge.web.wording import field_errors, issue_text

router = web_router()

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
#: The longest project duration the builder's form takes, in months.
MAX_MONTHS = 120
#: Suggestions shown on an organisation or consortium page.
SHOWN = 8


class BuilderForm(BaseModel):
    """The builder's question as typed; numbers are checked here, the rest by the service.
    The two sizes default to empty, so that one left empty is refused, not given the usual
    size (an empty form field reaches the model as missing); ``with_usual_sizes`` fills them
    in for the page."""

    call_id: str = ""
    strand: str = ""
    duration_months: str = ""
    idea: str = ""
    max_partners: str = ""
    proposals: str = ""
    consortium_id: str = ""

    def with_usual_sizes(self) -> "BuilderForm":
        """The form with the usual sizes in the ones the address leaves out."""
        return self.model_copy(
            update={
                "max_partners": self.max_partners or str(DEFAULT_MAX_PARTNERS),
                "proposals": self.proposals or str(DEFAULT_PROPOSALS),
            }
        )


class ProposalForm(BaseModel):
    """A proposal to turn into a new consortium: its name, call, strand and organisations."""

    name: str = ""
    call_id: str = ""
    strand: str = ""
    duration_months: str = ""
    organisation_id: list[str] = []
    #: The job whose page showed the proposal, and the proposal's number there.
    job_id: str = ""
    number: str = ""


class CompletionForm(BaseModel):
    """A completion to apply: organisations to add and partners to remove."""

    add: list[str] = []
    remove: list[str] = []
    #: The job whose page showed the completion.
    job_id: str = ""


@router.get("/organisations/{organisation_id}/suggestions", response_class=HTMLResponse)
def organisation_suggestions(
    request: Request,
    organisation_id: Id,
    session: SessionDep,
    state: StateDep,
    *,
    user: WebUser,
    chosen: Annotated[SuggestionFilter, Query()],
) -> HTMLResponse:
    """The organisations that complement this one, with reasons, of the kind chosen, and under
    them those registered without projects whose declarations match (a fragment for htmx; a
    page of its own when opened directly, e.g. the filter sent without JavaScript). Without a
    filter in the address, new partners only, as the panel starts."""
    chosen = chosen.or_new_partners(sent=not FILTER_FIELDS.isdisjoint(request.query_params))
    context: dict[str, object] = {
        "consortium": None, "editable": False, "chosen": chosen, "heading": _heading(request),
    }  # fmt: skip
    try:
        answer = answer_for_organisation(
            session, organisation_id, cache=state.matching, top=SHOWN, wanted=chosen.wanted()
        )
        context |= {"suggestions": answer.suggestions, "newcomers": answer.newcomers}
        if not answer.suggestions:
            context["empty"] = no_suggestions(state.matching.get(session), chosen.wanted())
    except IndexNotReadyError as error:
        context |= {"suggestions": [], "newcomers": [], "not_ready": str(error)}
    if not is_htmx(request):
        organisation = registry.get_organisation(session, organisation_id)
        context |= {"organisation": organisation, "suggestion_kinds": KIND_LABELS}
    return render(
        request,
        "builder/organisation_suggestions.html",
        context,
        user=user,
        partial="builder/_suggestions.html",
    )


@router.get("/consortia/{consortium_id}/suggestions", response_class=HTMLResponse)
def consortium_suggestions(
    consortium_id: Id,
    page: Page,
    state: StateDep,
    chosen: Annotated[SuggestionFilter, Query()],
) -> HTMLResponse:
    """The organisations that would complete this consortium, of the kind chosen, with what
    they add to its call's rules, each with an Add button for editors, and under them those
    registered without projects whose declarations match (a fragment for htmx; a page of its
    own when opened directly, e.g. the filter sent without JavaScript)."""
    row = consortia.get_consortium(page.session, page.user, consortium_id)
    editable = access.can_edit(row, page.user)
    context: dict[str, object] = {
        "consortium": row, "editable": editable, "chosen": chosen, "suggestion_kinds": KIND_LABELS,
        "heading": _heading(page.request),
    }  # fmt: skip
    try:
        answer = answer_for_saved_consortium(
            page.session, page.user, consortium_id, cache=state.matching,
            catalogue=page.catalogue, now=page.now, top=SHOWN, wanted=chosen.wanted(),
        )  # fmt: skip
        context |= {"suggestions": answer.suggestions, "newcomers": answer.newcomers}
        if not answer.suggestions:
            context["empty"] = no_suggestions(state.matching.get(page.session), chosen.wanted())
    except IndexNotReadyError as error:
        # A fragment htmx swaps in (it would not swap a 503): the panel says why it is empty.
        context |= {"suggestions": [], "newcomers": [], "not_ready": str(error)}
    return render(
        page.request,
        "builder/consortium_suggestions.html",
        context,
        user=page.user,
        partial="builder/_suggestions.html",
    )


def _heading(request: Request) -> str:
    """The newcomers' heading level: under the panel's h2 in a page's card (htmx), under the
    h1 of a page of its own."""
    return "h3" if is_htmx(request) else "h2"


@router.get("/builder/strands", response_class=HTMLResponse)
def strand_select(
    request: Request, user: WebUser, catalogue: CatalogueDep, call_id: str = "", strand: str = ""
) -> HTMLResponse:
    """The strand select for a call (htmx swaps it in when the call changes)."""
    context = _strands(catalogue, call_id, strand)
    return render(request, "builder/_strand_select.html", context, user=user)


def _strands(catalogue: Catalogue, call_id: str, strand: str) -> dict[str, Any]:
    """The strand select's (``strand_context``): a strand the chosen call lacks stays chosen
    and is said, rather than dropped when the call changes."""
    found = strand_context(catalogue, call_id, strand)
    return {
        "strand_calls": found["calls"],
        "selected_strand": found["selected_strand"],
        "stale_strand": found["stale_strand"],
    }


@router.get("/builder", response_class=HTMLResponse)
def builder_page(form: Annotated[BuilderForm, Query()], page: Page) -> HTMLResponse:
    """The builder's question, filled in from the address (a consortium page's "Complete with
    the builder" names the consortium and its call)."""
    return _form_page(form.with_usual_sizes(), page, None)


@router.post("/builder", response_model=None)
def build(
    form: Annotated[BuilderForm, Form()], page: Page, state: StateDep
) -> HTMLResponse | RedirectResponse:
    """Start the builder in a background job and open its page, which shows the proposals
    with their reports (for a consortium of the platform, its completions) once found; the
    form again, naming each bad field, when the question is not valid."""
    try:
        request = _request(form, page.catalogue)
        consortium_id = _number(form.consortium_id, "consortium_id", 1, MAX_ID)
        job = jobs.submit_builder_build(
            page.session, page.user, page.catalogue, request,
            mode=Mode.BUILD if consortium_id is None else Mode.COMPLETE,
            consortium_id=consortium_id, dispatch=state.jobs.dispatch,
        )  # fmt: skip
    except InvalidInputError as error:
        return _form_page(form, page, error)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def _form_page(
    form: BuilderForm, page: PageContext, error: InvalidInputError | None
) -> HTMLResponse:
    consortium_id = form.consortium_id.strip()
    consortium = (
        consortia.get_consortium(page.session, page.user, int(consortium_id))
        if consortium_id.isascii() and consortium_id.isdigit() and 1 <= int(consortium_id) <= MAX_ID
        else None
    )
    context: dict[str, Any] = {
        "form": form, "calls": page.catalogue.calls, "consortium": consortium,
        **_calls_by_status(page),
        **_strands(page.catalogue, form.call_id, form.strand),
        "error": error, "errors": {i.field: i.reason for i in error.issues} if error else {},
    }  # fmt: skip
    status = error.status if error else 200
    return render(page.request, "builder/page.html", context, user=page.user, status_code=status)


def _calls_by_status(page: PageContext) -> dict[str, Any]:
    """The call choice: the calls taking proposals (open, or stating no deadline), then the
    closed ones with the day they closed (still offered, for practice)."""
    open_calls, closed_calls = [], []
    for call in page.catalogue.calls:
        status, _left = call.status(page.now)
        if status is CallStatus.CLOSED and call.deadline is not None:
            closed_calls.append((call, f"{call.deadline:%-d %B %Y}"))
        else:
            open_calls.append(call)
    return {"open_calls": open_calls, "closed_calls": closed_calls}


@router.post("/builder/consortia", response_model=None)
def create_from_proposal(
    form: Annotated[ProposalForm, Form()], page: Page, state: StateDep
) -> HTMLResponse | RedirectResponse:
    """Create a consortium from a proposal and open it; the job's page again, with the reason
    beside the name or above the proposals, when the service refuses (nothing is created).
    A proposal of a job the user sees is made into a consortium once: sent again (Back, then
    the button), it opens the consortium already made."""
    try:
        job = _visible_job(page, form.job_id)
        number = _number(form.number, "number", 1, MAX_ID)
        if job is not None and number is not None:
            created = jobs.create_consortium_from_job(
                page.session, page.user, job.id, number, name=form.name, catalogue=page.catalogue
            ).consortium
        else:
            created = builder_apply.create_from_proposal(
                page.session, page.user, catalogue=page.catalogue, name=form.name,
                call_id=form.call_id, strand=form.strand or None,
                organisation_ids=_ids(form.organisation_id, "organisation_id"),
                duration_months=_number(form.duration_months, "duration_months", 1, MAX_MONTHS),
            )  # fmt: skip
    except DomainError as error:
        refusal = Refusal.of(error, proposal=form.number.strip(), name=form.name)
        return _refused(page, state, form.job_id, refusal)
    return RedirectResponse(f"/consortia/{created.id}", status_code=303)


@router.post("/builder/consortia/{consortium_id}/apply", response_model=None)
def apply_completion(
    consortium_id: Id, form: Annotated[CompletionForm, Form()], page: Page, state: StateDep
) -> HTMLResponse | RedirectResponse:
    """Apply a completion to a consortium and open it; the job's page again, with the reason
    and the links on, when the service refuses (the consortium gone or changed since the job
    completed it, another of its completions applied say, the right to edit it lost, an
    organisation gone from the registry): nothing changes then."""
    try:
        builder_apply.apply_completion(
            page.session, page.user, consortium_id,
            add=_ids(form.add, "add"), remove=_ids(form.remove, "remove"),
            seen=_seen_partners(page, form.job_id, consortium_id),
        )  # fmt: skip
    except DomainError as error:
        links = _consortium_links(page, consortium_id, conflict=isinstance(error, ConflictError))
        return _refused(page, state, form.job_id, Refusal.of(error, links=links))
    return RedirectResponse(f"/consortia/{consortium_id}", status_code=303)


def _seen_partners(page: PageContext, job_id: str, consortium_id: int) -> list[int] | None:
    """The partners of the consortium as the form's job completed it (None: no such job)."""
    job = _visible_job(page, job_id)
    return None if job is None else jobs.completed_partner_ids(job, consortium_id)


def _visible_job(page: PageContext, job_id: str) -> Job | None:
    """The job a form names, if it is a job the user sees."""
    key = job_id.strip()
    if not (key.isascii() and key.isdigit() and 1 <= int(key) <= MAX_ID):
        return None
    try:
        return jobs.get_visible_job(page.session, page.user, int(key))
    except jobs.JobNotFoundError:
        return None


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why the service refused a proposal or completion, as the job's page shows it: the
    message, its details, each field's problem (beside the name of ``proposal``, the number of
    the proposal whose form was sent, with the ``name`` typed), and the links on."""

    error: DomainError
    message: str
    details: tuple[str, ...] = ()
    errors: dict[str, str] = field(default_factory=dict)
    proposal: str = ""
    name: str = ""
    links: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(
        cls,
        error: DomainError,
        *,
        proposal: str = "",
        name: str = "",
        links: tuple[tuple[str, str], ...] = (),
    ) -> "Refusal":
        """The refusal ``error`` says."""
        if not isinstance(error, InvalidInputError):
            return cls(error, str(error), links=links)
        # The name's problem shows beside the name field of the proposal sent.
        details = tuple(issue_text(i) for i in error.issues if not (proposal and i.field == "name"))
        return cls(error, error.summary, details, field_errors(error), proposal, name, links)


def _consortium_links(
    page: PageContext, consortium_id: int, *, conflict: bool
) -> tuple[tuple[str, str], ...]:
    """Where to go on from a refused completion: the consortium (your consortia once it is
    gone), and after a conflict the builder again, for the consortium as it is now."""
    try:
        row = consortia.get_consortium(page.session, page.user, consortium_id)
    except ConsortiumNotFoundError:
        return (("/consortia", "Your consortia"),)
    links: tuple[tuple[str, str], ...] = ((f"/consortia/{row.id}", f"Open {row.name}"),)
    if conflict and row.call_id:
        query = urlencode({
            "consortium_id": row.id, "call_id": row.call_id, "strand": row.strand or "",
            "duration_months": row.duration_months or "",
        })  # fmt: skip
        links += ((f"/builder?{query}", "Complete it with the builder again"),)
    return links


def _refused(page: PageContext, state: AppState, job_id: str, refusal: Refusal) -> HTMLResponse:
    """The job's page with the refusal above its proposals, in the error's status; the error
    itself (its page) when the form named no job the user sees."""
    job = _visible_job(page, job_id)
    if job is None:
        raise refusal.error
    links = (*refusal.links, (f"/jobs/{job.id}", "Back to this job"))
    made = jobs.list_made_consortia(page.session, page.user, job)
    context = job_context(job, state, made_consortia=made) | {
        "refusal": replace(refusal, links=links)
    }
    return render(
        page.request, "jobs/detail.html", context, user=page.user,
        status_code=refusal.error.status,
    )  # fmt: skip


def _request(form: BuilderForm, catalogue: Catalogue) -> BuildRequest:
    issues: list[InputIssue] = []
    numbers = {
        field: read_whole_number(
            getattr(form, field), field, issues, low=low, high=high, required=required
        )
        for field, low, high, required in (
            ("duration_months", 1, MAX_MONTHS, False),
            ("max_partners", 1, 30, True),
            ("proposals", 1, 10, True),
        )
    }
    max_partners, proposals = numbers["max_partners"], numbers["proposals"]
    call_id = form.call_id.strip()
    known_call = any(call.id == call_id for call in catalogue.calls)
    if not known_call:
        reason = f'"{call_id}" is not a call of the catalogue' if call_id else "choose a call"
        issues.insert(0, InputIssue("", "call_id", reason))
    request = BuildRequest(
        call_id=call_id,
        strand=form.strand.strip() or None,
        duration_months=numbers["duration_months"],
        idea=form.idea,
        # Stand-ins while a size is refused (the issues are raised below).
        max_partners=max_partners or DEFAULT_MAX_PARTNERS,
        proposals=proposals or DEFAULT_PROPOSALS,
    )
    if issues:
        # The service's checks of the other fields, so that one answer names every bad field
        # (they need the call).
        try:
            if known_call:
                validate_request(catalogue, request)
        except InvalidInputError as error:
            issues += error.issues
        raise InvalidInputError("The builder's settings are not valid", issues)
    return request


def _number(text: str, field: str, low: int, high: int) -> int | None:
    """``text`` as a whole number from ``low`` to ``high``, None when empty."""
    issues: list[InputIssue] = []
    number = read_whole_number(text, field, issues, low=low, high=high)
    if issues:
        raise InvalidInputError("The builder's settings are not valid", issues)
    return number


def _ids(texts: list[str], field: str) -> list[int]:
    numbers = [_number(text, field, 1, MAX_ID) for text in texts if text.strip()]
    return [n for n in numbers if n is not None]
