"""The claims panel of an organisation's page: asking to manage the record, approving and
refusing (with and without htmx), who sees what, and the query count of the pending list."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import OrganisationClaim
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.domain.enums import UserRole
from clusterbridge.services.mail import FileMailer
from clusterbridge.services.registry import ClaimNotifier, create_claim
from clusterbridge.services.registry.claims import MAX_MESSAGE_LENGTH
from tests.conftest import app_for
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.mailbox import read_mail
from tests.querycount import count_queries
from tests.web.form_fields import is_novalidate
from tests.web.helpers import csrf_token, sign_in
from tests.web.refusals import invalid_fields, summary_items

pytestmark = [pytest.mark.integration, pytest.mark.db]

MESSAGE = "I am Rita, managing director of Tiny Robots."
HTMX = {"HX-Request": "true"}


@dataclass
class World:
    robots: int
    other: int


@pytest.fixture
def world(app_state: AppState) -> World:
    """Tiny Robots GmbH with Mia as member, Big Steel AG with Mia too; Ada administers; Rita
    and Sam have accounts."""
    with app_state.database.unit_of_work() as session:
        mia = make_user(session, email="mia@robots.example", name="Mia Member")
        make_user(session, email="ada@example.org", name="Ada Admin", role=UserRole.ADMINISTRATOR)
        make_user(session, email="rita@robots.example", name="Rita Requester")
        make_user(session, email="sam@example.org", name="Sam Stranger")
        robots = make_organisation(session, name="Tiny Robots GmbH", pic="999000002")
        other = make_organisation(session, name="Big Steel AG", country="AT", nuts=None)
        add_member(session, robots, mia)
        add_member(session, other, mia)
        return World(robots.id, other.id)


@pytest.fixture
def second(app_state: AppState) -> Iterator[TestClient]:
    """A second browser, with cookies of its own."""
    with TestClient(app_for(app_state), base_url="http://testserver") as test_client:
        yield test_client


def _ask(client: TestClient, organisation_id: int, message: str = MESSAGE, **kwargs: Any) -> Any:
    token = csrf_token(client, f"/organisations/{organisation_id}")
    return client.post(
        f"/organisations/{organisation_id}/claims",
        data={"message": message, "csrf_token": token},
        follow_redirects=False,
        **kwargs,
    )


def _claim_id(page: str) -> int:
    match = re.search(r'/claims/(\d+)/approve"', page)
    assert match is not None, "no pending claim on the page"
    return int(match.group(1))


def test_a_visitor_is_asked_to_sign_in_first(client: TestClient, world: World) -> None:
    page = client.get(f"/organisations/{world.robots}").text

    assert (
        f'<a href="/sign-in?next=/organisations/{world.robots}">Sign in</a> to ask to manage its'
        " record." in page
    )
    assert 'data-testid="ask-to-manage"' not in page


def test_ask_then_a_member_approves_and_the_requester_can_edit(
    client: TestClient, second: TestClient, world: World, data_dir: Path
) -> None:
    sign_in(client, "rita@robots.example")
    sign_in(second, "mia@robots.example")
    before = client.get(f"/organisations/{world.robots}").text

    asked = _ask(client, world.robots)
    waiting = client.get(f"/organisations/{world.robots}").text
    member_page = second.get(f"/organisations/{world.robots}").text
    claim_id = _claim_id(member_page)
    approved = second.post(
        f"/organisations/{world.robots}/claims/{claim_id}/approve",
        data={"reason": "", "csrf_token": csrf_token(second, "/account")},
        headers=HTMX,
    )
    after = client.get(f"/organisations/{world.robots}").text

    assert ">Ask to manage this organisation</button>" in before
    assert "/edit" not in before
    assert (asked.status_code, asked.headers["location"]) == (
        303,
        f"/organisations/{world.robots}#claims",
    )
    assert 'data-testid="claim-state" data-status="pending"' in waiting
    assert 'data-testid="ask-to-manage"' not in waiting
    assert f"<blockquote>{MESSAGE}</blockquote>" in member_page
    assert 'data-requester="Rita Requester"' in member_page
    assert approved.status_code == 200
    assert approved.text.startswith('<section class="card claims" id="claims"')
    assert 'data-testid="no-pending-claims"' in approved.text
    assert f'<a class="button small" href="/organisations/{world.robots}/edit">Edit</a>' in after
    assert client.get(f"/organisations/{world.robots}/edit").status_code == 200
    assert [(m.to, m.subject) for m in read_mail(data_dir / "mail")] == [
        (("mia@robots.example",), "Rita Requester asks to manage Tiny Robots GmbH"),
        (("rita@robots.example",), "You now manage Tiny Robots GmbH"),
    ]


def test_refused_the_requester_reads_the_reason_and_may_ask_again(
    client: TestClient, second: TestClient, world: World
) -> None:
    sign_in(client, "rita@robots.example")
    sign_in(second, "ada@example.org")
    _ask(client, world.robots)
    claim_id = _claim_id(second.get(f"/organisations/{world.robots}").text)

    refused = second.post(
        f"/organisations/{world.robots}/claims/{claim_id}/refuse",
        data={"reason": "We do not know you.", "csrf_token": csrf_token(second, "/account")},
        follow_redirects=False,
    )
    page = client.get(f"/organisations/{world.robots}").text
    again = _ask(client, world.robots, "Rita again, now with proof.")

    assert (refused.status_code, refused.headers["location"]) == (
        303,
        f"/organisations/{world.robots}#claims",
    )
    assert re.findall(
        r'data-status="refused">Your request of \d\d \w{3} \d{4} ([^<]+)</p>', page
    ) == ["was refused: “We do not know you.” You may ask again."]
    assert ">Ask to manage this organisation</button>" in page
    assert client.get(f"/organisations/{world.robots}/edit").status_code == 403
    assert again.status_code == 303


def test_an_empty_message_names_the_field(client: TestClient, world: World) -> None:
    sign_in(client, "rita@robots.example")

    page = _ask(client, world.robots, "   ")
    panel = _ask(client, world.robots, "   ", headers=HTMX)

    reason = "is required: say who you are and how you belong to the organisation"
    error = f'<p class="field-error" id="claim-message-error" data-testid="claim-message-error">{reason}</p>'
    assert (page.status_code, error in page.text) == (422, True)
    assert "<h1>Tiny Robots GmbH</h1>" in page.text
    assert (panel.status_code, error in panel.text) == (200, True)
    assert panel.text.startswith('<section class="card claims" id="claims"')


def test_an_empty_request_is_summed_up_by_the_page_and_nothing_is_asked(
    client: TestClient, world: World, app_state: AppState
) -> None:
    # The message was checked by the browser (required), whose bubble gave no summary.
    sign_in(client, "rita@robots.example")
    page = f"/organisations/{world.robots}"
    shown = client.get(page).text

    refused = _ask(client, world.robots, "")
    panel = _ask(client, world.robots, "", headers=HTMX)

    reason = "is required: say who you are and how you belong to the organisation"
    assert is_novalidate(shown, f"{page}/claims")
    assert (refused.status_code, panel.status_code) == (422, 200)
    assert summary_items(refused.text) == summary_items(panel.text) == [f"Your request: {reason}"]
    assert invalid_fields(refused.text) == invalid_fields(panel.text) == [("claim-message", reason)]
    with app_state.database.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(OrganisationClaim)) == 0


def test_the_claim_form_leaves_an_empty_message_to_the_server_that_names_it(
    client: TestClient, world: World
) -> None:
    # The walk of 2026-12-08: the browser stopped an empty message with a bubble of its own,
    # so the reason above was never shown.
    sign_in(client, "rita@robots.example")

    page = client.get(f"/organisations/{world.robots}")

    forms = re.findall(r"<form [^>]*action=\"[^\"]*/claims\"[^>]*>", page.text)
    assert [("novalidate" in form) for form in forms] == [True]


def test_a_message_of_the_limits_length_is_saved_whole_and_a_longer_one_kept(
    client: TestClient, world: World, app_state: AppState
) -> None:
    sign_in(client, "rita@robots.example")
    long, whole = "m" * (MAX_MESSAGE_LENGTH + 1), "m" * MAX_MESSAGE_LENGTH

    shown = client.get(f"/organisations/{world.robots}").text
    refused = _ask(client, world.robots, long)
    saved = _ask(client, world.robots, whole)

    reason = f"must be at most {MAX_MESSAGE_LENGTH:,} characters, not {MAX_MESSAGE_LENGTH + 1:,}"
    assert '<textarea id="claim-message" name="message" rows="3" required ' in shown
    assert refused.status_code == 422
    assert invalid_fields(refused.text) == [("claim-message", reason)]
    assert f'aria-describedby="claim-message-error">{long}</textarea>' in refused.text
    assert saved.status_code == 303
    with app_state.database.unit_of_work() as session:
        assert session.scalars(sa.select(OrganisationClaim.message)).all() == [whole]


def test_a_second_claim_is_409(client: TestClient, world: World) -> None:
    sign_in(client, "rita@robots.example")
    _ask(client, world.robots)

    again = _ask(client, world.robots)

    assert again.status_code == 409
    assert "You already asked to manage Tiny Robots GmbH: wait for the answer" in again.text


def test_strangers_and_requesters_cannot_decide(
    client: TestClient, second: TestClient, world: World
) -> None:
    sign_in(client, "rita@robots.example")
    _ask(client, world.robots)
    sign_in(second, "mia@robots.example")
    claim_id = _claim_id(second.get(f"/organisations/{world.robots}").text)
    sign_in(second, "sam@example.org")
    own = csrf_token(client, "/account")
    stranger = csrf_token(second, "/account")

    by_stranger = second.post(
        f"/organisations/{world.robots}/claims/{claim_id}/approve",
        data={"csrf_token": stranger},
    )
    stranger_page = second.get(f"/organisations/{world.robots}").text
    by_requester = client.post(
        f"/organisations/{world.robots}/claims/{claim_id}/approve", data={"csrf_token": own}
    )
    on_another_page = client.post(
        f"/organisations/{world.other}/claims/{claim_id}/approve", data={"csrf_token": own}
    )

    assert by_stranger.status_code == 404
    assert MESSAGE not in stranger_page
    assert "Rita Requester" not in stranger_page
    assert by_requester.status_code == 403
    assert "You cannot decide on your own claim" in by_requester.text
    assert on_another_page.status_code == 404
    assert client.get(f"/organisations/{world.robots}/edit").status_code == 403


def test_a_claim_for_another_organisations_page_is_404(
    client: TestClient, world: World, app_state: AppState, tmp_path: Path
) -> None:
    notifier = ClaimNotifier(FileMailer(tmp_path, "x@example.org"), "http://testserver")
    with app_state.database.unit_of_work() as session:
        rita = get_user_by_email(session, "rita@robots.example")
        assert rita is not None
        claim = create_claim(session, rita, world.other, message=MESSAGE, notifier=notifier)
        claim_id = claim.id
    sign_in(client, "mia@robots.example")

    response = client.post(
        f"/organisations/{world.robots}/claims/{claim_id}/approve",
        data={"csrf_token": csrf_token(client, "/account")},
    )

    assert response.status_code == 404
    assert 'data-requester="Rita Requester"' in client.get(f"/organisations/{world.other}").text


def test_claims_forms_need_the_csrf_token(client: TestClient, world: World) -> None:
    sign_in(client, "rita@robots.example")

    response = client.post(f"/organisations/{world.robots}/claims", data={"message": MESSAGE})

    assert response.status_code == 403
    assert 'data-testid="claim-state"' not in client.get(f"/organisations/{world.robots}").text


def test_the_page_query_count_does_not_grow_with_pending_claims(
    client: TestClient, world: World, app_state: AppState, tmp_path: Path
) -> None:
    notifier = ClaimNotifier(FileMailer(tmp_path, "x@example.org"), "http://testserver")
    sign_in(client, "mia@robots.example")
    counts = []
    for first, last in ((0, 1), (1, 3)):
        with app_state.database.unit_of_work() as session:
            for number in range(first, last):
                user = make_user(
                    session, email=f"asker{number}@example.org", name=f"Asker {number}"
                )
                create_claim(
                    session, user, world.robots, message=f"Asker {number}", notifier=notifier
                )
        with count_queries(app_state.database.engine) as log:
            page = client.get(f"/organisations/{world.robots}").text
        assert page.count('data-testid="pending-claim"') == last
        counts.append(log.count)

    assert counts[0] == counts[1]


def test_an_administrator_finds_every_claim_waiting_on_one_page(
    client: TestClient, second: TestClient, world: World
) -> None:
    # A claim is decided on its organisation's page; an administrator, who may decide every
    # claim, needs to know which pages to open. Others are refused the list.
    sign_in(client, "rita@robots.example")
    _ask(client, world.robots)
    sign_in(second, "ada@example.org")

    listed = second.get("/admin/claims")
    account = second.get("/account").text
    refused = client.get("/admin/claims")

    [item] = re.findall(
        r'<li class="card" data-testid="claim-to-decide">(.*?)</li>', listed.text, re.S
    )
    assert listed.status_code == 200
    assert (
        f'<a href="/organisations/{world.robots}#claims"><strong>Tiny Robots GmbH</strong></a>'
        in item
    )
    assert "Rita Requester · rita@robots.example · " in item
    assert MESSAGE in item
    assert '<a href="/admin/claims">Claims waiting for a decision</a>' in account
    assert refused.status_code == 403
    assert 'data-testid="administration"' not in client.get("/account").text
