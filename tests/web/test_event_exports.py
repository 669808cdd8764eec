"""The organiser's downloads on the management page: links, exact files, and who may."""

import re

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.repositories.events import get_event
from clusterbridge.domain.enums import EventExport, UserRole
from tests.factories.event_exports import (
    ExportedEvent,
    as_csv,
    as_xlsx,
    expected_table,
    make_exported_event,
    read_csv_table,
    read_xlsx_table,
)
from tests.factories.events import add_meeting, make_participants, make_person
from tests.querycount import count_queries
from tests.web.helpers import sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]

#: Statements an export sends (the signed-in user, then the event loaded whole), whatever its size.
QUERIES = 11


@pytest.fixture
def data(app_state: AppState) -> ExportedEvent:
    with app_state.database.unit_of_work() as session:
        organiser = make_person(
            session, email="olga@events.example", name="Olga", role=UserRole.EVENT_ORGANISER
        )
        make_person(session, email="eve@events.example", name="Eve", role=UserRole.EVENT_ORGANISER)
        return make_exported_event(session, organiser=organiser)


def test_manage_page_links_every_export_in_both_formats(
    client: TestClient, data: ExportedEvent
) -> None:
    sign_in(client, "olga@events.example")

    page = client.get(f"/events/{data.event.id}/manage")

    links = re.findall(r'href="(/events/\d+/exports/[^"]+)" download', page.text)
    assert links == [
        f"/events/{data.event.id}/exports/{kind.value}?format={file_format}"
        for kind in EventExport
        for file_format in ("xlsx", "csv")
    ]


@pytest.mark.parametrize("kind", list(EventExport))
def test_download_csv_is_the_exact_table(
    client: TestClient, data: ExportedEvent, kind: EventExport
) -> None:
    sign_in(client, "olga@events.example")

    response = client.get(f"/events/{data.event.id}/exports/{kind.value}?format=csv")

    assert (response.status_code, response.headers["content-disposition"]) == (
        200,
        f'attachment; filename="event-{data.event.id}-{kind.value}.csv"',
    )
    assert read_csv_table(response.content) == as_csv(expected_table(data, kind))


@pytest.mark.parametrize("kind", list(EventExport))
def test_download_xlsx_is_the_exact_table(
    client: TestClient, data: ExportedEvent, kind: EventExport
) -> None:
    sign_in(client, "olga@events.example")

    response = client.get(f"/events/{data.event.id}/exports/{kind.value}?format=xlsx")

    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert read_xlsx_table(response.content) == (
        kind.value,
        as_xlsx(expected_table(data, kind)),
        ["n", "s"],
    )


def test_download_by_another_organiser_is_403(client: TestClient, data: ExportedEvent) -> None:
    sign_in(client, "eve@events.example")

    response = client.get(f"/events/{data.event.id}/exports/participants?format=csv")

    assert response.status_code == 403
    assert "dan@example.org" not in response.text


def test_download_by_a_participant_is_403(client: TestClient, data: ExportedEvent) -> None:
    sign_in(client, "ana@example.org")

    response = client.get(f"/events/{data.event.id}/exports/participants?format=xlsx")

    assert response.status_code == 403
    assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_download_signed_out_is_sent_to_sign_in(client: TestClient, data: ExportedEvent) -> None:
    response = client.get(
        f"/events/{data.event.id}/exports/participants?format=csv", follow_redirects=False
    )

    assert (response.status_code, response.headers["location"].split("?")[0]) == (
        303,
        "/sign-in",
    )


@pytest.mark.parametrize("extra", [1, 3])
def test_an_export_needs_a_constant_number_of_queries(
    client: TestClient, app_state: AppState, data: ExportedEvent, extra: int
) -> None:
    with app_state.database.unit_of_work() as session:
        event = get_event(session, data.event.id)
        assert event is not None
        people = make_participants(session, event, *(f"Extra{n}" for n in range(extra)))
        ana = next(p for p in event.participants if p.id == data.ana.id)
        for person in people:
            add_meeting(session, event, requester=ana, recipient=person)
    sign_in(client, "olga@events.example")

    with count_queries(app_state.database.engine) as log:
        response = client.get(f"/events/{data.event.id}/exports/agendas?format=csv")

    assert len(read_csv_table(response.content)) == 5
    assert log.count == QUERIES
