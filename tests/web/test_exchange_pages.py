"""The exchange pages from enrolment to payment, as four people use them with their browsers;
mistakes keep what was typed and say why. Runs on SQLite and PostgreSQL."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from pydantic import ValidationError

from clusterbridge.api.schemas.exchanges import EnrolmentCreate
from clusterbridge.api.state import AppState
from clusterbridge.db.models import (
    Exchange,
    ExchangeEvidence,
    ExchangeParticipant,
    ExchangePartnership,
    ExchangeRequest,
    User,
)
from clusterbridge.domain.enums import (
    ActivityType,
    ExchangeRole,
    ExchangeState,
    OrganisationKind,
    RequestState,
    UserRole,
)
from clusterbridge.domain.money import format_euros
from clusterbridge.engines.exchanges import load_programme
from clusterbridge.services.exchanges import (
    MAX_TEXT,
    Enrolment,
    ExchangeNotifier,
    Proposal,
    create_partnership,
    decide_enrolment,
    enrol,
    propose_exchange,
    set_preferences,
)
from clusterbridge.services.exchanges.enrolment import MAX_CAPACITY
from clusterbridge.services.mail import FileMailer
from tests.conftest import NOW, Clock
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.querycount import count_queries
from tests.web.helpers import csrf_token, signed_in_browsers
from tests.web.refusals import invalid_fields, summary_items

pytestmark = [pytest.mark.integration, pytest.mark.db]

PDF = b"%PDF-1.4\n% a boarding pass\n"
#: When the stays of 4 to 8 November 2024 are set up: a week before (the app's clock reads NOW).
SET_UP = datetime(2024, 10, 28, 9, 0, tzinfo=UTC)


@dataclass
class World:
    munich: int
    porto: int
    alpine: int
    atlantic: int


@pytest.fixture
def world(app_state: AppState) -> World:
    with app_state.database.unit_of_work() as session:
        admin = make_user(session, email="ada@example.org", name="Ada", role=UserRole.ADMINISTRATOR)
        vera = make_user(session, email="vera@munich.example", name="Vera")
        hugo = make_user(session, email="hugo@porto.example", name="Hugo")
        paula = make_user(session, email="paula@alpine.example", name="Paula")
        pedro = make_user(session, email="pedro@atlantic.example", name="Pedro")
        munich = make_organisation(session, name="Munich Cluster", country="DE")
        porto = make_organisation(session, name="Porto Cluster", country="PT", nuts=None)
        add_member(session, munich, vera)
        add_member(session, porto, hugo)
        alpine = create_partnership(
            session, admin, name="Alpine CXC", country="AT", members=[paula]
        )
        atlantic = create_partnership(
            session, admin, name="Atlantic CXC", country="PT", members=[pedro]
        )
        return World(munich.id, porto.id, alpine.id, atlantic.id)


@pytest.fixture
def browser(app_state: AppState) -> Iterator[Callable[[str], TestClient]]:
    """A signed-in browser per person."""
    yield from signed_in_browsers(app_state)


def _post(
    client: TestClient, url: str, data: dict[str, object], page: str, **kwargs: object
) -> object:
    response = client.post(
        url, data={**data, "csrf_token": csrf_token(client, page)}, follow_redirects=False, **kwargs
    )  # type: ignore[arg-type]
    return response


def test_enrolment_texts_have_the_apis_limit_and_a_longer_one_is_refused_beside_it(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    vera = browser("vera@munich.example")
    enrolment = {
        "organisation_id": str(world.munich),
        "partnership_id": str(world.alpine),
        "role": "visitor",
        "kind": "cluster_organisation",
        "place": "Munich, DE",
        "activity_types": ["networking"],
    }

    form = vera.get("/exchanges/enrol").text
    too_long = _post(
        vera, "/exchanges/enrol", {**enrolment, "motivation": "m" * 9000}, "/exchanges/enrol"
    )
    done = _post(
        vera, "/exchanges/enrol", {**enrolment, "motivation": "m" * MAX_TEXT}, "/exchanges/enrol"
    )

    assert MAX_TEXT == 8000
    # No maxlength: a browser cuts a longer paste silently; the server refuses it in words.
    assert re.findall(r'<textarea id="(\w+)" name="\w+" rows="\d" ?>', form) == [
        "motivation",
        "host_exception",
    ]
    assert too_long.status_code == 422
    assert re.findall(r'data-testid="error-(\w+)">([^<]*)<', too_long.text) == [
        ("motivation", "must be at most 8,000 characters, not 9,000")
    ]
    assert 'aria-invalid="true" aria-describedby="motivation-error"' in too_long.text
    assert done.status_code == 303
    with app_state.database.unit_of_work() as session:
        saved = session.scalars(sa.select(ExchangeParticipant.motivation)).all()
    assert [len(m) for m in saved] == [MAX_TEXT]


def test_exchange_pages_from_enrolment_to_payment(
    world: World, browser: Callable[[str], TestClient], clock: Clock
) -> None:
    vera, hugo = browser("vera@munich.example"), browser("hugo@porto.example")
    paula, pedro = browser("paula@alpine.example"), browser("pedro@atlantic.example")
    enrolment = {
        "organisation_id": str(world.munich),
        "partnership_id": str(world.alpine),
        "role": "visitor",
        "kind": "cluster_organisation",
        "place": "Munich, DE",
        "motivation": "",
        "activity_types": ["networking"],
    }

    wrong = _post(vera, "/exchanges/enrol", enrolment, "/exchanges/enrol")
    assert wrong.status_code == 422
    assert 'data-testid="error-motivation">is required<' in wrong.text
    negative = _post(
        vera,
        "/exchanges/enrol",
        {**enrolment, "motivation": "Learn.", "capacity": "-2"},
        "/exchanges/enrol",
    )
    assert negative.status_code == 422
    assert re.findall(r'data-testid="error-(\w+)">([^<]*)<', negative.text) == [
        ("capacity", "must be between 0 and 50")
    ]
    assert 'value="Munich, DE"' in wrong.text
    done = _post(
        vera, "/exchanges/enrol", {**enrolment, "motivation": "Learn."}, "/exchanges/enrol"
    )
    assert (done.status_code, done.headers["location"].startswith("/exchanges?enrolled=")) == (
        303,
        True,
    )
    _post(
        hugo,
        "/exchanges/enrol",
        {
            "organisation_id": str(world.porto),
            "partnership_id": str(world.atlantic),
            "role": "host",
            "kind": "sme",
            "cluster_member": "yes",
            "place": "Porto, PT",
            "motivation": "Show.",
            "activity_types": ["networking"],
            "capacity": "2",
        },
        "/exchanges/enrol",
    )

    queue = paula.get(f"/exchanges/partnerships/{world.alpine}").text
    [visitor_id] = re.findall(r'action="/exchanges/participants/(\d+)/validate"', queue)
    assert (
        _post(paula, f"/exchanges/participants/{visitor_id}/validate", {}, "/exchanges").status_code
        == 303
    )
    [host_id] = re.findall(
        r'action="/exchanges/participants/(\d+)/validate"',
        pedro.get(f"/exchanges/partnerships/{world.atlantic}").text,
    )
    _post(pedro, f"/exchanges/participants/{host_id}/validate", {}, "/exchanges")

    proposal = {
        "visitor_id": visitor_id,
        "host_id": host_id,
        "start": "2024-11-04",
        "end": "2024-11-05",
        "activity_type": "networking",
        "goals": "g",
        "objectives": "o",
        "agenda": "a",
    }
    # Set up a week before the stay; the rest happens after it, at the app's usual time.
    clock.now = SET_UP
    short = _post(
        paula, f"/exchanges/partnerships/{world.alpine}/exchanges", proposal, "/exchanges"
    )
    assert short.status_code == 422
    assert re.findall(r'data-testid="error-(\w+)">([^<]*)<', short.text) == [
        ("end", "the stay has 2 working days; the programme asks for at least 3")
    ]
    made = _post(
        paula,
        f"/exchanges/partnerships/{world.alpine}/exchanges",
        {**proposal, "end": "2024-11-08"},
        "/exchanges",
    )
    page = made.headers["location"]
    clock.now = NOW
    assert 'data-testid="lump-sum">EUR 780<' in paula.get(page).text

    for client, party in (
        (vera, "visitor"),
        (hugo, "host"),
        (paula, "visitor_partnership"),
        (pedro, "host_partnership"),
    ):
        assert _post(client, f"{page}/approve", {"party": party}, page).status_code == 303
    assert 'data-testid="state">Confirmed<' in vera.get(page).text
    assert vera.get(f"{page}/commitment.pdf").content.startswith(b"%PDF")
    # The page's button renders it in a job (the address above stays for scripts).
    exchange_id = page.rsplit("/", 1)[1]
    assert f'form="document-commitment-{exchange_id}"' in vera.get(page).text

    bad = vera.post(
        f"{page}/report",
        data={"text": "Done.", "csrf_token": csrf_token(vera, page)},
        files=[("evidence", ("notes.txt", b"hello", "text/plain"))],
    )
    assert bad.status_code == 422
    assert "notes.txt: must be a PDF, JPEG or PNG file" in bad.text
    sent = vera.post(
        f"{page}/report",
        data={"text": "Done.", "csrf_token": csrf_token(vera, page)},
        files=[("evidence", ("pass.pdf", PDF, "application/pdf"))],
        follow_redirects=False,
    )
    assert sent.status_code == 303
    _post(paula, f"{page}/validate", {}, page)
    validated = paula.get(page).text
    assert 'data-testid="due">Due by 11 December 2024.<' in validated
    [file_id] = re.findall(rf'href="{page}/evidence/(\d+)">pass.pdf</a> \(27 bytes\)', validated)
    assert paula.get(f"{page}/evidence/{file_id}").content == PDF
    assert 'inputmode="decimal" value="780" >' in validated
    # An amount as the pages print it is read back: "EUR 1,100" is 1,100 (not 1.1), refused.
    wrong = _post(
        paula,
        f"{page}/payment",
        {"paid_on": "2024-12-01", "amount": "EUR 1,100", "reference": "SEPA 7"},
        page,
    )
    assert wrong.status_code == 422
    assert "must be the lump sum, EUR 780</p>" in wrong.text
    paid = _post(
        paula,
        f"{page}/payment",
        {"paid_on": "2024-12-01", "amount": "EUR 780.00", "reference": "SEPA 7"},
        page,
    )
    assert paid.status_code == 303

    assert "Paid EUR 780 on 01 December 2024 (SEPA 7)." in vera.get(page).text
    board = paula.get(f"/exchanges/partnerships/{world.alpine}").text
    assert 'data-testid="paid">EUR 780<' in board
    assert "04 November 2024 to 08 November 2024 · EUR 780 · " in board
    assert "Munich Cluster visits Porto Cluster" in vera.get("/exchanges").text


def test_enrolment_names_every_bad_field_at_once_and_keeps_what_was_typed(
    world: World, browser: Callable[[str], TestClient]
) -> None:
    vera = browser("vera@munich.example")

    response = _post(
        vera,
        "/exchanges/enrol",
        {
            "partnership_id": str(world.alpine),
            "role": "visitor",
            "kind": "cluster_organisation",
            "motivation": "",
            "preferred_countries": "AT, Atlantis",
            "available_from": "someday",
            "place": "Munich, DE",
        },
        "/exchanges/enrol",
    )

    assert response.status_code == 422
    text = response.text
    assert re.findall(r'data-testid="error-([a-z_]+)">([^<]+)<', text) == [
        ("organisation_id", "choose an organisation"),
        ("motivation", "is required"),
        ("activity_types", "choose at least one"),
        (
            "preferred_countries",
            "&#34;Atlantis&#34; is not a known country; give its English name or its ISO 3166 or EU code, such as Germany, DE, EL or UK",
        ),
        ("available_from", "give a date (year-month-day)"),
    ]
    assert 'value="AT, Atlantis"' in text
    assert 'value="Munich, DE"' in text


def test_a_stranger_cannot_see_a_partnership(
    world: World, browser: Callable[[str], TestClient]
) -> None:
    response = browser("vera@munich.example").get(f"/exchanges/partnerships/{world.alpine}")

    assert response.status_code == 403


def test_exchange_list_pages_send_as_many_queries_for_one_item_as_for_three(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    ada = browser("ada@example.org")
    counts = []
    made = 0
    for total in (1, 3):
        with app_state.database.unit_of_work() as session:
            admin = session.scalars(sa.select(User).where(User.email == "ada@example.org")).one()
            while made < total:
                organisation = make_organisation(
                    session, name=f"Cluster {made}", country="FR", nuts=None
                )
                form = Enrolment(
                    organisation_id=organisation.id,
                    partnership_id=world.alpine,
                    role=ExchangeRole.VISITOR,
                    kind=OrganisationKind.CLUSTER_ORGANISATION,
                    cluster_member=None,
                    motivation="x",
                    activity_types=(ActivityType.NETWORKING,),
                    place="48.85,2.35",
                )
                enrol(
                    session,
                    admin,
                    form,
                    programme=load_programme(),
                    notifier=ExchangeNotifier(
                        FileMailer(Path(app_state.settings.resolved_mail_dir()), "x@example.org"),
                        "http://x",
                    ),
                )
                made += 1
        with count_queries(app_state.database.engine) as log:
            board = ada.get(f"/exchanges/partnerships/{world.alpine}").text
            home = ada.get("/exchanges").text
        assert (
            board.count('data-testid="pending"'),
            home.count('data-testid="enrolment-state"'),
        ) == (total, total)
        counts.append(log.count)

    assert counts[0] == counts[1]


def test_partnership_runs_the_assignment_on_its_page(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    notifier = ExchangeNotifier(
        FileMailer(app_state.settings.resolved_mail_dir(), "x@example.org"), "http://x"
    )
    with app_state.database.unit_of_work() as session:
        admin = session.scalars(sa.select(User).where(User.email == "ada@example.org")).one()
        ids = {}
        for name, country, partnership, role in (
            ("Berlin Cluster", "DE", world.alpine, ExchangeRole.VISITOR),
            ("Lyon Cluster", "FR", world.alpine, ExchangeRole.VISITOR),
            ("Braga Cluster", "PT", world.atlantic, ExchangeRole.HOST),
        ):
            organisation = make_organisation(session, name=name, country=country, nuts=None)
            form = Enrolment(
                organisation_id=organisation.id,
                partnership_id=partnership,
                role=role,
                kind=OrganisationKind.CLUSTER_ORGANISATION,
                cluster_member=None,
                motivation="m",
                activity_types=(ActivityType.NETWORKING,),
                place="45.0,5.0" if role is ExchangeRole.VISITOR else "41.5,-8.4",
            )
            participant = enrol(session, admin, form, programme=load_programme(), notifier=notifier)
            decide_enrolment(
                session,
                admin,
                participant.id,
                approve=True,
                reason="",
                now=NOW,
                programme=load_programme(),
                notifier=notifier,
            )
            ids[name] = participant.id
        for name in ("Berlin Cluster", "Lyon Cluster"):
            set_preferences(session, admin, ids[name], [ids["Braga Cluster"]])
        set_preferences(
            session, admin, ids["Braga Cluster"], [ids["Lyon Cluster"], ids["Berlin Cluster"]]
        )
    paula = browser("paula@alpine.example")
    page = f"/exchanges/partnerships/{world.alpine}"

    response = paula.post(
        f"{page}/assignment", data={"method": "stable", "csrf_token": csrf_token(paula, page)}
    )

    assert response.status_code == 200
    assert "<li>Lyon Cluster visits Braga Cluster</li>" in response.text
    assert "Without a host: Berlin Cluster" in response.text
    assert (
        'data-testid="blocking">Visitor and host pairs who would rather be together: 0<'
        in response.text
    )


def _validated(
    session: sa.orm.Session,
    admin: User,
    *,
    name: str,
    country: str,
    partnership: int,
    role: ExchangeRole,
    notifier: ExchangeNotifier,
    contact: User | None = None,
    countries: tuple[str, ...] = (),
) -> int:
    organisation = make_organisation(session, name=name, country=country, nuts=None)
    if contact is not None:
        add_member(session, organisation, contact)
    form = Enrolment(
        organisation_id=organisation.id,
        partnership_id=partnership,
        role=role,
        kind=OrganisationKind.CLUSTER_ORGANISATION,
        cluster_member=None,
        motivation="m",
        activity_types=(ActivityType.NETWORKING,),
        preferred_countries=countries,
        place="45.0,5.0",
    )
    participant = enrol(
        session, contact or admin, form, programme=load_programme(), notifier=notifier
    )
    decide_enrolment(
        session,
        admin,
        participant.id,
        approve=True,
        reason="",
        now=NOW,
        programme=load_programme(),
        notifier=notifier,
    )
    return participant.id


def test_participant_page_shows_the_catalogue_with_reasons(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    notifier = ExchangeNotifier(
        FileMailer(app_state.settings.resolved_mail_dir(), "x@example.org"), "http://x"
    )
    with app_state.database.unit_of_work() as session:
        users = {u.email: u for u in session.scalars(sa.select(User))}
        admin, vera = users["ada@example.org"], users["vera@munich.example"]
        visitor = _validated(
            session,
            admin,
            name="Berlin Cluster",
            country="DE",
            partnership=world.alpine,
            role=ExchangeRole.VISITOR,
            notifier=notifier,
            contact=vera,
            countries=("PT",),
        )
        for name, country in (("Lyon Cluster", "FR"), ("Braga Cluster", "PT")):
            _validated(
                session,
                admin,
                name=name,
                country=country,
                partnership=world.atlantic,
                role=ExchangeRole.HOST,
                notifier=notifier,
            )
    page = f"/exchanges/participants/{visitor}"

    mine = browser("vera@munich.example").get(page)
    stranger = browser("hugo@porto.example").get(page)

    assert mine.status_code == 200
    assert re.findall(r'data-testid="suggestion" data-organisation="([^"]+)"', mine.text) == [
        "Braga Cluster",
        "Lyon Cluster",
    ]
    assert re.findall(r"<li>([^<]+)</li>", mine.text.split('data-testid="catalogue"')[1]) == [
        "Is in Portugal, a country you prefer",
        "Shares your activities: networking",
        "Shares your activities: networking",
    ]
    assert re.findall(r'data-testid="suggestion-match"[^>]*>([^<]+)<', mine.text) == [
        "match 33/100 (weak)",
        "match 9/100 (weak)",
    ]
    assert stranger.status_code == 403


def test_catalogue_page_sends_as_many_queries_for_one_host_as_for_three(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    notifier = ExchangeNotifier(
        FileMailer(app_state.settings.resolved_mail_dir(), "x@example.org"), "http://x"
    )
    vera = browser("vera@munich.example")
    counts, made, visitor = [], 0, 0
    for total in (1, 3):
        with app_state.database.unit_of_work() as session:
            users = {u.email: u for u in session.scalars(sa.select(User))}
            admin = users["ada@example.org"]
            if not visitor:
                visitor = _validated(
                    session,
                    admin,
                    name="Berlin Cluster",
                    country="DE",
                    partnership=world.alpine,
                    role=ExchangeRole.VISITOR,
                    notifier=notifier,
                    contact=users["vera@munich.example"],
                )
            while made < total:
                _validated(
                    session,
                    admin,
                    name=f"Host {made}",
                    country="FR",
                    partnership=world.atlantic,
                    role=ExchangeRole.HOST,
                    notifier=notifier,
                )
                made += 1
        # The first page after the registry changed builds the matching index (its queries
        # do not depend on the number of hosts listed); count a page that reuses it.
        vera.get(f"/exchanges/participants/{visitor}")
        with count_queries(app_state.database.engine) as log:
            text = vera.get(f"/exchanges/participants/{visitor}").text
        assert text.count('data-testid="suggestion"') == total
        counts.append(log.count)

    assert counts[0] == counts[1]


def test_a_visitor_asks_a_host_on_the_page_and_the_host_accepts(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    notifier = ExchangeNotifier(
        FileMailer(app_state.settings.resolved_mail_dir(), "x@example.org"), "http://x"
    )
    with app_state.database.unit_of_work() as session:
        users = {u.email: u for u in session.scalars(sa.select(User))}
        visitor = _validated(
            session,
            users["ada@example.org"],
            name="Berlin Cluster",
            country="DE",
            partnership=world.alpine,
            role=ExchangeRole.VISITOR,
            notifier=notifier,
            contact=users["vera@munich.example"],
        )
        host = _validated(
            session,
            users["ada@example.org"],
            name="Braga Cluster",
            country="PT",
            partnership=world.atlantic,
            role=ExchangeRole.HOST,
            notifier=notifier,
            contact=users["hugo@porto.example"],
        )
    vera, hugo = browser("vera@munich.example"), browser("hugo@porto.example")
    page = f"/exchanges/participants/{visitor}"
    url = f"{page}/requests"
    long = "x" * (MAX_TEXT + 1)

    too_long = _post(vera, url, {"host_id": str(host), "message": long}, page)
    asked = _post(vera, url, {"host_id": str(host), "message": "May we visit?"}, page)
    again = _post(vera, url, {"host_id": str(host), "message": "Again?"}, page)
    host_page = f"/exchanges/participants/{host}"
    request_id = re.findall(r"/exchanges/requests/(\d+)/accept", hugo.get(host_page).text)
    accepted = _post(
        hugo, f"/exchanges/requests/{request_id[0]}/accept", {"text": "Welcome"}, host_page
    )

    assert too_long.status_code == 422
    assert (
        'data-testid="error-message">The message must be at most 8,000 characters, not 8,001.<'
        in too_long.text
    )
    assert f">{long}</textarea>" in too_long.text
    assert (asked.status_code, asked.headers["location"]) == (303, f"{page}#requests")
    assert again.status_code == 409
    assert (accepted.status_code, accepted.headers["location"]) == (303, f"{host_page}#requests")
    assert 'data-testid="request-state">Accepted: Welcome<' in vera.get(page).text
    listed = browser("paula@alpine.example").get(f"/exchanges/partnerships/{world.alpine}").text
    assert 'data-visitor="Berlin Cluster" data-host="Braga Cluster" data-counted="yes"' in listed
    assert "Accepted on 01 December 2024: Welcome" in listed


def test_an_administrator_creates_a_partnership_on_the_page(
    world: World, browser: Callable[[str], TestClient]
) -> None:
    ada, vera = browser("ada@example.org"), browser("vera@munich.example")
    page = "/exchanges/partnerships/new"
    wrong = {"name": "Alpine CXC", "country": "Narnia", "members": "nobody@example.org"}

    refused = _post(ada, page, wrong, page)
    created = _post(
        ada,
        page,
        {
            "name": "Baltic CXC",
            "country": "Estonia",
            "members": "paula@alpine.example, pedro@atlantic.example",
        },
        page,
    )
    board = ada.get(created.headers["location"])

    assert refused.status_code == 422
    text = refused.text
    assert re.findall(r'data-testid="error-(\w+)">([^<]+)<', text) == [
        ("name", "Alpine CXC already exists"),
        (
            "country",
            "&#34;Narnia&#34; is not a known country; give its English name or its ISO 3166 or EU code, such as Germany, DE, EL or UK",
        ),
        ("members", "there is no active account for nobody@example.org"),
    ]
    assert ">nobody@example.org</textarea>" in text
    assert created.status_code == 303
    assert "<h1>Baltic CXC</h1>" in board.text
    assert vera.get(page).status_code == 403
    assert 'data-testid="new-partnership"' in ada.get("/exchanges").text
    assert 'data-testid="new-partnership"' not in vera.get("/exchanges").text


def test_a_partnership_needs_a_country_and_someone_who_acts_for_it(
    world: World, browser: Callable[[str], TestClient]
) -> None:
    ada = browser("ada@example.org")
    page = "/exchanges/partnerships/new"

    refused = _post(ada, page, {"name": "Baltic CXC", "country": "", "members": ""}, page)

    assert refused.status_code == 422
    assert re.findall(r'data-testid="error-(\w+)">([^<]+)<', refused.text) == [
        ("country", "is required"),
        ("members", "is required: give the e-mail of at least one person who acts for it"),
    ]
    assert (
        'id="country" name="country" type="text" maxlength="60" value="" aria-invalid="true"'
        in refused.text
    )


def test_two_problems_of_one_field_are_told_apart(
    world: World, browser: Callable[[str], TestClient]
) -> None:
    # The walk of 2026-12-07: "there is no active account for a@example.org there is no active
    # account for b@example.org", one run-on sentence beside the field and in the summary.
    ada = browser("ada@example.org")
    page = "/exchanges/partnerships/new"
    members = "a@example.org, b@example.org"

    refused = _post(ada, page, {"name": "Baltic CXC", "country": "EE", "members": members}, page)

    both = (
        "there is no active account for a@example.org; there is no active account for b@example.org"
    )
    assert refused.status_code == 422
    assert re.findall(r'data-testid="error-(\w+)">([^<]+)<', refused.text) == [("members", both)]
    assert summary_items(refused.text) == [f"E-mail addresses of the people who act for it: {both}"]


def test_the_host_cancels_an_exchange_on_its_page(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    notifier = ExchangeNotifier(
        FileMailer(app_state.settings.resolved_mail_dir(), "x@example.org"), "http://x"
    )
    with app_state.database.unit_of_work() as session:
        users = {u.email: u for u in session.scalars(sa.select(User))}
        admin = users["ada@example.org"]
        common = {"notifier": notifier}
        visitor = _validated(
            session,
            admin,
            name="Berlin Cluster",
            country="DE",
            partnership=world.alpine,
            role=ExchangeRole.VISITOR,
            contact=users["vera@munich.example"],
            **common,
        )
        host = _validated(
            session,
            admin,
            name="Braga Cluster",
            country="PT",
            partnership=world.atlantic,
            role=ExchangeRole.HOST,
            contact=users["hugo@porto.example"],
            **common,
        )
        exchange = propose_exchange(
            session,
            admin,
            Proposal(
                visitor,
                host,
                date(2024, 11, 4),
                date(2024, 11, 8),
                ActivityType.NETWORKING,
                "g",
                "o",
                "a",
            ),
            programme=load_programme(),
            today=SET_UP.date(),
            notifier=notifier,
        )
        page = f"/exchanges/{exchange.id}"
    hugo, paula = browser("hugo@porto.example"), browser("paula@alpine.example")
    assert 'data-testid="cancel-exchange"' in hugo.get(page).text

    blank = _post(hugo, f"{page}/cancel", {"reason": " "}, page)
    done = _post(hugo, f"{page}/cancel", {"reason": "Our lab is closed."}, page)
    again = _post(paula, f"{page}/cancel", {"reason": "Twice."}, page)

    assert blank.status_code == 422
    assert 'data-testid="error-reason">is required<' in blank.text
    assert (done.status_code, done.headers["location"]) == (303, page)
    assert again.status_code == 409
    shown = paula.get(page).text
    assert 'data-testid="state">Cancelled<' in shown
    assert "Cancelled by the host on 01 December 2024: Our lab is closed." in shown
    assert 'data-testid="cancel-exchange"' not in shown
    assert 'data-testid="approve-' not in shown
    board = paula.get(f"/exchanges/partnerships/{world.alpine}").text
    assert 'data-testid="credited">0<' in board
    assert 'data-testid="committed">EUR 0<' in board
    assert "Cancelled: 1" in board


def test_the_reports_evidence_downloads_for_those_who_see_the_exchange_only(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    notifier = ExchangeNotifier(
        FileMailer(app_state.settings.resolved_mail_dir(), "x@example.org"), "http://x"
    )
    with app_state.database.unit_of_work() as session:
        users = {u.email: u for u in session.scalars(sa.select(User))}
        admin = users["ada@example.org"]
        make_user(session, email="sam@elsewhere.example", name="Sam")
        host = _validated(
            session, admin, name="Braga Cluster", country="PT", partnership=world.atlantic,
            role=ExchangeRole.HOST, notifier=notifier,
        )  # fmt: skip
        files = []
        # The host takes one visitor at once: the second stays the week after.
        for name, visitor_contact, content, monday in (
            ("Berlin Cluster", users["vera@munich.example"], PDF, 4),
            ("Graz Cluster", None, b"%PDF-1.4\n% another exchange's ticket", 11),
        ):
            visitor = _validated(
                session, admin, name=name, country="DE", partnership=world.alpine,
                role=ExchangeRole.VISITOR, notifier=notifier, contact=visitor_contact,
            )  # fmt: skip
            exchange = propose_exchange(
                session, admin,
                Proposal(
                    visitor, host, date(2024, 11, monday), date(2024, 11, monday + 4),
                    ActivityType.NETWORKING, "g", "o", "a",
                ),
                programme=load_programme(), today=SET_UP.date(), notifier=notifier,
            )  # fmt: skip
            exchange.state = ExchangeState.REPORTED
            exchange.report = "Done."
            exchange.report_submitted_at = datetime(2024, 11, 15, tzinfo=UTC)
            evidence = ExchangeEvidence(
                file_name='Zug "München" 1.pdf', content_type="application/pdf",
                size=len(content), content=content, uploaded_at=datetime(2024, 11, 15, tzinfo=UTC),
            )  # fmt: skip
            exchange.evidence.append(evidence)
            session.flush()
            files.append((f"/exchanges/{exchange.id}", evidence.id))
    (page, own), (_other_page, others) = files
    paula, vera = browser("paula@alpine.example"), browser("vera@munich.example")
    pedro, sam = browser("pedro@atlantic.example"), browser("sam@elsewhere.example")

    shown = paula.get(page).text
    downloads = [who.get(f"{page}/evidence/{own}") for who in (paula, vera, pedro)]

    assert f'<a href="{page}/evidence/{own}">Zug &#34;München&#34; 1.pdf</a> (27 bytes)' in shown
    for download in downloads:
        assert (download.status_code, download.content) == (200, PDF)
        assert download.headers["content-type"] == "application/pdf"
        assert download.headers["content-disposition"] == (
            'attachment; filename="Zug__Munchen__1.pdf"; '
            "filename*=UTF-8''Zug%20%22M%C3%BCnchen%22%201.pdf"
        )
    assert sam.get(f"{page}/evidence/{own}").status_code == 404
    assert paula.get(f"{page}/evidence/{others}").status_code == 404
    assert paula.get(f"{page}/evidence/{others + 1000}").status_code == 404
    assert "ticket" not in paula.get(f"{page}/evidence/{others}").text


def _due(app_state: AppState, world: World) -> tuple[str, str]:
    """An exchange of Alpine CXC's visitor whose report was validated: its page and lump sum.
    Reported on 15 November, validated on the 18th: due on the 28th, 3 days before NOW."""
    notifier = ExchangeNotifier(
        FileMailer(app_state.settings.resolved_mail_dir(), "x@example.org"), "http://x"
    )
    with app_state.database.unit_of_work() as session:
        users = {u.email: u for u in session.scalars(sa.select(User))}
        admin = users["ada@example.org"]
        visitor = _validated(
            session, admin, name="Berlin Cluster", country="DE", partnership=world.alpine,
            role=ExchangeRole.VISITOR, notifier=notifier,
        )  # fmt: skip
        host = _validated(
            session, admin, name="Braga Cluster", country="PT", partnership=world.atlantic,
            role=ExchangeRole.HOST, notifier=notifier,
        )  # fmt: skip
        exchange = propose_exchange(
            session,
            admin,
            Proposal(
                visitor, host, date(2024, 11, 4), date(2024, 11, 8), ActivityType.NETWORKING,
                "g", "o", "a",
            ),
            programme=load_programme(),
            today=SET_UP.date(),
            notifier=notifier,
        )  # fmt: skip
        exchange.state = ExchangeState.VALIDATED
        exchange.report_submitted_at = datetime(2024, 11, 15, tzinfo=UTC)
        exchange.validated_at = datetime(2024, 11, 18, tzinfo=UTC)
        exchange.payment_due = date(2024, 11, 28)
        return f"/exchanges/{exchange.id}", str(exchange.lump_sum_eur)


def test_an_unpaid_lump_sum_past_its_due_date_shows_as_late(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    page, amount = _due(app_state, world)
    paula = browser("paula@alpine.example")

    shown = paula.get(page).text

    assert 'data-testid="due">Due by 28 November 2024.<' in shown
    assert 'data-testid="late">Late: 3 days past the due date.<' in shown
    paid = _post(paula, f"{page}/payment", {"paid_on": "2024-12-01", "amount": amount}, page)
    assert paid.status_code == 303  # type: ignore[attr-defined]
    assert 'data-testid="late"' not in paula.get(page).text


def test_a_payment_dated_after_today_is_refused_beside_its_day(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    # The walk of 2026-12-07: a payment "paid on" a day years ahead was recorded as made.
    page, amount = _due(app_state, world)
    paula = browser("paula@alpine.example")

    refused = _post(paula, f"{page}/payment", {"paid_on": "2024-12-02", "amount": amount}, page)

    assert refused.status_code == 422  # type: ignore[attr-defined]
    reason = "is in the future (today is 01 December 2024): record a payment once it is made"
    assert summary_items(refused.text) == [f"Paid on: {reason}"]  # type: ignore[attr-defined]
    assert 'data-testid="paid"' not in paula.get(page).text


def test_a_refused_payment_is_summed_up_and_its_long_reference_kept_in_its_box(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    page, amount = _due(app_state, world)
    paula = browser("paula@alpine.example")
    shown = paula.get(page).text
    long = "R" * 101

    refused = _post(paula, f"{page}/payment",
                    {"paid_on": "2024-11-01", "amount": "1", "reference": long}, page)  # fmt: skip

    assert 'name="reference" type="text" value="" >' in shown
    assert refused.status_code == 422  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    lump_sum = f"must be the lump sum, {format_euros(Decimal(amount))}"
    assert summary_items(text) == [
        "Paid on: is before the report was validated",
        f"Amount (EUR): {lump_sum}",
        "Reference: must be at most 100 characters, not 101",
    ]
    assert invalid_fields(text) == [
        ("paid_on", "is before the report was validated"),
        ("amount", lump_sum),
        ("reference", "must be at most 100 characters, not 101"),
    ]
    assert (
        f'<input id="reference" name="reference" type="text" value="{long}" '
        'aria-invalid="true" aria-describedby="reference-error">'
    ) in text


@pytest.mark.parametrize(
    ("paid_on", "amount", "day_error", "amount_error"),
    [
        ("1 Dec", "1", "give a date (year-month-day)", "must be the lump sum, {lump_sum}"),
        ("2024-11-01", "a lot", "is before the report was validated",
         '"a lot" is not an amount in euros, such as EUR 350,000'),
        ("1 Dec", "a lot", "give a date (year-month-day)",
         '"a lot" is not an amount in euros, such as EUR 350,000'),
    ],
)  # fmt: skip
def test_an_unreadable_day_or_amount_names_the_long_reference_too_and_keeps_what_was_typed(
    app_state: AppState,
    world: World,
    browser: Callable[[str], TestClient],
    paid_on: str,
    amount: str,
    day_error: str,
    amount_error: str,
) -> None:
    page, lump_sum = _due(app_state, world)
    paula = browser("paula@alpine.example")
    long = "R" * 101
    amount_error = amount_error.format(lump_sum=format_euros(Decimal(lump_sum)))

    refused = _post(paula, f"{page}/payment",
                    {"paid_on": paid_on, "amount": amount, "reference": long}, page)  # fmt: skip

    assert refused.status_code == 422  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    assert summary_items(text) == [
        f"Paid on: {day_error}",
        f"Amount (EUR): {amount_error}",
        "Reference: must be at most 100 characters, not 101",
    ]
    assert invalid_fields(text) == [
        ("paid_on", day_error),
        ("amount", amount_error),
        ("reference", "must be at most 100 characters, not 101"),
    ]
    assert re.findall(r'<input id="(paid_on|amount|reference)" [^>]*value="([^"]*)"', text) == [
        ("paid_on", paid_on), ("amount", amount), ("reference", long),
    ]  # fmt: skip
    with app_state.database.unit_of_work() as session:
        assert session.scalars(sa.select(Exchange.paid_on)).all() == [None]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1e-400", '"1e-400" is not an amount in euros, such as EUR 350,000'),
        ("inf", '"inf" is not an amount in euros, such as EUR 350,000'),
        ("nan", '"nan" is not an amount in euros, such as EUR 350,000'),
        ("1.000", 'is ambiguous: "1.000" may mean 1 or 1000; write 1000 or 1'),
        ("", "give the amount in euros, e.g. 780"),
    ],
)
def test_a_payment_amount_that_does_not_read_is_refused_in_the_words_of_every_form(
    app_state: AppState, world: World, browser: Callable[[str], TestClient], text: str,
    reason: str,
) -> None:  # fmt: skip
    page, _ = _due(app_state, world)
    paula = browser("paula@alpine.example")

    refused = _post(paula, f"{page}/payment",
                    {"paid_on": "2024-12-01", "amount": text, "reference": "SEPA 7"}, page)  # fmt: skip

    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert invalid_fields(refused.text) == [("amount", reason)]  # type: ignore[attr-defined]
    assert 'data-testid="due">Due by 28 November 2024.<' in paula.get(page).text


def test_a_payment_reference_of_the_limits_length_is_saved_whole(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    page, amount = _due(app_state, world)
    paula = browser("paula@alpine.example")
    reference = "R" * 100

    paid = _post(paula, f"{page}/payment",
                 {"paid_on": "2024-12-01", "amount": amount, "reference": reference}, page)  # fmt: skip

    assert paid.status_code == 303  # type: ignore[attr-defined]
    with app_state.database.unit_of_work() as session:
        assert session.scalars(sa.select(Exchange.payment_reference)).all() == [reference]


def test_setting_up_an_exchange_in_the_past_or_too_long_shows_the_form_with_the_reasons(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    notifier = ExchangeNotifier(
        FileMailer(app_state.settings.resolved_mail_dir(), "x@example.org"), "http://x"
    )
    with app_state.database.unit_of_work() as session:
        admin = session.scalars(sa.select(User).where(User.email == "ada@example.org")).one()
        visitor = _validated(
            session, admin, name="Berlin Cluster", country="DE", partnership=world.alpine,
            role=ExchangeRole.VISITOR, notifier=notifier,
        )  # fmt: skip
        host = _validated(
            session, admin, name="Braga Cluster", country="PT", partnership=world.atlantic,
            role=ExchangeRole.HOST, notifier=notifier,
        )  # fmt: skip
    paula = browser("paula@alpine.example")
    page = f"/exchanges/partnerships/{world.alpine}"
    proposal = {
        "visitor_id": str(visitor), "host_id": str(host), "activity_type": "networking",
        "goals": "See the pilot lines", "objectives": "o", "agenda": "a",
    }  # fmt: skip

    token = csrf_token(paula, page)

    past, long = (
        paula.post(f"{page}/exchanges", data=proposal | dates | {"csrf_token": token})
        for dates in (
            {"start": "2020-01-06", "end": "2020-01-10"},
            {"start": "2025-01-06", "end": "2026-01-07"},
        )
    )

    field_errors = r'data-testid="error-(\w+)">([^<]*)<'
    assert (past.status_code, long.status_code) == (422, 422)
    assert re.findall(field_errors, past.text) == [
        ("start", "is in the past: start on 01 December 2024 or later")
    ]
    assert re.findall(field_errors, long.text) == [("end", "the stay spans more than 366 days")]
    assert re.findall(r'name="(start|end)" type="date" value="([^"]*)"', long.text) == [
        ("start", "2025-01-06"),
        ("end", "2026-01-07"),
    ]
    assert re.findall(r'name="goals"[^>]*>([^<]*)<', long.text) == ["See the pilot lines"]
    assert re.findall(r'data-testid="credited">(\d+)<', paula.get(page).text) == ["0"]


def test_a_stay_over_a_month_is_refused_beside_its_last_day_and_marked_invalid(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    notifier = ExchangeNotifier(
        FileMailer(app_state.settings.resolved_mail_dir(), "x@example.org"), "http://x"
    )
    with app_state.database.unit_of_work() as session:
        admin = session.scalars(sa.select(User).where(User.email == "ada@example.org")).one()
        visitor = _validated(
            session, admin, name="Berlin Cluster", country="DE", partnership=world.alpine,
            role=ExchangeRole.VISITOR, notifier=notifier,
        )  # fmt: skip
        host = _validated(
            session, admin, name="Braga Cluster", country="PT", partnership=world.atlantic,
            role=ExchangeRole.HOST, notifier=notifier,
        )  # fmt: skip
    paula = browser("paula@alpine.example")
    page = f"/exchanges/partnerships/{world.alpine}"
    proposal = {
        "visitor_id": str(visitor), "host_id": str(host), "activity_type": "networking",
        "start": "2025-03-03", "end": "2025-04-03", "goals": "", "objectives": "o", "agenda": "a",
    }  # fmt: skip

    refused = _post(paula, f"{page}/exchanges", proposal, page)

    assert refused.status_code == 422
    assert summary_items(refused.text) == [
        "Last day at the host: the stay is longer than one month: it must end by 02 April 2025",
        "Goals: is required",
    ]
    assert invalid_fields(refused.text) == [
        ("end", "the stay is longer than one month: it must end by 02 April 2025"),
        ("goals", "is required"),
    ]
    assert re.findall(
        r'id="(\w+)" name="\w+"[^>]*aria-invalid="true" aria-describedby="(\S+)"', refused.text
    ) == [
        ("end", "end-error"),
        ("goals", "goals-error"),
    ]


def test_a_set_up_without_its_purpose_names_the_other_problems_too(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    # The walk of 2026-12-07: with "What it is for" not chosen, only it was named; the empty
    # goals and the last day before the first came up one after the other, a form each time.
    notifier = ExchangeNotifier(
        FileMailer(app_state.settings.resolved_mail_dir(), "x@example.org"), "http://x"
    )
    with app_state.database.unit_of_work() as session:
        admin = session.scalars(sa.select(User).where(User.email == "ada@example.org")).one()
        visitor = _validated(
            session, admin, name="Berlin Cluster", country="DE", partnership=world.alpine,
            role=ExchangeRole.VISITOR, notifier=notifier,
        )  # fmt: skip
        host = _validated(
            session, admin, name="Braga Cluster", country="PT", partnership=world.atlantic,
            role=ExchangeRole.HOST, notifier=notifier,
        )  # fmt: skip
    paula = browser("paula@alpine.example")
    page = f"/exchanges/partnerships/{world.alpine}"
    proposal = {
        "visitor_id": str(visitor), "host_id": str(host), "activity_type": "",
        "start": "2025-03-07", "end": "2025-03-03", "goals": "", "objectives": "o", "agenda": "a",
    }  # fmt: skip

    refused = _post(paula, f"{page}/exchanges", proposal, page)

    assert refused.status_code == 422
    assert summary_items(refused.text) == [
        "Last day at the host: is before the start",
        "What it is for: choose one of the options",
        "Goals: is required",
    ]


def test_refusing_without_a_reason_is_shown_beside_the_reason(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    vera, paula = browser("vera@munich.example"), browser("paula@alpine.example")
    enrolment = {
        "organisation_id": str(world.munich), "partnership_id": str(world.alpine),
        "role": "visitor", "kind": "cluster_organisation", "place": "Munich, DE",
        "motivation": "Learn.", "activity_types": ["networking"],
    }  # fmt: skip
    _post(vera, "/exchanges/enrol", enrolment, "/exchanges/enrol")
    page = f"/exchanges/partnerships/{world.alpine}"
    [pending] = re.findall(r'action="/exchanges/participants/(\d+)/validate"', paula.get(page).text)

    refused = _post(paula, f"/exchanges/participants/{pending}/refuse", {"reason": "  "}, page)

    assert refused.status_code == 422
    assert "<h1>Alpine CXC</h1>" in refused.text
    assert re.findall(r'data-testid="error-(\w+)">([^<]*)<', refused.text) == [
        ("reason", "The reason is required to refuse.")
    ]
    assert (
        f'id="reason-{pending}" name="reason" type="text" value="  "'
        f' aria-invalid="true" aria-describedby="reason-{pending}-error"'
    ) in refused.text
    assert "reason: is required" not in refused.text


def test_a_host_who_empties_the_capacity_is_refused_not_given_one_visitor(
    world: World, browser: Callable[[str], TestClient], app_state: AppState
) -> None:
    hugo = browser("hugo@porto.example")
    assert (
        'name="capacity" type="number" min="0" '
        f'max="{MAX_CAPACITY}" value="1"' in hugo.get("/exchanges/enrol").text
    )
    host = {
        "organisation_id": str(world.porto), "partnership_id": str(world.atlantic),
        "role": "host", "kind": "sme", "cluster_member": "yes", "place": "Porto, PT",
        "motivation": "Show.", "activity_types": ["networking"], "capacity": "",
    }  # fmt: skip

    refused = _post(hugo, "/exchanges/enrol", host, "/exchanges/enrol")

    assert refused.status_code == 422
    assert re.findall(r'data-testid="error-(\w+)">([^<]*)<', refused.text) == [
        ("capacity", "is required")
    ]
    with app_state.database.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ExchangeParticipant)) == 0


def _asked(app_state: AppState, world: World, browser: Callable[[str], TestClient]) -> int:
    """A validated visitor (Vera's Berlin Cluster) that asked a validated host (Hugo's Braga
    Cluster); the host's id."""
    notifier = ExchangeNotifier(
        FileMailer(app_state.settings.resolved_mail_dir(), "x@example.org"), "http://x"
    )
    with app_state.database.unit_of_work() as session:
        users = {u.email: u for u in session.scalars(sa.select(User))}
        admin = users["ada@example.org"]
        visitor = _validated(session, admin, name="Berlin Cluster", country="DE",
                             partnership=world.alpine, role=ExchangeRole.VISITOR,
                             notifier=notifier, contact=users["vera@munich.example"])  # fmt: skip
        host = _validated(session, admin, name="Braga Cluster", country="PT",
                          partnership=world.atlantic, role=ExchangeRole.HOST,
                          notifier=notifier, contact=users["hugo@porto.example"])  # fmt: skip
    page = f"/exchanges/participants/{visitor}"
    vera = browser("vera@munich.example")
    _post(vera, f"{page}/requests", {"host_id": str(host), "message": "May we visit?"}, page)
    return host


