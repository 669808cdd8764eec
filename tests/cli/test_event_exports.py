"""``clusterbridge events export``: exact files in both formats, and bad input."""

from pathlib import Path

import pytest

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import EventExport
from tests.cli.conftest import Invoke
from tests.factories.event_exports import (
    ExportedEvent,
    as_csv,
    as_xlsx,
    expected_table,
    make_exported_event,
    read_csv_table,
    read_xlsx_table,
)

pytestmark = [pytest.mark.e2e, pytest.mark.db]


@pytest.fixture
def data(cli_database: Database, data_dir: Path) -> ExportedEvent:
    """The export event in the CLI's configured database (emptied afterwards)."""
    with cli_database.unit_of_work() as session:
        exported = make_exported_event(session)
    return exported


@pytest.mark.parametrize("kind", list(EventExport))
def test_events_export_csv_to_stdout_is_the_exact_table(
    invoke: Invoke, data: ExportedEvent, kind: EventExport
) -> None:
    result = invoke("events", "export", str(data.event.id), kind.value)

    assert result.exit_code == 0
    assert read_csv_table(result.stdout_bytes) == as_csv(expected_table(data, kind))


@pytest.mark.parametrize("kind", list(EventExport))
def test_events_export_xlsx_to_a_file_is_the_exact_table(
    invoke: Invoke, data: ExportedEvent, kind: EventExport, tmp_path: Path
) -> None:
    output = tmp_path / f"{kind.value}.xlsx"

    result = invoke(
        "events",
        "export",
        str(data.event.id),
        kind.value,
        "--format",
        "xlsx",
        "--output",
        str(output),
    )

    assert (result.exit_code, result.stderr) == (0, f"Written to {output}\n")
    assert read_xlsx_table(output.read_bytes()) == (
        kind.value,
        as_xlsx(expected_table(data, kind)),
        ["n", "s"],
    )


def test_events_export_of_an_unknown_event_exits_2(invoke: Invoke, data: ExportedEvent) -> None:
    result = invoke("events", "export", "999999", "participants")

    assert (result.exit_code, result.stderr) == (2, "Error: There is no event 999999.\n")


def test_events_export_of_an_unknown_kind_exits_2(invoke: Invoke, data: ExportedEvent) -> None:
    result = invoke("events", "export", str(data.event.id), "invoices")

    assert (result.exit_code, result.stderr) == (
        2,
        'Error: WHAT: "invoices" is not a choice; use participants, requests, meetings, agendas.\n',
    )


def test_events_export_xlsx_without_output_exits_2(invoke: Invoke, data: ExportedEvent) -> None:
    result = invoke("events", "export", str(data.event.id), "participants", "--format", "xlsx")

    assert (result.exit_code, result.stdout_bytes, result.stderr) == (
        2,
        b"",
        "Error: --output: an XLSX file must be written to a file; give --output FILE.\n",
    )
