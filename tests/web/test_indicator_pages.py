"""The indicators' dashboard: a partner defines indicators (every mistake in place), links an
activity, enters a manual value with evidence, issues a frozen report; the page, the CSV and
the XLSX show the same figures; strangers get 404. One app
with its clock at the end of 2026."""

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.config import Settings
from clusterbridge.db.models import (
    Indicator,
    IndicatorEvidence,
    IndicatorReportEvidence,
    IndicatorValue,
    MonitoredProject,
    Organisation,
)
from clusterbridge.db.session import Database
from clusterbridge.domain.indicators import MAX_DEFINITION
from clusterbridge.services import monitoring
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.services.uploads import Upload
from clusterbridge.web.app import create_app
from tests.factories.indicators import make_indicator_world
from tests.factories.sme_services import make_project
from tests.factories.users import make_user
from tests.web.helpers import (
    ODD_FILE_NAME,
    assert_served_under_its_owner_only,
    csrf_token,
    sign_in,
)
from tests.web.refusals import invalid_fields, summary_items

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
PDF = b"%PDF-1.4 attendance"


@pytest.fixture
def ids(clean_database: Database) -> dict[str, int]:
    with clean_database.unit_of_work() as session:
        world = make_indicator_world(session)
        make_user(session, email="sam@example.org", name="Sam")
        return {"project": world.project.id, "E1": world.events["E1"].id}


def _cells(html: str, testid: str) -> list[list[str]]:
    table = html.split(f'data-testid="{testid}"')[1].split("</table>", maxsplit=1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    cells = [
        [
            " ".join(re.sub(r"<[^>]+>", "", c).split())
            for c in re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S)
        ]
        for r in rows
    ]
    return [row for row in cells if row]


