"""Every page of the web app, with data to show: the tour that the page checks (no sideways
scroll, no serious accessibility violation) and the screenshots walk through.

``seed_tour`` fills a migrated database; ``tour_pages`` lists each page with the person who
opens it (nobody, the organiser Olga, or the participant Bob).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from clusterbridge.db.models import ConsortiumPartner, Exchange, ExchangeRequest
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import (
    ActivityType,
    EventStatus,
    ExchangeRole,
    MeetingStatus,
    OrgType,
    RequestState,
    Role,
    UserRole,
)
from clusterbridge.services.exchanges.enrolment import create_partnership
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.events import add_meeting, add_participant, make_event, make_person
from tests.factories.exchanges import make_participant
from tests.factories.organisations import add_member, make_organisation

ORGANISER = "olga@events.example"
ADMINISTRATOR = "ada@admin.example"
PARTICIPANT = "bob@sensors.example"
ANONYMOUS = ""


@dataclass(frozen=True)
class TourPage:
    """A page of the tour: its name, path and who opens it (an e-mail, or ``ANONYMOUS``)."""

    name: str
    path: str
    who: str


@dataclass(frozen=True)
class TourData:
    """The ids of what ``seed_tour`` made."""

    organisation: int
    consortium: int
    open_event: int
    published_event: int
    meeting: int
    partnership: int
    participant: int
    exchange: int


def seed_tour(database: Database) -> TourData:
    """Olga organises an open and a published event, owns a consortium of three partners and
    runs an exchange partnership that Ada, the administrator, created, where Munich visits
    and Weaver hosts (both validated, Munich asked Weaver, and their exchange waits for its
    approvals) and Weaver accepted Sensors' request; Bob (Sensors Oy) has a
    scheduled meeting with Carl (Weaver Textiles SA) in the published one."""
    with database.unit_of_work() as session:
        ada = make_person(
            session, email=ADMINISTRATOR, name="Ada Admin", role=UserRole.ADMINISTRATOR
        )
        olga = make_person(
            session, email=ORGANISER, name="Olga Organiser", role=UserRole.EVENT_ORGANISER
        )
        bob = make_person(session, email=PARTICIPANT, name="Bob Sensor")
        carl = make_person(session, email="carl@weaver.example", name="Carl Weaver")
        munich = make_organisation(session, name="Munich Aerospace Cluster", pic="900000001")
        munich.description = "Aerospace and drones cluster of Bavaria"
        add_member(session, munich, olga)
        sensors = make_organisation(
            session, name="Sensors Oy", country="FI", nuts="FI1B1", type=OrgType.SME
        )
        weaver = make_organisation(
            session, name="Weaver Textiles SA", country="PT", nuts=None, type=OrgType.SME
        )
        consortium = make_consortium(session, owner=olga, name="Aerospace Eurocluster")
        add_partner(
            session, consortium, name="Rzeszow Aviation Valley Cluster", role=Role.COORDINATOR
        )
        add_partner(session, consortium, name="Barcelona Mobility Cluster", country="ES")
        add_partner(
            session, consortium, name="Tampere Sensors Association", country="FI", role=None
        )
        # A partner from the registry: its values show as "Registry: ...".
        consortium.partners.append(
            ConsortiumPartner(position=4, role=Role.BENEFICIARY, organisation=munich)
        )
        session.flush()
        open_event = make_event(session, organiser=olga, name="Textile meets Tech")
        published = make_event(
            session, organiser=olga, name="Drones in Agriculture", status=EventStatus.PUBLISHED
        )
        bobs = add_participant(
            session, published, user=bob, organisation=sensors, offers="Industrial sensors"
        )
        carls = add_participant(
            session, published, user=carl, organisation=weaver, offers="Technical textiles"
        )
        meeting = add_meeting(
            session,
            published,
            requester=bobs,
            recipient=carls,
            status=MeetingStatus.ACCEPTED,
            starts_at=datetime(2025, 3, 10, 8, 20, tzinfo=UTC),
        )
        partnership = create_partnership(
            session, ada, name="Alpine ClusterXchange", country="AT", members=[olga]
        )
        visitor = make_participant(
            session,
            partnership=partnership,
            organisation=munich,
            contact=olga,
            role=ExchangeRole.VISITOR,
            countries=("PT",),
            sectors=("Textiles",),
        )
        host = make_participant(
            session,
            partnership=partnership,
            organisation=weaver,
            contact=carl,
            role=ExchangeRole.HOST,
            activities=(ActivityType.NETWORKING, ActivityType.MARKET_RESEARCH),
            sectors=("textiles",),
            capacity=2,
        )
        second = make_participant(
            session, partnership=partnership, organisation=sensors, contact=bob,
            role=ExchangeRole.VISITOR,
        )  # fmt: skip
        session.add_all(
            [
                ExchangeRequest(
                    visitor=visitor, host=host, message="May we see your looms?", is_open=True
                ),
                ExchangeRequest(
                    visitor=second, host=host, message="May we test our sensors?",
                    state=RequestState.ACCEPTED, is_open=None, answer="Yes, in May.",
                    answered_at=datetime(2025, 2, 3, 9, tzinfo=UTC),
                ),
            ]
        )  # fmt: skip
        exchange = _exchange(visitor.id, host.id, partnership.id)
        session.add(exchange)
        session.flush()
        return TourData(
            munich.id,
            consortium.id,
            open_event.id,
            published.id,
            meeting.id,
            partnership.id,
            visitor.id,
            exchange.id,
        )


def _exchange(visitor: int, host: int, partnership: int) -> Exchange:
    """A week's exchange waiting for its four approvals (the figures of a Lisbon stay)."""
    return Exchange(
        visitor_id=visitor, host_id=host, credited_partnership_id=partnership,
        start_date=date(2025, 5, 5), end_date=date(2025, 5, 9),
        activity_type=ActivityType.NETWORKING, working_days=5, distance_km=Decimal("1747.3"),
        threshold_eur=Decimal(780), lump_sum_eur=Decimal(780), halved=False,
        reasons=["5 working days: paid in full.", "Threshold for PT: 780 EUR, paid in full."],
        goals="See how looms are wired with sensors.", objectives="One joint pilot.",
        agenda="Monday to Friday at the looms.",
    )  # fmt: skip


