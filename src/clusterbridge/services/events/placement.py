"""Giving a meeting its slot and room, or taking them away: the one place that keeps a
meeting's calendar revision (``sequence``) and former start right whenever its time changes."""

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