def test_a_partner_defines_indicators_enters_values_and_freezes_a_report(
    late_client: TestClient, ids: dict[str, int]
) -> None:
    client, base = late_client, f"/projects/{ids['project']}/indicators"
    sign_in(client, "manager@ind.example.org")
    token = csrf_token(client, base)
    wrong = client.post(
        base,
        data={
            "name": "",
            "unit": "SMEs",
            "source": "nope",
            "targets": ["4", "x"],
            "csrf_token": token,
        },
    )
    assert wrong.status_code == 422
    # Every field at once: a number that does not read no longer hides the missing name.
    assert re.findall(r'data-testid="error-([\w.]+)">([^<]*)<', wrong.text) == [
        ("name", "is required"),
        ("source", "choose one of the sources listed"),
        ("targets.2", "&#34;x&#34; is not a number"),
    ]
    smes = {
        "name": "SMEs supported",
        "unit": "SMEs",
        "source": "smes_by_country",
        "target": "10",
        "targets": ["4", "6"],
        "csrf_token": token,
    }
    assert client.post(base, data=smes, follow_redirects=False).status_code == 303
    manual = {
        "name": "Webinars",
        "unit": "webinars",
        "source": "",
        "targets": ["2", ""],
        "csrf_token": token,
    }
    client.post(base, data=manual)
    page = client.get(base).text
    webinars = re.findall(r'id="indicator-(\d+)"', page)[1]

    saved = client.post(
        f"{base}/{webinars}/values",
        data={"period": "1", "value": "3", "note": "Three webinars", "csrf_token": token},
        files={"files": ("attendance.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    page = client.get(base).text

    assert saved.status_code == 303
    smes_id = re.findall(r'id="indicator-(\d+)"', page)[0]
    assert _cells(page, f"values-{smes_id}") == [
        ["P1", "2026-01-01 – 2026-06-30", "4", "3", "75.0 %"],
        ["P2", "2026-07-01 – 2026-12-31", "6", "2", "33.3 %"],
        ["To date", "2026-01-01 – 2026-12-31", "10", "3", "30.0 %"],
    ]
    assert _cells(page, f"breakdown-{smes_id}") == [["DE", "1"], ["FR", "1"], ["IT", "1"]]
    progress = page.split(f'<desc id="progress-desc-{smes_id}">')[1].split("<")[0]
    assert progress == "3 of 10 SMEs: 30.0 % of the target."
    assert _cells(page, f"values-{webinars}")[0] == [
        "P1",
        "2026-01-01 – 2026-06-30",
        "2",
        "3",
        "150.0 %",
        "Three webinars attendance.pdf",
    ]
    assert '<title id="periods-title-' in page

    csv_rows = list(csv.reader(io.StringIO(client.get(f"{base}/export?format=csv").text)))
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}/export?format=xlsx").content))[
        "Indicators"
    ]
    xlsx_rows = [
        ["" if c is None else c.date().isoformat() if isinstance(c, datetime) else str(c)
         for c in r]
        for r in sheet.iter_rows(values_only=True)
    ]  # fmt: skip
    assert csv_rows[1] == [
        "SMEs supported",
        "SMEs",
        "SMEs supported, by country",
        "P1",
        "2026-01-01",
        "2026-06-30",
        "",
        "4",
        "3",
        "75",
    ]
    assert csv_rows == xlsx_rows

    issued = client.post(
        f"/projects/{ids['project']}/reports",
        data={"period": "1", "csrf_token": token},
        follow_redirects=False,
    )
    client.post(
        f"/projects/{ids['project']}/links/event/{ids['E1']}/remove", data={"csrf_token": token}
    )
    report = client.get(issued.headers["location"]).text
    assert _cells(report, "report-lines") == [
        [
            "SMEs supported (SMEs)",
            "SMEs supported, by country",
            "4",
            "3",
            "DE: 1; FR: 1; IT: 1",
            "–",
        ],
        ["Webinars (webinars)", "Manual", "2", "3", "–", "Three webinars attendance.pdf"],
    ]
    evidence = re.findall(
        r'href="(/projects/\d+/(?:indicator|report)-evidence/\d+)"', report + page
    )
    assert [client.get(link).content for link in evidence] == [PDF, PDF]
    later = client.get(base).text
    # E1 no longer counts, but Alpha and Beta still do by their exchange, Delta by its payment.
    assert 'data-testid="links"' in later
    linked = later.split('data-testid="links"')[1].split("</ul>")[0]
    # The names listed, not the whole markup (a form's random CSRF token may hold "E1").
    names = re.findall(r'<span class="badge">\w+</span> ([^<]*)</p>', linked)
    assert names == ["E2", "E4", "IND partnership", "IND-OPEN: Open call"]
    assert [row[3] for row in _cells(later, f"values-{smes_id}")] == ["3", "2", "3"]

    client.post("/sign-out", data={"csrf_token": token})
    sign_in(client, "sam@example.org")
    assert client.get(base).status_code == 404
    assert client.get(issued.headers["location"]).status_code == 404
    assert [client.get(link).status_code for link in evidence] == [404, 404]


def test_a_definition_of_the_limits_length_is_saved_whole_and_a_longer_one_kept(
    late_client: TestClient, ids: dict[str, int], clean_database: Database
) -> None:
    client, base = late_client, f"/projects/{ids['project']}/indicators"
    sign_in(client, "manager@ind.example.org")
    indicator = {"name": "Cobot days", "unit": "days", "source": "",
                 "csrf_token": csrf_token(client, base)}  # fmt: skip
    long, whole = "d" * (MAX_DEFINITION * 2), "d" * MAX_DEFINITION

    shown = client.get(base).text
    refused = client.post(base, data=indicator | {"definition": long})
    saved = client.post(base, data=indicator | {"definition": whole}, follow_redirects=False)

    assert '<textarea id="ind-definition" name="definition" rows="2" >' in shown
    assert refused.status_code == 422
    assert summary_items(refused.text) == [
        f"Definition: must be at most {MAX_DEFINITION:,} characters, not {len(long):,}"
    ]
    assert invalid_fields(refused.text) == [
        ("definition", f"must be at most {MAX_DEFINITION:,} characters, not {len(long):,}")
    ]
    assert f'aria-describedby="definition-error">{long}</textarea>' in refused.text
    assert saved.status_code == 303
    with clean_database.unit_of_work() as session:
        named = sa.select(Indicator.definition).where(Indicator.name == "Cobot days")
        assert session.scalars(named).all() == [whole]


def test_an_indicator_in_euros_reads_as_amounts_and_exports_numbers(
    late_client: TestClient, ids: dict[str, int]
) -> None:
    client, base = late_client, f"/projects/{ids['project']}/indicators"
    sign_in(client, "manager@ind.example.org")
    token = csrf_token(client, base)
    paid = {
        "name": "Support paid",
        "unit": "EUR",
        "source": "financial_support_paid",
        "baseline": "0",
        "target": "EUR 20,000",
        "targets": ["EUR 12,000", "8,000"],
        "csrf_token": token,
    }
    vouchers = {"name": "Vouchers", "unit": "€", "source": "", "csrf_token": token}
    client.post(base, data=paid)
    client.post(base, data=vouchers)
    vouchers_id = re.findall(r'id="indicator-(\d+)"', client.get(base).text)[1]
    values = f"{base}/{vouchers_id}/values"

    wrong = client.post(values, data={"period": "1", "value": "EUR 12,34,5", "csrf_token": token})
    client.post(values, data={"period": "1", "value": "EUR 1,250.50", "csrf_token": token})
    page = client.get(base).text
    issued = client.post(
        f"/projects/{ids['project']}/reports",
        data={"period": "1", "csrf_token": token},
        follow_redirects=False,
    )
    report = client.get(issued.headers["location"]).text
    csv_rows = list(csv.reader(io.StringIO(client.get(f"{base}/export?format=csv").text)))

    assert re.findall(r'data-testid="error-([\w.-]+)">([^<]*)<', wrong.text) == [
        (
            f"value-{vouchers_id}",
            "&#34;EUR 12,34,5&#34; is not an amount in euros, such as EUR 350,000",
        )
    ]
    paid_id = re.findall(r'id="indicator-(\d+)"', page)[0]
    assert _cells(page, f"values-{paid_id}") == [
        ["P1", "2026-01-01 – 2026-06-30", "EUR 12,000", "EUR 12,000", "100.0 %"],
        ["P2", "2026-07-01 – 2026-12-31", "EUR 8,000", "EUR 5,000.50", "62.5 %"],
        ["To date", "2026-01-01 – 2026-12-31", "EUR 20,000", "EUR 17,000.50", "85.0 %"],
    ]
    total = page.split(f'data-testid="total-{paid_id}">')[1].split("<")[0]
    assert total == "EUR 17,000.50 of EUR 20,000 (85.0 %)"
    assert re.findall(r'<desc id="[a-z]+-desc-\d+">([^<]*)<', page) == [
        "EUR 17,000.50 of EUR 20,000: 85.0 % of the target.",
        "P1: EUR 12,000 (target EUR 12,000). P2: EUR 5,000.50 (target EUR 8,000). ",
        "IT: EUR 15,000.50. DE: EUR 2,000. ",
        "No target to measure against; EUR 1,250.50 to date.",
        "P1: EUR 1,250.50. P2: –. ",
    ]
    assert _cells(report, "report-lines") == [
        [
            "Support paid (EUR)",
            "Financial support paid to SMEs (EUR)",
            "EUR 12,000",
            "EUR 12,000",
            "IT: EUR 10,000; DE: EUR 2,000",
            "–",
        ],
        ["Vouchers (€)", "Manual", "–", "EUR 1,250.50", "–", "–"],
    ]
    assert csv_rows[1][6:] == ["", "12000.00", "12000.00", "100"]


def test_a_value_for_a_period_not_started_is_refused_beside_the_value(
    clean_database: Database, settings: Settings, ids: dict[str, int]
) -> None:
    spring = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    state = AppState(settings, clean_database, load_catalogue(), clock=lambda: spring)
    with TestClient(create_app(state), base_url="http://testserver") as client:
        base = f"/projects/{ids['project']}/indicators"
        sign_in(client, "manager@ind.example.org")
        token = csrf_token(client, base)
        client.post(base, data={"name": "Webinars", "unit": "webinars", "source": "",
                                "csrf_token": token})  # fmt: skip
        webinars = re.findall(r'id="indicator-(\d+)"', client.get(base).text)[0]

        early = client.post(f"{base}/{webinars}/values",
                            data={"period": "2", "value": "3", "csrf_token": token})  # fmt: skip
        page = client.get(base).text

    assert early.status_code == 422
    assert re.findall(r'data-testid="error-([\w.-]+)">([^<]*)<', early.text) == [
        # Beside the value form's Period field, which it is about.
        (f"period-{webinars}", "period 2 has not started (it starts on 01 July 2026)")
    ]
    assert [row[:2] for row in _cells(page, f"values-{webinars}")] == [
        ["P1", "2026-01-01 – 2026-03-01"],
        ["To date", "2026-01-01 – 2026-03-01"],
    ]


#: Half past eleven in the evening of 30 June 2026 in UTC: already 1 July (01:30) in Brussels,
#: the day period 2 starts.
LATE_EVENING_UTC = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("time_zone", "periods"), [("Europe/Brussels", ["1", "2"]), ("UTC", ["1"])]
)
def test_the_dashboard_offers_the_period_that_started_today_in_the_sites_time_zone(
    clean_database: Database,
    settings: Settings,
    ids: dict[str, int],
    time_zone: str,
    periods: list[str],
) -> None:
    site = settings.model_copy(update={"time_zone": time_zone})
    state = AppState(site, clean_database, load_catalogue(), clock=lambda: LATE_EVENING_UTC)
    with TestClient(create_app(state), base_url="http://testserver") as client:
        sign_in(client, "manager@ind.example.org")

        page = client.get(f"/projects/{ids['project']}/indicators")

    select = page.text.split('id="report-period"')[1].split("</select>")[0]
    assert page.status_code == 200
    assert re.findall(r'<option value="(\d+)"', select) == periods


