"""The ``clusterbridge`` command.

Each command lives in a module of its own and is imported only when it runs: the root command
knows every command's name and one-line help (`COMMANDS`), which is all ``clusterbridge
--help`` shows, and `LazyGroup` imports a command's module when the command line names it. So
``clusterbridge calls list`` never loads the web application, the API schemas, the matching
index or the solvers (``tests/cli/test_startup.py`` keeps it so; ``make bench-cli`` times it).
"""

import importlib
import inspect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

# Typer carries its own copy of Click; the root command's classes must be of that copy.
from typer import _click as click
from typer._click.exceptions import NoSuchOption, UsageError
from typer._param_types import choice_as_str
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from clusterbridge import __version__
from clusterbridge.cli.messages import as_sentence, print_error
from clusterbridge.cli.values import ValueReason
from clusterbridge.domain.refusals import typed_value_refusal

if TYPE_CHECKING:
    from pydantic import ValidationError


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """Where a command is (``module``, and its Typer app or function ``attribute``) and its
    one-line help, shown by ``clusterbridge --help`` without importing the module."""

    module: str
    attribute: str
    help: str


#: Every command, in the order ``clusterbridge --help`` lists them. A test checks that each
#: help line is the first line of the loaded command's own help.
COMMANDS: dict[str, CommandSpec] = {
    "check": CommandSpec(
        "clusterbridge.cli.check",
        "check",
        "Check a consortium file against a call (or every call).",
    ),
    "template": CommandSpec(
        "clusterbridge.cli.template",
        "template",
        "Write the consortium template (an eligible example Eurocluster) as CSV or XLSX.",
    ),
    "serve": CommandSpec(
        "clusterbridge.cli.serve",
        "serve",
        "Serve the web application and the API on the configured database (migrated first).",
    ),
    "demo": CommandSpec(
        "clusterbridge.cli.demo",
        "demo",
        "Create the database, load real organisations (CORDIS) and serve the web application.",
    ),
    "calls": CommandSpec(
        "clusterbridge.cli.calls", "app", "The call catalogue: calls, their facts and their rules."
    ),
    "regions": CommandSpec(
        "clusterbridge.cli.regions",
        "app",
        "NUTS regions (2006-2024) and their cohesion-policy categories.",
    ),
    "db": CommandSpec(
        "clusterbridge.cli.db", "app", "The database: create it and migrate its schema."
    ),
    "users": CommandSpec("clusterbridge.cli.users", "app", "User accounts."),
    "tokens": CommandSpec("clusterbridge.cli.users", "tokens_app", "API tokens."),
    "organisations": CommandSpec(
        "clusterbridge.cli.organisations",
        "app",
        "The organisation registry: search, claims, import and export files.",
    ),
    "events": CommandSpec(
        "clusterbridge.cli.events",
        "app",
        "Match-making events: set up, validate, schedule, publish, report.",
    ),
    "import": CommandSpec(
        "clusterbridge.cli.imports", "app", "Load public data sets into the organisation registry."
    ),
    "partners": CommandSpec(
        "clusterbridge.cli.partners", "app", "Partner matching: suggestions with reasons."
    ),
    "index": CommandSpec(
        "clusterbridge.cli.index",
        "app",
        "The shared partner-matching index: build it, see its state.",
    ),
    "consortium": CommandSpec(
        "clusterbridge.cli.consortium", "app", "The consortium builder: proposals and completions."
    ),
    "schedule": CommandSpec(
        "clusterbridge.cli.schedule",
        "app",
        "B2B meeting scheduling: solve an event, check a schedule.",
    ),
    "exchanges": CommandSpec(
        "clusterbridge.cli.exchanges",
        "app",
        "Exchanges between clusters (ClusterXchange): assignment, lump sums.",
    ),
    "assessments": CommandSpec(
        "clusterbridge.cli.assessments",
        "app",
        "Self-assessments: cluster excellence readiness as a file, labels' expiry reminders.",
    ),
    "followups": CommandSpec(
        "clusterbridge.cli.followups",
        "app",
        "Outcome follow-ups: ask SMEs what came of meetings and exchanges.",
    ),
    "services": CommandSpec(
        "clusterbridge.cli.services",
        "app",
        "Services to SMEs: a project's deliveries, imported and exported.",
    ),
    "jobs": CommandSpec(
        "clusterbridge.cli.jobs", "app", "Background jobs: show, wait for, cancel, recover, prune."
    ),
    "worker": CommandSpec(
        "clusterbridge.cli.worker",
        "worker",
        "Run background jobs (a Celery worker when a broker is configured).",
    ),
    "beat": CommandSpec(
        "clusterbridge.cli.worker",
        "beat",
        "Submit the periodic jobs (Celery beat when a broker is configured).",
    ),
    "selection": CommandSpec(
        "clusterbridge.cli.selection",
        "app",
        "Evaluation and selection: rank and select proposals, assign experts.",
    ),
    "evaluation": CommandSpec(
        "clusterbridge.cli.evaluation",
        "app",
        "Evaluate a call written in the app: assign experts, follow reports, rank, write the list.",
    ),
}


