"""Indexes over the NUTS files, built once on first use.

Codes are stored in Eurostat's current spelling: NUTS 2006 `GR..` codes become `EL..`, so
one code names the same key in every version.
"""

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Final

from clusterbridge.reference._data import is_true, read_rows

NUTS_VERSIONS: Final = (2006, 2010, 2013, 2016, 2021, 2024)
NUTS2_LEVEL: Final = 2
_LEGACY_PREFIXES: Final = {"GR": "EL", "GB": "UK"}
_NUTS_CLASSIFICATION: Final = "NUTS"


@dataclass(frozen=True, slots=True)
class Unit:
    """One territorial unit of one NUTS version (one row of `nuts_<version>_regions.csv`)."""

    version: int
    code: str
    name: str
    level: int
    country: str
    extra_regio: bool
    in_eu27: bool
    classification: str


def canonical_code(value: str) -> str:
    """Return `value` stripped, upper-cased and with a `GR`/`GB` prefix spelled `EL`/`UK`."""
    code = value.strip().upper()
    prefix = _LEGACY_PREFIXES.get(code[:2])
    return prefix + code[2:] if prefix else code


def check_version(version: int) -> None:
    """Raise `ValueError` unless `version` is one of `NUTS_VERSIONS`."""
    if version not in NUTS_VERSIONS:
        known = ", ".join(str(v) for v in NUTS_VERSIONS)
        raise ValueError(f"{version} is not a NUTS version; use one of {known}")


def is_latin(text: str) -> bool:
    """Return whether every letter of `text` is a Latin letter (so not Greek or Cyrillic)."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


@cache
def units(version: int) -> dict[str, Unit]:
    """Return the units of one NUTS version keyed by canonical code."""
    check_version(version)
    rows = read_rows("nuts", f"nuts_{version}_regions.csv")
    return {unit.code: unit for unit in (_unit(version, row) for row in rows)}


def _unit(version: int, row: dict[str, str]) -> Unit:
    code = canonical_code(row["code"])
    return Unit(
        version=version,
        code=code,
        name=(row["name_latin"] or row["name"]).strip(),
        level=int(row["level"]),
        country=code[:2],
        extra_regio=is_true(row["is_extra_regio"]),
        in_eu27=is_true(row["in_eu27"]),
        classification=row["classification"],
    )


@cache
def versions_by_code() -> dict[str, tuple[int, ...]]:
    """Return, for every code of any version, the versions in which it exists (ascending)."""
    found: defaultdict[str, list[int]] = defaultdict(list)
    for version in NUTS_VERSIONS:
        for code in units(version):
            found[code].append(version)
    return {code: tuple(versions) for code, versions in found.items()}


@cache
def nuts2_children(version: int) -> dict[str, tuple[str, ...]]:
    """Return the NUTS-2 codes (no Extra-Regio) under each level-0 and level-1 code."""
    children: defaultdict[str, list[str]] = defaultdict(list)
    for unit in units(version).values():
        if unit.level == NUTS2_LEVEL and not unit.extra_regio:
            children[unit.code[:2]].append(unit.code)
            children[unit.code[:3]].append(unit.code)
    return {code: tuple(sorted(codes)) for code, codes in children.items()}


@cache
def nuts_proper_countries(version: int) -> frozenset[str]:
    """Return the countries whose NUTS-1 units belong to the NUTS classification itself.

    Decided at level 1 because the 2024 file marks every level-0 row `NUTS`, including those
    of countries that only have Eurostat statistical regions.
    """
    return frozenset(
        unit.country
        for unit in units(version).values()
        if unit.level == 1 and unit.classification == _NUTS_CLASSIFICATION
    )


@cache
def _successors(old: int, new: int) -> dict[str, frozenset[str]]:
    """Map codes of version `old` to their codes in the next version `new` (either way)."""
    forward = NUTS_VERSIONS.index(old) < NUTS_VERSIONS.index(new)
    first, second = (old, new) if forward else (new, old)
    pairs: defaultdict[str, set[str]] = defaultdict(set)
    for row in read_rows("nuts", f"nuts_correspondence_{first}_{second}.csv"):
        a, b = row[f"code_{first}"], row[f"code_{second}"]
        if a and b:
            src, dst = (a, b) if forward else (b, a)
            pairs[canonical_code(src)].add(canonical_code(dst))
    return {code: frozenset(targets) for code, targets in pairs.items()}


def translate_codes(codes: Iterable[str], *, source: int, target: int) -> frozenset[str] | None:
    """Follow the correspondence tables from version `source` to `target`.

    Returns the codes in `target` that the given codes became, or None when one of them has no
    coded successor on the way (discontinued, or merged with the successor named only in text).
    """
    current = frozenset(codes)
    i, j = NUTS_VERSIONS.index(source), NUTS_VERSIONS.index(target)
    step = 1 if j > i else -1
    for k in range(i, j, step):
        table = _successors(NUTS_VERSIONS[k], NUTS_VERSIONS[k + step])
        if any(code not in table for code in current):
            return None
        current = frozenset().union(*(table[code] for code in current))
    return current
