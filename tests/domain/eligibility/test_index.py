"""The three-valued logic of the engine, as bit masks: Masks.meet, undecided, bits, PartnerIndex.

One partner's three-valued answer is a pair of bits (certain, possible): True = (1, 1),
None = (0, 1), False = (0, 0). ``meet`` must then be Kleene's conjunction.
"""

import pytest

from clusterbridge.domain.eligibility.index import Masks, PartnerIndex, bits
from clusterbridge.domain.enums import OrgType, Role
from clusterbridge.reference import Period, RegionCategory
from tests.factories.partners import make_partner

pytestmark = pytest.mark.unit

Tri = bool | None
AS_MASKS: dict[Tri, Masks] = {True: Masks(1, 1), None: Masks(0, 1), False: Masks(0, 0)}


def _tri(masks: Masks) -> Tri:
    return next(value for value, pair in AS_MASKS.items() if pair == masks)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (True, True, True),
        (True, None, None),
        (True, False, False),
        (None, True, None),
        (None, None, None),
        (None, False, False),
        (False, True, False),
        (False, None, False),
        (False, False, False),
    ],
)
def test_masks_meet_kleene_conjunction(first: Tri, second: Tri, expected: Tri) -> None:
    meet = AS_MASKS[first].meet(AS_MASKS[second])

    result = _tri(meet)

    assert result is expected


@pytest.mark.parametrize(
    ("masks", "undecided"),
    [
        (Masks(0b0000, 0b0000), 0b0000),
        (Masks(0b0101, 0b0101), 0b0000),
        (Masks(0b0001, 0b0111), 0b0110),
        (Masks(0b0000, 0b1111), 0b1111),
    ],
)
def test_masks_undecided_possible_but_not_certain(masks: Masks, undecided: int) -> None:
    result = masks.undecided

    assert result == undecided


@pytest.mark.parametrize(
    ("mask", "positions"),
    [(0, []), (0b1, [0]), (0b1011, [0, 1, 3]), (1 << 40 | 1 << 2, [2, 40])],
)
def test_bits_lowest_first(mask: int, positions: list[int]) -> None:
    result = bits(mask)

    assert result == positions


PARTNERS = (
    make_partner(name="A", country="DE", role=Role.COORDINATOR),
    make_partner(name="B", country="FR", type=None),
    make_partner(name="C", country="DE", type=OrgType.SME, role=None),
    make_partner(name="D", country="NO", legal_entity=False),
)


def test_partner_index_values_and_unknowns() -> None:
    index = PartnerIndex(PARTNERS)

    found = (
        index.everyone,
        index.having("type", [OrgType.CLUSTER_ORGANISATION]),
        index.having("type", [OrgType.SME, OrgType.UNIVERSITY]),
        index.unknown["type"],
        index.unknown["role"],
        index.having("legal_entity", [False]),
    )

    assert found == (0b1111, 0b1001, 0b0100, 0b0010, 0b0100, 0b1000)


def test_partner_index_countries_and_names() -> None:
    index = PartnerIndex(PARTNERS)

    found = (
        index.in_countries(frozenset({"DE", "NO"})),
        index.in_countries(frozenset({"US"})),
        index.names(0b0101),
        index.labels_of(0b1010),
        [p.name for p in index.pick(0b1000)],
    )

    assert found == (0b1101, 0, ("A", "C"), "B (FR), D (NO)", ["D"])


def test_partner_index_empty_consortium() -> None:
    index = PartnerIndex(())

    found = (index.everyone, index.having("role", list(Role)), index.names(index.everyone))

    assert found == (0, 0, ())


@pytest.mark.parametrize(
    ("period", "less", "transition", "outside", "unplaced"),
    [
        pytest.param(Period.P2021_2027, 0b00001, 0b00000, 0b01100, 0b10000, id="2021-2027"),
        pytest.param(Period.P2014_2020, 0b00101, 0b00000, 0b01000, 0b10000, id="2014-2020"),
    ],
)
def test_partner_index_placement_by_period(
    period: Period, less: int, transition: int, outside: int, unplaced: int
) -> None:
    index = PartnerIndex(
        (
            make_partner(name="P", country="PL", nuts="PL823"),
            make_partner(name="M", country="DE", nuts="DE212"),
            make_partner(name="U", country="UK", nuts="UKL1"),
            make_partner(name="N", country="NO", nuts="NO08"),
            make_partner(name="D", country="DE"),
        )
    )

    placement = index.placement(period)

    found = (
        placement.by_category.get(RegionCategory.LESS_DEVELOPED, 0),
        placement.by_category.get(RegionCategory.TRANSITION, 0),
        placement.outside,
        placement.unplaced,
    )
    assert found == (less, transition, outside, unplaced)
    assert placement.by_category.get(RegionCategory.MORE_DEVELOPED, 0) == 0b00010
