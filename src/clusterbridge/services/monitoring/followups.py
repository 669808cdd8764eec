"""Follow-ups: some weeks after a meeting of a match-making event or an exchange, each side
that is not known as a non-SME is asked by e-mail what came of it; the mail's links answer it
without signing in, once (ADR 0019, "The outcome ledger")."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from clusterbridge.db.models import (
    Consortium,
    ConsortiumPartner,
    EventParticipant,
    Exchange,
    ExchangeParticipant,
    FollowUp,
    Meeting,
    Organisation,
    Outcome,
    Participation,
    Project,
    Proposal,
    User,
)
from clusterbridge.db.repositories.selection import has_partner
from clusterbridge.domain.enums import MeetingOutcome, MeetingStatus, OutcomeType
from clusterbridge.domain.errors import DomainError, InputIssue, InvalidInputError
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services.accounts.links import link_digest, new_link_token
from clusterbridge.services.mail import Mail, Mailer, queue_mail
from clusterbridge.services.monitoring.outcomes import (
    HELD_EXCHANGES,
    OUTCOME_LABELS,
    describe_activity,
    held,
)

#: The path of the page a follow-up link opens, followed by the token.
FOLLOWUP_PATH = "/followups/"
NOTE_MAX_LENGTH = 2000


class FollowUpLinkError(DomainError):
    """A follow-up link that is unknown, answered or expired (the three are not told apart)."""

    status = 404

    def __init__(self) -> None:
        super().__init__("This follow-up link has expired or has been answered already.")


@dataclass(frozen=True, slots=True)
class FollowUpMail:
    """How follow-ups are sent: the mail backend, the site's address, the weeks after an
    activity when they are due, and how long an answer link works."""

    mailer: Mailer
    public_url: str
    weeks: tuple[int, ...]
    link_lifetime: timedelta


@dataclass(frozen=True, slots=True)
class _Side:
    meeting_id: int | None
    exchange_id: int | None
    organisation: Organisation
    person: User
    held_at: datetime
    #: An exchange's last day (a calendar date of the site), from which its weeks count.
    held_on: date | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """A consortium, proposal or project an outcome may link to."""

    id: int
    label: str


@dataclass(frozen=True, slots=True)
class FollowUpQuestion:
    """What an open follow-up link shows: whom it asks, about what, and what an answer may
    link to (the organisation's own consortia, proposals and projects)."""

    follow_up: FollowUp
    organisation: Organisation
    activity: str
    consortia: list[Choice]
    proposals: list[Choice]
    projects: list[Choice]


def send_follow_ups(
    session: Session, mail: FollowUpMail, *, now: datetime, today: date
) -> list[FollowUp]:
    """Mail every due follow-up once: for each side of a held meeting (accepted, its slot
    past, nobody recorded a no-show) or a held exchange (reported or later; its end date),
    the latest of ``mail.weeks`` that has passed, unless that week or a later one was sent
    already (running it again sends nothing new; a late first run skips the earlier weeks).
    A meeting's weeks count from its start (``now``); an exchange's, in days, from its end
    date to ``today``, the site's calendar date (ADR 0039). Returns the follow-ups sent.
    Writes; mails after the commit."""
    sent_weeks = _sent_weeks(session)
    sent = []
    for side in _meeting_sides(session, now=now) + _exchange_sides(session, today=today):
        key = (side.meeting_id, side.exchange_id, side.organisation.id)
        week = _due_week(side, mail.weeks, now=now, today=today)
        if week is None or sent_weeks.get(key, 0) >= week:
            continue
        sent.append(_send(session, mail, side, week=week, now=now))
    session.flush()
    return sent


def _due_week(side: _Side, weeks: Sequence[int], *, now: datetime, today: date) -> int | None:
    if side.held_on is not None:
        due = [week for week in weeks if side.held_on + timedelta(weeks=week) <= today]
    else:
        due = [week for week in weeks if side.held_at + timedelta(weeks=week) <= now]
    return max(due) if due else None


def _sent_weeks(session: Session) -> dict[tuple[int | None, int | None, int], int]:
    rows = session.execute(
        sa.select(
            FollowUp.meeting_id,
            FollowUp.exchange_id,
            FollowUp.organisation_id,
            sa.func.max(FollowUp.week),
        ).group_by(FollowUp.meeting_id, FollowUp.exchange_id, FollowUp.organisation_id)
    )
    return {(meeting, exchange, org): week for meeting, exchange, org, week in rows}


def _meeting_sides(session: Session, *, now: datetime) -> list[_Side]:
    no_show = MeetingOutcome.NO_SHOW
    statement = (
        sa.select(Meeting)
        .where(
            Meeting.status == MeetingStatus.ACCEPTED,
            Meeting.starts_at.is_not(None),
            Meeting.starts_at <= now,
            sa.or_(Meeting.requester_outcome.is_(None), Meeting.requester_outcome != no_show),
            sa.or_(Meeting.recipient_outcome.is_(None), Meeting.recipient_outcome != no_show),
        )
        .options(
            joinedload(Meeting.requester).joinedload(EventParticipant.organisation),
            joinedload(Meeting.requester).joinedload(EventParticipant.user),
            joinedload(Meeting.recipient).joinedload(EventParticipant.organisation),
            joinedload(Meeting.recipient).joinedload(EventParticipant.user),
        )
        .order_by(Meeting.id)
    )
    sides = []
    for meeting in session.scalars(statement).unique():
        assert meeting.starts_at is not None
        for participant in (meeting.requester, meeting.recipient):
            sides.append(
                _Side(
                    meeting.id, None, participant.organisation, participant.user, meeting.starts_at
                )
            )
    return [side for side in sides if side.organisation.is_sme is not False]


def _exchange_sides(session: Session, *, today: date) -> list[_Side]:
    statement = (
        sa.select(Exchange)
        .where(Exchange.state.in_(HELD_EXCHANGES), Exchange.end_date <= today)
        .options(
            joinedload(Exchange.visitor).joinedload(ExchangeParticipant.organisation),
            joinedload(Exchange.visitor).joinedload(ExchangeParticipant.contact),
            joinedload(Exchange.host).joinedload(ExchangeParticipant.organisation),
            joinedload(Exchange.host).joinedload(ExchangeParticipant.contact),
        )
        .order_by(Exchange.id)
    )
    sides = []
    for exchange in session.scalars(statement).unique():
        ended = datetime.combine(exchange.end_date, time(), tzinfo=UTC)
        for participant in (exchange.visitor, exchange.host):
            side = _Side(None, exchange.id, participant.organisation, participant.contact, ended)
            sides.append(replace(side, held_on=exchange.end_date))
    return [side for side in sides if side.organisation.is_sme is not False]


def _send(
    session: Session, mail: FollowUpMail, side: _Side, *, week: int, now: datetime
) -> FollowUp:
    token, digest = new_link_token()
    follow_up = FollowUp(
        meeting_id=side.meeting_id,
        exchange_id=side.exchange_id,
        organisation_id=side.organisation.id,
        recipient_id=side.person.id,
        week=week,
        token_hash=digest,
        sent_at=now,
        expires_at=now + mail.link_lifetime,
    )
    session.add(follow_up)
    session.flush()
    activity = describe_activity(session, follow_up)
    link = f"{mail.public_url}{FOLLOWUP_PATH}{token}"
    answers = "\n".join(
        f"- {label}: {link}?answer={kind.value}" for kind, label in OUTCOME_LABELS.items()
    )
    body = (
        f"Hello {side.person.name},\n\n{week} weeks ago: {activity}. What came of it for "
        f"{side.organisation.name}? One click on the answer that fits opens it ready to "
        f"confirm (no sign-in needed):\n\n{answers}\n\n"
        f"The link works once, for {mail.link_lifetime.days} days. Your answer is counted in "
        "the programme's impact figures, each SME once.\n"
    )
    queue_mail(session, mail.mailer, [Mail((side.person.email,), "What came of it?", body)])
    return follow_up


def open_follow_up(session: Session, token: str, *, now: datetime) -> FollowUpQuestion:
    """The question behind a follow-up link, if it is unanswered and unexpired and its
    meeting or exchange still took place (not cancelled since); FollowUpLinkError otherwise.
    Reads only."""
    follow_up = _open(session, token, now=now)
    organisation = session.get(Organisation, follow_up.organisation_id)
    assert organisation is not None
    return FollowUpQuestion(
        follow_up=follow_up,
        organisation=organisation,
        activity=describe_activity(session, follow_up),
        consortia=_consortia(session, organisation.id),
        proposals=_proposals(session, organisation.id),
        projects=_projects(session, organisation.id),
    )


def answer_follow_up(
    session: Session,
    token: str,
    *,
    answer: str,
    consortium_id: int | None = None,
    proposal_id: int | None = None,
    project_id: int | None = None,
    note: str = "",
    now: datetime,
) -> Outcome:
    """Record the outcome a follow-up link answers; the link is used up. FollowUpLinkError
    for a bad link; InvalidInputError naming each bad field (``answer``, ``consortium_id``,
    ``proposal_id``, ``project_id``, ``note``): a link must be to one of the organisation's
    own. Writes."""
    question = open_follow_up(session, token, now=now)
    kind = _check_answer(
        question,
        answer=answer,
        consortium_id=consortium_id,
        proposal_id=proposal_id,
        project_id=project_id,
        note=note,
    )
    follow_up = question.follow_up
    # Used up by one conditional update: of two answers with the same link, one wins.
    claimed = session.execute(
        sa.update(FollowUp)
        .where(FollowUp.id == follow_up.id, FollowUp.answered_at.is_(None))
        .values(answered_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise FollowUpLinkError
    outcome = Outcome(
        organisation_id=follow_up.organisation_id,
        meeting_id=follow_up.meeting_id,
        exchange_id=follow_up.exchange_id,
        follow_up_id=follow_up.id,
        type=kind,
        consortium_id=consortium_id,
        proposal_id=proposal_id,
        project_id=project_id,
        note=note.strip(),
        recorded_at=now,
    )
    session.add(outcome)
    session.flush()
    return outcome


def _check_answer(
    question: FollowUpQuestion,
    *,
    answer: str,
    consortium_id: int | None,
    proposal_id: int | None,
    project_id: int | None,
    note: str,
) -> OutcomeType:
    issues = []
    if answer not in {kind.value for kind in OutcomeType}:
        issues.append(InputIssue("", "answer", "must be one of the answers offered"))
    owner = question.organisation.name
    for field, value, choices, what in (
        ("consortium_id", consortium_id, question.consortia, "consortium"),
        ("proposal_id", proposal_id, question.proposals, "proposal"),
        ("project_id", project_id, question.projects, "funded project"),
    ):
        if value is not None and value not in {choice.id for choice in choices}:
            issues.append(InputIssue("", field, f"is not a {what} of {owner}"))
    if len(note) > NOTE_MAX_LENGTH:
        issues.append(InputIssue("", "note", too_long_reason(NOTE_MAX_LENGTH, len(note))))
    if issues:
        raise InvalidInputError("The answer was not recorded", issues)
    return OutcomeType(answer)


def _open(session: Session, token: str, *, now: datetime) -> FollowUp:
    follow_up = session.scalars(
        sa.select(FollowUp).where(FollowUp.token_hash == link_digest(token), held(FollowUp))
    ).one_or_none()
    if follow_up is None or follow_up.answered_at is not None or follow_up.expires_at <= now:
        raise FollowUpLinkError
    return follow_up


def _consortia(session: Session, organisation_id: int) -> list[Choice]:
    rows = session.execute(
        sa.select(Consortium.id, Consortium.name)
        .join(ConsortiumPartner, ConsortiumPartner.consortium_id == Consortium.id)
        .where(ConsortiumPartner.organisation_id == organisation_id)
        .order_by(Consortium.name, Consortium.id)
    )
    return [Choice(id_, name) for id_, name in rows]


def _proposals(session: Session, organisation_id: int) -> list[Choice]:
    rows = session.execute(
        sa.select(Proposal.id, Proposal.acronym, Proposal.title)
        .where(has_partner([organisation_id]))
        .order_by(Proposal.acronym, Proposal.id)
    )
    return [Choice(id_, f"{acronym}: {title}") for id_, acronym, title in rows]


def _projects(session: Session, organisation_id: int) -> list[Choice]:
    rows = session.execute(
        sa.select(Project.id, Project.acronym, Project.title)
        .join(Participation, Participation.project_id == Project.id)
        .where(Participation.organisation_id == organisation_id)
        .distinct()
        .order_by(Project.acronym, Project.id)
    )
    return [Choice(id_, f"{acronym or 'Project'}: {title}") for id_, acronym, title in rows]
