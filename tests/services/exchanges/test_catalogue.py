"""The catalogue of validated participants: who is listed for a visitor and for a host, in
which order and with which reasons (registry technologies and ecosystems, the enrolments'
sectors, countries and activities), and who may see it. Runs on SQLite and PostgreSQL."""

from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    Exchange,
    ExchangeParticipant,
    ExchangePartnership,
    Organisation,
    OrganisationEcosystem,
    OrganisationTechnology,
    User,
)
from clusterbridge.domain.enums import (
    ActivityType,
    ExchangeRole,
    TechnologyDirection,
    UserRole,
    ValidationState,
)
from clusterbridge.domain.errors import AccessDeniedError
from clusterbridge.services.exchanges import (
    ExchangeConflictError,
    ExchangeNotFoundError,
    create_partnership,
    participant_catalogue,
)
from clusterbridge.services.matching.index import MatchIndexCache
from clusterbridge.services.registry.fields import technology_code
from tests.factories.exchanges import make_participant
from tests.factories.matching import make_project
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]


def _organisation(session: Session, name: str, country: str) -> Organisation:
    return make_organisation(session, name=name, country=country, nuts=None)


def _participant(
    session: Session,
    partnership: ExchangePartnership,
    organisation: Organisation,
    contact: User,
    role: ExchangeRole,
    **options: Any,
) -> ExchangeParticipant:
    return make_participant(
        session,
        partnership=partnership,
        organisation=organisation,
        contact=contact,
        role=role,
        **options,
    )


def _technology(session: Session, organisation: Organisation, direction: str, label: str) -> None:
    session.add(
        OrganisationTechnology(
            organisation_id=organisation.id,
            direction=TechnologyDirection(direction),
            label=label,
            # The code the registry gives a label of the vocabulary (None for words of one's own).
            code=technology_code(label),
        )
    )


@pytest.fixture
def people(session: Session) -> dict[str, User]:
    return {
        key: make_user(session, email=f"{key}@example.org", name=key.title(), role=role)
        for key, role in (
            ("ada", UserRole.ADMINISTRATOR),
            ("vera", UserRole.ORGANISATION_MEMBER),
            ("hugo", UserRole.ORGANISATION_MEMBER),
            ("paula", UserRole.CLUSTER_MANAGER),
            ("sam", UserRole.ORGANISATION_MEMBER),
        )
    }


def test_catalogue_ranks_hosts_of_every_partnership_with_reasons(
    session: Session, people: dict[str, User]
) -> None:
    alpine = create_partnership(
        session, people["ada"], name="Alpine", country="AT", members=[people["paula"]]
    )
    atlantic = create_partnership(
        session, people["ada"], name="Atlantic", country="PT", members=[people["ada"]]
    )
    munich = _organisation(session, "Munich Cluster", "DE")
    porto = _organisation(session, "Porto Cluster", "PT")
    lyon = _organisation(session, "Lyon Hub", "FR")
    berlin = _organisation(session, "Berlin Hub", "DE")
    full = _organisation(session, "Full Hub", "IT")
    waiting = _organisation(session, "Waiting Hub", "ES")
    _technology(session, munich, "needed", "Robotics")
    _technology(session, porto, "offered", "Robotics")
    _technology(session, lyon, "needed", "Robotics")
    session.add_all(
        [
            OrganisationEcosystem(organisation_id=munich.id, ecosystem="textile"),
            OrganisationEcosystem(organisation_id=lyon.id, ecosystem="textile"),
        ]
    )
    vera, hugo = people["vera"], people["hugo"]
    visitor = _participant(
        session,
        alpine,
        munich,
        vera,
        ExchangeRole.VISITOR,
        countries=("FR",),
        sectors=("Fashion",),
    )
    host_porto = _participant(
        session, atlantic, porto, hugo, ExchangeRole.HOST, sectors=("fashion",)
    )
    host_lyon = _participant(session, alpine, lyon, hugo, ExchangeRole.HOST)
    _participant(session, alpine, berlin, hugo, ExchangeRole.HOST)
    _participant(session, alpine, full, hugo, ExchangeRole.HOST, capacity=0)
    _participant(session, alpine, waiting, hugo, ExchangeRole.HOST, state=ValidationState.PENDING)

    catalogue = participant_catalogue(session, vera, visitor.id, cache=MatchIndexCache())

    # Munich needs a technology: the engine asks a needs question, where technologies count
    # 1.0 (one shared: 1/2). Porto: 0.5 + 0.05 (one activity) + 0.05 (one sector) = 0.6, a
    # match of 100 * 0.6 / 1.1. Lyon: 0.1 * 1/2 (one ecosystem) + 0.2 (France is preferred)
    # + 0.05 (one activity) = 0.3, 100 * 0.3 / 0.8.
    assert [(i.participant.id, i.score, i.reasons) for i in catalogue.items] == [
        (
            host_porto.id,
            55,
            (
                "offers Robotics, which Munich Cluster needs",
                "shares your activities: networking",
                "shares your sectors: fashion",
            ),
        ),
        (
            host_lyon.id,
            38,
            (
                "works in the same industrial ecosystems: Textile",
                "is in France, a country you prefer",
                "shares your activities: networking",
            ),
        ),
    ]


