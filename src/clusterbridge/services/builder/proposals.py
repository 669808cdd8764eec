"""The builder's answers as proposals: each checked, whole, by the eligibility engine, and
explained partner by partner (what each added partner counts for, what would fail without
it, why matching finds it relevant; why a removed partner goes)."""

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy.orm import Session

from clusterbridge.db.repositories import organisations as org_repository
from clusterbridge.domain import consortium as snapshot
from clusterbridge.domain.calls import RuleSpec
from clusterbridge.domain.eligibility.evaluate import evaluate
from clusterbridge.domain.eligibility.report import EligibilityReport
from clusterbridge.domain.enums import Role, RuleStatus
from clusterbridge.engines.consortium.check import evaluate_selection
from clusterbridge.engines.consortium.encode import Encoding, PartJudge
from clusterbridge.engines.consortium.problem import BuildProblem, Part, RuleKind, RuleModel
from clusterbridge.engines.consortium.result import Selection, SolveResult, SolveStatus
from clusterbridge.engines.consortium.solve import DEFAULT_TIME_LIMIT
from clusterbridge.engines.matching.eligibility import describe_gain
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.profile import MatchQuery
from clusterbridge.engines.matching.reasons import explain
from clusterbridge.engines.matching.score import QueryVectors, Scored, band_of
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.calls.eligibility import check_application
from clusterbridge.services.consortia.consortia import registry_partner

DEFAULT_MAX_PARTNERS = 6
DEFAULT_PROPOSALS = 3
DEFAULT_MIN_DIFFERENCE = 2
#: Matching reasons shown per added partner.
REASONS_SHOWN = 3
_RANK = {RuleStatus.FAIL: 0, RuleStatus.UNKNOWN: 1, RuleStatus.WARNING: 2, RuleStatus.PASS: 2}


@dataclass(frozen=True, slots=True)
class BuildRequest:
    """What is asked: the call and strand, the idea, the size and number of proposals, how
    different they must be, what is applied for (passed to the eligibility check) and the
    solver's time limit per proposal in seconds."""

    call_id: str
    strand: str | None = None
    idea: str = ""
    max_partners: int = DEFAULT_MAX_PARTNERS
    proposals: int = DEFAULT_PROPOSALS
    min_difference: int = DEFAULT_MIN_DIFFERENCE
    duration_months: int | None = None
    requested_grant_eur: int | None = None
    time_limit: float = DEFAULT_TIME_LIMIT


@dataclass(frozen=True)
class Question:
    """Everything the proposals are explained from: the index, the question as matching sees
    it, the scores of every row, and the encoding of the call."""

    index: MatchIndex
    query: MatchQuery
    vectors: QueryVectors
    scores: np.ndarray
    signals: dict[str, np.ndarray]
    encoding: Encoding
    judge: PartJudge


@dataclass(frozen=True, slots=True)
class AddedPartner:
    """An organisation of the registry the proposal adds (as a beneficiary): its relevance to
    the question (the weighted score the solver uses) and the same as a match from 0 to 100
    with its band (``partner_match``), the rules it counts for in words and the ids of those
    it helps pass (``helps``, in the call's order), and why matching finds it relevant."""

    organisation_id: int
    pic: str | None
    name: str
    country: str
    relevance: float
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    match: int
    band: str
    helps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RemovedPartner:
    """A partner of the consortium that a completion swaps out (``position``: its place in
    the consortium given, from 0), and why."""

    position: int
    name: str
    country: str
    pic: str | None
    why: tuple[str, ...]


@dataclass(frozen=True)
class Proposal:
    """One proposal: the partners added and removed, the eligibility engine's report on the
    whole consortium, how the solver found it (status, objective and bound in model units,
    seconds), its score (model units a person cannot compare) and the blocking rules the model
    proved. What a person reads instead of the score: ``match``, ``band`` and
    ``rules_helped``."""

    number: int
    added: tuple[AddedPartner, ...]
    removed: tuple[RemovedPartner, ...]
    report: EligibilityReport
    status: SolveStatus
    objective: int
    bound: int
    seconds: float
    score: float
    proven: tuple[str, ...]

    @property
    def consortium(self) -> snapshot.Consortium:
        """The proposed consortium."""
        return self.report.application.consortium

    @property
    def match(self) -> int | None:
        """The added partners' mean match from 0 to 100, rounded; ``None`` when it adds
        nobody."""
        if not self.added:
            return None
        return round(sum(a.match for a in self.added) / len(self.added))

    @property
    def band(self) -> str | None:
        """The band (``band_of``) of the mean match; ``None`` when it adds nobody."""
        return None if self.match is None else band_of(self.match)

    @property
    def rules_helped(self) -> tuple[str, ...]:
        """The call's rules that at least one added partner helps pass, in the call's order."""
        helped = {rule for added in self.added for rule in added.helps}
        return tuple(rule.id for rule in self.report.call.rules if rule.id in helped)


