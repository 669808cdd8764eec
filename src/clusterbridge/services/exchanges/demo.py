"""The demo partnership: real registry organisations with coordinates enrolled as visitors and
hosts, one waiting for validation, one exchange waiting for its approvals and, with enough
organisations, two whose stay is over: one waiting for its closing report, one whose report
waits for validation and payment.

A new exchange cannot start in the past (``build_exchange`` refuses a start before its
``today``), so each past exchange is built by ``build_exchange`` as on the day it was set up,
before its stay, with the programme's checks and lump sum as then. The steps after that mail
everyone (the demo sends no mail), so their rows are written as the services leave them,
field for field (``services/exchanges/approvals.py`` and ``workflow.py``): the four approvals
dated and the state ``confirmed`` (``approve_commitment``); for the second one also the report,
its time, one evidence file and the state ``reported`` (``submit_report``). The demo account,
every participant's contact and the partnership's member, then sends the first one's report
and validates and pays the second through the services like anyone else."""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    Exchange,
    ExchangeEvidence,
    ExchangeParticipant,
    ExchangePartnership,
    ExchangePartnershipMember,
    ExchangeRequest,
    Organisation,
    User,
)
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.domain.enums import (
    ActivityType,
    ExchangeRole,
    ExchangeState,
    OrganisationKind,
    OrgType,
    RequestState,
    ValidationState,
)
from clusterbridge.engines.exchanges import Programme
from clusterbridge.services.exchanges.workflow import Proposal, build_exchange

DEMO_PARTNERSHIP = "Demo ClusterXchange partnership"
#: Registry types taken as they are: the programme accepts them without cluster membership.
_KINDS = {
    OrgType.CLUSTER_ORGANISATION: OrganisationKind.CLUSTER_ORGANISATION,
    OrgType.CLUSTER_NETWORK: OrganisationKind.CLUSTER_ORGANISATION,
    OrgType.BUSINESS_NETWORK: OrganisationKind.BUSINESS_NETWORK,
}
_PARTICIPANTS = 6
#: The visitor and host (by enrolment order) of the demo's accepted request.
_REQUEST_PAIR = (2, 3)
_DAYS_AHEAD = 60
#: The past exchanges, after the first participants: (weeks before ``now`` the stay started
#: around, the host by enrolment order, whether the closing report was sent).
_PAST = ((3, 1, False), (5, 3, True))
#: Days between setting up a past exchange and its stay, and between its end and its report.
_SET_UP_DAYS_BEFORE = 30
_REPORTED_DAYS_AFTER = 3
#: The goals of the past exchanges: how a later demo run knows those it made.
PAST_GOALS = "Meet the host cluster's members and find partners for joint projects."


@dataclass(frozen=True, slots=True)
class DemoExchanges:
    """The demo partnership's id (None without organisations to enrol) and its counts: its
    participants, its visitors' exchanges, and among them those whose stay is over waiting for
    the closing report, those whose report waits for validation and those waiting for
    payment."""

    partnership_id: int | None
    participants: int
    exchanges: int
    awaiting_report: int = 0
    awaiting_validation: int = 0
    awaiting_payment: int = 0
    #: What this run added, for the summary ("the exchange partnership", "2 past exchanges").
    added: tuple[str, ...] = ()


