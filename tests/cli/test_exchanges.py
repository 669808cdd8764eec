"""``clusterbridge exchanges match`` and ``lump-sum`` as a user runs them: JSON shapes, exit
codes 0/1/2, errors with their place and reason, the administrator's lump-sum table."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from clusterbridge.config import get_settings
from clusterbridge.db.models import ExchangePartnership, ExchangePartnershipMember
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import UserRole
from tests.cli.conftest import Invoke
from tests.factories.users import make_user

pytestmark = pytest.mark.e2e

PROBLEM = {
    "visitors": [
        {"id": "v1", "preferences": ["h2", "h1"]},
        {"id": "v2", "preferences": ["h2"]},
        {"id": "v3", "preferences": ["h2", "h1"]},
    ],
    "hosts": [
        {"id": "h1", "capacity": 2, "preferences": ["v1", "v3"]},
        {"id": "h2", "capacity": 1, "preferences": ["v3", "v2", "v1"]},
    ],
}


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    """Settings read again from the environment before and after the test."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_exchanges_match_json_is_the_visitor_optimal_stable_assignment(
    invoke: Invoke, tmp_path: Path
) -> None:
    path = write(tmp_path, "round.json", PROBLEM)

    result = invoke("exchanges", "match", str(path), "--format", "json")

    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "matches": [{"visitor": "v1", "host": "h1"}, {"visitor": "v3", "host": "h2"}],
        "unmatched": ["v2"],
    }


def test_exchanges_match_text_lists_pairs_and_visitors_without_a_host(
    invoke: Invoke, tmp_path: Path
) -> None:
    path = write(tmp_path, "round.json", PROBLEM)

    result = invoke("exchanges", "match", str(path))

    assert result.exit_code == 0
    assert result.stdout == ("Exchanges: 2\n  v1 -> h1\n  v3 -> h2\nVisitors without a host: v2\n")


def test_exchanges_match_most_exchanges_shows_the_blocking_pairs(
    invoke: Invoke, tmp_path: Path
) -> None:
    path = write(tmp_path, "round.json", PROBLEM)

    result = invoke("exchanges", "match", str(path), "--most-exchanges", "--format", "json")

    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert len(data["matches"]) == 3
    assert data["unmatched"] == []
    assert data["status"] == "optimal"
    assert data["blocking_pairs"] == [
        {
            "visitor": "v3",
            "host": "h2",
            "reason": "h2 prefers v3 to a visitor it got, and v3 prefers h2 to h1.",
        }
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"visitors": [{"id": "v1", "preferences": ["h9"]}], "hosts": []},
            'bad.json: visitors[0].preferences[0]: "h9" is not a known host',
        ),
        (
            {
                "visitors": [{"id": "v1", "preferences": []}, {"id": "v1", "preferences": []}],
                "hosts": [],
            },
            'bad.json: visitors[1], id: "v1" is used twice',
        ),
        (
            {"visitors": [], "hosts": [{"id": "h1", "capacity": -2, "preferences": []}]},
            "bad.json: hosts[0], capacity: -2 is below 0",
        ),
    ],
)
def test_exchanges_match_bad_file_exits_2_with_place_and_reason(
    invoke: Invoke, tmp_path: Path, data: object, message: str
) -> None:
    path = write(tmp_path, "bad.json", data)

    result = invoke("exchanges", "match", str(path))

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: bad.json is not a valid assignment problem.\n  - {message}.\n"
    )


def test_exchanges_match_invalid_json_names_the_line(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"visitors": [\n}', encoding="utf-8")

    result = invoke("exchanges", "match", str(path))

    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: broken.json is not valid JSON.\n  - broken.json, line 2, column 1:"
    )