def test_an_answer_longer_than_the_limit_is_refused_beside_its_field_and_kept(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    host = _asked(app_state, world, browser)
    hugo, host_page = browser("hugo@porto.example"), f"/exchanges/participants/{host}"
    shown = hugo.get(host_page).text
    request_id = re.findall(r"/exchanges/requests/(\d+)/accept", shown)[0]
    long = "w" * (MAX_TEXT + 1)

    refused = _post(hugo, f"/exchanges/requests/{request_id}/accept",
                    {"text": long, "participant_id": str(host)}, host_page)  # fmt: skip

    assert refused.status_code == 422  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    assert summary_items(text) == ["Answer: must be at most 8,000 characters, not 8,001"]
    assert invalid_fields(text) == [
        (f"answer-{request_id}", "must be at most 8,000 characters, not 8,001")
    ]
    assert (
        f'<textarea id="answer-{request_id}" name="text" rows="2" aria-invalid="true" '
        f'aria-describedby="answer-{request_id}-error">{long}</textarea>'
    ) in text
    assert "maxlength" not in shown.split('data-testid="requests"')[1].split("</section>")[0]
    assert 'data-testid="request-state">Waiting for the host&#39;s answer<' in text
    with app_state.database.unit_of_work() as session:
        saved = session.execute(sa.select(ExchangeRequest.state, ExchangeRequest.answer)).all()
        assert [tuple(row) for row in saved] == [(RequestState.OPEN, "")]


def test_an_answer_of_the_limits_length_is_saved_whole(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    host = _asked(app_state, world, browser)
    hugo, host_page = browser("hugo@porto.example"), f"/exchanges/participants/{host}"
    request_id = re.findall(r"/exchanges/requests/(\d+)/decline", hugo.get(host_page).text)[0]
    answer = "w" * MAX_TEXT

    declined = _post(hugo, f"/exchanges/requests/{request_id}/decline",
                     {"text": answer, "participant_id": str(host)}, host_page)  # fmt: skip

    assert declined.status_code == 303  # type: ignore[attr-defined]
    with app_state.database.unit_of_work() as session:
        assert session.scalars(sa.select(ExchangeRequest.answer)).all() == [answer]


def test_a_refused_enrolment_is_summed_up_by_the_labels_of_its_fields(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    vera = browser("vera@munich.example")
    enrolment = {"partnership_id": str(world.alpine), "kind": "cluster_organisation",
                 "motivation": " ", "preferred_countries": "AT, Atlantis",
                 "available_from": "someday", "place": "Munich, DE"}  # fmt: skip

    response = _post(vera, "/exchanges/enrol", enrolment, "/exchanges/enrol")

    atlantis = '"Atlantis" is not a known country; give its English name or its ISO 3166 or EU code, such as Germany, DE, EL or UK'
    assert response.status_code == 422  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert summary_items(text) == [
        "Organisation: choose an organisation",
        "Take part as: choose one of the options",
        "Motivation: is required",
        "What the exchange is for: choose at least one",
        f"Preferred countries: {atlantis}",
        "Available from: give a date (year-month-day)",
    ]
    assert invalid_fields(text) == [
        ("organisation_id", "choose an organisation"),
        ("role", "choose one of the options"),
        ("motivation", "is required"),
        ("activity_types", "choose at least one"),
        ("preferred_countries", atlantis),
        ("available_from", "give a date (year-month-day)"),
    ]
    with app_state.database.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ExchangeParticipant)) == 0


def test_more_countries_or_sectors_than_the_api_takes_are_refused_beside_their_fields(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    vera = browser("vera@munich.example")
    enrolment = {"organisation_id": str(world.munich), "partnership_id": str(world.alpine),
                 "role": "visitor", "kind": "cluster_organisation", "motivation": "Learn.",
                 "activity_types": ["networking"], "place": "Munich, DE"}  # fmt: skip
    countries, sectors = ", ".join(["AT"] * 61), ", ".join(f"s{n}" for n in range(31))

    refused = _post(vera, "/exchanges/enrol", {**enrolment, "preferred_countries": countries,
                    "preferred_sectors": sectors, "motivation": ""}, "/exchanges/enrol")  # fmt: skip
    at_the_limit = _post(vera, "/exchanges/enrol", {**enrolment,
                         "preferred_countries": ", ".join(["AT"] * 60),
                         "preferred_sectors": ", ".join(f"s{n}" for n in range(30))},
                         "/exchanges/enrol")  # fmt: skip

    assert refused.status_code == 422  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    assert summary_items(text) == [
        "Motivation: is required",
        "Preferred countries: name at most 60 countries (there are 61)",
        "Preferred sectors: name at most 30 sectors (there are 31)",
    ]
    assert invalid_fields(text) == [
        ("motivation", "is required"),
        ("preferred_countries", "name at most 60 countries (there are 61)"),
        ("preferred_sectors", "name at most 30 sectors (there are 31)"),
    ]
    assert f'value="{sectors}"' in text
    assert at_the_limit.status_code == 303  # type: ignore[attr-defined]
    with app_state.database.unit_of_work() as session:
        saved = session.scalars(sa.select(ExchangeParticipant.preferred_sectors)).all()
        assert saved == [[f"s{n}" for n in range(30)]]


def test_a_refused_partnership_is_summed_up_by_the_labels_of_its_fields(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    ada, page = browser("ada@example.org"), "/exchanges/partnerships/new"
    wrong = {"name": "Alpine CXC", "country": "Narnia", "members": "nobody@example.org"}

    refused = _post(ada, page, wrong, page)

    narnia = '"Narnia" is not a known country; give its English name or its ISO 3166 or EU code, such as Germany, DE, EL or UK'
    assert refused.status_code == 422  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    assert summary_items(text) == [
        "Name: Alpine CXC already exists",
        f"Country: {narnia}",
        "E-mail addresses of the people who act for it: there is no active account for "
        "nobody@example.org",
    ]
    assert invalid_fields(text) == [
        ("name", "Alpine CXC already exists"),
        ("country", narnia),
        ("members", "there is no active account for nobody@example.org"),
    ]
    with app_state.database.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ExchangePartnership)) == 2


def test_the_api_body_refuses_the_counts_the_web_form_refuses() -> None:
    body = {"organisation_id": 1, "partnership_id": 1, "role": "visitor",
            "kind": "cluster_organisation", "motivation": "m", "activity_types": ["networking"]}  # fmt: skip

    with pytest.raises(ValidationError) as refused:
        EnrolmentCreate(**body, preferred_countries=["AT"] * 61, preferred_sectors=["s"] * 31)
    accepted = EnrolmentCreate(
        **body, preferred_countries=["AT"] * 60, preferred_sectors=["s"] * 30
    )

    assert [(e["loc"], e["ctx"]) for e in refused.value.errors()] == [
        (("preferred_countries",), {"field_type": "List", "max_length": 60, "actual_length": 61}),
        (("preferred_sectors",), {"field_type": "List", "max_length": 30, "actual_length": 31}),
    ]
    assert (len(accepted.preferred_countries), len(accepted.preferred_sectors)) == (60, 30)
