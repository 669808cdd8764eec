"""Evidence-based profiles (issue 13): quality on the labelled sample and time for the registry.

Quality: the 120 organisations of ``tests/engines/profiles/labelled_sample.json`` (labelled by
hand before the engine was written; see the README beside it), built from the texts stored in
the sample. For each field, micro-averaged precision and recall on the ``dev`` split (the terms
and thresholds were tuned on it), the ``test`` split (held out) and all, for the engine and for
a baseline of the same run:

- technologies offered: every code whose label or alias in ``technologies.csv`` (or a critical
  raw material's name) occurs in the title or keywords of any of the organisation's projects;
- technologies needed: the same matches, as needs, for every SME;
- ecosystems: every ecosystem whose name's words (``agri food``, ``construction``, ``digital``,
  ``transport``, ...) occur in a title or the keywords;
- SME profile: the majority class of the dev labels (tech-savvy) for every SME.

SME profile precision is over the SMEs given a profile (a profile given to an SME labelled
``unknown`` is wrong); recall is over the SMEs labelled tech-savvy or traditional.

Time: the whole shipped CORDIS registry (24,840 organisations, 6,095 projects) read from the
gzip files with ``csv``, turned into facts, then derived with ``derive_profiles`` on one core.
Run with ``make bench-profiles``.
"""

import csv
import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from clusterbridge.domain.enums import SmeProfile
from clusterbridge.engines.profiles import (
    DerivedProfile,
    Evidence,
    OrganisationFacts,
    Participation,
    ProjectText,
    derive_profiles,
    raw_material_code,
)
from clusterbridge.engines.profiles.terms import PhraseIndex, fold, words
from clusterbridge.reference.policy import critical_raw_materials, industrial_ecosystems
from clusterbridge.services.registry.profiles import facts_from_cordis

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "engines" / "profiles" / "labelled_sample.json"
#: The registry's technology vocabulary.
VOCABULARY = ROOT / "src" / "clusterbridge" / "services" / "registry" / "data" / "technologies.csv"
SPLITS = ("dev", "test", "all")
SET_FIELDS = ("technologies_offered", "technologies_needed", "ecosystems")
Row = dict[str, str]
Labels = dict[str, object]
Predict = Callable[[OrganisationFacts], DerivedProfile]


@dataclass(frozen=True, slots=True)
class Score:
    """Counts behind a precision and a recall."""

    correct: int
    predicted: int
    labelled: int

    def line(self) -> str:
        """``precision recall (correct/predicted, correct/labelled)``."""
        p = self.correct / self.predicted if self.predicted else float("nan")
        r = self.correct / self.labelled if self.labelled else float("nan")
        return f"P {p:5.2f}  R {r:5.2f}  ({self.correct}/{self.predicted}, {self.correct}/{self.labelled})"


def _split(cell: str, separator: str = ";") -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(separator) if part.strip())


def project_from_sample(row: dict[str, str]) -> ProjectText:
    """A project of the labelled sample as the engine reads it."""
    return ProjectText(
        id=row["project_id"],
        acronym=row["acronym"],
        title=row["title"],
        objective=row["objective"],
        keywords=row["keywords"],
        euroscivoc_terms=_split(row["euroscivoc_terms"]),
        euroscivoc_fields=_split(row["euroscivoc_fields"]),
        topic=row["topic"],
        funding_scheme=row["funding_scheme"],
        legal_basis=row["legal_basis"],
        programme=row["programme"],
    )


def read_sample() -> list[tuple[OrganisationFacts, str, Labels]]:
    """The labelled organisations: facts, split and labels."""
    entries = json.loads(SAMPLE.read_text("utf-8"))["organisations"]
    return [
        (
            OrganisationFacts(
                id=e["organisation_id"],
                name=e["name"],
                short_name=e["short_name"],
                activity_type=e["activity_type"],
                is_sme=e["is_sme"],
                is_cluster_org=e["is_cluster_org"],
                projects=tuple(
                    Participation(project_from_sample(p), p["role"]) for p in e["projects"]
                ),
            ),
            e["split"],
            e["labels"],
        )
        for e in entries
    ]


def score(
    rows: list[tuple[OrganisationFacts, str, Labels]], profiles: dict[str, DerivedProfile]
) -> dict[str, dict[str, Score]]:
    """Precision and recall counts per split and field."""
    scores: dict[str, dict[str, Score]] = {}
    for split in SPLITS:
        chosen = [(o, labels) for o, s, labels in rows if split in {s, "all"}]
        scores[split] = {f: _set_score(chosen, profiles, f) for f in SET_FIELDS}
        scores[split]["sme_profile"] = _profile_score(chosen, profiles)
    return scores


def _codes(profile: DerivedProfile, field: str) -> set[str]:
    evidence = getattr(profile, field)
    return {e.code for e in evidence}


def _set_score(
    rows: list[tuple[OrganisationFacts, Labels]], profiles: dict[str, DerivedProfile], field: str
) -> Score:
    correct = predicted = labelled = 0
    for org, labels in rows:
        truth = set(labels[field])  # type: ignore[call-overload]
        found = _codes(profiles[org.id], field)
        correct, predicted, labelled = (
            correct + len(found & truth),
            predicted + len(found),
            labelled + len(truth),
        )
    return Score(correct, predicted, labelled)


