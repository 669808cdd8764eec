"""Calls of the catalogue, and eligibility checks of a consortium against them."""

from typing import Any

from fastapi import APIRouter

from clusterbridge.api.deps import CatalogueDep, NowDep
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.schemas.eligibility import CheckRequest
from clusterbridge.reports.calls import call_to_dict
from clusterbridge.reports.serialise import report_to_dict
from clusterbridge.services.calls.eligibility import check_application
from clusterbridge.services.consortia.file import parse_rows
from clusterbridge.services.text import cell_text

router = APIRouter(prefix="/calls", tags=["calls"], route_class=ExactNumbersRoute)


@router.get("")
def list_calls(catalogue: CatalogueDep, now: NowDep) -> list[dict[str, Any]]:
    """Every call, with its status and time left to the deadline."""
    return [call_to_dict(call, now=now, with_rules=False) for call in catalogue.calls]


@router.get("/{call_id}")
def read_call(call_id: str, catalogue: CatalogueDep, now: NowDep) -> dict[str, Any]:
    """One call with its facts, strands and rules, each rule citing the call text."""
    return call_to_dict(catalogue.get(call_id), now=now, with_rules=True)


@router.post("/{call_id}/check")
def check_consortium(
    call_id: str, body: CheckRequest, catalogue: CatalogueDep, now: NowDep
) -> dict[str, Any]:
    """Check a consortium against the call: the verdict and every rule with its reason and source.

    Partners are validated like the rows of a consortium file; every bad value is reported at
    once (422) with the partner's number and the field.
    """
    rows = [
        {key: cell_text(value) for key, value in partner.model_dump().items()}
        for partner in body.partners
    ]
    consortium = parse_rows(rows, source="The consortium", first_line=1, unit="partner")
    report = check_application(
        catalogue,
        call_id,
        consortium,
        now=now,
        strand=body.strand,
        duration_months=body.duration_months,
        requested_grant_eur=body.requested_grant_eur,
    )
    return report_to_dict(report)
