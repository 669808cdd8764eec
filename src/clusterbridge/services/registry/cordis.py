"""Loading Horizon Europe organisations, projects and participations from a CORDIS export.

The folder holds ``he_organisations.csv.gz``, ``he_projects.csv.gz`` and
``he_participations.csv.gz`` (comma-separated, gzip; see demo_data/cordis/PROVENANCE.md). Rows
are written with executemany in chunks, never one ORM object per row, so the 24,840
organisations of the shipped copy load in seconds. Re-running updates rows by PIC and grant
number instead of adding new ones. Names, short names, cities, acronyms and titles are repaired
on reading (``cleaning.repair_text``: quoting artefacts, stray white space), and the summary says
what was repaired.
"""

import csv
import gzip
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge.db.base import utcnow
from clusterbridge.db.repositories import organisations as org_repository
from clusterbridge.db.repositories import profiles as profile_repository
from clusterbridge.db.repositories import projects as project_repository
from clusterbridge.domain.enums import OrgType, RecordSource
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.reference import (
    Period,
    RegionCategory,
    lookup_region,
    normalise_country,
    region_category,
)
from clusterbridge.reference.errors import UnknownCountryError, UnknownRegionError
from clusterbridge.services.registry.cleaning import RepairLog, repaired
from clusterbridge.services.registry.keys import name_key
from clusterbridge.services.registry.profiles import (
    ProfileSummary,
    cordis_centre_cue,
    facts_from_cordis,
    store_derived_profiles,
)

ORGANISATIONS_FILE = "he_organisations.csv.gz"
PROJECTS_FILE = "he_projects.csv.gz"
PARTICIPATIONS_FILE = "he_participations.csv.gz"
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    ORGANISATIONS_FILE: ("organisationID", "name", "activityType", "SME", "country", "nutsCode"),
    PROJECTS_FILE: ("projectID", "acronym", "title", "startDate", "keywords", "objective"),
    PARTICIPATIONS_FILE: ("projectID", "organisationID", "role", "SME", "ecContribution"),
}
#: The profile of an organisation is cut to this many characters.
PROFILE_MAX_CHARS = 2000
PROFILE_PROJECTS = 6
PROFILE_KEYWORDS = 25
PROFILE_OBJECTIVES = 2
OBJECTIVE_EXCERPT_CHARS = 300
#: Rows per executemany, and so per progress step.
BATCH = 2000
#: Longest values the columns take (CORDIS short names reach 197 characters).
SHORT_NAME_CHARS = 100
ACTIVITY_CHARS = 3

#: The text columns repaired on reading, with the words a repair report uses for them.
REPAIRED_COLUMNS: dict[str, dict[str, str]] = {
    ORGANISATIONS_FILE: {"name": "name", "shortName": "short name", "city": "city"},
    PROJECTS_FILE: {"acronym": "project acronym", "title": "project title"},
}
#: The column that names a row in a repair report.
KEY_COLUMNS = {ORGANISATIONS_FILE: "organisationID", PROJECTS_FILE: "projectID"}

#: Called as ``progress(stage, done, total)`` while rows are written.
ProgressCallback = Callable[[str, int, int], None]
Row = dict[str, str]


@dataclass(frozen=True, slots=True)
class CordisImportSummary:
    """What an import wrote."""

    organisations_created: int
    organisations_updated: int
    projects_created: int
    projects_updated: int
    participations: int
    as_of: date | None
    repairs: RepairLog = field(default_factory=RepairLog)
    profiles: ProfileSummary | None = None


@dataclass(frozen=True, slots=True)
class _Project:
    grant: str
    acronym: str
    title: str
    start: date | None
    keywords: str
    objective: str


def shipped_cordis_folder() -> Path:
    """The folder of the CORDIS copy shipped inside the package (demo_data/cordis)."""
    return Path(str(resources.files("clusterbridge.demo_data") / "cordis"))


