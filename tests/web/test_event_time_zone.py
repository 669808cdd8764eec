"""A participant chooses the time zone of their mail when registering on the event page."""

import re

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.repositories.events import get_event
from clusterbridge.domain.enums import OrgType
from clusterbridge.web.templating import time_zone_choices
from tests.factories.event_exports import ExportedEvent, make_exported_event
from tests.factories.events import make_person
from tests.factories.organisations import add_member, make_organisation
from tests.web.helpers import csrf_token, sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def data(app_state: AppState) -> tuple[ExportedEvent, int]:
    with app_state.database.unit_of_work() as session:
        zoe = make_person(session, email="zoe@example.org", name="Zoe")
        organisation = make_organisation(session, name="Zoe Lda", type=OrgType.SME)
        add_member(session, organisation, zoe)
        return make_exported_event(session), organisation.id


def _selected(page: str) -> list[str]:
    select = page.split('name="time_zone"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)" selected>', select)


def test_registering_with_a_time_zone_keeps_it_and_shows_it_chosen(
    client: TestClient, app_state: AppState, data: tuple[ExportedEvent, int]
) -> None:
    exported, organisation_id = data
    url = f"/events/{exported.event.id}"
    sign_in(client, "zoe@example.org")
    blank = client.get(url)

    saved = client.post(
        f"{url}/register",
        data={
            "organisation_id": str(organisation_id),
            "time_zone": "Europe/Lisbon",
            "csrf_token": csrf_token(client, url),
        },
        follow_redirects=False,
    )

    assert _selected(blank.text) == [""]
    assert saved.status_code == 303
    assert _selected(client.get(url).text) == ["Europe/Lisbon"]
    with app_state.database.unit_of_work() as session:
        event = get_event(session, exported.event.id)
        assert event is not None
        assert [(p.user.name, p.time_zone) for p in event.participants if p.user.name == "Zoe"] == [
            ("Zoe", "Europe/Lisbon")
        ]


def test_registering_with_an_unknown_time_zone_says_why_and_keeps_what_was_typed(
    client: TestClient, data: tuple[ExportedEvent, int]
) -> None:
    exported, organisation_id = data
    url = f"/events/{exported.event.id}"
    sign_in(client, "zoe@example.org")

    refused = client.post(
        f"{url}/register",
        data={
            "organisation_id": str(organisation_id),
            "offers": "cork",
            "time_zone": "Mars/Olympus",
            "csrf_token": csrf_token(client, url),
        },
        follow_redirects=False,
    )

    assert refused.status_code == 422
    assert re.findall(r'data-testid="error-time_zone">([^<]*)<', refused.text) == [
        "&#34;Mars/Olympus&#34; is not a known time zone; use a name such as Europe/Brussels"
    ]
    assert '<textarea id="offers" name="offers" rows="3" data-testid="offers" >cork</textarea>' in (
        refused.text
    )


def test_the_registration_form_offers_the_time_zones_the_event_settings_offer(
    client: TestClient, data: tuple[ExportedEvent, int]
) -> None:
    # The QA of 2026-12-07: 600 names here (with Etc/GMT+3, US/Eastern, ...) against the event
    # settings' 490. Both now offer UTC and the zones of tzdata's zone.tab.
    exported, _organisation_id = data
    sign_in(client, "zoe@example.org")

    page = client.get(f"/events/{exported.event.id}").text

    offered = _offered(page)
    assert offered == time_zone_choices()
    assert "Etc/GMT+3" not in offered


def test_a_saved_alias_of_a_time_zone_stays_chosen_though_the_lists_offer_its_current_name(
    client: TestClient, app_state: AppState, data: tuple[ExportedEvent, int]
) -> None:
    # Europe/Kiev is tzdata's old name of Europe/Kyiv: no longer offered, still valid.
    exported, organisation_id = data
    url = f"/events/{exported.event.id}"
    with app_state.database.unit_of_work() as session:
        event = get_event(session, exported.event.id)
        assert event is not None
        event.time_zone = "Asia/Calcutta"
    sign_in(client, "zoe@example.org")

    saved = client.post(
        f"{url}/register",
        data={
            "organisation_id": str(organisation_id),
            "time_zone": "Europe/Kiev",
            "csrf_token": csrf_token(client, url),
        },
        follow_redirects=False,
    )
    page = client.get(url).text
    sign_in(client, "olga@events.example")
    manage = client.get(f"{url}/manage").text

    assert saved.status_code == 303
    assert (_selected(page), _offered(page).count("Europe/Kiev")) == (["Europe/Kiev"], 1)
    assert "Europe/Kyiv" in _offered(page)
    assert (_selected(manage), _offered(manage).count("Asia/Calcutta")) == (["Asia/Calcutta"], 1)
    assert "Asia/Kolkata" in _offered(manage)


def _offered(page: str) -> list[str]:
    select = page.split('name="time_zone"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]+)"', select)


def test_every_time_zone_list_labels_a_zone_with_spaces_and_keeps_its_name_as_the_value(
    client: TestClient, app_state: AppState, data: tuple[ExportedEvent, int]
) -> None:
    exported, _organisation_id = data
    url = f"/events/{exported.event.id}"
    with app_state.database.unit_of_work() as session:
        event = get_event(session, exported.event.id)
        assert event is not None
        event.time_zone = "Africa/Addis_Ababa"
    sign_in(client, "olga@events.example")

    pages = [client.get(url).text, client.get(f"{url}/manage").text]

    assert [_labels(page)["Africa/Addis_Ababa"] for page in pages] == ["Africa/Addis Ababa"] * 2
    assert "times in Africa/Addis Ababa" in pages[0]


def _labels(page: str) -> dict[str, str]:
    select = page.split('name="time_zone"', 1)[1].split("</select>", 1)[0]
    return dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', select))