@pytest.fixture
def two_projects(clean_database: Database) -> dict[str, list[int]]:
    """IND and a second project TWO, both coordinated by Mona's cluster; in each a manual value
    with one evidence file named ``ODD_FILE_NAME`` and a report of period 1 that copies it."""
    with clean_database.unit_of_work() as session:
        world = make_indicator_world(session)
        coordinator = session.get_one(Organisation, world.project.members[0].organisation_id)
        second = make_project(
            session, coordinator=coordinator, acronym="TWO", start=date(2026, 1, 1)
        )
        for project in (world.project, second):
            draft = monitoring.IndicatorDraft(name="Webinars", unit="webinars")
            indicator = monitoring.create_indicator(session, world.manager, project.id, draft)
            monitoring.record_value(
                session, world.manager, indicator.id, period=1, value=Decimal(3),
                uploads=[Upload(ODD_FILE_NAME, "application/pdf", PDF)], now=NOW, today=NOW.date(),
            )  # fmt: skip
            monitoring.issue_report(
                session, world.manager, project.id, 1, now=NOW, today=NOW.date()
            )
        return {
            "projects": [world.project.id, second.id],
            "indicator": list(session.scalars(sa.select(IndicatorEvidence.id).order_by("id"))),
            "report": list(session.scalars(sa.select(IndicatorReportEvidence.id).order_by("id"))),
        }


