"""An exchange from proposal to payment: the stay judged and its lump sum computed, the
Commitment to Quality approved by four parties, the closing report with evidence, validation by
the visitor's partnership, and the payment due 10 days later (the programme's setting)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from clusterbridge.db.models import Exchange, ExchangeEvidence, ExchangeParticipant, User
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.enums import (
    ActivityType,
    ExchangeRole,
    ExchangeState,
    ValidationState,
)
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError
from clusterbridge.domain.money import format_euros
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.engines.exchanges import (
    Point,
    Programme,
    StayAssessment,
    assess_stay,
    compute_lump_sum,
    judge_countries,
    judge_host_capacity,
    judge_visit_once,
    measure_distance,
)
from clusterbridge.engines.exchanges.stay import MAX_SPAN_DAYS
from clusterbridge.services.evidence import Upload, check_uploads
from clusterbridge.services.exchanges.access import (
    ExchangeConflictError,
    ExchangeNotFoundError,
    acts_for,
    is_administrator,
    require_acts_for,
)
from clusterbridge.services.exchanges.enrolment import MAX_TEXT
from clusterbridge.services.exchanges.notifications import ExchangeNotifier, tell_everyone
from clusterbridge.services.exchanges.oversight import oversees
from clusterbridge.services.uploads import stored_name


@dataclass(frozen=True, slots=True)
class Proposal:
    """An exchange to set up: who, when (first and last day at the host, travel excluded),
    what for, and the Commitment to Quality's goals, objectives and agenda."""

    visitor_id: int
    host_id: int
    start: date
    end: date
    activity_type: ActivityType
    goals: str
    objectives: str
    agenda: str


def propose_exchange(
    session: Session,
    actor: User,
    proposal: Proposal,
    *,
    programme: Programme,
    today: date,
    notifier: ExchangeNotifier,
) -> Exchange:
    """Set up an exchange (the visitor's partnership, or an administrator). Both participants
    must be enrolled and validated, visitor and host, and the stay must start on ``today`` (the
    site's date) or later and last 3 working days to one month (``InvalidInputError`` naming the
    field); the programme's rules are checked (``ExchangeConflictError``): two countries,
    visit once, the host's capacity on every day of the stay, a threshold for the host
    country. The stay's working days, distance and lump sum are stored
    with their reasons; the exchange is credited to the visitor's partnership. Everyone
    concerned is mailed."""
    visitor, host = _pair(session, proposal)
    require_acts_for(
        session, actor, visitor.partnership_id, doing="set up their visitors' exchanges"
    )
    exchange = build_exchange(session, programme, visitor, host, proposal, today=today)
    loaded = load_exchange(session, exchange.id)
    tell_everyone(
        session,
        notifier,
        loaded,
        subject=f"Exchange proposed: {visitor.organisation.name} visits {host.organisation.name}",
        body=(
            f"{visitor.organisation.name} is to visit {host.organisation.name} from "
            f"{day_text(proposal.start)} to {day_text(proposal.end)} ({exchange.working_days} working days; lump "
            f"sum {format_euros(exchange.lump_sum_eur)}). The Commitment to Quality now needs the approval of "
            f"the visitor, the host and both partnerships: {notifier.exchange_link(loaded)}"
        ),
    )
    return loaded


def build_exchange(
    session: Session,
    programme: Programme,
    visitor: ExchangeParticipant,
    host: ExchangeParticipant,
    proposal: Proposal,
    *,
    today: date,
) -> Exchange:
    """Check the proposal against the programme's rules and add the exchange with its stay,
    distance and lump sum (see ``propose_exchange``, which also checks who asks and mails).
    ``InvalidInputError`` for bad texts or dates (a start before ``today``, an end before the
    start, a stay outside the programme's length: fewer working days than its minimum or
    longer than its months), every one at once; ``ExchangeConflictError`` for a broken rule
    between the two participants (countries, visit once, capacity) or a host country without
    a threshold."""
    stay = _checked_stay(programme, proposal, host_country=host.country, today=today)
    distance = measure_distance(
        programme.distance,
        Point(visitor.latitude, visitor.longitude),
        Point(host.latitude, host.longitude),
    )
    lump_sum = compute_lump_sum(programme, host_country=host.country, stay=stay, distance=distance)
    _check_rules(session, programme, visitor, host, proposal)
    if lump_sum.amount_eur is None or lump_sum.threshold_eur is None:
        raise ExchangeConflictError(lump_sum.reasons[-1])
    exchange = Exchange(
        visitor_id=visitor.id,
        host_id=host.id,
        credited_partnership_id=visitor.partnership_id,
        start_date=proposal.start,
        end_date=proposal.end,
        activity_type=proposal.activity_type,
        working_days=stay.working_days,
        distance_km=distance.rounded_km,
        threshold_eur=lump_sum.threshold_eur,
        lump_sum_eur=lump_sum.amount_eur,
        halved=lump_sum.halved,
        reasons=list(lump_sum.reasons),
        goals=proposal.goals.strip(),
        objectives=proposal.objectives.strip(),
        agenda=proposal.agenda.strip(),
    )
    session.add(exchange)
    session.flush()
    return exchange


