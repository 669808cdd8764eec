"""iCalendar output: exact lines, escaping, folding, UTC times."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from clusterbridge.reports.ics import CalendarEntry, escape_text, fold_line, render_calendar

pytestmark = pytest.mark.unit

STAMP = datetime(2024, 12, 1, 9, 0, tzinfo=UTC)
CET = timezone(timedelta(hours=1))


def test_render_calendar_writes_one_vevent_per_entry_with_crlf() -> None:
    entry = CalendarEntry(
        uid="event-1-meeting-7@clusterbridge.example",
        start=datetime(2025, 3, 10, 9, 0, tzinfo=CET),
        end=datetime(2025, 3, 10, 9, 20, tzinfo=CET),
        summary="Meeting with Weaver; Co, Ltd",
        description="Line one\nLine two \\ end",
        location="https://meet.example.org/1-7",
        url="https://meet.example.org/1-7",
        sequence=2,
    )

    calendar = render_calendar([entry], name="Textile meets Tech", stamp=STAMP)

    assert calendar == (
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        "PRODID:-//clusterbridge//match-making events//EN\r\n"
        "CALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\n"
        "X-WR-CALNAME:Textile meets Tech\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:event-1-meeting-7@clusterbridge.example\r\n"
        "DTSTAMP:20241201T090000Z\r\n"
        "DTSTART:20250310T080000Z\r\n"
        "DTEND:20250310T082000Z\r\n"
        "SEQUENCE:2\r\n"
        "SUMMARY:Meeting with Weaver\\; Co\\, Ltd\r\n"
        "DESCRIPTION:Line one\\nLine two \\\\ end\r\n"
        "LOCATION:https://meet.example.org/1-7\r\n"
        "URL:https://meet.example.org/1-7\r\n"
        "STATUS:CONFIRMED\r\n"
        "TRANSP:OPAQUE\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )


def test_fold_line_keeps_each_line_within_75_octets_and_whole_characters() -> None:
    line = "SUMMARY:" + "é" * 80

    folded = fold_line(line)

    pieces = folded.split("\r\n")
    assert [len(piece.encode()) for piece in pieces] == [74, 75, 21]
    assert "".join(piece.removeprefix(" ") for piece in pieces) == line


def test_fold_line_leaves_a_short_line_alone() -> None:
    assert fold_line("VERSION:2.0") == "VERSION:2.0"


def test_escape_text_drops_control_characters_and_normalises_line_breaks() -> None:
    assert escape_text("a\r\nb\rc\x07d") == "a\\nb\\ncd"


def test_a_cancelled_entry_is_written_as_cancelled_free_time() -> None:
    entry = CalendarEntry(
        uid="event-1-meeting-8@clusterbridge.example",
        start=datetime(2025, 3, 10, 8, 0, tzinfo=UTC),
        end=datetime(2025, 3, 10, 8, 20, tzinfo=UTC),
        summary="Cancelled: Meeting with Weaver",
        sequence=3,
        cancelled=True,
    )

    calendar = render_calendar([entry], name="Textile meets Tech", stamp=STAMP)

    assert calendar.split("\r\n")[6:-2] == [
        "BEGIN:VEVENT",
        "UID:event-1-meeting-8@clusterbridge.example",
        "DTSTAMP:20241201T090000Z",
        "DTSTART:20250310T080000Z",
        "DTEND:20250310T082000Z",
        "SEQUENCE:3",
        "SUMMARY:Cancelled: Meeting with Weaver",
        "STATUS:CANCELLED",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def test_no_value_can_add_lines_components_or_alarms() -> None:
    hostile = "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\nBEGIN:VALARM\rTRIGGER:-PT1M\u2028\x85"
    entry = CalendarEntry(
        uid="event-1-meeting-7@clusterbridge.example" + hostile,
        start=datetime(2025, 3, 10, 9, 0, tzinfo=UTC),
        end=datetime(2025, 3, 10, 9, 20, tzinfo=UTC),
        summary=hostile,
        location=hostile,
        url="https://meet.example.org/1-7" + hostile,
    )

    calendar = render_calendar([entry], name=hostile, stamp=STAMP)
    lines = calendar.split("\r\n")
    unfolded = calendar.replace("\r\n ", "").split("\r\n")

    assert [line for line in unfolded if line.startswith(("BEGIN:", "END:"))] == [
        "BEGIN:VCALENDAR",
        "BEGIN:VEVENT",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    assert [line for line in unfolded if line.startswith("URL:")] == [
        "URL:https://meet.example.org/1-7xEND:VEVENTBEGIN:VEVENTBEGIN:VALARMTRIGGER:-PT1M"
    ]
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "\n" not in calendar.replace("\r\n", "")
    assert "\r" not in calendar.replace("\r\n", "")
