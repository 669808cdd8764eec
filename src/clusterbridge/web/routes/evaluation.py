"""The evaluation's pages: the overview (calls to evaluate, one's assignments, one's
outcomes), the pool of experts, a call's panel (conflicts, assignment, rapporteurs), a
proposal's evaluation (the expert's report, the consensus), and the panel's ranking and
selection with its downloads.

Every form posts to a route that redirects back (303) on success and shows the page again,
with what was typed and every reason, on a mistake.
"""

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from clusterbridge.api.deps import NowDep, SessionDep, TodayDep
from clusterbridge.api.downloads import attachment, inline
from clusterbridge.api.routers.evaluation import SelectionMailDep
from clusterbridge.db.models import EvaluationAssignment, User
from clusterbridge.db.repositories import evaluation as repository
from clusterbridge.domain.errors import DomainError, InputIssue, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.selection import assignment as assigning
from clusterbridge.services.selection import calls as programme_calls
from clusterbridge.services.selection import evaluation, experts, letters, outcome
from clusterbridge.services.selection.access import (
    EvaluationStateError,
    is_officer,
    require_officer,
)
from clusterbridge.services.workbooks import TableFormat
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.exchange_forms import form_errors
from clusterbridge.web.numbers import read_whole_number
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/evaluation")

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
#: The outcomes in words.
OUTCOMES = letters.OUTCOME_WORDS
#: The most experts per proposal, and proposals per expert, the assignment form takes.
MAX_ASSIGNMENT_NUMBER = 100
#: What the assignment form first proposes, before a call's first assignment.
FIRST_PER_PROPOSAL, FIRST_MAX_LOAD = 3, 4
#: The labels of the pool's form, which its summary of refused fields names.
EXPERT_LABELS = {
    "email": "E-mail address of their account",
    "organisation_pic": "PIC of the organisation they work for",
    "expertise": "Expertise",
    "ecosystems": "Ecosystems",
    "technologies": "Technologies",
}


class ExpertForm(BaseModel):
    """The form that puts an account in the pool."""

    email: str = ""
    organisation_pic: str = ""
    expertise: str = ""
    ecosystems: str = ""
    technologies: str = ""


class AssignmentForm(BaseModel):
    """The assignment's two numbers, as typed; empty by default, so that a number left empty
    is refused (an empty form field reaches the model as missing). ``_panel`` fills in the
    form first shown."""

    per_proposal: str = ""
    max_load: str = ""


@router.get("", response_class=HTMLResponse)
def home(
    request: Request, session: SessionDep, user: SignedInUser, now: NowDep, today: TodayDep
) -> HTMLResponse:
    """The calls an officer evaluates, each with its status (a draft says so), the user's
    assignments and their proposals' outcomes."""
    rows = repository.list_calls(session) if is_officer(user) else []
    context = {
        "officer": is_officer(user),
        "calls": programme_calls.view_calls(session, rows, now=now),
        "assignments": evaluation.my_assignments(session, user),
        "declared": evaluation.my_declared(session, user),
        "found": evaluation.my_conflicts_found(session, user, today=today),
        "outcomes": outcome.my_outcomes(session, user),
        "words": OUTCOMES,
    }
    return render(request, "evaluation/home.html", context, user=user)


@router.get("/experts", response_class=HTMLResponse)
def pool_page(request: Request, session: SessionDep, user: SignedInUser) -> HTMLResponse:
    """The pool of experts and the form that adds one (officers)."""
    return _pool(request, session, user, form=ExpertForm(), errors={})


def _pool(
    request: Request,
    session: Session,
    user: User,
    *,
    form: ExpertForm,
    errors: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "pool": experts.list_pool(session, user),
        "form": form,
        "errors": errors,
        "labels": EXPERT_LABELS,
    }
    return render(request, "evaluation/pool.html", context, user=user, status_code=status_code)


@router.post("/experts", response_model=None)
def add_expert(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    form: Annotated[ExpertForm, Form()],
) -> Response:
    """Add an expert; back to the pool, or the form with every reason."""
    try:
        experts.add_expert(session, user, experts.ExpertForm(**form.model_dump()))
    except InvalidInputError as error:
        return _pool(
            request, session, user, form=form, errors=form_errors(error), status_code=error.status
        )
    return RedirectResponse("/evaluation/experts?saved=1", status_code=303)


@router.get("/calls/{call_id}", response_class=HTMLResponse)
def panel_page(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    call_id: Id,
    now: NowDep,
    today: TodayDep,
) -> HTMLResponse:
    """A call's proposals, conflicts, assignment and rapporteurs (officers)."""
    return _panel(request, session, user, call_id, now=now, today=today, form=None, errors={})


