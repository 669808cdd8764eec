"""The call endpoints of the JSON API: checking a consortium against a call."""

import csv
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "consortium-outside-europe.csv"


def _partners() -> list[dict[str, str | None]]:
    with EXAMPLE.open(encoding="utf-8", newline="") as stream:
        return [
            {key: value or None for key, value in row.items() if key != "id"}
            for row in csv.DictReader(stream)
        ]


def test_partners_from_outside_europe_are_judged_not_refused(client: TestClient) -> None:
    body = {"strand": "1", "duration_months": 36, "partners": _partners()}

    response = client.post("/api/calls/SMP-COSME-2024-CLUSTER/check", json=body)

    report = response.json()
    country = next(f for f in report["findings"] if f["rule"] == "eligible-country")
    assert response.status_code == 200
    assert report["verdict"] == "ineligible"
    assert [p["nuts"] for p in report["consortium"]["partners"]][3:] == [None, None, None, None]
    assert country["message"].endswith("US, CA and IL are not eligible countries for this call.")


def test_a_misspelt_country_is_answered_with_a_suggestion(client: TestClient) -> None:
    partners = _partners()[:1]
    partners[0] |= {"country": "Germani", "nuts": None}

    response = client.post(
        "/api/calls/SMP-COSME-2024-CLUSTER/check", json={"strand": "1", "partners": partners}
    )

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [
        ("country", '"Germani" is not a known country; did you mean Germany (DE)?')
    ]
