"""A small registry for partner matching: four organisations, two projects, technologies."""

from datetime import date

from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation, OrganisationTechnology, Participation, Project
from clusterbridge.domain.enums import OrgType, SmeProfile, TechnologyDirection
from tests.factories.organisations import make_organisation


def make_project(
    session: Session,
    *,
    grant_id: str,
    acronym: str,
    title: str,
    text: str,
    members: list[Organisation],
) -> Project:
    """A project with its participations (every member a participant), flushed."""
    project = Project(
        grant_id=grant_id, acronym=acronym, title=title, keywords="", objective=text,
        start_date=date(2023, 1, 1), participations=[],
    )  # fmt: skip
    session.add(project)
    session.flush()
    for member in members:
        session.add(Participation(project=project, organisation=member, role="participant"))
    session.flush()
    return project


def make_matching_registry(session: Session) -> dict[str, Organisation]:
    """Steel Works (a traditional SME needing machine vision), Vision AI (tech-savvy, offers it),
    Rzeszow Hydrogen Cluster (PL823, a past partner of Steel Works) and Bakery (unrelated)."""
    steel = make_organisation(
        session, name="Steel Works", pic="100000001", type=OrgType.SME,
        sme_profile=SmeProfile.TRADITIONAL, nuts="DE212",
    )  # fmt: skip
    vision = make_organisation(
        session, name="Vision AI", pic="100000002", type=OrgType.SME,
        sme_profile=SmeProfile.TECH_SAVVY, nuts="DE213",
    )  # fmt: skip
    cluster = make_organisation(
        session, name="Rzeszow Hydrogen Cluster", pic="100000003", country="PL", nuts="PL823"
    )
    bakery = make_organisation(
        session, name="Bakery", pic="100000004", country="FR", nuts="FR101", type=OrgType.SME,
        sme_profile=SmeProfile.TRADITIONAL,
    )  # fmt: skip
    steel.description = "Steel casting and furnace maintenance"
    vision.description = "Machine vision inspection of steel surfaces"
    cluster.description = "Cluster of hydrogen electrolyser makers"
    bakery.description = "Bread and pastry"
    session.add_all([
        OrganisationTechnology(organisation=steel, direction=TechnologyDirection.NEEDED, label="Machine vision", code="ati-vision"),
        OrganisationTechnology(organisation=vision, direction=TechnologyDirection.OFFERED, label="Machine vision", code="ati-vision"),
    ])  # fmt: skip
    session.flush()
    make_project(
        session, grant_id="900001", acronym="GREENSTEEL", title="Green steel",
        text="hydrogen direct reduction of iron", members=[steel, cluster],
    )  # fmt: skip
    return {"steel": steel, "vision": vision, "cluster": cluster, "bakery": bakery}


def make_newcomers_registry(session: Session) -> dict[str, Organisation]:
    """``make_matching_registry`` and eight tech-savvy SMEs offering machine vision, each with a
    project on steel inspection: for Steel Works, they fill a list of 8, and Vision AI, which
    declares machine vision but has no projects, is left for the organisations registered
    without projects."""
    made = make_matching_registry(session)
    for number in range(1, 9):
        provider = make_organisation(
            session, name=f"Inspection Partner {number}", pic=f"30000000{number}",
            nuts="DE212", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY,
        )  # fmt: skip
        provider.description = "Machine vision inspection of steel casting and furnaces"
        session.add(
            OrganisationTechnology(
                organisation=provider, direction=TechnologyDirection.OFFERED,
                label="Machine vision", code="ati-vision",
            )
        )  # fmt: skip
        make_project(
            session, grant_id=f"91000{number}", acronym=f"INSPECT{number}",
            title="Steel inspection", text="machine vision inspection of steel casting furnaces",
            members=[provider],
        )  # fmt: skip
        made[f"partner{number}"] = provider
    session.flush()
    return made
