"""``clusterbridge check`` as a user runs it: verdicts, formats, exit codes, bad input."""

import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import typer
from pypdf import PdfReader

from clusterbridge.cli.check import parse_euros
from tests.cli.conftest import Invoke

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("call", "options", "exit_code", "verdict"),
    [
        ("SMP-COSME-2024-CLUSTER", ["--strand", "1", "--duration-months", "36"], 0, "eligible"),
        ("SMP-COSME-2024-CLUSTER", ["--strand", "2"], 1, "incomplete"),
        (
            "SMP-COSME-2021-CLUSTER",
            ["--strand", "digital", "--duration-months", "30"],
            0,
            "eligible",
        ),
        (
            "strategic-alliances-2020",
            ["--duration-months", "24", "--requested-grant", "2 500 000"],
            0,
            "eligible",
        ),
        ("cluster-excellence", ["--duration-months", "24"], 1, "ineligible"),
    ],
)
def test_check_template_each_call_verdict_and_exit_code(
    invoke: Invoke, template: Path, call: str, options: list[str], exit_code: int, verdict: str
) -> None:
    result = invoke("check", str(template), "--call", call, *options, "--format", "json")

    report = json.loads(result.stdout)
    assert (result.exit_code, report["verdict"], report["call"]["id"]) == (exit_code, verdict, call)


def test_check_json_has_the_documented_shape(invoke: Invoke, template: Path) -> None:
    result = invoke(
        "check",
        str(template),
        "--call",
        "SMP-COSME-2024-CLUSTER",
        "--strand",
        "1",
        "--duration-months",
        "36",
        "--format",
        "json",
    )

    report = json.loads(result.stdout)
    finding = report["findings"][6]
    assert list(report) == [
        "call",
        "strand",
        "duration_months",
        "requested_grant_eur",
        "verdict",
        "counts",
        "checked_at",
        "consortium",
        "findings",
    ]
    assert report["counts"] == {"pass": 8, "fail": 0, "warning": 1, "unknown": 0}
    assert [f["rule"] for f in report["findings"]] == [
        "one-strand",
        "legal-entity",
        "eligible-country",
        "applicant-type",
        "min-applicants",
        "cluster-organisations-in-three-member-states",
        "half-eccp-registered",
        "less-developed-region",
        "max-duration",
    ]
    assert finding == {
        "rule": "half-eccp-registered",
        "title": "At least half of the partners are cluster organisations or networks registered on the ECCP",
        "status": "pass",
        "message": "4 of 6 applicants are cluster organisations or cluster networks registered on the ECCP; at least half are required.",
        "blocking": True,
        "partners": [],
        "source": {
            "document": "004",
            "document_title": "EISMEA call page SMP-COSME-2024-CLUSTER",
            "section": "Eligible applicants",
            "quote": "at least half of the partners in each consortium (Eurocluster) must be cluster organisations or cluster networks registered or having submitted a registration on the ECCP by the submission deadline of this call for proposals",
        },
    }


def test_check_failing_consortium_names_partners_and_exits_1(
    invoke: Invoke, tmp_path: Path
) -> None:
    file = tmp_path / "two.csv"
    file.write_text(
        "name,country,type,role,legal_entity,eccp_registered,nuts\n"
        "Alpha Cluster,DE,cluster_organisation,coordinator,yes,yes,DE212\n"
        "Beta Cluster,CH,cluster_organisation,beneficiary,yes,no,\n",
        encoding="utf-8",
    )

    result = invoke(
        "check",
        str(file),
        "--call",
        "SMP-COSME-2024-CLUSTER",
        "--strand",
        "2",
        "--duration-months",
        "24",
    )
    as_json = invoke(
        "check", str(file), "--call", "SMP-COSME-2024-CLUSTER", "--strand", "2", "--format", "json"
    )

    country = json.loads(as_json.stdout)["findings"][2]
    assert result.exit_code == 1
    assert (
        "Verdict: INELIGIBLE (5 pass, 4 fail, 0 warning, 0 unknown)" in result.stdout.splitlines()
    )
    assert (country["status"], country["partners"]) == ("fail", ["Beta Cluster"])
    assert country["message"] == (
        "1 of 2 applicants and affiliated entities are not established in an eligible country "
        "(EU Member States, Overseas countries and territories (Annex II TFEU), EEA countries "
        "listed as taking part in the Single Market Programme, Non-EU countries associated to "
        "the SME strand of the Single Market Programme): Beta Cluster (CH). CH is not an "
        "eligible country for this call."
    )


