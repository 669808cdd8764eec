"""Self-assessments: a cluster organisation's private readiness for the European Cluster
Excellence labels (questions, answers, evidence, improvement areas, labels) and an SME's digital
maturity assessments. Only the organisation's members and administrators see them (404 for
everyone else)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Path, Response, UploadFile

from clusterbridge.api.deps import CurrentUser, NowDep, SessionDep, TodayDep
from clusterbridge.api.downloads import uploaded_attachment
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.assessments import (
    AnswerUpdate,
    ImprovementCreate,
    ImprovementRead,
    ImprovementUpdate,
    LabelCreate,
    LabelRead,
    MaturityCreate,
    MaturityQuestionRead,
    MaturityQuestionsRead,
    MaturityRead,
    QuestionCreate,
    QuestionUpdate,
    ReadinessRead,
    improvement_of,
    label_of,
    maturity_of,
    readiness_of,
)
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import monitoring
from clusterbridge.services.evidence import MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, Upload

router = APIRouter(tags=["assessments"], route_class=ExactNumbersRoute)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
NO_CONTENT = 204


def _readiness(
    session: SessionDep, user: CurrentUser, organisation_id: int, *, today: date
) -> ReadinessRead:
    return readiness_of(monitoring.get_readiness(session, user, organisation_id), today=today)


@router.get("/organisations/{organisation_id}/readiness", responses=errors(404, 409))
def get_readiness(
    organisation_id: Id, session: SessionDep, user: CurrentUser, today: TodayDep
) -> ReadinessRead:
    """The cluster organisation's readiness self-assessment: its questions (a copy of the
    shipped ones the first time), answers, evidence, scores, improvement areas (``overdue``:
    past their due date and not done, by the site's calendar) and labels."""
    return _readiness(session, user, organisation_id, today=today)


@router.post(
    "/organisations/{organisation_id}/readiness/questions",
    status_code=201,
    responses=errors(404, 409),
)
def add_question(
    organisation_id: Id,
    body: QuestionCreate,
    session: SessionDep,
    user: CurrentUser,
    today: TodayDep,
) -> ReadinessRead:
    """Add a question of the organisation's own."""
    monitoring.add_question(
        session, user, organisation_id, dimension=body.dimension, text=body.text,
        weight=body.weight,
    )  # fmt: skip
    return _readiness(session, user, organisation_id, today=today)


@router.patch("/readiness/questions/{question_id}", responses=errors(404, 409))
def edit_question(
    question_id: Id, body: QuestionUpdate, session: SessionDep, user: CurrentUser, today: TodayDep
) -> ReadinessRead:
    """Reword or reweight a question."""
    question = monitoring.edit_question(
        session, user, question_id, text=body.text, weight=body.weight
    )
    return _readiness(session, user, question.organisation_id, today=today)


@router.put("/readiness/questions/{question_id}/answer", responses=errors(404, 409))
def answer_question(
    question_id: Id,
    body: AnswerUpdate,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    today: TodayDep,
) -> ReadinessRead:
    """Answer a question 0-4 (or clear the answer with ``null``); the scores follow."""
    question = monitoring.answer_question(
        session, user, question_id, level=body.level, comment=body.comment, now=now
    )
    return _readiness(session, user, question.organisation_id, today=today)


@router.delete(
    "/readiness/questions/{question_id}", status_code=NO_CONTENT, responses=errors(404, 409)
)
def remove_question(question_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    """Remove a question with its answer and evidence."""
    monitoring.remove_question(session, user, question_id)
    return Response(status_code=NO_CONTENT)


@router.post(
    "/readiness/questions/{question_id}/evidence", status_code=201, responses=errors(404, 409)
)
def attach_evidence(
    question_id: Id,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    today: TodayDep,
    evidence: Annotated[list[UploadFile], File()],
) -> ReadinessRead:
    """Attach files to a question (multipart ``evidence``: PDF, JPEG or PNG, 5 MB each, at
    most 10 per question)."""
    uploads = []
    for upload in evidence[: MAX_EVIDENCE_FILES + 1]:
        content = upload.file.read(MAX_EVIDENCE_BYTES + 1)
        uploads.append(Upload(upload.filename or "", upload.content_type or "", content))
    stored = monitoring.attach_evidence(session, user, question_id, uploads, now=now)
    question = monitoring.get_evidence(session, user, stored[0].id).question
    return _readiness(session, user, question.organisation_id, today=today)


@router.get(
    "/readiness/evidence/{evidence_id}",
    responses={**errors(404, 409), 200: {"content": {"application/octet-stream": {}}}},
    response_class=Response,
)
def download_evidence(evidence_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    """An evidence file, as uploaded."""
    found = monitoring.get_evidence(session, user, evidence_id)
    return uploaded_attachment(found, fallback="evidence")


@router.post(
    "/organisations/{organisation_id}/readiness/improvements",
    status_code=201,
    responses=errors(404, 409),
)
def add_improvement(
    organisation_id: Id,
    body: ImprovementCreate,
    session: SessionDep,
    user: CurrentUser,
    today: TodayDep,
) -> ImprovementRead:
    """Choose an area to improve (due today or later)."""
    area = monitoring.add_improvement(
        session, user, organisation_id, dimension=body.dimension, title=body.title, due=body.due,
        today=today,
    )  # fmt: skip
    return improvement_of(area, today=today)


@router.patch("/readiness/improvements/{area_id}", responses=errors(404, 409))
def update_improvement(
    area_id: Id, body: ImprovementUpdate, session: SessionDep, user: CurrentUser, today: TodayDep
) -> ImprovementRead:
    """Follow an improvement area: its status and due date (a new one today or later unless
    done)."""
    area = monitoring.update_improvement(
        session, user, area_id, status=body.status, due=body.due, today=today
    )
    return improvement_of(area, today=today)


@router.post("/organisations/{organisation_id}/labels", status_code=201, responses=errors(404, 409))
def add_label(
    organisation_id: Id, body: LabelCreate, session: SessionDep, user: CurrentUser, today: TodayDep
) -> LabelRead:
    """Record a European Cluster Excellence label the organisation holds (awarded by today)."""
    label = monitoring.add_label(
        session, user, organisation_id, level=body.level, awarded=body.awarded,
        expires=body.expires, today=today,
    )  # fmt: skip
    return label_of(label)


@router.delete("/labels/{label_id}", status_code=NO_CONTENT, responses=errors(404, 409))
def remove_label(label_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    """Remove a label recorded by mistake."""
    monitoring.remove_label(session, user, label_id)
    return Response(status_code=NO_CONTENT)


@router.get("/digital-maturity/questions")
def maturity_questions(user: CurrentUser) -> MaturityQuestionsRead:
    """The digital maturity questions (answers 0-5) and what they rest on."""
    rules = monitoring.maturity_rules()
    return MaturityQuestionsRead(
        notice=rules.notice,
        questions=[
            MaturityQuestionRead(key=q.key, dimension=q.dimension, text=q.text)
            for q in rules.questions
        ],
    )


@router.get("/organisations/{organisation_id}/digital-maturity", responses=errors(404))
def maturity_history(
    organisation_id: Id, session: SessionDep, user: CurrentUser
) -> list[MaturityRead]:
    """The SME's digital maturity assessments, newest first, each with the change since the
    one before."""
    return [maturity_of(e) for e in monitoring.maturity_history(session, user, organisation_id)]


@router.post(
    "/organisations/{organisation_id}/digital-maturity",
    status_code=201,
    responses=errors(404, 409),
)
def take_assessment(
    organisation_id: Id,
    body: MaturityCreate,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    today: TodayDep,
) -> MaturityRead:
    """Take an assessment: every question's answer 0-5. Sets the SME's derived profile and
    needs where the organisation declared none."""
    monitoring.take_assessment(session, user, organisation_id, body.answers, now=now, today=today)
    return maturity_of(monitoring.maturity_history(session, user, organisation_id)[0])
