"""Countries, their canonical codes, the country sets calls refer to, and outermost regions.

Every ISO 3166-1 country is known (from pycountry), with the countries of the data files (the
Member States, the programme countries with Kosovo, the overseas countries and territories).
The canonical code is the EU spelling: EL for Greece, UK for the United Kingdom, ISO 3166
alpha-2 for every other country; overseas countries and territories keep their ISO code, and
the parts of Member States that ISO codes separately (Réunion, Åland...) take their Member
State's.
"""

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Final

from clusterbridge.reference._data import Row, read_rows
from clusterbridge.reference._iso import iso_countries
from clusterbridge.reference._nuts import NUTS_VERSIONS, units
from clusterbridge.reference.errors import UnknownCountryError, UnknownCountrySetError

__all__ = [
    "COUNTRY_SET_NAMES",
    "Country",
    "CountrySet",
    "eu_member_state_codes",
    "get_country",
    "get_country_set",
    "list_countries",
    "normalise_country",
    "outermost_region_codes",
    "suggest_countries",
]

COUNTRY_SET_NAMES: Final = (
    "eu_member_states",
    "eea_efta",
    "octs",
    "cosme_2014_2020",
    "smp_cosme_associated",
    "smp_eea",
)
# Common English names that neither the data files nor pycountry give.
_NAME_ALIASES: Final = {
    "Great Britain": "UK",
    "Macedonia": "MK",
    "Russia": "RU",
    "Brunei": "BN",
    "Cape Verde": "CV",
    "Ivory Coast": "CI",
    "East Timor": "TL",
    "Swaziland": "SZ",
    "Burma": "MM",
    "Macau": "MO",
    "Vatican City": "VA",
}
# Parts of Member States, inside the EU, that ISO 3166-1 gives codes of their own: the French
# outermost regions (Art. 349 and 355(1) TFEU; outermost_regions.csv) and Åland (Art. 355(4)
# TFEU). NUTS and CORDIS file them under their Member State, and so must a call's country rules.
_MEMBER_STATE_PARTS: Final = {
    "GF": "FR",
    "GP": "FR",
    "MF": "FR",
    "MQ": "FR",
    "RE": "FR",
    "YT": "FR",
    "AX": "FI",
}
# How close (difflib's ratio) a name must be to be suggested for a misspelt country.
_SUGGESTION_CUTOFF: Final = 0.75
_SUGGESTIONS: Final = 2
_LEADING_ARTICLE: Final = "the"
# Lineage relations under which an outermost region stays the same territory.
_SAME_TERRITORY: Final = frozenset({"same", "recode", "boundary shift"})


@dataclass(frozen=True, slots=True)
class Country:
    """A country with its canonical (EU) code, its ISO 3166 alpha-2 code and English name."""

    code: str
    iso_code: str
    name: str


@dataclass(frozen=True)
class CountrySet:
    """A named set of canonical country codes.

    `unverified` holds the members whose membership the data does not confirm.
    """

    name: str
    title: str
    members: frozenset[str]
    unverified: frozenset[str]
    source: str


def normalise_country(value: str) -> str:
    """Return the canonical code for a country code or English country name.

    Accepts ISO 3166-1 alpha-2 and alpha-3 codes, the EU codes EL and UK, and the English short,
    official and common names; case, accents, spaces and punctuation are ignored (`gr`, `GRC`,
    `EL`, `Greece` → `EL`; `GB` → `UK`; `united states` → `US`; `Réunion` → `FR`). Raises
    `UnknownCountryError` for anything else, suggesting up to two close countries if any.
    """
    text = value.strip()
    code = _codes_by_code().get(text.upper()) or _codes_by_name().get(_fold(text))
    if code is None:
        raise _unknown_country(text)
    return code


def suggest_countries(value: str, *, limit: int = _SUGGESTIONS) -> tuple[Country, ...]:
    """Return up to `limit` countries whose name is close to `value`, closest first.

    Closeness is difflib's ratio between the folded value and the folded names that begin with
    the same letter (at least 0.75). Codes are not compared: a mistyped two- or three-letter code
    is as close to a dozen other codes as to the one meant. An empty tuple when none is close.
    """
    folded = _fold(value)
    if not folded:
        return ()
    candidates = _names_by_initial().get(folded[0])
    if not candidates:
        return ()
    matches = difflib.get_close_matches(
        folded, candidates, n=len(candidates), cutoff=_SUGGESTION_CUTOFF
    )
    codes = dict.fromkeys(_codes_by_name()[match] for match in matches)
    return tuple(_countries()[code] for code in list(codes)[:limit])


def get_country(code: str) -> Country:
    """Return the country for a code or name accepted by `normalise_country`."""
    return _countries()[normalise_country(code)]


def list_countries() -> tuple[Country, ...]:
    """Return every known country once, by canonical code, sorted by code."""
    return tuple(country for _, country in sorted(_countries().items()))


