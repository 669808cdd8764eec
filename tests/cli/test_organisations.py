"""``clusterbridge organisations search/claims/approve/refuse/import/export`` and
``clusterbridge import cordis``."""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from clusterbridge.db.models import Organisation, OrganisationClaim, OrganisationMember, User
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import ClaimStatus, UserRole
from clusterbridge.services.mail import FileMailer
from clusterbridge.services.registry import ClaimNotifier, create_claim
from tests.cli.conftest import Invoke
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user
from tests.mailbox import read_mail
from tests.services.registry.cordis_fixture import write_cordis

pytestmark = [pytest.mark.e2e, pytest.mark.db]


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
        "Error: in.csv has problems; nothing was imported.\n"
        '  - in.csv, line 3, country: "XX-land" is not a known country; give its English name or its ISO 3166 or EU code, such as Germany, DE, EL or UK.\n'
        '  - in.csv, line 3, pic: "1" is not a PIC: a PIC has exactly 9 digits.\n'
    )
    assert _names(cli_database) == []


def test_a_file_that_is_no_workbook_or_an_unknown_suffix_exits_2(
    invoke: Invoke, cli_database: Database, tmp_path: Path
) -> None:
    # The import printed zipfile's traceback for each of the job's three attempts; the export
    # wrote CSV into out.json and said "Written to out.json".
    source = tmp_path / "orgs.xlsx"
    source.write_text("name,country\nAlpha,DE\n", encoding="utf-8")

    imported = invoke("organisations", "import", str(source))
    exported = invoke("organisations", "export", str(tmp_path / "out.json"))

    assert (imported.exit_code, imported.stderr) == (
        2,
        "Error: orgs.xlsx is not valid.\n"
        "  - orgs.xlsx: cannot be read as XLSX: the file is not an Excel workbook (.xlsx).\n",
    )
    assert (exported.exit_code, exported.stderr) == (
        2,
        "Error: The file cannot be written.\n"
        '  - FILE: "out.json" must end in .csv or .xlsx, or give --format.\n',
    )
    assert not (tmp_path / "out.json").exists()


def test_an_import_of_the_header_alone_exits_2(
    invoke: Invoke, cli_database: Database, tmp_path: Path
) -> None:
    # It reported "0 added, 0 updated, 0 unchanged" and exit status 0.
    source = tmp_path / "empty.csv"
    source.write_text("name,country\n", encoding="utf-8")

    result = invoke("organisations", "import", str(source))

    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "Error: empty.csv has problems; nothing was imported.\n  - empty.csv: the file has no rows.\n",
    )


def test_an_import_of_a_json_file_exits_2_at_once(
    invoke: Invoke, cli_database: Database, tmp_path: Path
) -> None:
    source = tmp_path / "x.json"
    source.write_text('[{"name": "Alpha", "country": "DE"}]', encoding="utf-8")

    result = invoke("organisations", "import", str(source))

    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "Error: The file cannot be imported.\n"
        "  - x.json, file: is a .json file, not CSV or XLSX: its name must end in .csv or .xlsx, or give the format.\n",
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


def test_organisations_search_by_pic_lists_that_organisation_alone(
    invoke: Invoke, cli_database: Database, tmp_path: Path
) -> None:
    invoke("import", "cordis", str(write_cordis(tmp_path / "cordis")))
    with cli_database.sessions() as session:
        university = session.scalars(
            sa.select(Organisation.id).where(Organisation.pic == "999000004")
        ).one()

    result = invoke("organisations", "search", "999000004")
    as_json = invoke("organisations", "search", "999000004", "--format", "json")

    assert result.exit_code == 0
    assert result.stdout == f"{university:>6}  999000004  US  Future University\n"
    assert result.stderr == "1 of 1 organisations\n"
    assert json.loads(as_json.stdout) == {
        "total": 1,
        "items": [
            {"id": university, "pic": "999000004", "country": "US", "name": "Future University"}
        ],
    }


def test_organisations_search_words_with_filters(
    invoke: Invoke, cli_database: Database, tmp_path: Path
) -> None:
    invoke("import", "cordis", str(write_cordis(tmp_path / "cordis")))

    result = invoke(
        "organisations",
        "search",
        "hydrogen",
        "--country",
        "Greece",
        "--type",
        "cluster_organisation",
    )

    assert result.exit_code == 0
    assert [line.split("  ")[-1] for line in result.stdout.splitlines()] == [
        "Hydro Cluster Association"
    ]


def test_organisations_search_an_unknown_country_exits_2_naming_the_option(
    invoke: Invoke, cli_database: Database
) -> None:
    result = invoke("organisations", "search", "x", "--country", "DE", "--country", "ZZ")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: The search is not valid.\n"
        '  - --country: "ZZ" is not a known country code; use an ISO 3166 or EU code such as DE, EL or UK.\n'
    )


