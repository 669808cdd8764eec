"""``clusterbridge partners suggest`` on a small registry."""

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from clusterbridge.cli.partners import render_newcomers
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType, SmeProfile
from clusterbridge.services.matching.questions import Suggestion
from tests.cli.conftest import Invoke
from tests.factories.matching import make_matching_registry
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.e2e, pytest.mark.db]


@pytest.fixture
def registry(cli_database: Database) -> Database:
    """The matching registry in the CLI's configured database."""
    with cli_database.unit_of_work() as session:
        make_matching_registry(session)
    return cli_database


def test_partners_suggest_for_an_organisation_prints_json(
    invoke: Invoke, registry: Database
) -> None:
    result = invoke("partners", "suggest", "--org", "100000002", "--top", "1", "--format", "json")

    assert result.exit_code == 0
    suggestions = json.loads(result.stdout)["suggestions"]
    assert [(s["id"], s["name"], s["reasons"]) for s in suggestions] == [
        (
            "100000001",
            "Steel Works",
            [
                "needs Machine vision, which Vision AI offers",
                "a traditional SME, a potential customer of Vision AI",
                "in the same region as Vision AI: DE21 Oberbayern",
            ],
        )
    ]


def test_partners_suggest_for_a_consortium_never_suggests_its_members(
    invoke: Invoke, registry: Database, tmp_path: Path
) -> None:
    team = tmp_path / "team.csv"
    team.write_text("id\n100000001\n100000003\n", encoding="utf-8")
    idea = tmp_path / "idea.txt"
    idea.write_text("machine vision for steel", encoding="utf-8")

    result = invoke("partners", "suggest", "--consortium", str(team), "--idea", str(idea))

    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("1. Vision AI (DE), PIC 100000002, match ")
    assert "Steel Works (DE)" not in result.stdout
    assert "Rzeszow" not in result.stdout


def test_partners_suggest_with_a_kind_and_new_only_keeps_only_those(
    invoke: Invoke, registry: Database
) -> None:
    # Asked alone without a kind, Steel Works' question is its needs: Vision AI covers them.
    # Its past partner, the cluster, is found when asked for, never as a new partner.
    every = invoke("partners", "suggest", "--org", "100000001", "--format", "json")
    kind = invoke(
        "partners", "suggest", "--org", "100000001", "--kind", "cluster_organisation",
        "--format", "json",
    )  # fmt: skip
    new = invoke(
        "partners", "suggest", "--org", "100000001", "--kind", "cluster_organisation",
        "--new-only", "--format", "json",
    )  # fmt: skip

    assert [s["name"] for s in json.loads(every.stdout)["suggestions"]] == ["Vision AI"]
    assert [s["name"] for s in json.loads(kind.stdout)["suggestions"]] == [
        "Rzeszow Hydrogen Cluster"
    ]
    assert json.loads(new.stdout) == {
        "suggestions": [],
        "newcomers": [],
        "note": "No suggestions: the registry's cluster organisations (1) either worked with a "
        "member or have nothing in common with the search.",
    }


def test_partners_suggest_marks_past_partners_and_says_how_to_leave_them_out(
    invoke: Invoke, registry: Database
) -> None:
    # Without --new-only, a past partner can be suggested (the cluster was in a project with
    # Steel Works): the list says so beside it and, once, how to ask for new partners only.
    cluster = invoke("partners", "suggest", "--org", "100000001", "--kind", "cluster_organisation")
    needs = invoke("partners", "suggest", "--org", "100000001", "--format", "json")

    lines = cluster.stdout.splitlines()
    assert lines[0] == (
        "1. Rzeszow Hydrogen Cluster (PL), PIC 100000003, match 59/100 (good), past partner"
    )
    assert lines[-1] == (
        "It already took part in a project with the organisation with PIC 100000001: "
        "--new-only lists only organisations that never did."
    )
    assert [(s["name"], s["past_partner"]) for s in json.loads(needs.stdout)["suggestions"]] == [
        ("Vision AI", False)
    ]
    assert "past partner" not in invoke("partners", "suggest", "--org", "100000001").stdout


