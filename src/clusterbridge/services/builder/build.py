"""The consortium builder: the best consortia for a call from the registry, and the smallest
changes that make a failing consortium eligible (docs/adr/0011-consortium-builder.md).

Load the matching index, score every organisation against the idea (or, without one, the
call's topic) and the fixed partners, judge each organisation's part in each rule with the
eligibility engine (``engines.consortium.encode``), keep a shortlist, solve with CP-SAT, then
check every proposal, whole, with the eligibility engine and explain it
(``services.builder.proposals``).
"""

import time
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy.orm import Session

from clusterbridge.domain import consortium as snapshot
from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.calls import Call
from clusterbridge.domain.enums import CallStatus, Role, Verdict
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.engines.consortium.encode import Encoding, PartJudge, encode_call
from clusterbridge.engines.consortium.problem import BuildProblem, Mode, Party, RuleKind
from clusterbridge.engines.consortium.result import SolveStatus
from clusterbridge.engines.consortium.shortlist import select_shortlist
from clusterbridge.engines.consortium.solve import MAX_PROPOSALS, solve
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.profile import MatchQuery, OrgProfile
from clusterbridge.engines.matching.score import (
    DEFAULT_WEIGHTS,
    score_rows,
    vectorise,
)
from clusterbridge.services.builder.proposals import (
    DEFAULT_MAX_PARTNERS,
    DEFAULT_MIN_DIFFERENCE,
    DEFAULT_PROPOSALS,
    BuildRequest,
    Proposal,
    Question,
    propose,
)
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.calls.eligibility import check_application
from clusterbridge.services.matching.index import MatchIndexCache
from clusterbridge.services.matching.questions import dense_query, validate_question
from clusterbridge.services.matching.suggestions import topic_of

__all__ = [
    "ALREADY_ELIGIBLE",
    "DEFAULT_MAX_PARTNERS",
    "DEFAULT_MIN_DIFFERENCE",
    "DEFAULT_PROPOSALS",
    "MAX_PARTNERS_LIMIT",
    "BuildOutcome",
    "BuildRequest",
    "Proposal",
    "build_consortia",
    "complete_consortium",
    "prepare_problem",
    "profile_partner",
    "topic_of",
    "validate_request",
]

ALREADY_ELIGIBLE = "Already eligible: every blocking rule passes; nothing to complete."
#: Most partners a proposal may have: beyond this, nobody reads a proposal through.
MAX_PARTNERS_LIMIT = 30


@dataclass(frozen=True)
class BuildOutcome:
    """The proposals (best first) and how they were found: the members, the shortlist size,
    the registry size, the seconds of each stage, the solver's status when it stopped
    (INFEASIBLE: no further proposal exists over the shortlist) and notes for the reader."""

    mode: Mode
    call: Call
    strand: str | None
    members: tuple[snapshot.Partner, ...]
    proposals: tuple[Proposal, ...]
    shortlist: int
    registry: int
    stopped: SolveStatus
    seconds: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def build_consortia(
    session: Session,
    catalogue: Catalogue,
    request: BuildRequest,
    *,
    members: snapshot.Consortium,
    cache: MatchIndexCache,
    now: datetime,
) -> BuildOutcome:
    """Up to ``request.proposals`` consortia of at most ``request.max_partners`` partners:
    ``members`` (kept, their roles as given) and organisations of the registry added as
    beneficiaries, no blocking rule of the call able to fail; each proven optimal over the
    shortlist given the earlier ones. InvalidInputError for bad values, UnknownCallError for
    an unknown call. Reads only."""
    return _run(session, catalogue, request, team=members, cache=cache, now=now, mode=Mode.BUILD)


def complete_consortium(
    session: Session,
    catalogue: Catalogue,
    request: BuildRequest,
    *,
    team: snapshot.Consortium,
    cache: MatchIndexCache,
    now: datetime,
) -> BuildOutcome:
    """The smallest changes to ``team`` (additions, or swaps: a partner removed and another
    added) after which no blocking rule fails, fewest changes first, then the most rules
    proven, then the most relevant; up to ``request.proposals`` options, none containing
    another. No option when ``team`` is already eligible. Reads only."""
    return _run(session, catalogue, request, team=team, cache=cache, now=now, mode=Mode.COMPLETE)


def validate_request(catalogue: Catalogue, request: BuildRequest) -> Call:
    """The call asked for; UnknownCallError for an unknown one, InvalidInputError naming
    every bad value."""
    call = catalogue.get(request.call_id)
    issues = []
    if request.strand is not None and call.strand(request.strand) is None:
        choices = ", ".join(s.id for s in call.strands) or "none"
        reason = f'"{request.strand}" is not a strand of {call.id}; strands: {choices}'
        issues.append(InputIssue("", "strand", reason))
    limits = (
        ("max_partners", request.max_partners, 1, MAX_PARTNERS_LIMIT),
        ("proposals", request.proposals, 1, MAX_PROPOSALS),
        ("min_difference", request.min_difference, 1, MAX_PARTNERS_LIMIT),
    )
    for name, value, low, high in limits:
        if not low <= value <= high:
            issues.append(InputIssue("", name, f"must be between {low} and {high}, not {value}"))
    for name, number in (("duration_months", request.duration_months),
                         ("requested_grant_eur", request.requested_grant_eur)):  # fmt: skip
        if number is not None and number <= 0:
            issues.append(InputIssue("", name, f"must be positive, not {number}"))
    if not 0 < request.time_limit <= 600:
        issues.append(InputIssue("", "time_limit", "must be between 0 and 600 seconds"))
    try:
        validate_question(request.idea, 1)
    except InvalidInputError as error:
        issues.extend(error.issues)
    if issues:
        raise InvalidInputError("The consortium cannot be built", issues)
    return call


