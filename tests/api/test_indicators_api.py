"""The indicator endpoints: a partner defines indicators and reads each series, changes one,
enters manual values, links and unlinks activities and issues reports; mistakes are 4xx naming
the field; strangers get 404. The app's clock is at the end of 2026."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.config import Settings
from clusterbridge.db.models import ProgrammeCall
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import CallKind, UserRole
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.web.app import create_app
from tests.factories.indicators import make_indicator_world
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)


@pytest.fixture
def api(clean_database: Database, settings: Settings) -> Iterator[TestClient]:
    state = AppState(settings, clean_database, load_catalogue(), clock=lambda: NOW)
    with TestClient(create_app(state), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def world(clean_database: Database) -> dict[str, object]:
    with clean_database.unit_of_work() as session:
        indicators = make_indicator_world(session)
        stranger = make_user(session, email="sam@example.org")
        admin = make_user(session, email="ada@example.org", role=UserRole.ADMINISTRATOR)
        foreign = ProgrammeCall(identifier="ADMIN-OPEN", title="Admin's open call",
                                kind=CallKind.CASCADE, call_file="", selection={},
                                created_by=admin)  # fmt: skip
        session.add(foreign)
        session.flush()
        headers = {
            who: {"Authorization": f"Bearer {create_api_token(session, user, name='t')[1]}"}
            for who, user in (("manager", indicators.manager), ("sam", stranger), ("ada", admin))
        }
        return {
            "project": indicators.project.id,
            "E2": indicators.events["E2"].id,
            "foreign_call": foreign.id,
            "headers": headers,
        }


def test_a_partner_defines_reads_and_changes_indicators(api: TestClient, world: dict) -> None:  # type: ignore[type-arg]
    project, headers = world["project"], world["headers"]["manager"]
    body = {"name": "Meetings", "unit": "meetings", "source": "meetings_held", "target": 5,
            "targets": [{"period": 1, "value": 2}]}  # fmt: skip

    created = api.post(f"/api/projects/{project}/indicators", json=body, headers=headers)
    manual = api.post(
        f"/api/projects/{project}/indicators",
        json={"name": "Webinars", "unit": "webinars"},
        headers=headers,
    ).json()
    value = api.put(
        f"/api/indicators/{manual['id']}/values/2",
        json={"value": "1.5", "note": "n"},
        headers=headers,
    )
    refused = api.put(
        f"/api/indicators/{created.json()['id']}/values/1", json={"value": 1}, headers=headers
    )
    changed = api.patch(
        f"/api/indicators/{created.json()['id']}", json={"target": None}, headers=headers
    )
    unlinked = api.delete(f"/api/projects/{project}/links/event/{world['E2']}", headers=headers)
    series = api.get(f"/api/indicators/{created.json()['id']}/series", headers=headers).json()
    report = api.post(f"/api/projects/{project}/reports/2", headers=headers)
    listed = api.get(f"/api/projects/{project}/indicators", headers=headers).json()

    assert created.status_code == 201
    assert [(p["period"], p["value"], p["target"]) for p in created.json()["points"]] == [
        (1, 2.0, 2.0),
        (2, 1.0, None),
    ]
    assert (created.json()["total"]["value"], created.json()["total"]["progress_percent"]) == (
        3.0,
        60.0,
    )
    assert [p["value"] for p in value.json()["points"]] == [None, 1.5]
    assert refused.status_code == 422
    assert [i["field"] for i in refused.json()["errors"]] == ["indicator"]
    assert (changed.status_code, changed.json()["total"]["target"]) == (200, None)
    assert unlinked.status_code == 204
    assert [p["value"] for p in series["points"]] == [2.0, 0.0]
    assert (report.status_code, report.json()["version"], report.json()["indicators"]) == (
        201,
        1,
        2,
    )
    assert [s["name"] for s in listed] == ["Meetings", "Webinars"]


def test_strangers_get_404_and_links_are_checked(api: TestClient, world: dict) -> None:  # type: ignore[type-arg]
    project, manager, sam = world["project"], world["headers"]["manager"], world["headers"]["sam"]

    hidden = api.get(f"/api/projects/{project}/indicators", headers=sam)
    twice = api.post(
        f"/api/projects/{project}/links", json={"kind": "event", "id": world["E2"]},
        headers=world["headers"]["ada"],
    )  # fmt: skip
    unknown = api.post(
        f"/api/projects/{project}/links", json={"kind": "call", "id": 999}, headers=manager
    )
    links = api.get(f"/api/projects/{project}/links", headers=manager).json()

    assert hidden.status_code == 404
    assert twice.status_code == 409
    assert (unknown.status_code, unknown.json()["errors"]) == (
        422, [{"location": "", "field": "id", "reason": "is not a cascade call of the platform"}]
    )  # fmt: skip
    assert [(link["kind"], link["name"]) for link in links] == [
        ("event", "E1"), ("event", "E2"), ("event", "E4"), ("partnership", "IND partnership"),
        ("call", "IND-OPEN: Open call"),
    ]  # fmt: skip


def test_a_period_given_two_targets_is_refused(api: TestClient, world: dict) -> None:  # type: ignore[type-arg]
    project, headers = world["project"], world["headers"]["manager"]
    body = {"name": "Webinars", "unit": "webinars", "targets": [{"period": 1, "value": 1},
                                                              {"period": 1, "value": 2}]}  # fmt: skip

    created = api.post(f"/api/projects/{project}/indicators", json=body, headers=headers)

    assert (created.status_code, created.json()["errors"]) == (422, [
        {"location": "body", "field": "targets",
         "reason": "period 1 is given twice: give one target per period"},
    ])  # fmt: skip


def test_a_call_or_event_the_user_does_not_run_cannot_be_claimed(
    api: TestClient, world: dict
) -> None:  # type: ignore[type-arg]
    project, manager, ada = world["project"], world["headers"]["manager"], world["headers"]["ada"]
    url = f"/api/projects/{project}/links"
    api.delete(f"{url}/event/{world['E2']}", headers=ada)

    call = api.post(url, json={"kind": "call", "id": world["foreign_call"]}, headers=manager)
    event = api.post(url, json={"kind": "event", "id": world["E2"]}, headers=manager)
    links = api.get(url, headers=manager).json()
    by_admin = api.post(url, json={"kind": "call", "id": world["foreign_call"]}, headers=ada)

    assert (call.status_code, call.json()["message"]) == (
        403, "You do not run the call ADMIN-OPEN: only the officer who created it or an "
        "administrator may count it for a project.",
    )  # fmt: skip
    assert (event.status_code, event.json()["message"]) == (
        403, "You do not run the event E2: only its organiser or an administrator may count it "
        "for a project.",
    )  # fmt: skip
    assert [(link["kind"], link["name"]) for link in links] == [
        ("event", "E1"), ("event", "E4"), ("partnership", "IND partnership"),
        ("call", "IND-OPEN: Open call"),
    ]  # fmt: skip
    assert by_admin.status_code == 201


def test_a_value_for_a_period_not_started_or_beyond_the_end_is_refused(
    clean_database: Database,
    settings: Settings,
    world: dict,  # type: ignore[type-arg]
) -> None:
    spring = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    state = AppState(settings, clean_database, load_catalogue(), clock=lambda: spring)
    headers = world["headers"]["manager"]
    with TestClient(create_app(state), base_url="http://testserver") as api:
        manual = api.post(
            f"/api/projects/{world['project']}/indicators",
            json={"name": "Webinars", "unit": "webinars"},
            headers=headers,
        ).json()
        early = api.put(f"/api/indicators/{manual['id']}/values/2", json={"value": 1},
                        headers=headers)  # fmt: skip
        beyond = api.put(f"/api/indicators/{manual['id']}/values/3", json={"value": 1},
                         headers=headers)  # fmt: skip
        series = api.get(f"/api/indicators/{manual['id']}/series", headers=headers).json()

    assert (early.status_code, beyond.status_code) == (422, 422)
    assert early.json()["errors"] == [
        {"location": "", "field": "period",
         "reason": "period 2 has not started (it starts on 01 July 2026)"}
    ]  # fmt: skip
    assert beyond.json()["errors"][0]["reason"] == "the project has periods 1 to 2"
    assert [(p["period"], p["value"]) for p in series["points"]] == [(1, None)]


#: Half past eleven in the evening of 30 June 2026 in UTC: already 1 July (01:30) in Brussels,
#: the day period 2 starts.
LATE_EVENING_UTC = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("time_zone", "status", "points"),
    [("Europe/Brussels", 200, [(1, None), (2, 4.0)]), ("UTC", 422, [(1, None)])],
)
def test_a_period_that_started_today_in_the_sites_time_zone_takes_values(
    clean_database: Database,
    settings: Settings,
    world: dict,  # type: ignore[type-arg]
    time_zone: str,
    status: int,
    points: list[tuple[int, float | None]],
) -> None:
    site = settings.model_copy(update={"time_zone": time_zone})
    state = AppState(site, clean_database, load_catalogue(), clock=lambda: LATE_EVENING_UTC)
    headers = world["headers"]["manager"]
    with TestClient(create_app(state), base_url="http://testserver") as api:
        manual = api.post(
            f"/api/projects/{world['project']}/indicators",
            json={"name": "Webinars", "unit": "webinars"},
            headers=headers,
        ).json()
        entered = api.put(f"/api/indicators/{manual['id']}/values/2", json={"value": 4},
                          headers=headers)  # fmt: skip
        series = api.get(f"/api/indicators/{manual['id']}/series", headers=headers).json()

    assert entered.status_code == status
    assert [(p["period"], p["value"]) for p in series["points"]] == points


@pytest.mark.parametrize("place", ["baseline", "targets", "value"])
def test_a_number_too_small_to_store_is_refused_not_read_as_0(
    api: TestClient,
    world: dict,  # type: ignore[type-arg]
    place: str,
) -> None:
    project, headers = world["project"], world["headers"]["manager"]
    manual = api.post(
        f"/api/projects/{project}/indicators",
        json={"name": "Webinars", "unit": "webinars"},
        headers=headers,
    ).json()
    url, body = {
        "baseline": (f"/api/projects/{project}/indicators",
                     '{"name": "Trainings", "unit": "trainings", "baseline": 1e-400}'),
        "targets": (f"/api/projects/{project}/indicators",
                    '{"name": "Trainings", "unit": "trainings", "targets": [{"period": 1, '
                    '"value": 1e-400}]}'),
        "value": (f"/api/indicators/{manual['id']}/values/2", '{"value": 1e-400}'),
    }[place]  # fmt: skip
    send = api.put if place == "value" else api.post

    response = send(url, content=body, headers=headers | {"Content-Type": "application/json"})

    column = body.index("1e-400") + 1
    assert (response.status_code, response.json()["errors"]) == (
        422,
        [
            {
                "location": "body",
                "field": "body",
                "reason": '"1e-400" is too small to store: write 0 or a number with fewer '
                f"decimals (line 1, column {column})",
            }
        ],
    )
    series = api.get(f"/api/indicators/{manual['id']}/series", headers=headers).json()
    names = [
        i["name"] for i in api.get(f"/api/projects/{project}/indicators", headers=headers).json()
    ]
    assert (names.count("Trainings"), [p["value"] for p in series["points"]]) == (0, [None, None])