@pytest.mark.parametrize("kind", ["indicator", "report"])
def test_an_evidence_file_downloads_under_its_own_project_only(
    late_client: TestClient, two_projects: dict[str, list[int]], kind: str
) -> None:
    (project, _second), (own, others) = two_projects["projects"], two_projects[kind]
    sign_in(late_client, "manager@ind.example.org")

    assert_served_under_its_owner_only(
        late_client,
        f"/projects/{project}/{kind}-evidence",
        own=own,
        others=others,
        content=PDF,
        message="No such file among your projects&#39;.",
    )


def test_the_export_is_named_after_an_acronym_in_any_script(
    late_client: TestClient, clean_database: Database, ids: dict[str, int]
) -> None:
    with clean_database.unit_of_work() as session:
        session.get_one(MonitoredProject, ids["project"]).acronym = 'Ōsaka "IND"'
    sign_in(late_client, "manager@ind.example.org")

    exported = late_client.get(f"/projects/{ids['project']}/indicators/export?format=csv")

    assert (exported.status_code, exported.headers["content-disposition"]) == (
        200,
        'attachment; filename="Osaka__IND_-indicators-2026-12-31.csv"; '
        "filename*=UTF-8''%C5%8Csaka%20%22IND%22-indicators-2026-12-31.csv",
    )


