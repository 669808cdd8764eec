"""``clusterbridge consortium``: the best consortia for a call, and completions of a consortium."""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from clusterbridge.api.schemas.builder import BuildAnswer, answer_of
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
    existing_file,
    match_index_cache,
    now,
    open_catalogue,
    user_errors,
)
from clusterbridge.cli.jobs import print_job
from clusterbridge.cli.partners import read_idea_file
from clusterbridge.cli.values import seconds_from
from clusterbridge.config import get_settings
from clusterbridge.domain.consortium import Consortium
from clusterbridge.domain.enums import RuleStatus
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.engines.consortium.problem import Mode
from clusterbridge.engines.consortium.solve import DEFAULT_TIME_LIMIT, MAX_PROPOSALS
from clusterbridge.services.builder.build import (
    ALREADY_ELIGIBLE,
    DEFAULT_MAX_PARTNERS,
    DEFAULT_MIN_DIFFERENCE,
    DEFAULT_PROPOSALS,
    MAX_PARTNERS_LIMIT,
    BuildOutcome,
    BuildRequest,
    complete_consortium,
)
from clusterbridge.services.builder.serialise import describe_outcome
from clusterbridge.services.consortia.consortia import MAX_DURATION_MONTHS
from clusterbridge.services.consortia.file import read_consortium
from clusterbridge.services.matching.suggestions import lookup_partners

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: Seconds a waiting ``consortium build`` allows beyond the solver's (reading the index).
BUILD_WAIT_MARGIN = 120.0

app = typer.Typer(help="The consortium builder: proposals and completions.", no_args_is_help=True)

CallOption = Annotated[str, typer.Option("--call", help="The call to build for.")]
StrandOption = Annotated[str | None, typer.Option(help="The strand of --call.")]
IdeaOption = Annotated[
    Path | None,
    typer.Option(
        "--idea",
        metavar="TEXT_FILE",
        callback=existing_file,
        help="A text file with the project idea.",
    ),
]
MaxPartnersOption = Annotated[
    int,
    typer.Option(
        "--max-partners", max=MAX_PARTNERS_LIMIT, help="At most this many partners in all (1-30)."
    ),
]
DurationOption = Annotated[
    int | None,
    typer.Option(max=MAX_DURATION_MONTHS, help="The project duration in months (for the report)."),
]
GrantOption = Annotated[
    str | None, typer.Option(metavar="EUR", help="The requested EU grant (for the report).")
]
#: The fewest seconds the solver may be given (the service refuses 0; as `exchanges match`).
MIN_TIME_LIMIT = 0.1
TimeLimitOption = Annotated[
    float,
    typer.Option(
        "--time-limit",
        parser=seconds_from(MIN_TIME_LIMIT),
        metavar="SECONDS",
        help="Seconds the solver may take per proposal.",
    ),
]


@app.command("build")
def build(
    call_id: CallOption,
    strand: StrandOption = None,
    with_file: Annotated[
        Path | None,
        typer.Option(
            "--with",
            metavar="FILE",
            callback=existing_file,
            help="Partners to keep: a consortium file.",
        ),
    ] = None,
    idea: IdeaOption = None,
    max_partners: MaxPartnersOption = DEFAULT_MAX_PARTNERS,
    proposals: Annotated[
        int, typer.Option("--proposals", max=MAX_PROPOSALS, help="How many proposals (1-10).")
    ] = DEFAULT_PROPOSALS,
    min_difference: Annotated[
        int,
        typer.Option(
            "--min-difference",
            max=MAX_PARTNERS_LIMIT,
            help="Each proposal replaces at least this many partners.",
        ),
    ] = DEFAULT_MIN_DIFFERENCE,
    duration_months: DurationOption = None,
    requested_grant: GrantOption = None,
    time_limit: TimeLimitOption = DEFAULT_TIME_LIMIT,
    output_format: FormatOption = OutputFormat.TEXT,
    calls_dir: CallsDirOption = None,
    wait: Annotated[
        bool,
        typer.Option(
            "--wait/--no-wait",
            help="Wait for the job and print the proposals, or print the job's id at once.",
        ),
    ] = True,
) -> None:
    """Propose the best consortia for a call from the registry, each checked and explained.

    Runs as a background job (``clusterbridge jobs``; its result holds the proposals as
    JSON). Exit status: 0 with at least one proposal, 1 with none, 2 for bad input or a job
    that failed; with --no-wait, 0 once the job is queued.
    """
    from clusterbridge.cli.jobs import submit_and_wait  # noqa: PLC0415 -- slow import
    from clusterbridge.services import jobs  # noqa: PLC0415 -- slow import
    from clusterbridge.services.jobs.resources import TaskResources, register_resources  # noqa: PLC0415 -- slow import

    grant = parse_euros(requested_grant)
    with user_errors():
        idea_text = read_idea_file(idea) if idea else ""
        files = open_catalogue(calls_dir)
        _refuse_calls_dir_for_workers(calls_dir)
    request = BuildRequest(
        call_id, strand, idea_text, max_partners, proposals, min_difference,
        duration_months, grant, time_limit,
    )  # fmt: skip

    def submit(session: "Session", dispatch: Callable[[int], None]) -> Any:
        members = (
            read_consortium(with_file, registry=lookup_partners(session))
            if with_file
            else Consortium(())
        )
        return jobs.submit_builder_build(
            session, None, catalogue_in(session, files), request,
            mode=Mode.BUILD, team=members, dispatch=dispatch,
        )  # fmt: skip

    def prepare(db: Any) -> None:
        # Run here (no broker), the job uses this command's calls and index folder.
        register_resources(db, TaskResources(files, match_index_cache()))

    timeout = time_limit * proposals + BUILD_WAIT_MARGIN
    job = submit_and_wait(submit, wait=wait, timeout=timeout, prepare=prepare)
    if job is None:
        return
    if job.state.value != "succeeded":
        print_job(job, as_json=False)
    answer = job.result["answer"]
    if output_format is OutputFormat.JSON:
        emit_json(BuildAnswer.model_validate(answer).model_dump(mode="json"))
    else:
        typer.echo(render_answer(answer), nl=False)
    raise typer.Exit(EXIT_OK if answer["proposals"] else EXIT_NOT_ELIGIBLE)