def _panel(
    request: Request,
    session: Session,
    user: User,
    call_id: int,
    *,
    now: datetime,
    today: date,
    form: AssignmentForm | None,
    errors: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    panel = assigning.call_panel(session, user, call_id, today=today)
    consensus = {c.proposal_id: c for c in repository.consensus_of_call(session, call_id)}
    if form is None:
        settings = panel.panel
        form = AssignmentForm(
            per_proposal=str(settings.per_proposal if settings else FIRST_PER_PROPOSAL),
            max_load=str(settings.max_load if settings else FIRST_MAX_LOAD),
        )
    experts_by_id = {str(e.id): e for e in panel.experts}
    context = {
        "panel": panel,
        "consensus": consensus,
        "experts_by_id": experts_by_id,
        "off": panel.off(),
        "refusal": assigning.assignment_refusal(session, panel, now=now),
        "replacing": any(a.submitted_at for a in panel.assignments),
        "form": form,
        "errors": errors,
    }
    return render(request, "evaluation/panel.html", context, user=user, status_code=status_code)


@router.post("/calls/{call_id}/assignment", response_model=None)
def assign(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    call_id: Id,
    now: NowDep,
    today: TodayDep,
    form: Annotated[AssignmentForm, Form()],
) -> Response:
    """Assign the experts; back to the panel, or the panel with the reasons."""
    try:
        numbers = _whole_numbers(form)
        assigning.assign_experts(session, user, call_id, now=now, today=today, **numbers)
    except (InvalidInputError, EvaluationStateError) as error:
        return _panel(request, session, user, call_id, now=now, today=today, form=form,
                      errors=form_errors(error), status_code=error.status)  # fmt: skip
    return RedirectResponse(f"/evaluation/calls/{call_id}?assigned=1", status_code=303)


def _whole_numbers(form: AssignmentForm) -> dict[str, int]:
    found: dict[str, int] = {}
    issues: list[InputIssue] = []
    for name in ("per_proposal", "max_load"):
        number = read_whole_number(
            getattr(form, name), name, issues, low=1, high=MAX_ASSIGNMENT_NUMBER, required=True
        )
        if number is not None:
            found[name] = number
    if issues:
        raise InvalidInputError("The assignment's numbers are not valid:", issues)
    return found


@router.post("/proposals/{proposal_id}/rapporteur", response_model=None)
def choose_rapporteur(
    session: SessionDep,
    user: SignedInUser,
    proposal_id: Id,
    today: TodayDep,
    assignment_id: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    """Make one of the proposal's experts its rapporteur; back to the call's panel."""
    consensus = evaluation.choose_rapporteur(session, user, proposal_id, assignment_id, today=today)
    proposal = repository.get_proposal(session, consensus.proposal_id)
    call_id = proposal.call_id if proposal else 0
    return RedirectResponse(f"/evaluation/calls/{call_id}#proposal-{proposal_id}", 303)


@router.get("/proposals/{proposal_id}", response_class=HTMLResponse)
def proposal_page(
    request: Request, session: SessionDep, user: SignedInUser, proposal_id: Id, today: TodayDep
) -> HTMLResponse:
    """A proposal's evaluation: the expert's report form, and the consensus form for its
    rapporteur with the individual scores beside it."""
    return _proposal(request, session, user, proposal_id, today=today, typed=None, errors={})


def _proposal(
    request: Request,
    session: Session,
    user: User,
    proposal_id: int,
    *,
    today: date,
    typed: tuple[str, dict[str, str], dict[str, str]] | None,
    errors: dict[str, str],
    statement: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    view = evaluation.proposal_evaluation(session, user, proposal_id, today=today)
    report: dict[str, dict[str, str]] = {"scores": {}, "comments": {}}
    consensus: dict[str, dict[str, str]] = {"scores": {}, "comments": {}}
    if view.mine and view.mine.scores:
        report = {"scores": view.mine.scores, "comments": view.mine.comments or {}}
    if view.consensus and view.consensus.scores:
        consensus = {"scores": view.consensus.scores, "comments": view.consensus.comments or {}}
    if typed is not None:
        which, scores, comments = typed
        (report if which == "report" else consensus).update(scores=scores, comments=comments)
    context = {
        "view": view,
        "report": report,
        "consensus": consensus,
        "errors": errors,
        "labels": _score_labels(view.criteria),
        "which": typed[0] if typed else None,
        "statement": statement,
    }
    return render(request, "evaluation/proposal.html", context, user=user, status_code=status_code)


def _score_labels(criteria: Any) -> dict[str, str]:
    """The labels of the score forms' fields by their errors' keys, which the summary of a
    refused report names ("Relevance score", "Comment on relevance")."""
    labels = {"statement": "What links you to this proposal"}
    for criterion in criteria:
        labels[f"scores.{criterion.id}"] = f"{criterion.id.capitalize()} score"
        labels[f"comments.{criterion.id}"] = f"Comment on {criterion.id}"
    return labels


def _typed(criteria: Any, score: list[str], comment: list[str]) -> evaluation.Scored:
    ids = [c.id for c in criteria]
    return evaluation.Scored(
        dict(zip(ids, score, strict=False)), dict(zip(ids, comment, strict=False))
    )


@router.post("/proposals/{proposal_id}/report", response_model=None)
def submit_report(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    proposal_id: Id,
    now: NowDep,
    today: TodayDep,
    score: Annotated[list[str], Form(max_length=20)],
    comment: Annotated[list[str], Form(max_length=20)],
) -> Response:
    """Save the expert's report; back to the proposal, or the form with every reason."""
    return _save(
        request, session, user, proposal_id, which="report", score=score, comment=comment,
        now=now, today=today,
    )  # fmt: skip


@router.post("/proposals/{proposal_id}/consensus", response_model=None)
def submit_consensus(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    proposal_id: Id,
    now: NowDep,
    today: TodayDep,
    score: Annotated[list[str], Form(max_length=20)],
    comment: Annotated[list[str], Form(max_length=20)],
) -> Response:
    """Save the consensus report (its rapporteur)."""
    return _save(
        request, session, user, proposal_id, which="consensus", score=score, comment=comment,
        now=now, today=today,
    )  # fmt: skip


def _save(
    request: Request,
    session: Session,
    user: User,
    proposal_id: int,
    *,
    which: str,
    score: list[str],
    comment: list[str],
    now: datetime,
    today: date,
) -> Response:
    view = evaluation.proposal_evaluation(session, user, proposal_id, today=today)
    typed = _typed(view.criteria, score, comment)
    submit = evaluation.submit_report if which == "report" else evaluation.submit_consensus
    try:
        submit(session, user, proposal_id, typed, now=now, today=today)
    except (InvalidInputError, EvaluationStateError) as error:
        scores, comments = dict(typed.scores), dict(typed.comments)
        return _proposal(request, session, user, proposal_id, today=today,
                         typed=(which, scores, comments),
                         errors=form_errors(error), status_code=error.status)  # fmt: skip
    return RedirectResponse(f"/evaluation/proposals/{proposal_id}?saved={which}", 303)


@router.get("/proposals/{proposal_id}/declaration", response_model=None)
def declaration_page(proposal_id: Id) -> RedirectResponse:
    """The declaration form is on the proposal's page (the confirmation step shows the
    statement typed there): back to it."""
    return RedirectResponse(f"/evaluation/proposals/{proposal_id}#declare-title", 303)


@router.post("/proposals/{proposal_id}/declaration", response_model=None)
def declare(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    proposal_id: Id,
    today: TodayDep,
    statement: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Declare a conflict of interest, in two steps: with a statement that would be taken, the
    page that says what declaring does and asks to confirm (nothing written); confirmed
    (``confirm=yes``, the statement re-posted), declare and go back to the overview. A mistake
    at either step: the proposal with the reason and the statement as typed."""
    try:
        if confirm != "yes":
            assignment = experts.check_declaration(session, user, proposal_id, statement)
            return _confirm_declaration(request, session, user, assignment, statement)
        experts.declare_conflict(session, user, proposal_id, statement)
    except (InvalidInputError, EvaluationStateError) as error:
        return _proposal(request, session, user, proposal_id, today=today, typed=None,
                         statement=statement,
                         errors=form_errors(error), status_code=error.status)  # fmt: skip
    return RedirectResponse("/evaluation?declared=1", status_code=303)


def _confirm_declaration(
    request: Request,
    session: Session,
    user: User,
    assignment: EvaluationAssignment,
    statement: str,
) -> HTMLResponse:
    """The confirmation step: the statement, and what declaring takes away (the proposal and
    its documents, the report if written, the rapporteur's role if held) for good."""
    consensus = repository.consensus_of_proposal(session, assignment.proposal_id)
    context = {
        "proposal": assignment.proposal,
        "statement": statement.strip(),
        "report_written": assignment.submitted_at is not None,
        "rapporteur": consensus is not None and consensus.rapporteur_id == assignment.id,
    }
    return render(request, "evaluation/confirm_declaration.html", context, user=user)


@router.get("/calls/{call_id}/ranking", response_class=HTMLResponse)
def ranking_page(
    request: Request, session: SessionDep, user: SignedInUser, call_id: Id
) -> HTMLResponse:
    """The panel's ranking and selection, with its downloads (officers)."""
    return render_ranking(request, session, user, call_id, errors={})


def render_ranking(
    request: Request,
    session: Session,
    user: User,
    call_id: int,
    *,
    errors: dict[str, str],
    status_code: int = 200,
    failed: int | None = None,
    typed_award: str = "",
) -> HTMLResponse:
    """The ranking page with ``errors`` (those of the award form of proposal ``failed``, which
    shows ``typed_award`` as typed)."""
    selection = outcome.call_selection(session, user, call_id)
    context = {"selection": selection, "words": OUTCOMES, "errors": errors, "failed": failed,
               "typed_award": typed_award}  # fmt: skip
    return render(request, "evaluation/ranking.html", context, user=user, status_code=status_code)


@router.post("/calls/{call_id}/ranking", response_model=None)
def rank(
    request: Request, session: SessionDep, user: SignedInUser, call_id: Id, now: NowDep
) -> Response:
    """Rank and select; back to the ranking, or the page with the reasons."""
    try:
        outcome.rank_call(session, user, call_id, now=now)
    except (InvalidInputError, EvaluationStateError) as error:
        return render_ranking(request, session, user, call_id, errors=form_errors(error),
                        status_code=error.status)  # fmt: skip
    return RedirectResponse(f"/evaluation/calls/{call_id}/ranking?ranked=1", status_code=303)


@router.get("/calls/{call_id}/publication", response_model=None)
def confirm_publish(
    request: Request, session: SessionDep, user: SignedInUser, call_id: Id
) -> Response:
    """The confirmation step: what publishing does, and the button that does it (officers;
    back to the ranking once published or before the ranking)."""
    selection = outcome.call_selection(session, user, call_id)
    if not selection.decisions or (selection.panel and selection.panel.published_at):
        return RedirectResponse(f"/evaluation/calls/{call_id}/ranking", status_code=303)
    counts = dict.fromkeys(OUTCOMES, 0)
    for decision in selection.decisions:
        counts[decision.outcome.value] += 1
    context = {"selection": selection, "counts": counts, "errors": {}}
    return render(request, "evaluation/confirm_publish.html", context, user=user)


@router.post("/calls/{call_id}/publication", response_model=None)
def publish(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    call_id: Id,
    now: NowDep,
    mail: SelectionMailDep,
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Publish the selection to the applicants, who are mailed their outcome, once confirmed
    (``confirm=yes`` from the confirmation step; without it, to that step)."""
    if confirm != "yes":
        return RedirectResponse(f"/evaluation/calls/{call_id}/publication", status_code=303)
    try:
        outcome.publish_selection(session, user, call_id, now=now, mail=mail)
    except DomainError as error:
        return render_ranking(request, session, user, call_id, errors=form_errors(error),
                        status_code=error.status)  # fmt: skip
    return RedirectResponse(f"/evaluation/calls/{call_id}/ranking?published=1", 303)


@router.get("/calls/{call_id}/selection.xlsx", response_model=None)
def selection_xlsx(session: SessionDep, user: SignedInUser, call_id: Id) -> Response:
    """The ranked list and the selection as XLSX."""
    require_officer(user, doing="download the selection")
    return attachment(
        letters.selection_xlsx(session, user, call_id),
        f"selection-{call_id}.xlsx",
        media_type=TableFormat.XLSX.media_type,
    )


@router.get("/calls/{call_id}/selection.pdf", response_model=None)
def selection_pdf(session: SessionDep, user: SignedInUser, call_id: Id, now: NowDep) -> Response:
    """The ranked list and the selection as PDF."""
    pdf = letters.selection_pdf(session, user, call_id, now=now)
    return inline(pdf, f"selection-{call_id}.pdf", media_type="application/pdf")


@router.get("/proposals/{proposal_id}/summary.pdf", response_model=None)
def summary_pdf(session: SessionDep, user: SignedInUser, proposal_id: Id, now: NowDep) -> Response:
    """The proposal's evaluation summary report as PDF."""
    pdf = letters.summary_pdf(session, user, proposal_id, now=now)
    return inline(pdf, f"summary-{proposal_id}.pdf", media_type="application/pdf")
