"""Who may take part, visit once, two countries, host capacity: a table of cases per rule."""

from datetime import date

import pytest

from clusterbridge.domain.enums import ExchangeRole, OrganisationKind
from clusterbridge.engines.exchanges import (
    ParticipantSnapshot,
    judge_countries,
    judge_host_capacity,
    judge_participant,
    judge_visit_once,
    load_programme,
)

pytestmark = pytest.mark.unit

PROGRAMME = load_programme()
K = OrganisationKind
VISITOR, HOST = ExchangeRole.VISITOR, ExchangeRole.HOST


@pytest.mark.parametrize(
    ("kind", "country", "member", "role", "exception", "allowed", "kind_reason"),
    [
        (
            K.CLUSTER_ORGANISATION,
            "PT",
            None,
            VISITOR,
            None,
            True,
            "The organisation is a cluster organisation, which the programme accepts.",
        ),
        (
            K.BUSINESS_NETWORK,
            "XK",
            None,
            HOST,
            None,
            True,
            "The organisation is a business network, which the programme accepts.",
        ),
        (
            K.SME,
            "DE",
            True,
            VISITOR,
            None,
            True,
            "The organisation is an SME and a member of a cluster.",
        ),
        (
            K.SME,
            "DE",
            False,
            VISITOR,
            None,
            False,
            "The organisation is an SME but not a member of a cluster.",
        ),
        (
            K.SME,
            "DE",
            None,
            VISITOR,
            None,
            False,
            "The organisation is an SME; whether it is a member of a cluster is not known.",
        ),
        (
            K.SCALING_UP_SUPPORT,
            "UA",
            True,
            HOST,
            None,
            True,
            "The organisation is a scaling-up support organisation and a member of a cluster.",
        ),
        (
            K.SCALING_UP_SUPPORT,
            "UA",
            False,
            VISITOR,
            None,
            False,
            "The organisation is a scaling-up support organisation but not a member of a cluster.",
        ),
        (
            K.OTHER,
            "FR",
            None,
            HOST,
            None,
            False,
            "The organisation is another kind of organisation, which the programme does not list.",
        ),
        (
            K.OTHER,
            "FR",
            None,
            VISITOR,
            "A university with a cluster lab",
            False,
            "The organisation is another kind of organisation, which the programme does not list.",
        ),
        # Not a programme country, whatever the kind.
        (
            K.CLUSTER_ORGANISATION,
            "CH",
            None,
            VISITOR,
            None,
            False,
            "The organisation is a cluster organisation, which the programme accepts.",
        ),
        (
            K.CLUSTER_ORGANISATION,
            "US",
            None,
            HOST,
            None,
            False,
            "The organisation is a cluster organisation, which the programme accepts.",
        ),
    ],
)
def test_judge_participant_table(
    kind: OrganisationKind,
    country: str,
    member: bool | None,
    role: ExchangeRole,
    exception: str | None,
    allowed: bool,
    kind_reason: str,
) -> None:
    participant = ParticipantSnapshot(kind=kind, country=country, cluster_member=member)

    judgement = judge_participant(PROGRAMME, participant, role=role, host_exception=exception)

    assert judgement.allowed is allowed
    assert judgement.reasons[1] == kind_reason


def test_judge_participant_host_exception_with_reason_accepts_the_host() -> None:
    participant = ParticipantSnapshot(kind=K.OTHER, country="FR", cluster_member=None)

    judgement = judge_participant(
        PROGRAMME, participant, role=HOST, host_exception="  Regional agency hosting the pilot "
    )

    assert judgement.allowed is True
    assert judgement.reasons == (
        "Established in FR, a country of the programme.",
        "The organisation is another kind of organisation, which the programme does not list.",
        "Accepted as a host by exception: Regional agency hosting the pilot",
    )


def test_judge_participant_blank_exception_is_no_exception() -> None:
    participant = ParticipantSnapshot(kind=K.OTHER, country="FR", cluster_member=None)

    judgement = judge_participant(PROGRAMME, participant, role=HOST, host_exception="   ")

    assert judgement.allowed is False


def test_programme_countries_are_eu_and_cosme_participants() -> None:
    countries = PROGRAMME.participants.countries

    assert len(countries) == 27 + 11
    assert {"PT", "EL", "XK", "TR", "IS", "AM"} <= countries
    assert {"CH", "NO", "UK", "US"}.isdisjoint(countries)


@pytest.mark.parametrize(("visits", "allowed"), [(0, True), (1, False), (2, False)])
def test_judge_visit_once(visits: int, allowed: bool) -> None:
    judgement = judge_visit_once(PROGRAMME, visits_so_far=visits)

    assert judgement.allowed is allowed


def test_judge_visit_once_reason() -> None:
    assert judge_visit_once(PROGRAMME, visits_so_far=1).reasons == (
        "A visitor may take part once; this one already has.",
    )


@pytest.mark.parametrize(("visitor", "host", "allowed"), [("PT", "ES", True), ("PT", "PT", False)])
def test_judge_countries(visitor: str, host: str, allowed: bool) -> None:
    assert judge_countries(PROGRAMME, visitor_country=visitor, host_country=host).allowed is allowed


BOOKED = [(date(2025, 3, 1), date(2025, 3, 10)), (date(2025, 3, 5), date(2025, 3, 12))]


@pytest.mark.parametrize(
    ("capacity", "booked", "start", "end", "allowed", "reason"),
    [
        (
            2,
            BOOKED,
            date(2025, 3, 8),
            date(2025, 3, 9),
            False,
            "The host takes at most 2 visitors at once and has 2 on 08 March 2025.",
        ),
        (
            3,
            BOOKED,
            date(2025, 3, 8),
            date(2025, 3, 9),
            True,
            "The host has room: 2 of 3 at the busiest.",
        ),
        # The first stay ends on 10 March: from 11 March only one visitor is there.
        (
            2,
            BOOKED,
            date(2025, 3, 11),
            date(2025, 3, 15),
            True,
            "The host has room: 1 of 2 at the busiest.",
        ),
        # A stay that ends the day another starts overlaps it (both days are at the host).
        (
            1,
            BOOKED[:1],
            date(2025, 3, 10),
            date(2025, 3, 14),
            False,
            "The host takes at most 1 visitor at once and has 1 on 10 March 2025.",
        ),
        (
            1,
            [],
            date(2025, 3, 10),
            date(2025, 3, 14),
            True,
            "The host has room: 0 of 1 at the busiest.",
        ),
        (
            0,
            [],
            date(2025, 3, 10),
            date(2025, 3, 14),
            False,
            "The host takes no visitors at present.",
        ),
    ],
)
def test_judge_host_capacity_table(
    capacity: int,
    booked: list[tuple[date, date]],
    start: date,
    end: date,
    allowed: bool,
    reason: str,
) -> None:
    judgement = judge_host_capacity(capacity=capacity, booked=booked, start=start, end=end)

    assert judgement.allowed is allowed
    assert judgement.reasons == (reason,)
