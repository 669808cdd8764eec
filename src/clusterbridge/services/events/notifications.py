"""The e-mails of a match-making event, in words, queued until the unit of work commits.

Sent on: a registration validated (or rejected); a request received, accepted or declined; the
agenda published (with the recipient's meetings and their calendar file attached); a scheduled
meeting cancelled or moved; and reminders before the meetings. Each mail names the event and
links to the page where the recipient acts. Times are in the recipient's time zone (the one
they registered with, else the event's).
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, EventParticipant, Meeting
from clusterbridge.domain.enums import ParticipantStatus
from clusterbridge.domain.events import local_time
from clusterbridge.services.mail import Attachment, Mail, Mailer, queue_mail

CALENDAR_MEDIA_TYPE = "text/calendar"


@dataclass(frozen=True, slots=True)
class Notifier:
    """Where event mails go (``mailer``) and the site address links start with."""

    mailer: Mailer
    public_url: str

    def link(self, event: Event, page: str = "") -> str:
        """The address of one of the event's pages."""
        return f"{self.public_url}/events/{event.id}{page}"


def notify_registration(
    session: Session, notifier: Notifier, participant: EventParticipant, event: Event
) -> None:
    """Tell a participant that the organiser validated or rejected their registration."""
    if participant.status is ParticipantStatus.VALIDATED:
        body = (
            f"Your registration for {event.name} is validated.\n\n"
            f"Browse the other participants and request meetings: "
            f"{notifier.link(event, '/participants')}\n"
        )
        subject = f"{event.name}: your registration is validated"
    else:
        body = f"The organiser of {event.name} did not accept your registration.\n"
        subject = f"{event.name}: your registration"
    queue_mail(session, notifier.mailer, [_mail(participant, subject, body)])


def notify_request(session: Session, notifier: Notifier, meeting: Meeting, event: Event) -> None:
    """Tell the recipient about a new request (or, in automatic mode, a new meeting)."""
    sender = _who(meeting.requester)
    message = f"\nTheir message:\n\n{meeting.message}\n" if meeting.message else ""
    if meeting.status.value == "accepted":
        subject = f"{event.name}: {sender} will meet you"
        body = f"{sender} requested a meeting with you; this event accepts requests at once.\n"
    else:
        subject = f"{event.name}: meeting request from {sender}"
        body = f"{sender} would like to meet you.\n"
    body += f"{message}\nAnswer it here: {notifier.link(event, '/meetings')}\n"
    queue_mail(session, notifier.mailer, [_mail(meeting.recipient, subject, body)])


def notify_response(session: Session, notifier: Notifier, meeting: Meeting, event: Event) -> None:
    """Tell the requester that their request was accepted or declined."""
    answer = meeting.status.value
    subject = f"{event.name}: {_who(meeting.recipient)} {answer} your request"
    body = f"{_who(meeting.recipient)} {answer} your meeting request.\n\n"
    body += f"Your meetings: {notifier.link(event, '/meetings')}\n"
    queue_mail(session, notifier.mailer, [_mail(meeting.requester, subject, body)])


@dataclass(frozen=True, slots=True)
class AgendaLine:
    """One meeting in a participant's mail: start and end (aware), whom, and the room link."""

    starts: datetime
    ends: datetime
    other: EventParticipant
    link: str


@dataclass(frozen=True, slots=True)
class PublishedAgenda:
    """A participant's agenda as the publication mail sends it: the meetings in order and
    the iCalendar file of them."""

    participant: EventParticipant
    lines: Sequence[AgendaLine]
    calendar: str


def notify_published(
    session: Session, notifier: Notifier, event: Event, agendas: Sequence[PublishedAgenda]
) -> None:
    """Tell every participant with a meeting that the agenda is out: their meetings (times in
    their time zone, whom they meet, room links) in the text, and the calendar file attached."""
    subject = f"{event.name}: your agenda is published"
    filename = f"event-{event.id}-agenda.ics"
    mails = []
    for agenda in agendas:
        zone = recipient_zone(agenda.participant, event)
        lines = [_agenda_line(line, zone) for line in agenda.lines]
        count = "Your meeting" if len(lines) == 1 else f"Your {len(lines)} meetings"
        body = f"The agenda of {event.name} is published. {count}, in {zone} time:\n\n"
        body += "\n".join(lines) + "\n\n"
        body += f"The attached file {filename} adds them to your calendar.\n\n"
        body += f"Your agenda: {notifier.link(event, '/agenda')}\n"
        body += f"The calendar file, kept up to date: {notifier.link(event, '/agenda.ics')}\n"
        attachment = Attachment(filename, CALENDAR_MEDIA_TYPE, agenda.calendar.encode("utf-8"))
        mail = _mail(agenda.participant, subject, body)
        mails.append(Mail(mail.to, mail.subject, mail.body, (attachment,)))
    queue_mail(session, notifier.mailer, mails)


