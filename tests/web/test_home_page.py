"""The home page for each kind of user: a visitor reads what each kind of user does here; a
signed-in user sees what waits for them, from their organisations, events, consortia and,
for officers and administrators, calls, payments and claims."""

from datetime import date
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import (
    ClusterMembershipRequest,
    Exchange,
)
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.domain.enums import (
    EventStatus,
    ExchangeState,
    MeetingStatus,
    OrgType,
    ParticipantStatus,
    UserRole,
)
from tests.conftest import Clock, app_for
from tests.exchange_world import add_exchange, make_world
from tests.factories.consortia import make_consortium
from tests.factories.events import add_meeting, add_participant, make_event, make_person
from tests.factories.home import COMING, EVALUATING, PAST, make_officer_world, make_sme_world
from tests.factories.organisations import add_member, make_organisation
from tests.querycount import count_queries
from tests.web.helpers import sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]

#: The calls open now and undated, as every signed-in or signed-out page lists them.
CALL_LINKS = [
    ("Joint Cluster Initiatives (EUROCLUSTERS) for Europe's recovery",
     "/calls/SMP-COSME-2024-CLUSTER"),
    ("Joint Cluster Initiatives (EUROCLUSTERS) for Europe's recovery - 2021",
     "/calls/SMP-COSME-2021-CLUSTER"),
    ("Strengthen cluster management excellence and facilitate partnerships",
     "/calls/cluster-excellence"),
]  # fmt: skip


class _Sections(HTMLParser):
    """The links of the page's main part under each heading of level 2 (the text before
    the first heading under ""), in order: (text, address)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, list[tuple[str, str]]] = {}
        self._heading: str | None = None
        self._current = ""
        self._link: tuple[str, str] | None = None
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self._inside = True
        elif self._inside and tag == "h2":
            self._heading = ""
        elif self._inside and tag == "a":
            self._link = ("", dict(attrs).get("href") or "")

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading += data
        if self._link is not None:
            self._link = (self._link[0] + data, self._link[1])

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._inside = False
        elif tag == "h2" and self._heading is not None:
            self._current, self._heading = " ".join(self._heading.split()), None
            self.sections.setdefault(self._current, [])
        elif tag == "a" and self._link is not None:
            text = " ".join(self._link[0].split())
            self.sections.setdefault(self._current, []).append((text, self._link[1]))
            self._link = None


def _sections(html: str) -> dict[str, list[tuple[str, str]]]:
    reader = _Sections()
    reader.feed(html)
    return reader.sections


def test_a_visitor_reads_what_each_kind_of_user_does_here(client: TestClient) -> None:
    page = client.get("/")

    assert _sections(page.text) == {
        "": [("Sign in", "/sign-in"), ("register", "/register")],
        "Cluster managers": [
            ("Find partners", "/organisations"),
            ("Build a consortium", "/consortia"),
            ("Exchanges", "/exchanges"),
        ],
        "SMEs": [("Find your organisation", "/organisations"), ("Match-making events", "/events")],
        "Technology centres": [
            ("Find your organisation", "/organisations"),
            ("Match-making events", "/events"),
        ],
        "Match-making organisers": [("Events", "/events")],
        "Programme officers": [("Calls", "/calls"), ("Evaluation", "/evaluation")],
        "Calls open now": CALL_LINKS[:1],
        "Calls whose deadline is not stated": CALL_LINKS[1:],
    }
    assert 'data-testid="home-sign-in"><a href="/sign-in">Sign in</a>' in page.text


def _page(app_state: AppState, email: str) -> dict[str, list[tuple[str, str]]]:
    """The home page's links by section, as ``email`` sees it signed in (the calls left out)."""
    with TestClient(app_for(app_state), base_url="http://testserver") as client:
        sign_in(client, email)
        page = client.get("/")
    assert page.status_code == 200
    sections = _sections(page.text)
    del sections["Calls open now"], sections["Calls whose deadline is not stated"]
    return sections


@pytest.fixture
def sme_world(app_state: AppState) -> dict[str, int]:
    return make_sme_world(app_state.database)


def test_a_member_of_smes_sees_partners_to_find_events_and_consortia(
    app_state: AppState, sme_world: dict[str, int]
) -> None:
    ids = sme_world

    sections = _page(app_state, "sara@example.org")

    assert sections == {
        "Your organisations": [
            ("Bit Forge", f"/organisations/{ids['forge']}"),
            ("Find traditional SMEs that need your skills",
             f"/organisations/{ids['forge']}/suggestions?kind=traditional"),
            ("Isar Cluster", f"/organisations/{ids['cluster']}"),
            ("Find partners", f"/organisations/{ids['cluster']}/suggestions"),
            ("1 membership request to decide", f"/organisations/{ids['cluster']}"),
            ("Newco", f"/organisations/{ids['newco']}"),
            ("Find partners", f"/organisations/{ids['newco']}/suggestions"),
            ("Tell whether it is a traditional or a tech-savvy SME",
             f"/organisations/{ids['newco']}/digital-maturity"),
            ("Rossi Gates", f"/organisations/{ids['gates']}"),
            ("Find technology partners", f"/organisations/{ids['gates']}/suggestions"),
            ("Weld Centre", f"/organisations/{ids['centre']}"),
            ("Find traditional SMEs that need your technologies",
             f"/organisations/{ids['centre']}/suggestions?kind=traditional"),
        ],
        "Your match-making events": [
            ("Metal Fair", f"/events/{ids['fair']}"),
            ("2 meeting requests to answer", f"/events/{ids['fair']}/meetings"),
            ("Wood Days", f"/events/{ids['waiting']}"),
        ],
        "Your consortia": [
            ("Olga's Alliance", f"/consortia/{ids['theirs']}"),
            ("Gates Alliance", f"/consortia/{ids['own']}"),
        ],
        "Your projects and exchanges": [
            ("METAL", f"/projects/{ids['project']}"),
            ("indicators", f"/projects/{ids['project']}/indicators"),
            ("Metal Exchange", f"/exchanges/partnerships/{ids['partnership']}"),
        ],
    }  # fmt: skip


