"""Match-making events without a database: time slots, room links and time zones.

An event has sessions (a start and an end, in UTC); each session is cut into slots of the
event's slot length, numbered from 0 across sessions in time order. A slot that would run past
its session's end is not made. The scheduling engine sees only the slot numbers.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from string import Formatter
from typing import Final
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: The shortest and longest slot an event may have, in minutes.
MIN_SLOT_MINUTES: Final = 5
MAX_SLOT_MINUTES: Final = 240
#: The placeholders a virtual-room link template may use, and what each becomes.
ROOM_LINK_PLACEHOLDERS: Final[Mapping[str, str]] = {
    "event": "the event's number",
    "meeting": "the meeting's number",
    "room": "the room number (1, 2, ...), or 1 when the event has no room limit",
}


@dataclass(frozen=True, slots=True)
class SessionWindow:
    """One session of an event: an aware start and end (end after start)."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Slot:
    """A meeting slot: its number across the event, its session's position, start and end."""

    index: int
    session: int
    start: datetime
    end: datetime


def compute_slots(sessions: Sequence[SessionWindow], *, slot_minutes: int) -> tuple[Slot, ...]:
    """The slots of ``sessions`` (taken in the order given, which should be by start), each
    ``slot_minutes`` long, numbered from 0. A session's remainder shorter than a slot is left
    free. Pure: reads no clock."""
    length = timedelta(minutes=slot_minutes)
    slots: list[Slot] = []
    for position, window in enumerate(sessions):
        start = window.start
        while start + length <= window.end:
            slots.append(Slot(len(slots), position, start, start + length))
            start += length
    return tuple(slots)


def find_slot(slots: Sequence[Slot], start: datetime) -> Slot | None:
    """The slot that starts at ``start``, or None."""
    return next((slot for slot in slots if slot.start == start), None)


def slot_windows(slots: Sequence[Slot], numbers: Iterable[int]) -> list[SessionWindow]:
    """The times of the slots numbered ``numbers`` (from 1), adjoining slots joined into one
    window, in time order. Numbers outside ``1..len(slots)`` raise IndexError."""
    windows: list[SessionWindow] = []
    for number in sorted(set(numbers)):
        if not 1 <= number <= len(slots):
            raise IndexError(number)
        slot = slots[number - 1]
        if windows and windows[-1].end == slot.start:
            windows[-1] = SessionWindow(windows[-1].start, slot.end)
        else:
            windows.append(SessionWindow(slot.start, slot.end))
    return windows


def overlapped_slots(slots: Sequence[Slot], windows: Iterable[SessionWindow]) -> tuple[int, ...]:
    """The numbers (from 1) of the slots that overlap any of ``windows``, in order."""
    spans = list(windows)
    return tuple(
        slot.index + 1
        for slot in slots
        if any(window.start < slot.end and slot.start < window.end for window in spans)
    )


def check_time_zone(name: str) -> str | None:
    """Why ``name`` is not an IANA time zone (``Europe/Brussels``), or None when it is one."""
    if not name or name != name.strip() or name.startswith(("/", ".")) or ".." in name:
        return f'"{name}" is not a time zone name such as Europe/Brussels'
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f'"{name}" is not a known time zone; use a name such as Europe/Brussels'
    return None


def check_room_link_template(template: str) -> str | None:
    """Why ``template`` is not a usable room-link template, or None when it is.

    It must be an ``http(s)://`` address without white space or control characters (a line break
    would let it write lines of its own into calendar files), and may hold only the placeholders of
    ``ROOM_LINK_PLACEHOLDERS`` in braces, without formats (``{meeting}``, not ``{meeting:03}``).
    """
    allowed = ", ".join("{" + name + "}" for name in ROOM_LINK_PLACEHOLDERS)
    if any(char.isspace() or not char.isprintable() for char in template):
        return "must not contain spaces, line breaks, tabs or other control characters"
    try:
        parts = list(Formatter().parse(template))
    except ValueError:
        return f"has an unmatched brace; placeholders are {allowed}"
    for _text, field, spec, conversion in parts:
        if field is not None and (field not in ROOM_LINK_PLACEHOLDERS or spec or conversion):
            return f'"{{{field}}}" is not a placeholder; use {allowed}'
    parsed = urlsplit(render_room_link(template, event=1, meeting=1, room=1))
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        return "must be an address starting with https:// (or http://)"
    return None


def render_room_link(template: str, *, event: int, meeting: int, room: int) -> str:
    """The virtual room's address for one meeting (``template`` checked beforehand)."""
    return template.format(event=event, meeting=meeting, room=room)


def local_time(moment: datetime, time_zone: str) -> datetime:
    """``moment`` in the event's time zone."""
    return moment.astimezone(ZoneInfo(time_zone))
