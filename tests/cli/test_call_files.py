"""``clusterbridge calls import-file`` and ``calls export``: a call written in the app, to
its file and back, through the real command-line tool. Runs on SQLite and PostgreSQL."""

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


def test_a_bad_file_exits_2_with_every_place(
    invoke: Invoke, configured: Database, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "BAD"\ntitle = ""\n')

    result = invoke("calls", "import-file", str(bad), "--as", "olga@example.org")

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: bad.toml is not a valid call file:",
        "  - bad.toml, title: must not be empty",
        "  - bad.toml, programme: is required",
        "  - bad.toml, summary: is required",
        "  - bad.toml, documents: is required",
        "  - bad.toml, rules: a call needs at least one rule: write each as a [[rules]] table "
        'with id, title, condition, params and source, e.g. [[rules]] id = "two-partners" '
        'title = "At least two partners" condition = "min_partners" params = { min = 2 } '
        'source = { document = "call", section = "Eligibility", quote = "..." }',
    ]


def test_only_officers_export_and_import(invoke: Invoke, configured: Database) -> None:
    result = invoke("calls", "export", "TEST-OPEN-2025", "--as", "paula@example.org")

    assert (result.exit_code, result.stderr) == (
        2,
        "Error: Only programme officers and administrators export calls\n",
    )


def test_a_maximum_that_is_no_number_is_the_only_mistake_named(
    invoke: Invoke, configured: Database, tmp_path: Path
) -> None:
    out = tmp_path / "TEST-COPY.toml"
    invoke("calls", "export", "TEST-OPEN-2025", "--as", "olga@example.org", "-o", str(out))
    text = out.read_text().replace('"TEST-OPEN-2025"', '"TEST-COPY"', 1)
    assert "max = 30," in text
    out.write_text(text.replace("max = 30,", 'max = "thirty",', 1))

    result = invoke("calls", "import-file", str(out), "--as", "olga@example.org")

    assert (result.exit_code, result.stderr.splitlines()) == (
        2,
        [
            "Error: TEST-COPY.toml is not a call to import:",
            "  - TEST-COPY.toml, selection.criteria[0].max: must be a number",
        ],
    )


def test_a_huge_maximum_is_told_its_limit(
    invoke: Invoke, configured: Database, tmp_path: Path
) -> None:
    out = tmp_path / "TEST-COPY.toml"
    invoke("calls", "export", "TEST-OPEN-2025", "--as", "olga@example.org", "-o", str(out))
    text = out.read_text().replace('"TEST-OPEN-2025"', '"TEST-COPY"', 1)
    out.write_text(text.replace("max = 30,", f"max = {10**30},", 1))

    result = invoke("calls", "import-file", str(out), "--as", "olga@example.org")

    assert (result.exit_code, result.stderr.splitlines()) == (
        2,
        [
            "Error: TEST-COPY.toml is not a call to import:",
            "  - TEST-COPY.toml, selection.criteria[0].max: must be at most 1,000,000",
        ],
    )


def test_a_number_too_long_to_read_is_refused_in_words(
    invoke: Invoke, configured: Database, tmp_path: Path
) -> None:
    out = tmp_path / "TEST-COPY.toml"
    invoke("calls", "export", "TEST-OPEN-2025", "--as", "olga@example.org", "-o", str(out))
    text = out.read_text().replace('"TEST-OPEN-2025"', '"TEST-COPY"', 1)
    out.write_text(text.replace("max = 30,", f"max = 1{'0' * 5000},", 1))

    result = invoke("calls", "import-file", str(out), "--as", "olga@example.org")

    assert (result.exit_code, result.stderr.splitlines()) == (
        2,
        [
            "Error: TEST-COPY.toml is not a valid call file:",
            "  - TEST-COPY.toml: not valid TOML: a number has more than 4300 digits",
        ],
    )
