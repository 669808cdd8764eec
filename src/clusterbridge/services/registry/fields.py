"""Checking the fields of an organisation record, whatever they come from (form, file, API).

``clean_fields`` takes raw values (text from a form or file cell, or typed values from the
API) and returns typed values plus every problem found, each naming its field.
"""

import csv
import io
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from clusterbridge.domain.enums import OrgType, SmeProfile
from clusterbridge.domain.errors import InputIssue
from clusterbridge.domain.numbers import NumberTooSmallError, read_float
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.engines.profiles.terms import raw_material_code, raw_material_names
from clusterbridge.reference import (
    Period,
    bare_country_outside_nuts,
    critical_raw_materials,
    industrial_ecosystems,
    lookup_region,
    net_zero_technologies,
    normalise_country,
    region_category,
    region_category_for_country,
    unknown_ecosystems_reason,
)
from clusterbridge.reference.errors import UnknownCountryError, UnknownRegionError
from clusterbridge.services.registry.keys import name_key
from clusterbridge.services.text import bare_domain_address, has_control_characters, website_reason

PIC_PATTERN = re.compile(r"^\d{9}\Z")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z")
WEBSITE_PATTERN = re.compile(r"^https?://[^\s/$.?#].[^\s]*\Z", re.IGNORECASE)
TRUE_WORDS = frozenset({"yes", "y", "true", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "0"})
#: Longest text per field (the column sizes).
MAX_LENGTHS = {"name": 300, "short_name": 100, "city": 100, "website": 300, "email": 254}
MAX_DESCRIPTION = 5000
MAX_TECHNOLOGIES = 30
MAX_TECHNOLOGY_LABEL = 200
#: Why a blank name or country is refused, in the words of every other required value
#: (``domain.refusals``: a value missing "is required").
REQUIRED = "is required"
#: Separator of list values in one text cell.
LIST_SEPARATOR = ";"