def _run(
    session: Session,
    catalogue: Catalogue,
    request: BuildRequest,
    *,
    team: snapshot.Consortium,
    cache: MatchIndexCache,
    now: datetime,
    mode: Mode,
) -> BuildOutcome:
    call = validate_request(catalogue, request)
    if mode is Mode.COMPLETE and _eligible(catalogue, request, team, now):
        return BuildOutcome(
            mode=mode, call=call, strand=request.strand, members=team.partners, proposals=(),
            shortlist=0, registry=0, stopped=SolveStatus.OPTIMAL, notes=(ALREADY_ELIGIBLE,),
        )  # fmt: skip
    seconds: dict[str, float] = {}
    question, problem = prepare_problem(
        session, call, request, team=team, cache=cache, now=now, mode=mode, seconds=seconds
    )
    results = solve(problem, proposals=request.proposals, time_limit=request.time_limit)
    seconds["solve"] = sum(result.seconds for result in results)
    started = time.perf_counter()
    proposals = propose(
        session, question, problem, results,
        catalogue=catalogue, request=request, team=team, now=now,
    )  # fmt: skip
    seconds["check"] = time.perf_counter() - started
    return BuildOutcome(
        mode=mode, call=call, strand=request.strand, members=team.partners,
        proposals=tuple(proposals), shortlist=len(problem.candidates),
        registry=question.index.size,
        stopped=results[-1].status, seconds=seconds,
        notes=(
            *closed_call_notes(call, now),
            *_notes(question.encoding, problem, request, results[-1].status),
        ),
    )  # fmt: skip


def prepare_problem(
    session: Session,
    call: Call,
    request: BuildRequest,
    *,
    team: snapshot.Consortium,
    cache: MatchIndexCache,
    now: datetime,
    mode: Mode,
    seconds: dict[str, float],
) -> tuple[Question, BuildProblem]:
    """The question and the solver's problem over the shortlist, timing the index and the
    shortlist into ``seconds`` (the benchmark solves it with the greedy baseline too)."""
    started = time.perf_counter()
    index = cache.get(session)
    seconds["index"] = time.perf_counter() - started
    started = time.perf_counter()
    question, member_ids = _question(index, cache, call, request, team=team, now=now)
    members = _members(question, team, member_ids)
    rows = _shortlist(question, member_ids)
    problem = BuildProblem(
        rules=question.encoding.rules,
        members=members,
        candidates=tuple(_candidate(question, row) for row in rows),
        max_partners=max(request.max_partners, len(members) if mode is Mode.BUILD else 1),
        mode=mode,
        min_difference=request.min_difference,
    )
    seconds["shortlist"] = time.perf_counter() - started
    return question, problem


def _eligible(
    catalogue: Catalogue, request: BuildRequest, team: snapshot.Consortium, now: datetime
) -> bool:
    report = check_application(
        catalogue, request.call_id, team, now=now, strand=request.strand,
        duration_months=request.duration_months, requested_grant_eur=request.requested_grant_eur,
    )  # fmt: skip
    return report.verdict is Verdict.ELIGIBLE


def _question(
    index: MatchIndex,
    cache: MatchIndexCache,
    call: Call,
    request: BuildRequest,
    *,
    team: snapshot.Consortium,
    now: datetime,
) -> tuple[Question, dict[int, int]]:
    """The question and, per member position, the registry row of members found by PIC."""
    rows_by_pic = {p.pic: row for row, p in enumerate(index.profiles) if p.pic}
    member_rows = {
        position: rows_by_pic[p.pic]
        for position, p in enumerate(team.partners)
        if p.pic and p.pic in rows_by_pic
    }
    guests = tuple(
        _guest(p, -position - 1)
        for position, p in enumerate(team.partners)
        if position not in member_rows
    )
    given = bool(request.idea.strip())
    query = MatchQuery(
        members=tuple(index.profiles[row].id for row in member_rows.values()),
        guests=guests,
        idea=request.idea if given else topic_of(call, request.strand),
        top=1,
        idea_name="the idea" if given else "the call's topic",
    )
    vectors = vectorise(index, query, dense=dense_query(cache, index, query))
    scores, signals = score_rows(index, vectors, query, DEFAULT_WEIGHTS)
    encoding = encode_call(call)
    judge = PartJudge(encoding, strand=request.strand, now=now)
    return Question(index, query, vectors, scores, signals, encoding, judge), member_rows


