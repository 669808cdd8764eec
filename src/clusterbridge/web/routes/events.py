"""Event pages for participants: the list, an event, registering, browsing the other
participants, requests and meetings, the agenda with its iCalendar file, and outcomes.

Actions made through htmx answer with the panel they changed; without htmx the forms still
work: a change redirects back to its page, a mistake re-renders it with the reasons.
"""

from typing import Annotated

from fastapi import Form, HTTPException, Path
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from clusterbridge.api.downloads import attachment
from clusterbridge.db.models import Event, EventParticipant, Meeting, Organisation
from clusterbridge.domain.enums import EventStatus, MeetingOutcome, ParticipantStatus, RequestMode
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError
from clusterbridge.domain.events import local_time
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.events import access as event_access
from clusterbridge.services.events import agenda as event_agenda
from clusterbridge.services.events import events
from clusterbridge.services.events import meetings as event_meetings
from clusterbridge.services.events import participants as event_participants
from clusterbridge.services.registry import OrganisationFilters, search_organisations
from clusterbridge.services.registry.search import OrganisationListing
from clusterbridge.web.event_forms import (
    EventForm,
    OutcomeForm,
    Page,
    PageContext,
    RegistrationForm,
    RequestForm,
    UnavailabilityForm,
    require_number,
    slot_numbers,
    whole_number,
)
from clusterbridge.web.numbers import read_id
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import is_htmx, render
from clusterbridge.web.wording import field_errors

router = web_router(prefix="/events")