def test_check_text_report_cites_every_rule(invoke: Invoke, template: Path) -> None:
    result = invoke(
        "check", str(template), "--call", "cluster-excellence", "--duration-months", "22"
    )

    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "cluster-excellence: Strengthen cluster management excellence and facilitate partnerships"
    )
    assert lines[1] == "Call status: no deadline stated in the call text"
    assert sum(1 for line in lines if line.strip().startswith("Source: ")) == 8


def test_check_html_checklist_is_a_complete_page(
    invoke: Invoke, template: Path, tmp_path: Path
) -> None:
    output = tmp_path / "checklist.html"

    result = invoke(
        "check",
        str(template),
        "--call",
        "SMP-COSME-2024-CLUSTER",
        "--strand",
        "1",
        "--duration-months",
        "36",
        "--requested-grant",
        "EUR 2,500,000",
        "--format",
        "html",
        "--output",
        str(output),
    )

    html = output.read_text(encoding="utf-8")
    assert result.exit_code == 0
    assert result.stderr == f"Written to {output}\n"
    assert html.startswith("<!DOCTYPE html>")
    assert html.count('<span class="badge pass">Pass</span></td>') == 8
    assert "Klaster Wodorowy Podkarpacie" in html
    assert "<dt>Requested grant</dt><dd>EUR 2,500,000</dd>" in html
    assert sorted(set(re.findall(r"<cite>([^,<]+),", html))) == [
        "EISMEA call page SMP-COSME-2024-CLUSTER"
    ]


def test_check_pdf_checklist_has_the_verdict_and_every_rule(
    invoke: Invoke, template: Path, tmp_path: Path
) -> None:
    output = tmp_path / "checklist.pdf"

    invoke(
        "check",
        str(template),
        "--call",
        "SMP-COSME-2024-CLUSTER",
        "--strand",
        "1",
        "--duration-months",
        "36",
        "--format",
        "pdf",
        "--output",
        str(output),
    )

    text = " ".join(page.extract_text() for page in PdfReader(output).pages)
    assert output.read_bytes()[:5] == b"%PDF-"
    assert "ELIGIBLE" in text.upper()
    assert all(rule in text for rule in ("one-strand", "half-eccp-registered", "max-duration"))


def test_check_all_calls_ranks_best_first(invoke: Invoke, template: Path) -> None:
    result = invoke(
        "check",
        str(template),
        "--all-calls",
        "--duration-months",
        "24",
        "--requested-grant",
        "2500000",
        "--format",
        "json",
    )

    results = json.loads(result.stdout)["results"]
    assert result.exit_code == 0
    assert [(r["call"]["id"], r["call"]["status"], r["verdict"]) for r in results] == [
        ("SMP-COSME-2021-CLUSTER", "no_deadline", "eligible"),
        ("strategic-alliances-2020", "closed", "eligible"),
        ("SMP-COSME-2024-CLUSTER", "closed", "eligible"),
        ("cluster-excellence", "no_deadline", "ineligible"),
    ]
    assert results[2]["strands"] == ["1", "2"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--call", "NOPE"],
            'Error: Unknown call "NOPE". Known calls: SMP-COSME-2021-CLUSTER, SMP-COSME-2024-CLUSTER, cluster-excellence, strategic-alliances-2020.',
        ),
        (
            ["--call", "SMP-COSME-2024-CLUSTER", "--strand", "3"],
            '  - --strand: "3" is not a strand of SMP-COSME-2024-CLUSTER; strands: 1, 2.',
        ),
        (
            ["--call", "SMP-COSME-2024-CLUSTER", "--duration-months", "0"],
            "  - --duration-months: must be a positive number of months, not 0.",
        ),
        ([], "Error: give either --call ID or --all-calls."),
        (
            ["--call", "SMP-COSME-2024-CLUSTER", "--all-calls"],
            "Error: give either --call ID or --all-calls.",
        ),
        (
            ["--all-calls", "--format", "pdf"],
            "Error: --all-calls reports as text or json, and takes no --strand.",
        ),
    ],
)
def test_check_bad_options_exit_2_with_message(
    invoke: Invoke, template: Path, args: list[str], message: str
) -> None:
    result = invoke("check", str(template), *args)

    assert result.exit_code == 2
    assert message in result.stderr.splitlines()
    assert result.stdout == ""