def test_an_organiser_sees_the_events_they_run_with_the_registrations_to_validate(
    app_state: AppState,
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = make_person(session, email="olga@example.org", name="Olga",
                           role=UserRole.EVENT_ORGANISER)  # fmt: skip
        fair = make_event(session, organiser=olga, name="Metal Fair", sessions=COMING)
        quiet = make_event(session, organiser=olga, name="Quiet Fair", sessions=COMING,
                           status=EventStatus.DRAFT)  # fmt: skip
        make_event(session, organiser=olga, name="Old Fair", sessions=PAST)
        firm = make_organisation(session, name="Firm GmbH", type=OrgType.SME)
        for name, status in (("ann", ParticipantStatus.PENDING),
                             ("ben", ParticipantStatus.PENDING),
                             ("cem", ParticipantStatus.VALIDATED)):  # fmt: skip
            person = make_person(session, email=f"{name}@example.org", name=name.title())
            add_participant(session, fair, user=person, organisation=firm, status=status)
        ids = (fair.id, quiet.id)

    sections = _page(app_state, "olga@example.org")

    assert sections == {
        "Your organisations": [("Find yours in the registry", "/organisations")],
        "Your match-making events": [("See the events", "/events")],
        "Events you run": [
            ("Metal Fair", f"/events/{ids[0]}/manage"),
            ("2 registrations to validate", f"/events/{ids[0]}/manage"),
            ("Quiet Fair", f"/events/{ids[1]}/manage"),
            ("Create an event", "/events"),
        ],
        "Your consortia": [("Start one", "/consortia"), ("builder", "/builder")],
    }


def test_an_officer_sees_the_calls_to_evaluate_and_the_payments_to_make(
    app_state: AppState, clock: Clock
) -> None:
    ids = make_officer_world(app_state.database)
    clock.now = EVALUATING

    sections = _page(app_state, "olga@example.org")

    assert sections["Calls and payments"] == [
        ("EVAL-2026", f"/evaluation/calls/{ids['evaluated']}"),
        ("SME-OPEN-2025", f"/evaluation/calls/{ids['cascade']}/payments"),
    ]
    # An officer's organisations, events and consortia are left out while there are none.
    assert list(sections) == ["Calls and payments"]


def test_an_administrator_sees_the_claims_to_approve_too(app_state: AppState, clock: Clock) -> None:
    ids = make_officer_world(app_state.database)
    clock.now = EVALUATING

    with TestClient(app_for(app_state), base_url="http://testserver") as client:
        sign_in(client, "ada@example.org")
        page = client.get("/").text

    assert _sections(page)["Calls, claims and payments"] == [
        ("EVAL-2026", f"/evaluation/calls/{ids['evaluated']}"),
        ("SME-OPEN-2025", f"/evaluation/calls/{ids['cascade']}/payments"),
        ("2 claims of an organisation to decide", "/admin/claims"),
    ]
    assert "2 selected applications not paid in full" in page


def _set_payment_due(app_state: AppState, exchange_id: int, due: date) -> None:
    with app_state.database.unit_of_work() as session:
        session.get_one(Exchange, exchange_id).payment_due = due


def test_officers_see_the_exchanges_waiting_for_their_lump_sum_and_how_many_are_late(
    app_state: AppState,
) -> None:
    world = make_world(app_state.database)
    for number, state in enumerate([ExchangeState.VALIDATED, ExchangeState.PAID,
                                    ExchangeState.PROPOSED, ExchangeState.VALIDATED]):  # fmt: skip
        made = add_exchange(app_state.database, visitor=f"Visitor {number}",
                            host=f"Host {number}", visitors_partnership=world.alpine,
                            hosts_partnership=world.atlantic, state=state)  # fmt: skip
    # Due on 1 December 2024, the clock's day: not late yet; the other is due on 25 November.
    _set_payment_due(app_state, made, date(2024, 12, 1))
    pages = {}
    for email in ("olga@commission.example", "ada@example.org", "paula@alpine.example"):
        with TestClient(app_for(app_state), base_url="http://testserver") as client:
            sign_in(client, email)
            pages[email] = client.get("/").text

    # No call waits for its evaluation: its line offers to write one.
    links = [
        ("Write a call", "/calls/new"),
        ("2 exchanges waiting for their lump sum", "/exchanges/all?state=validated"),
    ]
    assert _sections(pages["olga@commission.example"])["Calls and payments"] == links
    assert _sections(pages["ada@example.org"])["Calls, claims and payments"] == links
    for email in ("olga@commission.example", "ada@example.org"):
        assert (
            '<p data-testid="home-exchange-payments"><a href="/exchanges/all?state=validated">'
            "2 exchanges waiting for their lump sum</a>, 1 late: the visitor's partnership "
            "records each payment on the exchange's page.</p>"
        ) in pages[email]
    assert 'data-testid="home-officer"' not in pages["paula@alpine.example"]
    assert "lump sum" not in pages["paula@alpine.example"]


def test_an_officer_is_told_when_one_exchange_or_none_waits_for_its_lump_sum(
    app_state: AppState,
) -> None:
    world = make_world(app_state.database)
    with TestClient(app_for(app_state), base_url="http://testserver") as client:
        sign_in(client, "olga@commission.example")
        none = client.get("/").text
        add_exchange(app_state.database, visitor="Graz", host="Braga",
                     visitors_partnership=world.alpine, hosts_partnership=world.atlantic,
                     state=ExchangeState.VALIDATED)  # fmt: skip
        one = client.get("/").text

    assert '<p class="muted">No exchange waits for its lump sum.</p>' in none
    assert (
        '<a href="/exchanges/all?state=validated">1 exchange waiting for its lump sum</a>, 1 late:'
    ) in one


def test_an_officers_home_page_reads_as_many_rows_with_one_exchange_to_pay_as_with_three(
    app_state: AppState,
) -> None:
    world = make_world(app_state.database)
    counts = []

    with TestClient(app_for(app_state), base_url="http://testserver") as client:
        sign_in(client, "olga@commission.example")
        for first, last in ((1, 1), (2, 3)):
            for number in range(first, last + 1):
                add_exchange(app_state.database, visitor=f"Visitor {number}",
                             host=f"Host {number}", visitors_partnership=world.alpine,
                             hosts_partnership=world.atlantic,
                             state=ExchangeState.VALIDATED)  # fmt: skip
            with count_queries(app_state.database.engine) as log:
                page = client.get("/").text
            assert f"{last} exchange{'s' if last > 1 else ''} waiting for" in page
            counts.append(log.count)

    assert counts[0] == counts[1]


def test_an_organisation_member_sees_no_officer_work(app_state: AppState, clock: Clock) -> None:
    make_officer_world(app_state.database)
    clock.now = EVALUATING

    sections = _page(app_state, "sara@example.org")

    assert sorted(sections) == [
        "Your consortia", "Your match-making events", "Your organisations",
    ]  # fmt: skip


def test_an_expert_sees_the_reports_to_write(app_state: AppState, clock: Clock) -> None:
    make_officer_world(app_state.database)
    clock.now = EVALUATING

    sections = _page(app_state, "kim@example.org")

    assert sections["Your evaluations"] == [("1 evaluation report to write", "/evaluation")]


def _add_items(app_state: AppState, number: int) -> None:
    """Another organisation of Sara's (a cluster with a request to join it), another coming
    event where a request waits for her answer, and another consortium of hers."""
    with app_state.database.unit_of_work() as session:
        sara = get_user_by_email(session, "sara@example.org")
        olga = get_user_by_email(session, "olga@example.org")
        assert sara is not None
        assert olga is not None
        cluster = make_organisation(session, name=f"Cluster {number}")
        add_member(session, cluster, sara)
        joining = make_organisation(session, name=f"Joiner {number}", type=OrgType.SME)
        session.add(ClusterMembershipRequest(cluster_id=cluster.id, member_id=joining.id))
        event = make_event(session, organiser=olga, name=f"Fair {number}", sessions=COMING)
        me = add_participant(session, event, user=sara, organisation=cluster)
        other = make_person(session, email=f"p{number}@example.org", name=f"P{number}")
        add_meeting(session, event, requester=add_participant(
            session, event, user=other, organisation=joining), recipient=me,
            status=MeetingStatus.REQUESTED)  # fmt: skip
        make_consortium(session, owner=sara, name=f"Alliance {number}")


def test_the_home_page_reads_as_many_rows_with_one_item_of_each_kind_as_with_three(
    app_state: AppState,
) -> None:
    with app_state.database.unit_of_work() as session:
        make_person(session, email="sara@example.org", name="Sara")
        make_person(session, email="olga@example.org", name="Olga",
                    role=UserRole.EVENT_ORGANISER)  # fmt: skip
    counts = []

    with TestClient(app_for(app_state), base_url="http://testserver") as client:
        sign_in(client, "sara@example.org")
        for first, last in ((1, 1), (2, 3)):
            for number in range(first, last + 1):
                _add_items(app_state, number)
            with count_queries(app_state.database.engine) as log:
                page = client.get("/").text
            assert page.count('data-testid="home-requests"') == last
            counts.append(log.count)

    assert counts[0] == counts[1]
