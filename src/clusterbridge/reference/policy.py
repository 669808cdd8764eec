"""EU policy lists calls refer to: industrial ecosystems, net-zero technologies, raw materials."""

from dataclasses import dataclass
from functools import cache
from typing import Final

from clusterbridge.reference._data import read_rows
from clusterbridge.reference.errors import UnknownEcosystemError

__all__ = [
    "CriticalRawMaterial",
    "Ecosystem",
    "NetZeroTechnology",
    "StrategicRawMaterial",
    "critical_raw_materials",
    "get_ecosystem",
    "industrial_ecosystems",
    "net_zero_technologies",
    "strategic_raw_materials",
]

# Short identifiers for the ecosystems, keyed by their id in industrial_ecosystems_14.csv.
_ECOSYSTEM_SLUGS: Final = {
    1: "aerospace-defence",
    2: "agri-food",
    3: "construction",
    4: "cultural-creative",
    5: "digital",
    6: "electronics",
    7: "energy-intensive",
    8: "renewable-energy",
    9: "health",
    10: "mobility-transport-automotive",
    11: "proximity-social-economy",
    12: "retail",
    13: "textile",
    14: "tourism",
}
_STRATEGIC: Final = "yes"
_PARTLY_STRATEGIC: Final = "partly: "


@dataclass(frozen=True, slots=True)
class Ecosystem:
    """One of the 14 industrial ecosystems of the EU Industrial Strategy.

    `eccp_label` is the spelling the European Cluster Collaboration Platform uses.
    """

    id: int
    name: str
    slug: str
    eccp_label: str


@dataclass(frozen=True, slots=True)
class NetZeroTechnology:
    """A net-zero technology of the Net-Zero Industry Act (Regulation (EU) 2024/1735)."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class StrategicRawMaterial:
    """A strategic raw material of the Critical Raw Materials Act, Annex I."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class CriticalRawMaterial:
    """A critical raw material of the Critical Raw Materials Act, Annex II.

    `strategic` is True when the whole material is also strategic (Annex I); when only a grade
    or subset is, `strategic` is False and `strategic_subset` names that part.
    """

    id: int
    name: str
    strategic: bool
    strategic_subset: str | None = None


@cache
def industrial_ecosystems() -> tuple[Ecosystem, ...]:
    """Return the 14 industrial ecosystems in the order of the Industrial Strategy."""
    return tuple(
        Ecosystem(
            id=int(row["id"]),
            name=row["ecosystem"],
            slug=_ECOSYSTEM_SLUGS[int(row["id"])],
            eccp_label=row["eccp_label_variant"],
        )
        for row in read_rows("policy", "industrial_ecosystems_14.csv")
    )


def get_ecosystem(slug_or_name: str) -> Ecosystem:
    """Return the ecosystem with this slug, name or ECCP label (case and spacing ignored).

    Raises `UnknownEcosystemError` for any other value.
    """
    ecosystem = _ecosystems_by_key().get(_key(slug_or_name))
    if ecosystem is None:
        raise UnknownEcosystemError(unknown_ecosystems_reason([f'"{slug_or_name.strip()}"']))
    return ecosystem


def unknown_ecosystems_reason(quoted: list[str]) -> str:
    """Why the values ``quoted`` (each as the message shows it, in quotes) are refused as
    industrial ecosystems, naming the slugs to use: the one wording of every form and file."""
    slugs = ", ".join(_ECOSYSTEM_SLUGS.values())
    if len(quoted) == 1:
        return f"{quoted[0]} is not an industrial ecosystem; use one of {slugs}"
    return f"{', '.join(quoted)} are not industrial ecosystems; use one of {slugs}"


@cache
def net_zero_technologies() -> tuple[NetZeroTechnology, ...]:
    """Return the net-zero technologies of the NZIA (list typed from knowledge; medium trust)."""
    rows = read_rows("policy", "nzia_net_zero_technologies.csv")
    return tuple(NetZeroTechnology(int(row["id"]), row["net_zero_technology"]) for row in rows)


@cache
def strategic_raw_materials() -> tuple[StrategicRawMaterial, ...]:
    """Return the 17 strategic raw materials of CRMA Annex I."""
    rows = read_rows("policy", "crma_strategic_raw_materials_annex1.csv")
    return tuple(
        StrategicRawMaterial(int(row["id"]), row["strategic_raw_material"]) for row in rows
    )


@cache
def critical_raw_materials() -> tuple[CriticalRawMaterial, ...]:
    """Return the 34 critical raw materials of CRMA Annex II with their overlap with Annex I."""
    rows = read_rows("policy", "crma_critical_raw_materials_annex2.csv")
    return tuple(_critical(row) for row in rows)


def _critical(row: dict[str, str]) -> CriticalRawMaterial:
    overlap = row["strategic_overlap"]
    subset = (
        overlap.removeprefix(_PARTLY_STRATEGIC) if overlap.startswith(_PARTLY_STRATEGIC) else None
    )
    return CriticalRawMaterial(
        id=int(row["id"]),
        name=row["critical_raw_material"],
        strategic=overlap == _STRATEGIC,
        strategic_subset=subset,
    )


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


@cache
def _ecosystems_by_key() -> dict[str, Ecosystem]:
    keys: dict[str, Ecosystem] = {}
    for ecosystem in industrial_ecosystems():
        for text in (ecosystem.slug, ecosystem.name, ecosystem.eccp_label):
            keys[_key(text)] = ecosystem
    return keys