def tour_pages(data: TourData) -> list[TourPage]:
    """Every page a person reaches by links, in the order of the main flows."""
    consortium = f"/consortia/{data.consortium}"
    event, published = f"/events/{data.open_event}", f"/events/{data.published_event}"
    return [
        TourPage("home", "/", ANONYMOUS),
        TourPage("calls", "/calls", ANONYMOUS),
        TourPage("call", "/calls/SMP-COSME-2024-CLUSTER", ANONYMOUS),
        TourPage("call-no-deadline", "/calls/cluster-excellence", ANONYMOUS),
        TourPage("registry", "/organisations?q=cluster", ANONYMOUS),
        TourPage("organisation", f"/organisations/{data.organisation}", ORGANISER),
        TourPage("organisation-edit", f"/organisations/{data.organisation}/edit", ORGANISER),
        TourPage("organisation-new", "/organisations/new", ORGANISER),
        TourPage("consortia", "/consortia", ORGANISER),
        TourPage("consortium", consortium, ORGANISER),
        TourPage("builder", "/builder", ORGANISER),
        TourPage("events", "/events", ORGANISER),
        TourPage("event", event, PARTICIPANT),
        TourPage("event-manage", f"{event}/manage", ORGANISER),
        TourPage("published-manage", f"{published}/manage", ORGANISER),
        TourPage("event-report", f"{published}/report", ORGANISER),
        TourPage("confirm-publish", f"{event}/publish", ORGANISER),
        TourPage("participants", f"{published}/participants", PARTICIPANT),
        TourPage("meetings", f"{published}/meetings", PARTICIPANT),
        TourPage("agenda", f"{published}/agenda", PARTICIPANT),
        TourPage("confirm-cancel", f"{published}/meetings/{data.meeting}/cancel", PARTICIPANT),
        TourPage("account", "/account", ORGANISER),
        TourPage("change-password", "/account/password", ORGANISER),
        TourPage("admin-users", "/admin/users", ADMINISTRATOR),
        TourPage("exchanges", "/exchanges", ORGANISER),
        TourPage("exchange-enrol", "/exchanges/enrol", ORGANISER),
        TourPage("partnership", f"/exchanges/partnerships/{data.partnership}", ORGANISER),
        TourPage("new-partnership", "/exchanges/partnerships/new", ADMINISTRATOR),
        TourPage("exchange-catalogue", f"/exchanges/participants/{data.participant}", ORGANISER),
        TourPage("exchange", f"/exchanges/{data.exchange}", ORGANISER),
        TourPage("sign-in", "/sign-in", ANONYMOUS),
        TourPage("register", "/register", ANONYMOUS),
        TourPage("forgot-password", "/forgot-password", ANONYMOUS),
        TourPage("api-docs", "/api/docs", ANONYMOUS),
    ]
