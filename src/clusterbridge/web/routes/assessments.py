"""Self-assessment pages: a cluster organisation's private readiness for the European Cluster
Excellence labels, and an SME's digital maturity with its progress.

Every form posts to a route that redirects back (303) on success and shows the page again with
every reason on a mistake. Only the organisation's members and administrators reach them."""

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from clusterbridge.api.deps import NowDep, SessionDep, TodayDep
from clusterbridge.api.downloads import attachment, uploaded_attachment
from clusterbridge.db.models import User
from clusterbridge.domain.assessment import (
    CLUSTER_DIMENSION_NAMES,
    CLUSTER_LEVEL_WORDS,
    ClusterDimension,
    ImprovementStatus,
    LabelLevel,
    overdue_since,
)
from clusterbridge.domain.errors import ConflictError, InputIssue, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import monitoring
from clusterbridge.services.evidence import MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, Upload
from clusterbridge.services.workbooks import TableFormat
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.exchange_forms import form_errors
from clusterbridge.web.numbers import MAX_NUMBER_TEXT, read_whole_number
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/organisations")

Id = Annotated[int, Path(ge=1, le=MAX_ID)]

DMA_DIMENSIONS = {
    "strategy": "Digital business strategy",
    "readiness": "Digital readiness",
    "human_centric": "Human-centric digitalisation",
    "data": "Data management and governance",
    "automation_ai": "Automation and artificial intelligence",
    "green": "Green digitalisation",
}
DMA_LEVELS = ("0 – not at all", "1", "2", "3", "4", "5 – fully")
STATUS_WORDS = {
    ImprovementStatus.PLANNED: "Planned",
    ImprovementStatus.IN_PROGRESS: "In progress",
    ImprovementStatus.DONE: "Done",
}


