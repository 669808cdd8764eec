"""Exchanges between clusters (ClusterXchange): the assignment, lump sums, enrolment and
validation, catalogue and requests, a partnership's page and dashboard; an exchange's own
steps are in ``routers.exchange_steps``."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query

from clusterbridge.api.deps import (
    CurrentUser,
    ExchangeNotifierDep,
    NowDep,
    ProgrammeDep,
    SessionDep,
    StateDep,
    TodayDep,
)
from clusterbridge.api.errors import error_responses
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.schemas.exchanges import (
    AcceptedRequestRead,
    CatalogueRead,
    DashboardRead,
    Decision,
    EnrolmentCreate,
    ParticipantRead,
    PartnershipRead,
    Preferences,
    RequestAnswer,
    RequestCreate,
    RequestRead,
    SuggestionRead,
    exchange_of,
    participant_of,
    request_of,
)
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.engines.exchanges import Method
from clusterbridge.services import exchanges as service

router = APIRouter(prefix="/exchanges", tags=["exchanges"], route_class=ExactNumbersRoute)

ExchangeId = Annotated[int, Path(ge=1, le=MAX_ID)]
ParticipantId = Annotated[int, Path(ge=1, le=MAX_ID)]
RequestId = Annotated[int, Path(ge=1, le=MAX_ID)]
ERRORS = error_responses(
    {
        401: "No valid API token.",
        403: "You may not do this for this partnership, participant, request or exchange.",
        404: "No such partnership, participant, request or exchange.",
        409: "The programme's rules or the exchange's state do not allow it now.",
        422: "The body is not valid (every problem is listed).",
    }
)


@router.post("/match", responses=ERRORS)
def match(
    user: CurrentUser,
    problem: Annotated[dict[str, Any], Body()],
    method: Annotated[Method, Query()] = Method.STABLE,
) -> dict[str, Any]:
    """The visitor-optimal stable assignment of ``{"visitors": [...], "hosts": [...]}`` (as
    ``clusterbridge exchanges match``); ``method=most`` for the most exchanges (CP-SAT, 10 s),
    with the blocking pairs it creates."""
    result = service.assign(problem, method=method, time_limit=10.0)
    return service.assignment_to_dict(result, blocking=method is Method.MOST)


@router.get("/lump-sum", responses=ERRORS)
def lump_sum(
    user: CurrentUser,
    programme: ProgrammeDep,
    host_country: Annotated[str, Query(max_length=60)],
    visitor_place: Annotated[str, Query(max_length=200)],
    host_place: Annotated[str, Query(max_length=200)],
    start: date,
    end: date,
) -> dict[str, Any]:
    """The visitor's lump sum for a stay (as ``clusterbridge exchanges lump-sum``):
    ``amount_eur`` is null, with the reason last, for a stay outside 3 working days to one
    month."""
    estimate = service.estimate_lump_sum(
        programme,
        host_country=host_country,
        visitor_place=visitor_place,
        host_place=host_place,
        start=start,
        end=end,
    )
    return service.estimate_to_dict(estimate)


@router.post("/participants", status_code=201, responses=ERRORS)
def enrol(
    session: SessionDep,
    user: CurrentUser,
    body: EnrolmentCreate,
    programme: ProgrammeDep,
    notifier: ExchangeNotifierDep,
) -> ParticipantRead:
    """Enrol an organisation you are a member of; its partnership's members are mailed."""
    form = service.Enrolment(
        organisation_id=body.organisation_id,
        partnership_id=body.partnership_id,
        role=body.role,
        kind=body.kind,
        cluster_member=body.cluster_member,
        motivation=body.motivation,
        activity_types=tuple(body.activity_types),
        place=body.place,
        preferred_countries=tuple(body.preferred_countries),
        preferred_sectors=tuple(body.preferred_sectors),
        available_from=body.available_from,
        available_until=body.available_until,
        capacity=body.capacity,
        host_exception=body.host_exception,
    )
    participant = service.enrol(session, user, form, programme=programme, notifier=notifier)
    return participant_of(participant)


@router.post("/participants/{participant_id}/validate", responses=ERRORS)
def validate_participant(
    session: SessionDep,
    user: CurrentUser,
    participant_id: ParticipantId,
    programme: ProgrammeDep,
    notifier: ExchangeNotifierDep,
    now: NowDep,
    body: Annotated[Decision | None, Body()] = None,
) -> ParticipantRead:
    """Validate a participant of your partnership (409 when the rules do not allow it)."""
    participant = service.decide_enrolment(
        session,
        user,
        participant_id,
        approve=True,
        reason=body.reason if body else "",
        now=now,
        programme=programme,
        notifier=notifier,
    )
    return participant_of(participant)


@router.post("/participants/{participant_id}/refuse", responses=ERRORS)
def refuse_participant(
    session: SessionDep,
    user: CurrentUser,
    participant_id: ParticipantId,
    body: Decision,
    programme: ProgrammeDep,
    notifier: ExchangeNotifierDep,
    now: NowDep,
) -> ParticipantRead:
    """Refuse a participant of your partnership, with a reason."""
    participant = service.decide_enrolment(
        session,
        user,
        participant_id,
        approve=False,
        reason=body.reason,
        now=now,
        programme=programme,
        notifier=notifier,
    )
    return participant_of(participant)


