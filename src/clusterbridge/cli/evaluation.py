"""``clusterbridge evaluation``: the programme officer's evaluation of a call written in the
app, over the database: assign the experts, follow the reports, rank and select, write the
ranked list. The same services as the web pages and the API; the officer is named by ``--as``.

The services are imported inside the commands, so that the rest of the tool does not pay for
them at start-up.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from clusterbridge.cli.common import (
    EXIT_NOT_ELIGIBLE,
    FormatOption,
    OutputFormat,
    database,
    emit_json,
    now,
    output_file,
    today,
    user_errors,
    write_file,
)
from clusterbridge.cli.messages import print_error
from clusterbridge.domain.calendar import local_moment_text
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.money import format_euros
from clusterbridge.domain.numbers import STORAGE_MAX, range_reason

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from clusterbridge.db.models import User
    from clusterbridge.services.selection.assignment import CallPanel
    from clusterbridge.services.selection.outcome import CallSelection
    from clusterbridge.services.selection.progress import CallProgress

app = typer.Typer(
    help="Evaluate a call written in the app: assign experts, follow reports, rank, write the list.",
    no_args_is_help=True,
)

CallOption = Annotated[
    str, typer.Option("--call", metavar="ID", help="The call's identifier, e.g. EVAL-2026.")
]
ActingOption = Annotated[
    str, typer.Option("--as", help="The e-mail of a programme officer or an administrator.")
]
#: The files ``evaluation report`` writes, by suffix.
REPORT_SUFFIXES = (".xlsx", ".pdf")


@dataclass(frozen=True, slots=True)
class Officer:
    """The unit of work of a command, the acting user and the call's database id."""

    session: "Session"
    user: "User"
    call_id: int


@contextmanager
def officer_on(identifier: str, acting: str) -> Iterator[Officer]:
    """One unit of work on the configured database with the user of ``acting`` and the
    call ``identifier``; a user's mistake (unknown user or call, no officer, a step the
    evaluation's state refuses) exits 2 with the reason, and nothing is written."""
    from clusterbridge.services.accounts.users import find_active_user  # noqa: PLC0415 -- slow import
    from clusterbridge.services.selection.calls import find_call  # noqa: PLC0415 -- slow import

    with user_errors(), database() as db, db.unit_of_work() as session:
        user = find_active_user(session, acting, field="--as")
        yield Officer(session, user, find_call(session, user, identifier).id)


