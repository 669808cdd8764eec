"""``clusterbridge calls``, ``regions`` and ``template`` as a user runs them."""

import json
from pathlib import Path

import pytest

from clusterbridge.services.consortia.file import read_consortium
from tests.cli.conftest import Invoke

pytestmark = pytest.mark.e2e


def test_calls_list_shows_every_call_with_status(invoke: Invoke) -> None:
    result = invoke("calls", "list")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "SMP-COSME-2021-CLUSTER    no deadline  -                                 Joint Cluster Initiatives (EUROCLUSTERS) for Europe's recovery - 2021",
        "SMP-COSME-2024-CLUSTER    closed       2025-02-05 17:00 Europe/Brussels  Joint Cluster Initiatives (EUROCLUSTERS) for Europe's recovery",
        "cluster-excellence        no deadline  -                                 Strengthen cluster management excellence and facilitate partnerships",
        "strategic-alliances-2020  closed       2021-02-02 17:00 Europe/Brussels  Strategic alliances for the uptake of advanced technologies by SMEs on the economic recovery",
    ]


def test_calls_list_shows_each_deadline_in_its_calls_time_zone(
    invoke: Invoke, tmp_path: Path
) -> None:
    shipped = (
        Path(__file__).resolve().parents[2]
        / "src/clusterbridge/rules/calls/SMP-COSME-2024-CLUSTER.toml"
    )
    text = shipped.read_text(encoding="utf-8").replace(
        'id = "SMP-COSME-2024-CLUSTER"', 'id = "HELSINKI"'
    )
    text = text.replace('timezone = "Europe/Brussels"', 'timezone = "Europe/Helsinki"')
    (tmp_path / "HELSINKI.toml").write_text(text, encoding="utf-8")

    result = invoke("calls", "list", "--calls-dir", str(tmp_path))

    assert result.stdout.splitlines()[0] == (
        "HELSINKI                  closed       2025-02-05 17:00 Europe/Helsinki  "
        "Joint Cluster Initiatives (EUROCLUSTERS) for Europe's recovery"
    )


def test_calls_show_json_has_facts_strands_and_cited_rules(invoke: Invoke) -> None:
    result = invoke("calls", "show", "smp-cosme-2024-cluster", "--format", "json")

    call = json.loads(result.stdout)
    assert (call["id"], call["budget_eur"], call["expected_projects"]) == (
        "SMP-COSME-2024-CLUSTER",
        42_000_000,
        16,
    )
    assert call["deadline"] == "2025-02-05T17:00:00+01:00"
    assert call["status"] == "closed"
    assert call["time_left"].startswith("closed ")
    assert [(s["id"], s["min_projects"]) for s in call["strands"]] == [("1", 8), ("2", None)]
    assert len(call["rules"]) == 9
    assert call["rules"][2]["params"] == {
        "among": {"roles": ["coordinator", "beneficiary", "affiliated_entity"]},
        "countries": ["eu_member_states", "octs", "smp_eea", "smp_cosme_associated"],
    }


def test_calls_show_text_lists_rules_with_sources(invoke: Invoke) -> None:
    result = invoke("calls", "show", "cluster-excellence")

    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "Strengthen cluster management excellence and facilitate partnerships",
        "cluster-excellence · COSME 2014-2020",
    ]
    assert "Deadline: no deadline stated in the call text" in lines
    assert (
        "  duration-over-24-justified: A project longer than 24 months is duly justified (warning only)"
        in lines
    )


def test_calls_show_text_names_the_eligible_countries_in_words(invoke: Invoke) -> None:
    # The walk of 2026-12-08: "Eligible countries: eu_member_states, octs, smp_eea, ...".
    result = invoke("calls", "show", "smp-cosme-2024-cluster")

    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("Eligible countries")] == [
        "Eligible countries: EU Member States; Overseas countries and territories (Annex II "
        "TFEU); EEA countries listed as taking part in the Single Market Programme; Non-EU "
        "countries associated to the SME strand of the Single Market Programme"
    ]