def lump_sum(invoke: Invoke, *args: str) -> tuple[int, dict[str, object]]:
    result = invoke("exchanges", "lump-sum", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_exchanges_lump_sum_json_porto_from_vigo_over_a_holiday(invoke: Invoke) -> None:
    code, data = lump_sum(
        invoke,
        "--host-country",
        "PT",
        "--visitor-place",
        "Vigo, ES",
        "--host-place",
        "Porto, PT",
        "--start",
        "2025-04-21",
        "--end",
        "2025-04-25",
    )

    assert code == 0
    assert data == {
        "working_days": 4,
        "distance_km": 120.9,
        "halved": True,
        "reasons": [
            "Visitor's place: Vigo, ES (42.23282, -8.72264; GeoNames 3105976).",
            "Host's place: Porto, PT (41.14850, -8.61097; GeoNames 2735943).",
            "4 working days from 21 April 2025 to 25 April 2025 (public holidays not counted: "
            "Freedom Day (25 April 2025)): fewer than 5.",
            "Distance 120.9 km (great circle, rounded to 1 decimal): under 200 km.",
            "Threshold for PT: EUR 780, halved once because the stay is short and the places "
            "are near: EUR 390.",
        ],
        "amount_eur": 390,
    }


def test_exchanges_lump_sum_full_amount_with_coordinates(invoke: Invoke) -> None:
    code, data = lump_sum(
        invoke,
        "--host-country",
        "Greece",
        "--visitor-place",
        "52.52,13.405",
        "--host-place",
        "37.98,23.73",
        "--start",
        "2025-03-17",
        "--end",
        "2025-03-21",
    )

    assert code == 0
    assert (data["working_days"], data["halved"], data["amount_eur"]) == (5, False, 780)
    assert data["distance_km"] == 1803.4


def test_exchanges_lump_sum_short_stay_exits_1_with_the_reason(invoke: Invoke) -> None:
    code, data = lump_sum(
        invoke,
        "--host-country",
        "PT",
        "--visitor-place",
        "52.52,13.405",
        "--host-place",
        "Porto, PT",
        "--start",
        "2025-04-21",
        "--end",
        "2025-04-22",
    )

    assert code == 1
    assert data["amount_eur"] is None
    assert data["reasons"][-1] == "The stay has 2 working days; the programme asks for at least 3."


def test_exchanges_lump_sum_text_writes_money_as_every_page(invoke: Invoke) -> None:
    result = invoke(
        "exchanges",
        "lump-sum",
        "--host-country",
        "PT",
        "--visitor-place",
        "Vigo, ES",
        "--host-place",
        "Porto, PT",
        "--start",
        "2025-04-21",
        "--end",
        "2025-04-25",
    )

    lines = result.stdout.splitlines()
    assert (result.exit_code, lines[0], lines[-1]) == (
        0,
        "Lump sum: EUR 390 (halved)",
        "  - Threshold for PT: EUR 780, halved once because the stay is short and the places are "
        "near: EUR 390.",
    )


def test_exchanges_lump_sum_long_stay_exits_1_in_text(invoke: Invoke) -> None:
    result = invoke(
        "exchanges",
        "lump-sum",
        "--host-country",
        "PT",
        "--visitor-place",
        "52.52,13.405",
        "--host-place",
        "Porto, PT",
        "--start",
        "2025-03-03",
        "--end",
        "2025-04-03",
    )

    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "Lump sum: none"
    assert result.stdout.splitlines()[-1] == (
        "  - The stay is longer than one month: it must end by 02 April 2025."
    )


def test_exchanges_lump_sum_bad_input_exits_2_with_every_reason(invoke: Invoke) -> None:
    result = invoke(
        "exchanges",
        "lump-sum",
        "--host-country",
        "PT",
        "--visitor-place",
        "Atlantis, ES",
        "--host-place",
        "Madrid, ES",
        "--start",
        "2025-04-21",
        "--end",
        "2025-04-20",
    )

    assert result.exit_code == 2
    assert result.stderr == (
        "Error: The stay cannot be judged.\n"
        '  - --visitor-place: no city called "Atlantis" in ES among the packaged cities of 5,000 inhabitants or more; give "latitude,longitude" instead.\n'
        "  - --host-place: Madrid, ES is not in the host country PT.\n"
        "  - --end: 20 April 2025 is before the start, 21 April 2025.\n"
    )


@pytest.mark.parametrize(
    ("place", "reason"),
    [
        ("91,10", "--visitor-place: latitude 91.0 is not between -90 and 90"),
        ("Porto", '--visitor-place: "Porto" is neither "latitude,longitude" nor "City, CC"'),
        ("Porto, Narnia", '--visitor-place: "Narnia" is not a known country;'),
    ],
)
def test_exchanges_lump_sum_bad_place_exits_2(invoke: Invoke, place: str, reason: str) -> None:
    result = invoke(
        "exchanges",
        "lump-sum",
        "--host-country",
        "PT",
        "--visitor-place",
        place,
        "--host-place",
        "Porto, PT",
        "--start",
        "2025-04-21",
        "--end",
        "2025-04-25",
    )

    assert result.exit_code == 2
    assert result.stderr.splitlines()[1].startswith(f"  - {reason}")


def test_exchanges_lump_sum_uses_the_administrators_table(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    table = tmp_path / "amounts.csv"
    table.write_text("country,amount_eur\nPT,1000\nES,900\n", encoding="utf-8")
    monkeypatch.setenv("CLUSTERBRIDGE_EXCHANGE_LUMP_SUMS_FILE", str(table))
    get_settings.cache_clear()

    code, data = lump_sum(
        invoke,
        "--host-country",
        "PT",
        "--visitor-place",
        "52.52,13.405",
        "--host-place",
        "Porto, PT",
        "--start",
        "2025-03-03",
        "--end",
        "2025-03-06",
    )

    assert code == 0
    assert data["amount_eur"] == 500


def test_exchanges_lump_sum_bad_administrator_table_exits_2(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    table = tmp_path / "amounts.csv"
    table.write_text("country,amount_eur\nPT,700\nPortugal,800\nES,lots\nZZ,5\n", encoding="utf-8")
    monkeypatch.setenv("CLUSTERBRIDGE_EXCHANGE_LUMP_SUMS_FILE", str(table))
    get_settings.cache_clear()

    result = invoke(
        "exchanges",
        "lump-sum",
        "--host-country",
        "PT",
        "--visitor-place",
        "52.52,13.405",
        "--host-place",
        "Porto, PT",
        "--start",
        "2025-03-03",
        "--end",
        "2025-03-06",
    )

    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: The lump-sum table cannot be read."
    assert lines[1:] == [
        "  - amounts.csv, row 3, country: PT is listed twice.",
        '  - amounts.csv, row 4, amount_eur: "lots" is not a positive amount in euros.',
        '  - amounts.csv, row 5, country: "ZZ" is not a known country code; use an ISO 3166 or EU code such as DE, EL or UK.',
    ]


@pytest.fixture
def configured(cli_database: Database) -> Database:
    """The CLI's configured database: the test database, with an administrator and Paula."""
    with cli_database.unit_of_work() as session:
        make_user(session, email="ada@example.org", name="Ada", role=UserRole.ADMINISTRATOR)
        make_user(session, email="paula@alpine.example", name="Paula")
    return cli_database


def test_exchanges_partnership_creates_it_with_its_members(
    invoke: Invoke, configured: Database
) -> None:
    result = invoke(
        "exchanges",
        "partnership",
        "Alpine CXC",
        "--country",
        "Austria",
        "--member",
        "paula@alpine.example",
        "--as",
        "ada@example.org",
    )

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Created partnership Alpine CXC (id ")
    with configured.unit_of_work() as session:
        [partnership] = session.scalars(sa.select(ExchangePartnership)).all()
        members = session.scalars(sa.select(ExchangePartnershipMember)).all()
        assert (partnership.country, len(members)) == ("AT", 1)


def test_exchanges_partnership_needs_an_administrator(invoke: Invoke, configured: Database) -> None:
    result = invoke(
        "exchanges",
        "partnership",
        "Alpine CXC",
        "--country",
        "AT",
        "--member",
        "paula@alpine.example",
        "--as",
        "paula@alpine.example",
    )

    assert result.exit_code == 2
    assert result.stderr == (
        "Error: The partnership cannot be created.\n"
        "  - --as: paula@alpine.example is not an administrator.\n"
    )


def test_exchanges_partnership_unknown_member_exits_2(invoke: Invoke, configured: Database) -> None:
    result = invoke(
        "exchanges",
        "partnership",
        "Alpine CXC",
        "--country",
        "AT",
        "--member",
        "nobody@example.org",
        "--as",
        "ada@example.org",
    )

    assert result.exit_code == 2
    assert result.stderr == (
        "Error: The partnership cannot be created.\n"
        "  - --member: there is no active account for nobody@example.org.\n"
    )


def test_exchanges_partnership_reports_every_problem_at_once(
    invoke: Invoke, configured: Database
) -> None:
    result = invoke(
        "exchanges",
        "partnership",
        "Alpine CXC",
        "--country",
        "Atlantis",
        "--member",
        "nobody@example.org",
        "--as",
        "paula@alpine.example",
    )

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "Error: The partnership cannot be created.",
        "  - --as: paula@alpine.example is not an administrator.",
        '  - --country: "Atlantis" is not a known country; give its English name or its ISO 3166 or EU code, such as Germany, DE, EL or UK.',
        "  - --member: there is no active account for nobody@example.org.",
    ]


def test_exchanges_remind_without_payments_due(invoke: Invoke, configured: Database) -> None:
    result = invoke("exchanges", "remind")

    assert (result.exit_code, result.stdout) == (0, "Reminders sent for 0 payment(s).\n")
