"""The platform's calendar: "today" is a date in the site's time zone (ADR 0039).

Timestamps are kept in UTC; a calendar date (a period that has started, a payment that is due,
a label that expires, a stay that is over) is taken in one configured zone, so that a person in
Brussels just after midnight sees their own day, not yesterday's."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

#: The zone of "today" unless the site sets another (``CLUSTERBRIDGE_TIME_ZONE``).
DEFAULT_TIME_ZONE = "Europe/Brussels"


def local_today(now: datetime, time_zone: str) -> date:
    """The calendar date of the moment ``now`` (aware, in any zone) in ``time_zone``: the one
    way the platform takes "today" from its clock. A naive ``now`` is refused (ValueError), as
    it names no moment."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(ZoneInfo(time_zone)).date()
