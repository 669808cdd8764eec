"""The readiness self-assessment downloads as CSV and XLSX from its page: each question with its
area, weight, answer, comment and evidence, each area's score and the overall score, as the page
shows them; only the organisation's members get it. Runs on SQLite and PostgreSQL."""

import io
from decimal import Decimal

import openpyxl
import pytest
from fastapi.testclient import TestClient

from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.db.session import Database
from clusterbridge.services import monitoring
from tests.readiness_world import EXPECTED_CSV, make_assessed_cluster
from tests.web.helpers import ODD_FILE_NAME, sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def cluster(clean_database: Database) -> int:
    with clean_database.unit_of_work() as session:
        return make_assessed_cluster(session)


def test_the_page_links_both_files_and_the_csv_is_the_assessment(
    client: TestClient, cluster: int
) -> None:
    sign_in(client, "maria@munich.example")
    page = client.get(f"/organisations/{cluster}/readiness").text

    csv = client.get(f"/organisations/{cluster}/readiness/export?format=csv")

    export = f"/organisations/{cluster}/readiness/export"
    assert f'<a href="{export}?format=xlsx" data-testid="export-xlsx">Download XLSX</a>' in page
    assert f'<a href="{export}?format=csv" data-testid="export-csv">Download CSV</a>' in page
    assert csv.status_code == 200
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    # The site's day (Europe/Brussels) of the app's clock, 1 December 2024.
    assert csv.headers["content-disposition"] == (
        f'attachment; filename="readiness-{cluster}-2024-12-01.csv"'
    )
    assert csv.content.decode("utf-8") == EXPECTED_CSV


def test_the_xlsx_has_the_same_rows_with_numbers_as_numbers(
    client: TestClient, cluster: int
) -> None:
    sign_in(client, "maria@munich.example")

    xlsx = client.get(f"/organisations/{cluster}/readiness/export")

    assert xlsx.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["Readiness"]
    rows = [list(row) for row in workbook["Readiness"].iter_rows(values_only=True)]
    assert rows[:4] == [
        ["Area", "Question", "Weight", "Answer", "Level", "Comment", "Evidence", "Score (%)"],
        [
            "Structure of the cluster", "The cluster has 15 members, at least.", 2,
            "3 – mostly", 3, 'Board minutes, "signed" in 2025',
            f"{ODD_FILE_NAME}; members.png", None,
        ],
        [
            "Structure of the cluster", "Members come from three countries.", 1,
            "Not answered", None, None, None, None,
        ],
        [
            "Management and governance", "A board meets every quarter.", 1,
            "4 – fully, with evidence", 4, "=the minutes", None, None,
        ],
    ]  # fmt: skip
    assert rows[4] == [
        "Structure of the cluster", "Score of the area", None, "1 of 2 answered",
        None, None, None, 75,
    ]  # fmt: skip
    assert rows[-1] == [
        "Overall", "Overall score", None, "2 of 3 answered", None, None, None, 83.3,
    ]  # fmt: skip
    assert len(rows) == 11


def test_the_rows_follow_the_pages_scores(clean_database: Database, cluster: int) -> None:
    with clean_database.unit_of_work() as session:
        maria = get_user_by_email(session, "maria@munich.example")
        assert maria is not None
        readiness = monitoring.get_readiness(session, maria, cluster)

        rows = monitoring.readiness_rows(readiness)

    assert (readiness.scores, readiness.overall) == (
        {"structure": Decimal("75.0"), "governance": Decimal("100.0")},
        Decimal("83.3"),
    )
    assert [row[7] for row in rows[3:]] == [
        Decimal("75.0"), Decimal("100.0"), None, None, None, None, Decimal("83.3"),
    ]  # fmt: skip


def test_a_stranger_gets_no_file(client: TestClient, cluster: int) -> None:
    sign_in(client, "sam@example.org")

    stranger = client.get(f"/organisations/{cluster}/readiness/export?format=csv")

    assert stranger.status_code == 404
    assert "Munich Cluster" not in stranger.text


def test_a_format_of_no_table_is_refused(client: TestClient, cluster: int) -> None:
    sign_in(client, "maria@munich.example")

    pdf = client.get(f"/organisations/{cluster}/readiness/export?format=pdf")

    assert pdf.status_code == 422
    assert "text/csv" not in pdf.headers["content-type"]