def test_catalogue_ranks_by_the_matching_engine_a_past_project_together_first(
    session: Session, people: dict[str, User]
) -> None:
    alpine = create_partnership(
        session, people["ada"], name="Alpine", country="AT", members=[people["ada"]]
    )
    munich = _organisation(session, "Munich Cluster", "DE")
    partner = _organisation(session, "Aveiro Hub", "PT")
    stranger = _organisation(session, "Athens Hub", "GR")
    make_project(
        session,
        grant_id="101000001",
        acronym="HYDROWEAVE",
        title="Hydrogen looms for technical textiles",
        text="Hydrogen powered looms weaving technical textiles.",
        members=[munich, partner],
    )
    visitor = _participant(session, alpine, munich, people["vera"], ExchangeRole.VISITOR)
    common = {"activities": (ActivityType.MARKET_RESEARCH,)}
    far = _participant(session, alpine, stranger, people["hugo"], ExchangeRole.HOST, **common)
    near = _participant(session, alpine, partner, people["hugo"], ExchangeRole.HOST, **common)

    catalogue = participant_catalogue(session, people["vera"], visitor.id, cache=MatchIndexCache())

    [first, second] = catalogue.items
    assert (first.participant.id, second.participant.id) == (near.id, far.id)
    assert first.score > 0
    assert "worked with Munich Cluster (HYDROWEAVE)" in first.reasons
    assert (second.score, second.reasons) == (0, ())


def test_catalogue_for_a_host_leaves_out_visitors_with_an_exchange(
    session: Session, people: dict[str, User]
) -> None:
    alpine = create_partnership(
        session, people["ada"], name="Alpine", country="AT", members=[people["paula"]]
    )
    host = _participant(
        session,
        alpine,
        _organisation(session, "Porto Cluster", "PT"),
        people["hugo"],
        ExchangeRole.HOST,
        capacity=2,
    )
    free = _participant(
        session,
        alpine,
        _organisation(session, "Munich Cluster", "DE"),
        people["vera"],
        ExchangeRole.VISITOR,
        activities=(ActivityType.MARKET_RESEARCH,),
        countries=("PT",),
    )
    gone = _participant(
        session,
        alpine,
        _organisation(session, "Lyon Hub", "FR"),
        people["vera"],
        ExchangeRole.VISITOR,
    )
    session.add(_exchange(gone, host, alpine))
    session.flush()

    catalogue = participant_catalogue(session, people["paula"], host.id, cache=MatchIndexCache())

    assert [(i.participant.id, i.score, i.reasons) for i in catalogue.items] == [
        (free.id, 17, ("prefers your country, Portugal",))
    ]


def test_catalogue_is_refused_to_strangers_and_before_validation(
    session: Session, people: dict[str, User]
) -> None:
    alpine = create_partnership(
        session, people["ada"], name="Alpine", country="AT", members=[people["paula"]]
    )
    validated = _participant(
        session,
        alpine,
        _organisation(session, "Munich Cluster", "DE"),
        people["vera"],
        ExchangeRole.VISITOR,
    )
    pending = _participant(
        session,
        alpine,
        _organisation(session, "Lyon Hub", "FR"),
        people["vera"],
        ExchangeRole.VISITOR,
        state=ValidationState.PENDING,
    )

    with pytest.raises(AccessDeniedError):
        participant_catalogue(session, people["sam"], validated.id, cache=MatchIndexCache())
    with pytest.raises(ExchangeConflictError):
        participant_catalogue(session, people["vera"], pending.id, cache=MatchIndexCache())
    with pytest.raises(ExchangeNotFoundError):
        participant_catalogue(session, people["ada"], 999_999, cache=MatchIndexCache())
    assert (
        participant_catalogue(session, people["ada"], validated.id, cache=MatchIndexCache()).items
        == []
    )


def _exchange(
    visitor: ExchangeParticipant, host: ExchangeParticipant, partnership: ExchangePartnership
) -> Exchange:
    return Exchange(
        visitor=visitor,
        host=host,
        credited_partnership_id=partnership.id,
        start_date=date(2025, 3, 3),
        end_date=date(2025, 3, 7),
        activity_type=ActivityType.NETWORKING,
        working_days=5,
        distance_km=1000,
        threshold_eur=780,
        lump_sum_eur=780,
        halved=False,
        reasons=[],
        goals="g",
        objectives="o",
        agenda="a",
    )
