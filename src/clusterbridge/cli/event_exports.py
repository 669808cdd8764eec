"""``clusterbridge events export``: an event's participants, requests, meetings or agendas as
a CSV or XLSX file."""

from typing import Annotated

import typer

from clusterbridge.cli.common import (
    TableFormatOption,
    TableOutputOption,
    database,
    require_output_file,
    user_errors,
    write_output,
)
from clusterbridge.domain.enums import EventExport
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.events import events
from clusterbridge.services.events.exports import export_event
from clusterbridge.services.workbooks import TableFormat


def export(
    event_id: Annotated[
        int, typer.Argument(metavar="EVENT", help="The event's number.", min=1, max=MAX_ID)
    ],
    kind: Annotated[
        EventExport,
        typer.Argument(
            metavar="WHAT",
            help="participants, requests (every meeting request), meetings (the accepted "
            "ones, with slot and room) or agendas (every participant's meetings).",
        ),
    ],
    file_format: TableFormatOption = TableFormat.CSV,
    output: TableOutputOption = None,
) -> None:
    """Export an event's participants, requests, meetings or agendas (times in the event's
    time zone), acting as its organiser. An XLSX file needs --output."""
    if file_format is TableFormat.XLSX:
        require_output_file(output, what="an XLSX file")
    with user_errors(), database() as db, db.unit_of_work() as unit:
        organiser = events.get_organiser(unit, event_id)
        exported = export_event(unit, organiser, event_id, kind=kind, file_format=file_format)
    write_output(exported.content, output)
