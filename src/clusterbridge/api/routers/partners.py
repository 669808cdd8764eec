"""Partner suggestions for an organisation or a consortium, with reasons."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy.orm import Session

from clusterbridge.api.deps import CatalogueDep, NowDep, SessionDep, StateDep
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.partners import SuggestionList, SuggestionQuestion, suggestions_of
from clusterbridge.api.state import AppState
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.engines.matching.profile import MAX_TOP
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.consortia.file import parse_rows
from clusterbridge.services.matching.questions import (
    DEFAULT_TOP,
    MAX_IDEA_CHARS,
    Answer,
    Seeking,
    no_suggestions,
    seeking,
)
from clusterbridge.services.matching.suggestions import (
    CallContext,
    answer_for_consortium,
    answer_for_organisation,
    lookup_partners,
)
from clusterbridge.services.text import cell_text

router = APIRouter(tags=["partners"], route_class=ExactNumbersRoute)


@router.get("/organisations/{organisation_id}/suggestions")
def suggest_for_organisation_route(
    organisation_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: SessionDep,
    state: StateDep,
    catalogue: CatalogueDep,
    now: NowDep,
    idea: Annotated[str, Query(max_length=MAX_IDEA_CHARS)] = "",
    call_id: Annotated[str | None, Query(max_length=100)] = None,
    strand: Annotated[str | None, Query(max_length=40)] = None,
    top: Annotated[int, Query(ge=1, le=MAX_TOP)] = DEFAULT_TOP,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    new_only: bool = False,
    country: Annotated[list[str] | None, Query(max_length=60)] = None,
    region_category: Annotated[list[str] | None, Query(max_length=3)] = None,
) -> SuggestionList:
    """The organisations that complement this one, best first, each with its reasons (404 for
    an unknown organisation, call or strand); only of ``kind`` (an organisation type or SME
    profile), never a past partner with ``new_only``, only from ``country`` and regions of
    ``region_category`` (both repeatable). ``new_only`` is false unless sent, as it always
    was, although the web's panel and page of an organisation's suggestions start with it.
    ``newcomers``: registered here, no projects yet (see the schema)."""
    call = _call(catalogue, call_id, strand, now)
    wanted = seeking(
        kind=kind,
        new_only=new_only,
        countries=country or (),
        region_categories=region_category or (),
    )
    found = answer_for_organisation(
        session, organisation_id, cache=state.matching, idea=idea, top=top, call=call,
        wanted=wanted,
    )  # fmt: skip
    return suggestions_of(found, note=_why_none(found, session, state, wanted))


@router.post("/partners/suggestions", responses=errors(404))
def suggest_for_consortium_route(
    body: SuggestionQuestion,
    session: SessionDep,
    state: StateDep,
    catalogue: CatalogueDep,
    now: NowDep,
) -> SuggestionList:
    """The organisations that would complete a consortium; its members are never suggested.
    Partners are validated like the rows of a consortium file (422 names each bad value).
    ``newcomers``: registered here, no projects yet (see the schema)."""
    rows = [
        {key: cell_text(value) for key, value in partner.model_dump().items()}
        for partner in body.partners
    ]
    team = parse_rows(
        rows, source="The consortium", first_line=1, unit="partner",
        registry=lookup_partners(session),
    )  # fmt: skip
    call = _call(catalogue, body.call_id, body.strand, now)
    found = answer_for_consortium(
        session, team, cache=state.matching, idea=body.idea, top=body.top, call=call,
        wanted=body.wanted(),
    )  # fmt: skip
    return suggestions_of(found, note=_why_none(found, session, state, body.wanted()))


def _why_none(found: Answer, session: Session, state: AppState, wanted: Seeking) -> str | None:
    return None if found.suggestions else no_suggestions(state.matching.get(session), wanted)


def _call(
    catalogue: Catalogue, call_id: str | None, strand: str | None, now: datetime
) -> CallContext | None:
    if call_id is None:
        return None
    call = catalogue.get(call_id)
    if strand is not None and call.strand(strand) is None:
        reason = f'"{strand}" is not a strand of {call.id}'
        raise InvalidInputError(
            "The partner search is not valid", [InputIssue("", "strand", reason)]
        )
    return CallContext(catalogue, call.id, strand, now)
