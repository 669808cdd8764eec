import pytest

from clusterbridge.reference import (
    CATEGORY_SOURCES,
    DECISION_NUTS_VERSION,
    CategoryAnswer,
    Period,
    RegionCategory,
    UnknownRegionError,
    lookup_region,
    region_category,
    region_category_for_country,
)
from clusterbridge.reference._nuts import versions_by_code

pytestmark = pytest.mark.unit

P14 = Period.P2014_2020
P21 = Period.P2021_2027
LESS = RegionCategory.LESS_DEVELOPED
TRANSITION = RegionCategory.TRANSITION
MORE = RegionCategory.MORE_DEVELOPED


@pytest.mark.parametrize(
    ("code", "period", "category", "nuts2_code", "nuts_version"),
    [
        ("PL823", P21, LESS, "PL82", 2016),
        ("PL32", P21, LESS, "PL32", 2013),
        ("PL82", P21, LESS, "PL82", 2016),
        ("pl82", P21, LESS, "PL82", 2016),
        ("PL32", P14, LESS, "PL32", 2006),
        ("PL823", P14, LESS, "PL82", 2024),
        ("DE212", P21, MORE, "DE21", 2016),
        ("DE212", P14, MORE, "DE21", 2006),
        ("BE34", P21, LESS, "BE34", 2016),
        ("BE34", P14, TRANSITION, "BE34", 2006),
        ("ES70", P21, TRANSITION, "ES70", 2016),
        ("HR05", P21, LESS, "HR05", 2024),
        ("HR04", P21, LESS, "HR04", 2016),
        ("GR30", P14, MORE, "EL30", 2006),
        ("EL30", P21, TRANSITION, "EL30", 2016),
        ("UKC1", P14, TRANSITION, "UKC1", 2006),
        ("DED1", P21, TRANSITION, "DED1", 2006),
        ("FRA5", P14, LESS, "FRA5", 2013),
        ("LV", P21, LESS, "LV00", 2016),
        ("LT", P14, LESS, "LT00", 2006),
    ],
)
def test_region_category_known(
    code: str, period: Period, category: RegionCategory, nuts2_code: str, nuts_version: int
) -> None:
    answer = region_category(code, period)

    assert (answer.category, answer.nuts2_code, answer.nuts_version) == (
        category,
        nuts2_code,
        nuts_version,
    )


@pytest.mark.parametrize(
    ("code", "period", "expected"),
    [
        (
            "PL82",
            P21,
            CategoryAnswer(
                "PL82",
                "PL82",
                P21,
                LESS,
                2016,
                "PL82 Podkarpackie (NUTS 2016) is a less developed region for 2021-2027",
            ),
        ),
        (
            "PL823",
            P21,
            CategoryAnswer(
                "PL823",
                "PL82",
                P21,
                LESS,
                2016,
                "PL823 Rzeszowski (NUTS 2016) lies in PL82 Podkarpackie, "
                "a less developed region for 2021-2027",
            ),
        ),
        (
            "HR05",
            P21,
            CategoryAnswer(
                "HR05",
                "HR05",
                P21,
                LESS,
                2024,
                "HR05 Grad Zagreb (NUTS 2024) is a less developed region for 2021-2027; "
                "category taken from HR04 Kontinentalna Hrvatska in the Decision's list",
            ),
        ),
        (
            "UKC11",
            P21,
            CategoryAnswer(
                "UKC11",
                "UKC1",
                P21,
                None,
                2016,
                "UKC11 Hartlepool and Stockton-on-Tees (NUTS 2016) lies outside the EU of "
                "2021-2027 (United Kingdom); no regional category applies",
            ),
        ),
        (
            "HU10",
            P21,
            CategoryAnswer(
                "HU10",
                "HU10",
                P21,
                None,
                2013,
                "HU10 Közép-Magyarország (NUTS 2013) straddles regions of different "
                "categories for 2021-2027 (HU11 more developed, HU12 less developed); "
                "give the NUTS-3 or NUTS 2016 code",
            ),
        ),
        (
            "HU102",
            P21,
            CategoryAnswer(
                "HU102",
                "HU12",
                P21,
                LESS,
                2016,
                "HU102 Pest (NUTS 2013) corresponds to HU120 in NUTS 2016, which lies in "
                "HU12 Pest, a less developed region for 2021-2027",
            ),
        ),
        (
            "DE1",
            P21,
            CategoryAnswer(
                "DE1",
                None,
                P21,
                None,
                2016,
                "DE1 BADEN-WÜRTTEMBERG (NUTS 2016) covers 4 NUTS-2 regions; "
                "give a NUTS-2 or NUTS-3 code",
            ),
        ),
        (
            "DEZZ",
            P14,
            CategoryAnswer(
                "DEZZ",
                None,
                P14,
                None,
                2006,
                "DEZZ Extra-Regio NUTS 2 (NUTS 2006) is an Extra-Regio code, "
                "which has no regional category",
            ),
        ),
        (
            "NO08",
            P21,
            CategoryAnswer(
                "NO08",
                "NO08",
                P21,
                None,
                2024,
                "NO08 Oslo og Viken (NUTS 2024) lies outside the EU of 2021-2027 (Norway); "
                "no regional category applies",
            ),
        ),
        (
            "EL42",
            P21,
            CategoryAnswer(
                "EL42",
                "EL42",
                P21,
                TRANSITION,
                2016,
                "EL42 Notio Aigaio (NUTS 2016) is a transition region for 2021-2027; "
                "EL42: borderline row (GDP index 75.14, not independently confirmed): "
                "verify against the Decision's annex",
            ),
        ),
        (
            "MT00",
            P14,
            CategoryAnswer(
                "MT00",
                "MT00",
                P14,
                TRANSITION,
                2006,
                "MT00 Malta (NUTS 2006) is a transition region for 2014-2020; "
                "MT00: medium-confidence row (Malta: recalled as transition region; verify)",
            ),
        ),
    ],
)
def test_region_category_answer_and_note(
    code: str, period: Period, expected: CategoryAnswer
) -> None:
    answer = region_category(code, period)

    assert answer == expected


