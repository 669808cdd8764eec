"""``clusterbridge organisations import/export`` and ``clusterbridge import cordis``."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from clusterbridge.config import get_settings
from clusterbridge.db.models import Organisation
from clusterbridge.db.session import Database
from tests.cli.conftest import Invoke
from tests.services.registry.cordis_fixture import write_cordis

pytestmark = [pytest.mark.e2e, pytest.mark.db]


@pytest.fixture
def cli_database(
    clean_database: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Database]:
    """The test database as the CLI's configured one; emptied afterwards."""
    monkeypatch.setenv("CLUSTERBRIDGE_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield clean_database
    get_settings.cache_clear()


def _names(database: Database) -> list[str]:
    with database.sessions() as session:
        return sorted(session.scalars(sa.select(Organisation.name)))


def test_organisations_import_then_export_round_trip(
    invoke: Invoke, cli_database: Database, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "name,country,nuts,type\nAlpha Cluster,DE,DE212,cluster_organisation\nBeta SME,EL,EL303,sme\n",
        encoding="utf-8",
    )

    imported = invoke("organisations", "import", str(source))
    exported = invoke("organisations", "export", str(tmp_path / "out.xlsx"))
    again = invoke("organisations", "import", str(tmp_path / "out.xlsx"))

    assert (imported.exit_code, imported.stdout) == (0, "2 added, 0 updated, 0 unchanged\n")
    assert exported.exit_code == 0
    assert (again.exit_code, again.stdout) == (0, "0 added, 0 updated, 2 unchanged\n")
    assert _names(cli_database) == ["Alpha Cluster", "Beta SME"]


def test_organisations_import_bad_rows_exit_2_and_write_nothing(
    invoke: Invoke, cli_database: Database, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("name,country,pic\nGood,DE,\nBad,XX-land,1\n", encoding="utf-8")

    result = invoke("organisations", "import", str(source))

    assert result.exit_code == 2
    assert result.stderr == (
        "Error: in.csv has problems; nothing was imported\n"
        '  - in.csv, line 3, country: "XX-land" is not a known country code; use an ISO 3166 or EU code such as DE, EL or UK\n'
        '  - in.csv, line 3, pic: "1" is not a PIC: it has exactly 9 digits\n'
    )
    assert _names(cli_database) == []


def test_import_cordis_as_of(invoke: Invoke, cli_database: Database, tmp_path: Path) -> None:
    folder = write_cordis(tmp_path / "cordis")

    result = invoke("import", "cordis", str(folder), "--as-of", "2023-06-01")

    assert result.exit_code == 0
    assert result.stdout == (
        "Organisations: 2 added, 0 updated. Projects: 1 added, 0 updated. Participations: 2.\n"
        "No value needed repairing.\n"
        "Derived profiles for 2 organisations: 1 technology, 2 ecosystems, "
        "1 tech-savvy and 0 traditional SMEs.\n"
    )
    assert _names(cli_database) == ["Hydro Cluster Association", "Tiny Robots GmbH"]