def test_calls_show_text_counts_one_project_in_the_singular_and_no_countries_unstated(
    invoke: Invoke, tmp_path: Path
) -> None:
    shipped = (
        Path(__file__).parents[2] / "src/clusterbridge/rules/calls/SMP-COSME-2024-CLUSTER.toml"
    ).read_text(encoding="utf-8")
    (tmp_path / "ONE.toml").write_text(
        shipped.replace('id = "SMP-COSME-2024-CLUSTER"', 'id = "ONE"', 1)
        .replace("min_projects = 8", "min_projects = 1")
        .replace(
            'eligible_countries = ["eu_member_states", "octs", "smp_eea", "smp_cosme_associated"]\n',
            "",
        ),
        encoding="utf-8",
    )

    result = invoke("calls", "show", "ONE", "--calls-dir", str(tmp_path))

    assert [line for line in result.stdout.splitlines() if "Eligible countries" in line] == []
    assert (
        "  - 1: Strand 1: net-zero technologies and critical raw materials (at least 1 project)"
        in result.stdout.splitlines()
    )


def test_calls_unknown_id_exits_2(invoke: Invoke) -> None:
    result = invoke("calls", "show", "nope")

    assert result.exit_code == 2
    assert result.stderr.startswith('Error: Unknown call "nope". Known calls')


def test_calls_dir_adds_a_users_call(invoke: Invoke, tmp_path: Path) -> None:
    shipped = (
        Path(__file__).resolve().parents[2]
        / "src/clusterbridge/rules/calls/SMP-COSME-2021-CLUSTER.toml"
    )
    text = shipped.read_text(encoding="utf-8").replace(
        'id = "SMP-COSME-2021-CLUSTER"', 'id = "MY-CALL"'
    )
    (tmp_path / "MY-CALL.toml").write_text(text, encoding="utf-8")

    result = invoke("calls", "list", "--calls-dir", str(tmp_path), "--format", "json")

    assert [c["id"] for c in json.loads(result.stdout)] == [
        "MY-CALL",
        "SMP-COSME-2021-CLUSTER",
        "SMP-COSME-2024-CLUSTER",
        "cluster-excellence",
        "strategic-alliances-2020",
    ]


def test_calls_dir_with_malformed_file_exits_2_naming_file_and_field(
    invoke: Invoke, tmp_path: Path
) -> None:
    (tmp_path / "BROKEN.toml").write_text('id = "BROKEN"\ntitle = "x"\n', encoding="utf-8")

    result = invoke("calls", "list", "--calls-dir", str(tmp_path))

    assert result.exit_code == 2
    assert f"  - {tmp_path / 'BROKEN.toml'}, programme: is required." in result.stderr.splitlines()


@pytest.mark.parametrize(
    ("code", "period", "expected"),
    [
        (
            "PL823",
            "2021-2027",
            "2021-2027: less developed. PL823 Rzeszowski (NUTS 2016) lies in PL82 Podkarpackie, a less developed region for 2021-2027",
        ),
        (
            "pl32",
            "2014-2020",
            "2014-2020: less developed. PL32 Podkarpackie (NUTS 2006) is a less developed region for 2014-2020",
        ),
        (
            "DE212",
            "2021-2027",
            "2021-2027: more developed. DE212 München, Kreisfreie Stadt (NUTS 2016) lies in DE21 Oberbayern, a more developed region for 2021-2027",
        ),
    ],
)
def test_regions_lookup_states_category(
    invoke: Invoke, code: str, period: str, expected: str
) -> None:
    result = invoke("regions", "lookup", code, "--period", period)

    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == expected


def test_regions_lookup_single_region_country(invoke: Invoke) -> None:
    result = invoke("regions", "lookup", "LV", "--format", "json")

    found = json.loads(result.stdout)
    assert (found["code"], found["level"]) == ("LV00", 2)
    assert found["categories"]["2021-2027"]["category"] == "less_developed"


def test_regions_lookup_unknown_code_exits_2(invoke: Invoke) -> None:
    result = invoke("regions", "lookup", "PL99")

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: Unknown region.",
        '  - CODE: "PL99" is not a NUTS code of any version 2006–2024.',
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_template_writes_a_file_that_reads_back(
    invoke: Invoke, tmp_path: Path, template: Path, suffix: str
) -> None:
    path = tmp_path / f"consortium{suffix}"

    result = invoke("template", str(path))

    assert result.exit_code == 0
    assert read_consortium(path).partners == read_consortium(template).partners


def test_version_option_prints_version(invoke: Invoke) -> None:
    result = invoke("--version")

    assert result.stdout == "clusterbridge 0.1.0\n"
