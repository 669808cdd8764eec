"""Evidence-based profiles in the registry: what the profile engine derives from an organisation's
projects (technologies offered and needed, industrial ecosystems, SME profile), stored with its
evidence and marked *derived*.

A derived value never replaces a declared one: a field the members declared
(``Organisation.declared_fields``, or a declared SME profile) is left alone, and a derived row
never repeats a declared row. Derived rows are replaced wholesale on every derivation.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation
from clusterbridge.db.repositories import profiles as repository
from clusterbridge.domain.enums import (
    OrgType,
    RecordSource,
    SmeProfile,
    TechnologyDirection,
    ValueOrigin,
)
from clusterbridge.engines.profiles import (
    DerivedProfile,
    Evidence,
    OrganisationFacts,
    Participation,
    ProjectText,
    derive_profiles,
    technology_centre_cue,
)
from clusterbridge.services.registry.fields import vocabulary

Row = Mapping[str, str]
#: Longest technology label the column takes.
LABEL_CHARS = 200
_FIELDS = {
    TechnologyDirection.OFFERED: "technologies_offered",
    TechnologyDirection.NEEDED: "technologies_needed",
}


@dataclass(frozen=True, slots=True)
class ProfileSummary:
    """What a derivation wrote: organisations given any derived value, and the counts."""

    organisations: int
    technologies: int
    ecosystems: int
    tech_savvy: int
    traditional: int

    def describe(self) -> str:
        """The summary in one sentence."""
        return (
            f"Derived profiles for {_count(self.organisations, 'organisation')}: "
            f"{_count(self.technologies, 'technology', 'technologies')}, "
            f"{_count(self.ecosystems, 'ecosystem')}, {self.tech_savvy:,} tech-savvy and "
            f"{self.traditional:,} traditional {'SME' if self.traditional == 1 else 'SMEs'}."
        )


def _count(number: int, noun: str, plural: str = "") -> str:
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def facts_from_cordis(
    organisations: Iterable[Row], projects: Iterable[Row], participations: Iterable[Row]
) -> list[OrganisationFacts]:
    """The organisations of a CORDIS export as the profile engine reads them (rows of
    ``he_organisations``, ``he_projects`` and ``he_participations``; see services.registry.cordis)."""
    texts = {row["projectID"]: _project_text(row) for row in projects}
    taken: defaultdict[str, list[Participation]] = defaultdict(list)
    for row in participations:
        project = texts.get(row["projectID"])
        if project is not None:
            taken[row["organisationID"]].append(Participation(project, row.get("role", "")))
    return [
        OrganisationFacts(
            id=row["organisationID"],
            name=row["name"],
            short_name=row.get("shortName", ""),
            activity_type=row.get("activityType", ""),
            is_sme={"true": True, "false": False}.get(row.get("SME", "").strip().lower()),
            is_cluster_org=row.get("is_cluster_org", "").strip().lower() == "true",
            projects=tuple(taken[row["organisationID"]]),
        )
        for row in organisations
    ]


def store_derived_profiles(
    session: Session, facts: Sequence[OrganisationFacts], ids: Mapping[str, int]
) -> ProfileSummary:
    """Derive the profiles of ``facts`` and store them on the organisations ``ids`` maps their
    ids to (facts without a row are skipped).

    Replaces every derived ecosystem and technology of those organisations; sets a derived SME
    profile (or clears a derived one the evidence no longer supports). Declared fields and
    rows stay as they are. Writes with executemany; flushes, never commits.
    """
    profiles = derive_profiles(f for f in facts if f.id in ids)
    return _store(session, {ids[key]: profile for key, profile in profiles.items()})


def _store(session: Session, derived: Mapping[int, DerivedProfile]) -> ProfileSummary:
    ids = sorted(derived)
    declared = repository.declared_fields(session, ids)
    declared_ecosystems, declared_technologies = repository.declared_keys(session, ids)
    repository.delete_derived(session, ids)
    ecosystems: list[dict[str, Any]] = []
    technologies: list[dict[str, Any]] = []
    profiles: list[dict[str, Any]] = []
    with_rows = _fields_with_declared_rows(declared_ecosystems, declared_technologies)
    for id_, profile in derived.items():
        fields = declared.get(id_, set()) | with_rows.get(id_, set())
        if "ecosystems" not in fields:
            ecosystems += _ecosystem_rows(id_, profile.ecosystems, declared_ecosystems)
        for direction, field in _FIELDS.items():
            if field not in fields:
                found = getattr(profile, field)
                technologies += _technology_rows(id_, direction, found, declared_technologies)
        if "sme_profile" not in fields:
            profiles.append(_sme_profile_row(id_, profile))
    repository.insert_ecosystems(session, ecosystems)
    repository.insert_technologies(session, technologies)
    repository.update_sme_profiles(session, profiles)
    session.flush()
    return _summary(ecosystems, technologies, profiles)


def _fields_with_declared_rows(ecosystems: set[Any], technologies: set[Any]) -> dict[int, set[str]]:
    """Per organisation, the list fields in which the members already declared a value:
    derived values would only add to (and blur) what they said."""
    fields: defaultdict[int, set[str]] = defaultdict(set)
    for id_, _slug in ecosystems:
        fields[id_].add("ecosystems")
    for id_, direction, _label in technologies:
        fields[id_].add(_FIELDS[direction])
    return fields


def _ecosystem_rows(
    id_: int, found: Sequence[Evidence], declared: set[Any]
) -> list[dict[str, Any]]:
    return [
        {"organisation_id": id_, "ecosystem": e.code, "origin": ValueOrigin.DERIVED,
         "evidence": e.describe()}
        for e in found
        if (id_, e.code) not in declared
    ]  # fmt: skip


def _technology_rows(
    id_: int, direction: TechnologyDirection, found: Sequence[Evidence], declared: set[Any]
) -> list[dict[str, Any]]:
    labels = _labels()
    rows = []
    for evidence in found:
        label = labels.get(evidence.code, evidence.label)[:LABEL_CHARS]
        if (id_, direction, label) not in declared:
            rows.append(
                {"organisation_id": id_, "direction": direction, "label": label,
                 "code": evidence.code, "origin": ValueOrigin.DERIVED,
                 "evidence": evidence.describe()}
            )  # fmt: skip
    return rows


def _sme_profile_row(id_: int, profile: DerivedProfile) -> dict[str, Any]:
    found = profile.sme_profile
    evidence = "; ".join(e.describe() for e in profile.sme_profile_evidence) or None
    return {
        "id": id_,
        "sme_profile": found,
        "sme_profile_origin": ValueOrigin.DERIVED if found is not None else None,
        "sme_profile_evidence": evidence if found is not None else None,
    }


@cache
def _labels() -> dict[str, str]:
    """Vocabulary code → label, built once (it is asked for every organisation's rows)."""
    return {term.code: term.label for term in vocabulary()}


#: The CORDIS activity types whose names are read for technology centres (ADR 0038), each with
#: whether the English phrases ("technology centre") count. Among "other" bodies (OTH) they named
#: a publisher's office and a business centre as often as a technology centre; among companies
#: (PRC) no cue was precise enough (a firm's own R&D unit, a testing firm, a real-estate company).
CENTRE_ACTIVITIES = {"REC": True, "OTH": False}
#: How the type evidence names the CORDIS activity types read.
ACTIVITY_WORDS = {"REC": "research organisation", "OTH": "other"}


def cordis_centre_cue(activity: str, name: str, short_name: str = "") -> Evidence | None:
    """Why a CORDIS organisation of this activity type is a technology centre by its name, or
    None: research organisations (REC) by any cue, "other" bodies (OTH) by a phrase in a
    language of Europe other than English or an RTO's name, companies never. Pure."""
    if activity not in CENTRE_ACTIVITIES:
        return None
    return technology_centre_cue(name, short_name, english=CENTRE_ACTIVITIES[activity])


def type_evidence(organisation: Organisation) -> str | None:
    """Why a CORDIS record is a technology centre, when the import derived it from its name
    (ADR 0038): "derived: the name says a technology centre ('centro tecnologico'); CORDIS:
    research organisation" (or "CORDIS: other"). None for another type, a type the members
    declared, or a record from another source (whose type someone gave). Reads the record
    only."""
    derived = (
        organisation.type == OrgType.TECHNOLOGY_CENTRE
        and organisation.source == RecordSource.CORDIS
        and "type" not in (organisation.declared_fields or ())
    )
    if not derived:
        return None
    # Imported before the activity type was stored: only research organisations were derived.
    activity = organisation.cordis_activity or "REC"
    cue = cordis_centre_cue(activity, organisation.name, organisation.short_name or "")
    # The CORDIS name said so at import; a name edited since may no longer say it.
    said = cue.describe() if cue else "the name CORDIS gives says a technology centre"
    return f"derived: {said}; CORDIS: {ACTIVITY_WORDS.get(activity, activity)}"


def _summary(
    ecosystems: list[dict[str, Any]],
    technologies: list[dict[str, Any]],
    profiles: list[dict[str, Any]],
) -> ProfileSummary:
    touched = {row["organisation_id"] for row in (*ecosystems, *technologies)}
    touched |= {row["id"] for row in profiles if row["sme_profile"] is not None}
    kinds = [row["sme_profile"] for row in profiles]
    return ProfileSummary(
        organisations=len(touched),
        technologies=len(technologies),
        ecosystems=len(ecosystems),
        tech_savvy=kinds.count(SmeProfile.TECH_SAVVY),
        traditional=kinds.count(SmeProfile.TRADITIONAL),
    )


def _project_text(row: Row) -> ProjectText:
    return ProjectText(
        id=row["projectID"],
        acronym=row.get("acronym", ""),
        title=row.get("title", ""),
        objective=row.get("objective", ""),
        keywords=row.get("keywords", ""),
        euroscivoc_terms=_split(row.get("euroSciVoc_terms", "")),
        euroscivoc_fields=_split(row.get("euroSciVoc_fields", "")),
        topic=row.get("topic", ""),
        funding_scheme=row.get("fundingScheme", ""),
        legal_basis=row.get("legalBasis", ""),
        programme=row.get("programme", ""),
    )


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())
