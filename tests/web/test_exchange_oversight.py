"""A programme officer's read-only view of the exchanges: the list of every exchange, filtered
by partnership and state and paged, and each exchange's page without a form to change it;
nobody else sees the list or another party's exchange; every exchange page writes its days in
words. Runs on SQLite and PostgreSQL."""

import re
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import Exchange, ExchangeParticipant, ExchangeRequest
from clusterbridge.domain.enums import ExchangeState, RequestState, ValidationState
from tests.exchange_world import PDF, World, add_enrolments, add_exchange, make_world
from tests.factories.overseen_exchanges import add_overseen_exchange
from tests.querycount import count_queries
from tests.web.helpers import csrf_token, signed_in_browsers

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def world(app_state: AppState) -> World:
    return make_world(app_state.database)


@pytest.fixture
def browser(app_state: AppState) -> Iterator[Callable[[str], TestClient]]:
    """A signed-in browser per person."""
    yield from signed_in_browsers(app_state)


def _listed(page: str) -> list[str]:
    return re.findall(r'data-testid="exchange"><a href="/exchanges/\d+">([^<]+)</a>', page)


def test_an_officer_lists_every_exchange_filtered_by_partnership_and_state(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    add_overseen_exchange(app_state.database, world, "Graz visits Braga")
    add_overseen_exchange(
        app_state.database, world, "Aarhus visits Porto", state=ExchangeState.VALIDATED
    )
    add_overseen_exchange(
        app_state.database, world, "Odense visits Faro", monday=11, state=ExchangeState.PAID
    )
    olga = browser("olga@commission.example")

    every = olga.get("/exchanges/all")
    alpine = olga.get(f"/exchanges/all?partnership={world.alpine}")
    atlantic = olga.get(f"/exchanges/all?partnership={world.atlantic}&state=")
    validated = olga.get("/exchanges/all?state=validated")
    nordic_paid = olga.get(f"/exchanges/all?partnership={world.nordic}&state=paid")
    none = olga.get(f"/exchanges/all?partnership={world.alpine}&state=cancelled")

    assert every.status_code == 200
    assert _listed(every.text) == ["Graz visits Braga", "Aarhus visits Porto", "Odense visits Faro"]
    assert 'data-testid="total">3 exchanges<' in every.text
    assert "Nordic CXC → Atlantic CXC" in every.text
    assert "04 November 2024 to 08 November 2024 · " in every.text
    assert _listed(alpine.text) == ["Graz visits Braga"]
    assert f'<option value="{world.alpine}" selected>Alpine CXC</option>' in alpine.text
    assert _listed(atlantic.text) == ["Graz visits Braga", "Aarhus visits Porto"]
    assert _listed(validated.text) == ["Aarhus visits Porto"]
    assert '<option value="validated" selected>Report validated, payment due</option>' in (
        validated.text
    )
    assert _listed(nordic_paid.text) == ["Odense visits Faro"]
    assert (_listed(none.text), 'data-testid="total">0 exchanges<' in none.text) == ([], True)
    assert "No exchange matches these filters." in none.text


def test_the_list_is_read_twenty_at_a_time_and_a_page_past_the_last_says_so(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    for number in range(21):
        add_exchange(
            app_state.database,
            visitor=f"Visitor {number:02}",
            host=f"Host {number:02}",
            visitors_partnership=world.alpine,
            hosts_partnership=world.atlantic,
        )
    olga = browser("olga@commission.example")

    first = olga.get(f"/exchanges/all?partnership={world.alpine}")
    second = olga.get(f"/exchanges/all?partnership={world.alpine}&page=2")
    third = olga.get(f"/exchanges/all?partnership={world.alpine}&page=3")

    assert _listed(first.text) == [f"Visitor {n:02} visits Host {n:02}" for n in range(20)]
    assert "<span>Page 1 of 2</span>" in first.text
    next_page = f"/exchanges/all?partnership={world.alpine}&amp;page=2"
    assert f'<a href="{next_page}" rel="next">Next</a>' in first.text
    assert _listed(second.text) == ["Visitor 20 visits Host 20"]
    assert 'rel="prev">Previous</a>' in second.text
    assert third.status_code == 404
    assert "Page 3 does not exist." in third.text
    assert f'<a href="{next_page}">go to the last page, page 2</a>' in third.text
    assert _listed(third.text) == []


def test_filters_no_list_offers_are_named_with_their_reasons(
    world: World, browser: Callable[[str], TestClient]
) -> None:
    olga = browser("olga@commission.example")

    unreadable = olga.get("/exchanges/all?partnership=alpine&state=lost")
    unknown = olga.get("/exchanges/all?partnership=999999")

    assert unreadable.status_code == 422
    assert re.findall(r'data-testid="error-(\w+)">([^<]*)<', unreadable.text) == [
        ("partnership", "choose a partnership from the list"),
        ("state", "choose a state from the list"),
    ]
    assert unknown.status_code == 422
    assert re.findall(r'data-testid="error-(\w+)">([^<]*)<', unknown.text) == [
        ("partnership", "there is no partnership 999999")
    ]
    # The filter still offers every partnership to choose from.
    assert re.findall(r'<option value="\d+" >([^<]+)</option>', unknown.text) == [
        "Alpine CXC",
        "Atlantic CXC",
        "Nordic CXC",
    ]


def test_an_officer_reads_an_exchange_with_no_form_to_change_it(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    proposed = add_overseen_exchange(app_state.database, world, "Graz visits Braga")
    validated = add_overseen_exchange(
        app_state.database, world, "Aarhus visits Porto", monday=11, state=ExchangeState.VALIDATED
    )
    olga, paula = browser("olga@commission.example"), browser("paula@alpine.example")
    home = olga.get("/exchanges").text

    pages = {i: olga.get(f"/exchanges/{i}") for i in (proposed, validated)}
    evidence = re.findall(rf'href="/exchanges/{validated}/evidence/(\d+)"', pages[validated].text)
    token = csrf_token(olga, "/exchanges")
    attempts = [
        olga.post(f"/exchanges/{proposed}/approve", data={"party": "visitor", "csrf_token": token}),
        olga.post(f"/exchanges/{proposed}/cancel", data={"reason": "No.", "csrf_token": token}),
        olga.post(
            f"/exchanges/{validated}/payment",
            data={"paid_on": "2024-11-30", "amount": "1", "csrf_token": token},
        ),
    ]

    assert (
        '<a href="/exchanges/all" class="button small secondary" data-testid="all-exchanges-link">'
        in home
    )
    for page in pages.values():
        assert page.status_code == 200
        assert re.findall(r'<form method="post" action="/exchanges/[^"]*"', page.text) == []
        assert 'data-testid="reads-only">You read this exchange as a programme officer' in page.text
    assert 'data-testid="due">Due by 25 November 2024.<' in pages[validated].text
    assert olga.get(f"/exchanges/{validated}/evidence/{evidence[0]}").content == PDF
    assert olga.get(f"/exchanges/{proposed}/commitment.pdf").content.startswith(b"%PDF")
    assert [a.status_code for a in attempts] == [403, 403, 403]
    # A member of the partnership still acts on it, and is not told it is read-only.
    own = paula.get(f"/exchanges/{proposed}").text
    assert 'data-testid="approve-visitor_partnership"' in own
    assert 'data-testid="reads-only"' not in own
    assert 'data-testid="all-exchanges-link"' not in paula.get("/exchanges").text


@pytest.mark.parametrize(
    "email",
    ["sam@elsewhere.example", "paula@alpine.example", "eve@events.example"],
    ids=["organisation member", "partnership member", "event organiser"],
)
def test_nobody_but_officers_and_administrators_sees_the_list_or_anothers_exchange(
    app_state: AppState, world: World, browser: Callable[[str], TestClient], email: str
) -> None:
    others = add_overseen_exchange(app_state.database, world, "Aarhus visits Porto")
    person = browser(email)

    listing = person.get("/exchanges/all")
    page = person.get(f"/exchanges/{others}")
    filtered = person.get("/exchanges/all?partnership=abc")

    assert (listing.status_code, page.status_code, filtered.status_code) == (403, 403, 403)
    assert "Aarhus" not in listing.text + page.text + filtered.text
    assert "Only programme officers and administrators see every exchange." in listing.text


def test_an_administrator_sees_the_list_too(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    add_overseen_exchange(app_state.database, world, "Graz visits Braga")

    page = browser("ada@example.org").get("/exchanges/all")

    assert (page.status_code, _listed(page.text)) == (200, ["Graz visits Braga"])


def test_the_list_sends_as_many_queries_for_one_exchange_as_for_three(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    olga = browser("olga@commission.example")
    counts = []
    made = 0
    for total in (1, 3):
        while made < total:
            add_exchange(
                app_state.database,
                visitor=f"Visitor {made}",
                host=f"Host {made}",
                visitors_partnership=world.alpine,
                hosts_partnership=world.atlantic,
                state=ExchangeState.PAID,
            )
            made += 1
        with count_queries(app_state.database.engine) as log:
            page = olga.get("/exchanges/all").text
        assert len(_listed(page)) == total
        counts.append(log.count)

    assert counts[0] == counts[1]


def _post_forms(page: str) -> list[str]:
    return re.findall(r'<form method="post" action="(/exchanges/[^"]*)"', page)


def test_an_officer_reads_a_partnerships_page_and_its_participants_with_no_form(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    enrolled = add_enrolments(app_state.database, world)
    olga = browser("olga@commission.example")

    listing = olga.get("/exchanges/all").text
    alpine = olga.get(f"/exchanges/partnerships/{world.alpine}")
    linz = olga.get(f"/exchanges/participants/{enrolled.linz}")
    braga = olga.get(f"/exchanges/participants/{enrolled.braga}")
    salzburg = olga.get(f"/exchanges/participants/{enrolled.salzburg}")

    assert re.findall(
        r'<a href="/exchanges/partnerships/(\d+)">([^<]+)</a>',
        listing.split('data-testid="partnership-pages"')[1].split("</p>")[0],
    ) == [
        (str(world.alpine), "Alpine CXC"),
        (str(world.atlantic), "Atlantic CXC"),
        (str(world.nordic), "Nordic CXC"),
    ]
    assert alpine.status_code == 200
    assert _post_forms(alpine.text) == []
    assert (
        '<p class="notice" data-testid="reads-only">You read this partnership\'s page as a '
        "programme officer: its members validate its participants and set up, validate and pay "
        f'its exchanges. <a href="/exchanges/all?partnership={world.alpine}">Its exchanges '
        "among all exchanges</a></p>"
    ) in alpine.text
    assert re.findall(r'data-testid="pending" data-organisation="([^"]+)"', alpine.text) == [
        "Salzburg"
    ]
    assert f'<a href="/exchanges/participants/{enrolled.salzburg}"><strong>Salzburg' in (
        alpine.text
    )
    assert "<dt>Exchanges counted for it</dt>" in alpine.text
    assert 'data-testid="run-assignment"' not in alpine.text
    assert 'data-testid="propose"' not in alpine.text
    for page in (linz, braga, salzburg):
        assert page.status_code == 200
        assert _post_forms(page.text) == []
        assert (
            '<p class="notice" data-testid="reads-only">You read this profile as a programme '
            "officer: the participant and its partnership act on it.</p>"
        ) in page.text
    assert '<h2 id="requests-title">Requests to hosts</h2>' in linz.text
    assert re.findall(r'data-testid="suggestion" data-organisation="([^"]+)"', linz.text) == [
        "Braga"
    ]
    assert '<p class="muted">Asked; waiting for the answer.</p>' in linz.text
    assert re.findall(r'data-testid="request" data-state="(\w+)"', braga.text) == ["open"]
    assert f'<a href="/exchanges/partnerships/{world.atlantic}">Atlantic CXC</a>' in braga.text


def test_an_officers_actions_on_a_partnership_are_refused_and_change_nothing(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    enrolled = add_enrolments(app_state.database, world)
    olga = browser("olga@commission.example")
    token = csrf_token(olga, "/exchanges")
    proposal = {
        "visitor_id": str(enrolled.linz),
        "host_id": str(enrolled.braga),
        "start": "2025-01-06",
        "end": "2025-01-10",
        "activity_type": "networking",
        "goals": "Goals.",
        "objectives": "Objectives.",
        "agenda": "Agenda.",
        "csrf_token": token,
    }

    attempts = [
        olga.post(
            f"/exchanges/participants/{enrolled.salzburg}/validate", data={"csrf_token": token}
        ),
        olga.post(
            f"/exchanges/participants/{enrolled.salzburg}/refuse",
            data={"reason": "No.", "csrf_token": token},
        ),
        olga.post(f"/exchanges/partnerships/{world.alpine}/exchanges", data=proposal),
        olga.post(
            f"/exchanges/partnerships/{world.alpine}/assignment",
            data={"method": "stable", "csrf_token": token},
        ),
        olga.post(
            f"/exchanges/requests/{enrolled.request}/accept",
            data={"text": "", "participant_id": str(enrolled.braga), "csrf_token": token},
        ),
        olga.post(
            f"/exchanges/participants/{enrolled.linz}/requests",
            data={"host_id": str(enrolled.braga), "message": "Again.", "csrf_token": token},
        ),
    ]

    assert [a.status_code for a in attempts] == [403, 403, 403, 403, 403, 403]
    with app_state.database.unit_of_work() as session:
        assert session.get_one(ExchangeParticipant, enrolled.salzburg).state is (
            ValidationState.PENDING
        )
        assert session.get_one(ExchangeRequest, enrolled.request).state is RequestState.OPEN
        assert session.scalars(sa.select(sa.func.count()).select_from(Exchange)).one() == 0


@pytest.mark.parametrize(
    "email",
    ["sam@elsewhere.example", "paula@alpine.example", "eve@events.example"],
    ids=["organisation member", "another partnership's member", "event organiser"],
)
def test_nobody_else_reads_a_partnerships_page_or_its_participants(
    app_state: AppState, world: World, browser: Callable[[str], TestClient], email: str
) -> None:
    enrolled = add_enrolments(app_state.database, world)
    person = browser(email)

    atlantic = person.get(f"/exchanges/partnerships/{world.atlantic}")
    braga = person.get(f"/exchanges/participants/{enrolled.braga}")

    assert (atlantic.status_code, braga.status_code) == (403, 403)
    assert (
        "Only the partnership&#39;s members and programme officers may see this "
        "partnership&#39;s page."
    ) in atlantic.text
    assert "Only the participant, its partnership and programme officers see this profile." in (
        braga.text
    )
    assert "May we come?" not in atlantic.text + braga.text


def test_an_administrator_acts_on_a_partnerships_page(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    enrolled = add_enrolments(app_state.database, world)

    page = browser("ada@example.org").get(f"/exchanges/partnerships/{world.alpine}").text

    assert _post_forms(page) == [
        f"/exchanges/participants/{enrolled.salzburg}/validate",
        f"/exchanges/partnerships/{world.alpine}/assignment",
        f"/exchanges/partnerships/{world.alpine}/exchanges",
    ]
    assert 'data-testid="reads-only"' not in page
    assert "<dt>Exchanges counted for you</dt>" in page
