"""``GET /api/events/{id}/exports/{kind}``: the organiser's CSV and XLSX files, and who may."""

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.domain.enums import EventExport, UserRole
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.event_exports import (
    ExportedEvent,
    as_csv,
    as_xlsx,
    expected_table,
    make_exported_event,
    read_csv_table,
    read_xlsx_table,
)
from tests.factories.events import make_person

pytestmark = [pytest.mark.integration, pytest.mark.db]


def _token(app_state: AppState, email: str, role: UserRole) -> dict[str, str]:
    with app_state.database.unit_of_work() as session:
        user = make_person(
            session, email=email, name=email.split("@", maxsplit=1)[0].title(), role=role
        )
        _row, raw = create_api_token(session, user, name="test")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def exported(app_state: AppState) -> tuple[ExportedEvent, dict[str, str]]:
    """The export event, and the organiser's token."""
    with app_state.database.unit_of_work() as session:
        organiser = make_person(
            session, email="olga@events.example", name="Olga", role=UserRole.EVENT_ORGANISER
        )
        data = make_exported_event(session, organiser=organiser)
        _row, raw = create_api_token(session, organiser, name="test")
    return data, {"Authorization": f"Bearer {raw}"}


@pytest.mark.parametrize("kind", list(EventExport))
def test_export_csv_through_the_api_is_the_exact_table(
    client: TestClient, exported: tuple[ExportedEvent, dict[str, str]], kind: EventExport
) -> None:
    data, headers = exported

    response = client.get(f"/api/events/{data.event.id}/exports/{kind.value}", headers=headers)

    assert (response.status_code, response.headers["content-type"]) == (
        200,
        "text/csv; charset=utf-8",
    )
    assert response.headers["content-disposition"] == (
        f'attachment; filename="event-{data.event.id}-{kind.value}.csv"'
    )
    assert read_csv_table(response.content) == as_csv(expected_table(data, kind))


@pytest.mark.parametrize("kind", list(EventExport))
def test_export_xlsx_through_the_api_is_the_exact_table(
    client: TestClient, exported: tuple[ExportedEvent, dict[str, str]], kind: EventExport
) -> None:
    data, headers = exported

    response = client.get(
        f"/api/events/{data.event.id}/exports/{kind.value}?format=xlsx", headers=headers
    )

    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        f'attachment; filename="event-{data.event.id}-{kind.value}.xlsx"'
    )
    assert read_xlsx_table(response.content) == (
        kind.value,
        as_xlsx(expected_table(data, kind)),
        ["n", "s"],
    )


def test_export_by_another_organiser_is_403(
    client: TestClient, app_state: AppState, exported: tuple[ExportedEvent, dict[str, str]]
) -> None:
    data, _headers = exported
    other = _token(app_state, "eve@events.example", UserRole.EVENT_ORGANISER)

    response = client.get(f"/api/events/{data.event.id}/exports/participants", headers=other)

    assert (response.status_code, response.json()["message"]) == (
        403,
        "Only the organiser of this event may do this",
    )


def test_export_of_an_unknown_event_is_404(
    client: TestClient, exported: tuple[ExportedEvent, dict[str, str]]
) -> None:
    _data, headers = exported

    response = client.get("/api/events/999999/exports/participants", headers=headers)

    assert (response.status_code, response.json()["message"]) == (404, "There is no event 999999")


def test_export_without_a_token_is_401(
    client: TestClient, exported: tuple[ExportedEvent, dict[str, str]]
) -> None:
    data, _headers = exported

    response = client.get(f"/api/events/{data.event.id}/exports/meetings")

    assert response.status_code == 401


def test_export_of_an_unknown_kind_or_format_is_422(
    client: TestClient, exported: tuple[ExportedEvent, dict[str, str]]
) -> None:
    data, headers = exported

    kinds = client.get(f"/api/events/{data.event.id}/exports/invoices", headers=headers)
    formats = client.get(
        f"/api/events/{data.event.id}/exports/meetings?format=pdf", headers=headers
    )

    assert (kinds.status_code, formats.status_code) == (422, 422)
