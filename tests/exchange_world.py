"""Exchanges in any state between three partnerships, and enrolments with a request, for web
and API tests: the people who read them (an officer, a partnership's member, the sides'
contact) and those who may not."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    Exchange,
    ExchangeEvidence,
    ExchangeParticipant,
    ExchangePartnership,
    ExchangeRequest,
    User,
)
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import (
    ActivityType,
    ExchangeRole,
    ExchangeState,
    UserRole,
    ValidationState,
)
from clusterbridge.engines.exchanges import load_programme
from clusterbridge.services.exchanges import (
    ExchangeNotifier,
    Proposal,
    create_partnership,
    propose_exchange,
)
from clusterbridge.services.mail import FileMailer
from tests.factories.exchanges import make_participant
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

#: When the stays are set up: the week before the first (the app's clock reads 1 Dec 2024).
SET_UP = date(2024, 10, 28)
PDF = b"%PDF-1.4\n% a ticket\n"


@dataclass
class World:
    alpine: int
    atlantic: int
    nordic: int


def make_world(database: Database) -> World:
    """An administrator, a programme officer (Olga), an organisation member (Sam), an event
    organiser (Eve), the contact of every exchange's sides (Cora) and three partnerships,
    each with one member (Paula, Pedro, Nina)."""
    with database.unit_of_work() as session:
        admin = make_user(session, email="ada@example.org", name="Ada", role=UserRole.ADMINISTRATOR)
        make_user(
            session, email="olga@commission.example", name="Olga", role=UserRole.PROGRAMME_OFFICER
        )
        make_user(
            session, email="sam@elsewhere.example", name="Sam", role=UserRole.ORGANISATION_MEMBER
        )
        make_user(session, email="eve@events.example", name="Eve", role=UserRole.EVENT_ORGANISER)
        make_user(
            session, email="cora@sides.example", name="Cora", role=UserRole.ORGANISATION_MEMBER
        )
        paula = make_user(session, email="paula@alpine.example", name="Paula")
        pedro = make_user(session, email="pedro@atlantic.example", name="Pedro")
        nina = make_user(session, email="nina@nordic.example", name="Nina")
        return World(
            create_partnership(session, admin, name="Alpine CXC", country="AT", members=[paula]).id,
            create_partnership(
                session, admin, name="Atlantic CXC", country="PT", members=[pedro]
            ).id,
            create_partnership(session, admin, name="Nordic CXC", country="DK", members=[nina]).id,
        )


def add_exchange(
    database: Database,
    *,
    visitor: str,
    host: str,
    visitors_partnership: int,
    hosts_partnership: int,
    monday: int = 4,
    state: ExchangeState = ExchangeState.PROPOSED,
) -> int:
    """An exchange of a new visitor (DE) at a new host (PT), both enrolled by Cora, for the
    week from ``monday`` in November 2024, moved on to ``state``; its id."""
    # The mails wait in the outbox for a worker: the mailer only gives their sender.
    notifier = ExchangeNotifier(FileMailer(Path("unsent"), "x@example.org"), "http://x")
    with database.unit_of_work() as session:
        users = {u.email: u for u in session.scalars(sa.select(User))}
        sides = []
        for name, country, partnership, role in (
            (visitor, "DE", visitors_partnership, ExchangeRole.VISITOR),
            (host, "PT", hosts_partnership, ExchangeRole.HOST),
        ):
            sides.append(
                make_participant(
                    session,
                    partnership=session.get_one(ExchangePartnership, partnership),
                    organisation=make_organisation(session, name=name, country=country, nuts=None),
                    contact=users["cora@sides.example"],
                    role=role,
                )
            )
        start = date(2024, 11, monday)
        exchange = propose_exchange(
            session,
            users["ada@example.org"],
            Proposal(
                sides[0].id,
                sides[1].id,
                start,
                date(2024, 11, monday + 4),
                ActivityType.NETWORKING,
                "Goals.",
                "Objectives.",
                "Agenda.",
            ),
            programme=load_programme(),
            today=SET_UP,
            notifier=notifier,
        )
        _move_on(session, exchange, state)
        return exchange.id


def _move_on(session: Session, exchange: Exchange, state: ExchangeState) -> None:
    """The exchange in ``state``, with the dates and report that state has."""
    if state is ExchangeState.PROPOSED:
        return
    moment = datetime(2024, 11, 15, 10, 0, tzinfo=UTC)
    if state is ExchangeState.CANCELLED:
        exchange.cancelled_at, exchange.cancelled_by_party = moment, "the host"
        exchange.cancel_reason = "Closed."
    else:
        exchange.visitor_approved_at = exchange.host_approved_at = moment
        exchange.visitor_partnership_approved_at = exchange.host_partnership_approved_at = moment
        exchange.report, exchange.report_submitted_at = "Done.", moment
        exchange.evidence.append(
            ExchangeEvidence(
                file_name="ticket.pdf",
                content_type="application/pdf",
                size=len(PDF),
                content=PDF,
                uploaded_at=moment,
            )
        )
        exchange.validated_at, exchange.payment_due = moment, date(2024, 11, 25)
    if state is ExchangeState.PAID:
        exchange.paid_on, exchange.paid_amount_eur = date(2024, 11, 20), exchange.lump_sum_eur
    exchange.state = state
    session.flush()


@dataclass
class Enrolled:
    """Alpine's validated visitor Linz with an open request to Atlantic's host Braga, and
    Alpine's host Salzburg waiting for validation (Cora is each one's contact)."""

    linz: int
    braga: int
    salzburg: int
    request: int


def add_enrolments(database: Database, world: World) -> Enrolled:
    """Linz, Braga and Salzburg enrolled, and Linz's request to Braga."""
    with database.unit_of_work() as session:
        cora = session.scalars(sa.select(User).where(User.email == "cora@sides.example")).one()

        def enrolled(
            name: str, country: str, partnership: int, role: ExchangeRole, state: ValidationState
        ) -> ExchangeParticipant:
            return make_participant(
                session,
                partnership=session.get_one(ExchangePartnership, partnership),
                organisation=make_organisation(session, name=name, country=country, nuts=None),
                contact=cora,
                role=role,
                state=state,
            )

        linz = enrolled("Linz", "AT", world.alpine, ExchangeRole.VISITOR, ValidationState.VALIDATED)
        braga = enrolled(
            "Braga", "PT", world.atlantic, ExchangeRole.HOST, ValidationState.VALIDATED
        )
        salzburg = enrolled(
            "Salzburg", "AT", world.alpine, ExchangeRole.HOST, ValidationState.PENDING
        )
        request = ExchangeRequest(visitor=linz, host=braga, message="May we come?", is_open=True)
        session.add(request)
        session.flush()
        return Enrolled(linz.id, braga.id, salzburg.id, request.id)