def get_country_set(name: str) -> CountrySet:
    """Return the country set called `name`; raises `UnknownCountrySetError` for other names."""
    if name not in COUNTRY_SET_NAMES:
        valid = ", ".join(COUNTRY_SET_NAMES)
        raise UnknownCountrySetError(f'"{name}" is not a country set; use one of {valid}')
    return _country_sets()[name]


def eu_member_state_codes() -> frozenset[str]:
    """Return the canonical codes of the 27 EU Member States."""
    return get_country_set("eu_member_states").members


@cache
def outermost_region_codes() -> frozenset[str]:
    """Return the NUTS-2 codes of the outermost regions (Art. 349 TFEU) in any NUTS version.

    Starts from the 2006, 2016 and 2021 codes of `outermost_regions.csv` and adds the codes the
    same territories had in the other versions (e.g. NUTS 2013 `FRA1`–`FRA5`) via the lineage.
    """
    columns = ("nuts2_2021_code", "nuts2_2016_code", "nuts2_2006_code")
    rows = read_rows("countries", "outermost_regions.csv")
    codes = {row[column] for row in rows for column in columns if row[column]}
    neighbours: defaultdict[str, set[str]] = defaultdict(set)
    for row in read_rows("nuts", "nuts2_lineage_2006_2024.csv"):
        if row["relation"] in _SAME_TERRITORY:
            neighbours[row["from_code"]].add(row["to_code"])
            neighbours[row["to_code"]].add(row["from_code"])
    pending = list(codes)
    while pending:
        for other in neighbours[pending.pop()] - codes:
            codes.add(other)
            pending.append(other)
    return frozenset(codes)


def _unknown_country(text: str) -> UnknownCountryError:
    suggestions = suggest_countries(text)
    if suggestions:
        listed = " or ".join(f"{country.name} ({country.code})" for country in suggestions)
        message = f'"{text}" is not a known country; did you mean {listed}?'
    elif len(text) <= 3:
        message = (
            f'"{text}" is not a known country code; use an ISO 3166 or EU code such as DE, EL or UK'
        )
    else:
        # A name is read too (`normalise_country`): say so, not "code" alone.
        message = (
            f'"{text}" is not a known country; give its English name or its ISO 3166 or EU '
            "code, such as Germany, DE, EL or UK"
        )
    codes = tuple(country.code for country in suggestions)
    return UnknownCountryError(message, suggestions=codes)


