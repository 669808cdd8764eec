"""The ISO 3166-1 countries as `pycountry` ships them (from Debian's iso-codes), read once.

Each country keeps its codes, the name clusterbridge shows, the names pycountry gives (short,
official, common) and variants derived from them the way people write them: without the
bracketed part (`Sint Maarten (Dutch part)` → `Sint Maarten`) and with an inverted comma form
turned round (`Korea, Republic of` → `Republic of Korea`, `Korea`).
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

import pycountry

_BRACKETED: Final = re.compile(r"\s*\([^)]*\)")
_COMMA: Final = ", "


@dataclass(frozen=True, slots=True)
class IsoCountry:
    """One ISO 3166-1 country: its codes, the name to show, its names and derived variants."""

    alpha_2: str
    alpha_3: str
    name: str
    names: tuple[str, ...]
    variants: tuple[str, ...]


@cache
def iso_countries() -> tuple[IsoCountry, ...]:
    """Return the 249 ISO 3166-1 countries (pycountry loads its database on this first call)."""
    return tuple(_iso_country(record) for record in pycountry.countries)


def name_variants(name: str) -> tuple[str, ...]:
    """Return the ways of writing `name` without its brackets or its inverted comma form.

    `Holy See (Vatican City State)` → `Holy See`; `Palestine, State of` → `State of Palestine`
    and `Palestine`. A name with neither gives no variant.
    """
    plain = _BRACKETED.sub("", name)
    found = [plain] if plain != name else []
    if _COMMA in plain:
        head, tail = plain.split(_COMMA, 1)
        found += [f"{tail} {head}", head]
    return tuple(found)


def _iso_country(record: pycountry.db.Country) -> IsoCountry:
    official = _optional(record, "official_name")
    common = _optional(record, "common_name")
    names = tuple(dict.fromkeys(name for name in (record.name, official, common) if name))
    variants = tuple(dict.fromkeys(v for name in names for v in name_variants(name)))
    return IsoCountry(
        alpha_2=record.alpha_2,
        alpha_3=record.alpha_3,
        name=common or record.name,
        names=names,
        variants=tuple(variant for variant in variants if variant not in names),
    )


def _optional(record: pycountry.db.Country, field: str) -> str | None:
    # pycountry's records have only the fields the database gives for that country.
    value: str | None = getattr(record, field, None)
    return value
