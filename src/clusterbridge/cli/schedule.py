"""``clusterbridge schedule``: solve a B2B meeting-scheduling problem, check a schedule."""

from pathlib import Path
from typing import Annotated

import typer

from clusterbridge.cli.common import (
    EXIT_NOT_ELIGIBLE,
    EXIT_OK,
    FormatOption,
    OutputFormat,
    emit_json,
    existing_file,
    user_errors,
)
from clusterbridge.cli.values import seconds_from
from clusterbridge.domain.enums import SCHEDULED_STATUSES
from clusterbridge.domain.scheduling.problem import SchedulingProblem
from clusterbridge.domain.scheduling.schedule import SolveResult
from clusterbridge.services.scheduling.files import result_to_dict
from clusterbridge.services.scheduling.solving import CheckReport, check_file, solve_file

app = typer.Typer(help="B2B meeting scheduling: solve an event, check a schedule.")

ProblemArgument = Annotated[
    Path,
    typer.Argument(
        callback=existing_file, help="The problem: a benchmark .dzn file or an event .json file."
    ),
]
FairnessOption = Annotated[
    int | None,
    typer.Option(
        "--fairness", min=0, help="Largest allowed difference between two participants' breaks."
    ),
]
RequireAllOption = Annotated[
    bool,
    typer.Option(
        "--require-all",
        help="Every meeting must be placed (the benchmark's rule); else infeasible.",
    ),
]


@app.command("solve")
def solve_command(
    file: ProblemArgument,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            parser=seconds_from(0.1),
            metavar="SECONDS",
            help="Seconds before stopping.",
        ),
    ] = 60.0,
    fairness: FairnessOption = None,
    require_all: RequireAllOption = False,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Schedule the meetings of FILE: most meetings placed, then fewest breaks.

    Exit status: 0 a schedule was found, 1 none (infeasible or out of time), 2 bad input.
    """
    with user_errors():
        problem, result = solve_file(
            file, time_limit=time_limit, fairness=fairness, require_all=require_all
        )
    if output_format is OutputFormat.JSON:
        emit_json(result_to_dict(result))
    else:
        typer.echo(_render_result(problem, result))
    raise typer.Exit(EXIT_OK if result.status in SCHEDULED_STATUSES else EXIT_NOT_ELIGIBLE)


@app.command("check")
def check_command(
    file: ProblemArgument,
    schedule: Annotated[
        Path,
        typer.Argument(
            callback=existing_file,
            help='The schedule: JSON with "assignments" (meeting, slot, room).',
        ),
    ],
    fairness: FairnessOption = None,
    require_all: RequireAllOption = False,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Check SCHEDULE against every hard constraint of FILE and explain each violation.

    Exit status: 0 valid, 1 violations, 2 bad input.
    """
    with user_errors():
        report = check_file(file, schedule, fairness=fairness, require_all=require_all)
    if output_format is OutputFormat.JSON:
        emit_json(_report_to_dict(report))
    else:
        typer.echo(_render_report(report))
    raise typer.Exit(EXIT_NOT_ELIGIBLE if report.violations else EXIT_OK)


def _render_result(problem: SchedulingProblem, result: SolveResult) -> str:
    lines = [f"Status: {result.status}"]
    if result.schedule is not None:
        lines.append(f"Breaks: {result.breaks} (proven lower bound {result.bound})")
        placed = len(result.schedule.assignments)
        lines.append(f"Meetings placed: {placed} of {len(problem.meetings)}")
        if result.unplaced:
            lines.append(f"Not placed: {', '.join(map(str, result.unplaced))}")
    lines.append(f"Seconds: {result.seconds:.2f}")
    if result.schedule is not None:
        lines.append("meeting  slot  room")
        lines.extend(
            f"{a.meeting:>7}  {a.slot:>4}  {a.room:>4}" for a in result.schedule.assignments
        )
    return "\n".join(lines)


def _render_report(report: CheckReport) -> str:
    verdict = "valid" if not report.violations else f"{len(report.violations)} violation(s)"
    lines = [
        f"Schedule: {verdict}",
        f"Meetings placed: {report.placed} of {report.meetings}",
        f"Breaks: {report.breaks}",
    ]
    lines.extend(f"  - {v.message}" for v in report.violations)
    return "\n".join(lines)


def _report_to_dict(report: CheckReport) -> dict[str, object]:
    return {
        "valid": not report.violations,
        "breaks": report.breaks,
        "placed": report.placed,
        "meetings": report.meetings,
        "violations": [{"kind": str(v.kind), "message": v.message} for v in report.violations],
    }
