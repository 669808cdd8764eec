"""Conflicts of interest found from the data, each with its reason."""

from datetime import date

import pytest

from clusterbridge.engines.selection.conflicts import (
    APPLYING_SME,
    Conflict,
    ConflictKind,
    Declared,
    ExpertFacts,
    Member,
    Project,
    ProposalFacts,
    detect_conflicts,
    years_before,
)

pytestmark = pytest.mark.unit

ON = date(2025, 2, 5)
ACME, BETA, GAMMA = Member("o1", "Acme GmbH"), Member("o2", "Beta SA"), Member("o3", "Gamma Oy")
PROPOSALS = (ProposalFacts("P1", (ACME, BETA)), ProposalFacts("P2", (GAMMA,)))


def project(start: date, end: date | None, *participants: str) -> Project:
    return Project("HYDRA", start, end, frozenset(participants))


CASES = {
    "no link": (ExpertFacts("e", organisation="o9"), []),
    "independent expert": (ExpertFacts("e"), []),
    "works for a member": (
        ExpertFacts("e", organisation="o2"),
        [("P1", ConflictKind.SAME_ORGANISATION, "works for Beta SA, a member of the consortium")],
    ),
    "joint project ended within 3 years": (
        ExpertFacts("e", organisation="o9", projects=(project(date(2019, 1, 1), date(2022, 2, 5), "o9", "o3"),)),
        [
            (
                "P2", ConflictKind.JOINT_PROJECT,
                "their organisation worked with Gamma Oy, a member of the consortium, in the "
                "project HYDRA (2019-01-01 to 2022-02-05)",
            )
        ],
    ),
    "joint project ended a day too early": (
        ExpertFacts("e", organisation="o9", projects=(project(date(2019, 1, 1), date(2022, 2, 4), "o9", "o3"),)),
        [],
    ),
    "project starting after the date": (
        ExpertFacts("e", organisation="o9", projects=(project(date(2025, 2, 6), None, "o9", "o3"),)),
        [],
    ),
    "running project with two members, one conflict each": (
        ExpertFacts("e", organisation="o9", projects=(project(date(2024, 1, 1), None, "o9", "o1", "o2"),)),
        [
            (
                "P1", ConflictKind.JOINT_PROJECT,
                "their organisation worked with Acme GmbH, a member of the consortium, in the "
                "project HYDRA (running since 2024-01-01)",
            ),
            (
                "P1", ConflictKind.JOINT_PROJECT,
                "their organisation worked with Beta SA, a member of the consortium, in the "
                "project HYDRA (running since 2024-01-01)",
            ),
        ],
    ),
    "own organisation in a project is not a joint project": (
        ExpertFacts("e", organisation="o1", projects=(project(date(2024, 1, 1), None, "o1"),)),
        [("P1", ConflictKind.SAME_ORGANISATION, "works for Acme GmbH, a member of the consortium")],
    ),
    "declared": (
        ExpertFacts("e", declared=(Declared("P2", "my sister leads the project"), Declared("P9", "x"))),
        [("P2", ConflictKind.DECLARED, "declared: my sister leads the project")],
    ),
}  # fmt: skip


@pytest.mark.parametrize(("expert", "expected"), CASES.values(), ids=CASES.keys())
def test_detect_conflicts_finds_each_kind_with_its_reason(
    expert: ExpertFacts, expected: list[tuple[str, ConflictKind, str]]
) -> None:
    found = detect_conflicts([expert], PROPOSALS, on=ON)

    assert found == tuple(Conflict("e", p, kind, reason) for p, kind, reason in expected)


def test_detect_conflicts_names_an_applying_sme_as_such() -> None:
    sme = Member("o4", "Solar Bits GmbH", APPLYING_SME)
    expert = ExpertFacts("e", organisation="o9", memberships=frozenset({"o4"}),
                         projects=(project(date(2024, 1, 1), None, "o9", "o4"),))  # fmt: skip

    found = detect_conflicts([expert], [ProposalFacts("P3", (sme,))], on=ON)

    assert [c.reason for c in found] == [
        "is a user of Solar Bits GmbH, the applying SME",
        "their organisation worked with Solar Bits GmbH, the applying SME, in the project HYDRA "
        "(running since 2024-01-01)",
    ]


def test_detect_conflicts_orders_by_expert_then_proposal_then_kind() -> None:
    experts = [
        ExpertFacts("z", organisation="o3", declared=(Declared("P1", "friend"),)),
        ExpertFacts("a", organisation="o1", declared=(Declared("P1", "former employer"),)),
    ]

    found = detect_conflicts(experts, PROPOSALS, on=ON)

    assert [(c.expert, c.proposal, c.kind) for c in found] == [
        ("z", "P1", ConflictKind.DECLARED),
        ("z", "P2", ConflictKind.SAME_ORGANISATION),
        ("a", "P1", ConflictKind.SAME_ORGANISATION),
        ("a", "P1", ConflictKind.DECLARED),
    ]


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2025, 2, 5), date(2022, 2, 5)), (date(2024, 2, 29), date(2021, 2, 28))],
)
def test_years_before(day: date, expected: date) -> None:
    assert years_before(day, 3) == expected