def import_cordis(
    session: Session,
    folder: Path,
    *,
    as_of: date | None = None,
    progress: ProgressCallback | None = None,
) -> CordisImportSummary:
    """Load the CORDIS export in ``folder`` into the registry; returns what was written.

    With ``as_of``, only projects that started before that date count: only they and their
    participations are loaded, only organisations with such a project, and profiles are built
    from them alone. Organisations match existing rows by PIC: CORDIS records are refreshed
    entirely but for the fields their members declared, records entered by hand or from a file
    only get a new ``profile``. Projects match by grant number; their participations are
    replaced. Then every organisation's evidence-based profile is derived from its projects
    (``services.registry.profiles``), never replacing a declared value. Raises InvalidInputError for a missing
    file or column. Writes rows (executemany) and flushes; never commits.
    """
    report = progress or (lambda _stage, _done, _total: None)
    repairs = RepairLog()
    raw_projects = [p for p in _read(folder, PROJECTS_FILE) if _counts(p, as_of)]
    grants = {row["projectID"] for row in raw_projects}
    raw_participations = _unique_participations(
        row for row in _read(folder, PARTICIPATIONS_FILE) if row["projectID"] in grants
    )
    active = {row["organisationID"] for row in raw_participations}
    raw_organisations = [
        row
        for row in _read(folder, ORGANISATIONS_FILE)
        if as_of is None or row["organisationID"] in active
    ]
    _repair(raw_projects, PROJECTS_FILE, repairs)
    _repair(raw_organisations, ORGANISATIONS_FILE, repairs)
    projects = {row["projectID"]: _project(row) for row in raw_projects}
    created, updated = _write_organisations(
        session,
        raw_organisations,
        _profiles(projects, raw_participations),
        _sme_flags(projects, raw_participations),
        report,
    )
    p_created, p_updated = _write_projects(session, raw_projects, report)
    count = _write_participations(session, raw_participations, report)
    report("profiles", 0, len(raw_organisations))
    facts = facts_from_cordis(raw_organisations, raw_projects, raw_participations)
    profiles = store_derived_profiles(session, facts, org_repository.pic_ids(session))
    report("profiles", len(raw_organisations), len(raw_organisations))
    session.flush()
    return CordisImportSummary(
        created, updated, p_created, p_updated, count, as_of, repairs, profiles
    )


# ------------------------------------------------------------------------------- reading


def _read(folder: Path, name: str) -> list[Row]:
    path = folder / name
    if not path.is_file():
        issue = InputIssue(str(folder), name, "the file is missing")
        raise InvalidInputError("This is not a CORDIS export folder", [issue])
    with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        missing = [c for c in REQUIRED_COLUMNS[name] if c not in (reader.fieldnames or ())]
        if missing:
            issue = InputIssue(str(path), ", ".join(missing), "the column is missing")
            raise InvalidInputError("The CORDIS file lacks columns", [issue])
        return list(reader)


def _repair(rows: list[Row], name: str, repairs: RepairLog) -> None:
    """Repair the text columns of ``rows`` in place, recording each change in ``repairs``."""
    key_column = KEY_COLUMNS[name]
    for row in rows:
        for column, label in REPAIRED_COLUMNS[name].items():
            if row.get(column):
                row[column] = repaired(row[column], field=label, key=row[key_column], log=repairs)


def _counts(row: Row, as_of: date | None) -> bool:
    if as_of is None:
        return True
    start = _date(row["startDate"])
    return start is not None and start < as_of


def _unique_participations(rows: Iterator[Row]) -> list[Row]:
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for row in rows:
        key = (row["projectID"], row["organisationID"], row["role"])
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return unique


def _project(row: Row) -> _Project:
    return _Project(
        grant=row["projectID"],
        acronym=row["acronym"].strip(),
        title=row["title"].strip(),
        start=_date(row["startDate"]),
        keywords=row["keywords"],
        objective=row["objective"],
    )


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def _flag(text: str) -> bool | None:
    return {"true": True, "false": False}.get(text.strip().lower())


