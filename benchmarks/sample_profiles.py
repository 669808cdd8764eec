"""Draw the organisations to label by hand for the evidence-based profiles (issue 13).

Writes the skeleton of ``tests/engines/profiles/labelled_sample.json``: 120 organisations of
the shipped CORDIS copy with at most ``MAX_PROJECTS`` projects (92 % of the registry), drawn
with a fixed seed in five strata, each organisation with the texts of its projects (objective
cut to ``OBJECTIVE_CHARS``) and empty labels. The labels are then written by hand from those
texts (see the README beside the fixture). Run once; ``--output`` must not name the labelled
file, which this script would overwrite.

Strata: 25 SMEs (CORDIS activity type PRC, SME) whose name or project words point at a
traditional sector (food, wine, furniture, textiles, construction, tourism, farming, ...), 45
other SMEs, 20 large companies (PRC, not SME), 15 research organisations and universities (REC,
HES), 15 others (PUB, OTH), 5 of them cluster organisations. Within each stratum the
organisations alternate between the ``dev`` and the ``test`` split.
"""

import argparse
import csv
import gzip
import json
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

SEED = 13
MAX_PROJECTS = 6
OBJECTIVE_CHARS = 1500
TRADITIONAL = re.compile(
    r"\b(food|foods|wine|winery|bodegas?|vin[io]|cantina|agricol\w*|agr[io]\w*|farm\w*|"
    r"dairy|cheese|bakery|olive|fish\w*|aquacultur\w*|meat|carnes|furniture|mobiliario|wood|"
    r"madera\w*|timber|textil\w*|tessil\w*|fashion|apparel|clothing|leather|footwear|"
    r"construct\w*|construcci\w*|obras|building|tourism|turism\w*|hotel\w*|restaurant\w*|"
    r"ceramic\w*|cooperativ\w*|coop)\b",
    re.IGNORECASE,
)
Row = dict[str, str]


def _rows(folder: Path, name: str) -> Iterator[Row]:
    with gzip.open(folder / name, "rt", encoding="utf-8", newline="") as file:
        yield from csv.DictReader(file)


def _is_sme(org: Row) -> bool:
    return org["activityType"] == "PRC" and org["SME"] == "True"


STRATA: list[tuple[str, int, Callable[[Row], bool]]] = [
    ("sme-traditional-sector", 25, lambda o: _is_sme(o) and bool(TRADITIONAL.search(o["name"]))),
    ("sme", 45, _is_sme),
    ("large-company", 20, lambda o: o["activityType"] == "PRC" and o["SME"] == "False"),
    ("research", 15, lambda o: o["activityType"] in {"REC", "HES"}),
    ("cluster-organisation", 5, lambda o: o["is_cluster_org"] == "True"),
    ("other", 10, lambda o: o["activityType"] in {"PUB", "OTH"}),
]


def _project(row: Row, role: str) -> dict[str, object]:
    objective = row["objective"]
    if len(objective) > OBJECTIVE_CHARS:
        objective = objective[:OBJECTIVE_CHARS].rsplit(" ", 1)[0] + " …"
    return {
        "project_id": row["projectID"],
        "acronym": row["acronym"],
        "title": row["title"],
        "role": role,
        "programme": row["programme"],
        "topic": row["topic"],
        "funding_scheme": row["fundingScheme"],
        "legal_basis": row["legalBasis"],
        "euroscivoc_fields": row["euroSciVoc_fields"],
        "euroscivoc_terms": row["euroSciVoc_terms"],
        "keywords": row["keywords"],
        "objective": objective,
    }


def _draw(folder: Path) -> list[dict[str, object]]:
    projects = {row["projectID"]: row for row in _rows(folder, "he_projects.csv.gz")}
    roles: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _rows(folder, "he_participations.csv.gz"):
        roles[row["organisationID"]].append((row["projectID"], row["role"]))
    pool = [
        o
        for o in _rows(folder, "he_organisations.csv.gz")
        if 1 <= len({p for p, _ in roles[o["organisationID"]]}) <= MAX_PROJECTS
    ]
    rng = random.Random(SEED)
    rng.shuffle(pool)
    taken: set[str] = set()
    sample: list[dict[str, object]] = []
    for stratum, size, keep in STRATA:
        chosen = [o for o in pool if o["organisationID"] not in taken and keep(o)][:size]
        for i, org in enumerate(chosen):
            taken.add(org["organisationID"])
            sample.append(_entry(org, stratum, "dev" if i % 2 == 0 else "test", projects, roles))
    return sample


def _entry(
    org: Row,
    stratum: str,
    split: str,
    projects: dict[str, Row],
    roles: dict[str, list[tuple[str, str]]],
) -> dict[str, object]:
    seen: dict[str, str] = {}
    for project_id, role in roles[org["organisationID"]]:
        seen.setdefault(project_id, role)
    return {
        "organisation_id": org["organisationID"],
        "name": org["name"],
        "short_name": org["shortName"],
        "activity_type": org["activityType"],
        "is_sme": org["SME"] == "True",
        "is_cluster_org": org["is_cluster_org"] == "True",
        "country": org["country"],
        "stratum": stratum,
        "split": split,
        "labels": {
            "technologies_offered": [],
            "technologies_needed": [],
            "ecosystems": [],
            "sme_profile": None,
            "note": "",
        },
        "projects": [_project(projects[p], role) for p, role in sorted(seen.items())],
    }


def main() -> None:
    """Write the unlabelled sample to ``--output``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    folder = Path(str(resources.files("clusterbridge.demo_data") / "cordis"))
    sample = _draw(folder)
    args.output.write_text(json.dumps(sample, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{len(sample)} organisations written to {args.output}")


if __name__ == "__main__":
    main()