def submit_report(
    session: Session,
    actor: User,
    exchange_id: int,
    *,
    report: str,
    uploads: list[Upload],
    now: datetime,
    today: date,
    notifier: ExchangeNotifier,
) -> Exchange:
    """The visitor's closing report with its evidence, once the stay is over (its last day is
    before ``today``, the site's date at ``now``, the time written as submitted). Every problem
    (blank report, a file of the wrong type or too large, too many files) is reported at once
    and nothing is stored. The visitor's partnership is mailed."""
    exchange = load_exchange(session, exchange_id)
    if exchange.visitor.contact_id != actor.id and not is_administrator(actor):
        raise AccessDeniedError("Only the visitor sends the closing report.")
    if exchange.state is not ExchangeState.CONFIRMED:
        raise ExchangeConflictError("The closing report follows a confirmed exchange.")
    if today <= exchange.end_date:
        raise ExchangeConflictError(
            f"The closing report can be sent after {day_text(exchange.end_date)}."
        )
    issues = _report_issues(report, uploads)
    if issues:
        raise InvalidInputError("The closing report cannot be saved.", issues)
    exchange.report = report.strip()
    exchange.report_submitted_at = now
    exchange.state = ExchangeState.REPORTED
    exchange.evidence.extend(
        ExchangeEvidence(
            file_name=stored_name(u),
            content_type=u.content_type,
            size=len(u.content),
            content=u.content,
            uploaded_at=now,
        )
        for u in uploads
    )
    session.flush()
    tell_everyone(
        session,
        notifier,
        exchange,
        subject="Closing report received",
        body=(
            f"{exchange.visitor.organisation.name} sent the closing report with "
            f"{len(uploads)} evidence file(s). The visitor's partnership validates it: "
            f"{notifier.exchange_link(exchange)}"
        ),
    )
    return exchange


def validate_report(
    session: Session,
    actor: User,
    exchange_id: int,
    *,
    now: datetime,
    today: date,
    programme: Programme,
    notifier: ExchangeNotifier,
) -> Exchange:
    """The visitor's partnership validates the closing report at ``now``: the payment is then
    due within the programme's days (10) of ``today``, the site's date of the validation."""
    exchange = load_exchange(session, exchange_id)
    require_acts_for(session, actor, exchange.visitor.partnership_id, doing="validate reports")
    if exchange.state is not ExchangeState.REPORTED:
        raise ExchangeConflictError("Only a closing report waiting for validation is validated.")
    exchange.state = ExchangeState.VALIDATED
    exchange.validated_at = now
    exchange.validated_by_id = actor.id
    exchange.payment_due = today + timedelta(days=programme.payment_due_days)
    session.flush()
    tell_everyone(
        session,
        notifier,
        exchange,
        subject="Closing report validated: payment due by " + day_text(exchange.payment_due),
        body=(
            f"The closing report is validated. {format_euros(exchange.lump_sum_eur)} is to be "
            f"paid to "
            f"{exchange.visitor.organisation.name} by {day_text(exchange.payment_due)}: "
            f"{notifier.exchange_link(exchange)}"
        ),
    )
    return exchange


def get_exchange(session: Session, actor: User, exchange_id: int) -> Exchange:
    """The exchange, for its visitor, host, their partnerships, administrators and programme
    officers (who read it only: `oversight`). Anyone else: ``AccessDeniedError``."""
    exchange = load_exchange(session, exchange_id)
    allowed = (
        oversees(actor)
        or actor.id in {exchange.visitor.contact_id, exchange.host.contact_id}
        or any(
            acts_for(session, actor, p)
            for p in {exchange.visitor.partnership_id, exchange.host.partnership_id}
        )
    )
    if not allowed:
        raise AccessDeniedError(
            "Only the exchange's participants, their partnerships and programme officers see it."
        )
    return exchange


def get_evidence(
    session: Session, actor: User, exchange_id: int, evidence_id: int
) -> ExchangeEvidence:
    """One evidence file of the exchange's closing report with its bytes, for those who see the
    exchange (``get_exchange``). An unknown file, one of another exchange and one the actor may
    not see are the same ``ExchangeNotFoundError``, which reveals none of them."""
    missing = ExchangeNotFoundError("No such file among the exchange's evidence.")
    try:
        exchange = get_exchange(session, actor, exchange_id)
    except (AccessDeniedError, ExchangeNotFoundError):
        raise missing from None
    found = next((e for e in exchange.evidence if e.id == evidence_id), None)
    if found is None:
        raise missing
    return found


def load_exchange(session: Session, exchange_id: int) -> Exchange:
    """The exchange with its participants and evidence, or ``ExchangeNotFoundError``; no
    access check (the caller makes its own)."""
    exchange = repository.get_exchange(session, exchange_id)
    if exchange is None:
        raise ExchangeNotFoundError(f"No exchange {exchange_id}.")
    return exchange