def _guest(partner: snapshot.Partner, number: int) -> OrgProfile:
    return OrgProfile(
        id=number, name=partner.name, country=partner.country, pic=partner.pic,
        type=partner.type, sme_profile=partner.sme_profile, nuts=partner.nuts,
        legal_entity=partner.legal_entity, eccp_registered=partner.eccp_registered,
    )  # fmt: skip


def profile_partner(
    profile: OrgProfile, *, role: Role | None = Role.BENEFICIARY
) -> snapshot.Partner:
    """A matching profile as the eligibility rules see it, in ``role``."""
    return snapshot.Partner(
        name=profile.name, country=profile.country, nuts=profile.nuts, type=profile.type,
        sme_profile=profile.sme_profile, legal_entity=profile.legal_entity,
        eccp_registered=profile.eccp_registered, role=role, pic=profile.pic,
    )  # fmt: skip


def _members(
    question: Question, team: snapshot.Consortium, member_rows: dict[int, int]
) -> tuple[Party, ...]:
    """The team's partners as parties: registry ids for those found, else -1, -2..."""
    parties = []
    for position, partner in enumerate(team.partners):
        row = member_rows.get(position)
        profile = question.index.profiles[row] if row is not None else None
        parties.append(
            Party(
                id=profile.id if profile else -position - 1,
                name=partner.name,
                country=partner.country,
                relevance=0.0,
                parts=question.judge.parts(partner),
                keys=_keys(profile) if profile else frozenset({f"country:{partner.country}"}),
            )
        )
    return tuple(parties)


def _shortlist(question: Question, member_rows: dict[int, int]) -> list[int]:
    index = question.index
    parts = [question.judge.parts(profile_partner(p)) for p in index.profiles]
    blocked = np.zeros(index.size, dtype=bool)
    blocked[list(member_rows.values())] = True
    return select_shortlist(question.scores, parts, question.encoding.rules, blocked=blocked)


def _candidate(question: Question, row: int) -> Party:
    profile = question.index.profiles[row]
    return Party(
        id=profile.id,
        name=profile.name,
        country=profile.country,
        relevance=round(float(question.scores[row]), 4),
        parts=question.judge.parts(profile_partner(profile)),
        keys=_keys(profile) | _evidence(question, row),
    )


def _evidence(question: Question, row: int) -> frozenset[str]:
    """``evidence:<project id>``: the candidate's past project most similar to the idea, so
    that partners found through the same project share a key and a proposal gains more from
    partners with evidence of their own (``Weights.keys``); none without a similar project."""
    similarity = question.vectors.projects
    taken = question.index.participants[row].indices
    if not len(similarity) or not len(taken):
        return frozenset()
    best = int(taken[np.argmax(similarity[taken])])
    if similarity[best] <= 0:
        return frozenset()
    return frozenset({f"evidence:{question.index.project_ids[best]}"})


def _keys(profile: OrgProfile) -> frozenset[str]:
    """What an organisation adds to a consortium's range: its country, ecosystems and the
    technologies it offers."""
    return frozenset(
        {f"country:{profile.country}"}
        | {f"ecosystem:{e}" for e in profile.ecosystems}
        | {f"technology:{t.key}" for t in profile.offered}
    )


def closed_call_notes(call: Call, now: datetime) -> tuple[str, ...]:
    """The note that ``call`` is closed at ``now`` (its deadline passed), or none: the builder
    still builds for a closed call, for practice, and says so above the proposals."""
    status, _left = call.status(now)
    if status is not CallStatus.CLOSED or call.deadline is None:
        return ()
    return (
        f"{call.id} closed on {day_text(call.deadline)} (its deadline passed): it takes no "
        "more proposals, so these are for practice.",
    )


def _notes(
    encoding: Encoding, problem: BuildProblem, request: BuildRequest, stopped: SolveStatus
) -> tuple[str, ...]:
    notes = []
    if not request.idea.strip():
        notes.append("No idea given: relevance is measured against the call's topic.")
    if encoding.unencoded:
        listed = ", ".join(encoding.unencoded)
        notes.append(f"Rules not encoded (checked only on each proposal): {listed}.")
    if stopped is SolveStatus.INFEASIBLE:
        notes.append(_infeasible_note(problem))
    return tuple(notes)


def _infeasible_note(problem: BuildProblem) -> str:
    failing = [
        f"{party.name} fails “{rule.title}”"
        for party in problem.members
        for rule, part in zip(problem.rules, party.parts, strict=True)
        if rule.blocking and rule.kind is RuleKind.EACH and not part.possible
    ]
    if failing and problem.mode is Mode.BUILD:
        return (
            "No (further) proposal: " + "; ".join(failing) + " (consortium complete can swap it)."
        )
    return (
        f"No (further) proposal of at most {problem.max_partners} partners over the "
        f"shortlist of {len(problem.candidates)} lets every blocking rule pass."
    )
