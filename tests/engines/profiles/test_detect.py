"""Detection in one project: where a term is found, which words never count, thresholds."""

import pytest

from clusterbridge.engines.profiles import detect_project
from tests.engines.profiles.builders import project

pytestmark = pytest.mark.unit


def test_detect_technology_in_title_with_support_in_objective() -> None:
    found = detect_project(
        project(
            "X",
            title="Robotics for dairies",
            objective="Collaborative robots milk cows. The robots learn.",
        )
    )

    assert found.technologies == {"ati-robotics": 5}


def test_detect_technology_only_in_objective_is_not_enough() -> None:
    found = detect_project(
        project("X", objective="Robots, robots and robots everywhere, and a robotic arm.")
    )

    assert found.technologies_about() == {}


def test_detect_ai_matches_the_capital_word_and_the_phrase_only() -> None:
    cased = project("A", keywords="AI, vision", objective="An AI model. AI at the edge.")
    inside = project("B", keywords="domain, chair, maintain", objective="Ai and ai, aid, AIRBUS.")
    spelled = project("C", keywords="artificial intelligence", objective="deep learning, ML")

    assert detect_project(cased).technologies_about() == {"ati-ai": 5}
    assert detect_project(inside).technologies == {}
    # "ML" is no term: the keyword and one mention in the objective fall one short.
    assert detect_project(spelled).technologies == {"ati-ai": 4}
    assert detect_project(spelled).technologies_about() == {}


@pytest.mark.parametrize(
    "keywords",
    [
        "cloud, cloud cover, aerosols, meteorology",
        "pilot, production, platform, system, solution",
        "security, space, satellites, chips, drones",
    ],
)
def test_detect_common_words_mean_nothing(keywords: str) -> None:
    found = detect_project(project("X", title=keywords, keywords=keywords, objective=keywords))

    assert found.technologies == {}


def test_detect_cloud_computing_is_a_technology() -> None:
    found = detect_project(
        project("X", keywords="cloud computing", objective="Cloud computing; edge computing.")
    )

    assert found.technologies_about() == {"ati-cloud": 5}


def test_detect_euroscivoc_term_needs_a_main_field() -> None:
    alone = project("A", euroscivoc=("robotics",), objective="A robot. A robot.")
    with_keyword = project("B", euroscivoc=("robotics",), keywords="robots")

    assert detect_project(alone).technologies_about() == {}
    assert detect_project(with_keyword).technologies_about() == {"ati-robotics": 5}


def test_detect_topic_code_names_a_technology() -> None:
    found = detect_project(
        project("X", topic="HORIZON-EUSPA-2022-SPACE-02-55", objective="GNSS receivers. EGNSS.")
    )

    assert found.technologies_about() == {"cta-space": 5}


def test_detect_coordination_project_names_no_technology() -> None:
    found = detect_project(
        project(
            "X",
            title="Robotics network",
            keywords="robotics",
            objective="robots",
            funding_scheme="HORIZON-CSA",
        )
    )

    assert found.technologies == {}


def test_detect_generic_renewable_energy_needs_title_and_keywords() -> None:
    keywords_only = project("A", keywords="renewable energy", objective="renewable energy")
    both = project("B", title="Renewable energy for farms", keywords="renewable energy")

    assert detect_project(keywords_only).technologies_about() == {}
    assert detect_project(both).technologies_about() == {"nzia-12": 6}


def test_detect_raw_material_needs_a_raw_material_context() -> None:
    used = project("A", keywords="lithium, cells", objective="Lithium cells for cars, lithium.")
    recovered = project(
        "B", keywords="lithium, brines", objective="Lithium extraction from brines; lithium."
    )

    assert detect_project(used).technologies == {}
    assert detect_project(recovered).technologies_about() == {"crm-lithium": 5}


def test_detect_ecosystem_from_topic_and_objective() -> None:
    found = detect_project(
        project(
            "X",
            topic="HORIZON-CL6-2023-FARM2FORK-01-13",
            objective="Farmers and their farms. Farmers.",
        )
    )

    assert found.ecosystems == {"agri-food": 6}


def test_detect_soil_health_is_not_health() -> None:
    found = detect_project(project("X", keywords="soil health", objective="soil health"))

    assert "health" not in found.ecosystems
