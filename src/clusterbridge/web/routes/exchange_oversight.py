"""Every exchange of the programme, read-only, for programme officers and administrators
(`services.exchanges.oversight`): filtered by partnership and state, a page at a time. Each
links to the exchange's own page (`routes.exchange_pages`), which shows an officer no form.
"""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from clusterbridge.api.deps import SessionDep
from clusterbridge.domain.enums import ExchangeState
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services import exchanges as service
from clusterbridge.services.exchanges.oversight import MAX_PAGE
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.exchange_forms import STATE_WORDS, form_errors
from clusterbridge.web.numbers import read_id
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/exchanges")

#: The filters' labels, which the summary of refused fields names.
FILTER_LABELS = {"partnership": "Partnership", "state": "State", "page": "Page"}


class ExchangeFilterForm(BaseModel):
    """The list's filters as the address carries them; empty is every one."""

    partnership: str = Field("", max_length=20)
    state: str = Field("", max_length=20)
    page: int = Field(1, ge=1)


@router.get("/all", response_class=HTMLResponse)
def all_exchanges_page(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    form: Annotated[ExchangeFilterForm, Query()],
) -> HTMLResponse:
    """Every exchange, filtered and paged (403 for anyone but programme officers and
    administrators). A filter no list offers is named with its reason (422); a page past the
    last says so and links the last page (404)."""
    context: dict[str, Any] = {
        "form": form,
        "states": STATE_WORDS,
        "labels": FILTER_LABELS,
        "errors": {},
        "listing": None,
        "missing_page": None,
        "page_url": lambda page: _page_url(form, page),
    }
    try:
        partnership_id, state = _filters(form)
        listing = service.list_exchanges(
            session,
            user,
            partnership_id=partnership_id,
            state=state,
            page=min(form.page, MAX_PAGE),
        )
    except InvalidInputError as error:
        partnerships = service.overseen_partnerships(session, user)
        context |= {"errors": form_errors(error), "partnerships": partnerships}
        return _page(request, user, context, status_code=error.status)
    context |= {"listing": listing, "partnerships": listing.partnerships}
    if form.page > listing.pages:
        context["missing_page"] = form.page
        return _page(request, user, context, status_code=404)
    return _page(request, user, context)


def _filters(form: ExchangeFilterForm) -> tuple[int | None, ExchangeState | None]:
    """The partnership's id and the state, None for "every"; every unreadable one at once."""
    issues = []
    partnership_id = read_id(form.partnership) if form.partnership else None
    if form.partnership and partnership_id is None:
        issues.append(InputIssue("", "partnership", "choose a partnership from the list"))
    state = ExchangeState(form.state) if form.state in set(ExchangeState) else None
    if form.state and state is None:
        issues.append(InputIssue("", "state", "choose a state from the list"))
    if issues:
        raise InvalidInputError("The exchanges cannot be listed:", issues)
    return partnership_id, state


def _page(
    request: Request, user: SignedInUser, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    return render(request, "exchanges/all.html", context, user=user, status_code=status_code)


def _page_url(form: ExchangeFilterForm, page: int) -> str:
    values = [(name, getattr(form, name)) for name in ("partnership", "state")]
    return "/exchanges/all?" + urlencode([*[(n, v) for n, v in values if v], ("page", page)])
