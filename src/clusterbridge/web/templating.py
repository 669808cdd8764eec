"""Rendering pages: the full page, or its fragment for an htmx request."""

import functools
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from typing import Any
from zoneinfo import available_timezones

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape

from clusterbridge import __version__
from clusterbridge.db.models import User
from clusterbridge.domain.calendar import (
    DEFAULT_TIME_ZONE,
    day_text,
    local_moment_text,
    local_today,
)
from clusterbridge.domain.calls import Call
from clusterbridge.domain.enums import CallStatus, UserRole
from clusterbridge.domain.events import local_time
from clusterbridge.domain.geography import resolve_country_scope
from clusterbridge.domain.money import format_euros, format_number
from clusterbridge.domain.sme_services import ServiceUnit
from clusterbridge.reference import (
    UnknownCountryError,
    UnknownRegionError,
    get_country,
    lookup_region,
)
from clusterbridge.reports.serialise import describe_time_left
from clusterbridge.web.csrf import csrf_token
from clusterbridge.web.wording import field_label, finding_text, issue_text

ROLE_LABELS = {
    UserRole.ADMINISTRATOR: "Administrator",
    UserRole.CLUSTER_MANAGER: "Cluster manager",
    UserRole.ORGANISATION_MEMBER: "Organisation member",
    UserRole.EVENT_ORGANISER: "Event organiser",
    UserRole.PROGRAMME_OFFICER: "Programme officer",
}


#: A call's state as a page names it.
CALL_STATUS_LABELS = {
    CallStatus.OPEN: "Open",
    CallStatus.CLOSED: "Closed",
    CallStatus.NO_DEADLINE: "Deadline not stated",
}


def duration_range(call: Call) -> str:
    """A call's project duration in words (`Call.duration_words`), "—" when it states none."""
    return call.duration_words or "—"


def grant_range(call: Call) -> str:
    """The grant a call gives one project in words: "EUR 20,000 to EUR 60,000", "up to EUR
    60,000" or "from EUR 20,000" when it states one end only, "—" when it states neither."""
    low, high = call.grant_min_eur, call.grant_max_eur
    if low and high:
        return f"{format_euros(low)} to {format_euros(high)}"
    if high:
        return f"up to {format_euros(high)}"
    return f"from {format_euros(low)}" if low else "—"


def country_entry(entry: str) -> str:
    """A call's eligible-country entry by its name: a set (``eu_member_states``) by its title,
    a code (``UK``) by the country's name; an unknown entry as it is."""
    try:
        return resolve_country_scope((entry,)).title
    except ValueError:
        return entry


def country_name(code: str) -> str:
    """A country by its name with its code, "Spain (ES)"; an unknown code as it is."""
    try:
        return f"{get_country(code).name} ({code})"
    except UnknownCountryError:
        return code


def region_name(code: str) -> str:
    """A NUTS region by its code and name, "ES523 Valencia/València"; an unknown code as it
    is."""
    try:
        return f"{code} {lookup_region(code).name}"
    except UnknownRegionError:
        return code


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """``number`` with its noun: "1 slot", "3 slots", "2 countries" (``plural`` when not +s)."""
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"


#: Sizes of files as pages write them: bytes under a kilobyte, then kB and MB (of 1024).
_SIZE_UNITS = ((1024 * 1024, "MB"), (1024, "kB"))


def file_size(size: int) -> str:
    """A file's size for people: "1 byte", "312 bytes", "4.2 kB", "312 kB", "1.5 MB"."""
    for unit, name in _SIZE_UNITS:
        if size >= unit:
            amount = size / unit
            # One decimal while it tells something (under 10), none after.
            shown = f"{amount:.1f}".removesuffix(".0") if amount < 10 else f"{amount:,.0f}"
            return f"{shown} {name}"
    return counted(size, "byte")


def when(moment: datetime | str, time_zone: str) -> str:
    """A moment (a datetime, or one written in ISO 8601 as frozen reports keep it) in
    ``time_zone``, as the pages (and the CLI) write it: "07 December 2026, 07:03"."""
    return local_moment_text(moment, time_zone)


def day(moment: datetime, time_zone: str) -> str:
    """The calendar date of a stored moment in ``time_zone`` (the site's, ``site_zone`` on
    every page; ADR 0039) in ISO 8601: "2026-05-05". Days in words, as people read them, are
    ``day_text``'s."""
    return local_today(moment, time_zone).isoformat()


def date_text(value: date | datetime, time_zone: str | None = None) -> str:
    """A calendar day as people read it, "18 October 2026" (`domain.calendar.day_text`); a
    stored moment (a datetime) by its day in ``time_zone`` (``site_zone`` on every page), which
    it then needs. Form inputs of type date keep ISO."""
    if isinstance(value, datetime):
        if time_zone is None:
            raise ValueError("a moment needs the time zone of its day")
        value = local_today(value, time_zone)
    return day_text(value)