def test_partners_suggest_says_why_it_found_nobody(invoke: Invoke, registry: Database) -> None:
    result = invoke("partners", "suggest", "--org", "100000001", "--kind", "university")

    assert (result.exit_code, result.stdout) == (
        0,
        "No suggestions: the registry has no universities.\n",
    )


def test_partners_suggest_prints_a_match_from_0_to_100(invoke: Invoke, registry: Database) -> None:
    result = invoke("partners", "suggest", "--org", "100000001", "--top", "1")

    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "1. Vision AI (DE), PIC 100000002, match 71/100 (strong)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (),
            "Error: The options are not valid.\n"
            "  - --org/--registry-number/--consortium: give exactly one of --org PIC, --registry-number NUMBER and --consortium FILE.\n",
        ),
        (
            ("--org", "100000001", "--kind", "sofa"),
            'Error: The partner search is not valid.\n  - --kind: "sofa" is not a kind of partner',
        ),
        (
            ("--org", "100000001", "--region-category", "rich"),
            'Error: The partner search is not valid.\n  - --region-category: "rich" is not a region',
        ),
        (
            ("--org", "12"),
            'Error: The PIC is not valid.\n  - --org: "12" is not a PIC: a PIC has exactly 9 digits.',
        ),
        (("--org", "999999999"), "Error: No organisation with PIC 999999999."),
        (
            ("--org", "100000001", "--top", "0"),
            "Error: The partner search is not valid.\n  - --top: must be between 1 and 100, not 0.\n",
        ),
        (
            ("--org", "100000001", "--country", "Atlantis", "--top", "0"),
            'Error: The partner search is not valid.\n  - --country: "Atlantis" is not a known country; '
            "give its English name or its ISO 3166 or EU code, such as Germany, DE, EL or UK.\n"
            "  - --top: must be between 1 and 100, not 0.",
        ),
        (("--org", "100000001", "--call", "NOPE"), 'Error: Unknown call "NOPE".'),
    ],
)
def test_partners_suggest_refuses_bad_input(
    invoke: Invoke, registry: Database, args: tuple[str, ...], message: str
) -> None:
    result = invoke("partners", "suggest", *args)

    assert result.exit_code == 2
    assert result.stderr.startswith(message)


