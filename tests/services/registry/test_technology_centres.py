"""Technology centres derived from CORDIS names (ADR 0038): the import, the evidence shown,
declared types left alone, the search facet and the strategic-alliances rule."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation
from clusterbridge.domain.enums import OrgType, RecordSource, Role, RuleStatus, UserRole
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.services.consortia import consortia
from clusterbridge.services.consortia import partners as consortium_partners
from clusterbridge.services.registry import (
    OrganisationFilters,
    confirm_derived,
    search_organisations,
    type_evidence,
    update_organisation,
)
from clusterbridge.services.registry.cordis import import_cordis
from tests.conftest import NOW
from tests.factories.consortia import make_consortium
from tests.factories.users import make_user
from tests.services.registry.cordis_fixture import ORGANISATIONS, write_cordis

pytestmark = [pytest.mark.integration, pytest.mark.db]

#: CORDIS rows (PIC, name, short name, activity, SME, cluster, country, NUTS) of real shapes.
CENTRES = [
    (
        "999000011",
        "INSTITUTO TECNOLOGICO METALMECANICO, MUEBLE, MADERA, EMBALAJE Y AFINES-AIDIMME",
        "AIDIMME",
        "REC",
        "True",
        "False",
        "ES",
        "ES523",
    ),
    ("999000012", "SINTEF AS", "SINTEF", "REC", "False", "False", "NO", "NO060"),
    # A company named like a technology centre (a German Technologiezentrum GmbH & Co. KG).
    (
        "999000013",
        "TECHNOLOGIEZENTRUM HORB GMBH & CO. KG",
        "",
        "PRC",
        "True",
        "False",
        "DE",
        "DE12A",
    ),
    # A research organisation whose name says nothing of the kind.
    ("999000014", "FUNDACION IMDEA MATERIALES", "IMDEA", "REC", "False", "False", "ES", "ES300"),
    # An "other" body (declared SME) and a company whose names say a technology centre.
    (
        "999000015",
        "CENTRE TECHNIQUE DE LA CONSERVATION DES PRODUITS AGRICOLES",
        "CTCPA",
        "OTH",
        "True",
        "False",
        "FR",
        "FR101",
    ),
    ("999000016", "CENTRO TECNOLOGICO RIOJANO SA", "", "PRC", "False", "False", "ES", "ES230"),
    # An "other" body named in English only: a publisher's office.
    ("999000017", "IEEE TECHNOLOGY CENTRE GMBH", "", "OTH", "False", "False", "AT", "AT130"),
]


def _imported(session: Session, tmp_path: Path) -> dict[str, Organisation]:
    import_cordis(session, write_cordis(tmp_path, organisations=[*ORGANISATIONS, *CENTRES]))
    return {o.pic or "": o for o in session.scalars(sa.select(Organisation))}


def test_import_cordis_makes_research_organisations_named_so_technology_centres(
    session: Session, tmp_path: Path
) -> None:
    found = _imported(session, tmp_path)

    assert {pic: (found[pic].type, found[pic].cordis_activity) for pic, *_ in CENTRES} == {
        "999000011": (OrgType.TECHNOLOGY_CENTRE, "REC"),
        "999000012": (OrgType.TECHNOLOGY_CENTRE, "REC"),
        "999000013": (OrgType.SME, "PRC"),
        "999000014": (OrgType.RESEARCH_ORGANISATION, "REC"),
        "999000015": (OrgType.TECHNOLOGY_CENTRE, "OTH"),
        "999000016": (OrgType.LARGE_ENTERPRISE, "PRC"),
        "999000017": (OrgType.OTHER, "OTH"),
    }
    # CORDIS's SME flag is kept.
    assert (found["999000011"].is_sme, found["999000015"].is_sme) == (True, True)
    assert [type_evidence(found[pic]) for pic, *_ in CENTRES] == [
        "derived: the name says a technology centre ('instituto tecnologico'); "
        "CORDIS: research organisation",
        "derived: the name is that of a research and technology organisation ('sintef'); "
        "CORDIS: research organisation",
        None,
        None,
        "derived: the name says a technology centre ('centre technique'); CORDIS: other",
        None,
        None,
    ]


def test_type_evidence_of_a_centre_imported_before_the_activity_type_was_stored(
    session: Session, tmp_path: Path
) -> None:
    found = _imported(session, tmp_path)
    found["999000012"].cordis_activity = None

    evidence = type_evidence(found["999000012"])

    # Only research organisations were derived then.
    assert evidence == (
        "derived: the name is that of a research and technology organisation ('sintef'); "
        "CORDIS: research organisation"
    )


def test_import_cordis_again_leaves_a_declared_type(session: Session, tmp_path: Path) -> None:
    found = _imported(session, tmp_path)
    admin = make_user(session, email="admin@example.org", role=UserRole.ADMINISTRATOR)
    update_organisation(session, admin, found["999000011"].id, {"type": "research_organisation"})
    confirm_derived(session, admin, found["999000012"].id, "type")

    found = _imported(session, tmp_path)

    aidimme, sintef = found["999000011"], found["999000012"]
    assert (aidimme.type, aidimme.declared_fields) == (OrgType.RESEARCH_ORGANISATION, ["type"])
    assert (sintef.type, sintef.declared_fields) == (OrgType.TECHNOLOGY_CENTRE, ["type"])
    # Declared: no longer shown as derived.
    assert (type_evidence(aidimme), type_evidence(sintef)) == (None, None)


def test_import_cordis_leaves_the_type_of_a_record_from_elsewhere(
    session: Session, tmp_path: Path
) -> None:
    session.add(
        Organisation(
            pic="999000012",
            name="SINTEF AS",
            name_key="sintef as",
            country="NO",
            type=OrgType.RESEARCH_ORGANISATION,
            source=RecordSource.IMPORT,
            description="",
            profile="",
        )
    )
    session.flush()

    found = _imported(session, tmp_path)

    assert found["999000012"].type is OrgType.RESEARCH_ORGANISATION
    assert type_evidence(found["999000012"]) is None


def test_search_finds_technology_centres_by_type(session: Session, tmp_path: Path) -> None:
    _imported(session, tmp_path)

    result = search_organisations(
        session, OrganisationFilters(types=(OrgType.TECHNOLOGY_CENTRE,)), per_page=10
    )

    assert sorted(item.name for item in result.items) == [
        "CENTRE TECHNIQUE DE LA CONSERVATION DES PRODUITS AGRICOLES",
        "INSTITUTO TECNOLOGICO METALMECANICO, MUEBLE, MADERA, EMBALAJE Y AFINES-AIDIMME",
        "SINTEF AS",
    ]
    counts = {facet.value: facet.count for facet in result.facets.types}
    assert (counts["technology_centre"], counts["research_organisation"]) == (3, 1)


def test_a_registry_technology_centre_passes_the_strategic_alliances_rule(
    session: Session, tmp_path: Path
) -> None:
    found = _imported(session, tmp_path)
    owner = make_user(session)
    consortium = make_consortium(
        session, owner=owner, call_id="strategic-alliances-2020", strand=None
    )
    for pic, role in (("999000013", Role.COORDINATOR), ("999000012", Role.BENEFICIARY)):
        consortium_partners.add_registry_partner(
            session, owner, consortium.id, found[pic].id, changes={"role": role}
        )

    report = consortia.check_consortium(consortium, catalogue=load_catalogue(), now=NOW).report

    assert report is not None
    [rule] = [f for f in report.findings if f.rule == "technology-centre"]
    assert (rule.status, rule.message) == (
        RuleStatus.PASS,
        "The consortium has enough applicants that are technology centres (1, at least 1).",
    )
    assert rule.source.quote.startswith("Should technology centres not be formal beneficiaries")
