"""Each partner's part in each rule of SMP-COSME-2024-CLUSTER, as the eligibility engine
judges the partner alone."""

from datetime import UTC, datetime

import pytest

from clusterbridge.domain.consortium import Partner
from clusterbridge.domain.enums import OrgType, Role
from clusterbridge.engines.consortium.encode import PartJudge, encode_call
from clusterbridge.engines.consortium.problem import Part, RuleKind
from clusterbridge.services.calls.catalogue import load_catalogue

pytestmark = pytest.mark.unit

NOW = datetime(2024, 12, 1, tzinfo=UTC)
ENCODING = encode_call(load_catalogue().get("SMP-COSME-2024-CLUSTER"))
Y = Part(certain=True, possible=True)
MAY = Part(possible=True)
N = Part()
CLUSTER = {"type": OrgType.CLUSTER_ORGANISATION, "legal_entity": True, "eccp_registered": True}


def test_encode_call_sorts_the_rules_by_kind() -> None:
    assert [(r.id, r.kind, r.minimum, r.share) for r in ENCODING.rules] == [
        ("legal-entity", RuleKind.EACH, 0, (0, 1)),
        ("eligible-country", RuleKind.EACH, 0, (0, 1)),
        ("applicant-type", RuleKind.EACH, 0, (0, 1)),
        ("min-applicants", RuleKind.COUNT, 3, (0, 1)),
        ("cluster-organisations-in-three-member-states", RuleKind.COUNTRIES, 3, (0, 1)),
        ("half-eccp-registered", RuleKind.SHARE, 0, (1, 2)),
        ("less-developed-region", RuleKind.COUNT, 1, (0, 1)),
    ]
    assert (ENCODING.proposal_rules, ENCODING.unencoded) == (("one-strand", "max-duration"), ())


@pytest.mark.parametrize(
    ("partner", "parts"),
    [
        (
            Partner("Podkarpackie", "PL", "PL823", role=Role.BENEFICIARY, **CLUSTER),  # type: ignore[arg-type]
            (Y, Y, Y, Y, Part(True, True, country="PL"), Part(True, True, bounds=(1, 1, 1, 1)), Y),
        ),
        (
            Partner("University", "DE", "DE212", OrgType.UNIVERSITY, role=Role.BENEFICIARY),
            (
                MAY,
                Y,
                Part(True, True, warning=True),
                Y,
                Part(country="DE"),
                Part(bounds=(0, 1, 0, 1)),
                N,
            ),
        ),
        (
            Partner("Zurich lab", "CH", role=Role.BENEFICIARY),
            (MAY, N, MAY, Y, Part(country="CH"), Part(possible=True, bounds=(0, 1, 1, 1)), N),
        ),
        (
            Partner("Lyon cluster", "FR", "FR101", role=Role.ASSOCIATED_PARTNER, **CLUSTER),  # type: ignore[arg-type]
            (Y, Y, Y, N, Part(country="FR"), N, N),
        ),
    ],
)
def test_part_judge_reads_the_engines_statuses(partner: Partner, parts: tuple[Part, ...]) -> None:
    judge = PartJudge(ENCODING, strand="1", now=NOW)

    assert judge.parts(partner) == parts
