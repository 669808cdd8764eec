"""The pages of authored calls and proposals as an officer and applicants use them: every
mistake of the call form at once, publication, the call's page, a proposal with a document
submitted and its frozen eligibility and partners, and nobody else seeing it. Runs on SQLite and PostgreSQL."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import Proposal
from clusterbridge.domain.enums import Role, UserRole
from clusterbridge.services.consortia import partners
from clusterbridge.services.selection import proposals
from tests.factories.calls import PDF_BYTES, RULES, call_draft, make_call, make_proposal
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user
from tests.querycount import count_queries
from tests.web.helpers import csrf_token, signed_in_browsers
from tests.web.refusals import invalid_fields, summary_items

pytestmark = [pytest.mark.integration, pytest.mark.db]

#: Queries of "My proposals" and of a call's proposals together, whatever the number of
#: proposals: the web session and user of each, the call, and the proposals with what they show
#: and their partners as submitted (one query each list: the API's lists show them), and which
#: of "My proposals"' calls have their selection published (their outcomes).
QUERIES = 10
#: Queries of the call list for an officer: the web session with its user, the published authored
#: calls (the catalogue) and every authored call (the drafts), whatever their number.
LIST_QUERIES = 3

FORM = {
    "identifier": "WEB-CALL-2025",
    "title": "Cluster partnerships",
    "programme": "clusterbridge",
    "summary": "Partnerships between clusters.",
    "kind": "programme",
    "deadline": "2025-03-03T17:00",
    "time_zone": "Europe/Brussels",
    "budget": "1 000 000",
    "max_grant": "400000",
    "max_projects": "3",
    "strands": "1 | Green | 1\n2 | Digital",
    "criteria": "relevance | 30 | 15\nimpact | 20",
    "overall_threshold": "30",
    "tie_break": "uncovered_strand, relevance",
    "on_overflow": "skip",
    "rules": RULES,
}


@dataclass
class World:
    consortium: int
    other_consortium: int


@pytest.fixture
def world(app_state: AppState) -> World:
    with app_state.database.unit_of_work() as session:
        make_user(session, email="olga@example.org", name="Olga", role=UserRole.PROGRAMME_OFFICER)
        anna = make_user(session, email="anna@example.org", name="Anna")
        bruno = make_user(session, email="bruno@example.org", name="Bruno")
        team = make_consortium(session, owner=anna, name="Green Link", call_id=None, strand=None)
        add_partner(session, team, name="Lyon Cluster", country="FR")
        add_partner(session, team, name="Turin Cluster", country="IT")
        other = make_consortium(session, owner=bruno, name="Bruno's", call_id=None, strand=None)
        return World(team.id, other.id)


@pytest.fixture
def browser(app_state: AppState) -> Iterator[Callable[[str], TestClient]]:
    """A signed-in browser per person."""
    yield from signed_in_browsers(app_state)


def _post(client: TestClient, path: str, data: dict[str, str], page: str = "/calls/new") -> str:
    response = client.post(
        path, data=data | {"csrf_token": csrf_token(client, page)}, follow_redirects=False
    )
    return response.headers.get("location", str(response.status_code) + response.text)


def test_the_call_form_shows_every_mistake_at_once(
    browser: Callable[[str], TestClient], world: World
) -> None:
    olga = browser("olga@example.org")
    data = FORM | {
        "identifier": "SMP-COSME-2024-CLUSTER",
        "title": "",
        "budget": "a lot",
        "criteria": "relevance | thirty",
        "tie_break": "impact",
        "deadline": "tomorrow",
    }

    response = olga.post("/calls/new", data=data | {"csrf_token": csrf_token(olga, "/calls/new")})

    text = response.text
    assert response.status_code == 422
    errors = [
        'data-testid="error-identifier">another call already has this identifier',
        'data-testid="error-title">is required',
        'data-testid="error-budget">&#34;a lot&#34; is not an amount in euros, such as EUR 350,000',
        'data-testid="error-deadline">must be a date and time, 2025-03-03T17:00',
        'data-testid="error-criteria">line 1: maximum points: &#34;thirty&#34; is not a number<',
    ]
    assert [e in text for e in errors] == [True] * len(errors)
    assert 'value="SMP-COSME-2024-CLUSTER"' in text


def test_a_deadline_in_the_hour_the_clocks_skip_is_refused_beside_it(
    browser: Callable[[str], TestClient], world: World
) -> None:
    olga = browser("olga@example.org")
    data = FORM | {"deadline": "2027-03-28T02:30", "time_zone": "Europe/Brussels"}

    response = olga.post("/calls/new", data=data | {"csrf_token": csrf_token(olga, "/calls/new")})

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "Deadline: the deadline 2027-03-28 02:30 does not exist in Europe/Brussels: the clocks "
        "go forward that night; choose a time outside the skipped hour"
    ]


def test_the_call_form_names_fields_as_labelled_beside_them(
    browser: Callable[[str], TestClient], world: World
) -> None:
    olga = browser("olga@example.org")
    data = FORM | {
        "criteria": "relevance | 30 | 40\nimpact | 20",
        "overall_threshold": "100",
        "tie_break": "uncovered_strand, nothing",
        "duration_min_months": "40",
        "duration_max_months": "12",
    }

    response = olga.post("/calls/new", data=data | {"csrf_token": csrf_token(olga, "/calls/new")})

    errors = dict(re.findall(r'data-testid="error-([a-z_]+)">([^<]*)</p>', response.text))
    assert response.status_code == 422
    assert errors == {
        "duration_min_months": "is longer than the longest project (12 months)",
        "criteria": "Criterion 1, threshold: must be between 0 and the maximum (30)",
        "overall_threshold": "must be between 0 and 50, the sum of the maxima",
        "tie_break": "Tie-break entry 2: &#34;nothing&#34; is neither uncovered_strand nor a"
        " criterion",
    }


def test_the_call_form_reads_amounts_as_the_pages_print_them(
    browser: Callable[[str], TestClient], world: World
) -> None:
    olga = browser("olga@example.org")
    data = FORM | {"budget": "EUR 1,000,000", "max_grant": "400 000 EUR"}

    saved = _post(olga, "/calls/new", data)
    page = olga.get("/calls/WEB-CALL-2025").text
    form = olga.get("/calls/WEB-CALL-2025/edit").text

    assert saved == "/calls/WEB-CALL-2025/edit"
    assert "<dt>Budget</dt><dd>EUR 1,000,000</dd>" in page
    assert (
        re.findall(r'name="(budget|max_grant)" type="text" inputmode="numeric" value="(\d+)"', form)
    ) == [("budget", "1000000"), ("max_grant", "400000")]


@pytest.mark.parametrize(
    ("budget", "max_grant", "errors"),
    [
        (
            "EUR 12,34,5",
            "EUR 400,000.50",
            {
                "budget": "&#34;EUR 12,34,5&#34; is not an amount in euros, such as EUR 350,000",
                "max_grant": "must be in whole euros, without cents, not &#34;EUR 400,000.50&#34;",
            },
        ),
        ("-5", "EUR 0", {"budget": "must be more than 0", "max_grant": "must be more than 0"}),
        ("EUR 1,000,000,000,000", "", {"budget": "must have at most 12 digits"}),
    ],
)
def test_the_call_form_refuses_amounts_it_cannot_take_beside_the_field(
    browser: Callable[[str], TestClient],
    world: World,
    budget: str,
    max_grant: str,
    errors: dict[str, str],
) -> None:
    olga = browser("olga@example.org")
    data = FORM | {"budget": budget, "max_grant": max_grant}

    response = olga.post("/calls/new", data=data | {"csrf_token": csrf_token(olga, "/calls/new")})

    found = dict(re.findall(r'data-testid="error-([a-z_]+)">([^<]*)</p>', response.text))
    assert (response.status_code, found) == (422, errors)


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"overall_threshold": "1e309"}, {"overall_threshold": "must have at most 100 digits"}),
        (
            {"overall_threshold": "99999999999999999999"},
            {"overall_threshold": "must be between 0 and 50, the sum of the maxima"},
        ),
        (
            {"criteria": "relevance | 1e20 | 20\nimpact | 20"},
            {"criteria": "Criterion 1, maximum points: must be at most 1,000,000"},
        ),
        (
            {"criteria": "relevance | 30 | 99999999999999999999\nimpact | 20"},
            {"criteria": "Criterion 1, threshold: must be between 0 and the maximum (30)"},
        ),
        (
            {"overall_threshold": "1e-400"},
            {
                "overall_threshold": "&#34;1e-400&#34; is too small to store: write 0 or a "
                "number with fewer decimals"
            },
        ),
        (
            {"criteria": "relevance | 30 | 1e-400\nimpact | 20"},
            {
                "criteria": "line 1: threshold: &#34;1e-400&#34; is too small to store: write 0 "
                "or a number with fewer decimals"
            },
        ),
        ({"overall_threshold": "inf"}, {"overall_threshold": "&#34;inf&#34; is not a number"}),
        ({"overall_threshold": "NaN"}, {"overall_threshold": "&#34;NaN&#34; is not a number"}),
        (
            {"overall_threshold": "1e999999999"},
            {"overall_threshold": "must have at most 100 digits"},
        ),
        (
            {"criteria": "relevance | 30 | 1e309\nimpact | 20"},
            {"criteria": "line 1: threshold: must have at most 100 digits"},
        ),
        (
            {"criteria": "impact | inf | 20\nrelevance | 30"},
            {"criteria": "line 1: maximum points: &#34;inf&#34; is not a number"},
        ),
        (
            {"duration_max_months": "99999999999999"},
            {"duration_max_months": "must be at most 10,000"},
        ),
        ({"max_projects": "99999999999999999999"}, {"max_projects": "must be at most 10,000"}),
        (
            {"duration_min_months": "-0", "duration_max_months": "-1"},
            {
                "duration_min_months": "must be more than 0",
                "duration_max_months": "must be more than 0",
            },
        ),
        (
            {"strands": "1 | Green | 99999999999999999999\n2 | Digital"},
            {"strands": "strand 1: its minimum must be at most 10,000"},
        ),
        ({"strands": "1 | Green\n1 | Digital"}, {"strands": "id &#34;1&#34; is used twice"}),
    ],
)
def test_the_call_form_refuses_numbers_it_cannot_take_beside_the_field(
    browser: Callable[[str], TestClient],
    world: World,
    changes: dict[str, str],
    errors: dict[str, str],
) -> None:
    olga = browser("olga@example.org")
    data = FORM | changes

    response = olga.post("/calls/new", data=data | {"csrf_token": csrf_token(olga, "/calls/new")})

    found = dict(re.findall(r'data-testid="error-([a-z_]+)">([^<]*)</p>', response.text))
    assert (response.status_code, found) == (422, errors)


def test_an_officer_sees_a_draft_at_its_address_marked_as_a_draft(
    browser: Callable[[str], TestClient], world: World
) -> None:
    olga = browser("olga@example.org")
    anna = browser("anna@example.org")
    _post(olga, "/calls/new", FORM)

    page = olga.get("/calls/WEB-CALL-2025")
    hidden = anna.get("/calls/WEB-CALL-2025")

    assert page.status_code == 200
    assert (
        '<span class="badge event-draft" data-testid="call-status">Draft</span> Not published:'
        " only programme officers see this page."
    ) in page.text
    assert "<h1>Cluster partnerships</h1>" in page.text
    assert 'data-testid="submit-proposal"' not in page.text
    assert (hidden.status_code, "Cluster partnerships" in hidden.text) == (404, False)


@pytest.mark.parametrize("months", ["48", "1"])
def test_a_proposal_outside_the_calls_duration_is_refused_beside_the_field(
    browser: Callable[[str], TestClient], world: World, app_state: AppState, months: str
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = make_user(session, email="o5@example.org", name="O5", role=UserRole.ADMINISTRATOR)
        identifier = make_call(session, officer=olga, published_at=app_state.clock()).identifier
    anna = browser("anna@example.org")
    page = f"/calls/{identifier}/proposals/new"
    form = {
        "consortium_id": str(world.consortium),
        "acronym": "GREENLINK",
        "title": "Green links",
        "strand": "1",
        "requested_grant": "300000",
        "duration_months": months,
    }

    response = anna.post(page, data=form | {"csrf_token": csrf_token(anna, page)})

    assert response.status_code == 422
    assert (
        'data-testid="error-duration_months">must be between 12 and 36 months for this call</p>'
    ) in response.text


def test_a_new_proposal_starts_with_the_applicants_one_consortium_chosen(
    browser: Callable[[str], TestClient], world: World, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = make_user(session, email="o9@example.org", name="O9", role=UserRole.ADMINISTRATOR)
        identifier = make_call(session, officer=olga, published_at=app_state.clock()).identifier

    form = browser("anna@example.org").get(f"/calls/{identifier}/proposals/new").text

    assert re.findall(r'<option value="(\d+)" ([a-z]*)>Green Link</option>', form) == [
        (str(world.consortium), "selected")
    ]


def test_a_proposal_summary_of_the_limits_length_is_saved_whole_and_a_longer_one_kept(
    browser: Callable[[str], TestClient], world: World, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = make_user(session, email="o6@example.org", name="O6", role=UserRole.ADMINISTRATOR)
        identifier = make_call(session, officer=olga, published_at=app_state.clock()).identifier
    anna = browser("anna@example.org")
    page = f"/calls/{identifier}/proposals/new"
    form = {"consortium_id": str(world.consortium), "acronym": "GREENLINK", "title": "Green links",
            "strand": "1", "requested_grant": "300000", "duration_months": "24"}  # fmt: skip
    long, whole = "s" * (proposals.MAX_SUMMARY + 1), "s" * proposals.MAX_SUMMARY

    shown = anna.get(page).text
    refused = anna.post(page, data=form | {"summary": long, "csrf_token": csrf_token(anna, page)})
    saved = anna.post(
        page,
        data=form | {"summary": whole, "csrf_token": csrf_token(anna, page)},
        follow_redirects=False,
    )

    assert '<textarea id="summary" name="summary" rows="4" >' in shown
    assert refused.status_code == 422
    assert summary_items(refused.text) == ["Summary: must be at most 8,000 characters, not 8,001"]
    assert invalid_fields(refused.text) == [
        ("summary", "must be at most 8,000 characters, not 8,001")
    ]
    assert f'aria-describedby="summary-error">{long}</textarea>' in refused.text
    assert saved.status_code == 303
    with app_state.database.unit_of_work() as session:
        assert session.scalars(sa.select(Proposal.summary)).all() == [whole]


@pytest.mark.parametrize(
    ("grant", "status", "error"),
    [
        ("EUR 350,000", 303, None),
        ("350 000 EUR", 303, None),
        ("EUR 350,000.00", 303, None),
        (
            "EUR 12,34,5",
            422,
            "&#34;EUR 12,34,5&#34; is not an amount in euros, such as EUR 350,000",
        ),
        (
            "EUR 350,000.50",
            422,
            "must be in whole euros, without cents, not &#34;EUR 350,000.50&#34;",
        ),
        ("-5", 422, "must be an amount in euros over 0"),
    ],
)
def test_a_proposal_reads_its_requested_grant_as_the_pages_print_it(
    browser: Callable[[str], TestClient],
    world: World,
    app_state: AppState,
    grant: str,
    status: int,
    error: str | None,
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = make_user(session, email="o7@example.org", name="O7", role=UserRole.ADMINISTRATOR)
        identifier = make_call(session, officer=olga, published_at=app_state.clock()).identifier
    anna = browser("anna@example.org")
    page = f"/calls/{identifier}/proposals/new"
    form = {
        "consortium_id": str(world.consortium),
        "acronym": "GREENLINK",
        "title": "Green links",
        "strand": "1",
        "requested_grant": grant,
        "duration_months": "24",
    }

    response = anna.post(
        page, data=form | {"csrf_token": csrf_token(anna, page)}, follow_redirects=False
    )

    errors = dict(re.findall(r'data-testid="error-([a-z_]+)">([^<]*)</p>', response.text))
    assert (response.status_code, errors) == (
        status,
        {} if error is None else {"requested_grant": error},
    )
    if error is None:
        assert "EUR 350,000" in anna.get(response.headers["location"]).text


def test_the_proposal_page_counts_its_months(
    browser: Callable[[str], TestClient], app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = make_user(session, email="o6@example.org", name="O6", role=UserRole.ADMINISTRATOR)
        call = make_call(session, officer=olga, published_at=app_state.clock())
        anna = make_user(session, email="anna6@example.org", name="Anna Six")
        team = make_consortium(session, owner=anna, call_id=None, strand=None)
        proposal = make_proposal(
            session, call=call, applicant=anna, consortium=team, duration_months=1
        )
        path = f"/proposals/{proposal.id}"

    page = browser("anna6@example.org").get(path).text

    assert '<dt>Duration</dt><dd data-testid="proposal-duration">1 month</dd>' in page


def test_a_programme_calls_page_says_its_largest_grant_per_project(
    browser: Callable[[str], TestClient], app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = make_user(session, email="o8@example.org", name="O8", role=UserRole.ADMINISTRATOR)
        identifier = make_call(session, officer=olga, published_at=app_state.clock()).identifier

    page = browser("o8@example.org").get(f"/calls/{identifier}").text

    assert '<dt>Grant per project</dt><dd data-testid="call-grant">up to EUR 400,000</dd>' in page


def test_the_proposal_page_names_its_strand_by_its_title(
    browser: Callable[[str], TestClient], app_state: AppState
) -> None:
    # The walk of 2026-12-08: the page said "Strand 1", the call's code for it.
    with app_state.database.unit_of_work() as session:
        olga = make_user(session, email="o7@example.org", name="O7", role=UserRole.ADMINISTRATOR)
        call = make_call(session, officer=olga, published_at=app_state.clock())
        anna = make_user(session, email="anna7@example.org", name="Anna Seven")
        team = make_consortium(session, owner=anna, call_id=None, strand=None)
        proposal = make_proposal(session, call=call, applicant=anna, consortium=team, strand="2")
        path = f"/proposals/{proposal.id}"

    page = browser("anna7@example.org").get(path).text

    assert '<dt>Strand</dt><dd data-testid="proposal-strand">2: Digital</dd>' in page


def test_an_officer_writes_publishes_and_the_call_page_invites_proposals(
    browser: Callable[[str], TestClient], world: World
) -> None:
    olga = browser("olga@example.org")
    anna = browser("anna@example.org")

    created = _post(olga, "/calls/new", FORM)
    draft_page = olga.get("/calls/WEB-CALL-2025/edit").text
    hidden = anna.get("/calls/WEB-CALL-2025")
    published = _post(olga, "/calls/WEB-CALL-2025/publish", {}, "/calls/WEB-CALL-2025/edit")
    page = anna.get("/calls/WEB-CALL-2025").text

    assert created == "/calls/WEB-CALL-2025/edit"
    assert "Draft: only programme officers see it" in draft_page
    assert hidden.status_code == 404
    assert published == "/calls/WEB-CALL-2025"
    assert 'href="/calls/WEB-CALL-2025/proposals/new" data-testid="submit-proposal"' in page
    assert "Proposals received" not in page
    assert "03 March 2025, 17:00 CET" in page


def test_an_applicant_submits_a_proposal_and_sees_its_frozen_eligibility(
    browser: Callable[[str], TestClient], world: World, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = make_user(session, email="o2@example.org", name="O2", role=UserRole.ADMINISTRATOR)
        call = make_call(session, officer=olga, published_at=app_state.clock())
        identifier = call.identifier
    anna = browser("anna@example.org")
    form = {
        "consortium_id": str(world.consortium),
        "acronym": "GREENLINK",
        "title": "Green links",
        "strand": "1",
        "requested_grant": "300000",
        "duration_months": "24",
    }

    location = _post(
        anna, f"/calls/{identifier}/proposals/new", form, f"/calls/{identifier}/proposals/new"
    )
    token = csrf_token(anna, location)
    anna.post(
        f"{location}/documents",
        data={"csrf_token": token},
        files={"documents": ("annex.pdf", PDF_BYTES, "application/pdf")},
    )
    anna.post(f"{location}/submit", data={"csrf_token": token})
    page = anna.get(location).text
    mine = anna.get("/proposals").text

    assert location.startswith("/proposals/")
    assert 'data-testid="proposal-state">Submitted</span>' in page
    assert 'data-testid="frozen-verdict">Eligible</strong>' in page
    assert f'annex.pdf</a> <span class="muted">({len(PDF_BYTES)} bytes)</span>' in page
    assert "(checked 01 December 2024, 10:00 (Europe/Brussels); later changes" in page
    assert "03 March 2025, 17:00</time> (Europe/Brussels)" in page
    assert 'data-testid="proposal-state">Submitted</td>' in mine


def _items(page: str, testid: str) -> list[str]:
    """The text of each ``<li>`` of the list with this ``data-testid``, tags left out."""
    found = re.search(rf'data-testid="{testid}">(.*?)</ol>', page, re.S)
    assert found is not None
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


def test_the_proposal_page_lists_the_partners_as_submitted(
    browser: Callable[[str], TestClient], app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        officer = make_user(session, email="o4@example.org", name="O4", role=UserRole.ADMINISTRATOR)
        call = make_call(session, officer=officer, published_at=app_state.clock())
        anna = make_user(session, email="anna4@example.org", name="Anna Four")
        delta = make_organisation(session, name="Delta BV", country="NL", nuts=None)
        team = make_consortium(session, owner=anna, name="Green Link", call_id=None, strand=None)
        partners.add_registry_partner(
            session, anna, team.id, delta.id, changes={"role": Role.COORDINATOR}
        )
        turin = add_partner(session, team, name="Turin Cluster", country="IT")
        proposal = make_proposal(session, call=call, applicant=anna, consortium=team)
        proposals.submit_proposal(session, anna, proposal.id, now=app_state.clock())
        partners.remove_partner(session, anna, team.id, turin.id)
        add_partner(session, team, name="Added Later", country="AT")
        path, team_id, delta_id = f"/proposals/{proposal.id}", team.id, delta.id
    olga = browser("o4@example.org")

    page = olga.get(path).text

    assert _items(page, "submitted-partners") == [
        "Delta BV (NL) · Coordinator",
        "Turin Cluster (IT) · Beneficiary",
    ]
    assert f'<a href="/organisations/{delta_id}">Delta BV</a>' in page
    assert (
        '<dt>Consortium now</dt><dd data-testid="consortium-now">'
        f'<a href="/consortia/{team_id}">Green Link</a></dd>'
    ) in page


def test_another_user_gets_404_for_a_proposal_and_its_document(
    browser: Callable[[str], TestClient], world: World, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = make_user(session, email="o3@example.org", name="O3", role=UserRole.ADMINISTRATOR)
        call = make_call(session, officer=olga, published_at=app_state.clock())
        anna_row = make_user(session, email="anna2@example.org", name="Anna Two")
        team = make_consortium(session, owner=anna_row, call_id=None, strand=None)
        proposal = make_proposal(session, call=call, applicant=anna_row, consortium=team)
        path, document = f"/proposals/{proposal.id}", proposal.documents[0].id
    bruno = browser("bruno@example.org")
    officer = browser("o3@example.org")

    answers = [
        bruno.get(path).status_code,
        bruno.get(f"{path}/documents/{document}").status_code,
        bruno.get(f"/calls/{call.identifier}/proposals").status_code,
    ]

    assert answers == [404, 404, 403]
    assert "GREENLINK" not in bruno.get("/proposals").text
    assert officer.get(path).status_code == 200
    assert officer.get(f"{path}/documents/{document}").content == PDF_BYTES


@pytest.mark.parametrize("count", [1, 3])
def test_my_proposals_and_a_calls_proposals_take_the_same_queries_for_1_and_3(
    count: int, browser: Callable[[str], TestClient], app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        officer = make_user(
            session, email="q@example.org", name="Q", role=UserRole.PROGRAMME_OFFICER
        )
        applicant = make_user(session, email="a@example.org", name="A")
        call = make_call(
            session, officer=officer, draft=call_draft(), published_at=app_state.clock()
        )
        team = make_consortium(session, owner=applicant, call_id=None, strand=None)
        for n in range(count):
            make_proposal(session, call=call, applicant=applicant, consortium=team, acronym=f"P{n}")
    a = browser("a@example.org")
    q = browser("q@example.org")

    with count_queries(app_state.database.engine) as log:
        mine = a.get("/proposals").text
        theirs = q.get("/calls/TEST-OPEN-2025/proposals").text

    assert (mine.count("/proposals/"), theirs.count('<a href="/proposals/')) == (count, count)
    assert log.count == QUERIES


def test_a_draft_proposal_is_changed_with_every_mistake_named(
    browser: Callable[[str], TestClient], world: World, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = make_user(session, email="o4@example.org", name="O4", role=UserRole.ADMINISTRATOR)
        call = make_call(session, officer=olga, published_at=app_state.clock())
        anna_row = make_user(session, email="anna4@example.org", name="Anna Four")
        team = make_consortium(session, owner=anna_row, call_id=None, strand=None)
        path = f"/proposals/{make_proposal(session, call=call, applicant=anna_row, consortium=team).id}"
        consortium = team.id
    anna = browser("anna4@example.org")
    form = {
        "consortium_id": str(consortium),
        "acronym": "GREENER",
        "title": "Greener links",
        "strand": "2",
        "requested_grant": "500000",
        "duration_months": "many",
    }

    bad = anna.post(f"{path}/edit", data=form | {"csrf_token": csrf_token(anna, f"{path}/edit")})
    good = _post(
        anna,
        f"{path}/edit",
        form | {"requested_grant": "350000", "duration_months": "30"},
        f"{path}/edit",
    )
    page = anna.get(path).text

    assert bad.status_code == 422
    assert 'data-testid="error-duration_months">&#34;many&#34; is not a whole number' in bad.text
    assert 'value="GREENER"' in bad.text
    assert good == path
    assert ("GREENER: Greener links" in page, "EUR 350,000" in page, "30 months" in page) == (
        True,
        True,
        True,
    )


@pytest.mark.parametrize("count", [1, 3])
def test_the_call_list_takes_the_same_queries_for_1_and_3_authored_calls(
    count: int, browser: Callable[[str], TestClient], app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        officer = make_user(
            session, email="l@example.org", name="L", role=UserRole.PROGRAMME_OFFICER
        )
        for n in range(count):
            make_call(session, officer=officer, draft=call_draft(identifier=f"PUB-{n}"),
                      published_at=app_state.clock())  # fmt: skip
            make_call(session, officer=officer, draft=call_draft(identifier=f"DRAFT-{n}"))
    officer_browser = browser("l@example.org")

    with count_queries(app_state.database.engine) as log:
        text = officer_browser.get("/calls").text

    assert (text.count('<a href="/calls/PUB-'), text.count('<a href="/calls/DRAFT-')) == (
        count,
        count,
    )
    assert log.count == LIST_QUERIES


def test_a_cleared_programme_or_rules_is_refused_not_replaced_by_the_example(
    browser: Callable[[str], TestClient], world: World
) -> None:
    olga = browser("olga@example.org")
    blank = olga.get("/calls/new").text
    assert 'name="programme" type="text" maxlength="300" value="clusterbridge"' in blank
    assert "[documents]" in blank

    response = olga.post(
        "/calls/new",
        data=FORM | {"programme": "", "rules": "", "csrf_token": csrf_token(olga, "/calls/new")},
    )

    assert response.status_code == 422
    assert re.findall(r'data-testid="error-(\w+)">([^<]*)<', response.text) == [
        ("programme", "is required"),
        (
            "rules",
            "add a [documents] table naming the texts the rules quote, e.g. call = &#34;...&#34;",
        ),
    ]
    assert _post(olga, "/calls/new", FORM).endswith("/edit")


def test_a_call_for_smes_whose_rules_need_partners_is_refused_beside_the_rules(
    browser: Callable[[str], TestClient], world: World
) -> None:
    olga = browser("olga@example.org")
    data = FORM | {"kind": "cascade"}

    response = olga.post("/calls/new", data=data | {"csrf_token": csrf_token(olga, "/calls/new")})

    never = (
        "an SME applies alone to a call for SMEs, so a minimum of 2 is never met and every "
        "application would be ineligible: ask for 1, remove the rule, or make it a warning "
        "(on_fail = &#34;warning&#34;)"
    )
    errors = dict(re.findall(r'data-testid="error-([a-z_]+)">([^<]*)</p>', response.text))
    assert response.status_code == 422
    assert errors == {
        "rules": f"rules[1] (id &#34;two-partners&#34;): {never}; "
        f"rules[2] (id &#34;two-countries&#34;): {never}"
    }
    assert olga.get("/calls/WEB-CALL-2025/edit").status_code == 404


def test_every_mistake_is_named_even_when_two_fields_share_its_words(
    browser: Callable[[str], TestClient], world: World
) -> None:
    olga = browser("olga@example.org")
    data = FORM | {
        "budget": "-5",
        "max_grant": "",
        "criteria": "relevance | 30 | 15\nimpact | -20",
        "strands": f"{'g' * 41} | Green | 1",
    }

    response = olga.post("/calls/new", data=data | {"csrf_token": csrf_token(olga, "/calls/new")})

    errors = dict(re.findall(r'data-testid="error-([a-z_]+)">([^<]*)</p>', response.text))
    assert response.status_code == 422
    assert errors == {
        "strands": "strand 1: its id must be at most 40 characters, not 41",
        "budget": "must be more than 0",
        "criteria": "Criterion 2, maximum points: must be more than 0",
    }