class LazyCommand(TyperCommand):
    """A command's name and help in the root command's list, standing for the real command
    until it runs (`load`)."""

    def __init__(self, name: str, spec: CommandSpec) -> None:
        super().__init__(name, help=spec.help, short_help=spec.help)
        self.spec = spec

    def load(self) -> click.Command:
        """The real command: its module imported, its Typer app or function turned into a
        Click command exactly as ``add_typer`` or ``command`` on the root would have."""
        target = getattr(importlib.import_module(self.spec.module), self.spec.attribute)
        # A root with a callback is always a group, so the command keeps its own shape (a
        # Typer app of a single command stays a group, as ``regions lookup`` is).
        root = typer.Typer(callback=_no_options)
        if isinstance(target, typer.Typer):
            root.add_typer(target, name=self.name)
        else:
            root.command(self.name)(target)
        group = typer.main.get_command(root)
        assert isinstance(group, TyperGroup)
        return name_values(group.commands[self.name or ""])


class NamedArgument(TyperArgument):
    """An argument whose help shows its name alone (``FILE``), without Typer's type label
    (``<path>``, ``<list[int]>``): the name and the help say what it is.

    Only the help changes: messages name an argument by its metavar (``Missing argument
    'FILE'``, ``EVENT: must be at least 1, not 0``), which `name_values` sets without this
    class. Typer (0.29) offers no supported way to reach the label: it builds every argument
    as a `TyperArgument` itself (no class per parameter, no Click ``ParamType``), an
    argument's metavar is its name rather than its label, and its help (rich or plain) asks
    this method alone. So `name_values` gives each argument Typer built this class, which
    adds no state (the swap keeps every attribute); ``tests/cli/test_help.py`` shows each
    kind of argument's help row, so a Typer that changes this fails there."""

    def display_type_rich(self, ctx: click.Context) -> str | None:
        """No type label."""
        return None


def name_values(command: click.Command) -> click.Command:
    """``command`` (and its subcommands) with every value named for a person in its help:
    an argument by its name in capitals (``FILE``, not ``{file}`` and ``<path>``), a flag by
    nothing (not ``<bool>``), a choice by its choices (``text|json``) and any other option by
    its own metavar or else its name (``--top TOP``, ``--calls-dir FOLDER``), not by a
    Python type (``<int>``, ``<list[str]>``)."""
    for param in command.get_params(click.Context(command)):
        if isinstance(param, TyperArgument):
            param.__class__ = NamedArgument  # see NamedArgument: no other way to the label
            param.metavar = param.metavar or (param.name or "").upper()
        elif isinstance(param, TyperOption) and param.metavar is None:
            param.metavar = _option_metavar(param)
    command.help = _reflowed(command.help)
    if isinstance(command, TyperGroup):
        for subcommand in command.commands.values():
            name_values(subcommand)
            subcommand.short_help = subcommand.short_help or _summary(subcommand.help)
    return command


#: A name in a docstring, as reST writes it: ````jobs show````.
_LITERAL = re.compile(r"``([^`]+)``")


def _reflowed(help_text: str | None) -> str | None:
    """A command's help as a person reads it: each paragraph one run of text that the help
    wraps to the terminal (Typer's rich help keeps a docstring's line breaks within the
    paragraphs after the first, which then break mid-sentence: "(a draft, no" / "slots)"),
    and a name the docstring writes ````so```` in quotes ('so'). A paragraph starting with
    ``\\b`` keeps its lines, as Click's help does."""
    if not help_text:
        return help_text
    paragraphs = inspect.cleandoc(help_text).split("\n\n")
    joined = [p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs]
    return _LITERAL.sub(r"'\1'", "\n\n".join(joined))


def _summary(help_text: str | None) -> str | None:
    """The first paragraph of a command's help as one line, for its group's list of commands:
    Typer's rich help keeps the docstring's line breaks there ("the published calls" /
    "written in the app"), whatever the terminal's width."""
    if not help_text or help_text.startswith("\b"):
        return None
    return " ".join(inspect.cleandoc(help_text).split("\n\n")[0].split())


def _option_metavar(option: TyperOption) -> str:
    if option.is_flag or option.count:
        return ""
    described = option.type_descriptor
    if described.is_choice and not described.is_list:
        return "|".join(str(choice) for choice in described.choices or ())
    name = next((opt for opt in option.opts if opt.startswith("--")), option.opts[0])
    if described.is_path:
        return "FOLDER" if name.endswith("-dir") else "FILE"
    return name.lstrip("-").replace("-", "_").upper()