EventId = Annotated[int, Path(ge=1, le=MAX_ID)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
MY_MEETINGS = "events/_my_meetings.html"
#: How many registry organisations the registration search shows.
ORGANISATION_RESULTS = 8


# ------------------------------------------------------------------------------ pages


@router.get("", response_class=HTMLResponse)
def list_page(page: Page) -> HTMLResponse:
    """The events the user may see, and for organisers the form to create one."""
    context = {
        "events": events.list_events(page.session, page.user),
        "can_create": event_access.can_create_events(
            page.user, anyone_may_create=page.anyone_may_create
        ),
        "form": EventForm.blank(),
        "errors": {},
        "request_modes": list(RequestMode),
    }
    return render(page.request, "events/list.html", context, user=page.user)


@router.get("/{event_id}", response_class=HTMLResponse)
def detail_page(event_id: EventId, page: Page, q: str = "") -> HTMLResponse:
    """An event: its sessions, and the registration form or the participant's status; ``q``
    (the organisation search sent without htmx) lists the registry organisations found."""
    event = events.get_event(page.session, page.user, event_id)
    return _detail(page, event_id, RegistrationForm(), {}, event=event, query=q)


@router.get("/{event_id}/organisations", response_class=HTMLResponse)
def organisation_choices(event_id: EventId, page: Page, q: str = "") -> HTMLResponse:
    """Registry organisations matching ``q``, as choices of the registration form."""
    events.get_event(page.session, page.user, event_id)
    context = {"organisations": _search(page, q), "query": q, "selected": ""}
    return render(page.request, "events/_organisation_choices.html", context, user=page.user)


def _search(page: PageContext, query: str) -> list[OrganisationListing]:
    """The registry organisations matching ``query`` (none for an empty one)."""
    if not query.strip():
        return []
    result = search_organisations(
        page.session,
        OrganisationFilters(text=query),
        per_page=ORGANISATION_RESULTS,
        with_facets=False,
    )
    return list(result.items)


#: A registration sent without an organisation chosen: the choices come from the search.
NO_ORGANISATION = "choose your organisation: search the registry for it above"
#: The same, by a member of organisations, which the form lists first.
NO_OWN_ORGANISATION = "choose your organisation above, or search the registry for another"


@router.post("/{event_id}/register", response_model=None)
def register(event_id: EventId, page: Page, form: Annotated[RegistrationForm, Form()]) -> Response:
    """Register (or update the registration) and go back to the event."""
    try:
        event_participants.register(page.session, page.user, event_id, _registration(form))
    except InvalidInputError as error:
        errors = {issue.field: issue.reason for issue in error.issues}
        if errors.get("organisation_id") == NO_ORGANISATION and (
            event_participants.member_organisations(page.session, page.user)
        ):
            errors["organisation_id"] = NO_OWN_ORGANISATION
        return _detail(page, event_id, form, errors, status_code=error.status)
    except AccessDeniedError as error:
        errors = {"organisation_id": str(error)}
        return _detail(page, event_id, form, errors, status_code=error.status)
    return RedirectResponse(f"/events/{event_id}", status_code=303)


def _registration(form: RegistrationForm) -> event_participants.Registration:
    """The form as a registration; without an organisation, InvalidInputError names it with
    every other bad field."""
    issues: list[InputIssue] = []
    organisation_id = whole_number(
        form.organisation_id,
        "organisation_id",
        issues,
        required=True,
        low=1,
        missing=NO_ORGANISATION,
    )
    registration = event_participants.Registration(
        organisation_id or 0, form.offers, form.needs, form.time_zone
    )
    if organisation_id is None:
        issues += event_participants.check_registration_texts(registration)
        raise InvalidInputError("The registration cannot be saved", issues)
    return registration


@router.get("/{event_id}/withdraw", response_model=None)
def confirm_withdraw(event_id: EventId, page: Page) -> Response:
    """The confirmation step: what withdrawing cancels, and the button that does it (back to
    the event once withdrawn)."""
    event = events.get_event(page.session, page.user, event_id)
    me = event_participants.find_registration(event, page.user)
    if me.status is ParticipantStatus.WITHDRAWN:
        return RedirectResponse(f"/events/{event_id}", status_code=303)
    requests, meetings = event_participants.count_withdrawal_losses(event, me)
    context = {"event": event, "me": me, "requests": requests, "meetings": meetings}
    return render(page.request, "events/confirm_withdraw.html", context, user=page.user)


@router.post("/{event_id}/withdraw")
def withdraw(
    event_id: EventId, page: Page, confirm: Annotated[str, Form(max_length=10)] = ""
) -> RedirectResponse:
    """Withdraw the user's registration once confirmed (``confirm=yes`` from the confirmation
    step; without it, to that step): their meetings are cancelled, the others told; back to
    the event."""
    if confirm != "yes":
        return RedirectResponse(f"/events/{event_id}/withdraw", status_code=303)
    event = events.get_event(page.session, page.user, event_id)
    me = event_participants.find_registration(event, page.user)
    event_participants.withdraw(
        page.session, page.user, event_id, me.id, now=page.now, notifier=page.notifier
    )
    return RedirectResponse(f"/events/{event_id}", status_code=303)


@router.post("/{event_id}/unavailability", response_model=None)
def unavailability(
    event_id: EventId, page: Page, form: Annotated[UnavailabilityForm, Form()]
) -> Response:
    """Save the slots the participant cannot meet in and go back to the event."""
    try:
        event_participants.set_unavailability(
            page.session, page.user, event_id, slot_numbers(form.slots)
        )
    except InvalidInputError as error:
        errors = {issue.field: issue.reason for issue in error.issues}
        return _detail(page, event_id, RegistrationForm(), errors, status_code=error.status)
    return RedirectResponse(f"/events/{event_id}#availability", status_code=303)


@router.get("/{event_id}/participants", response_class=HTMLResponse)
def participants_page(event_id: EventId, page: Page) -> HTMLResponse:
    """The other validated participants, suggested meetings first, each with a request form."""
    event, views = event_participants.list_participants(page.session, page.user, event_id)
    me = event_access.find_participant(event, page.user)
    context = {
        "event": event,
        "views": views,
        "me": me,
        "manager": event_access.can_manage(event, page.user),
        "partners": _partners(event, me),
        "errors": {},
    }
    return render(page.request, "events/participants.html", context, user=page.user)


@router.post("/{event_id}/meetings", response_model=None)
def request_meeting(
    event_id: EventId, page: Page, form: Annotated[RequestForm, Form()]
) -> Response:
    """Send a meeting request; htmx gets the participant's card back, showing it was sent."""
    try:
        recipient = require_number(form.recipient_id, "recipient_id", low=1)
        event_meetings.request_meeting(
            page.session,
            page.user,
            event_id,
            recipient_id=recipient,
            message=form.message,
            now=page.now,
            notifier=page.notifier,
        )
    except InvalidInputError as error:
        return _request_answer(page, event_id, form, error)
    return _request_answer(page, event_id, form, None)


@router.get("/{event_id}/meetings", response_class=HTMLResponse)
def meetings_page(event_id: EventId, page: Page) -> HTMLResponse:
    """The user's requests to answer, requests sent, meetings and closed requests."""
    mine = event_meetings.my_meetings(page.session, page.user, event_id, now=page.now)
    return render(
        page.request, "events/meetings.html", {"mine": mine, "event": mine.event}, user=page.user
    )


@router.post("/{event_id}/meetings/{meeting_id}/accept", response_model=None)
def accept(event_id: EventId, meeting_id: ItemId, page: Page) -> Response:
    """Accept a request; htmx gets the meetings panel back, saying so."""
    meeting = event_meetings.respond(
        page.session,
        page.user,
        event_id,
        meeting_id,
        accept=True,
        now=page.now,
        notifier=page.notifier,
    )
    other = meeting.requester.organisation.name
    return _my_meetings(page, event_id, done=_sentence(f"You accepted the request of {other}"))


@router.post("/{event_id}/meetings/{meeting_id}/decline", response_model=None)
def decline(event_id: EventId, meeting_id: ItemId, page: Page) -> Response:
    """Decline a request; htmx gets the meetings panel back, saying so."""
    meeting = event_meetings.respond(
        page.session,
        page.user,
        event_id,
        meeting_id,
        accept=False,
        now=page.now,
        notifier=page.notifier,
    )
    other = meeting.requester.organisation.name
    return _my_meetings(page, event_id, done=_sentence(f"You declined the request of {other}"))


@router.get("/{event_id}/meetings/{meeting_id}/cancel", response_class=HTMLResponse)
def confirm_cancel(event_id: EventId, meeting_id: ItemId, page: Page) -> HTMLResponse:
    """Ask before cancelling an accepted meeting: with whom, when, and that it is told."""
    mine = event_meetings.my_meetings(page.session, page.user, event_id, now=page.now)
    meeting = next((m for m in mine.accepted if m.id == meeting_id), None)
    if meeting is None:
        raise HTTPException(status_code=404)
    other = meeting.recipient if meeting.requester_id == mine.me.id else meeting.requester
    starts = meeting.starts_at if mine.event.status is EventStatus.PUBLISHED else None
    when = local_time(starts, mine.event.time_zone) if starts is not None else None
    context = {
        "event": mine.event,
        "meeting": meeting,
        "other": other.organisation.name,
        "when": when.strftime("%a %d %b %Y %H:%M") if when else None,
    }
    return render(page.request, "events/confirm_cancel.html", context, user=page.user)


@router.post("/{event_id}/meetings/{meeting_id}/cancel", response_model=None)
def cancel(event_id: EventId, meeting_id: ItemId, page: Page) -> Response:
    """Withdraw a request or cancel a meeting; htmx gets the meetings panel back, saying so."""
    meeting = event_meetings.cancel_meeting(
        page.session, page.user, event_id, meeting_id, now=page.now, notifier=page.notifier
    )
    return _my_meetings(page, event_id, done=_cancelled(meeting, page.user.id))


@router.get("/{event_id}/agenda", response_class=HTMLResponse)
def agenda_page(event_id: EventId, page: Page) -> HTMLResponse:
    """The user's agenda in local time with room links, outcomes and the calendar file."""
    agenda = event_agenda.get_agenda(page.session, page.user, event_id)
    ended = {item.meeting.id for item in agenda.items if item.ends <= page.now}
    context = {
        "agenda": agenda,
        "event": agenda.event,
        "ended": ended,
        "outcomes": list(MeetingOutcome),
    }
    return render(page.request, "events/agenda.html", context, user=page.user)


@router.get("/{event_id}/agenda.ics")
def agenda_file(event_id: EventId, page: Page) -> Response:
    """The agenda as an iCalendar file."""
    agenda = event_agenda.get_agenda(page.session, page.user, event_id)
    content = event_agenda.agenda_calendar(agenda, public_url=page.public_url, now=page.now)
    return attachment(
        content, f"event-{event_id}-agenda.ics", media_type="text/calendar; charset=utf-8"
    )


@router.post("/{event_id}/meetings/{meeting_id}/outcome", response_model=None)
def record_outcome(
    event_id: EventId, meeting_id: ItemId, page: Page, form: Annotated[OutcomeForm, Form()]
) -> Response:
    """Record the outcome of a meeting and go back to the agenda."""
    outcome = next((o for o in MeetingOutcome if o.value == form.outcome), None)
    if outcome is None:
        choices = ", ".join(o.value for o in MeetingOutcome)
        issue = InputIssue("", "outcome", f'"{form.outcome}" is not an outcome; choose {choices}')
        raise InvalidInputError("The outcome cannot be recorded", [issue])
    event_meetings.record_outcome(
        page.session, page.user, event_id, meeting_id, outcome=outcome, now=page.now
    )
    return RedirectResponse(f"/events/{event_id}/agenda", status_code=303)


# ------------------------------------------------------------------------ shared helpers


def _my_meetings(page: PageContext, event_id: int, *, done: str) -> Response:
    """The meetings panel for htmx, ``done`` saying what the action did; else back to the
    page."""
    if not is_htmx(page.request):
        return RedirectResponse(f"/events/{event_id}/meetings", status_code=303)
    mine = event_meetings.my_meetings(page.session, page.user, event_id, now=page.now)
    context = {"mine": mine, "event": mine.event, "done": done}
    return render(page.request, MY_MEETINGS, context, user=page.user)


def _sentence(text: str) -> str:
    """``text`` ended by one full stop: a name that ends in one ("Wood S.L.") ends it."""
    return text if text.endswith(".") else f"{text}."


def _cancelled(meeting: Meeting, user_id: int) -> str:
    """What cancelling ``meeting`` did, for the one who did it (``user_id``): their request
    withdrawn (it had no answer), or the meeting cancelled; the other side is told."""
    mine = meeting.requester.user_id == user_id
    other = (meeting.recipient if mine else meeting.requester).organisation.name
    if meeting.responded_at is None:
        return _sentence(f"You withdrew your request to {other}")
    return f"You cancelled your meeting with {other}; {other} is told."


def _detail(
    page: PageContext,
    event_id: int,
    form: RegistrationForm,
    errors: dict[str, str],
    *,
    event: Event | None = None,
    status_code: int = 200,
    query: str = "",
) -> HTMLResponse:
    event = event or events.get_event(page.session, page.user, event_id)
    me = event_access.find_participant(event, page.user)
    own = event_participants.member_organisations(page.session, page.user)
    if me is not None and not form.organisation_id:
        form = RegistrationForm(
            organisation_id=str(me.organisation_id),
            offers=me.offers,
            needs=me.needs,
            time_zone=me.time_zone or "",
        )
    elif me is None and not form.organisation_id and not errors and len(own) == 1:
        # A member of one organisation registers for it: it starts chosen.
        form = form.model_copy(update={"organisation_id": str(own[0].id)})
    context = {
        "event": event,
        "me": me,
        "manager": event_access.can_manage(event, page.user),
        "can_register": event.status is not EventStatus.DRAFT,
        "form": form,
        "errors": errors,
        "own_organisations": own,
        "current_organisation": me.organisation if me else None,
        "chosen_organisation": _chosen(page, form, me),
        "query": query,
        "organisations": _search(page, query),
        "selected": form.organisation_id,
        "slots": events.event_slots(event),
        "unavailable": (event_participants.participant_unavailable_slots(event, me) if me else ()),
    }
    return render(
        page.request, "events/detail.html", context, user=page.user, status_code=status_code
    )


def _chosen(
    page: PageContext, form: RegistrationForm, me: EventParticipant | None
) -> Organisation | None:
    """The organisation the form chose, when it is not one of the user's own (found through
    the search): shown chosen again when the form comes back with a mistake."""
    wanted = read_id(form.organisation_id.strip())
    if wanted is None:
        return None
    own = event_participants.member_organisations(page.session, page.user)
    known = {o.id for o in own} | ({me.organisation_id} if me else set())
    if wanted in known:
        return None
    return event_participants.find_organisation(page.session, wanted)


def _partners(event: Event, me: EventParticipant | None) -> dict[int, str]:
    """For each participant ``me`` has an open request or a meeting with, its status."""
    if me is None:
        return {}
    found: dict[int, str] = {}
    for meeting in event.meetings:
        if meeting.status.value in {"requested", "accepted"} and me.id in {
            meeting.requester_id,
            meeting.recipient_id,
        }:
            other = meeting.recipient_id if meeting.requester_id == me.id else meeting.requester_id
            found[other] = meeting.status.value
    return found


def _request_answer(
    page: PageContext, event_id: int, form: RequestForm, error: InvalidInputError | None
) -> Response:
    if not is_htmx(page.request) and error is None:
        return RedirectResponse(f"/events/{event_id}/participants", status_code=303)
    event, views = event_participants.list_participants(page.session, page.user, event_id)
    me = event_access.find_participant(event, page.user)
    # An issue that names no field is the form's own ("form" in the shared summary).
    errors = {key or "form": text for key, text in field_errors(error).items()} if error else {}
    wanted = form.recipient_id.strip()
    view = next((v for v in views if str(v.participant.id) == wanted), None)
    context = {
        "event": event,
        "views": views,
        "me": me,
        "manager": False,
        "partners": _partners(event, me),
        "errors": errors,
        "errors_on_card": view is not None,
        "form": form,
        "sent": error is None,
    }
    status = error.status if error else 200
    if is_htmx(page.request) and view is not None:
        context["view"] = view
        return render(
            page.request,
            "events/_participant_card.html",
            context,
            user=page.user,
            status_code=status,
        )
    return render(
        page.request, "events/participants.html", context, user=page.user, status_code=status
    )
