"""A tiny CORDIS export written to a folder: three projects, four organisations."""

import csv
import gzip
from pathlib import Path

ORGANISATIONS = [
    # PIC, name, short name, activity, SME, cluster, country, NUTS
    ("999000001", "Hydro Cluster Association", "HYCLUS", "OTH", "False", "True", "EL", "EL303"),
    ("999000002", "Tiny Robots GmbH", "", "PRC", "True", "False", "DE", "DE212"),
    ("999000003", "Big Steel AG", "BIGSTEEL", "PRC", "False", "False", "AT", "AT130"),
    ("999000004", "Future University", "FU", "HES", "False", "False", "US", "US"),
]
PROJECTS = [
    # grant, acronym, title, start, keywords, objective
    (
        "101000001",
        "H2VALLEY",
        "Hydrogen valleys for islands",
        "2022-01-01",
        "hydrogen, islands",
        "Green hydrogen for Greek islands. " * 20,
    ),
    (
        "101000002",
        "ROBOWELD",
        "Collaborative welding robots",
        "2023-06-01",
        "robotics; welding",
        "Cobots that weld.",
    ),
    (
        "101000003",
        "STEELZERO",
        "Zero-carbon steel",
        "2025-03-01",
        "steel, decarbonisation",
        "Steel without coal.",
    ),
]
PARTICIPATIONS = [
    # grant, PIC, role, SME, contribution
    ("101000001", "999000001", "coordinator", "False", "500000"),
    ("101000001", "999000002", "participant", "True", "250000"),
    ("101000002", "999000002", "coordinator", "True", "400000"),
    ("101000003", "999000003", "coordinator", "False", "900000"),
    ("101000003", "999000004", "associatedPartner", "False", ""),
    ("101000003", "999000004", "associatedPartner", "False", ""),
]


def write_cordis(folder: Path, *, organisations: list[tuple[str, ...]] | None = None) -> Path:
    """Write the three files into ``folder`` (with other ``organisations`` rows if given);
    returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / "he_organisations.csv.gz",
        [
            "organisationID",
            "name",
            "shortName",
            "activityType",
            "SME",
            "is_cluster_org",
            "country",
            "nutsCode",
            "city",
            "lat",
            "lon",
            "url",
        ],
        [[*row, "Athens", "37.9", "23.7", ""] for row in organisations or ORGANISATIONS],
    )
    _write(
        folder / "he_projects.csv.gz",
        [
            "projectID",
            "acronym",
            "title",
            "programme",
            "topic",
            "fundingScheme",
            "startDate",
            "endDate",
            "keywords",
            "objective",
        ],
        [
            [g, a, t, "HORIZON-CL5", "HORIZON-CL5-2021-D3-01", "HORIZON-IA", s, "", k, o]
            for g, a, t, s, k, o in PROJECTS
        ],
    )
    _write(
        folder / "he_participations.csv.gz",
        ["projectID", "organisationID", "role", "SME", "ecContribution"],
        [list(row) for row in PARTICIPATIONS],
    )
    return folder


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with gzip.open(path, "wt", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