def _number(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return None


# ------------------------------------------------------------------------------- deriving


def _profiles(projects: dict[str, _Project], participations: list[Row]) -> dict[str, str]:
    by_organisation: defaultdict[str, list[_Project]] = defaultdict(list)
    for row in participations:
        by_organisation[row["organisationID"]].append(projects[row["projectID"]])
    return {pic: build_profile(found) for pic, found in by_organisation.items()}


def build_profile(projects: list[_Project]) -> str:
    """What an organisation worked on, from its projects, newest first: ``ACRONYM: title`` of up
    to six, up to 25 distinct keywords, and the opening of the two newest objectives; at most
    ``PROFILE_MAX_CHARS`` characters."""
    newest = sorted(set(projects), key=lambda p: (p.start or date.min, p.grant), reverse=True)
    titles = "; ".join(f"{p.acronym}: {p.title}" for p in newest[:PROFILE_PROJECTS])
    keywords: dict[str, None] = {}
    for project in newest:
        for word in project.keywords.replace(";", ",").split(","):
            if word.strip() and len(keywords) < PROFILE_KEYWORDS:
                keywords.setdefault(word.strip(), None)
    objectives = " ".join(_excerpt(p.objective) for p in newest[:PROFILE_OBJECTIVES])
    parts = [titles, f"Keywords: {', '.join(keywords)}" if keywords else "", objectives]
    return "\n".join(part for part in parts if part)[:PROFILE_MAX_CHARS]


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= OBJECTIVE_EXCERPT_CHARS:
        return flat
    return flat[:OBJECTIVE_EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"


def _sme_flags(projects: dict[str, _Project], participations: list[Row]) -> dict[str, bool]:
    """The SME flag of each organisation's newest counted participation that declares one."""
    newest: dict[str, tuple[date, bool]] = {}
    for row in participations:
        flag = _flag(row["SME"])
        start = projects[row["projectID"]].start or date.min
        pic = row["organisationID"]
        if flag is not None and (pic not in newest or start > newest[pic][0]):
            newest[pic] = (start, flag)
    return {pic: flag for pic, (_start, flag) in newest.items()}


def organisation_type(
    activity: str, *, is_sme: bool | None, is_cluster: bool, name: str = "", short_name: str = ""
) -> OrgType | None:
    """The registry type of a CORDIS organisation (documented in docs/admin/cli.md).

    A name-matched cluster organisation is ``cluster_organisation``; a research organisation
    (REC) or "other" body (OTH) whose name or short name says a technology centre
    (``cordis_centre_cue``, ADR 0038) is ``technology_centre``; a private for-profit (PRC) or
    OTH body declared SME is ``sme``; PRC not SME is ``large_enterprise``; HES, REC and PUB are
    university, research organisation and public body; OTH is ``other``. PRC without an SME
    declaration, and a blank activity type, stay unknown (None).
    """
    if is_cluster:
        return OrgType.CLUSTER_ORGANISATION
    if cordis_centre_cue(activity, name, short_name):
        return OrgType.TECHNOLOGY_CENTRE
    if is_sme and activity in {"PRC", "OTH"}:
        return OrgType.SME
    if activity == "PRC":
        return OrgType.LARGE_ENTERPRISE if is_sme is False else None
    return _ACTIVITY_TYPES.get(activity)


_ACTIVITY_TYPES = {
    "HES": OrgType.UNIVERSITY,
    "REC": OrgType.RESEARCH_ORGANISATION,
    "PUB": OrgType.PUBLIC_BODY,
    "OTH": OrgType.OTHER,
}


@cache
def region_of(
    code: str, country: str
) -> tuple[str | None, RegionCategory | None, RegionCategory | None]:
    """(NUTS code to keep, category 2021-2027, category 2014-2020) for a CORDIS ``nutsCode``.

    A code of no NUTS version, or of another country, is dropped; a country-level code is not
    kept as a region but still gives the category of a one-region country.
    """
    try:
        region = lookup_region(code)
    except UnknownRegionError:
        return None, None, None
    if region.country != country:
        return None, None, None
    kept = region.code if region.level > 0 else None
    new = region_category(region.code, Period.P2021_2027).category
    old = region_category(region.code, Period.P2014_2020).category
    return kept, new, old


# ------------------------------------------------------------------------------- writing


def _organisation_values(row: Row, *, profile: str, is_sme: bool | None) -> dict[str, Any]:
    country = _country(row["country"])
    nuts, category_new, category_old = region_of(row["nutsCode"].strip(), country)
    is_cluster = _flag(row.get("is_cluster_org", "")) is True
    name = " ".join(row["name"].split())[:300]
    short_name = row.get("shortName", "").strip()[:SHORT_NAME_CHARS] or None
    kind = organisation_type(
        row["activityType"],
        is_sme=is_sme,
        is_cluster=is_cluster,
        name=name,
        short_name=short_name or "",
    )
    return {
        "pic": row["organisationID"],
        "name": name,
        "name_key": name_key(name),
        "short_name": short_name,
        "type": kind,
        "cordis_activity": row["activityType"].strip()[:ACTIVITY_CHARS] or None,
        "is_sme": is_sme,
        "country": country,
        "nuts": nuts,
        "category_2021_2027": category_new,
        "category_2014_2020": category_old,
        "city": row.get("city", "").strip()[:100] or None,
        "latitude": _number(row.get("lat", "")),
        "longitude": _number(row.get("lon", "")),
        "website": row.get("url", "").strip()[:300] or None,
        "profile": profile,
    }


def _write_organisations(
    session: Session,
    rows: list[Row],
    profiles: dict[str, str],
    sme_flags: dict[str, bool],
    report: ProgressCallback,
) -> tuple[int, int]:
    existing = {
        pic: (id_, source)
        for id_, pic, _key, _country, source in org_repository.identity_keys(session)
        if pic
    }
    declared = profile_repository.declared_fields(session, [id_ for id_, _ in existing.values()])
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row in rows:
        pic = row["organisationID"]
        values = _organisation_values(
            row, profile=profiles.get(pic, ""), is_sme=sme_flags.get(pic, _flag(row["SME"]))
        )
        if pic not in existing:
            inserts.append(values | _new_organisation(now))
            continue
        id_, source = existing[pic]
        kept = values if source == RecordSource.CORDIS else {"profile": values["profile"]}
        updates.append(_undeclared(kept, declared.get(id_, ())) | {"id": id_, "updated_at": now})
    work = ((inserts, org_repository.insert_rows), (updates, org_repository.update_rows))
    _in_batches(session, "organisations", work, report)
    return len(inserts), len(updates)


#: Columns set from a declared field: a re-import leaves them with the field.
_DEPENDENT_COLUMNS = {
    "name": ("name", "name_key"),
    "nuts": ("nuts", "category_2021_2027", "category_2014_2020"),
    "country": ("country", "nuts", "category_2021_2027", "category_2014_2020"),
}


def _undeclared(values: dict[str, Any], declared: Iterable[str]) -> dict[str, Any]:
    """``values`` without the columns of the fields the members declared."""
    skipped = {column for name in declared for column in _DEPENDENT_COLUMNS.get(name, (name,))}
    return {column: value for column, value in values.items() if column not in skipped}


def _country(text: str) -> str:
    """The canonical code of a CORDIS country (``GR`` → ``EL``); a code no list knows (CORDIS
    has ``XH``) is kept as CORDIS gives it."""
    try:
        return normalise_country(text)
    except UnknownCountryError:
        return text.strip().upper()


def _new_organisation(now: Any) -> dict[str, Any]:
    return {
        "source": RecordSource.CORDIS,
        "description": "",
        "sme_profile": None,
        "email": None,
        "legal_entity": None,
        "eccp_registered": None,
        "created_at": now,
        "updated_at": now,
    }


def _write_projects(session: Session, rows: list[Row], report: ProgressCallback) -> tuple[int, int]:
    existing = project_repository.grant_ids(session)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row in rows:
        values = _project_values(row)
        if row["projectID"] in existing:
            updates.append(values | {"id": existing[row["projectID"]]})
        else:
            inserts.append(values)
    work = ((inserts, project_repository.insert_rows), (updates, project_repository.update_rows))
    _in_batches(session, "projects", work, report)
    return len(inserts), len(updates)


def _project_values(row: Row) -> dict[str, Any]:
    return {
        "grant_id": row["projectID"],
        "acronym": row["acronym"].strip()[:100],
        "title": row["title"].strip()[:500],
        "programme": row.get("programme", "").strip()[:40] or None,
        "topic": row.get("topic", "").strip()[:120] or None,
        "funding_scheme": row.get("fundingScheme", "").strip()[:60] or None,
        "start_date": _date(row["startDate"]),
        "end_date": _date(row.get("endDate", "")),
        "keywords": row["keywords"],
        "objective": row["objective"],
    }


def _write_participations(session: Session, rows: list[Row], report: ProgressCallback) -> int:
    projects = project_repository.grant_ids(session)
    organisations = org_repository.pic_ids(session)
    values: list[dict[str, Any]] = [
        {
            "project_id": projects[row["projectID"]],
            "organisation_id": organisations[row["organisationID"]],
            "role": row["role"][:30],
            "sme": _flag(row["SME"]),
            "ec_contribution_eur": _number(row["ecContribution"]),
        }
        for row in rows
        if row["organisationID"] in organisations
    ]
    ids = sorted({value["project_id"] for value in values})
    project_repository.replace_participations(session, ids, [])
    for start in range(0, len(values), BATCH):
        project_repository.replace_participations(session, [], values[start : start + BATCH])
        report("participations", min(start + BATCH, len(values)), len(values))
    return len(values)


Writer = Callable[[Session, list[dict[str, Any]]], None]


def _in_batches(
    session: Session,
    stage: str,
    work: tuple[tuple[list[dict[str, Any]], Writer], ...],
    report: ProgressCallback,
) -> None:
    total = sum(len(rows) for rows, _write in work)
    done = 0
    for rows, write in work:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            write(session, batch)
            done += len(batch)
            report(stage, done, total)
