"""An SME's digital maturity self-assessments on the six DMA dimensions: scores 0-100 per
dimension and overall (``domain.assessment.score_digital_maturity``), the history with the
change since the previous one, and what the latest assessment suggests for the SME's profile
(traditional / tech-savvy) and needs.

Declared beats derived: the suggestion is stored as a *derived* value only where the members did
not declare one (``Organisation.declared_fields``, a declared SME profile, declared needs)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    DigitalMaturityAssessment,
    DigitalMaturityScore,
    Organisation,
    OrganisationTechnology,
    User,
)
from clusterbridge.db.repositories import assessments as repository
from clusterbridge.domain.assessment import (
    ASSESSMENT_EVIDENCE_PREFIX,
    DMA_TOP_LEVEL,
    DmaDimension,
    score_digital_maturity,
)
from clusterbridge.domain.enums import SmeProfile, TechnologyDirection, ValueOrigin
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.monitoring.access import own_organisation, own_sme
from clusterbridge.services.monitoring.questions import MaturityRules, maturity_rules
from clusterbridge.services.registry import vocabulary


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What one assessment suggests: an SME profile (or none) and needed technology codes."""

    sme_profile: SmeProfile | None
    needs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MaturityEntry:
    """One assessment with its scores and the change since the one before (``None`` first)."""

    assessment: DigitalMaturityAssessment
    scores: dict[str, Decimal]
    band: str
    overall_delta: Decimal | None
    deltas: dict[str, Decimal]


def suggest(scores: Mapping[str, Decimal], overall: Decimal, rules: MaturityRules) -> Suggestion:
    """The profile and needs ``scores`` suggest by ``rules`` (data/digital_maturity.toml):
    traditional at or below ``traditional_upto`` overall; tech-savvy when both the overall
    score and ``tech_savvy_dimension`` reach ``tech_savvy_from``; the needs of every dimension
    at or below ``weak_upto``. Pure."""
    profile = None
    if overall <= rules.traditional_upto:
        profile = SmeProfile.TRADITIONAL
    elif overall >= rules.tech_savvy_from and (
        scores[rules.tech_savvy_dimension] >= rules.tech_savvy_from
    ):
        profile = SmeProfile.TECH_SAVVY
    needs = [
        code
        for dimension in DmaDimension
        if scores[dimension] <= rules.weak_upto
        for code in rules.needs.get(dimension, ())
    ]
    return Suggestion(profile, tuple(needs))


def _answer_issues(answers: Mapping[str, int], rules: MaturityRules) -> list[InputIssue]:
    known = {q.key for q in rules.questions}
    issues = [
        InputIssue(key, "answer", "is not a question of this assessment")
        for key in answers
        if key not in known
    ]
    for question in rules.questions:
        level = answers.get(question.key)
        if level is None:
            issues.append(InputIssue(question.key, "answer", "is required"))
        elif not 0 <= level <= DMA_TOP_LEVEL:
            reason = f"must be 0 to {DMA_TOP_LEVEL}, not {level}"
            issues.append(InputIssue(question.key, "answer", reason))
    return issues


def answers_refusal(issues: Sequence[InputIssue]) -> str:
    """The heading of refused answers: the assessment is not complete when answers are only
    missing; otherwise the answers that are not valid, each named by its question's key."""
    wrong = [issue.location for issue in issues if issue.reason != "is required"]
    if not wrong:
        return "The assessment is not complete:"
    if len(wrong) == 1:
        return f"The answer to {wrong[0]} is not valid:"
    return f"The answers to {', '.join(wrong[:-1])} and {wrong[-1]} are not valid:"


def take_assessment(
    session: Session,
    user: User | None,
    organisation_id: int,
    answers: Mapping[str, int],
    *,
    now: datetime,
    today: date,
) -> DigitalMaturityAssessment:
    """Score and store an assessment of every question's answer (0-5), then set the SME's
    derived profile and needs from it where nothing is declared. ``InvalidInputError`` names
    every missing or wrong answer; nothing is stored then. Flushes."""
    organisation = own_sme(session, user, organisation_id)
    rules = maturity_rules()
    issues = _answer_issues(answers, rules)
    if issues:
        raise InvalidInputError(answers_refusal(issues), issues)
    by_dimension: dict[str, list[int]] = {}
    for question in rules.questions:
        by_dimension.setdefault(question.dimension, []).append(answers[question.key])
    scores, overall = score_digital_maturity(by_dimension)
    assessment = DigitalMaturityAssessment(
        organisation_id=organisation.id,
        taken_at=now,
        taken_by_id=user.id if user is not None else None,
        answers=dict(answers),
        overall=overall,
        scores=[
            DigitalMaturityScore(dimension=DmaDimension(d), score=s) for d, s in scores.items()
        ],
    )
    session.add(assessment)
    _apply(session, organisation, suggest(scores, overall, rules), today=today, overall=overall)
    session.flush()
    return assessment


def _apply(
    session: Session,
    organisation: Organisation,
    found: Suggestion,
    *,
    today: date,
    overall: Decimal,
) -> None:
    evidence = f"{ASSESSMENT_EVIDENCE_PREFIX} of {today}: overall {overall}/100"
    declared = set(organisation.declared_fields or ())
    profile_declared = (
        "sme_profile" in declared or organisation.sme_profile_origin == ValueOrigin.DECLARED
    )
    if not profile_declared and found.sme_profile is not None:
        organisation.sme_profile = found.sme_profile
        organisation.sme_profile_origin = ValueOrigin.DERIVED
        organisation.sme_profile_evidence = evidence
    if "technologies_needed" in declared or repository.has_declared_needs(session, organisation.id):
        return
    rows = repository.needed_rows(session, organisation.id)
    for row in rows:
        if row.origin == ValueOrigin.DERIVED and (row.evidence or "").startswith(
            ASSESSMENT_EVIDENCE_PREFIX
        ):
            session.delete(row)
    session.flush()
    kept = {
        row.code for row in rows if not (row.evidence or "").startswith(ASSESSMENT_EVIDENCE_PREFIX)
    }
    labels = {term.code: term.label for term in vocabulary()}
    for code in found.needs:
        if code not in kept and code in labels:
            session.add(
                OrganisationTechnology(
                    organisation_id=organisation.id,
                    direction=TechnologyDirection.NEEDED,
                    label=labels[code],
                    code=code,
                    origin=ValueOrigin.DERIVED,
                    evidence=evidence,
                )
            )


def maturity_history(
    session: Session, user: User | None, organisation_id: int
) -> list[MaturityEntry]:
    """The organisation's assessments, newest first, each with the change since the one
    before it (overall and per dimension)."""
    own_organisation(session, user, organisation_id)
    rules = maturity_rules()
    entries: list[MaturityEntry] = []
    previous: MaturityEntry | None = None
    for assessment in repository.maturity_history(session, organisation_id):
        scores = {str(s.dimension): s.score for s in assessment.scores}
        entry = MaturityEntry(
            assessment=assessment,
            scores=scores,
            band=rules.band(float(assessment.overall)),
            overall_delta=None
            if previous is None
            else assessment.overall - previous.assessment.overall,
            deltas={} if previous is None else {d: scores[d] - previous.scores[d] for d in scores},
        )
        entries.append(entry)
        previous = entry
    return entries[::-1]
