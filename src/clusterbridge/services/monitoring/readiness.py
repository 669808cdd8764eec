"""A cluster organisation's private readiness self-assessment for the European Cluster
Excellence labels: its own copy of the questions (shipped as data, then edited), answers with
evidence, scores per dimension (``domain.assessment.score_cluster``) and improvement areas.

Only the organisation's members and administrators see or change any of it (``access``)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    ClusterLabel,
    ImprovementArea,
    Organisation,
    ReadinessEvidence,
    ReadinessQuestion,
    User,
)
from clusterbridge.db.repositories import assessments as repository
from clusterbridge.domain.assessment import (
    CLUSTER_TOP_LEVEL,
    MAX_WEIGHT,
    MIN_WEIGHT,
    Answer,
    ClusterDimension,
    ImprovementStatus,
    score_cluster,
)
from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services.evidence import MAX_EVIDENCE_FILES, Upload, check_uploads
from clusterbridge.services.monitoring.access import AssessmentNotFoundError, own_cluster
from clusterbridge.services.monitoring.questions import readiness_questions
from clusterbridge.services.text import required_text_reason

MAX_QUESTION = 1000
MAX_COMMENT = 4000
MAX_TITLE = 200
OWN_SOURCE = "Added by the organisation."


@dataclass(frozen=True, slots=True)
class Readiness:
    """Everything the readiness page shows."""

    organisation: Organisation
    notice: str
    questions: list[ReadinessQuestion]
    scores: dict[str, Decimal]
    overall: Decimal | None
    areas: list[ImprovementArea]
    labels: list[ClusterLabel]

    def in_dimension(self, dimension: str) -> list[ReadinessQuestion]:
        """The questions of one dimension, in order."""
        return [q for q in self.questions if q.dimension == dimension]


def get_readiness(session: Session, user: User | None, organisation_id: int) -> Readiness:
    """The cluster's self-assessment. The first time, copies the shipped questions to the
    organisation (flushes): from then on they are its own to edit."""
    organisation = own_cluster(session, user, organisation_id)
    questions = repository.questions(session, organisation.id)
    if not questions:
        _copy_shipped(session, organisation.id)
        questions = repository.questions(session, organisation.id)
    scores, overall = score_cluster(
        Answer(q.dimension, q.level, q.weight) for q in questions if q.level is not None
    )
    return Readiness(
        organisation=organisation,
        notice=readiness_questions()[0],
        questions=questions,
        scores=scores,
        overall=overall,
        areas=repository.improvement_areas(session, organisation.id),
        labels=repository.labels(session, organisation.id),
    )


def _copy_shipped(session: Session, organisation_id: int) -> None:
    # Views of a new self-assessment at the same moment each copy: the database keeps one.
    rows = [
        {
            "organisation_id": organisation_id,
            "key": shipped.key,
            "dimension": ClusterDimension(shipped.dimension),
            "position": position,
            "text": shipped.text,
            "source": shipped.source,
            "weight": 1,
        }
        for position, shipped in enumerate(readiness_questions()[1])
    ]
    repository.add_questions_once(session, rows)


def _own_question(session: Session, user: User | None, question_id: int) -> ReadinessQuestion:
    question = repository.question(session, question_id)
    if question is None:
        raise AssessmentNotFoundError("No such question among yours.")
    own_cluster(session, user, question.organisation_id)
    return question


def answer_question(
    session: Session,
    user: User | None,
    question_id: int,
    *,
    level: int | None,
    comment: str = "",
    now: datetime,
) -> ReadinessQuestion:
    """Record (or, with ``level=None``, clear) the answer 0-4 and its comment. Flushes."""
    question = _own_question(session, user, question_id)
    issues = []
    if level is not None and not 0 <= level <= CLUSTER_TOP_LEVEL:
        issues.append(InputIssue("", "level", f"must be 0 to {CLUSTER_TOP_LEVEL}"))
    if len(comment) > MAX_COMMENT:
        issues.append(InputIssue("", "comment", too_long_reason(MAX_COMMENT, len(comment))))
    if issues:
        raise InvalidInputError("The answer is not valid:", issues)
    question.level = level
    question.comment = comment.strip()
    question.answered_at = now if level is not None else None
    session.flush()
    return question


def _question_issues(text: str, weight: int) -> list[InputIssue]:
    issues = []
    if not text.strip():
        issues.append(InputIssue("", "text", "is required"))
    elif len(text.strip()) > MAX_QUESTION:
        issues.append(InputIssue("", "text", too_long_reason(MAX_QUESTION, len(text.strip()))))
    if not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        issues.append(InputIssue("", "weight", f"must be {MIN_WEIGHT} to {MAX_WEIGHT}"))
    return issues


def add_question(
    session: Session,
    user: User | None,
    organisation_id: int,
    *,
    dimension: ClusterDimension,
    text: str,
    weight: int = 1,
) -> ReadinessQuestion:
    """Add the organisation's own question at the end of its list. Flushes."""
    readiness = get_readiness(session, user, organisation_id)
    issues = _question_issues(text, weight)
    if issues:
        raise InvalidInputError("The question is not valid:", issues)
    last = max((q.position for q in readiness.questions), default=-1)
    taken = {q.key for q in readiness.questions}
    number = 1 + sum(1 for key in taken if key.startswith("own-"))
    while f"own-{number}" in taken:
        number += 1
    question = ReadinessQuestion(
        organisation_id=organisation_id,
        key=f"own-{number}",
        dimension=dimension,
        position=last + 1,
        text=text.strip(),
        source=OWN_SOURCE,
        weight=weight,
        evidence=[],
    )
    session.add(question)
    session.flush()
    return question