def prepare_demo_exchanges(
    session: Session, manager: User, *, programme: Programme, now: datetime, today: date
) -> DemoExchanges:
    """Unless it exists, create the demo partnership with ``manager`` acting for it, enrol
    registry cluster organisations and business networks with coordinates from different
    programme countries (visitors and hosts, all validated but the last), and set up one
    exchange about two months ahead, (with five participants or more) a request a host
    accepted and (with organisations from a seventh and eighth country, validated visitors)
    the past exchanges of ``_PAST`` (see the module). A partnership made before the past
    exchanges existed (or before the registry had their countries) gets those it lacks, once,
    with visitors of their own; nothing else of it changes. The stays' dates count from
    ``today``, the site's calendar date at ``now`` (ADR 0039). Writes; sends no mail."""
    existing = repository.find_partnership_by_name(session, DEMO_PARTNERSHIP)
    if existing is not None:
        caught_up = _add_missing_past(session, programme, existing, manager, now=now, today=today)
        counts = _counts(session, existing.id, today=today)
        return replace(counts, added=(_plural(caught_up, "past exchange"),) if caught_up else ())
    found = _one_per_country(session, programme)[: _PARTICIPANTS + len(_PAST)]
    if len(found) < 2:
        return DemoExchanges(None, 0, 0)
    organisations, past_visitors = found[:_PARTICIPANTS], found[_PARTICIPANTS:]
    partnership = ExchangePartnership(name=DEMO_PARTNERSHIP, country=organisations[0].country)
    partnership.members = [ExchangePartnershipMember(user=manager)]
    session.add(partnership)
    people = [
        _participant(partnership, manager, organisation, number, now=now)
        for number, organisation in enumerate(organisations)
    ]
    people[-1].state, people[-1].decided_at = ValidationState.PENDING, None
    visitors = [
        _participant(partnership, manager, organisation, 0, now=now)
        for organisation in past_visitors
    ]
    session.add_all(people + visitors)
    session.flush()
    start = today + timedelta(days=_DAYS_AHEAD)
    start += timedelta(days=(7 - start.weekday()) % 7)  # the Monday on or after
    proposal = Proposal(
        visitor_id=people[0].id,
        host_id=people[1].id,
        start=start,
        end=start + timedelta(days=4),
        activity_type=ActivityType.KNOWLEDGE_SHARING,
        goals="Learn how the host cluster runs its services for SMEs.",
        objectives="Two services to try at home; one joint project idea.",
        agenda="Monday: introductions. Tuesday to Thursday: visits to members. Friday: wrap-up.",
    )
    build_exchange(session, programme, people[0], people[1], proposal, today=today)
    _accepted_request(session, people, now=now)
    for visitor, (weeks, host, reported) in zip(visitors, _PAST, strict=False):
        _past_exchange(
            session, programme, visitor, people[host], weeks=weeks, reported=reported, now=now,
            today=today,
        )  # fmt: skip
    past = min(len(visitors), len(_PAST))
    made = ("the exchange partnership",) + ((_plural(past, "past exchange"),) if past else ())
    return replace(_counts(session, partnership.id, today=today), added=made)


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _add_missing_past(
    session: Session,
    programme: Programme,
    partnership: ExchangePartnership,
    manager: User,
    *,
    now: datetime,
    today: date,
) -> int:
    """Add to an existing demo partnership the past exchanges of ``_PAST`` it lacks (they are
    made in order, so the first ones are those it has: an exchange of its visitors with the
    demo's past goals counts as one), each with a new validated visitor from a programme
    country none of its participants is from. Returns how many were added. The partnership's
    own participants and exchanges are left as they are, but for the validation time of a host
    moved before a past exchange was set up, as on a new demo."""
    enrolled = repository.list_participants(session, partnership_id=partnership.id)
    hosts = enrolled[:_PARTICIPANTS]
    had = session.scalar(
        sa.select(sa.func.count(Exchange.id)).where(
            Exchange.visitor_id.in_([p.id for p in enrolled]), Exchange.goals == PAST_GOALS
        )
    )
    missing = [entry for entry in _PAST[had or 0 :] if entry[1] < len(hosts)]
    taken = {p.country for p in enrolled}
    fresh = [o for o in _one_per_country(session, programme) if o.country not in taken]
    added = 0
    for organisation, (weeks, host, reported) in zip(fresh, missing, strict=False):
        visitor = _participant(partnership, manager, organisation, 0, now=now)
        session.add(visitor)
        session.flush()
        _past_exchange(
            session, programme, visitor, hosts[host], weeks=weeks, reported=reported, now=now,
            today=today,
        )  # fmt: skip
        added += 1
    return added


def _past_exchange(
    session: Session,
    programme: Programme,
    visitor: ExchangeParticipant,
    host: ExchangeParticipant,
    *,
    weeks: int,
    reported: bool,
    now: datetime,
    today: date,
) -> None:
    """A Monday-to-Friday stay that started in the week ``weeks`` before ``now``, set up and
    confirmed before it; with ``reported``, its closing report sent after it (see the
    module)."""
    start = today - timedelta(weeks=weeks)
    start -= timedelta(days=start.weekday())  # the Monday on or before
    set_up = now - timedelta(weeks=weeks, days=_SET_UP_DAYS_BEFORE)
    proposal = Proposal(
        visitor_id=visitor.id,
        host_id=host.id,
        start=start,
        end=start + timedelta(days=4),
        activity_type=ActivityType.NETWORKING,
        goals=PAST_GOALS,
        objectives="Ten meetings with members; two partners for a project proposal.",
        agenda="Monday: introductions. Tuesday to Thursday: meetings with members. Friday: wrap-up.",
    )
    for participant in (visitor, host):
        # Validated before the exchange was set up, as propose_exchange requires.
        participant.decided_at = min(participant.decided_at or now, set_up - timedelta(days=1))
    set_up_on = today - timedelta(weeks=weeks, days=_SET_UP_DAYS_BEFORE)
    exchange = build_exchange(session, programme, visitor, host, proposal, today=set_up_on)
    # approve_commitment, four times in the following days: the fourth confirms it.
    exchange.visitor_approved_at = set_up + timedelta(days=1)
    exchange.host_approved_at = set_up + timedelta(days=2)
    exchange.visitor_partnership_approved_at = set_up + timedelta(days=3)
    exchange.host_partnership_approved_at = set_up + timedelta(days=3, hours=2)
    exchange.state = ExchangeState.CONFIRMED
    if reported:
        # submit_report, a few days after the stay, with one evidence file.
        submitted = datetime.combine(
            proposal.end + timedelta(days=_REPORTED_DAYS_AFTER), now.timetz()
        )
        exchange.report = (
            "Eleven meetings with members of the host cluster; two of them join our next "
            "project proposal. The evidence is the train tickets."
        )
        exchange.report_submitted_at = submitted
        exchange.state = ExchangeState.REPORTED
        session.add(
            ExchangeEvidence(
                exchange_id=exchange.id,
                file_name="train-tickets.pdf",
                content_type="application/pdf",
                size=len(EVIDENCE_PDF),
                content=EVIDENCE_PDF,
                uploaded_at=submitted,
            )
        )
    session.flush()


