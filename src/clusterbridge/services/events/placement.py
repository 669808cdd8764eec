"""Giving a meeting its slot and room, or taking them away: the one place that keeps a
meeting's calendar revision (``sequence``) and former start right whenever its time changes."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from clusterbridge.db.models import Meeting


def place(meeting: Meeting, start: datetime | None, room: int | None) -> bool:
    """Give ``meeting`` this start and room; when either changes its calendar sequence number
    goes up, so that calendars replace the copy they hold. A meeting that loses its slot keeps
    the old start as ``former_starts_at`` (calendar files then list it as cancelled) and is no
    longer locked. Returns whether the time changed."""
    moved = meeting.starts_at != start
    if moved or meeting.room != room:
        meeting.sequence = (meeting.sequence or 0) + 1
    if start is None:
        meeting.former_starts_at = meeting.starts_at or meeting.former_starts_at
        meeting.locked = False
    else:
        meeting.former_starts_at = None
    meeting.starts_at, meeting.room = start, room
    return moved


def fit_rooms(meetings: Iterable[Meeting], rooms: int) -> list[Meeting]:
    """Fit the scheduled ``meetings`` into the rooms 1 to ``rooms``: in each slot, locked
    meetings first, then by room, the first ``rooms`` keep their room or take the lowest free
    one, and the others lose their slot (scheduling again places them). Returns those."""
    by_start: defaultdict[datetime, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        if meeting.starts_at is not None:
            by_start[meeting.starts_at].append(meeting)
    unscheduled: list[Meeting] = []
    for start, held in by_start.items():
        held.sort(key=lambda m: (not m.locked, m.room or 0, m.id))
        kept = held[:rooms]
        unscheduled += held[rooms:]
        taken = {m.room for m in kept}
        free = (room for room in range(1, rooms + 1) if room not in taken)
        for meeting in kept:
            if meeting.room is None or meeting.room > rooms:
                place(meeting, start, next(free))
    for meeting in unscheduled:
        place(meeting, None, None)
    return unscheduled
