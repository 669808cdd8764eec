"""The rule editor of a draft call (programme officers): its documents and eligibility rules
as a form generated from the condition registry, saved into the call file (issue 18).

Every button posts the whole form: *Add the rule*, *Remove*, *Move up* and *Move down* show
the page again with the list changed and nothing saved; *Save the rules* checks everything and
saves, or shows the page with every mistake named by its rule and field. The call's form keeps
the rules as a file for experts.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from clusterbridge.api.deps import CatalogueDep, SessionDep
from clusterbridge.db.models import ProgrammeCall, User
from clusterbridge.domain.errors import AccessDeniedError, DomainError, InvalidInputError
from clusterbridge.services.selection import calls, rule_forms
from clusterbridge.services.selection.rule_fields import FieldKind, condition_forms
from clusterbridge.services.selection.rule_forms import RulesForm
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.exchange_forms import form_errors
from clusterbridge.web.routing import web_router
from clusterbridge.web.rule_editor import apply_button, country_values, rules_form_from
from clusterbridge.web.templating import render

router = web_router(prefix="/calls")


@dataclass(frozen=True, slots=True)
class Posted:
    """The posted editor: the form, the button pressed, the condition chosen for a new rule."""

    form: RulesForm
    action: str
    condition: str


async def _posted(request: Request) -> Posted:
    data = await request.form()
    action, condition = data.get("action", "save"), data.get("new_condition", "")
    return Posted(
        rules_form_from(data),
        action if isinstance(action, str) else "save",
        condition if isinstance(condition, str) else "",
    )


@router.get("/{identifier}/rules", response_class=HTMLResponse)
def rules_page(
    request: Request, session: SessionDep, user: SignedInUser, identifier: str
) -> HTMLResponse:
    """The call's documents and rules in the editor (read only once published)."""
    _require_officer(user)
    row = calls.find_call(session, user, identifier)
    try:
        form = rule_forms.rules_form_of(calls.draft_of(row).rules)
    except InvalidInputError as error:
        return _page(request, user, row, RulesForm((), ()), form_errors(error), status=422)
    return _page(request, user, row, form, {})


@router.post("/{identifier}/rules", response_model=None)
def save_rules(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    catalogue: CatalogueDep,
    identifier: str,
    posted: Annotated[Posted, Depends(_posted)],
) -> Response:
    """A button that changes the list: the page again; *Save*: save, or every mistake."""
    _require_officer(user)
    row = calls.find_call(session, user, identifier)
    changed = apply_button(posted.form, posted.action, posted.condition)
    if changed is not None:
        return _page(request, user, row, changed, {})
    try:
        rule_forms.save_rules(session, user, row.id, posted.form, catalogue=catalogue)
    except DomainError as error:
        session.expire_all()
        failed = calls.find_call(session, user, identifier)
        return _page(request, user, failed, posted.form, form_errors(error), status=error.status)
    return RedirectResponse(f"/calls/{row.identifier}/rules?saved=1", status_code=303)


def _page(
    request: Request,
    user: User,
    row: ProgrammeCall,
    form: RulesForm,
    errors: dict[str, str],
    *,
    status: int = 200,
) -> HTMLResponse:
    forms = {c.name: c for c in condition_forms()}
    context = {
        "row": row,
        "form": form,
        "errors": errors,
        "conditions": forms,
        "kinds": FieldKind,
        "country_values": country_values,
    }
    return render(request, "calls/rules.html", context, user=user, status_code=status)


def _require_officer(user: User) -> None:
    if not calls.is_officer(user):
        raise AccessDeniedError("Only programme officers and administrators write calls")