def edit_question(
    session: Session, user: User | None, question_id: int, *, text: str, weight: int
) -> ReadinessQuestion:
    """Reword a question or change its weight. Flushes."""
    question = _own_question(session, user, question_id)
    issues = _question_issues(text, weight)
    if issues:
        raise InvalidInputError("The question is not valid:", issues)
    question.text = text.strip()
    question.weight = weight
    session.flush()
    return question


def remove_question(session: Session, user: User | None, question_id: int) -> None:
    """Remove a question with its answer and evidence. Flushes."""
    session.delete(_own_question(session, user, question_id))
    session.flush()


def attach_evidence(
    session: Session, user: User | None, question_id: int, uploads: list[Upload], *, now: datetime
) -> list[ReadinessEvidence]:
    """Attach files to a question: PDF, JPEG or PNG, each at most 5 MB, at most 10 per
    question (``services.evidence``); nothing is stored if one is refused. Flushes."""
    question = _own_question(session, user, question_id)
    held = len(repository.evidence_ids(session, question.id))
    issues = check_uploads(uploads)
    if not uploads:
        issues.append(InputIssue("", "evidence", "choose at least one file"))
    elif held + len(uploads) > MAX_EVIDENCE_FILES:
        reason = f"a question keeps at most {MAX_EVIDENCE_FILES} files; it has {held}"
        issues.append(InputIssue("", "evidence", reason))
    if issues:
        raise InvalidInputError("The files were not attached:", issues)
    rows = [
        ReadinessEvidence(
            question_id=question.id,
            file_name=(u.file_name or "evidence")[:200],
            content_type=u.content_type,
            size=len(u.content),
            content=u.content,
            uploaded_at=now,
        )
        for u in uploads
    ]
    session.add_all(rows)
    session.flush()
    return rows


def get_evidence(
    session: Session, user: User | None, evidence_id: int, *, organisation_id: int | None = None
) -> ReadinessEvidence:
    """One evidence file with its content, for its organisation's members. Where an address
    names the organisation, ``organisation_id`` must be the file's: an unknown file, one of
    another organisation and one the user may not see are the same ``AssessmentNotFoundError``,
    which reveals none of them."""
    missing = AssessmentNotFoundError("No such file among yours.")
    found = repository.evidence(session, evidence_id)
    if found is None:
        raise missing
    owner = found.question.organisation_id
    if organisation_id is not None and organisation_id != owner:
        raise missing
    try:
        own_cluster(session, user, owner)
    except AssessmentNotFoundError:
        raise missing from None
    return found


def add_improvement(
    session: Session,
    user: User | None,
    organisation_id: int,
    *,
    dimension: ClusterDimension,
    title: str,
    due: date | None,
    today: date,
) -> ImprovementArea:
    """Choose an area to improve (status *planned*), due on ``due`` if given: not before
    ``today`` (the site's date), since a planned area cannot be due already. Every mistake at
    once. Flushes."""
    own_cluster(session, user, organisation_id)
    issues = _past_due(due, today)
    if reason := required_text_reason(title, MAX_TITLE):
        issues.insert(0, InputIssue("", "title", reason))
    if issues:
        raise InvalidInputError("The improvement area is not valid:", issues)
    area = ImprovementArea(
        organisation_id=organisation_id, dimension=dimension, title=title.strip(), due=due
    )
    session.add(area)
    session.flush()
    return area


def update_improvement(
    session: Session,
    user: User | None,
    area_id: int,
    *,
    status: ImprovementStatus,
    due: date | None,
    today: date,
) -> ImprovementArea:
    """Follow an improvement area: its status and due date. A new due date before ``today``
    (the site's date) is refused unless the area is done; an area kept at a due date now past
    may still change its status. Flushes."""
    area = session.get(ImprovementArea, area_id)
    if area is None:
        raise AssessmentNotFoundError("No such improvement area among yours.")
    own_cluster(session, user, area.organisation_id)
    if status is not ImprovementStatus.DONE and due != area.due:
        issues = _past_due(due, today)
        if issues:
            raise InvalidInputError("The improvement area is not valid:", issues)
    area.status = status
    area.due = due
    session.flush()
    return area


def _past_due(due: date | None, today: date) -> list[InputIssue]:
    if due is None or due >= today:
        return []
    reason = (
        f"is in the past (today is {day_text(today)}): an improvement not done yet "
        "is due today or later"
    )
    return [InputIssue("", "due", reason)]