@app.command("assign")
def assign_command(
    call: CallOption,
    acting: ActingOption,
    # The least values are checked in the command, so that both options' mistakes are named.
    per_proposal: Annotated[
        int,
        typer.Option("--per-proposal", max=STORAGE_MAX, help="Experts per eligible proposal."),
    ] = 3,
    max_load: Annotated[
        int,
        typer.Option("--max-load", max=STORAGE_MAX, help="At most this many proposals per expert."),
    ] = 4,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Assign experts to the call's eligible submitted proposals: --per-proposal each, at
    most --max-load per expert, no conflict of interest, the greatest total fit (an exact
    optimum); the conflicts are listed with their reasons. Replaces the previous assignment
    while no report is written.

    Exit status: 0 assigned, 1 impossible (the proposals that cannot be covered are named),
    2 an unknown call or user, no officer, the call's deadline not passed, the selection
    published, an empty pool of experts, or reports already written.
    """
    from clusterbridge.services.selection.assignment import (  # noqa: PLC0415 -- slow import
        AssignmentInfeasibleError,
        assign_experts,
    )

    with user_errors():
        _check_counts(per_proposal=per_proposal, max_load=max_load)
    with officer_on(call, acting) as officer:
        try:
            panel = assign_experts(
                officer.session, officer.user, officer.call_id,
                per_proposal=per_proposal, max_load=max_load, now=now(), today=today(),
            )  # fmt: skip
        except AssignmentInfeasibleError as error:  # nothing was written
            _refuse_infeasible(error.reasons)
        answer = assignment_answer(panel)
    if output_format is OutputFormat.JSON:
        emit_json(answer)
        return
    for item in answer["proposals"]:
        experts = ", ".join(f"{e['expert']} (fit {e['fit']:.2f})" for e in item["experts"])
        typer.echo(f"{item['proposal']}: {experts}")
    typer.echo(f"{len(answer['assignments'])} evaluations, total fit {answer['total_fit']:.2f}.")
    for item in answer["conflicts"]:
        typer.echo(
            f"Not assigned, a conflict: {item['proposal']}, {item['expert']}: {item['reason']}"
        )


def _check_counts(*, per_proposal: int, max_load: int) -> None:
    """Both numbers of ``assign`` at least 1; InvalidInputError naming each one that is not."""
    issues = [
        InputIssue("", field, reason)
        for field, value in (("per_proposal", per_proposal), ("max_load", max_load))
        if (reason := range_reason(value, low=1)) is not None
    ]
    if issues:
        raise InvalidInputError("The experts cannot be assigned", issues)


@app.command("status")
def status_command(
    call: CallOption, acting: ActingOption, output_format: FormatOption = OutputFormat.TEXT
) -> None:
    """Show how far the call's evaluation has come: each submitted proposal with its experts,
    reports, rapporteur, consensus and decision, and the panel's dates.

    Exit status: 0 shown, 2 an unknown call or user, or no officer.
    """
    from clusterbridge.services.selection.progress import call_progress  # noqa: PLC0415 -- slow import

    with officer_on(call, acting) as officer:
        progress = call_progress(officer.session, officer.user, officer.call_id, today=today())
        answer = progress_answer(progress)
    if output_format is OutputFormat.JSON:
        emit_json(answer)
        return
    typer.echo(render_progress(answer, time_zone=progress.call.time_zone), nl=False)


@app.command("rank")
def rank_command(
    call: CallOption, acting: ActingOption, output_format: FormatOption = OutputFormat.TEXT
) -> None:
    """Rank and select the call's proposals from their consensus scores with the call's
    selection settings (thresholds, tie-breaks, strand minimums, budget), storing every
    decision with its reason; ranks again until the selection is published.

    Exit status: 0 ranked, 2 an unknown call or user, no officer, the call's deadline not
    passed, a consensus missing, or the selection already published.
    """
    from clusterbridge.services.selection.outcome import rank_call  # noqa: PLC0415 -- slow import

    with officer_on(call, acting) as officer:
        answer = selection_answer(
            rank_call(officer.session, officer.user, officer.call_id, now=now())
        )
    if output_format is OutputFormat.JSON:
        emit_json(answer)
        return
    typer.echo(render_selection(answer), nl=False)


@app.command("report")
def report_command(
    call: CallOption,
    acting: ActingOption,
    out: Annotated[
        Path,
        typer.Option(
            "--out", metavar="FILE", callback=output_file, help="FILE.xlsx or FILE.pdf to write."
        ),
    ],
) -> None:
    """Write the ranked list and the selection of the call (after `evaluation rank`) as an
    XLSX workbook or a PDF, chosen by the suffix of --out.

    Exit status: 0 written, 2 another suffix, an unknown call or user, no officer, or a call
    not ranked yet.
    """
    from clusterbridge.services.selection import letters, outcome  # noqa: PLC0415 -- slow import
    from clusterbridge.services.selection.access import EvaluationStateError  # noqa: PLC0415 -- slow import

    suffix = out.suffix.lower()
    with user_errors():
        if suffix not in REPORT_SUFFIXES:
            reason = f'"{out.name}" must end in .xlsx or .pdf'
            raise InvalidInputError(
                "The report cannot be written", [InputIssue("", "--out", reason)]
            )
    with officer_on(call, acting) as officer:
        panel = outcome.call_selection(officer.session, officer.user, officer.call_id).panel
        if panel is None or panel.ranked_at is None:
            raise EvaluationStateError("Rank the proposals before writing the ranked list")
        content = (
            letters.selection_xlsx(officer.session, officer.user, officer.call_id)
            if suffix == ".xlsx"
            else letters.selection_pdf(officer.session, officer.user, officer.call_id, now=now())
        )
    write_file(content, out, option="--out")
    typer.echo(f"Wrote {out}")


def _refuse_infeasible(reasons: tuple[str, ...]) -> NoReturn:
    lines = "".join(f"\n  - {reason}" for reason in reasons)
    print_error(f"No assignment covers every proposal:{lines}", prefix="")
    raise typer.Exit(EXIT_NOT_ELIGIBLE)


def assignment_answer(panel: "CallPanel") -> dict[str, Any]:
    """The assignment as JSON: each pair with its fit and the words it rests on, by proposal,
    and the conflicts of interest that kept pairs apart, each with its reason."""
    pairs = [
        {
            "proposal": a.proposal.acronym,
            "expert": a.expert.user.name,
            "fit": round(a.fit, 4),
            "words": list(a.fit_words),
        }
        for a in panel.assignments
    ]
    proposals = [
        {"proposal": p.acronym, "experts": [x for x in pairs if x["proposal"] == p.acronym]}
        for p in panel.evaluated()
    ]
    total = round(sum(a.fit for a in panel.assignments), 4)
    names = {str(p.id): p.acronym for p in panel.evaluated()}
    people = {str(e.id): e.user.name for e in panel.experts}
    conflicts = [
        {"proposal": names[c.proposal], "expert": people[c.expert], "reason": c.reason}
        for c in panel.conflicts
    ]
    return {
        "assignments": pairs,
        "proposals": proposals,
        "total_fit": total,
        "conflicts": conflicts,
    }


def progress_answer(progress: "CallProgress") -> dict[str, Any]:
    """The evaluation's progress as JSON."""
    panel = progress.panel
    return {
        "call": progress.call.identifier,
        "assigned_at": _time(panel.assigned_at if panel else None),
        "ranked_at": _time(panel.ranked_at if panel else None),
        "published_at": _time(panel.published_at if panel else None),
        "proposals": [
            {
                "proposal": row.proposal.acronym,
                "strand": row.proposal.strand,
                "eligible": row.proposal.eligible,
                "conflicts": row.conflicts,
                "experts": [a.expert.user.name for a in row.assignments],
                "declared_conflicts": [
                    {"expert": name, "statement": statement, "replaced": name not in row.waiting}
                    for name, statement in row.declared
                ],
                "conflicts_found": [
                    {"expert": name, "reason": reason} for name, reason in row.conflicted
                ],
                "reports_in": row.reports_in,
                "rapporteur": row.rapporteur,
                "consensus": row.consensus_submitted,
                "outcome": None if row.decision is None else str(row.decision.outcome),
            }
            for row in progress.proposals
        ],
    }


def render_progress(answer: dict[str, Any], *, time_zone: str) -> str:
    """The progress as text: the panel's dates in the call's ``time_zone`` as the web writes
    them ("04 May 2026, 11:00"), then one line per proposal."""
    dates = "; ".join(
        f"{label} {local_moment_text(answer[key], time_zone) if answer[key] else '-'}"
        for label, key in (("assigned", "assigned_at"), ("ranked", "ranked_at"),
                           ("published", "published_at"))
    )  # fmt: skip
    lines = [f"{answer['call']} (times in {time_zone}): {dates}"]
    for row in answer["proposals"]:
        if not row["eligible"]:
            lines.append(f"{row['proposal']}: not eligible" + _outcome(row))
            continue
        experts = ", ".join(row["experts"]) or "no experts yet"
        consensus = "submitted" if row["consensus"] else "not submitted"
        lines.append(
            f"{row['proposal']}: {experts}; reports {row['reports_in']}/{len(row['experts'])}; "
            f"rapporteur {row['rapporteur'] or '-'}; consensus {consensus}"
            + _declared(row)
            + _outcome(row)
        )
    return "\n".join(lines) + "\n"


def selection_answer(selection: "CallSelection") -> dict[str, Any]:
    """The stored ranking and selection as JSON, in the shape of ``selection rank`` (proposals
    by acronym) with every decision."""
    from clusterbridge.services.selection.outcome import labels_of  # noqa: PLC0415 -- slow import

    labels = labels_of([d.proposal for d in selection.decisions])
    ranked = sorted(
        (d for d in selection.decisions if d.rank is not None), key=lambda d: d.rank or 0
    )
    reserve = sorted(
        (d for d in selection.decisions if d.reserve_position is not None),
        key=lambda d: d.reserve_position or 0,
    )
    panel = selection.panel
    chosen = {d.proposal_id for d in selection.selected}
    return {
        "call": selection.call.identifier,
        "ranking": [labels[d.proposal_id] for d in ranked],
        "selected": [labels[d.proposal_id] for d in selection.selected],
        "reserve": [labels[d.proposal_id] for d in reserve],
        "out": [
            {"id": labels[d.proposal_id], "reason": d.reason}
            for d in selection.decisions
            if d.rank is None
        ],
        "ties_left": [list(tie) for tie in selection.ties_left],
        "budget_used": _plain(panel.budget_used if panel else None),
        "decisions": [
            {
                "id": labels[d.proposal_id],
                "rank": d.rank,
                "outcome": str(d.outcome),
                "total": _plain(d.total),
                "grant": _plain(d.awarded) if d.proposal_id in chosen else None,
                "reason": d.reason,
            }
            for d in selection.decisions
        ],
    }


def render_selection(answer: dict[str, Any]) -> str:
    """Every decision as text (rank, total, outcome, the grant of a selected proposal and the
    reason), then the ties left."""
    lines = [
        f"{answer['call']}: {len(answer['selected'])} selected, {len(answer['reserve'])} on the "
        f"reserve list, {len(answer['out'])} out; budget used {format_euros(answer['budget_used'] or 0)}."
    ]
    for d in answer["decisions"]:
        rank = f"{d['rank']:>3}." if d["rank"] is not None else " out"
        total = "" if d["total"] is None else f" total {d['total']}"
        grant = "" if d["grant"] is None else f" (grant {format_euros(d['grant'])})"
        lines.append(f"{rank} {d['id']}{total}: {d['outcome']}{grant}, {d['reason']}")
    lines += [f"Tie left for the panel: {' = '.join(tie)}" for tie in answer["ties_left"]]
    return "\n".join(lines) + "\n"


def _declared(row: dict[str, Any]) -> str:
    """The conflicts with the proposal: those declared (who is off it until assigned again,
    and who has been replaced) and those found in the registry (off it)."""
    said = ""
    for replaced, note in ((False, "off it: assign again to replace"), (True, "replaced")):
        names = [d["expert"] for d in row["declared_conflicts"] if d["replaced"] is replaced]
        if names:
            said += f"; conflict declared by {', '.join(names)} ({note})"
    found = [f"{d['expert']} ({d['reason']})" for d in row["conflicts_found"]]
    if found:
        said += f"; conflict found for {', '.join(found)} (off it: assign again to replace)"
    return said


def _outcome(row: dict[str, Any]) -> str:
    return "" if row["outcome"] is None else f"; {row['outcome']}"


def _time(moment: Any) -> str | None:
    return None if moment is None else moment.isoformat(timespec="minutes")


def _plain(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
