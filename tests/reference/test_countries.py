import pycountry
import pytest

from clusterbridge.reference import (
    COUNTRY_SET_NAMES,
    Country,
    UnknownCountryError,
    UnknownCountrySetError,
    eu_member_state_codes,
    get_country,
    get_country_set,
    list_countries,
    normalise_country,
    outermost_region_codes,
    suggest_countries,
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
        ("US", "US"),
        ("usa", "US"),
        ("United States", "US"),
        ("united  states ", "US"),
        ("UnitedStates", "US"),
        ("United States of America", "US"),
        ("CA", "CA"),
        ("Canada", "CA"),
        ("AU", "AU"),
        ("IL", "IL"),
        ("Israel", "IL"),
        ("JP", "JP"),
        ("CN", "CN"),
        ("Turkey", "TR"),
        ("turkiye", "TR"),
        ("TUR", "TR"),
        ("Czech Republic", "CZ"),
        ("CZE", "CZ"),
        ("GRC", "EL"),
        ("Hellenic Republic", "EL"),
        ("GBR", "UK"),
        ("United Kingdom of Great Britain and Northern Ireland", "UK"),
        ("Great Britain", "UK"),
        ("The Netherlands", "NL"),
        ("Korea, Republic of", "KR"),
        ("South Korea", "KR"),
        ("Republic of Korea", "KR"),
        ("North Korea", "KP"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Côte d'Ivoire", "CI"),
        ("cote d’ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Guinea Bissau", "GW"),
        ("Holy See", "VA"),
        ("Sint Maarten (Dutch part)", "SX"),
        ("State of Palestine", "PS"),
        ("Congo", "CG"),
        ("Democratic Republic of the Congo", "CD"),
        ("Republic of Moldova", "MD"),
        ("Macedonia", "MK"),
        ("Kosovo", "XK"),
    ],
)
def test_normalise_country(value: str, expected: str) -> None:
    code = normalise_country(value)

    assert code == expected


#: ISO 3166-1 codes whose canonical code is another: the EU spellings, and the parts of Member
#: States inside the EU that ISO codes separately (French outermost regions, Åland).
CANONICAL_EXCEPTIONS = {
    "GR": "EL",
    "GB": "UK",
    "GF": "FR",
    "GP": "FR",
    "MF": "FR",
    "MQ": "FR",
    "RE": "FR",
    "YT": "FR",
    "AX": "FI",
}


def _expected_canonical(record: pycountry.db.Country) -> str:
    return CANONICAL_EXCEPTIONS.get(record.alpha_2, record.alpha_2)


def test_every_iso_alpha_2_code_is_known() -> None:
    expected = {c.alpha_2: _expected_canonical(c) for c in pycountry.countries}

    found = {c.alpha_2: normalise_country(c.alpha_2) for c in pycountry.countries}

    assert len(found) == 249
    assert found == expected


def test_every_iso_alpha_3_code_is_known() -> None:
    expected = {c.alpha_3: _expected_canonical(c) for c in pycountry.countries}

    found = {c.alpha_3: normalise_country(c.alpha_3.lower()) for c in pycountry.countries}

    assert len(found) == 249
    assert found == expected


@pytest.mark.parametrize("field", ["name", "official_name", "common_name"])
def test_every_iso_english_name_is_known(field: str) -> None:
    records = [c for c in pycountry.countries if hasattr(c, field)]
    expected = {getattr(c, field): _expected_canonical(c) for c in records}

    found = {getattr(c, field): normalise_country(getattr(c, field)) for c in records}

    assert found == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("RE", "FR"),
        ("Réunion", "FR"),
        ("Mayotte", "FR"),
        ("GUF", "FR"),
        ("Saint Martin (French part)", "FR"),
        ("AX", "FI"),
        ("Åland Islands", "FI"),
    ],
)
def test_normalise_country_part_of_member_state_gives_member_state(
    value: str, expected: str
) -> None:
    code = normalise_country(value)

    assert code == expected


