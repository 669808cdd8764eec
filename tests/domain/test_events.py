"""Slots, room links, time zones and breaks of match-making events."""

from datetime import UTC, datetime

import pytest

from clusterbridge.domain.events import (
    SessionWindow,
    Slot,
    check_room_link_template,
    check_time_zone,
    compute_slots,
    overlapped_slots,
    render_room_link,
    slot_windows,
)

pytestmark = pytest.mark.unit


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, 10, hour, minute, tzinfo=UTC)


def test_compute_slots_numbers_slots_across_sessions_and_drops_a_short_remainder() -> None:
    sessions = [SessionWindow(at(8), at(9, 10)), SessionWindow(at(13), at(13, 40))]

    slots = compute_slots(sessions, slot_minutes=20)

    assert slots == (
        Slot(0, 0, at(8), at(8, 20)),
        Slot(1, 0, at(8, 20), at(8, 40)),
        Slot(2, 0, at(8, 40), at(9)),
        Slot(3, 1, at(13), at(13, 20)),
        Slot(4, 1, at(13, 20), at(13, 40)),
    )


def test_compute_slots_of_a_session_shorter_than_a_slot_is_empty() -> None:
    assert compute_slots([SessionWindow(at(8), at(8, 15))], slot_minutes=20) == ()


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("https://meet.example.org/{event}-{meeting}", None),
        ("https://meet.example.org/room-{room}?m={meeting}", None),
        ("https://meet.example.org/fixed-room", None),
        (
            "https://meet.example.org/{slot}",
            '"{slot}" is not a placeholder; use {event}, {meeting}, {room}',
        ),
        (
            "https://meet.example.org/{meeting:03}",
            '"{meeting}" is not a placeholder; use {event}, {meeting}, {room}',
        ),
        (
            "https://meet.example.org/{meeting",
            "has an unmatched brace; placeholders are {event}, {meeting}, {room}",
        ),
        ("meet.example.org/{meeting}", "must be an address starting with https:// (or http://)"),
        ("javascript:alert({meeting})", "must be an address starting with https:// (or http://)"),
        (
            "https://meet.example.org/{meeting}\r\nBEGIN:VALARM\r\nTRIGGER:-PT1M",
            "must not contain spaces, line breaks, tabs or other control characters",
        ),
        (
            "https://meet.example.org/\t{meeting}",
            "must not contain spaces, line breaks, tabs or other control characters",
        ),
        (
            "https://meet.example.org/{meeting}\u2028END:VEVENT",
            "must not contain spaces, line breaks, tabs or other control characters",
        ),
        (
            "https://meet.example.org/a b",
            "must not contain spaces, line breaks, tabs or other control characters",
        ),
    ],
)
def test_check_room_link_template(template: str, expected: str | None) -> None:
    assert check_room_link_template(template) == expected


def test_render_room_link_fills_every_placeholder() -> None:
    template = "https://meet.example.org/{event}/{meeting}?room={room}"

    assert (
        render_room_link(template, event=3, meeting=41, room=2)
        == "https://meet.example.org/3/41?room=2"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Europe/Brussels", None),
        ("UTC", None),
        (
            "Mars/Olympus",
            '"Mars/Olympus" is not a known time zone; use a name such as Europe/Brussels',
        ),
        ("../etc/passwd", '"../etc/passwd" is not a time zone name such as Europe/Brussels'),
        ("", '"" is not a time zone name such as Europe/Brussels'),
    ],
)
def test_check_time_zone(name: str, expected: str | None) -> None:
    assert check_time_zone(name) == expected


def test_slot_windows_joins_adjoining_slots_across_a_session_gap() -> None:
    morning = SessionWindow(
        datetime(2025, 3, 10, 8, tzinfo=UTC), datetime(2025, 3, 10, 9, tzinfo=UTC)
    )
    afternoon = SessionWindow(
        datetime(2025, 3, 10, 13, tzinfo=UTC), datetime(2025, 3, 10, 14, tzinfo=UTC)
    )
    slots = compute_slots([morning, afternoon], slot_minutes=20)  # 1-3 morning, 4-6 afternoon

    windows = slot_windows(slots, [4, 2, 3, 3, 6])

    assert windows == [
        SessionWindow(
            datetime(2025, 3, 10, 8, 20, tzinfo=UTC), datetime(2025, 3, 10, 9, tzinfo=UTC)
        ),
        SessionWindow(
            datetime(2025, 3, 10, 13, tzinfo=UTC), datetime(2025, 3, 10, 13, 20, tzinfo=UTC)
        ),
        SessionWindow(
            datetime(2025, 3, 10, 13, 40, tzinfo=UTC), datetime(2025, 3, 10, 14, tzinfo=UTC)
        ),
    ]
    assert overlapped_slots(slots, windows) == (2, 3, 4, 6)
    with pytest.raises(IndexError):
        slot_windows(slots, [7])


def test_overlapped_slots_after_the_slot_length_changes() -> None:
    session = SessionWindow(
        datetime(2025, 3, 10, 8, tzinfo=UTC), datetime(2025, 3, 10, 9, tzinfo=UTC)
    )
    twenty = compute_slots([session], slot_minutes=20)
    away = slot_windows(twenty, [2])  # 08:20-08:40

    thirty = compute_slots([session], slot_minutes=30)  # 08:00-08:30, 08:30-09:00

    assert overlapped_slots(thirty, away) == (1, 2)
    assert overlapped_slots(twenty, []) == ()
