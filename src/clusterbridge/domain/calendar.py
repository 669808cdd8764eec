"""The platform's calendar: "today" is a date in the site's time zone (ADR 0039).

Timestamps are kept in UTC; a calendar date (a period that has started, a payment that is due,
a label that expires, a stay that is over) is taken in one configured zone, so that a person in
Brussels just after midnight sees their own day, not yesterday's."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator

#: The zone of "today" unless the site sets another (``CLUSTERBRIDGE_TIME_ZONE``).
DEFAULT_TIME_ZONE = "Europe/Brussels"

#: How pages, mails and the command line write a calendar day: "18 October 2026" (the day of
#: `local_moment_text`). Files and form inputs keep ISO 8601.
DAY_FORMAT = "%d %B %Y"


def local_today(now: datetime, time_zone: str) -> date:
    """The calendar date of the moment ``now`` (aware, in any zone) in ``time_zone``: the one
    way the platform takes "today" from its clock. A naive ``now`` is refused (ValueError), as
    it names no moment."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(ZoneInfo(time_zone)).date()


def day_text(day: date) -> str:
    """A calendar day as pages, mails and the command line write it: "18 October 2026" (the
    web's ``day_text`` filter)."""
    return day.strftime(DAY_FORMAT)


def local_moment_text(moment: datetime | str, time_zone: str) -> str:
    """A moment (an aware datetime, or one written in ISO 8601 as frozen reports keep it) in
    ``time_zone``, as the web pages and the command line write it: "07 December 2026, 07:03"
    (the web's ``when`` filter)."""
    found = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return found.astimezone(ZoneInfo(time_zone)).strftime(f"{DAY_FORMAT}, %H:%M")


def local_time_problem(local: datetime, time_zone: str) -> str | None:
    """Why the wall-clock time ``local`` (naive) names no single moment in ``time_zone``, or
    None: a time the clocks skip when they go forward, or one they show twice when they go
    back (a deadline must be one moment)."""
    zone = ZoneInfo(time_zone)
    first, second = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    shown = f"{local:%Y-%m-%d %H:%M}"
    try:
        back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    except OverflowError:  # a time at the ends of the calendar, refused for its year elsewhere
        return None
    if back != local:
        return (
            f"{shown} does not exist in {time_zone}: the clocks go forward that night; "
            "choose a time outside the skipped hour"
        )
    if first.utcoffset() != second.utcoffset():
        return (
            f"{shown} happens twice in {time_zone}: the clocks go back that night; "
            "choose a time outside the repeated hour"
        )
    return None


#: Why a deadline given as a date alone is refused (it would be read as midnight, when the day
#: starts, a day earlier than a person writing the date means).
DATE_WITHOUT_TIME = (
    "give the time too, such as {day}T17:00: a date alone would close the call at midnight, "
    "when that day starts"
)


def _with_its_time(value: object) -> object:
    refusal = date_without_time(value)
    if refusal is not None:
        raise ValueError(refusal)
    return value


#: The check of a deadline field of a model (call files, the API's calls): a date alone is
#: refused before the value is read as a datetime (``Annotated[datetime | None, WITH_ITS_TIME]``).
WITH_ITS_TIME = BeforeValidator(_with_its_time)


def date_without_time(value: object) -> str | None:
    """The refusal of a deadline written as a date without a time of day (a ``date`` or text
    such as "2027-01-15"), or None for anything else."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return DATE_WITHOUT_TIME.format(day=value.isoformat())
    if isinstance(value, str):
        text = value.strip()
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None
        if len(text) == len("2027-01-15"):
            return DATE_WITHOUT_TIME.format(day=day.isoformat())
    return None
