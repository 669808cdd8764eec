"""The CORDIS import: types, regions, profiles, re-runs and the as-of date."""

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation, OrganisationTechnology, Participation, Project
from clusterbridge.domain.enums import (
    OrgType,
    RecordSource,
    SmeProfile,
    TechnologyDirection,
    UserRole,
    ValueOrigin,
)
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.reference import RegionCategory
from clusterbridge.services.registry import get_organisation, update_organisation
from clusterbridge.services.registry.cleaning import RepairLog
from clusterbridge.services.registry.cordis import (
    CordisImportSummary,
    import_cordis,
    organisation_type,
    shipped_cordis_folder,
)
from clusterbridge.services.registry.profiles import ProfileSummary
from tests.factories.users import make_user
from tests.services.registry.cordis_fixture import write_cordis

pytestmark = [pytest.mark.integration, pytest.mark.db]

#: What the fixture's four organisations derive: Tiny Robots offers robotics and hydrogen and
#: is tech-savvy; all four serve an ecosystem.
FULL_PROFILES = ProfileSummary(
    organisations=4, technologies=2, ecosystems=4, tech_savvy=1, traditional=0
)


def _organisations(session: Session) -> dict[str, Organisation]:
    return {o.pic or "": o for o in session.scalars(sa.select(Organisation))}


def test_import_cordis_loads_organisations_projects_and_participations(
    session: Session, tmp_path: Path
) -> None:
    steps: list[tuple[str, int, int]] = []

    summary = import_cordis(
        session, write_cordis(tmp_path), progress=lambda *step: steps.append(step)
    )

    assert summary == CordisImportSummary(4, 0, 3, 0, 5, None, RepairLog(), FULL_PROFILES)
    found = _organisations(session)
    assert {pic: o.type for pic, o in found.items()} == {
        "999000001": OrgType.CLUSTER_ORGANISATION,
        "999000002": OrgType.SME,
        "999000003": OrgType.LARGE_ENTERPRISE,
        "999000004": OrgType.UNIVERSITY,
    }
    cluster = found["999000001"]
    assert (cluster.country, cluster.nuts, cluster.source) == ("EL", "EL303", RecordSource.CORDIS)
    assert cluster.category_2021_2027 == RegionCategory.TRANSITION  # Attica, 2021-2027
    assert (found["999000004"].country, found["999000004"].nuts) == ("US", None)
    assert found["999000002"].short_name is None
    assert found["999000002"].profile.startswith(
        "ROBOWELD: Collaborative welding robots; H2VALLEY: Hydrogen valleys for islands\n"
        "Keywords: robotics, welding, hydrogen, islands\nCobots that weld. Green hydrogen"
    )
    assert len(cluster.profile) == 364
    assert steps[-2:] == [("profiles", 0, 4), ("profiles", 4, 4)]


def test_import_cordis_twice_updates_instead_of_duplicating(
    session: Session, tmp_path: Path
) -> None:
    folder = write_cordis(tmp_path)
    import_cordis(session, folder)

    summary = import_cordis(session, folder)

    assert summary == CordisImportSummary(0, 4, 0, 3, 5, None, RepairLog(), FULL_PROFILES)
    assert session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 4
    assert session.scalar(sa.select(sa.func.count()).select_from(Project)) == 3
    assert session.scalar(sa.select(sa.func.count()).select_from(Participation)) == 5


def test_import_cordis_as_of_keeps_only_earlier_projects(session: Session, tmp_path: Path) -> None:
    summary = import_cordis(session, write_cordis(tmp_path), as_of=date(2023, 6, 1))

    assert summary == CordisImportSummary(
        2, 0, 1, 0, 2, date(2023, 6, 1), RepairLog(), ProfileSummary(2, 1, 2, 1, 0)
    )
    found = _organisations(session)
    assert sorted(found) == ["999000001", "999000002"]
    assert found["999000002"].profile.startswith(
        "H2VALLEY: Hydrogen valleys for islands\nKeywords: hydrogen, islands\n"
    )
    assert "ROBOWELD" not in found["999000002"].profile


def test_import_cordis_keeps_manual_records_but_refreshes_their_profile(
    session: Session, tmp_path: Path
) -> None:
    session.add(
        Organisation(
            pic="999000003",
            name="Big Steel (our spelling)",
            name_key="big steel",
            country="AT",
            type=OrgType.SME,
            source=RecordSource.MANUAL,
            description="",
            profile="",
        )
    )
    session.flush()

    import_cordis(session, write_cordis(tmp_path))

    steel = _organisations(session)["999000003"]
    assert (steel.name, steel.type) == ("Big Steel (our spelling)", OrgType.SME)
    assert steel.profile.startswith("STEELZERO: Zero-carbon steel")