@pytest.mark.parametrize(
    ("suffix", "message"),
    [
        (
            ".csv",
            "Error: team.csv cannot be read.\n"
            "  - line 3, description: is longer than 131,072 characters, the most a CSV cell may hold.\n",
        ),
        (
            ".xlsx",
            "Error: team.xlsx cannot be read.\n"
            "  - row 3, description: is 32,767 characters or longer, the most an Excel cell may hold (a longer text is cut).\n",
        ),
    ],
)
def test_partners_suggest_names_the_line_and_column_of_a_cell_too_long(
    invoke: Invoke, registry: Database, tmp_path: Path, suffix: str, message: str
) -> None:
    rows = [["id", "description"], ["100000001", "short"], ["100000003", "x" * 200_000]]
    team = tmp_path / f"team{suffix}"
    if suffix == ".csv":
        team.write_text("".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    else:
        workbook = openpyxl.Workbook()
        for row in rows:
            workbook.active.append(row)  # type: ignore[union-attr]
        workbook.save(team)

    result = invoke("partners", "suggest", "--consortium", str(team))

    assert (result.exit_code, result.stderr) == (2, message)


def test_partners_suggest_reads_the_index_saved_by_the_previous_run(
    invoke: Invoke, registry: Database, data_dir: Path
) -> None:
    first = invoke("partners", "suggest", "--org", "100000002", "--format", "json")
    second = invoke("partners", "suggest", "--org", "100000002", "--format", "json")

    assert second.stdout == first.stdout
    assert [p.name for p in (data_dir / "cache").iterdir()] == ["match-index"]


def test_partners_suggest_from_the_saved_index_says_what_the_built_one_said(
    invoke: Invoke, registry: Database, data_dir: Path, tmp_path: Path
) -> None:
    # The first run builds the index (the reasons read its projects and the NUTS files); the
    # second reads it from the store, with the reason tables saved there (issue 14: the CLI's
    # latency). Topics, projects and places must read the same.
    idea = tmp_path / "idea.txt"
    idea.write_text("green steel and hydrogen with machine vision", encoding="utf-8")
    question = ("partners", "suggest", "--org", "100000001", "--idea", str(idea))

    built = invoke(*question)
    stored = invoke(*question)

    saved = [p.name for p in (data_dir / "cache" / "match-index").glob("v-*/reasons.pickle")]
    assert saved == ["reasons.pickle"]
    assert stored.stdout == built.stdout
    assert stored.stdout.splitlines() == [
        "1. Vision AI (DE), PIC 100000002, match 77/100 (strong)",
        "   - offers Machine vision, which Steel Works needs",
        "   - a tech-savvy SME, for Steel Works (a traditional SME)",
        "   - in the same region as Steel Works: DE21 Oberbayern",
        "2. Rzeszow Hydrogen Cluster (PL), PIC 100000003, match 71/100 (strong), past partner",
        "   - shared topics with the idea: Transformative industrial technologies for "
        "decarbonisation (GREENSTEEL)",
        "   - took part in 1 of the 1 past projects most similar to the idea: GREENSTEEL (Green "
        "steel)",
        "   - worked with Steel Works (GREENSTEEL)",
        "1 of these 2 already took part in a project with the organisation with PIC 100000001: "
        "--new-only lists only organisations that never did.",
    ]


@pytest.mark.parametrize("asking", [("--org", "100000002"), ("--consortium", "team.csv")])
def test_partners_suggest_from_the_saved_index_loads_no_orm_model(
    invoke: Invoke, registry: Database, tmp_path: Path, asking: tuple[str, str]
) -> None:
    # Issue 14, the CLI's latency: declaring and configuring the ORM models was a third of the
    # command. A question without a call, once the index is saved, is answered from the index
    # alone, and says what the run that built the index said (tests/services/matching compares
    # the answers from the index with the answers through the registry's rows).
    (tmp_path / "team.csv").write_text("id\n100000002\n", encoding="utf-8")
    option, value = asking
    question = [
        "partners",
        "suggest",
        option,
        str(tmp_path / value) if option == "--consortium" else value,
    ]
    question += ["--country", "DE", "--format", "json"]
    saved = invoke(*question)
    assert saved.exit_code == 0
    code = (
        "import sys\nfrom clusterbridge.cli.app import app\n"
        f"try:\n    app({question!r})\n"
        "except SystemExit as end:\n    assert end.code == 0, end.code\n"
        "print('clusterbridge.db.models' in sys.modules)"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    *answer, models_loaded = result.stdout.splitlines()
    assert models_loaded == "False"
    assert json.loads("\n".join(answer)) == json.loads(saved.stdout)
    assert [s["id"] for s in json.loads(saved.stdout)["suggestions"]] == ["100000001"]


def test_partners_suggest_lists_the_organisations_registered_without_projects_apart(
    invoke: Invoke, registry: Database, tmp_path: Path
) -> None:
    # Asked about green steel and hydrogen for one partner, Steel Works gets its past partner,
    # the cluster (their project's words); Vision AI, registered without projects, declares the
    # machine vision Steel Works needs: it is listed apart, saying so.
    idea = tmp_path / "idea.txt"
    idea.write_text("green steel and hydrogen", encoding="utf-8")
    question = ("partners", "suggest", "--org", "100000001", "--idea", str(idea), "--top", "1")

    text = invoke(*question)
    answer = json.loads(invoke(*question, "--format", "json").stdout)

    assert text.exit_code == 0
    assert text.stdout.splitlines() == [
        "1. Rzeszow Hydrogen Cluster (PL), PIC 100000003, match 74/100 (strong), past partner",
        "   - shared topics with the idea: Transformative industrial technologies for "
        "decarbonisation (GREENSTEEL)",
        "   - took part in 1 of the 1 past projects most similar to the idea: GREENSTEEL (Green "
        "steel)",
        "   - worked with Steel Works (GREENSTEEL)",
        "It already took part in a project with the organisation with PIC 100000001: "
        "--new-only lists only organisations that never did.",
        "",
        "Registered here, no projects yet (not ranked with the suggestions above):",
        "1. Vision AI (DE), PIC 100000002, match 71/100 (strong)",
        "   - declares Machine vision, which Steel Works needs (no projects yet)",
        "   - a tech-savvy SME, for Steel Works (a traditional SME)",
        "   - in the same region as Steel Works: DE21 Oberbayern",
    ]
    assert [s["name"] for s in answer["suggestions"]] == ["Rzeszow Hydrogen Cluster"]
    assert answer["newcomers"] == [
        {
            "id": "100000002",
            "organisation_id": answer["newcomers"][0]["organisation_id"],
            "name": "Vision AI",
            "country": "DE",
            "score": 71,
            "band": "strong",
            "reasons": [
                "declares Machine vision, which Steel Works needs (no projects yet)",
                "a tech-savvy SME, for Steel Works (a traditional SME)",
                "in the same region as Steel Works: DE21 Oberbayern",
            ],
            "past_partner": False,
        }
    ]
    assert "note" not in answer
    # With a call, through the registry's rows: the same section.
    with_call = invoke(*question, "--call", "SMP-COSME-2024-CLUSTER", "--strand", "1")
    assert "Registered here, no projects yet" in with_call.stdout
    assert "   - declares Machine vision, which Steel Works needs (no projects yet)" in (
        with_call.stdout.splitlines()
    )


def test_a_suggestion_without_a_pic_is_named_by_its_registry_number() -> None:
    registered = Suggestion(
        organisation_id=24841, pic=None, name="VisionAI Levante SL", country="ES", score=72,
        reasons=("declares Artificial intelligence, which Medwood needs (no projects yet)",),
        band="strong",
    )  # fmt: skip

    assert render_newcomers([registered]).splitlines() == [
        "",
        "Registered here, no projects yet (not ranked with the suggestions above):",
        "1. VisionAI Levante SL (ES), registry number 24841, match 72/100 (strong)",
        "   - declares Artificial intelligence, which Medwood needs (no projects yet)",
    ]


def test_partners_suggest_for_an_organisation_without_a_pic_by_its_registry_number(
    invoke: Invoke, registry: Database
) -> None:
    # The newcomers' list names one without a PIC by its registry number: that organisation
    # could not ask itself (--org takes a PIC alone).
    with registry.unit_of_work() as session:
        newcomer = make_organisation(
            session, name="WoodSense", country="DE", nuts="DE212", type=OrgType.SME,
            sme_profile=SmeProfile.TECH_SAVVY,
        )  # fmt: skip
        number = newcomer.id

    asked = invoke("partners", "suggest", "--registry-number", str(number), "--format", "json")
    none = invoke("partners", "suggest", "--registry-number", str(number), "--kind", "university")
    unknown = invoke("partners", "suggest", "--registry-number", "999999")
    both = invoke("partners", "suggest", "--org", "100000001", "--registry-number", str(number))

    names = [s["name"] for s in json.loads(asked.stdout)["suggestions"]]
    assert asked.exit_code == 0
    assert "WoodSense" not in names
    assert "Steel Works" in names
    assert (none.exit_code, none.stdout) == (
        0,
        "No suggestions: the registry has no universities.\n",
    )
    assert (unknown.exit_code, unknown.stderr) == (2, "Error: No organisation 999999.\n")
    assert (both.exit_code, both.stderr) == (
        2,
        "Error: The options are not valid.\n"
        "  - --org/--registry-number/--consortium: give exactly one of --org PIC, --registry-number NUMBER and --consortium FILE.\n",
    )
