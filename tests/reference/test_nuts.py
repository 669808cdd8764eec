import pytest

from clusterbridge.reference import (
    NUTS_VERSIONS,
    Region,
    UnknownCountryError,
    UnknownRegionError,
    bare_country_outside_nuts,
    count_regions,
    country_single_region,
    lookup_region,
)

pytestmark = pytest.mark.unit

ALL_VERSIONS = NUTS_VERSIONS


@pytest.mark.parametrize(
    ("version", "level", "eu27_only", "expected"),
    [
        (2021, 1, True, 92),
        (2021, 2, True, 242),
        (2021, 3, True, 1166),
        (2024, 1, True, 92),
        (2024, 2, True, 244),
        (2024, 3, True, 1165),
        (2016, 1, False, 104),
        (2016, 2, False, 281),
        (2016, 3, False, 1348),
        (2013, 2, False, 276),
        (2006, 2, False, 271),
        (2021, 0, True, 27),
    ],
)
def test_count_regions_matches_official_totals(
    version: int, level: int, eu27_only: bool, expected: int
) -> None:
    count = count_regions(version, level, eu27_only=eu27_only)

    assert count == expected


def test_count_regions_with_extra_regio_adds_one_per_country() -> None:
    count = count_regions(2021, 2, include_extra_regio=True)

    assert count == 242 + 27


def test_count_regions_outside_eu27_leaves_out_statistical_regions() -> None:
    counts = [count_regions(2024, level, eu27_only=False) for level in (0, 1, 2, 3)]

    assert counts == [27, 92, 244, 1165]


def test_count_regions_unknown_version_raises() -> None:
    message = r"^2020 is not a NUTS version; use one of 2006, 2010, 2013, 2016, 2021, 2024$"

    with pytest.raises(ValueError, match=message):
        count_regions(2020, 2)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("PL823", Region("PL823", "Rzeszowski", 3, "PL", "PL82", (2016, 2021, 2024))),
        (" pl82 ", Region("PL82", "Podkarpackie", 2, "PL", "PL82", (2016, 2021, 2024))),
        ("PL32", Region("PL32", "Podkarpackie", 2, "PL", "PL32", (2006, 2010, 2013))),
        ("GR30", Region("EL30", "Attiki", 2, "EL", "EL30", ALL_VERSIONS)),
        ("el30", Region("EL30", "Attiki", 2, "EL", "EL30", ALL_VERSIONS)),
        (
            "GBC11",
            Region(
                "UKC11",
                "Hartlepool and Stockton-on-Tees",
                3,
                "UK",
                "UKC1",
                (2006, 2010, 2013, 2016, 2021),
            ),
        ),
        ("HR05", Region("HR05", "Grad Zagreb", 2, "HR", "HR05", (2021, 2024))),
        ("FRA5", Region("FRA5", "Mayotte", 2, "FR", "FRA5", (2013,))),
        ("LV", Region("LV", "Latvija", 0, "LV", None, ALL_VERSIONS)),
        ("NO08", Region("NO08", "Oslo og Viken", 2, "NO", "NO08", (2021, 2024))),
    ],
)
def test_lookup_region_accepts_any_version_and_spelling(code: str, expected: Region) -> None:
    region = lookup_region(code)

    assert region == expected


@pytest.mark.parametrize("code", ["PL99", "", "hello", "DE2123"])
def test_lookup_region_unknown_code_raises(code: str) -> None:
    with pytest.raises(UnknownRegionError) as error:
        lookup_region(f"  {code} ")

    assert str(error.value) == f'"{code}" is not a NUTS code of any version 2006–2024'


@pytest.mark.parametrize(
    ("country", "version", "expected"),
    [
        ("LV", 2021, "LV00"),
        ("Latvia", 2021, "LV00"),
        ("ee", 2021, "EE00"),
        ("LU", 2016, "LU00"),
        ("MT", 2006, "MT00"),
        ("CY", 2024, "CY00"),
        ("LT", 2006, "LT00"),
        ("LT", 2021, None),
        ("DE", 2021, None),
        ("HR", 2006, None),
        ("IS", 2021, "IS00"),
        ("US", 2021, None),
        ("UA", 2024, None),
    ],
)
def test_country_single_region(country: str, version: int, expected: str | None) -> None:
    code = country_single_region(country, version)

    assert code == expected


def test_country_single_region_defaults_to_nuts_2021() -> None:
    code = country_single_region("LV")

    assert code == "LV00"


def test_country_single_region_unknown_country_raises() -> None:
    with pytest.raises(UnknownCountryError):
        country_single_region("XX")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("US", "US"),
        ("CA", "CA"),
        ("IL", "IL"),
        ("UA", "UA"),
        (" us ", "US"),
        ("USA", "US"),
        ("ukr", "UA"),
        ("JP", "JP"),
        ("CN", "CN"),
        ("MD", "MD"),
        ("GE", "GE"),
        ("BA", "BA"),
        ("XK", "XK"),
    ],
)
def test_bare_country_outside_nuts_gives_the_country(text: str, expected: str) -> None:
    country = bare_country_outside_nuts(text)

    assert country == expected


@pytest.mark.parametrize(
    "text",
    [
        "DE",  # a level-0 NUTS code
        "de",
        "EL",
        "GR",
        "UK",
        "GB",
        "NO",  # level-0 codes of Eurostat's statistical regions
        "CH",
        "TR",
        "MK",
        "DEU",  # a country with NUTS regions, by its alpha-3 code
        "GRC",
        "GBR",
        "RE",  # Réunion: part of France, region FRY4
        "DEZ",  # an Extra-Regio NUTS-1 code
        "DE1",
        "FR10",
        "XX",  # no country code
        "ZZZ",
        "United States",  # a name, not a code
        "",
    ],
)
def test_bare_country_outside_nuts_none_for_anything_else(text: str) -> None:
    country = bare_country_outside_nuts(text)

    assert country is None


@pytest.mark.parametrize("text", ["US", "CA", "IL", "UA", "BA", "XK"])
def test_bare_country_outside_nuts_is_no_nuts_code(text: str) -> None:
    """What the helper accepts is exactly what `lookup_region` refuses."""
    with pytest.raises(UnknownRegionError) as error:
        lookup_region(text)

    assert str(error.value) == f'"{text}" is not a NUTS code of any version 2006–2024'