@pytest.mark.parametrize(
    ("value", "message", "suggestions"),
    [
        (
            "Germani",
            '"Germani" is not a known country; did you mean Germany (DE)?',
            ("DE",),
        ),
        (
            " Untied States ",
            '"Untied States" is not a known country; did you mean United States (US)?',
            ("US",),
        ),
        (
            "Austira",
            '"Austira" is not a known country; did you mean Austria (AT) or Australia (AU)?',
            ("AT", "AU"),
        ),
        ("Isreal", '"Isreal" is not a known country; did you mean Israel (IL)?', ("IL",)),
        ("Canda", '"Canda" is not a known country; did you mean Canada (CA)?', ("CA",)),
        ("Grece", '"Grece" is not a known country; did you mean Greece (EL)?', ("EL",)),
        (
            "Untied Kingdom",
            '"Untied Kingdom" is not a known country; did you mean United Kingdom (UK)?',
            ("UK",),
        ),
    ],
)
def test_normalise_country_misspelt_suggests(
    value: str, message: str, suggestions: tuple[str, ...]
) -> None:
    with pytest.raises(UnknownCountryError) as error:
        normalise_country(value)

    assert (str(error.value), error.value.suggestions) == (message, suggestions)


@pytest.mark.parametrize("value", ["XX", "xx ", "EU", "", "ZZZ", "12"])
def test_normalise_country_unknown_code_raises_without_suggestion(value: str) -> None:
    with pytest.raises(UnknownCountryError) as error:
        normalise_country(value)

    assert (str(error.value), error.value.suggestions) == (
        f'"{value.strip()}" is not a known country code; '
        "use an ISO 3166 or EU code such as DE, EL or UK",
        (),
    )


@pytest.mark.parametrize("value", ["Atlantis", "Narnia", "Holland", "Europe", " Deutschland"])
def test_normalise_country_unknown_name_says_names_are_read_too(value: str) -> None:
    # A name is read (`Germany`), so a word that is none is not called a wrong code.
    with pytest.raises(UnknownCountryError) as error:
        normalise_country(value)

    assert (str(error.value), error.value.suggestions) == (
        f'"{value.strip()}" is not a known country; give its English name or its ISO 3166 or EU '
        "code, such as Germany, DE, EL or UK",
        (),
    )


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        ("Austira", 2, ["AT", "AU"]),
        ("Austira", 1, ["AT"]),
        ("Germany", 2, ["DE"]),
        ("Fermany", 2, []),
        ("", 2, []),
    ],
)
def test_suggest_countries(value: str, limit: int, expected: list[str]) -> None:
    countries = suggest_countries(value, limit=limit)

    assert [country.code for country in countries] == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("gr", Country("EL", "GR", "Greece")),
        ("GB", Country("UK", "GB", "United Kingdom")),
        ("de", Country("DE", "DE", "Germany")),
        ("BQ", Country("BQ", "BQ", "Bonaire, Sint Eustatius and Saba")),
        ("usa", Country("US", "US", "United States")),
        ("IL", Country("IL", "IL", "Israel")),
        ("KOR", Country("KR", "KR", "South Korea")),
        ("Türkiye", Country("TR", "TR", "Turkey")),
        ("RE", Country("FR", "FR", "France")),
    ],
)
def test_get_country(value: str, expected: Country) -> None:
    country = get_country(value)

    assert country == expected


def test_list_countries_holds_iso_countries_and_eu_spellings_once() -> None:
    countries = list_countries()

    codes = [country.code for country in countries]
    assert len(codes) == 243  # 249 ISO codes, 7 of them parts of Member States, and Kosovo
    assert codes == sorted(set(codes))
    assert {"EL", "UK", "XK", "US", "CA", "IL", "UA"} <= set(codes)
    assert {"GR", "GB", "RE", "AX"} & set(codes) == set()


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
        ("smp_eea", ["IS", "LI", "NO"], ["IS", "LI", "NO"]),
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
        "smp_eea": 3,
    }


def test_country_set_unknown_name_raises_key_error_listing_names() -> None:
    with pytest.raises(KeyError) as error:
        get_country_set("efta")

    assert type(error.value) is UnknownCountrySetError
    assert str(error.value) == (
        '"efta" is not a country set; use one of eu_member_states, eea_efta, octs, '
        "cosme_2014_2020, smp_cosme_associated, smp_eea"
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
