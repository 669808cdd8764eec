"""``clusterbridge consortium``: the best consortia for a call, and completions of a consortium."""

from pathlib import Path
from typing import Annotated

import typer

from clusterbridge.api.schemas.builder import answer_of
from clusterbridge.cli.check import parse_euros
from clusterbridge.cli.common import (
    EXIT_NOT_ELIGIBLE,
    EXIT_OK,
    CallsDirOption,
    FormatOption,
    OutputFormat,
    catalogue_in,
    database,
    emit_json,
    match_index_cache,
    now,
    open_catalogue,
    user_errors,
)
from clusterbridge.cli.partners import read_idea_file
from clusterbridge.domain.consortium import Consortium
from clusterbridge.domain.enums import RuleStatus
from clusterbridge.engines.consortium.problem import Mode
from clusterbridge.engines.consortium.solve import DEFAULT_TIME_LIMIT
from clusterbridge.services.builder.build import (
    ALREADY_ELIGIBLE,
    DEFAULT_MAX_PARTNERS,
    DEFAULT_MIN_DIFFERENCE,
    DEFAULT_PROPOSALS,
    BuildOutcome,
    BuildRequest,
    Proposal,
    build_consortia,
    complete_consortium,
)
from clusterbridge.services.consortia.file import read_consortium
from clusterbridge.services.matching.suggestions import lookup_partners

app = typer.Typer(help="The consortium builder: proposals and completions.", no_args_is_help=True)

CallOption = Annotated[str, typer.Option("--call", help="The call to build for.")]
StrandOption = Annotated[str | None, typer.Option(help="The strand of --call.")]
IdeaOption = Annotated[
    Path | None,
    typer.Option("--idea", metavar="TEXT_FILE", help="A text file with the project idea."),
]
MaxPartnersOption = Annotated[
    int, typer.Option("--max-partners", help="At most this many partners in all (1-30).")
]
DurationOption = Annotated[
    int | None, typer.Option(help="The project duration in months (for the report).")
]
GrantOption = Annotated[
    str | None, typer.Option(metavar="EUR", help="The requested EU grant (for the report).")
]
TimeLimitOption = Annotated[
    float, typer.Option("--time-limit", help="Seconds the solver may take per proposal.")
]


@app.command("build")
def build(
    call_id: CallOption,
    strand: StrandOption = None,
    with_file: Annotated[
        Path | None,
        typer.Option("--with", metavar="FILE", help="Partners to keep: a consortium file."),
    ] = None,
    idea: IdeaOption = None,
    max_partners: MaxPartnersOption = DEFAULT_MAX_PARTNERS,
    proposals: Annotated[
        int, typer.Option("--proposals", help="How many proposals (1-10).")
    ] = DEFAULT_PROPOSALS,
    min_difference: Annotated[
        int,
        typer.Option(
            "--min-difference", help="Each proposal replaces at least this many partners."
        ),
    ] = DEFAULT_MIN_DIFFERENCE,
    duration_months: DurationOption = None,
    requested_grant: GrantOption = None,
    time_limit: TimeLimitOption = DEFAULT_TIME_LIMIT,
    output_format: FormatOption = OutputFormat.TEXT,
    calls_dir: CallsDirOption = None,
) -> None:
    """Propose the best consortia for a call from the registry, each checked and explained.

    Exit status: 0 with at least one proposal, 1 with none, 2 for bad input.
    """
    grant = parse_euros(requested_grant)
    with user_errors():
        idea_text = read_idea_file(idea) if idea else ""
        files = open_catalogue(calls_dir)
        request = BuildRequest(
            call_id, strand, idea_text, max_partners, proposals, min_difference,
            duration_months, grant, time_limit,
        )  # fmt: skip
        with database() as db, db.unit_of_work() as session:
            members = (
                read_consortium(with_file, registry=lookup_partners(session))
                if with_file
                else Consortium(())
            )
            catalogue = catalogue_in(session, files)
            outcome = build_consortia(
                session, catalogue, request, members=members, cache=match_index_cache(), now=now()
            )
    _emit(outcome, output_format)
    raise typer.Exit(EXIT_OK if outcome.proposals else EXIT_NOT_ELIGIBLE)