def _readiness_page(
    request: Request,
    session: Session,
    user: User,
    organisation_id: int,
    errors: dict[str, str],
    *,
    today: date,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The readiness page; ``typed`` holds a refused form's values as typed, by field id."""
    readiness = monitoring.get_readiness(session, user, organisation_id)
    context: dict[str, Any] = {
        "readiness": readiness,
        "overdue": {
            area.id: since
            for area in readiness.areas
            if (since := overdue_since(area.status, area.due, today=today)) is not None
        },
        "dimensions": CLUSTER_DIMENSION_NAMES,
        "levels": CLUSTER_LEVEL_WORDS,
        "statuses": STATUS_WORDS,
        "label_levels": list(LabelLevel),
        "errors": errors,
        "typed": typed or {},
    }
    return render(
        request, "assessments/readiness.html", context, user=user, status_code=status_code
    )


def _back(organisation_id: int, anchor: str) -> RedirectResponse:
    return RedirectResponse(f"/organisations/{organisation_id}/readiness#{anchor}", status_code=303)


def _failed(
    request: Request, session: Session, user: User, organisation_id: int, *, keys: str,
    whole: str, error: InvalidInputError | ConflictError, today: date,
    typed: dict[str, str] | None = None, unread: list[InputIssue] | None = None,
) -> HTMLResponse:  # fmt: skip
    """The page with each problem beside its field: ``keys`` names a field's error as the page
    names the field ("level-12", "new-text"), ``whole`` a problem of the whole form; the form
    keeps what was ``typed`` (by the fields' names), and why a value could not be read
    (``unread``) replaces the service's reason for its stand-in."""
    found = form_errors(error) | {issue.field: issue.reason for issue in unread or ()}
    errors = {whole if key == "form" else keys.format(key): text for key, text in found.items()}
    values = {keys.format(name): value for name, value in (typed or {}).items()}
    return _readiness_page(request, session, user, organisation_id, errors, today=today,
                           typed=values, status_code=error.status)  # fmt: skip


def _weight(text: str, unread: list[InputIssue]) -> int:
    """The weight typed; when it is empty or no whole number, why goes to ``unread`` and 0
    stands in, which the service refuses with the form's other mistakes (all at once)."""
    weight = read_whole_number(text, "weight", unread, required=True, missing="is required")
    return 0 if weight is None else weight


@router.get("/{organisation_id}/readiness", response_class=HTMLResponse)
def readiness_page(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    organisation_id: Id,
    today: TodayDep,
) -> HTMLResponse:
    """The cluster's readiness self-assessment; an improvement area past its due date and not
    done says since when it is overdue (by the site's calendar)."""
    return _readiness_page(request, session, user, organisation_id, {}, today=today)


@router.get("/{organisation_id}/readiness/export", response_model=None)
def readiness_export(
    session: SessionDep,
    user: SignedInUser,
    organisation_id: Id,
    today: TodayDep,
    format: Annotated[TableFormat, Query()] = TableFormat.XLSX,
) -> Response:
    """The self-assessment as a CSV or XLSX file: each question with its answer, comment and
    evidence, each area's score and the overall score (its members and administrators)."""
    readiness = monitoring.get_readiness(session, user, organisation_id)
    name = f"readiness-{organisation_id}-{today.isoformat()}.{format.value}"
    content = monitoring.export_readiness(readiness, format)
    return attachment(content, name, media_type=format.media_type)


def _level(text: str) -> int | None:
    if text == "":
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    raise InvalidInputError("The answer is not valid:", [InputIssue("", "level", "must be 0 to 4")])


@router.post("/{organisation_id}/readiness/questions/{question_id}/answer", response_model=None)
def answer(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    organisation_id: Id,
    today: TodayDep,
    question_id: Id,
    now: NowDep,
    level: Annotated[str, Form(max_length=2)] = "",
    comment: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Answer a question 0-4 with a comment."""
    try:
        monitoring.answer_question(
            session, user, question_id, level=_level(level), comment=comment, now=now
        )
    except InvalidInputError as error:
        return _failed(request, session, user, organisation_id, keys=f"{{}}-{question_id}",
                       whole=f"q{question_id}", error=error, today=today)  # fmt: skip
    return _back(organisation_id, f"q{question_id}")


@router.post("/{organisation_id}/readiness/questions/{question_id}/edit", response_model=None)
def edit(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    organisation_id: Id,
    today: TodayDep,
    question_id: Id,
    text: Annotated[str, Form(max_length=5000)] = "",
    weight: Annotated[str, Form(max_length=MAX_NUMBER_TEXT)] = "",
) -> Response:
    """Reword or reweight a question."""
    unread: list[InputIssue] = []
    try:
        monitoring.edit_question(
            session, user, question_id, text=text, weight=_weight(weight, unread)
        )
    except InvalidInputError as error:
        return _failed(request, session, user, organisation_id, keys=f"{{}}-{question_id}",
                       whole=f"q{question_id}", error=error, today=today,
                       typed={"text": text, "weight": weight}, unread=unread)  # fmt: skip
    return _back(organisation_id, f"q{question_id}")


@router.post("/{organisation_id}/readiness/questions/{question_id}/remove")
def remove(
    *, session: SessionDep, user: SignedInUser, organisation_id: Id, question_id: Id
) -> RedirectResponse:
    """Remove a question with its answer and evidence."""
    monitoring.remove_question(session, user, question_id)
    return _back(organisation_id, "questions")


@router.post("/{organisation_id}/readiness/questions/{question_id}/evidence", response_model=None)
def evidence(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    organisation_id: Id,
    today: TodayDep,
    question_id: Id,
    now: NowDep,
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """Attach evidence files to a question."""
    uploads = [
        Upload(f.filename or "", f.content_type or "", f.file.read(MAX_EVIDENCE_BYTES + 1))
        for f in (files or [])[: MAX_EVIDENCE_FILES + 1]
        if f.filename
    ]
    try:
        monitoring.attach_evidence(session, user, question_id, uploads, now=now)
    except InvalidInputError as error:
        return _failed(request, session, user, organisation_id, keys=f"{{}}-{question_id}",
                       whole=f"q{question_id}", error=error, today=today)  # fmt: skip
    return _back(organisation_id, f"q{question_id}")


@router.get("/{organisation_id}/readiness/evidence/{evidence_id}", response_model=None)
def download(
    *, session: SessionDep, user: SignedInUser, organisation_id: Id, evidence_id: Id
) -> Response:
    """An evidence file, as uploaded (404 for a file of another organisation)."""
    found = monitoring.get_evidence(session, user, evidence_id, organisation_id=organisation_id)
    return uploaded_attachment(found, fallback="evidence")


@router.post("/{organisation_id}/readiness/questions", response_model=None)
def add_question(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    organisation_id: Id,
    today: TodayDep,
    dimension: Annotated[ClusterDimension, Form()],
    text: Annotated[str, Form(max_length=5000)] = "",
    weight: Annotated[str, Form(max_length=MAX_NUMBER_TEXT)] = "",
) -> Response:
    """Add a question of the organisation's own."""
    unread: list[InputIssue] = []
    try:
        question = monitoring.add_question(
            session, user, organisation_id, dimension=dimension, text=text,
            weight=_weight(weight, unread),
        )  # fmt: skip
    except InvalidInputError as error:
        typed = {"dimension": dimension.value, "text": text, "weight": weight}
        return _failed(request, session, user, organisation_id, keys="new-{}",
                       whole="add-question", error=error, today=today, typed=typed,
                       unread=unread)  # fmt: skip
    return _back(organisation_id, f"q{question.id}")


def _date(text: str, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        issue = InputIssue("", field, "must be a date (YYYY-MM-DD)")
        raise InvalidInputError("The date is not valid:", [issue]) from None


def _dates(**texts: str) -> dict[str, date | None]:
    """Each text as a date (None when empty); ``InvalidInputError`` naming each that is not."""
    issues: list[InputIssue] = []
    dates: dict[str, date | None] = {}
    for field, text in texts.items():
        try:
            dates[field] = _date(text, field)
        except InvalidInputError as error:
            issues += error.issues
    if issues:
        raise InvalidInputError("The dates are not valid:", issues)
    return dates


@router.post("/{organisation_id}/readiness/improvements", response_model=None)
def add_improvement(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    organisation_id: Id,
    today: TodayDep,
    dimension: Annotated[ClusterDimension, Form()],
    title: Annotated[str, Form(max_length=1000)] = "",
    due: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Choose an area to improve."""
    try:
        monitoring.add_improvement(
            session, user, organisation_id, dimension=dimension, title=title,
            due=_date(due, "due"), today=today,
        )  # fmt: skip
    except InvalidInputError as error:
        typed = {"dimension": dimension.value, "title": title, "due": due}
        return _failed(request, session, user, organisation_id, keys="area-{}",
                       whole="improvements", error=error, today=today, typed=typed)  # fmt: skip
    return _back(organisation_id, "improvements")


@router.post("/{organisation_id}/readiness/improvements/{area_id}", response_model=None)
def update_improvement(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    organisation_id: Id,
    area_id: Id,
    today: TodayDep,
    status: Annotated[ImprovementStatus, Form()],
    due: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Follow an improvement area."""
    try:
        monitoring.update_improvement(
            session, user, area_id, status=status, due=_date(due, "due"), today=today
        )
    except InvalidInputError as error:
        return _failed(request, session, user, organisation_id, keys=f"{{}}-{area_id}",
                       whole=f"area-{area_id}", error=error, today=today,
                       typed={"status": status.value, "due": due})  # fmt: skip
    return _back(organisation_id, "improvements")


@router.post("/{organisation_id}/labels", response_model=None)
def add_label(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    organisation_id: Id,
    today: TodayDep,
    level: Annotated[LabelLevel, Form()],
    awarded: Annotated[str, Form(max_length=20)] = "",
    expires: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Record a label the organisation holds."""
    try:
        monitoring.add_label(
            session, user, organisation_id, level=level, today=today,
            **_dates(awarded=awarded, expires=expires),
        )  # fmt: skip
    except (InvalidInputError, ConflictError) as error:
        typed = {"level": level.value, "awarded": awarded, "expires": expires}
        return _failed(
            request, session, user, organisation_id, keys="label-{}", whole="labels",
            error=error, today=today, typed=typed,
        )  # fmt: skip
    return _back(organisation_id, "labels")


@router.post("/{organisation_id}/labels/{label_id}/remove")
def remove_label(
    *, session: SessionDep, user: SignedInUser, organisation_id: Id, label_id: Id
) -> RedirectResponse:
    """Remove a label recorded by mistake."""
    monitoring.remove_label(session, user, label_id)
    return _back(organisation_id, "labels")


def _maturity_page(
    request: Request,
    session: Session,
    user: User,
    organisation_id: int,
    *,
    answers: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    organisation = monitoring.own_organisation(session, user, organisation_id)
    rules = monitoring.maturity_rules()
    context: dict[str, Any] = {
        "organisation": organisation,
        "not_an_sme": monitoring.maturity_refusal(organisation),
        "history": monitoring.maturity_history(session, user, organisation_id),
        "rules": rules,
        "labels": {question.key: question.text.rstrip(".") for question in rules.questions},
        "dimensions": DMA_DIMENSIONS,
        "levels": DMA_LEVELS,
        "answers": answers,
        "errors": errors,
    }
    return render(request, "assessments/maturity.html", context, user=user, status_code=status_code)


@router.get("/{organisation_id}/digital-maturity", response_class=HTMLResponse)
def maturity_page(
    *, request: Request, session: SessionDep, user: SignedInUser, organisation_id: Id
) -> HTMLResponse:
    """The SME's digital maturity: the questions, and its assessments with their progress; for
    an organisation that is no SME, why it takes none (and no form)."""
    return _maturity_page(request, session, user, organisation_id, answers={}, errors={})


async def _maturity_form(request: Request) -> dict[str, str]:
    """The form's answer to each digital maturity question ("" when not given)."""
    form = await request.form()
    return {q.key: str(form.get(q.key, "")) for q in monitoring.maturity_rules().questions}


@router.post("/{organisation_id}/digital-maturity", response_model=None)
def take_assessment(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    organisation_id: Id,
    now: NowDep,
    today: TodayDep,
    given: Annotated[dict[str, str], Depends(_maturity_form)],
) -> Response:
    """Take an assessment from the form (one 0-5 choice per question)."""
    issues = [
        InputIssue(key, "answer", "is required" if not value else f'must be 0 to 5, not "{value}"')
        for key, value in given.items()
        if not (value.isascii() and value.isdigit() and len(value) == 1)
    ]
    try:
        monitoring.own_sme(session, user, organisation_id)
        if issues:
            raise InvalidInputError(monitoring.answers_refusal(issues), issues)
        answers = {key: int(value) for key, value in given.items()}
        monitoring.take_assessment(session, user, organisation_id, answers, now=now, today=today)
    except (InvalidInputError, ConflictError) as error:
        errors = (
            {i.location: i.reason for i in error.issues}
            if isinstance(error, InvalidInputError)
            else {"form": str(error)}
        )
        return _maturity_page(
            request, session, user, organisation_id, answers=given, errors=errors,
            status_code=error.status,
        )  # fmt: skip
    return RedirectResponse(
        f"/organisations/{organisation_id}/digital-maturity#history", status_code=303
    )
