"""The evaluation of authored calls: the pool of experts, a call's panel and the assignment,
reports and the consensus, the ranking and selection, and the letters (issue 18, 3-6)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response

from clusterbridge.api.deps import CurrentUser, NowDep, SessionDep, StateDep, TodayDep
from clusterbridge.api.downloads import attachment, inline
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.evaluation import (
    AssignmentCreate,
    DeclarationWrite,
    EvaluationRead,
    ExpertCreate,
    ExpertRead,
    MyAssignmentRead,
    OutcomeRead,
    PanelRead,
    RapporteurWrite,
    ReportWrite,
    SelectionRead,
    SummaryRead,
    decision_of,
    evaluation_of,
    expert_of,
    panel_of,
    selection_of,
    summary_of,
)
from clusterbridge.api.schemas.selection import FundedApplicationRead
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.mail import build_mailer
from clusterbridge.services.selection import assignment as assigning
from clusterbridge.services.selection import evaluation, experts, letters, outcome, payments
from clusterbridge.services.selection.notices import SelectionMail
from clusterbridge.services.workbooks import TableFormat

router = APIRouter(prefix="/evaluation", tags=["evaluation"], route_class=ExactNumbersRoute)


def get_selection_mail(state: StateDep) -> SelectionMail:
    """Where the selection letters go: the configured mail backend and the site's address."""
    return SelectionMail(build_mailer(state.settings), state.settings.public_url)


SelectionMailDep = Annotated[SelectionMail, Depends(get_selection_mail)]

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
PDF: dict[int | str, dict[str, Any]] = {200: {"content": {"application/pdf": {}}}}
XLSX: dict[int | str, dict[str, Any]] = {200: {"content": {TableFormat.XLSX.media_type: {}}}}


@router.get("/experts", responses=errors(403))
def list_experts(session: SessionDep, user: CurrentUser) -> list[ExpertRead]:
    """The pool of experts (programme officers)."""
    return [expert_of(e) for e in experts.list_pool(session, user)]


@router.post("/experts", status_code=201, responses=errors(403))
def add_expert(session: SessionDep, user: CurrentUser, body: ExpertCreate) -> ExpertRead:
    """Put an account in the pool, or update its expertise (programme officers)."""
    form = experts.ExpertForm(
        email=body.email,
        organisation_pic=body.organisation_pic,
        expertise=body.expertise,
        ecosystems=", ".join(body.ecosystems),
        technologies=", ".join(body.technologies),
    )
    added = experts.add_expert(session, user, form)
    return next(expert_of(e) for e in experts.list_pool(session, user) if e.id == added.id)


@router.get("/calls/{call_id}", responses=errors(403))
def call_panel(session: SessionDep, user: CurrentUser, call_id: Id, today: TodayDep) -> PanelRead:
    """A call's proposals, the pool, the conflicts of interest with their reasons and the
    assignments with their fit (programme officers); an assignment's ``off`` says why its
    expert is off the proposal (a declared conflict, or one the registry shows now)."""
    return panel_of(assigning.call_panel(session, user, call_id, today=today))


@router.put("/calls/{call_id}/assignment", responses=errors(403, 409))
def assign(
    session: SessionDep,
    user: CurrentUser,
    call_id: Id,
    body: AssignmentCreate,
    now: NowDep,
    today: TodayDep,
) -> PanelRead:
    """Assign experts by the exact optimisation of their fit, without conflicts; once reports
    are written, only replace the experts off a proposal, who declared a conflict or whose
    conflict the registry shows now (by the free expert of the best fit). 409 names the proposals that cannot be covered, or those with reports already
    written when nobody is to be replaced."""
    panel = assigning.assign_experts(
        session, user, call_id, per_proposal=body.per_proposal, max_load=body.max_load, now=now,
        today=today,
    )  # fmt: skip
    return panel_of(panel)


@router.get("/assignments")
def my_assignments(
    session: SessionDep, user: CurrentUser, today: TodayDep
) -> list[MyAssignmentRead]:
    """The signed-in expert's assignments; ``conflict_declared`` marks those they declared a
    conflict of interest with, ``conflict_found`` gives the reason of one the registry shows
    now (they are off those until the officer replaces them)."""
    declared = evaluation.my_declared(session, user)
    found = evaluation.my_conflicts_found(session, user, today=today)
    return [
        MyAssignmentRead(
            proposal_id=a.proposal_id,
            acronym=a.proposal.acronym,
            call=a.proposal.call.identifier,
            submitted=a.submitted_at is not None,
            conflict_declared=a.proposal_id in declared,
            conflict_found=found.get(a.proposal_id),
        )
        for a in evaluation.my_assignments(session, user)
    ]


@router.get("/proposals/{proposal_id}")
def proposal_evaluation(
    session: SessionDep, user: CurrentUser, proposal_id: Id, today: TodayDep
) -> EvaluationRead:
    """A proposal's evaluation: for its experts their own report (the others' once the
    consensus is in, or as rapporteur once all are in); for officers every report."""
    return evaluation_of(evaluation.proposal_evaluation(session, user, proposal_id, today=today))


@router.put("/proposals/{proposal_id}/report", responses=errors(409, 422))
def submit_report(
    session: SessionDep,
    user: CurrentUser,
    proposal_id: Id,
    body: ReportWrite,
    now: NowDep,
    today: TodayDep,
) -> EvaluationRead:
    """Write or change the signed-in expert's report (until the consensus is submitted; 409
    after a declared conflict of interest or one the registry shows now; 422 names every score missing, out of range or
    for a criterion the call does not have)."""
    typed = evaluation.Scored({k: str(v) for k, v in body.scores.items()}, body.comments)
    evaluation.submit_report(session, user, proposal_id, typed, now=now, today=today)
    return evaluation_of(evaluation.proposal_evaluation(session, user, proposal_id, today=today))