def _pair(session: Session, proposal: Proposal) -> tuple[ExchangeParticipant, ExchangeParticipant]:
    visitor = repository.get_participant(session, proposal.visitor_id)
    host = repository.get_participant(session, proposal.host_id)
    issues = []
    for participant, role, name in (
        (visitor, ExchangeRole.VISITOR, "visitor"),
        (host, ExchangeRole.HOST, "host"),
    ):
        if participant is None:
            # An id the form or the request chose: a mistake of that field, not a missing page.
            issues.append(InputIssue("", name, "is not enrolled in the programme"))
        elif participant.role is not role:
            issues.append(
                InputIssue("", name, f"{participant.organisation.name} is not enrolled as a {role}")
            )
        elif participant.state is not ValidationState.VALIDATED:
            issues.append(InputIssue("", name, f"{participant.organisation.name} is not validated"))
    if issues or visitor is None or host is None:
        raise InvalidInputError("The exchange cannot be set up.", issues)
    return visitor, host


def _checked_stay(
    programme: Programme, proposal: Proposal, *, host_country: str, today: date
) -> StayAssessment:
    """The stay of ``proposal`` assessed; ``InvalidInputError`` naming every bad field, the
    stay's length (a problem of its last day) included."""
    issues = _proposal_issues(proposal, today=today)
    if any(issue.field == "end" for issue in issues):
        raise InvalidInputError("The exchange cannot be set up.", issues)
    stay = assess_stay(programme, host_country=host_country, start=proposal.start, end=proposal.end)
    if stay.problem is not None:
        # Its dates are the mistake: input, shown beside the last day, not a conflict.
        issues.append(InputIssue("", "end", _as_reason(stay.problem)))
    if issues:
        raise InvalidInputError("The exchange cannot be set up.", issues)
    return stay


def _as_reason(sentence: str) -> str:
    """The engine's sentence ("The stay is longer than one month: ...") as a field's reason,
    worded as the others beside it: "Last day at the host: the stay is longer ...", no stop."""
    return sentence[:1].lower() + sentence[1:].removesuffix(".")


def _proposal_issues(proposal: Proposal, *, today: date) -> list[InputIssue]:
    return check_proposal(
        goals=proposal.goals,
        objectives=proposal.objectives,
        agenda=proposal.agenda,
        start=proposal.start,
        end=proposal.end,
        today=today,
    )


def check_proposal(
    *, goals: str, objectives: str, agenda: str, start: date | None, end: date | None, today: date
) -> list[InputIssue]:
    """The problems `propose_exchange` finds with a proposal's texts and days, for a form
    whose own fields are bad (a day it could not read, None, is not checked), so that one
    answer names every bad field. Writes nothing."""
    issues = []
    for name, text in (("goals", goals), ("objectives", objectives), ("agenda", agenda)):
        if not text.strip():
            issues.append(InputIssue("", name, "is required"))
        elif len(text.strip()) > MAX_TEXT:
            issues.append(InputIssue("", name, too_long_reason(MAX_TEXT, len(text.strip()))))
    if start is not None and start < today:
        # An exchange is set up before the stay; one already recorded stays as it is.
        issues.append(
            InputIssue("", "start", f"is in the past: start on {day_text(today)} or later")
        )
    if start is None or end is None:
        return issues
    if end < start:
        issues.append(InputIssue("", "end", "is before the start"))
    elif (end - start).days >= MAX_SPAN_DAYS:
        # Far beyond the programme's one month: refused as input, not judged day by day.
        issues.append(InputIssue("", "end", f"the stay spans more than {MAX_SPAN_DAYS} days"))
    return issues


def _check_rules(
    session: Session,
    programme: Programme,
    visitor: ExchangeParticipant,
    host: ExchangeParticipant,
    proposal: Proposal,
) -> None:
    judgements = [
        judge_countries(programme, visitor_country=visitor.country, host_country=host.country),
        judge_visit_once(programme, visits_so_far=repository.count_visits(session, visitor.id)),
        judge_host_capacity(
            capacity=host.capacity,
            booked=repository.host_stays(session, host.id),
            start=proposal.start,
            end=proposal.end,
        ),
    ]
    broken = [reason for j in judgements if not j.allowed for reason in j.reasons]
    if broken:
        raise ExchangeConflictError(" ".join(broken))


def _report_issues(report: str, uploads: list[Upload]) -> list[InputIssue]:
    issues = []
    if not report.strip():
        issues.append(InputIssue("", "report", "is required"))
    elif len(report.strip()) > MAX_TEXT:
        issues.append(InputIssue("", "report", too_long_reason(MAX_TEXT, len(report.strip()))))
    if not uploads:
        issues.append(InputIssue("", "evidence", "add at least one file (tickets, invoices)"))
    issues += check_uploads(uploads)
    return issues
