"""The outcome ledger's pages: a follow-up's answer page (opened from the mail, no sign-in
needed, answered once) and an organisation's outcomes, for its members."""

from datetime import datetime
from typing import Annotated

from fastapi import Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from clusterbridge.api.deps import NowDep, SessionDep
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import monitoring
from clusterbridge.web.auth import SignedInUser, WebUser
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router()

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Token = Annotated[str, Path(max_length=100)]


#: The answer form's labels, in its order, which its summary of refused fields names.
FORM_LABELS = {
    "answer": "The outcome", "consortium_id": "The consortium it led to",
    "proposal_id": "The proposal it led to", "project_id": "The funded project it led to",
    "note": "A note",
}  # fmt: skip


def _question_page(
    request: Request,
    session: Session,
    token: str,
    *,
    now: datetime,
    chosen: str,
    errors: dict[str, str],
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    question = monitoring.open_follow_up(session, token, now=now)
    context = {
        "question": question,
        "token": token,
        "labels": monitoring.OUTCOME_LABELS,
        "form_labels": FORM_LABELS,
        "chosen": chosen,
        "typed": typed or {},
        "errors": {field: errors[field] for field in [*FORM_LABELS, *errors] if field in errors},
    }
    return render(request, "outcomes/answer.html", context, user=None, status_code=status_code)


@router.get("/followups/{token}", response_class=HTMLResponse)
def answer_page(
    request: Request,
    token: Token,
    session: SessionDep,
    now: NowDep,
    answer: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    """The question of a follow-up, the mailed answer chosen, ready to confirm."""
    return _question_page(request, session, token, now=now, chosen=answer, errors={})


def _optional_ids(typed: dict[str, str]) -> dict[str, int | None]:
    """The ids chosen in the form's lists (empty: none); InvalidInputError naming each one that
    is no id."""
    ids: dict[str, int | None] = {}
    issues = []
    for field, text in typed.items():
        if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID:
            ids[field] = int(text)
        elif text == "":
            ids[field] = None
        else:
            issues.append(InputIssue("", field, "is not valid"))
    if issues:
        raise InvalidInputError("The answer was not recorded", issues)
    return ids


@router.post("/followups/{token}", response_model=None)
def answer_submit(
    *,
    request: Request,
    token: Token,
    session: SessionDep,
    now: NowDep,
    answer: Annotated[str, Form(max_length=40)] = "",
    consortium_id: Annotated[str, Form(max_length=12)] = "",
    proposal_id: Annotated[str, Form(max_length=12)] = "",
    project_id: Annotated[str, Form(max_length=12)] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """Record the answer: the link is used up. A refused answer shows the page again with
    what was chosen and typed, and every mistake beside its field (422)."""
    typed = {"consortium_id": consortium_id, "proposal_id": proposal_id, "project_id": project_id}
    try:
        ids = _optional_ids(typed)
        monitoring.answer_follow_up(session, token, answer=answer, note=note, now=now, **ids)
    except InvalidInputError as error:
        errors = {issue.field: issue.reason for issue in error.issues}
        return _question_page(
            request, session, token, now=now, chosen=answer, errors=errors,
            typed=typed | {"note": note}, status_code=error.status,
        )  # fmt: skip
    return RedirectResponse("/followups-answered", status_code=303)


@router.get("/followups-answered", response_class=HTMLResponse)
def answered(request: Request, user: WebUser) -> HTMLResponse:
    """Thanks for the answer."""
    return render(request, "outcomes/answered.html", {}, user=user)


@router.get("/organisations/{organisation_id}/outcomes", response_class=HTMLResponse)
def outcomes_page(
    *, request: Request, session: SessionDep, user: SignedInUser, organisation_id: Id
) -> HTMLResponse:
    """What came of the organisation's meetings and exchanges, as its people answered."""
    entries = monitoring.organisation_outcomes(session, user, organisation_id)
    organisation = monitoring.own_organisation(session, user, organisation_id)
    context = {"organisation": organisation, "entries": entries}
    return render(request, "outcomes/list.html", context, user=user)
