"""Every page shows a refused form or action the one way: the refusal box or the summary of
templates/_form_errors.html, which take the focus (static/app.js) so that a keyboard or
screen-reader user starts at the reason. No template writes such a box by hand, so a new page
cannot forget the focus (tests/browser/test_refusal_focus.py checks it in the browser)."""

import re
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader

from clusterbridge.web.wording import field_label

TEMPLATES = Path(__file__).parents[2] / "src" / "clusterbridge" / "web" / "templates"
APP_JS = TEMPLATES.parent / "static" / "app.js"
SHARED = "_form_errors.html"

#: Alert boxes that are no refusal of the user's form, and why they do not take the focus.
NOT_A_REFUSAL = {
    # The error page's reason under its own heading, and the fragment static/app.js puts in
    # its htmx error box (which it scrolls to; the box is the alert).
    "_error.html": "an error page, or the htmx error box",
    # A job's failure, polled by htmx: the poll must not move the focus.
    "jobs/_status.html": "a background job's failure",
}

#: A box of the notice style announced as an alert: what a hand-written refusal looks like.
ALERT_BOX = re.compile(r'<(?:div|p)\b[^>]*class="notice error[^"]*"[^>]*role="alert"')

#: The templates that showed a page-level refusal in a box of their own before the shared one.
FORMER_OWN_BOXES = [
    "account/account.html",
    "account/password.html",
    "admin/users.html",
    "assessments/maturity.html",
    "builder/_refusal.html",
    "builder/page.html",
    "calls/proposal_new.html",
    "calls/rules.html",
    "consortia/_partners.html",
    "consortia/detail.html",
    "evaluation/confirm_publish.html",
    "evaluation/panel.html",
    "evaluation/payments.html",
    "evaluation/proposal.html",
    "evaluation/ranking.html",
    "events/list.html",
    "events/manage.html",
    "exchanges/enrol.html",
    "exchanges/exchange.html",
    "exchanges/new_partnership.html",
    "exchanges/partnership.html",
    "exchanges/problem.html",
    "organisations/_results.html",
    "proposals/detail.html",
]


def _templates() -> list[str]:
    return sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html"))


def test_no_template_writes_a_refusal_box_by_hand() -> None:
    by_hand = {
        name: len(ALERT_BOX.findall((TEMPLATES / name).read_text(encoding="utf-8")))
        for name in _templates()
        if name != SHARED
    }

    assert {name for name, count in by_hand.items() if count} == set(NOT_A_REFUSAL)


def test_the_check_finds_a_box_written_by_hand() -> None:
    written = '<div class="notice error" role="alert" data-testid="page-error"><p>No.</p></div>'
    kept = '<p class="notice error" data-testid="late">Late: 2 days past the due date.</p>'

    assert (len(ALERT_BOX.findall(written)), len(ALERT_BOX.findall(kept))) == (1, 0)


@pytest.mark.parametrize("name", FORMER_OWN_BOXES)
def test_a_page_with_a_page_level_refusal_uses_the_shared_macros(name: str) -> None:
    text = (TEMPLATES / name).read_text(encoding="utf-8")

    assert '{% import "_form_errors.html" as fe %}' in text
    assert re.search(r"fe\.(?:refusal|refused)\(", text), f"{name} shows its refusal by hand"


def _macros() -> Any:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    environment.filters["field_label"] = field_label
    return environment.get_template(SHARED).module


def test_a_refusal_box_takes_the_focus_like_the_summary() -> None:
    fe = _macros()

    box = str(fe.refusal("The event has no slot.", ["Date: enter a date"]))

    assert box == (
        '<div class="notice error" role="alert" tabindex="-1" data-error-summary'
        ' data-testid="page-error"><p><strong>The event has no slot.</strong></p>'
        "<ul><li>Date: enter a date</li></ul></div>"
    )


def test_a_refusal_box_in_a_fragment_swapped_while_typing_leaves_the_focus() -> None:
    fe = _macros()

    box = str(fe.refusal("The search is not valid.", focus=False))

    assert box == (
        '<div class="notice error" role="alert" data-error-summary data-leaves-focus'
        ' data-testid="page-error"><p>The search is not valid.</p></div>'
    )
    # The script that moves the focus skips a box so marked.
    assert (
        'document.querySelector("[data-error-summary]:not([data-focused], [data-leaves-focus])")'
        in APP_JS.read_text(encoding="utf-8")
    )


def test_a_form_refused_as_a_whole_shows_the_box_and_one_with_fields_the_summary() -> None:
    fe = _macros()

    whole = str(fe.refused({"form": "The exchange is closed."}, message_testid="error-form"))
    fields = str(
        fe.refused(
            {"form": "Not saved.", "awarded": "is required"},
            {"awarded": "Grant awarded"},
            ids={"awarded": "awarded-7"},
        )
    )

    assert whole.strip() == (
        '<div class="notice error" role="alert" tabindex="-1" data-error-summary'
        ' data-testid="page-error"><p data-testid="error-form">The exchange is closed.</p></div>'
    )
    assert 'data-testid="refused-summary"' in fields
    assert re.findall(r"<li>(.*?)</li>", fields) == [
        "Not saved.",
        '<a href="#awarded-7-error" data-field="awarded">Grant awarded: is required</a>',
    ]