def propose(
    session: Session,
    question: Question,
    problem: BuildProblem,
    results: list[SolveResult],
    *,
    catalogue: Catalogue,
    request: BuildRequest,
    team: snapshot.Consortium,
    now: datetime,
) -> list[Proposal]:
    """A proposal for each result with a selection, checked and explained. Reads the added
    organisations."""
    proposals = []
    for number, result in enumerate(results, start=1):
        if result.selection is None:
            continue
        selection = result.selection
        added = {o.id: o for o in org_repository.list_by_ids(session, selection.added)}
        kept = [
            partner
            for partner, party in zip(team.partners, problem.members, strict=True)
            if party.id not in selection.removed
        ]
        joined = [registry_partner(added[i], role=Role.BENEFICIARY) for i in selection.added]
        consortium = snapshot.Consortium((*kept, *joined), name=team.name)
        report = check_application(
            catalogue, request.call_id, consortium, now=now, strand=request.strand,
            duration_months=request.duration_months,
            requested_grant_eur=request.requested_grant_eur,
        )  # fmt: skip
        evaluation = evaluate_selection(problem, selection)
        proposals.append(
            Proposal(
                number=number,
                added=tuple(
                    _added(question, problem, report, i, len(kept)) for i in selection.added
                ),
                removed=_removed(problem, team, selection),
                report=report,
                status=result.status,
                objective=result.objective or 0,
                bound=result.bound or 0,
                seconds=result.seconds,
                score=evaluation.score,
                proven=evaluation.proven,
            )
        )
    return proposals


def _added(
    question: Question, problem: BuildProblem, report: EligibilityReport, party_id: int, offset: int
) -> AddedPartner:
    party = problem.party(party_id)
    row = question.index.rows[party_id]
    profile = question.index.profiles[row]
    partners = report.application.consortium.partners
    position = offset + [p.pic for p in partners[offset:]].index(profile.pic)
    counted = _counts_for(question.encoding, party.parts, partners[position])
    needed = _needed_for(report, position)
    helped = {rule for rule, _words in counted + needed if rule}
    scored = Scored(row, float(question.scores[row]), _signals(question, row))
    reasons = explain(question.index, question.query, question.vectors, scored)[:REASONS_SHOWN]
    return AddedPartner(
        profile.id, profile.pic, profile.name, profile.country, party.relevance,
        tuple(words for _rule, words in counted + needed), tuple(reasons),
        match=partner_match(scored), band=band_of(partner_match(scored)),
        helps=tuple(rule.id for rule in report.call.rules if rule.id in helped),
    )  # fmt: skip


def partner_match(scored: Scored) -> int:
    """An added partner's match from 0 to 100: ``Scored.match`` (``score.match_of``), the
    calibration partner suggestions use, of the builder's relevance.

    The builder's relevance is the weighted score of ``score.score_rows`` with
    ``DEFAULT_WEIGHTS`` for the question it asks (the given partners, and the idea or, without
    one, the call's topic): the quantity a suggestion's match is made from, so for the same
    question (no sentence embeddings, not a needs question, any partner) a proposed partner's
    match is the match suggestions show for it. Where suggestions would weigh the signals
    otherwise (``weights_for``: needs, new partners only, sentence embeddings), the builder
    keeps the default weights it optimised with, and its match maps that score through the
    same calibration (``MATCH_HALF``), never relative to the other candidates."""
    return scored.match


def _signals(question: Question, row: int) -> dict[str, float]:
    return {name: float(values[row]) for name, values in question.signals.items()}


def _counts_for(
    encoding: Encoding, parts: tuple[Part, ...], partner: snapshot.Partner
) -> list[tuple[str, str]]:
    """What the partner brings to each counting rule, and the per-partner rules it passes only
    with a warning: (the id of the rule it surely helps pass, or "", the words)."""
    words = []
    for model, spec, part in zip(encoding.rules, encoding.specs, parts, strict=True):
        if model.kind is RuleKind.EACH:
            if part.warning:
                words.append(("", f"passes “{model.title}” with a warning (see the report)"))
            continue
        certain = part.bounds[0] > 0 if model.kind is RuleKind.SHARE else part.certain
        possible = part.bounds[2] > 0 if model.kind is RuleKind.SHARE else part.possible
        if certain:
            detail = _detail(model, spec, partner)
            words.append((model.id, f"counts towards “{model.title}”{detail}"))
        elif possible:
            missing = f"may count towards “{model.title}”: its data is missing (see the report)"
            words.append(("", missing))
    return words


def _detail(model: RuleModel, spec: RuleSpec, partner: snapshot.Partner) -> str:
    """What about the partner counts, when the rule's title does not say it: its country for
    distinct countries, its region for regions."""
    if model.kind is RuleKind.COUNTRIES:
        return f": adds {partner.country}"
    if spec.condition == "min_partners_in_region":
        return f": {describe_gain(spec, partner)}"
    return ""


def _needed_for(report: EligibilityReport, position: int) -> list[tuple[str, str]]:
    """The rules whose status would drop without the partner at ``position``, by the
    eligibility engine: (the rule's id, the words)."""
    partners = report.application.consortium.partners
    without = snapshot.Consortium(partners[:position] + partners[position + 1 :])
    application = report.application
    smaller = evaluate(
        report.call,
        type(application)(without, application.strand, application.duration_months,
                          application.requested_grant_eur),
        now=report.checked_at,
    )  # fmt: skip
    return [
        (rule.id, f"without it, “{rule.title}” would be {after.value}")
        for rule, before, after in zip(
            report.call.rules, report.statuses, smaller.statuses, strict=True
        )
        if _RANK[after] < _RANK[before]
    ]


def _removed(
    problem: BuildProblem, team: snapshot.Consortium, selection: Selection
) -> tuple[RemovedPartner, ...]:
    removed = []
    for position, (partner, party) in enumerate(zip(team.partners, problem.members, strict=True)):
        if party.id not in selection.removed:
            continue
        why = tuple(
            f"fails “{rule.title}”"
            for rule, part in zip(problem.rules, party.parts, strict=True)
            if rule.blocking and rule.kind is RuleKind.EACH and not part.possible
        ) or (f"makes room: at most {problem.max_partners} partners",)
        removed.append(RemovedPartner(position, partner.name, partner.country, partner.pic, why))
    return tuple(removed)