def _profile_score(
    rows: list[tuple[OrganisationFacts, Labels]], profiles: dict[str, DerivedProfile]
) -> Score:
    smes = [(o, labels["sme_profile"]) for o, labels in rows if labels["sme_profile"] is not None]
    given = [(profiles[o.id].sme_profile, truth) for o, truth in smes]
    correct = sum(1 for found, truth in given if found is not None and found.value == truth)
    predicted = sum(1 for found, _ in given if found is not None)
    labelled = sum(1 for _, truth in smes if truth != "unknown")
    return Score(correct, predicted, labelled)


def _alias_index() -> PhraseIndex:
    phrases: list[tuple[tuple[str, ...], str]] = []
    with VOCABULARY.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            for alias in (row["label"], *_split(row["aliases"])):
                phrases.append((tuple(words(fold(alias))), row["code"]))
    for material in critical_raw_materials():
        for part in re.split(r"[/–]", material.name):
            phrases.append((tuple(words(fold(part))), raw_material_code(material.name)))
    return PhraseIndex(phrases)


def _ecosystem_name_index() -> PhraseIndex:
    phrases: list[tuple[tuple[str, ...], str]] = []
    for ecosystem in industrial_ecosystems():
        for part in re.split(r"&|,| and |-(?=[A-Z])", ecosystem.name):
            phrase = tuple(words(fold(part)))
            if phrase and phrase != ("industries",):
                phrases.append((phrase, ecosystem.slug))
    return PhraseIndex(phrases)


def baseline_profiles(organisations: list[OrganisationFacts]) -> dict[str, DerivedProfile]:
    """The baseline of the same run (see the module docstring)."""
    aliases, ecosystems = _alias_index(), _ecosystem_name_index()
    profiles: dict[str, DerivedProfile] = {}
    for org in organisations:
        tokens = [
            token
            for p in org.projects
            for text in (p.project.title, p.project.keywords)
            for token in [*words(fold(text)), "|"]
        ]
        technologies = tuple(Evidence(code, code) for code in sorted(aliases.count(tokens)))
        profiles[org.id] = DerivedProfile(
            organisation_id=org.id,
            technologies_offered=technologies,
            technologies_needed=technologies if org.is_sme else (),
            ecosystems=tuple(Evidence(s, s) for s in sorted(ecosystems.count(tokens))),
            sme_profile=SmeProfile.TECH_SAVVY if org.is_sme else None,
        )
    return profiles


def _rows(folder: Path, name: str) -> Iterator[Row]:
    with gzip.open(folder / name, "rt", encoding="utf-8", newline="") as file:
        yield from csv.DictReader(file)


def read_registry(folder: Path) -> list[OrganisationFacts]:
    """Every organisation of a CORDIS export as facts, as the import builds them."""
    return facts_from_cordis(
        _rows(folder, "he_organisations.csv.gz"),
        _rows(folder, "he_projects.csv.gz"),
        list(_rows(folder, "he_participations.csv.gz")),
    )


def _print_scores(title: str, scores: dict[str, dict[str, Score]]) -> None:
    print(f"\n{title}")
    for field in (*SET_FIELDS, "sme_profile"):
        for split in SPLITS:
            print(f"  {field:22s} {split:5s} {scores[split][field].line()}")


def main() -> None:
    """Print the quality table and the registry timing."""
    rows = read_sample()
    organisations = [org for org, _, _ in rows]
    print(f"labelled sample: {len(rows)} organisations, {Counter(s for _, s, _ in rows)}")
    _print_scores("engine (engines/profiles)", score(rows, derive_profiles(organisations)))
    _print_scores(
        "baseline (aliases in titles and keywords; majority profile)",
        score(rows, baseline_profiles(organisations)),
    )
    folder = Path(str(resources.files("clusterbridge.demo_data") / "cordis"))
    started = time.perf_counter()
    registry = read_registry(folder)
    read = time.perf_counter() - started
    started = time.perf_counter()
    profiles = derive_profiles(registry)
    derived = time.perf_counter() - started
    projects = len({p.project.id for org in registry for p in org.projects})
    print(f"\nregistry: {len(registry)} organisations, {projects} projects")
    print(f"  read and build facts {read:6.2f} s; derive all profiles {derived:6.2f} s (one core)")
    _print_coverage(profiles)


def _print_coverage(profiles: dict[str, DerivedProfile]) -> None:
    counts = Counter(p.sme_profile for p in profiles.values())
    with_offered = sum(1 for p in profiles.values() if p.technologies_offered)
    with_needed = sum(1 for p in profiles.values() if p.technologies_needed)
    with_ecosystem = sum(1 for p in profiles.values() if p.ecosystems)
    print(
        f"  with technologies offered {with_offered}, needed {with_needed}, "
        f"an ecosystem {with_ecosystem}; SME profiles {dict(counts)}"
    )


if __name__ == "__main__":
    main()
