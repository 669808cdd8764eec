"""Problems in user input as the web pages word them.

Services name a field as the code and the command line know it (``session_date``,
``--duration-months``, a consortium file's ``role`` column); the pages name it by the label
of the form field it belongs to, and put each problem next to that field.
"""

import re

from clusterbridge.domain.errors import InputIssue, InvalidInputError

#: A form field's label, by the name services give it.
FIELD_LABELS = {
    "name": "Name",
    "description": "Description",
    "time_zone": "Time zone",
    "slot_minutes": "Meeting length in minutes",
    "room_link_template": "Virtual room link",
    "request_mode": "Meeting requests",
    "request_expiry_hours": "Unanswered requests expire after (hours)",
    "rooms": "Meetings at the same time (rooms)",
    "fairness": "Fairness",
    "session_name": "Session name",
    "session_date": "Date",
    "session_start": "From",
    "session_end": "To",
    "sessions": "Sessions",
    "call_id": "Call",
    "strand": "Strand",
    "duration_months": "Duration (months)",
    "--duration-months": "Duration (months)",
    "requested_grant_eur": "Requested grant (EUR)",
    "--requested-grant": "Requested grant (EUR)",
    "country": "Country",
    "nuts": "NUTS code",
    "pic": "PIC",
    "type": "Type",
    "role": "Role",
    "legal_entity": "Legal entity",
    "eccp_registered": "On the ECCP",
    "sme_profile": "SME profile",
    "email": "E-mail address",
    "password": "Password",
    "organisation_id": "Organisation",
    "recipient_id": "Participant",
    "message": "Message",
    "idea": "Project idea",
    "max_partners": "At most this many partners",
    "proposals": "Proposals",
    "within_hours": "Within (hours)",
    "unavailable_slots": "Unavailable slots",
    "priority": "Priority",
    "outcome": "Outcome",
    "slot": "Slot",
    "q": "Search",
}

#: A session's fields, as a service names them for "session N", to the form's field names.
_SESSION_FIELDS = {
    "name": "session_name",
    "date": "session_date",
    "start": "session_start",
    "end": "session_end",
}


def form_field(issue: InputIssue, *, session_form: bool = False) -> str:
    """The form field ``issue`` belongs to: a session's ``name`` is the form's ``session_name``
    (every ``name`` is, on a form of a session alone)."""
    if session_form or issue.location.startswith("session"):
        return _SESSION_FIELDS.get(issue.field, issue.field)
    return issue.field


def field_label(field: str) -> str:
    """The label of ``field`` on the pages (its words, when no form names it)."""
    return FIELD_LABELS.get(
        field, field.lstrip("-").replace("_", " ").replace("-", " ").capitalize()
    )


def issue_text(issue: InputIssue, *, session_form: bool = False) -> str:
    """``issue`` in the pages' words: "Date: enter a date such as 2025-03-10"; with
    ``session_form``, of a form of a session alone (``form_field``)."""
    field = form_field(issue, session_form=session_form)
    if not field:
        return f"{issue.location}: {issue.reason}" if issue.location else issue.reason
    where = field_label(field)
    if issue.location and not issue.location.startswith("session"):
        where = f"{issue.location}, {where}"
    return f"{where}: {issue.reason}"


def field_errors(error: InvalidInputError, *, session_form: bool = False) -> dict[str, str]:
    """Each form field's problems, to show next to it (several joined by "; ")."""
    errors: dict[str, str] = {}
    for issue in error.issues:
        field = form_field(issue, session_form=session_form)
        errors[field] = f"{errors[field]}; {issue.reason}" if field in errors else issue.reason
    return errors


#: Where a finding's missing value goes in a consortium file or on the command line: the CLI's
#: hint, not the page's (a page shows the field itself, in the partner's card or the form).
_COMMAND_LINE_HINT = re.compile(r" \((?:column [a-z_]+|--[a-z-]+)\)")


def finding_text(message: str) -> str:
    """A finding's message as a page shows it: without the consortium-file column hints and
    the command-line options (``--duration-months``)."""
    return _COMMAND_LINE_HINT.sub("", message)
