"""The consortium builder: proposals for a call, and completions of a failing consortium,
each a background job (answered ``202 Accepted`` with the job; ADR 0027)."""

from typing import Annotated

from fastapi import APIRouter, Body, Path, Response

from clusterbridge.api.deps import CatalogueDep, CurrentUser, NowDep, SessionDep, StateDep
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.routers.jobs import accepted
from clusterbridge.api.schemas.builder import (
    BuildQuestion,
    CompletionQuestion,
    ProposalConsortiumCreate,
)
from clusterbridge.api.schemas.consortia import ConsortiumRead
from clusterbridge.api.schemas.eligibility import PartnerIn
from clusterbridge.api.schemas.jobs import JobRead
from clusterbridge.domain.consortium import Consortium
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.engines.consortium.problem import Mode
from clusterbridge.services import jobs
from clusterbridge.services.builder.build import BuildRequest
from clusterbridge.services.consortia import access, consortia
from clusterbridge.services.consortia.file import parse_rows
from clusterbridge.services.matching.suggestions import lookup_partners
from clusterbridge.services.text import cell_text

router = APIRouter(prefix="/builder", tags=["builder"], route_class=ExactNumbersRoute)


@router.post("/proposals", status_code=202, responses=errors(404))
def build_route(
    body: BuildQuestion,
    session: SessionDep,
    user: CurrentUser,
    state: StateDep,
    catalogue: CatalogueDep,
    response: Response,
) -> JobRead:
    """The best consortia for the call from the registry, with the given partners kept, in a
    background job: answers 202 at once (``Location: /api/jobs/{id}``); the job's ``result``
    holds ``answer`` (each proposal with its eligibility report and what each added partner
    brings; see ``BuildAnswer``). 404 for an unknown call and 422 naming each bad value, at
    once."""
    members = _team(body.partners, session) if body.partners else Consortium(())
    job = jobs.submit_builder_build(
        session, user, catalogue, _request(body),
        mode=Mode.BUILD, team=members, dispatch=state.jobs.dispatch,
    )  # fmt: skip
    return accepted(response, job)


@router.post("/completions", status_code=202, responses=errors(404))
def complete_route(
    body: CompletionQuestion,
    session: SessionDep,
    user: CurrentUser,
    state: StateDep,
    catalogue: CatalogueDep,
    response: Response,
) -> JobRead:
    """The smallest additions or swaps that make the consortium eligible, fewest changes
    first, each explained (none when it is already eligible), in a background job: answers
    202 with it; its ``result["answer"]`` is a ``BuildAnswer``."""
    team = _team(body.partners, session)
    job = jobs.submit_builder_build(
        session, user, catalogue, _request(body),
        mode=Mode.COMPLETE, team=team, dispatch=state.jobs.dispatch,
    )  # fmt: skip
    return accepted(response, job)


@router.post(
    "/jobs/{job_id}/proposals/{number}/consortium", status_code=201, responses=errors(404, 409)
)
def create_from_proposal_route(
    job_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    number: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: SessionDep,
    user: CurrentUser,
    catalogue: CatalogueDep,
    now: NowDep,
    response: Response,
    body: Annotated[ProposalConsortiumCreate | None, Body()] = None,
) -> ConsortiumRead:
    """Make proposal ``number`` of your finished builder job a consortium of yours (its call,
    strand, duration and organisations, as beneficiaries): 201 with it and ``Location``. Once
    per proposal: asked again, 200 with the consortium already made (whatever the name). 404
    for a job or proposal you do not see, 409 for a job that is no finished build."""
    name = body.name if body is not None else None
    made = jobs.create_consortium_from_job(
        session, user, job_id, number, name=name, catalogue=catalogue
    )
    row = made.consortium
    response.status_code = 201 if made.created else 200
    response.headers["Location"] = f"/api/consortia/{row.id}"
    check = consortia.check_consortium(row, catalogue=catalogue, now=now)
    return ConsortiumRead.from_row(row, check, can_edit=access.can_edit(row, user))


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
