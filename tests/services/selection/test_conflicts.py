"""Conflicts of interest found from the registry: organisations by PIC and their projects."""

from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import Participation, Project
from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.engines.selection.conflicts import ConflictKind
from clusterbridge.services.selection import conflicts_to_dict, find_conflicts
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.integration, pytest.mark.db]

ON = date(2025, 2, 5)


def add_project(
    session: Session, grant: str, acronym: str, start: date, end: date | None, *orgs: Any
) -> None:
    project = Project(
        grant_id=grant, acronym=acronym, title=acronym, start_date=start, end_date=end,
        participations=[],
    )  # fmt: skip
    session.add(project)
    session.flush()
    session.add_all(
        Participation(project=project, organisation=o, role="participant") for o in orgs
    )
    session.flush()


@pytest.fixture
def registry(session: Session) -> Session:
    """Acme (PIC 900000001), Beta (…02), Gamma (…03), the expert's employer Delta (…04) and
    Omega (…05); Delta worked with Gamma in HYDRA (ended 2023) and with Beta in OLDIE (2021)."""
    acme, beta, gamma, delta, omega = (
        make_organisation(session, name=name, pic=f"90000000{n}")
        for n, name in enumerate(["Acme GmbH", "Beta SA", "Gamma Oy", "Delta BV", "Omega AB"], 1)
    )
    add_project(session, "101", "HYDRA", date(2020, 1, 1), date(2023, 6, 30), delta, gamma, omega)
    add_project(session, "102", "OLDIE", date(2018, 1, 1), date(2021, 12, 31), delta, beta)
    add_project(session, "103", "OTHERS", date(2024, 1, 1), None, acme, omega)
    return session


DOCUMENT = {
    "experts": [
        {"id": "ana", "organisation": "900000004"},
        {"id": "ben", "organisation": "900000001", "declared": [{"proposal": "P2", "statement": "I reviewed its draft"}]},
        {"id": "eva"},
    ],
    "proposals": [
        {"id": "P1", "members": ["900000001", "900000002"]},
        {"id": "P2", "members": ["900000003"]},
        {"id": "P3", "members": ["900000005"]},
    ],
}  # fmt: skip


def test_find_conflicts_reads_organisations_and_projects(registry: Session) -> None:
    found = find_conflicts(registry, DOCUMENT, source="f.json", on=ON)

    assert conflicts_to_dict(found) == {
        "conflicts": [
            {
                "expert": "ana", "proposal": "P2", "kind": "joint_project",
                "reason": "their organisation worked with Gamma Oy, a member of the consortium, "
                "in the project HYDRA (2020-01-01 to 2023-06-30)",
            },
            {
                "expert": "ana", "proposal": "P3", "kind": "joint_project",
                "reason": "their organisation worked with Omega AB, a member of the consortium, "
                "in the project HYDRA (2020-01-01 to 2023-06-30)",
            },
            {
                "expert": "ben", "proposal": "P1", "kind": "same_organisation",
                "reason": "works for Acme GmbH, a member of the consortium",
            },
            {
                "expert": "ben", "proposal": "P2", "kind": "declared",
                "reason": "declared: I reviewed its draft",
            },
            {
                "expert": "ben", "proposal": "P3", "kind": "joint_project",
                "reason": "their organisation worked with Omega AB, a member of the consortium, "
                "in the project OTHERS (running since 2024-01-01)",
            },
        ]
    }  # fmt: skip


def test_find_conflicts_window_moves_with_the_date(registry: Session) -> None:
    found = find_conflicts(registry, DOCUMENT, source="f.json", on=date(2024, 12, 31))

    assert [(c.expert, c.proposal, c.kind) for c in found if c.expert == "ana"] == [
        ("ana", "P1", ConflictKind.JOINT_PROJECT),  # OLDIE ended 2021-12-31, within 3 years
        ("ana", "P2", ConflictKind.JOINT_PROJECT),
        ("ana", "P3", ConflictKind.JOINT_PROJECT),
    ]


def test_find_conflicts_names_unknown_pics_and_bad_fields(registry: Session) -> None:
    document = {
        "experts": [
            {"id": "ana", "organisation": "123456789", "declared": [{"proposal": "P9", "statement": "x"}]},
            {"id": 7},
        ],
        "proposals": [{"id": "P1", "members": ["900000001", "999999999"]}],
    }  # fmt: skip

    with pytest.raises(InvalidInputError) as caught:
        find_conflicts(registry, document, source="f.json", on=ON)

    assert [str(i) for i in caught.value.issues] == [
        'experts[1].id: must be text in quotes, e.g. "1"',
    ]
    document["experts"] = document["experts"][:1]  # type: ignore[index]

    with pytest.raises(InvalidInputError) as caught:
        find_conflicts(registry, document, source="f.json", on=ON)

    assert caught.value.summary == "f.json is not a valid conflicts file:"
    assert [str(i) for i in caught.value.issues] == [
        "experts[0].organisation: no organisation with the PIC 123456789 in the registry",
        "proposals[0].members[1]: no organisation with the PIC 999999999 in the registry",
        'experts[0].declared[0].proposal: "P9" is not a proposal of the file',
    ]