def time_spent(quantity: Decimal, unit: ServiceUnit) -> str:
    """A service's time as a person writes it: "10 hours", "1 day", "1.5 days"."""
    words = unit.value.removesuffix("s") if quantity == 1 else unit.value
    return f"{format_number(quantity)} {words}"


#: tzdata's table of each country's zones: every current Area/Location zone, and no name kept
#: for backward compatibility only (Africa/Asmera, Asia/Calcutta, Europe/Kiev, US/Eastern...).
#: Not its zone1970.tab, which folds countries whose clocks agree since 1970 (Amsterdam into
#: Brussels).
_ZONE_TABLE = resources.files("tzdata").joinpath("zoneinfo", "zone.tab")


def zone_name(zone: str) -> str:
    """A time zone as people read it, "Africa/Addis Ababa"; forms keep the IANA name
    ("Africa/Addis_Ababa") as the value."""
    return zone.replace("_", " ")


def time_zone_choices() -> list[str]:
    """The IANA time zones a form offers: UTC and each zone of tzdata's ``zone.tab``, sorted
    (a saved zone outside the list is still valid: the forms keep it chosen)."""
    return list(_zone_choices())


@functools.cache
def _zone_choices() -> tuple[str, ...]:
    # Read once: the table and the installed zones (4 ms) do not change while the process runs.
    rows = (line.split("\t") for line in _ZONE_TABLE.read_text(encoding="utf-8").splitlines())
    zones = {row[2] for row in rows if len(row) > 2 and not row[0].startswith("#")}
    return ("UTC", *sorted(zones & available_timezones()))


#: Words a label keeps in capitals.
ACRONYMS = {"sme": "SME", "eccp": "ECCP", "nuts": "NUTS", "cordis": "CORDIS"}

#: Values whose label is not their words capitalised (a compound adjective is hyphenated).
WHOLE_LABELS = {"tech_savvy": "Tech-savvy"}

#: An organisation's part in a CORDIS project (the file's ``role``), as a person reads it.
PROJECT_ROLES = {"associatedPartner": "associated partner", "thirdParty": "third party"}


def label(value: object) -> str:
    """An enum value as a person reads it: ``tech_savvy`` → ``Tech-savvy``, ``sme`` → ``SME``,
    ``cordis`` → ``CORDIS``."""
    text = str(value)
    if text in WHOLE_LABELS:
        return WHOLE_LABELS[text]
    words = text.replace("_", " ").capitalize().split(" ")
    return " ".join(ACRONYMS.get(word.lower(), word) for word in words)


def project_role(role: str) -> str:
    """A CORDIS role as a person reads it: ``thirdParty`` → ``third party``; ``coordinator``
    and ``participant`` as they are."""
    return PROJECT_ROLES.get(role, role)


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("clusterbridge.web", "templates"),
        autoescape=select_autoescape(("html", "j2")),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals |= {
        "version": __version__,
        "role_labels": ROLE_LABELS,
        "call_status_labels": CALL_STATUS_LABELS,
        "time_zones": time_zone_choices(),
    }
    environment.filters["duration_range"] = duration_range
    environment.filters["grant_range"] = grant_range
    environment.filters["issue_text"] = issue_text
    environment.filters["field_label"] = field_label
    environment.filters["finding_text"] = finding_text
    environment.filters["country_entry"] = country_entry
    environment.filters["counted"] = counted
    environment.filters["zone_name"] = zone_name
    environment.filters["country_name"] = country_name
    environment.filters["region_name"] = region_name
    environment.filters["time_spent"] = time_spent
    environment.filters["plain_number"] = format_number
    environment.filters["time_left"] = describe_time_left
    environment.filters["euro"] = format_euros
    environment.filters["file_size"] = file_size
    environment.filters["when"] = when
    environment.filters["day"] = day
    environment.filters["day_text"] = date_text
    environment.filters["label"] = label
    environment.filters["project_role"] = project_role
    environment.filters["local"] = local_time
    return environment


templates = Jinja2Templates(env=_environment())


def is_htmx(request: Request) -> bool:
    """Whether htmx sent the request and wants a fragment: not for a boosted link, nor for Back
    or Forward to a page htmx did not save (it puts the answer in place of the whole body)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and "HX-Boosted" not in headers
        and "HX-History-Restore-Request" not in headers
    )


def site_zone_of(request: Request) -> str:
    """The site's time zone (ADR 0039), in which pages write the day of a stored moment."""
    state = getattr(request.app.state, "clusterbridge", None)
    return DEFAULT_TIME_ZONE if state is None else str(state.settings.time_zone)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    user: User | None,
    partial: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render ``template`` (or ``partial`` for an htmx request) with the user and CSRF token."""
    name = partial if partial is not None and is_htmx(request) else template
    values = {
        "user": user,
        "csrf_token": csrf_token(request),
        "site_zone": site_zone_of(request),
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, values, status_code=status_code)