@pytest.mark.parametrize("period", list(Period))
def test_region_category_greek_spellings_agree(period: Period) -> None:
    old_spelling = region_category("GR30", period)

    new_spelling = region_category("EL30", period)

    assert old_spelling == new_spelling


@pytest.mark.parametrize(
    ("code", "nuts2_code", "category"),
    [("HU101", "HU11", MORE), ("HU102", "HU12", LESS), ("IE011", "IE04", TRANSITION)],
)
def test_region_category_resolves_nuts3_of_mixed_region(
    code: str, nuts2_code: str, category: RegionCategory
) -> None:
    answer = region_category(code, P21)

    assert (answer.nuts2_code, answer.category, answer.nuts_version) == (
        nuts2_code,
        category,
        2016,
    )


def test_region_category_accepts_period_as_string() -> None:
    answer = region_category("PL82", Period("2021-2027"))

    assert answer.category == LESS


def test_region_category_unknown_code_raises() -> None:
    with pytest.raises(UnknownRegionError) as error:
        region_category("pl99", P21)

    assert str(error.value) == '"pl99" is not a NUTS code of any version 2006–2024'


@pytest.mark.parametrize(
    ("country", "period", "nuts2_code", "category"),
    [
        ("LV", P21, "LV00", LESS),
        ("Latvia", P14, "LV00", LESS),
        ("LU", P21, "LU00", MORE),
        ("LT", P14, "LT00", LESS),
    ],
)
def test_region_category_for_single_region_country(
    country: str, period: Period, nuts2_code: str, category: RegionCategory
) -> None:
    answer = region_category_for_country(country, period)

    assert answer is not None
    assert (answer.nuts2_code, answer.category) == (nuts2_code, category)


@pytest.mark.parametrize(("country", "period"), [("DE", P21), ("LT", P21), ("HR", P14)])
def test_region_category_for_country_of_several_regions_is_none(
    country: str, period: Period
) -> None:
    answer = region_category_for_country(country, period)

    assert answer is None


@pytest.mark.parametrize(
    ("country", "period"), [("US", P21), ("Israel", P14), ("CA", P21), ("UA", P21)]
)
def test_region_category_for_country_outside_nuts_is_none(country: str, period: Period) -> None:
    answer = region_category_for_country(country, period)

    assert answer is None


def test_no_code_has_different_categories_in_different_versions() -> None:
    codes = [code for code in versions_by_code() if lookup_region(code).level >= 2]

    disagreeing = [
        (code, period)
        for code in codes
        for period in Period
        if "other NUTS versions" in region_category(code, period).note
    ]

    assert disagreeing == []


def test_decision_versions_and_sources_cover_both_periods() -> None:
    assert dict(DECISION_NUTS_VERSION) == {P14: 2006, P21: 2016}
    assert sorted(CATEGORY_SOURCES) == [P14, P21]