@pytest.fixture
def claim_id(cli_database: Database, tmp_path: Path) -> int:
    """Rita's pending claim on Tiny Robots GmbH (PIC 999000002), which has no members; Ada
    administers, Sam is a stranger."""
    notifier = ClaimNotifier(FileMailer(tmp_path / "setup-mail", "x@example.org"), "http://x")
    with cli_database.unit_of_work() as session:
        make_user(session, email="ada@example.org", name="Ada Admin", role=UserRole.ADMINISTRATOR)
        make_user(session, email="sam@example.org", name="Sam Stranger")
        rita = make_user(session, email="rita@robots.example", name="Rita Requester")
        robots = make_organisation(session, name="Tiny Robots GmbH", pic="999000002")
        claim = create_claim(
            session, rita, robots.id, message="Rita,\nmanaging director.", notifier=notifier
        )
        return claim.id


def test_organisations_claims_lists_the_pending_ones(
    invoke: Invoke, cli_database: Database, claim_id: int
) -> None:
    with cli_database.sessions() as session:
        organisation_id, created = session.execute(
            sa.select(OrganisationClaim.organisation_id, OrganisationClaim.created_at)
        ).one()

    text = invoke("organisations", "claims")
    as_json = invoke("organisations", "claims", "--format", "json")

    assert text.exit_code == 0
    assert text.stdout == (
        f"{claim_id:>5}  {created:%Y-%m-%d}  Tiny Robots GmbH (organisation {organisation_id},"
        " PIC 999000002)  Rita Requester <rita@robots.example>: Rita, managing director.\n"
    )
    assert [
        (row["id"], row["pic"], row["email"], row["message"]) for row in json.loads(as_json.stdout)
    ] == [(claim_id, "999000002", "rita@robots.example", "Rita,\nmanaging director.")]


def test_organisations_claims_says_when_none_waits(invoke: Invoke, cli_database: Database) -> None:
    result = invoke("organisations", "claims")

    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "No claim waits for a decision.\n",
    )


def test_organisations_approve_makes_the_requester_a_member_and_mails_them(
    invoke: Invoke, cli_database: Database, claim_id: int, data_dir: Path
) -> None:
    result = invoke("organisations", "approve", str(claim_id), "--as", "ADA@example.org ")
    again = invoke("organisations", "refuse", str(claim_id), "--as", "ada@example.org")
    pending = invoke("organisations", "claims")

    assert (result.exit_code, result.stdout) == (
        0,
        f"Claim {claim_id} approved: Rita Requester now manages Tiny Robots GmbH\n",
    )
    with cli_database.sessions() as session:
        members = session.scalars(
            sa.select(User.email).join(OrganisationMember, OrganisationMember.user_id == User.id)
        ).all()
    assert members == ["rita@robots.example"]
    assert [(m.to, m.subject) for m in read_mail(data_dir / "mail")] == [
        (("rita@robots.example",), "You now manage Tiny Robots GmbH")
    ]
    assert (again.exit_code, again.stderr) == (2, "Error: This claim is already approved.\n")
    assert pending.stderr == "No claim waits for a decision.\n"


def test_organisations_refuse_with_a_reason(
    invoke: Invoke, cli_database: Database, claim_id: int, data_dir: Path
) -> None:
    result = invoke(
        "organisations", "refuse", str(claim_id), "--as", "ada@example.org", "--reason", "Unknown."
    )

    assert (result.exit_code, result.stdout) == (
        0,
        f"Claim {claim_id} refused: Rita Requester is told\n",
    )
    [mail] = read_mail(data_dir / "mail")
    assert (mail.subject, "The reason given:\n\nUnknown.\n\n" in mail.body) == (
        "Tiny Robots GmbH: your request was refused",
        True,
    )


@pytest.mark.parametrize(
    ("who", "error"),
    [
        (
            "sam@example.org",
            "Error: sam@example.org may not decide claims on Tiny Robots GmbH: only its members and the administrators may.\n",
        ),
        ("rita@robots.example", "Error: You cannot decide on your own claim.\n"),
        (
            "nobody@example.org",
            "Error: Unknown user.\n  - --as: there is no active account for nobody@example.org.\n",
        ),
    ],
)
def test_organisations_approve_refuses_who_may_not_decide(
    invoke: Invoke, cli_database: Database, claim_id: int, who: str, error: str
) -> None:
    result = invoke("organisations", "approve", str(claim_id), "--as", who)

    assert (result.exit_code, result.stderr) == (2, error.format(claim=claim_id))
    with cli_database.sessions() as session:
        assert session.scalar(sa.select(OrganisationClaim.status)) == ClaimStatus.PENDING


def test_organisations_approve_of_a_claim_that_does_not_exist_says_so(
    invoke: Invoke, cli_database: Database, claim_id: int
) -> None:
    result = invoke("organisations", "approve", str(claim_id + 1), "--as", "ada@example.org")

    assert (result.exit_code, result.stderr) == (2, f"Error: There is no claim {claim_id + 1}.\n")