def test_check_bad_file_reports_every_cell_and_exits_2(invoke: Invoke, tmp_path: Path) -> None:
    file = tmp_path / "bad.csv"
    file.write_text(
        "name,country,nuts,type,legal_entity\n"
        "Alpha,XX,,cluster_organisation,yes\n"
        "Beta,FR,DE212,startup,maybe\n",
        encoding="utf-8",
    )

    result = invoke("check", str(file), "--call", "SMP-COSME-2024-CLUSTER")

    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "Error: bad.csv has 4 problems."
    assert len(result.stderr.splitlines()) == 5
    assert result.stdout == ""


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_check_names_each_blank_required_cell_once_in_either_format(
    invoke: Invoke, tmp_path: Path, file_format: str
) -> None:
    # A blank name read "line 3, name: name is required": the field named twice. An empty cell
    # and one of spaces read the same.
    rows = [["name", "country"], ["Alpha", "DE"], ["", "FR"], ["   ", "FR"], ["Gamma", "  "]]
    file = tmp_path / f"bad.{file_format}"
    if file_format == "csv":
        file.write_text("".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    else:
        workbook = openpyxl.Workbook()
        for row in rows:
            workbook.active.append(row)  # type: ignore[union-attr]
        workbook.save(file)

    result = invoke("check", str(file), "--call", "SMP-COSME-2024-CLUSTER")

    line = "line" if file_format == "csv" else "row"  # a workbook names the sheet's row
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"Error: bad.{file_format} has 3 problems.",
        f"  - {line} 3, name: is required.",
        f"  - {line} 4, name: is required.",
        f"  - {line} 5, country: is required.",
    ]


def test_check_names_a_missing_column_once(invoke: Invoke, tmp_path: Path) -> None:
    file = tmp_path / "bad.csv"
    file.write_text("name,nuts,colour\nAlpha,DE212,red\n", encoding="utf-8")

    result = invoke("check", str(file), "--call", "SMP-COSME-2024-CLUSTER")

    assert result.exit_code == 2
    assert result.stderr.splitlines()[1:] == [
        "  - line 1, country: the column is missing.",
        "  - line 1, colour: is not a known column; the columns are: name, country, nuts, type, sme_profile, legal_entity, eccp_registered, role, id, pic, email, website.",
    ]


def test_check_grant_not_a_number_exits_2(invoke: Invoke, template: Path) -> None:
    result = invoke(
        "check", str(template), "--call", "strategic-alliances-2020", "--requested-grant", "lots"
    )

    message = " ".join(line.strip("│ ") for line in result.stderr.splitlines())
    assert result.exit_code == 2
    assert (
        "Invalid value for '--requested-grant': \"lots\" is not an amount in whole euros" in message
    )


@pytest.mark.parametrize(
    "typed",
    [
        "2500000",
        "2 500 000",
        "2,500,000",
        "2_500_000",
        "EUR 2,500,000",
        "EUR2500000",
        "2,500,000 EUR",
        "EUR 2,500,000.00",
    ],
)
def test_parse_euros_takes_the_grant_as_typed_or_as_printed(typed: str) -> None:
    assert parse_euros(typed) == 2_500_000


@pytest.mark.parametrize("typed", ["lots", "2,50", "-5", "EUR 2,500,000.50", "USD 5"])
def test_parse_euros_refuses_what_is_not_whole_euros(typed: str) -> None:
    with pytest.raises(typer.BadParameter) as caught:
        parse_euros(typed)

    assert caught.value.message == f'"{typed}" is not an amount in whole euros, e.g. 2500000'


def test_check_console_script_runs_in_a_subprocess(template: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "clusterbridge",
            "check",
            str(template),
            "--call",
            "SMP-COSME-2024-CLUSTER",
            "--strand",
            "1",
            "--duration-months",
            "36",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == 0
    assert json.loads(completed.stdout)["verdict"] == "eligible"


def test_check_pdf_without_weasyprint_exits_2_with_install_hint(
    invoke: Invoke, template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what an install without the extra sees
    output = tmp_path / "checklist.pdf"

    result = invoke(
        "check",
        str(template),
        "--call",
        "SMP-COSME-2024-CLUSTER",
        "--format",
        "pdf",
        "--output",
        str(output),
    )

    assert result.exit_code == 2
    assert result.stderr.startswith(
        'Error: PDF output needs WeasyPrint and Pango: pip install "clusterbridge[pdf]"'
    )
    assert not output.exists()


def test_check_partners_from_outside_europe_are_judged_not_refused(invoke: Invoke) -> None:
    file = Path(__file__).resolve().parents[2] / "examples" / "consortium-outside-europe.csv"

    result = invoke(
        "check", str(file), "--call", "SMP-COSME-2024-CLUSTER", "--strand", "1", "--format", "json"
    )

    report = json.loads(result.stdout)
    country = next(f for f in report["findings"] if f["rule"] == "eligible-country")
    assert result.exit_code == 1
    assert report["verdict"] == "ineligible"
    assert country["partners"] == [
        "Massachusetts Robotics Cluster",
        "Ontario Advanced Manufacturing Network",
        "Israel Smart Industry Cluster",
    ]
    assert country["message"].endswith("US, CA and IL are not eligible countries for this call.")
