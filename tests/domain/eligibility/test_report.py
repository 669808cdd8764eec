"""The report and its findings: deferred messages, masks of partners, findings built on read."""

import pickle
from functools import partial

import pytest

from clusterbridge.domain.calls import RuleSpec
from clusterbridge.domain.eligibility.evaluate import evaluate
from clusterbridge.domain.eligibility.outcome import Outcome, joined, render
from clusterbridge.domain.eligibility.report import Finding, decide_verdict, to_finding
from clusterbridge.domain.enums import RuleStatus, Verdict
from tests.domain.eligibility.checking import NOW, SOURCE, make_call
from tests.factories.partners import make_application, make_partner

pytestmark = pytest.mark.unit

PASS, FAIL = RuleStatus.PASS, RuleStatus.FAIL
WARNING, UNKNOWN = RuleStatus.WARNING, RuleStatus.UNKNOWN
PARTNERS = (make_partner(name="A"), make_partner(name="B"), make_partner(name="C"))


class Counted:
    """A deferred message that counts how often it is built."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return self.text


def _finding(message: str | Counted, partners: tuple[str, ...] = ("A",)) -> Finding:
    return Finding("rule", "Rule", FAIL, message, SOURCE, partners, True)


def _rule(*, on_fail: RuleStatus = FAIL, advice: str = "") -> RuleSpec:
    return RuleSpec(
        id="rule",
        title="Rule",
        condition="duration",
        params=make_call("duration", {"max": 1}).rules[0].params,
        source=SOURCE,
        on_fail=on_fail,
        advice=advice,
    )


def test_finding_deferred_message_built_once_on_read() -> None:
    message = Counted("Built.")
    finding = _finding(message)

    read = (message.calls, finding.message, finding.message, message.calls)

    assert read == (0, "Built.", "Built.", 1)


def test_finding_deferred_equals_built_in_value_hash_repr_and_pickle() -> None:
    deferred, built = _finding(Counted("Same.")), _finding("Same.")

    found = (deferred == built, hash(deferred) == hash(built), repr(deferred) == repr(built))

    assert found == (True, True, True)
    assert pickle.loads(pickle.dumps(deferred)) == built


def test_finding_differs_by_message_and_not_equal_to_other_types() -> None:
    found = (_finding("One.") == _finding("Two."), _finding("One.") == ("rule",))

    assert found == (False, False)


@pytest.mark.parametrize(
    ("outcome", "rule", "expected"),
    [
        pytest.param(
            Outcome(FAIL, "Too long.", 0b101),
            _rule(),
            (FAIL, "Too long.", ("A", "C"), True),
            id="mask-becomes-names",
        ),
        pytest.param(
            Outcome(FAIL, partial(str, "Too long."), ("B",)),
            _rule(on_fail=WARNING, advice="Justify it."),
            (WARNING, "Too long. Justify it.", ("B",), False),
            id="warning-rule-with-advice",
        ),
        pytest.param(
            Outcome(PASS, "Fine.", 0),
            _rule(advice="Justify it."),
            (PASS, "Fine.", (), True),
            id="no-advice-on-pass",
        ),
    ],
)
def test_to_finding_status_advice_and_names(
    outcome: Outcome, rule: RuleSpec, expected: tuple[RuleStatus, str, tuple[str, ...], bool]
) -> None:
    finding = to_finding(rule, outcome, PARTNERS)

    assert (finding.status, finding.message, finding.partners, finding.blocking) == expected


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        pytest.param(("One.", "Two."), "One. Two.", id="strings"),
        pytest.param(("One.", partial(str, "Two.")), "One. Two.", id="deferred"),
    ],
)
def test_joined_renders_parts_separated_by_a_space(
    texts: tuple[str | partial[str], ...], expected: str
) -> None:
    text = joined(*texts)

    assert render(text) == expected


def test_report_findings_built_once_and_match_statuses_and_verdict() -> None:
    call = make_call("min_partners", {"min": 4})
    application = make_application(*PARTNERS, make_partner(name="D", role=None))
    report = evaluate(call, application, now=NOW)

    findings = report.findings

    assert findings is report.findings
    assert report.statuses == tuple(f.status for f in findings) == (UNKNOWN,)
    assert (report.count(UNKNOWN), report.count(PASS)) == (1, 0)
    assert report.verdict == decide_verdict(findings) == Verdict.INCOMPLETE
    assert findings[0].partners == ("D",)


def test_report_equality_compares_findings() -> None:
    call = make_call("min_partners", {"min": 3})
    first = evaluate(call, make_application(*PARTNERS), now=NOW)

    found = (
        first == evaluate(call, make_application(*PARTNERS), now=NOW),
        first == evaluate(call, make_application(*PARTNERS[:2]), now=NOW),
        first == "report",
    )

    assert found == (True, False, False)