def test_import_cordis_missing_file_is_reported(session: Session, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as caught:
        import_cordis(session, tmp_path)

    assert caught.value.issues == (
        InputIssue(str(tmp_path), "he_projects.csv.gz", "the file is missing"),
    )


@pytest.mark.parametrize(
    ("activity", "sme", "cluster", "expected"),
    [
        ("PRC", True, False, OrgType.SME),
        ("PRC", False, False, OrgType.LARGE_ENTERPRISE),
        ("PRC", None, False, None),
        ("OTH", True, False, OrgType.SME),
        ("OTH", False, False, OrgType.OTHER),
        ("REC", True, False, OrgType.RESEARCH_ORGANISATION),
        ("PUB", False, False, OrgType.PUBLIC_BODY),
        ("HES", False, True, OrgType.CLUSTER_ORGANISATION),
        ("", None, False, None),
    ],
)
def test_organisation_type_maps_cordis_activity(
    activity: str, sme: bool | None, cluster: bool, expected: OrgType | None
) -> None:
    assert organisation_type(activity, is_sme=sme, is_cluster=cluster) == expected


@pytest.mark.parametrize(
    ("activity", "sme", "cluster", "name", "expected"),
    [
        (
            "REC",
            False,
            False,
            "FUNDACION CENTRO TECNOLOGICO DE COMPONENTES",
            OrgType.TECHNOLOGY_CENTRE,
        ),
        ("REC", True, False, "CENTRE TECHNOLOGIQUE ALPHANOV", OrgType.TECHNOLOGY_CENTRE),
        (
            "REC",
            False,
            False,
            "MALARDALEN INDUSTRIAL TECHNOLOGY CENTER AB",
            OrgType.TECHNOLOGY_CENTRE,
        ),
        # "Other" bodies by a phrase in another language than English or an RTO's name, an
        # SME among them too (CORDIS's flag is kept apart).
        (
            "OTH",
            True,
            False,
            "CENTIMFE CENTRO TECNOLOGICO DA INDUSTRIA DE MOLDES E FERRAMENTAS ESPECIAIS",
            OrgType.TECHNOLOGY_CENTRE,
        ),
        ("OTH", False, False, "SINTEF HELGELAND AS", OrgType.TECHNOLOGY_CENTRE),
        # Not by the English phrases, which a publisher's office takes as well.
        ("OTH", False, False, "IEEE TECHNOLOGY CENTRE GMBH", OrgType.OTHER),
        ("OTH", False, False, "STICHTING CHIP INTEGRATION TECHNOLOGY CENTER", OrgType.OTHER),
        ("OTH", False, False, "SOUTH WEST BUSINESS AND TECHNOLOGY CENTRE", OrgType.OTHER),
        # Companies keep their CORDIS type, whatever their name says.
        ("PRC", False, False, "C-TEC CONSTELLIUM TECHNOLOGY CENTER", OrgType.LARGE_ENTERPRISE),
        ("PRC", True, False, "TECHNOLOGIEZENTRUM HORB GMBH & CO. KG", OrgType.SME),
        ("PRC", False, False, "CENTRO TECNOLOGICO RIOJANO SA", OrgType.LARGE_ENTERPRISE),
        ("PRC", False, False, "TECNALIA SERBIA DOO BEOGRAD", OrgType.LARGE_ENTERPRISE),
        ("HES", False, False, "FH JOANNEUM GESELLSCHAFT MBH", OrgType.UNIVERSITY),
        ("REC", False, True, "TECHNOLOGY CENTRE CLUSTER", OrgType.CLUSTER_ORGANISATION),
    ],
)
def test_organisation_type_reads_technology_centres_in_names(
    activity: str, sme: bool, cluster: bool, name: str, expected: OrgType
) -> None:
    assert organisation_type(activity, is_sme=sme, is_cluster=cluster, name=name) == expected


def test_shipped_cordis_folder_has_the_three_files() -> None:
    names = sorted(path.name for path in shipped_cordis_folder().glob("*.csv.gz"))

    assert names == ["he_organisations.csv.gz", "he_participations.csv.gz", "he_projects.csv.gz"]


@pytest.mark.slow
def test_import_cordis_shipped_copy_loads_every_organisation(session: Session) -> None:
    summary = import_cordis(session, shipped_cordis_folder())

    assert (summary.organisations_created, summary.projects_created) == (24_840, 6_095)
    assert summary.participations == 77_654  # 77,685 rows less 31 repeated (project, PIC, role)
    assert session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 24_840
    centres = sa.select(Organisation.cordis_activity, sa.func.count()).where(
        Organisation.type == OrgType.TECHNOLOGY_CENTRE
    )
    # Research organisations and "other" bodies named so (ADR 0038), never a company.
    counted = session.execute(centres.group_by(Organisation.cordis_activity))
    assert dict(counted.all()) == {
        "REC": 134,
        "OTH": 9,
    }


def test_import_cordis_repairs_quoting_artefacts_and_white_space(
    session: Session, tmp_path: Path
) -> None:
    garbled = [
        ("999000001", '"ACADEMIA TEHNICA MILITARA ""FERDINAND I"""', '"MTA ""FI"""', "OTH",
         "False", "True", "EL", "EL303"),
        ("999000002", "Tiny  Robots\nGmbH ", "", "PRC", "True", "False", "DE", "DE212"),
        ("999000003", 'Big "Steel" AG', "BIGSTEEL", "PRC", "False", "False", "AT", "AT130"),
        ("999000004", "Future University", "FU", "HES", "False", "False", "US", "US"),
    ]  # fmt: skip

    summary = import_cordis(session, write_cordis(tmp_path, organisations=garbled))

    found = _organisations(session)
    assert found["999000001"].name == 'ACADEMIA TEHNICA MILITARA "FERDINAND I"'
    assert found["999000001"].short_name == 'MTA "FI"'
    assert found["999000002"].name == "Tiny Robots GmbH"
    assert found["999000003"].name == 'Big "Steel" AG'  # nothing to repair: kept as it was
    assert summary.repairs.describe() == "Repaired 3 values: 2 names, 1 short name."
    assert [(r.key, r.field, r.after) for r in summary.repairs.examples] == [
        ("999000001", "name", 'ACADEMIA TEHNICA MILITARA "FERDINAND I"'),
        ("999000001", "short name", 'MTA "FI"'),
        ("999000002", "name", "Tiny Robots GmbH"),
    ]


def test_import_cordis_stores_derived_profiles_with_evidence(
    session: Session, tmp_path: Path
) -> None:
    import_cordis(session, write_cordis(tmp_path))

    robots = _organisations(session)["999000002"]
    technologies = sorted(
        (t.direction, t.label, t.code, t.origin, t.evidence)
        for t in session.scalars(
            sa.select(OrganisationTechnology).where(
                OrganisationTechnology.organisation_id == robots.id
            )
        )
    )
    assert technologies == [
        (TechnologyDirection.OFFERED, "Hydrogen technologies", "nzia-05", ValueOrigin.DERIVED,
         "hydrogen technologies: 1 project, H2VALLEY"),
        (TechnologyDirection.OFFERED, "Robotics", "ati-robotics", ValueOrigin.DERIVED,
         "robotics: 1 project, ROBOWELD"),
    ]  # fmt: skip
    assert (robots.sme_profile, robots.sme_profile_origin) == (
        SmeProfile.TECH_SAVVY,
        ValueOrigin.DERIVED,
    )
    assert robots.sme_profile_evidence == (
        "the name says technology ('robots'); "
        "projects about advanced technology: 2 projects, e.g. H2VALLEY, ROBOWELD"
    )


def test_import_cordis_again_never_overwrites_what_members_declared(
    session: Session, tmp_path: Path
) -> None:
    folder = write_cordis(tmp_path)
    import_cordis(session, folder)
    robots = _organisations(session)["999000002"]
    admin = make_user(session, email="admin@example.org", role=UserRole.ADMINISTRATOR)
    update_organisation(
        session,
        admin,
        robots.id,
        {"name": "Tiny Robots (our name)", "ecosystems": ["digital"], "sme_profile": None},
    )

    import_cordis(session, folder)

    session.expire_all()
    robots = get_organisation(session, robots.id)
    assert robots.name == "Tiny Robots (our name)"
    assert robots.declared_fields == ["ecosystems", "name", "sme_profile"]
    assert [(e.ecosystem, e.origin) for e in robots.ecosystems] == [
        ("digital", ValueOrigin.DECLARED)
    ]
    assert (robots.sme_profile, robots.sme_profile_origin) == (None, None)
    assert robots.city == "Athens"  # not declared: still refreshed from CORDIS
    assert {t.code for t in robots.technologies} == {"ati-robotics", "nzia-05"}  # still derived
