import pytest

from clusterbridge.reference import (
    CriticalRawMaterial,
    UnknownEcosystemError,
    critical_raw_materials,
    get_ecosystem,
    industrial_ecosystems,
    net_zero_technologies,
    strategic_raw_materials,
    unknown_ecosystems_reason,
)

pytestmark = pytest.mark.unit

SLUGS = (
    "aerospace-defence",
    "agri-food",
    "construction",
    "cultural-creative",
    "digital",
    "electronics",
    "energy-intensive",
    "renewable-energy",
    "health",
    "mobility-transport-automotive",
    "proximity-social-economy",
    "retail",
    "textile",
    "tourism",
)


def test_industrial_ecosystems_are_the_fourteen_with_slugs() -> None:
    ecosystems = industrial_ecosystems()

    assert [(e.id, e.slug) for e in ecosystems] == list(enumerate(SLUGS, start=1))


@pytest.mark.parametrize(
    ("value", "slug"),
    [
        ("textile", "textile"),
        ("Textiles", "textile"),
        ("Proximity, social economy and civil society", "proximity-social-economy"),
        ("Proximity, Social Economy and Civil Security", "proximity-social-economy"),
        ("ENERGY-RENEWABLES", "renewable-energy"),
        ("cultural and creative industries (CCI)", "cultural-creative"),
        ("Aerospace & Defence", "aerospace-defence"),
        ("  energy-intensive  industries (EII) ", "energy-intensive"),
        ("digital", "digital"),
    ],
)
def test_get_ecosystem_by_slug_name_or_label(value: str, slug: str) -> None:
    ecosystem = get_ecosystem(value)

    assert ecosystem.slug == slug


def test_get_ecosystem_unknown_raises() -> None:
    with pytest.raises(UnknownEcosystemError) as error:
        get_ecosystem("Space")

    assert (
        str(error.value) == f'"Space" is not an industrial ecosystem; use one of {", ".join(SLUGS)}'
    )


def test_several_unknown_ecosystems_are_named_in_one_sentence() -> None:
    # Every form and file refuses them in these words (registry fields, the expert pool).
    assert unknown_ecosystems_reason(['"space"', '"moon"']) == (
        f'"space", "moon" are not industrial ecosystems; use one of {", ".join(SLUGS)}'
    )


def test_policy_list_lengths() -> None:
    lengths = (
        len(net_zero_technologies()),
        len(strategic_raw_materials()),
        len(critical_raw_materials()),
    )

    assert lengths == (19, 17, 34)


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (7, CriticalRawMaterial(8, "Cobalt", strategic=True)),
        (0, CriticalRawMaterial(1, "Antimony", strategic=False)),
        (
            18,
            CriticalRawMaterial(
                19, "Lithium", strategic=False, strategic_subset="Lithium – battery grade"
            ),
        ),
    ],
)
def test_critical_raw_materials_strategic_overlap(
    index: int, expected: CriticalRawMaterial
) -> None:
    material = critical_raw_materials()[index]

    assert material == expected


def test_first_net_zero_technology() -> None:
    first = net_zero_technologies()[0]

    assert (first.id, first.name) == (
        1,
        "solar technologies, including photovoltaic, solar thermal electric and solar thermal "
        "technologies",
    )
