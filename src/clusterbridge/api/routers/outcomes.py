"""The outcome ledger: a follow-up link's question and answer (the link is the credential:
no sign-in, answered once; 404 for an unknown, answered or expired link), and an
organisation's outcomes for its members and the administrators (404 for everyone else)."""

from typing import Annotated

from fastapi import APIRouter, Path

from clusterbridge.api.deps import CurrentUser, NowDep, SessionDep
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.outcomes import (
    FollowUpAnswer,
    FollowUpRead,
    OutcomeRead,
    follow_up_of,
    outcome_of,
)
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import monitoring

router = APIRouter(tags=["outcomes"], route_class=ExactNumbersRoute)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Token = Annotated[str, Path(max_length=100)]


@router.get("/followups/{token}", responses=errors(404))
def get_follow_up(token: Token, session: SessionDep, now: NowDep) -> FollowUpRead:
    """The question behind a follow-up link, while it is unanswered and unexpired."""
    return follow_up_of(monitoring.open_follow_up(session, token, now=now))


@router.post("/followups/{token}", status_code=201, responses=errors(404, 422))
def answer_follow_up(
    token: Token, body: FollowUpAnswer, session: SessionDep, now: NowDep
) -> OutcomeRead:
    """Answer a follow-up: the outcome is recorded and the link is used up."""
    outcome = monitoring.answer_follow_up(
        session, token, answer=body.answer.value, consortium_id=body.consortium_id,
        proposal_id=body.proposal_id, project_id=body.project_id, note=body.note, now=now,
    )  # fmt: skip
    return outcome_of(monitoring.outcome_entry(session, outcome))


@router.get("/organisations/{organisation_id}/outcomes", responses=errors(404))
def list_outcomes(organisation_id: Id, session: SessionDep, user: CurrentUser) -> list[OutcomeRead]:
    """The organisation's outcomes, newest first."""
    return [outcome_of(e) for e in monitoring.organisation_outcomes(session, user, organisation_id)]