@app.command("complete")
def complete(
    file: Annotated[Path, typer.Argument(help="The consortium: CSV, XLSX or JSON.")],
    call_id: CallOption,
    strand: StrandOption = None,
    idea: IdeaOption = None,
    max_partners: MaxPartnersOption = DEFAULT_MAX_PARTNERS,
    options: Annotated[
        int, typer.Option("--options", help="How many completions (1-10).")
    ] = DEFAULT_PROPOSALS,
    duration_months: DurationOption = None,
    requested_grant: GrantOption = None,
    time_limit: TimeLimitOption = DEFAULT_TIME_LIMIT,
    output_format: FormatOption = OutputFormat.TEXT,
    calls_dir: CallsDirOption = None,
) -> None:
    """The smallest additions or swaps after which no rule of the call fails, each explained.

    Exit status: 0 with a completion (or nothing to complete), 1 with none, 2 for bad input.
    """
    grant = parse_euros(requested_grant)
    with user_errors():
        idea_text = read_idea_file(idea) if idea else ""
        files = open_catalogue(calls_dir)
        request = BuildRequest(
            call_id, strand, idea_text, max_partners, options, DEFAULT_MIN_DIFFERENCE,
            duration_months, grant, time_limit,
        )  # fmt: skip
        with database() as db, db.unit_of_work() as session:
            team = read_consortium(file, registry=lookup_partners(session))
            catalogue = catalogue_in(session, files)
            outcome = complete_consortium(
                session, catalogue, request, team=team, cache=match_index_cache(), now=now()
            )
    _emit(outcome, output_format)
    done = bool(outcome.proposals) or _already_eligible(outcome)
    raise typer.Exit(EXIT_OK if done else EXIT_NOT_ELIGIBLE)


def _already_eligible(outcome: BuildOutcome) -> bool:
    return any(note == ALREADY_ELIGIBLE for note in outcome.notes)


def _emit(outcome: BuildOutcome, output_format: OutputFormat) -> None:
    if output_format is OutputFormat.JSON:
        emit_json(answer_of(outcome).model_dump(mode="json"))
    else:
        typer.echo(render_outcome(outcome), nl=False)


def render_outcome(outcome: BuildOutcome) -> str:
    """The proposals as text: what each adds or removes and why, how it was solved, and the
    rules that do not pass."""
    what = "Proposals" if outcome.mode is Mode.BUILD else "Completions"
    strand = f", strand {outcome.strand}" if outcome.strand else ""
    lines = [
        f"{what} for {outcome.call.id}{strand}: shortlist of {outcome.shortlist} of "
        f"{outcome.registry:,} organisations.",
        *(f"Note: {note}" for note in outcome.notes),
    ]
    if outcome.members:
        names = ", ".join(f"{p.name} ({p.country})" for p in outcome.members)
        lines.append(f"Given: {names}")
    for proposal in outcome.proposals:
        lines += ["", *_proposal_lines(proposal)]
    if not outcome.proposals and outcome.mode is Mode.BUILD:
        lines += ["", "No proposal."]
    timing = ", ".join(f"{stage} {value:.2f} s" for stage, value in outcome.seconds.items())
    lines += ["", f"Time: {timing}."]
    return "\n".join(lines) + "\n"


def _proposal_lines(proposal: Proposal) -> list[str]:
    report = proposal.report
    proof = (
        "proven optimal over the shortlist"
        if proposal.status.value == "optimal"
        else f"{proposal.status.value} (objective {proposal.objective}, bound {proposal.bound})"
    )
    lines = [
        f"{proposal.number}. {report.verdict.value}: {proof} in {proposal.seconds:.2f} s; "
        f"score {proposal.score:.3f}"
    ]
    for added in proposal.added:
        pic = f", PIC {added.pic}" if added.pic else ""
        lines.append(f"   + {added.name} ({added.country}){pic}, relevance {added.relevance:.3f}")
        lines += [f"       - {words}" for words in (*added.rules, *added.reasons)]
    for removed in proposal.removed:
        lines.append(f"   - remove {removed.name} ({removed.country})")
        lines += [f"       - {words}" for words in removed.why]
    counts = ", ".join(f"{s.value} {report.count(s)}" for s in RuleStatus)
    lines.append(f"   Rules: {counts}")
    lines += [
        f"   [{f.status.value}] {f.title}: {f.message}"
        for f in report.findings
        if f.status is not RuleStatus.PASS
    ]
    return lines
