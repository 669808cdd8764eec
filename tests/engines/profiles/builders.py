"""Small hand-made projects and organisations for the profile engine's tests."""

from clusterbridge.engines.profiles import OrganisationFacts, Participation, ProjectText


def project(
    acronym: str,
    *,
    title: str = "",
    keywords: str = "",
    objective: str = "",
    euroscivoc: tuple[str, ...] = (),
    topic: str = "HORIZON-CL4-2023-TWIN-TRANSITION-01-01",
    funding_scheme: str = "HORIZON-RIA",
) -> ProjectText:
    """A project whose id is its acronym."""
    return ProjectText(
        id=acronym,
        acronym=acronym,
        title=title,
        keywords=keywords,
        objective=objective,
        euroscivoc_terms=euroscivoc,
        topic=topic,
        funding_scheme=funding_scheme,
    )


def organisation(
    name: str,
    *projects: ProjectText,
    activity_type: str = "PRC",
    is_sme: bool | None = True,
    is_cluster_org: bool = False,
) -> OrganisationFacts:
    """An organisation taking part in the projects as a participant; its id is its name."""
    return OrganisationFacts(
        id=name,
        name=name,
        activity_type=activity_type,
        is_sme=is_sme,
        is_cluster_org=is_cluster_org,
        projects=tuple(Participation(p) for p in projects),
    )


ROBOT_OBJECTIVE = "We build collaborative robots. The robots pick fruit."
SOLIDAIR = project("SoliDAIR", title="Robotics for dairies", objective=ROBOT_OBJECTIVE)
ROBOFOOD = project("ROBOFOOD", keywords="robotics, food", objective=ROBOT_OBJECTIVE)
GRIPPER = project("GRIPPER", keywords="soft robotics", objective="A gripper for robots, robots.")
