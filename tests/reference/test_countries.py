import pytest

from clusterbridge.reference import (
    COUNTRY_SET_NAMES,
    Country,
    UnknownCountryError,
    UnknownCountrySetError,
    eu_member_state_codes,
    get_country,
    get_country_set,
    normalise_country,
    outermost_region_codes,
)

pytestmark = pytest.mark.unit

EU27 = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("GR", "EL"),
        ("EL", "EL"),
        ("gr", "EL"),
        (" el ", "EL"),
        ("Greece", "EL"),
        ("GB", "UK"),
        ("UK", "UK"),
        ("gb", "UK"),
        ("United Kingdom", "UK"),
        ("de", "DE"),
        ("Czechia", "CZ"),
        ("czech republic", "CZ"),
        ("NORWAY", "NO"),
        ("XK", "XK"),
        ("Türkiye", "TR"),
        ("GL", "GL"),
        ("Curacao", "CW"),
        ("Saba", "BQ"),
    ],
)
def test_normalise_country(value: str, expected: str) -> None:
    code = normalise_country(value)

    assert code == expected


@pytest.mark.parametrize("value", ["XX", "xx ", "EU", "Atlantis", ""])
def test_normalise_country_unknown_raises(value: str) -> None:
    with pytest.raises(UnknownCountryError) as error:
        normalise_country(value)

    assert str(error.value) == (
        f'"{value.strip()}" is not a known country code; '
        "use an ISO 3166 or EU code such as DE, EL or UK"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("gr", Country("EL", "GR", "Greece")),
        ("GB", Country("UK", "GB", "United Kingdom")),
        ("de", Country("DE", "DE", "Germany")),
        ("BQ", Country("BQ", "BQ", "Bonaire, Sint Eustatius and Saba")),
    ],
)
def test_get_country(value: str, expected: Country) -> None:
    country = get_country(value)

    assert country == expected


@pytest.mark.parametrize(
    ("name", "members", "unverified"),
    [
        ("eu_member_states", EU27, []),
        ("eea_efta", ["IS", "LI", "NO"], []),
        (
            "octs",
            ["AW", "BL", "BQ", "CW", "GL", "NC", "PF", "PM", "SX", "TF", "WF"],
            [],
        ),
        (
            "cosme_2014_2020",
            ["AL", "AM", "BA", "IS", "MD", "ME", "MK", "RS", "TR", "UA", "XK"],
            [],
        ),
        (
            "smp_cosme_associated",
            ["AL", "AM", "BA", "MD", "ME", "MK", "RS", "UA", "XK"],
            ["AL", "AM", "BA", "MD", "ME", "MK", "RS", "UA", "XK"],
        ),
    ],
)
def test_country_set_members(name: str, members: list[str], unverified: list[str]) -> None:
    country_set = get_country_set(name)

    assert (sorted(country_set.members), sorted(country_set.unverified)) == (members, unverified)


def test_country_set_sizes() -> None:
    sizes = {name: len(get_country_set(name).members) for name in COUNTRY_SET_NAMES}

    assert sizes == {
        "eu_member_states": 27,
        "eea_efta": 3,
        "octs": 11,
        "cosme_2014_2020": 11,
        "smp_cosme_associated": 9,
    }


def test_country_set_unknown_name_raises_key_error_listing_names() -> None:
    with pytest.raises(KeyError) as error:
        get_country_set("efta")

    assert type(error.value) is UnknownCountrySetError
    assert str(error.value) == (
        '"efta" is not a country set; use one of eu_member_states, eea_efta, octs, '
        "cosme_2014_2020, smp_cosme_associated"
    )


def test_eu_member_state_codes_use_eu_spelling() -> None:
    codes = eu_member_state_codes()

    assert sorted(codes) == EU27


def test_outermost_region_codes_cover_every_version() -> None:
    codes = outermost_region_codes()

    assert sorted(codes) == [
        "ES70", "FR91", "FR92", "FR93", "FR94", "FRA1", "FRA2", "FRA3", "FRA4", "FRA5",
        "FRY1", "FRY2", "FRY3", "FRY4", "FRY5", "PT20", "PT30",
    ]  # fmt: skip
