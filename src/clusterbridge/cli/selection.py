"""``clusterbridge selection``: rank and select proposals, assign experts to them, from files.

The services are imported inside the commands, so that the rest of the tool does not pay for
them at start-up.
"""

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clusterbridge.cli.common import (
    EXIT_NOT_ELIGIBLE,
    EXIT_OK,
    FormatOption,
    OutputFormat,
    database,
    emit_json,
    existing_file,
    today,
    user_errors,
)
from clusterbridge.cli.messages import print_error
from clusterbridge.cli.values import read_day
from clusterbridge.domain.money import format_euros, format_number

if TYPE_CHECKING:
    from clusterbridge.engines.selection.assignment import AssignmentResult
    from clusterbridge.engines.selection.problem import SelectionProblem
    from clusterbridge.engines.selection.select import SelectionResult

app = typer.Typer(
    help="Evaluation and selection: rank and select proposals, assign experts.",
    no_args_is_help=True,
)

FileArgument = Annotated[
    Path,
    typer.Argument(
        metavar="FILE", callback=existing_file, help="The JSON file (see docs/admin/cli.md)."
    ),
]


@app.command("rank")
def rank_command(file: FileArgument, output_format: FormatOption = OutputFormat.TEXT) -> None:
    """Screen, rank and select the proposals of FILE: thresholds, tie-breaks, strand
    minimums, budget and places, with every proposal's outcome and reason.

    Exit status: 0 done, 2 bad file.
    """
    from clusterbridge.services.selection import (  # noqa: PLC0415 -- slow import
        rank_and_select,
        read_selection_file,
        selection_to_dict,
    )

    with user_errors():
        problem = read_selection_file(file)
    result = rank_and_select(problem)
    if output_format is OutputFormat.JSON:
        emit_json(selection_to_dict(result))
    else:
        typer.echo(render_selection(problem, result), nl=False)


@app.command("assign")
def assign_command(file: FileArgument, output_format: FormatOption = OutputFormat.TEXT) -> None:
    """Assign experts to the proposals of FILE: k per proposal, at most the maximum load per
    expert, no conflicted pair, the greatest total affinity (an exact optimum).

    Exit status: 0 assigned, 1 impossible (the proposals that cannot be covered are named),
    2 bad file.
    """
    from clusterbridge.engines.selection.assignment import (  # noqa: PLC0415 -- slow import
        AssignStatus,
    )
    from clusterbridge.services.selection import (  # noqa: PLC0415 -- slow import
        assign,
        assignment_to_dict,
        read_assignment_file,
    )

    with user_errors():
        problem = read_assignment_file(file)
    result = assign(problem)
    if result.status is AssignStatus.INFEASIBLE:
        lines = "".join(f"\n  - {deficiency}" for deficiency in result.deficiencies)
        print_error(f"No assignment covers every proposal:{lines}", prefix="")
        raise typer.Exit(EXIT_NOT_ELIGIBLE)
    if output_format is OutputFormat.JSON:
        emit_json(assignment_to_dict(result))
    else:
        typer.echo(render_assignment(result), nl=False)
    raise typer.Exit(EXIT_OK)


@app.command("conflicts")
def conflicts_command(
    file: FileArgument,
    on: Annotated[
        date | None,
        typer.Option(
            "--on",
            parser=read_day,
            metavar="YYYY-MM-DD",
            help="The date the 3-year window of joint projects ends (default: today).",
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Find the conflicts of interest between the experts and the proposals of FILE from the
    registry: the expert's organisation in the consortium, a joint project with a member in
    the last 3 years, or declared; each with its reason.

    Exit status: 0 done (with or without conflicts), 2 bad file or unknown PIC.
    """
    from clusterbridge.services.selection import (  # noqa: PLC0415 -- slow import
        conflicts_to_dict,
        read_conflicts_file,
    )

    with user_errors():
        day = on or today()
        with database() as db, db.unit_of_work() as session:
            found = read_conflicts_file(session, file, on=day)
    if output_format is OutputFormat.JSON:
        emit_json(conflicts_to_dict(found))
        return
    lines = [f"{c.expert} / {c.proposal}: {c.reason}" for c in found]
    typer.echo("\n".join([*lines, f"{len(found)} conflicts of interest."]))


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def render_selection(problem: "SelectionProblem", result: "SelectionResult") -> str:
    """The outcome of every proposal as text: the ranked ones with their rank, then those out."""
    proposals = {p.id: p for p in problem.proposals}
    lines = [
        f"{_count(len(result.ranking), 'proposal passes', 'proposals pass')}, "
        f"{_count(len(result.out), 'is out', 'are out')}; "
        f"{len(result.selected)} selected for {format_euros(result.budget_used)} of "
        f"{format_euros(problem.budget)}.",
    ]
    ranked = sorted((d for d in result.decisions if d.rank is not None), key=lambda d: d.rank or 0)
    for decision in ranked:
        proposal = proposals[decision.id]
        lines.append(
            f"{decision.rank:>4}. {decision.id}  strand {proposal.strand}  total "
            f"{format_number(proposal.total)}  {format_euros(proposal.requested)}  "
            f"{decision.outcome}: {decision.reason}"
        )
    lines += [f"   out {pid}: {reason}" for pid, reason in result.out]
    lines += [f"Tie left for the panel: {' = '.join(tie)}" for tie in result.ties_left]
    lines += [f"Minimum not met: {shortfall}" for shortfall in result.shortfalls]
    return "\n".join(lines) + "\n"


def render_assignment(result: "AssignmentResult") -> str:
    """Each proposal with its experts and the fit of each, then the total."""
    lines: list[str] = []
    by_proposal: dict[str, list[str]] = {}
    for pair in result.pairs:
        by_proposal.setdefault(pair.proposal, []).append(f"{pair.expert} ({pair.affinity:g})")
    lines += [f"{proposal}: {', '.join(experts)}" for proposal, experts in by_proposal.items()]
    lines.append(
        f"Optimal: {len(result.pairs)} evaluations, total affinity {result.total_affinity:g}."
    )
    return "\n".join(lines) + "\n"