def recipient_zone(participant: EventParticipant, event: Event) -> str:
    """The time zone a participant's mail gives times in: theirs, else the event's."""
    return participant.time_zone or event.time_zone


def _agenda_line(line: AgendaLine, zone: str) -> str:
    starts, ends = local_time(line.starts, zone), local_time(line.ends, zone)
    when = f"{starts:%A %d %B %Y}, {starts:%H:%M}-{ends:%H:%M}"
    return f"- {when}: {_who(line.other)}\n  Room: {line.link}"


def notify_cancelled(
    session: Session,
    notifier: Notifier,
    meeting: Meeting,
    event: Event,
    *,
    by: EventParticipant | None,
) -> None:
    """Tell the other participant that ``by`` cancelled the meeting; when the organiser
    cancelled it (``by`` None), tell both."""
    pairs = ((meeting.requester, meeting.recipient), (meeting.recipient, meeting.requester))
    mails = []
    for me, other in pairs:
        if by is not None and me.id == by.id:
            continue
        who = _who(by) if by is not None else "The organiser"
        subject = f"{event.name}: {who} cancelled your meeting"
        body = f"{who} cancelled your meeting with {_who(other)}{_when(meeting, event, me)}.\n\n"
        body += f"Your agenda: {notifier.link(event, '/agenda')}\n"
        mails.append(_mail(me, subject, body))
    queue_mail(session, notifier.mailer, mails)


def notify_moved(
    session: Session,
    notifier: Notifier,
    meetings: Iterable[Meeting],
    event: Event,
    *,
    newly_scheduled: Collection[int] = (),
) -> None:
    """Tell both participants of each meeting its new time (or that it has none any more);
    meetings whose id is in ``newly_scheduled`` had no slot before and are announced as such."""
    mails = []
    for meeting in meetings:
        new = meeting.id in newly_scheduled and meeting.starts_at is not None
        for me, other in (
            (meeting.requester, meeting.recipient),
            (meeting.recipient, meeting.requester),
        ):
            when = _when(meeting, event, me) or " unscheduled: no slot is free for it for now"
            if new:
                subject = f"{event.name}: a new meeting in your agenda"
                body = f"Your meeting with {_who(other)} is scheduled{when}.\n\n"
            else:
                subject = f"{event.name}: a meeting has moved"
                body = f"Your meeting with {_who(other)} has moved: it is now{when}.\n\n"
            body += f"Your agenda: {notifier.link(event, '/agenda')}\n"
            mails.append(_mail(me, subject, body))
    queue_mail(session, notifier.mailer, mails)


def notify_reminder(
    session: Session,
    notifier: Notifier,
    participant: EventParticipant,
    event: Event,
    meetings: Sequence[tuple[Meeting, str]],
) -> None:
    """Remind a participant of their coming meetings (each with its room link), in order."""
    lines = []
    for meeting, link in meetings:
        other = meeting.recipient if meeting.requester_id == participant.id else meeting.requester
        lines.append(
            f"- {_when(meeting, event, participant).strip()}: {_who(other)}\n  Room: {link}"
        )
    count = "your meeting" if len(meetings) == 1 else f"your {len(meetings)} meetings"
    body = f"A reminder of {count} at {event.name}:\n\n" + "\n".join(lines) + "\n\n"
    body += f"Your agenda: {notifier.link(event, '/agenda')}\n"
    body += f"Add it to your calendar: {notifier.link(event, '/agenda.ics')}\n"
    mail = _mail(participant, f"{event.name}: a reminder of {count}", body)
    queue_mail(session, notifier.mailer, [mail])


def _mail(participant: EventParticipant, subject: str, body: str) -> Mail:
    return Mail((participant.user.email,), subject, f"Hello {participant.user.name},\n\n{body}")


def _who(participant: EventParticipant) -> str:
    return f"{participant.user.name} ({participant.organisation.name})"


def _when(meeting: Meeting, event: Event, recipient: EventParticipant) -> str:
    if meeting.starts_at is None:
        return ""
    zone = recipient_zone(recipient, event)
    local = local_time(meeting.starts_at, zone)
    return f" on {local:%A %d %B %Y at %H:%M} ({zone})"
