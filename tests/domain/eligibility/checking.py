"""Run one registered condition as a one-rule call, through the public ``evaluate``."""

from datetime import UTC, datetime
from typing import Any

from clusterbridge.domain.calls import Call, RuleSpec, Source, Strand
from clusterbridge.domain.consortium import Application, Partner
from clusterbridge.domain.eligibility.conditions import get_condition
from clusterbridge.domain.eligibility.evaluate import evaluate
from clusterbridge.domain.eligibility.report import Finding
from clusterbridge.domain.enums import RuleStatus
from tests.factories.partners import make_application

NOW = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)
SOURCE = Source(document="doc", section="Eligibility", quote="The rule under test.")
STRANDS = (Strand(id="1", title="Strand one"), Strand(id="2", title="Strand two"))


def make_call(condition: str, params: dict[str, Any]) -> Call:
    """A call with strands "1" and "2" and one blocking rule ``rule`` of ``condition``."""
    rule = RuleSpec(
        id="rule",
        title="The rule under test",
        condition=condition,
        params=get_condition(condition).parse_params(params),
        source=SOURCE,
    )
    return Call(
        id="test-call",
        title="Test call",
        programme="Tests",
        summary="A call with one rule.",
        documents={"doc": "The test call text"},
        rules=(rule,),
        strands=STRANDS,
    )


def check(condition: str, params: dict[str, Any], application: Application) -> Finding:
    """The finding of ``condition`` with ``params`` for ``application``."""
    return evaluate(make_call(condition, params), application, now=NOW).findings[0]


def check_partners(
    condition: str, params: dict[str, Any], partners: tuple[Partner, ...]
) -> tuple[RuleStatus, tuple[str, ...]]:
    """The status and partners named when ``condition`` checks a consortium of ``partners``."""
    finding = check(condition, params, make_application(*partners))
    return finding.status, finding.partners