@pytest.mark.parametrize(
    ("time_zone", "day"), [("Europe/Brussels", "2026-07-01"), ("UTC", "2026-06-30")]
)
def test_the_export_is_named_after_the_sites_date(
    clean_database: Database, settings: Settings, ids: dict[str, int], time_zone: str, day: str
) -> None:
    site = settings.model_copy(update={"time_zone": time_zone})
    state = AppState(site, clean_database, load_catalogue(), clock=lambda: LATE_EVENING_UTC)
    with TestClient(create_app(state), base_url="http://testserver") as client:
        sign_in(client, "manager@ind.example.org")

        exported = client.get(f"/projects/{ids['project']}/indicators/export?format=csv")

    assert exported.headers["content-disposition"] == (
        f'attachment; filename="IND-indicators-{day}.csv"'
    )


def test_a_partner_cannot_link_an_event_it_does_not_run(
    late_client: TestClient, ids: dict[str, int]
) -> None:
    client, base = late_client, f"/projects/{ids['project']}/indicators"
    sign_in(client, "manager@ind.example.org")
    token = csrf_token(client, base)
    client.post(f"/projects/{ids['project']}/links/event/{ids['E1']}/remove",
                data={"csrf_token": token})  # fmt: skip

    page = client.get(base).text
    refused = client.post(f"/projects/{ids['project']}/links",
                          data={"choice": f"event:{ids['E1']}", "csrf_token": token})  # fmt: skip

    assert re.findall(r'<option value="([a-z]+:\d+)">', page) == []
    assert refused.status_code == 403
    assert (
        "You do not run the event E1: only its organiser or an administrator may count it for "
        "a project." in refused.text
    )


def test_a_value_that_is_no_number_is_refused_with_the_other_problems_at_once(
    late_client: TestClient, ids: dict[str, int]
) -> None:
    # The walk of 2026-12-07: "lots" and a text file as evidence named the value alone; the
    # file was refused only once the value was mended.
    client, base = late_client, f"/projects/{ids['project']}/indicators"
    sign_in(client, "manager@ind.example.org")
    token = csrf_token(client, base)
    client.post(base, data={"name": "Webinars", "unit": "webinars", "source": "",
                            "csrf_token": token})  # fmt: skip
    webinars = re.findall(r'id="indicator-(\d+)"', client.get(base).text)[0]

    refused = client.post(
        f"{base}/{webinars}/values",
        data={"period": "1", "value": "lots", "note": "n" * 2001, "csrf_token": token},
        files={"files": ("notes.txt", b"plain text", "text/plain")},
    )

    assert refused.status_code == 422
    assert re.findall(r'data-testid="error-([\w.-]+)">([^<]*)<', refused.text) == [
        (f"value-{webinars}", "&#34;lots&#34; is not a number"),
        (f"note-{webinars}", "must be at most 2,000 characters, not 2,001"),
        (f"evidence-{webinars}", "notes.txt: must be a PDF, JPEG or PNG file"),
    ]