def _fold(text: str) -> str:
    """Case-fold, drop accents, punctuation, spaces and a leading "the": `The Côte d'Ivoire` →
    `cotedivoire`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(
        ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch)
    )
    words = letters.split()
    if words[:1] == [_LEADING_ARTICLE] and len(words) > 1:
        words = words[1:]
    return "".join(words)


def _participation() -> tuple[Row, ...]:
    return read_rows("countries", "programme_participation.csv")


def _octs() -> tuple[Row, ...]:
    return read_rows("countries", "overseas_countries_territories.csv")


@cache
def _iso_to_eu() -> dict[str, str]:
    rows = (*read_rows("countries", "eu27_member_states.csv"), *_participation())
    return {row["iso3166_alpha2"]: row["eu_code"] for row in rows}


def _canonical_iso(alpha_2: str) -> str:
    """The canonical code of an ISO alpha-2 code: GR → EL, GB → UK, RE → FR, else itself."""
    return _iso_to_eu().get(alpha_2) or _MEMBER_STATE_PARTS.get(alpha_2) or alpha_2


@cache
def _countries() -> dict[str, Country]:
    found: dict[str, Country] = {}
    for row in (*read_rows("countries", "eu27_member_states.csv"), *_participation()):
        found.setdefault(
            row["eu_code"], Country(row["eu_code"], row["iso3166_alpha2"], row["name_en"])
        )
    for iso, names in _oct_names().items():
        found.setdefault(iso, Country(iso, iso, _join_names(names)))
    for code, name in _nuts_country_names().items():
        found.setdefault(code, Country(code, code, name))
    for country in iso_countries():
        code = _canonical_iso(country.alpha_2)
        found.setdefault(code, Country(code, country.alpha_2, country.name))
    return found


@cache
def _codes_by_code() -> dict[str, str]:
    """Every accepted code in upper case, with its canonical code (`GR`, `GRC`, `EL` → `EL`)."""
    codes = {code: code for code in _countries()}
    for country in iso_countries():
        canonical = _canonical_iso(country.alpha_2)
        codes[country.alpha_2] = codes[country.alpha_3] = canonical
    return codes


def _oct_names() -> dict[str, list[str]]:
    names: defaultdict[str, list[str]] = defaultdict(list)
    for row in _octs():
        names[row["iso3166_alpha2"]].append(row["name"])
    return names


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _nuts_country_names() -> dict[str, str]:
    """Name every country code of the NUTS files by its newest level-0 label, else its code."""
    every_unit = [unit for version in NUTS_VERSIONS for unit in units(version).values()]
    labels = {unit.country: unit.name for unit in every_unit if unit.level == 0}
    return {unit.country: labels.get(unit.country, unit.country) for unit in every_unit}


@cache
def _codes_by_name() -> dict[str, str]:
    """Folded names with their canonical codes; a more trusted source overrides a less trusted.

    From least to most trusted: the variants derived from pycountry's names (dropped where they
    name two countries, as `Korea` does), pycountry's names, the data files' names, the aliases.
    """
    variants = [
        (variant, _canonical_iso(country.alpha_2))
        for country in iso_countries()
        for variant in country.variants
    ]
    by_name = _unambiguous(variants)
    by_name.update(
        (_fold(name), _canonical_iso(country.alpha_2))
        for country in iso_countries()
        for name in country.names
    )
    by_name.update((_fold(country.name), code) for code, country in _countries().items())
    by_name.update((_fold(row["name"]), row["iso3166_alpha2"]) for row in _octs())
    by_name.update((_fold(name), code) for name, code in _NAME_ALIASES.items())
    return by_name


def _unambiguous(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    codes: defaultdict[str, set[str]] = defaultdict(set)
    for name, code in pairs:
        codes[_fold(name)].add(code)
    return {name: found.pop() for name, found in codes.items() if len(found) == 1}


@cache
def _names_by_initial() -> dict[str, tuple[str, ...]]:
    """The folded names of `_codes_by_name`, sorted and grouped by their first letter."""
    by_initial: defaultdict[str, list[str]] = defaultdict(list)
    for name in sorted(_codes_by_name()):
        by_initial[name[0]].append(name)
    return {initial: tuple(names) for initial, names in by_initial.items()}


@cache
def _country_sets() -> dict[str, CountrySet]:
    participation = _participation()
    sets = (
        _eu_set(),
        _set_where("eea_efta", "EEA countries outside the EU", participation, "status", "EEA_EFTA"),
        _oct_set(),
        _set_where(
            "cosme_2014_2020",
            "Non-EU countries participating in COSME 2014-2020",
            participation,
            "cosme_2014_2020",
            "associated",
        ),
        _smp_set(participation),
        _smp_eea_set(participation),
    )
    return {country_set.name: country_set for country_set in sets}


def _eu_set() -> CountrySet:
    rows = read_rows("countries", "eu27_member_states.csv")
    return CountrySet(
        name="eu_member_states",
        title="EU Member States",
        members=frozenset(row["eu_code"] for row in rows),
        unverified=frozenset(),
        source="countries/eu27_member_states.csv (trust: high)",
    )


def _oct_set() -> CountrySet:
    return CountrySet(
        name="octs",
        title="Overseas countries and territories (Annex II TFEU)",
        members=frozenset(row["iso3166_alpha2"] for row in _octs()),
        unverified=frozenset(),
        source="countries/overseas_countries_territories.csv (trust: high)",
    )


def _set_where(name: str, title: str, rows: tuple[Row, ...], column: str, value: str) -> CountrySet:
    return CountrySet(
        name=name,
        title=title,
        members=frozenset(row["eu_code"] for row in rows if row[column] == value),
        unverified=frozenset(),
        source=f"countries/programme_participation.csv, column {column} (trust: high)",
    )


def _smp_set(rows: tuple[Row, ...]) -> CountrySet:
    members = frozenset(
        row["eu_code"] for row in rows if row["smp_2021_2027_sme_strand"].startswith("associated")
    )
    return CountrySet(
        name="smp_cosme_associated",
        title="Non-EU countries associated to the SME strand of the Single Market Programme",
        members=members,
        unverified=members,
        source=(
            "countries/programme_participation.csv, column smp_2021_2027_sme_strand "
            "(recalled, NOT verified: check the Funding & Tenders Portal list of SMP "
            "participating countries)"
        ),
    )


def _smp_eea_set(rows: tuple[Row, ...]) -> CountrySet:
    """The EEA countries outside the EU that take part in the Single Market Programme through
    the EEA Agreement: the SMP calls admit only the "listed" ones, and the reference data does
    not confirm which are listed for the SME strand (every member is unverified)."""
    column = "smp_2021_2027_sme_strand"
    listed = [row for row in rows if row["status"] == "EEA_EFTA" and row[column].startswith("EEA")]
    return CountrySet(
        name="smp_eea",
        title="EEA countries listed as taking part in the Single Market Programme",
        members=frozenset(row["eu_code"] for row in listed),
        unverified=frozenset(row["eu_code"] for row in listed if "verify" in row[column]),
        source=(
            f"countries/programme_participation.csv, column {column} (EEA Agreement, Protocol "
            "31; the strands covered NOT verified: check the Funding & Tenders Portal list of "
            "SMP participating countries)"
        ),
    )