#: Every field a record accepts, in the order files and forms show them.
FIELDS = (
    "pic", "name", "short_name", "type", "is_sme", "sme_profile", "country", "nuts", "city",
    "latitude", "longitude", "website", "email", "legal_entity", "eccp_registered",
    "description", "ecosystems", "technologies_offered", "technologies_needed",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Term:
    """A term of the controlled technology vocabulary."""

    code: str
    label: str
    source: str


def clean_fields(
    values: Mapping[str, Any], *, location: str = ""
) -> tuple[dict[str, Any], list[InputIssue]]:
    """Typed values for the known fields present in ``values``, and every problem found.

    Blank text becomes None ("not known"), except for a name or country given blank, which
    ``is required`` (``REQUIRED``). Country is normalised (``GR`` → ``EL``); a NUTS code
    must exist and lie in the country; lists come as lists or ``;``-separated text. When
    ``country`` or ``nuts`` is present the categories of both periods are resolved too.
    """
    issues: list[InputIssue] = []
    cleaned: dict[str, Any] = {}
    for field, value in values.items():
        cleaner = _CLEANERS.get(field)
        if cleaner is None:
            continue
        try:
            _refuse_control_characters(value, multiline=field == "description")
            cleaned[field] = cleaner(_blank_to_none(value))
        except ValueError as error:
            issues.append(InputIssue(location, field, str(error)))
    if "name" in cleaned and cleaned["name"] is None:
        issues.append(InputIssue(location, "name", REQUIRED))
    if "country" in values and cleaned.get("country") is None and not _has(issues, "country"):
        issues.append(InputIssue(location, "country", REQUIRED))
    if not _has(issues, "country") and not _has(issues, "nuts"):
        _resolve_region(cleaned, location, issues)
    return cleaned, issues


def _has(issues: list[InputIssue], field: str) -> bool:
    return any(issue.field == field for issue in issues)


def _refuse_control_characters(value: Any, *, multiline: bool) -> None:
    texts = value if isinstance(value, list | tuple) else [value]
    for text in texts:
        if isinstance(text, str) and has_control_characters(text, multiline=multiline):
            raise ValueError("must not contain control characters")


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _text(field: str) -> Callable[[Any], str | None]:
    limit = MAX_LENGTHS.get(field, MAX_DESCRIPTION)

    def clean(value: Any) -> str | None:
        if value is None:
            # The description is never unknown, only empty.
            return "" if field == "description" else None
        text = " ".join(str(value).split()) if field != "description" else str(value).strip()
        if len(text) > limit:
            raise ValueError(too_long_reason(limit, len(text)))
        return text

    return clean


def _pic(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if not PIC_PATTERN.match(text):
        raise ValueError(f'"{text}" is not a PIC: a PIC has exactly 9 digits')
    return text


def _enum(enum: type[StrEnum]) -> Callable[[Any], Any]:
    def clean(value: Any) -> Any:
        if value is None:
            return None
        text = str(value).strip().lower().replace(" ", "_").replace("-", "_")
        try:
            return enum(text)
        except ValueError:
            choices = ", ".join(member.value for member in enum)
            raise ValueError(f'"{value}" is not one of {choices}') from None

    return clean


def _flag(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS | FALSE_WORDS:
        return text in TRUE_WORDS
    raise ValueError(f'"{value}" is not yes or no')


def _coordinate(limit: float) -> Callable[[Any], float | None]:
    def clean(value: Any) -> float | None:
        if value is None:
            return None
        try:
            # "1e-400" (which a float keeps as 0) is refused with the reason of every reader.
            number = read_float(value.strip()) if isinstance(value, str) else float(value)
        except NumberTooSmallError as error:
            raise ValueError(error.reason) from None
        except (TypeError, ValueError):
            raise ValueError(f'"{value}" is not a number') from None
        if not math.isfinite(number):
            raise ValueError(f'"{value}" is not a number')
        if not -limit <= number <= limit:
            raise ValueError(f"must be between -{limit:g} and {limit:g}")
        return number

    return clean


def _country(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    try:
        return normalise_country(text)
    except UnknownCountryError as error:
        raise ValueError(str(error)) from None


def _nuts(value: Any) -> str | None:
    if value is None or bare_country_outside_nuts(str(value)) is not None:
        return None  # a country outside the NUTS area (US, IL...): no region
    try:
        region = lookup_region(str(value))
    except UnknownRegionError as error:
        raise ValueError(str(error)) from None
    if region.level == 0:
        raise ValueError(f'"{value}" is a country; give a NUTS-1, -2 or -3 code')
    return region.code


def _website(value: Any) -> str | None:
    """An http(s) address, or a bare domain ("samco.ie", "www.samco.ie") given the
    ``https://`` scheme; the length is checked of the address kept."""
    text = _text("website")(value)
    if text is None or WEBSITE_PATTERN.match(text):
        return text
    address = bare_domain_address(text)
    if address is None:
        raise ValueError(website_reason(text))
    return _text("website")(address)


def _email(value: Any) -> str | None:
    text = _text("email")(value)
    if text is not None and not EMAIL_PATTERN.match(text):
        raise ValueError(f'"{text}" is not an e-mail address')
    return text


def split_list(value: Any) -> list[str]:
    """A list value as its items: a list as given, text split on ``;``; blanks dropped."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else str(value).split(LIST_SEPARATOR)
    return [str(item).strip() for item in items if str(item).strip()]


def _ecosystems(value: Any) -> list[str]:
    slugs = [ecosystem.slug for ecosystem in industrial_ecosystems()]
    chosen = list(dict.fromkeys(split_list(value)))
    unknown = [slug for slug in chosen if slug not in slugs]
    if unknown:
        raise ValueError(unknown_ecosystems_reason([f'"{slug}"' for slug in unknown]))
    return chosen


def _technologies(value: Any) -> list[str]:
    labels = list(dict.fromkeys(" ".join(item.split()) for item in split_list(value)))
    if len(labels) > MAX_TECHNOLOGIES:
        raise ValueError(f"{len(labels)} technologies; at most {MAX_TECHNOLOGIES} are allowed")
    long = [label for label in labels if len(label) > MAX_TECHNOLOGY_LABEL]
    if long:
        raise ValueError(f'"{long[0][:40]}…" {too_long_reason(MAX_TECHNOLOGY_LABEL, len(long[0]))}')
    return labels


_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "pic": _pic,
    "name": _text("name"),
    "short_name": _text("short_name"),
    "type": _enum(OrgType),
    "is_sme": _flag,
    "sme_profile": _enum(SmeProfile),
    "country": _country,
    "nuts": _nuts,
    "city": _text("city"),
    "latitude": _coordinate(90.0),
    "longitude": _coordinate(180.0),
    "website": _website,
    "email": _email,
    "legal_entity": _flag,
    "eccp_registered": _flag,
    "description": _text("description"),
    "ecosystems": _ecosystems,
    "technologies_offered": _technologies,
    "technologies_needed": _technologies,
}


def _resolve_region(cleaned: dict[str, Any], location: str, issues: list[InputIssue]) -> None:
    """Check that the NUTS code lies in the country and set both periods' categories."""
    if "nuts" not in cleaned and "country" not in cleaned:
        return
    nuts, country = cleaned.get("nuts"), cleaned.get("country")
    if nuts is not None and country is not None:
        region_country = lookup_region(nuts).country
        if region_country != country:
            reason = f"{nuts} is in {region_country}, not in {country}"
            issues.append(InputIssue(location, "nuts", reason))
            return
    cleaned["category_2021_2027"] = category_of(nuts, country, Period.P2021_2027)
    cleaned["category_2014_2020"] = category_of(nuts, country, Period.P2014_2020)


def category_of(nuts: str | None, country: str | None, period: Period) -> Any:
    """The region category of a NUTS code, or of a one-region country without one, or None."""
    if nuts is not None:
        return region_category(nuts, period).category
    if country is None:
        return None
    try:
        answer = region_category_for_country(country, period)
    except UnknownCountryError:
        return None
    return None if answer is None else answer.category


# ----------------------------------------------------------------------------- vocabulary


@cache
def _vocabulary_rows() -> tuple[dict[str, str], ...]:
    path = resources.files("clusterbridge.services.registry.data") / "technologies.csv"
    text = path.read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text, newline="")))


def vocabulary() -> tuple[Term, ...]:
    """The controlled technology vocabulary (services/registry/data/technologies.csv)."""
    return tuple(Term(row["code"], row["label"], row["source"]) for row in _vocabulary_rows())


@cache
def technology_names() -> dict[str, str]:
    """The name of every technology code an organisation's record may hold: the vocabulary's
    terms, and the critical raw materials that profiles read from projects (``crm-lithium`` →
    ``Lithium``), which the search filters by and counts as it does the terms."""
    materials = {raw_material_code(m.name): m.name for m in critical_raw_materials()}
    return materials | {term.code: term.label for term in vocabulary()}


@cache
def _terms_by_key() -> dict[str, str]:
    keys: dict[str, str] = {}
    for row in _vocabulary_rows():
        for text in [row["code"], row["label"], *split_list(row["aliases"])]:
            keys.setdefault(name_key(text), row["code"])
    for technology in net_zero_technologies():
        keys.setdefault(name_key(technology.name), f"nzia-{technology.id:02d}")
    for key, code in _raw_materials_by_key().items():
        keys.setdefault(key, code)
    return keys


def _raw_materials_by_key() -> dict[str, str]:
    """The code of each name of one critical raw material; a name of two ("rare earth
    elements": heavy and light) names neither, since a typed technology holds one code."""
    codes: dict[str, set[str]] = {}
    for code, names in raw_material_names().items():
        for text in [code, *names]:
            codes.setdefault(name_key(text), set()).add(code)
    return {key: found.pop() for key, found in codes.items() if len(found) == 1}


def technology_code(label: str) -> str | None:
    """The code of a technology label, alias or code of the vocabulary, or of a name of one
    critical raw material (``Lithium`` → ``crm-lithium``); None for free text."""
    return _terms_by_key().get(name_key(label))
