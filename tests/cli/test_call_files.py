"""``clusterbridge calls import-file`` and ``calls export``: a call written in the app, to
its file and back, through the real command-line tool. Runs on SQLite and PostgreSQL."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import UserRole
from tests.cli.conftest import Invoke
from tests.factories.calls import make_call
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.db]


@pytest.fixture
def configured(cli_database: Database) -> Database:
    """The CLI's database: the test database, with Olga (an officer), her draft call
    TEST-OPEN-2025, and Paula (a cluster manager)."""
    with cli_database.unit_of_work() as session:
        olga = make_user(
            session, email="olga@example.org", name="Olga", role=UserRole.PROGRAMME_OFFICER
        )
        make_user(session, email="paula@example.org", name="Paula")
        make_call(session, officer=olga)
    return cli_database


def test_a_call_exports_and_imports_under_a_new_id(
    invoke: Invoke, configured: Database, tmp_path: Path
) -> None:
    out = tmp_path / "TEST-COPY.toml"

    exported = invoke(
        "calls", "export", "test-open-2025", "--as", "olga@example.org", "-o", str(out)
    )
    out.write_text(out.read_text().replace('"TEST-OPEN-2025"', '"TEST-COPY"', 1))
    imported = invoke("calls", "import-file", str(out), "--as", "olga@example.org")
    again = invoke("calls", "export", "TEST-COPY", "--as", "olga@example.org")

    assert (exported.exit_code, exported.stdout) == (0, f"Wrote {out}\n")
    assert imported.exit_code == 0, imported.stderr
    assert imported.stdout.startswith("Imported TEST-COPY as a draft call (id ")
    assert again.stdout == out.read_text()


def test_export_to_a_path_the_system_refuses_exits_2(invoke: Invoke, configured: Database) -> None:
    result = invoke(
        "calls", "export", "test-open-2025", "--as", "olga@example.org", "--output", "/proc/x.toml"
    )

    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "Error: --output: cannot write /proc/x.toml: No such file or directory.\n",
    )


def test_a_bad_file_exits_2_with_every_place(
    invoke: Invoke, configured: Database, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "BAD"\ntitle = ""\n')

    result = invoke("calls", "import-file", str(bad), "--as", "olga@example.org")

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: bad.toml is not a valid call file.",
        "  - bad.toml, title: is required.",
        "  - bad.toml, programme: is required.",
        "  - bad.toml, summary: is required.",
        "  - bad.toml, documents: is required.",
        '  - bad.toml, rules: a call needs at least one rule: write each as a [[rules]] table with id, title, condition, params and source, e.g. [[rules]] id = "two-partners" title = "At least two partners" condition = "min_partners" params = { min = 2 } source = { document = "call", section = "Eligibility", quote = "..." }.',
    ]


def test_only_officers_export_and_import(invoke: Invoke, configured: Database) -> None:
    result = invoke("calls", "export", "TEST-OPEN-2025", "--as", "paula@example.org")

    assert (result.exit_code, result.stderr) == (
        2,
        "Error: Only programme officers and administrators export calls.\n",
    )


def _first_max(value: str) -> Callable[[str], str]:
    return lambda text: text.replace("max = 30,", f"max = {value},", 1)


NOT_A_CALL = "Error: TEST-COPY.toml is not a call to import."
NOT_A_FILE = "Error: TEST-COPY.toml is not a valid call file."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_first_max('"thirty"'), [NOT_A_CALL, "  - TEST-COPY.toml, selection.criteria[0].max: must be a number."]),
        (_first_max(str(10**30)), [NOT_A_CALL, "  - TEST-COPY.toml, selection.criteria[0].max: must be at most 1,000,000."]),
        (
            _first_max(f"1{'0' * 5000}"),
            [NOT_A_FILE, "  - TEST-COPY.toml: not valid TOML: a number has more than 4300 digits."],
        ),
        (
            _first_max("30, threshold = 1e-400"),
            [
                NOT_A_FILE,
                '  - TEST-COPY.toml: not valid TOML: "1e-400" is too small to store: write 0 or a number with fewer decimals (at line 17, column 55).',
            ],
        ),
        (
            lambda text: re.sub(r"(?m)^budget_eur = .*$", f"budget_eur = {10**12}", text, count=1),
            ["Error: The call cannot be saved.", "  - budget: must be at most 999,999,999,999."],
        ),
    ],
    ids=["maximum-no-number", "maximum-huge", "number-too-long", "threshold-too-small", "budget-huge"],
)  # fmt: skip
def test_a_number_the_call_cannot_take_is_the_only_mistake_named_in_words(
    invoke: Invoke,
    configured: Database,
    tmp_path: Path,
    change: Callable[[str], str],
    message: list[str],
) -> None:
    out = tmp_path / "TEST-COPY.toml"
    invoke("calls", "export", "TEST-OPEN-2025", "--as", "olga@example.org", "-o", str(out))
    text = out.read_text().replace('"TEST-OPEN-2025"', '"TEST-COPY"', 1)
    assert change(text) != text
    out.write_text(change(text))

    result = invoke("calls", "import-file", str(out), "--as", "olga@example.org")

    assert (result.exit_code, result.stderr.splitlines()) == (2, message)