def _no_options() -> None:
    """The stand-in root's callback (it only makes the root a group)."""


class LazyGroup(TyperGroup):
    """The root command: lists `COMMANDS` by name and help, and imports a command only when
    the command line names it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for name, spec in COMMANDS.items():
            self.commands.setdefault(name, LazyCommand(name, spec))
        name_values(self)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The command named by ``args``, loaded (and kept) if it was still a stand-in."""
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None and isinstance(command, LazyCommand):
            command = self.commands[name] = command.load()
        return name, command, rest

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """The root's context; a mistake in the root's own options is said as a sentence."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except UsageError as error:
            raise end_with_full_stop(error) from None

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command named; a value of the wrong type or out of range is refused like
        every other bad input: the parameter as typed and why (`bad_value_reason`), status 2.
        Click's own refusals (an unknown option, a missing argument) end in a full stop, as
        every other error does (`print_error`)."""
        try:
            return super().invoke(ctx)
        except typer.BadParameter as error:
            # Pydantic and the shared helpers load only once a value is refused.
            from pydantic import ValidationError  # noqa: PLC0415 -- slow import

            from clusterbridge.cli.common import EXIT_BAD_INPUT  # noqa: PLC0415 -- slow import

            if error.param is None or not isinstance(error.__cause__, ValidationError):
                raise end_with_full_stop(error) from None
            print_error(bad_value_reason(error.param, error.__cause__))
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except UsageError as error:
            raise end_with_full_stop(error) from None
        except Exception as error:
            # A setting refused when the command first reads the settings (an unknown time
            # zone): what to fix, status 2, not a traceback.
            reason = settings_reason(error)
            if reason is None:
                raise
            from clusterbridge.cli.common import EXIT_BAD_INPUT  # noqa: PLC0415 -- slow import

            print_error(reason)
            raise typer.Exit(EXIT_BAD_INPUT) from None


def end_with_full_stop(error: UsageError) -> UsageError:
    """``error`` whose message (with Click's suggestions after it: "No such option: --frm
    (Possible options: --format)") ends in a full stop."""
    if isinstance(error, NoSuchOption) and error.possibilities:
        error.message = as_sentence(error.format_message())
        error.possibilities = None  # said in the message now
    else:
        # Click words the rest around the message ("Invalid value for '--top': ..."), which
        # comes last.
        error.message = as_sentence(error.message)
    return error


def settings_reason(error: Exception) -> str | None:
    """Why the environment's settings were refused, naming each variable
    (``setting CLUSTERBRIDGE_TIME_ZONE: "Mars/Olympus" is not a known time zone; ...``), or
    None when ``error`` is not a refusal of the settings."""
    from pydantic import ValidationError  # noqa: PLC0415 -- slow import

    if not isinstance(error, ValidationError) or error.title != "Settings":
        return None
    return "; ".join(
        f"setting CLUSTERBRIDGE_{'_'.join(str(part) for part in problem['loc']).upper()}: "
        f"{problem['msg'].removeprefix('Value error, ')}"
        for problem in error.errors()
    )


def bad_value_reason(param: click.Parameter, error: "ValidationError") -> str:
    """Why Typer's check (by pydantic) refused a value of ``param``, worded for a person:
    ``--format: "xml" is not a format; use text, json`` for ``Value error, 'xml' is not one of
    'text', 'json'.``."""
    name = param.display_name_raw if isinstance(param, TyperArgument) else param.opts[-1]
    [problem] = error.errors()[:1]
    value = problem["input"]
    limits = problem.get("ctx", {})
    if isinstance(param, TyperArgument | TyperOption) and param.type_descriptor.is_choice:
        choices = ", ".join(choice_as_str(c) for c in param.type_descriptor.choices or ())
        # An option names what it chooses (--format: a format); an argument may not (WHAT).
        what = "choice" if isinstance(param, TyperArgument) else name.lstrip("-").replace("-", " ")
        reason = f'"{value}" is not a {what}; use {choices}'
    elif isinstance(limits.get("error"), ValueReason):
        said = str(limits["error"])
        reason = said if said.startswith("must ") else f'"{value}" {said}'
    else:
        reason = typed_value_refusal(problem, value)
    return f"{name}: {reason}"


app = typer.Typer(
    name="clusterbridge",
    cls=LazyGroup,
    help="Calls, consortia and eligibility for EU cluster programmes.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"clusterbridge {__version__}")
        raise typer.Exit


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Calls, consortia and eligibility for EU cluster programmes."""


def main() -> None:
    """Entry point of the console script."""
    app()
