"""The world of the exchange workflow tests: Ada (administrator), Vera's Munich visitor and
Hugo's Porto host, Paula acting for the visitor's partnership and Pedro for the host's, Sam a
stranger; with helpers to enrol, validate and propose. Its fixtures are in ``conftest.py``."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import ExchangeParticipant, ExchangePartnership, User
from clusterbridge.domain.enums import (
    ActivityType,
    ExchangeRole,
    OrganisationKind,
    UserRole,
)
from clusterbridge.engines.exchanges import load_programme
from clusterbridge.services.exchanges import (
    Enrolment,
    ExchangeNotifier,
    Proposal,
    create_partnership,
    decide_enrolment,
    enrol,
)
from clusterbridge.services.mail import FileMailer
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

PROGRAMME = load_programme()
PDF = b"%PDF-1.4\n% a boarding pass\n"
T0 = datetime(2025, 2, 1, 9, 0, tzinfo=UTC)


@dataclass
class World:
    """Ada (administrator); Vera (Munich visitor) and Hugo (Porto host) with their
    organisations; Paula acts for the visitor's partnership, Pedro for the host's; Sam is a
    stranger."""

    admin: User
    vera: User
    hugo: User
    paula: User
    pedro: User
    sam: User
    visitors_partnership: ExchangePartnership
    hosts_partnership: ExchangePartnership
    munich: int
    porto: int


@pytest.fixture
def notifier(tmp_path: Path) -> ExchangeNotifier:
    return ExchangeNotifier(FileMailer(tmp_path / "mail", "cxc@example.org"), "https://cb.example")


@pytest.fixture
def world(session: Session) -> World:
    admin = make_user(session, email="ada@example.org", name="Ada", role=UserRole.ADMINISTRATOR)
    vera = make_user(session, email="vera@munich.example", name="Vera")
    hugo = make_user(session, email="hugo@porto.example", name="Hugo")
    paula = make_user(session, email="paula@alpine.example", name="Paula")
    pedro = make_user(session, email="pedro@atlantic.example", name="Pedro")
    sam = make_user(session, email="sam@example.org", name="Sam")
    munich = make_organisation(session, name="Munich Cluster", country="DE")
    munich.latitude, munich.longitude, munich.city = 48.13743, 11.57549, "Munich"
    porto = make_organisation(session, name="Porto Cluster", country="PT", nuts=None)
    add_member(session, munich, vera)
    add_member(session, porto, hugo)
    alpine = create_partnership(session, admin, name="Alpine CXC", country="AT", members=[paula])
    atlantic = create_partnership(
        session, admin, name="Atlantic CXC", country="PT", members=[pedro]
    )
    return World(admin, vera, hugo, paula, pedro, sam, alpine, atlantic, munich.id, porto.id)


def _enrol_visitor(
    session: Session, world: World, notifier: ExchangeNotifier
) -> ExchangeParticipant:
    form = Enrolment(
        organisation_id=world.munich,
        partnership_id=world.visitors_partnership.id,
        role=ExchangeRole.VISITOR,
        kind=OrganisationKind.CLUSTER_ORGANISATION,
        cluster_member=None,
        motivation="Learn how Porto runs its textile pilots.",
        activity_types=(ActivityType.KNOWLEDGE_SHARING,),
        preferred_countries=("Portugal",),
    )
    return enrol(session, world.vera, form, programme=PROGRAMME, notifier=notifier)


def _enrol_host(
    session: Session, world: World, notifier: ExchangeNotifier, *, capacity: int = 2
) -> ExchangeParticipant:
    form = Enrolment(
        organisation_id=world.porto,
        partnership_id=world.hosts_partnership.id,
        role=ExchangeRole.HOST,
        kind=OrganisationKind.SME,
        cluster_member=True,
        motivation="Show our pilots.",
        activity_types=(ActivityType.KNOWLEDGE_SHARING, ActivityType.NETWORKING),
        place="Porto, PT",
        capacity=capacity,
    )
    return enrol(session, world.hugo, form, programme=PROGRAMME, notifier=notifier)


def _validate(
    session: Session, actor: User, participant: ExchangeParticipant, notifier: ExchangeNotifier
) -> None:
    decide_enrolment(
        session,
        actor,
        participant.id,
        approve=True,
        reason="",
        now=T0,
        programme=PROGRAMME,
        notifier=notifier,
    )


def _proposal(visitor: int, host: int, start: date, end: date) -> Proposal:
    return Proposal(
        visitor_id=visitor,
        host_id=host,
        start=start,
        end=end,
        activity_type=ActivityType.KNOWLEDGE_SHARING,
        goals="Understand pilot factories.",
        objectives="Two joint project ideas.",
        agenda="Mon visit; Tue workshop; Wed-Fri projects.",
    )


@pytest.fixture
def pair(
    session: Session, world: World, notifier: ExchangeNotifier
) -> tuple[ExchangeParticipant, ExchangeParticipant]:
    visitor = _enrol_visitor(session, world, notifier)
    host = _enrol_host(session, world, notifier)
    _validate(session, world.paula, visitor, notifier)
    _validate(session, world.pedro, host, notifier)
    return visitor, host
