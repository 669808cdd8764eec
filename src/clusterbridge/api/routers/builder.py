"""The consortium builder: proposals for a call, and completions of a failing consortium."""

from fastapi import APIRouter

from clusterbridge.api.deps import CatalogueDep, NowDep, SessionDep, StateDep
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.builder import (
    BuildAnswer,
    BuildQuestion,
    CompletionQuestion,
    answer_of,
)
from clusterbridge.api.schemas.eligibility import PartnerIn
from clusterbridge.domain.consortium import Consortium
from clusterbridge.services.builder.build import (
    BuildRequest,
    build_consortia,
    complete_consortium,
)
from clusterbridge.services.consortia.file import parse_rows
from clusterbridge.services.matching.suggestions import lookup_partners
from clusterbridge.services.text import cell_text

router = APIRouter(prefix="/builder", tags=["builder"])


@router.post("/proposals", responses=errors(404))
def build_route(
    body: BuildQuestion, session: SessionDep, state: StateDep, catalogue: CatalogueDep, now: NowDep
) -> BuildAnswer:
    """The best consortia for the call from the registry, with the given partners kept; each
    with its eligibility report and what each added partner brings (404 for an unknown call,
    422 naming each bad value)."""
    members = _team(body.partners, session) if body.partners else Consortium(())
    outcome = build_consortia(
        session, catalogue, _request(body), members=members, cache=state.matching, now=now
    )
    return answer_of(outcome)


@router.post("/completions", responses=errors(404))
def complete_route(
    body: CompletionQuestion,
    session: SessionDep,
    state: StateDep,
    catalogue: CatalogueDep,
    now: NowDep,
) -> BuildAnswer:
    """The smallest additions or swaps that make the consortium eligible, fewest changes
    first, each explained (none when it is already eligible)."""
    team = _team(body.partners, session)
    outcome = complete_consortium(
        session, catalogue, _request(body), team=team, cache=state.matching, now=now
    )
    return answer_of(outcome)


def _team(partners: list[PartnerIn], session: SessionDep) -> Consortium:
    rows = [
        {key: cell_text(value) for key, value in partner.model_dump().items()}
        for partner in partners
    ]
    return parse_rows(
        rows, source="The consortium", first_line=1, unit="partner",
        registry=lookup_partners(session),
    )  # fmt: skip


def _request(body: BuildQuestion) -> BuildRequest:
    return BuildRequest(
        call_id=body.call_id,
        strand=body.strand,
        idea=body.idea,
        max_partners=body.max_partners,
        proposals=body.proposals,
        min_difference=body.min_difference,
        duration_months=body.duration_months,
        requested_grant_eur=body.requested_grant_eur,
    )
