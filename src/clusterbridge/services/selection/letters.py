"""The evaluation's letters and reports as files: the evaluation summary report of a
proposal (PDF), and the ranked list with the selection (XLSX and PDF). Access is that of
``outcome.summary_report`` and ``outcome.call_selection``."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import ProposalDecision, User
from clusterbridge.domain.enums import ProposalOutcome
from clusterbridge.domain.money import cents, format_euros
from clusterbridge.reports.evaluation import (
    RankedRow,
    ScoreLine,
    SelectionPage,
    SummaryPage,
    render_selection_pdf,
    render_summary_pdf,
)
from clusterbridge.services.selection.outcome import (
    CallSelection,
    SummaryReport,
    call_selection,
    summary_report,
)
from clusterbridge.services.workbooks import Cell, TableFormat, write_table

#: The columns of the ranked list.
RANKED_HEADER = (
    "Rank",
    "Acronym",
    "Title",
    "Strand",
    "Requested (EUR)",
    "Awarded (EUR)",
    "Total score",
    "Outcome",
    "Selection order",
    "Reserve position",
    "Reason",
)
#: The outcomes in words.
OUTCOME_WORDS = {"selected": "Selected", "reserve": "Reserve list", "out": "Out"}


def summary_page(report: SummaryReport, *, now: datetime) -> SummaryPage:
    """The printable summary of a proposal's evaluation."""
    proposal, decision = report.proposal, report.decision
    return SummaryPage(
        call_identifier=proposal.call.identifier,
        call_title=proposal.call.title,
        acronym=proposal.acronym,
        title=proposal.title,
        strand=proposal.strand,
        requested=format_euros(proposal.requested_grant),
        eligible=proposal.eligible is True,
        lines=tuple(ScoreLine(*line) for line in report.criteria),
        total=report.total,
        outcome=OUTCOME_WORDS[str(decision.outcome)],
        reason=decision.reason,
        rank=decision.rank,
        reserve=decision.reserve_position,
        ranked=report.out_of,
        printed_at=now,
        awarded=_awarded_words(decision),
    )


def summary_pdf(session: Session, user: User, proposal_id: int, *, now: datetime) -> bytes:
    """The evaluation summary report of a proposal as PDF."""
    return render_summary_pdf(summary_page(summary_report(session, user, proposal_id), now=now))


def selection_page(selection: CallSelection, *, now: datetime) -> SelectionPage:
    """The printable ranked list and selection of a call."""
    panel = selection.panel
    budget = Decimal(str(selection.call.selection.get("budget", 0)))
    used = panel.budget_used if panel and panel.budget_used is not None else Decimal(0)
    rows = tuple(
        RankedRow(
            rank=d.rank,
            acronym=d.proposal.acronym,
            title=d.proposal.title,
            strand=d.proposal.strand,
            requested=format_euros(d.proposal.requested_grant),
            total=d.total,
            outcome=OUTCOME_WORDS[str(d.outcome)],
            reason=d.reason,
            taken=d.taken_order,
            reserve=d.reserve_position,
            awarded=_awarded_words(d),
        )
        for d in selection.decisions
    )
    return SelectionPage(
        call_identifier=selection.call.identifier,
        call_title=selection.call.title,
        budget=format_euros(budget),
        budget_used=format_euros(used),
        rows=rows,
        ties_left=selection.ties_left,
        shortfalls=tuple(panel.shortfalls if panel else ()),
        published=panel is not None and panel.published_at is not None,
        printed_at=now,
    )


def selection_pdf(session: Session, user: User, call_id: int, *, now: datetime) -> bytes:
    """The ranked list and the selection of a call as PDF (officers)."""
    return render_selection_pdf(selection_page(call_selection(session, user, call_id), now=now))


def selection_xlsx(session: Session, user: User, call_id: int) -> bytes:
    """The ranked list and the selection of a call as XLSX, one row per proposal (officers);
    amounts as numbers to the cent, scores as numbers."""
    selection = call_selection(session, user, call_id)
    rows: list[list[Cell]] = [
        [
            d.rank,
            d.proposal.acronym,
            d.proposal.title,
            d.proposal.strand,
            cents(d.proposal.requested_grant),
            cents(d.awarded) if d.outcome is ProposalOutcome.SELECTED else None,
            None if d.total is None else _score(d.total),
            OUTCOME_WORDS[str(d.outcome)],
            d.taken_order,
            d.reserve_position,
            d.reason,
        ]
        for d in selection.decisions
    ]
    return write_table(RANKED_HEADER, rows, file_format=TableFormat.XLSX, sheet="Selection")


def _awarded_words(decision: ProposalDecision) -> str | None:
    """The grant awarded to a selected proposal, in words (None for the others)."""
    if decision.outcome is not ProposalOutcome.SELECTED:
        return None
    return format_euros(decision.awarded)


def _score(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value.normalize()