def test_a_long_note_and_an_ambiguous_value_are_refused_beside_them_and_kept(
    late_client: TestClient, ids: dict[str, int]
) -> None:
    client, base = late_client, f"/projects/{ids['project']}/indicators"
    sign_in(client, "manager@ind.example.org")
    token = csrf_token(client, base)
    client.post(base, data={"name": "Webinars", "unit": "webinars", "source": "",
                            "csrf_token": token})  # fmt: skip
    webinars = re.findall(r'id="indicator-(\d+)"', client.get(base).text)[0]
    note = "n" * 3000

    long_note = client.post(f"{base}/{webinars}/values",
                            data={"period": "1", "value": "3", "note": note,
                                  "csrf_token": token})  # fmt: skip
    ambiguous = client.post(f"{base}/{webinars}/values",
                            data={"period": "1", "value": "1.000", "note": "short",
                                  "csrf_token": token})  # fmt: skip
    decimal_comma = client.post(f"{base}/{webinars}/values",
                                data={"period": "1", "value": "1,5", "csrf_token": token},
                                follow_redirects=False)  # fmt: skip
    page = client.get(base).text

    assert long_note.status_code == 422
    assert re.findall(r'data-testid="error-([\w.-]+)">([^<]*)<', long_note.text) == [
        (f"note-{webinars}", "must be at most 2,000 characters, not 3,000"),
    ]
    assert 'name="note" rows="2" aria-invalid="true"' in long_note.text
    assert f">{note}</textarea>" in long_note.text
    assert re.findall(r'data-testid="error-([\w.-]+)">([^<]*)<', ambiguous.text) == [
        (f"value-{webinars}", "is ambiguous: &#34;1.000&#34; may mean 1 or 1000; write 1000 or 1"),
    ]
    assert 'value="1.000"' in ambiguous.text
    assert ">short</textarea>" in ambiguous.text
    assert decimal_comma.status_code == 303
    assert _cells(page, f"values-{webinars}")[0][:4] == [
        "P1",
        "2026-01-01 – 2026-06-30",
        "–",
        "1.50",
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1e-400", "&#34;1e-400&#34; is too small to store: write 0 or a number with fewer decimals"),
        ("inf", "&#34;inf&#34; is not a number"),
        ("nan", "&#34;nan&#34; is not a number"),
        ("1e400", "must have at most 100 digits"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("field", ["baseline", "target", "targets.1", "value"])
def test_a_number_that_is_no_number_is_refused_beside_its_field_not_read_as_0(
    late_client: TestClient, clean_database: Database, ids: dict[str, int], field: str,
    text: str, reason: str,
) -> None:  # fmt: skip
    client, base = late_client, f"/projects/{ids['project']}/indicators"
    sign_in(client, "manager@ind.example.org")
    token = csrf_token(client, base)
    client.post(base, data={"name": "Webinars", "unit": "webinars", "csrf_token": token})
    webinars = re.findall(r'id="indicator-(\d+)"', client.get(base).text)[0]
    action, key, data = (
        (f"{base}/{webinars}/values", f"value-{webinars}", {"period": "1", "value": text})
        if field == "value"
        else (base, field, {"name": "Trainings", "unit": "trainings",
                            field.split(".", maxsplit=1)[0]: text})
    )  # fmt: skip

    response = client.post(action, data=data | {"csrf_token": token})

    assert response.status_code == 422
    assert re.findall(r'data-testid="error-([\w.-]+)">([^<]*)<', response.text) == [(key, reason)]
    with clean_database.unit_of_work() as session:
        names = session.scalars(sa.select(Indicator.name)).all()
        values = session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue))
        assert (names, values) == (["Webinars"], 0)
