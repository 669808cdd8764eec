"""The term files: codes that exist, words matched whole, exact spellings kept."""

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from clusterbridge.engines.profiles import raw_material_code
from clusterbridge.engines.profiles.terms import (
    PhraseIndex,
    ecosystem_table,
    fold,
    name_words,
    organisation_cues,
    technology_names,
    technology_table,
    technology_words,
    words,
)
from clusterbridge.reference.policy import critical_raw_materials, industrial_ecosystems

pytestmark = pytest.mark.unit

SERVICES = Path(__file__).resolve().parents[3] / "src" / "clusterbridge" / "services"
VOCABULARY = SERVICES / "registry" / "data" / "technologies.csv"


def test_technology_codes_are_vocabulary_codes_or_raw_materials() -> None:
    with VOCABULARY.open(encoding="utf-8", newline="") as file:
        vocabulary = {row["code"] for row in csv.DictReader(file)}
    materials = {raw_material_code(m.name) for m in critical_raw_materials()}

    codes = set(technology_table().labels)

    assert codes - vocabulary == materials
    assert vocabulary - codes == {"nzia-15"}


def test_raw_materials_are_labelled_with_their_reference_names() -> None:
    labels = technology_table().labels

    assert labels["crm-nickel-battery-grade"] == "Nickel – battery grade"
    assert labels["crm-bauxite-alumina-aluminium"] == "Bauxite/Alumina/Aluminium"
    assert len([c for c in labels if c.startswith("crm-")]) == 34


def test_every_ecosystem_has_terms_and_its_name() -> None:
    labels = ecosystem_table().labels

    assert labels == {e.slug: e.name for e in industrial_ecosystems()}


def test_fold_and_words_split_punctuation_and_drop_accents() -> None:
    assert words(fold("Agrícola e-fuels, Industry 4.0")) == [
        "agricola",
        "e",
        "fuels",
        "industry",
        "4",
        "0",
    ]
    assert name_words("TEXTILE4EVER B.V.") == {"textile", "4", "ever", "b", "v"}


def test_phrase_index_counts_whole_phrases_only() -> None:
    index = PhraseIndex([(("heat", "pump"), "hp"), (("heat", "pumps"), "hp"), (("ai",), "ai")])

    counts = index.count(["heat", "pumps", "and", "a", "heat", "pump", "heat", "wave", "aid"])

    assert counts == {"hp": 2}


def test_name_cues_match_words_prefixes_and_suffixes() -> None:
    technology = organisation_cues()["technology"]

    found = technology.find(["nanogap", "agritech", "robotix", "bakery", "bio"])

    assert found == ("agritech", "nanogap", "robotix")


@pytest.mark.parametrize("table", [technology_table, ecosystem_table, technology_words])
def test_each_term_table_is_built_once(table: Callable[[], object]) -> None:
    # Deriving a profile asks for the tables once per organisation: rebuilt each time, the shipped
    # CORDIS import took minutes instead of seconds.
    assert table() is table()


def test_technologies_are_named_as_the_registry_vocabulary_names_them() -> None:
    with VOCABULARY.open(encoding="utf-8", newline="") as file:
        vocabulary = {row["code"]: row["label"] for row in csv.DictReader(file)}
    labels = technology_table().labels

    names = technology_names()

    assert {code: names[code] for code in names if code in vocabulary} == {
        code: label for code, label in vocabulary.items() if code in names
    }
    assert {code: names[code] for code in names if code not in vocabulary} == {
        code: labels[code] for code in labels if code.startswith("crm-")
    }
    assert (labels["ati-connectivity"], names["ati-connectivity"]) == (
        "connectivity (5G/6G)",
        "Connectivity",
    )
