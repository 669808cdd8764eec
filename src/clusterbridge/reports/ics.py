"""iCalendar (RFC 5545) files of meetings, written by hand: UTC times, escaped text, folded lines.

Times are written in UTC (``...Z``), which every calendar converts to the reader's zone, so the
file needs no VTIMEZONE. Each meeting's UID is stable (event, meeting and site) and its SEQUENCE
grows with each move, so importing the file again updates the meetings rather than copying them;
a meeting that was withdrawn is written with STATUS:CANCELLED, so that calendars remove it.
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

PRODID: Final = "-//clusterbridge//match-making events//EN"
#: Content lines longer than this many octets are folded (RFC 5545, 3.1).
MAX_LINE_OCTETS: Final = 75
CRLF: Final = "\r\n"
#: Unicode categories never written into a value: controls (C0, DEL, C1, among them CR and LF,
#: which would end the content line) and the line and paragraph separators, which some readers
#: also take for line ends.
UNWRITTEN_CATEGORIES: Final = frozenset({"Cc", "Zl", "Zp"})


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One meeting as a calendar event."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    #: The revision (RFC 5545 SEQUENCE): raised each time the meeting's time or room changes,
    #: so a calendar that imported an older copy replaces it.
    sequence: int = 0
    #: Written as STATUS:CANCELLED (and free time) instead of CONFIRMED.
    cancelled: bool = False


def render_calendar(entries: Sequence[CalendarEntry], *, name: str, stamp: datetime) -> str:
    """A VCALENDAR with one VEVENT per entry, lines ended by CRLF and folded at 75 octets.
    ``stamp`` (aware) becomes every DTSTAMP: when the file was made."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for entry in entries:
        lines.extend(_event_lines(entry, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines)


def _event_lines(entry: CalendarEntry, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(entry.uid)}",
        f"DTSTAMP:{format_utc(stamp)}",
        f"DTSTART:{format_utc(entry.start)}",
        f"DTEND:{format_utc(entry.end)}",
        f"SEQUENCE:{entry.sequence}",
        f"SUMMARY:{escape_text(entry.summary)}",
    ]
    if entry.description:
        lines.append(f"DESCRIPTION:{escape_text(entry.description)}")
    if entry.location:
        lines.append(f"LOCATION:{escape_text(entry.location)}")
    if entry.url:
        lines.append(f"URL:{escape_uri(entry.url)}")
    if entry.cancelled:
        lines += ["STATUS:CANCELLED", "TRANSP:TRANSPARENT", "END:VEVENT"]
    else:
        lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT"]
    return lines


def format_utc(moment: datetime) -> str:
    """An aware datetime as an RFC 5545 UTC DATE-TIME: ``20250310T090000Z``."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: give a time zone")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(value: str) -> str:
    """A TEXT value escaped: backslash, semicolon, comma and line breaks (RFC 5545, 3.3.11)."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    escaped = escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _without_line_ends(escaped)


def escape_uri(value: str) -> str:
    """A URI value (RFC 5545, 3.3.13) with every control character and line separator dropped,
    so that it cannot end its content line and start properties or components of its own."""
    return _without_line_ends(value)


def _without_line_ends(value: str) -> str:
    return "".join(char for char in value if unicodedata.category(char) not in UNWRITTEN_CATEGORIES)


def fold_line(line: str) -> str:
    """``line`` folded into pieces of at most 75 octets joined by CRLF and a space, never
    splitting a UTF-8 character."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        # Continuation lines start with a space, which counts towards their 75 octets.
        limit = MAX_LINE_OCTETS if not pieces else MAX_LINE_OCTETS - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)