def _accepted_request(
    session: Session, people: list[ExchangeParticipant], *, now: datetime
) -> None:
    """The second visitor's request the second host accepted (when both are validated), for
    the partnership's page and its assignment."""
    if len(people) < _REQUEST_PAIR[1] + 2:
        return
    visitor, host = (people[number] for number in _REQUEST_PAIR)
    session.add(
        ExchangeRequest(
            visitor=visitor,
            host=host,
            message="We would like to see how your members share their test labs.",
            state=RequestState.ACCEPTED,
            is_open=None,
            answer="Welcome: the first week of a month suits us best.",
            answered_at=now,
        )
    )
    session.flush()


def _counts(session: Session, partnership_id: int, *, today: date) -> DemoExchanges:
    """The participants of the partnership, the exchanges of its visitors and what those
    wait for on ``today``."""
    enrolled = sa.select(ExchangeParticipant.id).where(
        ExchangeParticipant.partnership_id == partnership_id
    )
    participants = session.scalar(sa.select(sa.func.count()).select_from(enrolled.subquery()))
    rows = session.execute(
        sa.select(Exchange.state, Exchange.end_date).where(Exchange.visitor_id.in_(enrolled))
    ).all()
    states = [state for state, _end in rows]
    return DemoExchanges(
        partnership_id,
        participants or 0,
        len(rows),
        awaiting_report=sum(
            state is ExchangeState.CONFIRMED and end < today for state, end in rows
        ),
        awaiting_validation=states.count(ExchangeState.REPORTED),
        awaiting_payment=states.count(ExchangeState.VALIDATED),
    )


def _one_per_country(session: Session, programme: Programme) -> list[Organisation]:
    candidates = repository.located_organisations(
        session,
        types=tuple(_KINDS),
        countries=frozenset(programme.lump_sum.thresholds) & programme.participants.countries,
        limit=500,
    )
    chosen: dict[str, Organisation] = {}
    for organisation in candidates:
        chosen.setdefault(organisation.country, organisation)
    return list(chosen.values())


def _participant(
    partnership: ExchangePartnership,
    manager: User,
    organisation: Organisation,
    number: int,
    *,
    now: datetime,
) -> ExchangeParticipant:
    assert organisation.type is not None  # the query keeps typed organisations only
    assert organisation.latitude is not None
    assert organisation.longitude is not None
    role = ExchangeRole.VISITOR if number % 2 == 0 else ExchangeRole.HOST
    return ExchangeParticipant(
        partnership=partnership,
        organisation=organisation,
        contact=manager,
        role=role,
        kind=_KINDS[organisation.type],
        country=organisation.country,
        cluster_member=None,
        place=organisation.city or organisation.name,
        latitude=organisation.latitude,
        longitude=organisation.longitude,
        motivation=f"{organisation.name} takes part in the demo of the exchange scheme.",
        activity_types=[str(ActivityType.KNOWLEDGE_SHARING), str(ActivityType.NETWORKING)],
        capacity=2 if role is ExchangeRole.HOST else 1,
        state=ValidationState.VALIDATED,
        decided_at=now,
    )


def _evidence_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII, no parentheses or backslashes): the demo's
    evidence file, written without the PDF renderer (the demo imports no WeasyPrint)."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return pdf


#: The evidence of the demo's reported exchange.
EVIDENCE_PDF = _evidence_pdf("Demo evidence: train tickets of the exchange, there and back.")