@router.post("/proposals/{proposal_id}/declarations", status_code=204, responses=errors(409))
def declare_conflict(
    session: SessionDep, user: CurrentUser, proposal_id: Id, body: DeclarationWrite
) -> Response:
    """Declare a conflict of interest with a proposal assigned to you: you are off it (your
    report withdrawn, no longer its rapporteur) and the officer assigns again to replace you.
    409 for a second declaration (the first is kept), or once the consensus is submitted."""
    experts.declare_conflict(session, user, proposal_id, body.statement)
    return Response(status_code=204)


@router.put("/proposals/{proposal_id}/rapporteur", responses=errors(403, 409))
def choose_rapporteur(
    session: SessionDep, user: CurrentUser, proposal_id: Id, body: RapporteurWrite, today: TodayDep
) -> EvaluationRead:
    """Make one of the proposal's experts its rapporteur (programme officers; 409 for an
    expert with a conflict of interest with it)."""
    evaluation.choose_rapporteur(session, user, proposal_id, body.assignment_id, today=today)
    return evaluation_of(evaluation.proposal_evaluation(session, user, proposal_id, today=today))


@router.put("/proposals/{proposal_id}/consensus", responses=errors(403, 409))
def submit_consensus(
    session: SessionDep,
    user: CurrentUser,
    proposal_id: Id,
    body: ReportWrite,
    now: NowDep,
    today: TodayDep,
) -> EvaluationRead:
    """The rapporteur's consensus report, once every individual report is in (403 for the
    proposal's other experts; 409 for a rapporteur with a conflict of interest found since)."""
    typed = evaluation.Scored({k: str(v) for k, v in body.scores.items()}, body.comments)
    evaluation.submit_consensus(session, user, proposal_id, typed, now=now, today=today)
    return evaluation_of(evaluation.proposal_evaluation(session, user, proposal_id, today=today))


@router.post("/calls/{call_id}/ranking", responses=errors(403, 409))
def rank(session: SessionDep, user: CurrentUser, call_id: Id, now: NowDep) -> SelectionRead:
    """Rank and select from the consensus scores and the frozen eligibility with the call's
    settings; every proposal's outcome with its reason (programme officers)."""
    return selection_of(outcome.rank_call(session, user, call_id, now=now))


@router.get("/calls/{call_id}/ranking", responses=errors(403))
def ranking(session: SessionDep, user: CurrentUser, call_id: Id) -> SelectionRead:
    """The call's ranking and selection so far (programme officers)."""
    return selection_of(outcome.call_selection(session, user, call_id))


@router.post("/calls/{call_id}/publication", responses=errors(403, 409))
def publish(
    session: SessionDep, user: CurrentUser, call_id: Id, now: NowDep, mail: SelectionMailDep
) -> SelectionRead:
    """Publish the selection: each applicant then sees their proposal's outcome and is mailed
    it."""
    outcome.publish_selection(session, user, call_id, now=now, mail=mail)
    return selection_of(outcome.call_selection(session, user, call_id))


@router.get("/calls/{call_id}/selection.xlsx", responses={**XLSX, **errors(403)})
def selection_xlsx(session: SessionDep, user: CurrentUser, call_id: Id) -> Response:
    """The ranked list and the selection as XLSX (programme officers)."""
    return attachment(
        letters.selection_xlsx(session, user, call_id),
        f"selection-{call_id}.xlsx",
        media_type=TableFormat.XLSX.media_type,
    )


@router.get("/calls/{call_id}/selection.pdf", responses={**PDF, **errors(403)})
def selection_pdf(session: SessionDep, user: CurrentUser, call_id: Id, now: NowDep) -> Response:
    """The ranked list and the selection as PDF (programme officers)."""
    return inline(
        letters.selection_pdf(session, user, call_id, now=now),
        f"selection-{call_id}.pdf",
        media_type="application/pdf",
    )


@router.get("/outcomes")
def my_outcomes(session: SessionDep, user: CurrentUser) -> list[OutcomeRead]:
    """The signed-in applicant's submitted proposals, with their outcomes once published."""
    return [
        OutcomeRead(
            proposal_id=proposal.id,
            acronym=proposal.acronym,
            call=proposal.call.identifier,
            decision=None if decision is None else decision_of(decision),
        )
        for proposal, decision in outcome.my_outcomes(session, user)
    ]


@router.get("/proposals/{proposal_id}/summary")
def summary(session: SessionDep, user: CurrentUser, proposal_id: Id) -> SummaryRead:
    """The evaluation summary of a proposal: for officers once ranked, for its applicant
    once the selection is published."""
    return summary_of(outcome.summary_report(session, user, proposal_id))


@router.get("/proposals/{proposal_id}/summary.pdf", responses=PDF)
def summary_pdf(session: SessionDep, user: CurrentUser, proposal_id: Id, now: NowDep) -> Response:
    """The evaluation summary report as PDF (same access as the summary)."""
    return inline(
        letters.summary_pdf(session, user, proposal_id, now=now),
        f"summary-{proposal_id}.pdf",
        media_type="application/pdf",
    )


@router.get("/calls/{call_id}/payments", responses=errors(403, 409))
def call_payments(
    session: SessionDep, user: CurrentUser, call_id: Id
) -> list[FundedApplicationRead]:
    """The selected applications of a cascade call with their payments, in the selection's
    order (officers only; empty before the selection is published; 409 for a programme
    call)."""
    rows = payments.call_payments(session, user, call_id)
    return [FundedApplicationRead.from_view(row) for row in rows]