@router.get("/participants/{participant_id}/catalogue", responses=ERRORS)
def catalogue(
    session: SessionDep, state: StateDep, user: CurrentUser, participant_id: ParticipantId
) -> CatalogueRead:
    """The catalogue for a validated participant (its contact or its partnership; programme
    officers read it): validated hosts with room for a visitor, validated visitors without an
    exchange for a host, in another country, best match first, each with its reasons."""
    view = service.participant_catalogue(session, user, participant_id, cache=state.matching)
    return CatalogueRead(
        participant_id=view.participant.id,
        suggestions=[
            SuggestionRead(
                participant=participant_of(item.participant),
                score=item.score,
                band=item.band,
                reasons=list(item.reasons),
            )
            for item in view.items
        ],
    )


@router.post("/participants/{participant_id}/requests", status_code=201, responses=ERRORS)
def ask_host(
    session: SessionDep,
    user: CurrentUser,
    participant_id: ParticipantId,
    body: RequestCreate,
    notifier: ExchangeNotifierDep,
) -> RequestRead:
    """The visitor asks a host for an exchange (the host's contact is mailed); 409 for a
    second open request to the same host, a visitor with an exchange or the same country."""
    request = service.ask_host(
        session,
        user,
        participant_id,
        host_id=body.host_id,
        message=body.message,
        notifier=notifier,
    )
    return request_of(request)


@router.get("/participants/{participant_id}/requests", responses=ERRORS)
def requests(
    session: SessionDep, user: CurrentUser, participant_id: ParticipantId
) -> list[RequestRead]:
    """The requests a visitor sent or a host received, newest first (its contact or its
    partnership; programme officers read them)."""
    return [request_of(r) for r in service.participant_requests(session, user, participant_id)]


@router.post("/requests/{request_id}/accept", responses=ERRORS)
def accept_request(
    session: SessionDep,
    user: CurrentUser,
    request_id: RequestId,
    body: RequestAnswer,
    notifier: ExchangeNotifierDep,
    now: NowDep,
) -> RequestRead:
    """The host accepts an open request: the visitor and its partnership are mailed, and the
    pair counts in the partnership's assignment."""
    request = service.answer_request(
        session, user, request_id, accept=True, answer=body.answer, now=now, notifier=notifier
    )
    return request_of(request)


@router.post("/requests/{request_id}/decline", responses=ERRORS)
def decline_request(
    session: SessionDep,
    user: CurrentUser,
    request_id: RequestId,
    body: RequestAnswer,
    notifier: ExchangeNotifierDep,
    now: NowDep,
) -> RequestRead:
    """The host declines an open request: the visitor is mailed."""
    request = service.answer_request(
        session, user, request_id, accept=False, answer=body.answer, now=now, notifier=notifier
    )
    return request_of(request)


@router.put("/participants/{participant_id}/preferences", responses=ERRORS)
def preferences(
    session: SessionDep, user: CurrentUser, participant_id: ParticipantId, body: Preferences
) -> Preferences:
    """Replace a participant's ranked list of the other side (participant ids, best first)."""
    ranked = service.set_preferences(session, user, participant_id, list(body.preferences))
    return Preferences(preferences=ranked)


@router.post("/partnerships/{partnership_id}/assignment", responses=ERRORS)
def assignment(
    session: SessionDep,
    user: CurrentUser,
    partnership_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    method: Annotated[Method, Query()] = Method.STABLE,
) -> dict[str, Any]:
    """Assign your validated visitors without an exchange to validated hosts from the ranked
    lists (``method=most``: the most exchanges, with its blocking pairs). Writes nothing."""
    run = service.run_assignment(session, user, partnership_id, method=method)
    name = {str(i): p.organisation.name for i, p in run.participants.items()}
    result = run.result
    return {
        "matches": [
            {
                "visitor": int(m.visitor),
                "visitor_name": name[m.visitor],
                "host": int(m.host),
                "host_name": name[m.host],
            }
            for m in result.matches
        ],
        "unmatched": [int(v) for v in result.unmatched],
        "blocking_pairs": [
            {"visitor": int(p.visitor), "host": int(p.host), "reason": p.reason}
            for p in result.report.blocking_pairs
        ],
    }


@router.get("/partnerships/{partnership_id}", responses=ERRORS)
def partnership(
    session: SessionDep,
    user: CurrentUser,
    partnership_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> PartnershipRead:
    """Your partnership: the participants waiting for validation, its validated visitors, the
    requests hosts accepted from them (``counted``: the assignment counts the pair) and the
    exchanges of its visitors and hosts. Programme officers read any partnership's."""
    view = service.partnership_view(session, user, partnership_id)
    return PartnershipRead(
        id=view.partnership.id,
        name=view.partnership.name,
        country=view.partnership.country,
        pending=[participant_of(p) for p in view.pending],
        visitors=[participant_of(p) for p in view.visitors],
        accepted_requests=[
            AcceptedRequestRead(request=request_of(a.request), counted=a.counted)
            for a in view.accepted
        ],
        exchanges=[exchange_of(e) for e in view.exchanges],
    )


@router.get("/partnerships/{partnership_id}/dashboard", responses=ERRORS)
def dashboard(
    session: SessionDep,
    user: CurrentUser,
    partnership_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    today: TodayDep,
) -> DashboardRead:
    """Your partnership's exchanges by state, amounts committed and paid, countries, activity
    types and late payments. Programme officers read any partnership's."""
    board = service.partnership_dashboard(session, user, partnership_id, today=today)
    return DashboardRead(
        partnership=board.partnership,
        today=board.today,
        by_state=board.by_state,
        credited=board.credited,
        hosted=board.hosted,
        committed_eur=board.committed_eur.quantize(Decimal("0.01")),
        paid_eur=board.paid_eur.quantize(Decimal("0.01")),
        host_countries=board.host_countries,
        activity_types=board.activity_types,
        late_payments=[e.id for e in board.late],
    )