def _refuse_calls_dir_for_workers(calls_dir: Path | None) -> None:
    if calls_dir is not None and get_settings().broker_url:
        raise InvalidInputError(
            "--calls-dir cannot be used with a broker",
            [InputIssue("", "calls-dir", "the workers read CLUSTERBRIDGE_CALLS_DIR; set it there")],
        )


@app.command("complete")
def complete(
    file: Annotated[
        Path, typer.Argument(callback=existing_file, help="The consortium: CSV, XLSX or JSON.")
    ],
    call_id: CallOption,
    strand: StrandOption = None,
    idea: IdeaOption = None,
    max_partners: MaxPartnersOption = DEFAULT_MAX_PARTNERS,
    options: Annotated[
        int, typer.Option("--options", max=MAX_PROPOSALS, help="How many completions (1-10).")
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
        typer.echo(render_answer(describe_outcome(outcome)), nl=False)


def render_answer(answer: dict[str, Any]) -> str:
    """The proposals (``builder.serialise.describe_outcome``) as text: what each adds or
    removes and why, how it was solved, and the rules that do not pass."""
    build = answer["mode"] == Mode.BUILD.value
    strand = f", strand {answer['strand']}" if answer["strand"] else ""
    lines = [
        f"{'Proposals' if build else 'Completions'} for {answer['call_id']}{strand}: shortlist "
        f"of {answer['shortlist']} of {answer['registry']:,} organisations.",
        *(f"Note: {note}" for note in answer["notes"]),
    ]
    if answer["members"]:
        names = ", ".join(f"{p['name']} ({p['country']})" for p in answer["members"])
        lines.append(f"Given: {names}")
    for proposal in answer["proposals"]:
        lines += ["", *_proposal_lines(proposal)]
    if not answer["proposals"] and build:
        lines += ["", "No proposal."]
    timing = ", ".join(f"{stage} {value:.2f} s" for stage, value in answer["seconds"].items())
    lines += ["", f"Time: {timing}."]
    return "\n".join(lines) + "\n"


def _rules(count: int) -> str:
    return f"{count} rule" if count == 1 else f"{count} rules"


def _match_words(proposal: dict[str, Any]) -> str:
    """The added partners' mean match and the rules they help, as a person reads them."""
    if proposal["match"] is None:
        return ""
    return (
        f"; partners' mean match {proposal['match']}/100 ({proposal['band']}), they help "
        f"{len(proposal['rules_helped'])} of the call's {proposal['rules_total']} rules"
    )


def _proposal_lines(proposal: dict[str, Any]) -> list[str]:
    report = proposal["report"]
    proof = (
        "proven optimal over the shortlist"
        if proposal["status"] == "optimal"
        else f"{proposal['status']} (objective {proposal['objective']}, bound {proposal['bound']})"
    )
    lines = [
        f"{proposal['number']}. {report['verdict']}: {proof} in {proposal['seconds']:.2f} s"
        + _match_words(proposal)
    ]
    for added in proposal["added"]:
        pic = f", PIC {added['id']}" if added["id"] else ""
        lines.append(
            f"   + {added['name']} ({added['country']}){pic}, "
            f"match {added['match']}/100 ({added['band']}), helps {_rules(len(added['helps']))}"
        )
        lines += [f"       - {words}" for words in (*added["rules"], *added["reasons"])]
    for removed in proposal["removed"]:
        lines.append(f"   - remove {removed['name']} ({removed['country']})")
        lines += [f"       - {words}" for words in removed["why"]]
    counts = ", ".join(f"{s.value} {report['counts'][s.value]}" for s in RuleStatus)
    lines.append(f"   Rules: {counts}")
    lines += [
        f"   [{f['status']}] {f['title']}: {f['message']}"
        for f in report["findings"]
        if f["status"] != RuleStatus.PASS.value
    ]
    return lines
