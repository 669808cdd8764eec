"""Partners from the United States, Canada, Israel and Ukraine, under each shipped call.

No call text makes these countries eligible, except Ukraine where the call lists it (cluster
excellence: "Eastern Neighbourhood countries: Armenia, Moldova, Ukraine") or refers to a list that
holds it (COSME participants; SMP associated countries, unverified). So a partner from the US, CA
or IL makes a consortium ineligible when it applies (coordinator, beneficiary, or an affiliated
entity where the call's rule concerns them), with a reason that names its country; as an
associated partner, whom no country rule concerns, it changes nothing. Each case adds the
partners to the call's eligible base (``tests.factories.applications``) and asserts exactly which
findings change.
"""

from datetime import UTC, datetime

import pytest

from clusterbridge.domain.consortium import Application
from clusterbridge.domain.eligibility.evaluate import evaluate
from clusterbridge.domain.enums import Role, RuleStatus, Verdict
from clusterbridge.services.calls.catalogue import load_catalogue
from tests.factories.applications import (
    make_cluster_excellence_consortium,
    make_eurocluster_2021,
    make_eurocluster_2024,
    make_strategic_alliance,
)
from tests.factories.partners import make_application, make_partner
from tests.rules.golden import changed, with_extra

pytestmark = pytest.mark.unit

CATALOGUE = load_catalogue()
NOW = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)
FAIL, WARNING = RuleStatus.FAIL, RuleStatus.WARNING
ELIGIBLE, INELIGIBLE = Verdict.ELIGIBLE, Verdict.INELIGIBLE
BOSTON, MONTREAL, TEL_AVIV, KHARKIV = (
    "Boston Cluster",
    "Montreal Cluster",
    "Tel Aviv Cluster",
    "Kharkiv Cluster",
)
PARTNERS = {BOSTON: "US", MONTREAL: "CA", TEL_AVIV: "IL", KHARKIV: "UA"}
BASES = {
    "SMP-COSME-2024-CLUSTER": make_eurocluster_2024(),
    "SMP-COSME-2021-CLUSTER": make_eurocluster_2021(),
    "cluster-excellence": make_cluster_excellence_consortium(),
    "strategic-alliances-2020": make_strategic_alliance(),
}
SMP_2024 = (
    "EU Member States, Overseas countries and territories (Annex II TFEU), EEA countries listed "
    "as taking part in the Single Market Programme, Non-EU countries associated to the SME "
    "strand of the Single Market Programme"
)
SMP_2021 = (
    "EU Member States, EEA countries outside the EU, Non-EU countries associated to the SME "
    "strand of the Single Market Programme"
)
COSME_LISTED = (
    "EU Member States, United Kingdom, Albania, Bosnia and Herzegovina, Kosovo, North Macedonia, "
    "Montenegro, Serbia, Turkey, Armenia, Moldova, Ukraine, Iceland"
)
COSME = "EU Member States, Non-EU countries participating in COSME 2014-2020"
NAMED = "Boston Cluster (US), Montreal Cluster (CA), Tel Aviv Cluster (IL)"
NOT_ELIGIBLE = "US, CA and IL are not eligible countries for this call."


def _with_partners(call_id: str, names: list[str], role: Role) -> Application:
    application = BASES[call_id]
    for name in names:
        application = with_extra(
            application, make_partner(name=name, country=PARTNERS[name], role=role)
        )
    return application


def _changes(call_id: str, application: Application) -> tuple[dict[str, object], Verdict]:
    call = CATALOGUE.get(call_id)
    report = evaluate(call, application, now=NOW)
    return changed(evaluate(call, BASES[call_id], now=NOW), report), report.verdict


def _message(call_id: str, application: Application, rule: str) -> str:
    report = evaluate(CATALOGUE.get(call_id), application, now=NOW)
    return next(f.message for f in report.findings if f.rule == rule)


@pytest.mark.parametrize(
    ("call_id", "message"),
    [
        pytest.param(
            "SMP-COSME-2024-CLUSTER",
            "3 of 7 applicants and affiliated entities are not established in an eligible "
            f"country ({SMP_2024}): {NAMED}. {NOT_ELIGIBLE}",
            id="smp-cosme-2024",
        ),
        pytest.param(
            "SMP-COSME-2021-CLUSTER",
            f"3 of 7 applicants are not established in an eligible country ({SMP_2021}): "
            f"{NAMED}. {NOT_ELIGIBLE}",
            id="smp-cosme-2021",
        ),
        pytest.param(
            "cluster-excellence",
            f"3 of 8 applicants are not established in an eligible country ({COSME_LISTED}): "
            f"{NAMED}. {NOT_ELIGIBLE}",
            id="cluster-excellence",
        ),
        pytest.param(
            "strategic-alliances-2020",
            "3 of 8 applicants and affiliated entities are not established in an eligible "
            f"country ({COSME}): {NAMED}. {NOT_ELIGIBLE}",
            id="strategic-alliances-2020",
        ),
    ],
)
def test_beneficiaries_from_us_ca_il_make_the_consortium_ineligible(
    call_id: str, message: str
) -> None:
    application = _with_partners(call_id, list(PARTNERS), Role.BENEFICIARY)

    changes = _changes(call_id, application)

    assert changes == ({"eligible-country": (FAIL, (BOSTON, MONTREAL, TEL_AVIV))}, INELIGIBLE)
    assert _message(call_id, application, "eligible-country") == message


@pytest.mark.parametrize("call_id", list(BASES))
def test_associated_partners_from_us_ca_il_ua_change_nothing(call_id: str) -> None:
    application = _with_partners(call_id, list(PARTNERS), Role.ASSOCIATED_PARTNER)

    changes = _changes(call_id, application)

    assert changes == ({}, ELIGIBLE)


@pytest.mark.parametrize(
    ("call_id", "expected"),
    [
        pytest.param(
            "SMP-COSME-2024-CLUSTER",
            {"eligible-country": (WARNING, (KHARKIV,))},
            id="smp-cosme-2024-unverified-list",
        ),
        pytest.param(
            "SMP-COSME-2021-CLUSTER",
            {"eligible-country": (WARNING, (KHARKIV,))},
            id="smp-cosme-2021-unverified-list",
        ),
        pytest.param("cluster-excellence", {}, id="cluster-excellence-lists-ukraine"),
        pytest.param("strategic-alliances-2020", {}, id="strategic-alliances-cosme-country"),
    ],
)
def test_beneficiary_from_ukraine_is_eligible_where_the_call_lists_it(
    call_id: str, expected: dict[str, object]
) -> None:
    application = _with_partners(call_id, [KHARKIV], Role.BENEFICIARY)

    changes = _changes(call_id, application)

    assert changes == (expected, ELIGIBLE)


def test_countries_outside_the_call_are_not_counted_among_its_countries() -> None:
    """Cluster excellence: “established in a minimum of three different EU Member States or
    countries participating in the COSME programme”: Ukraine counts, the US, CA and IL do not."""
    application = make_application(
        make_partner(name="Munich Cluster", country="DE", nuts="DE212", role=Role.COORDINATOR),
        *(make_partner(name=name, country=country) for name, country in PARTNERS.items()),
        duration_months=24,
    )

    message = _message("cluster-excellence", application, "three-countries")

    assert message == (
        f"The applicants are established in 2 different countries of: {COSME_LISTED} (DE, UA); "
        "at least 3 needed."
    )
