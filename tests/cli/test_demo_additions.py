"""``clusterbridge demo --no-serve`` on a demo database made before a demo addition existed
adds what it lacks, once, says so, and duplicates nothing when run again; one made months ago
gets its consortium moved to the open call and the call's deadline moved later."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from clusterbridge.db.models import (
    Consortium,
    Event,
    Exchange,
    ExchangeParticipant,
    MonitoredProject,
    ProgrammeCall,
)
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType, RecordSource, Role, UserRole
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.services.consortia.demo import DEMO_CONSORTIUM
from clusterbridge.services.demo import ADMIN_EMAIL, DEMO_EMAIL
from clusterbridge.services.selection.demo import prepare_demo_call
from tests.cli.conftest import Invoke
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.db, pytest.mark.slow]

#: Cluster organisations with coordinates in eight programme countries: the first six make the
#: partnership, the last two the visitors of the past exchanges.
PLACES = [
    ("Munich Manufacturing Cluster", "DE", 48.14, 11.58),
    ("Porto Digital Industry Cluster", "PT", 41.15, -8.61),
    ("Lyon Textile Innovation Network", "FR", 45.76, 4.84),
    ("Turin Automotive Cluster", "IT", 45.07, 7.69),
    ("Gent Circular Economy Cluster", "BE", 51.05, 3.72),
    ("Vienna Creative Industries Cluster", "AT", 48.21, 16.37),
    ("Madrid Aerospace Cluster", "ES", 40.42, -3.70),
    ("Eindhoven High Tech Cluster", "NL", 51.44, 5.47),
]
SMES = [
    ("Weberei Albstadt GmbH", "DE"),
    ("Tessitura Biella SRL", "IT"),
    ("Tissages Lyon SAS", "FR"),
]


def _add_organisations(database: Database, places: list[tuple[str, str, float, float]]) -> None:
    with database.unit_of_work() as session:
        for name, country, latitude, longitude in places:
            organisation = make_organisation(session, name=name, country=country, nuts=None)
            organisation.latitude, organisation.longitude = latitude, longitude
            organisation.source = RecordSource.CORDIS


def _counts(database: Database) -> dict[str, int]:
    tables = {
        "events": Event, "participants": ExchangeParticipant, "exchanges": Exchange,
        "projects": MonitoredProject, "consortia": Consortium, "calls": ProgrammeCall,
    }  # fmt: skip
    with database.unit_of_work() as session:
        return {
            name: session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
            for name, model in tables.items()
        }


def _added_line(stdout: str) -> str:
    [line] = [line for line in stdout.splitlines() if "added" in line.lower()]
    return line


def test_demo_adds_the_past_exchanges_an_older_demo_database_lacks_once(
    invoke: Invoke, cli_database: Database
) -> None:
    with cli_database.unit_of_work() as session:
        for name, country in SMES:
            sme = make_organisation(
                session, name=name, country=country, nuts=None, type=OrgType.SME
            )
            sme.source = RecordSource.CORDIS
    _add_organisations(cli_database, PLACES[:6])
    older = invoke("demo", "--no-serve")
    _add_organisations(cli_database, PLACES[6:])

    caught_up = invoke("demo", "--no-serve")
    counts = _counts(cli_database)
    again = invoke("demo", "--no-serve")

    assert (older.exit_code, caught_up.exit_code, again.exit_code) == (0, 0, 0)
    assert _added_line(older.stdout) == (
        "Added to the demo database: the match-making event, the exchange partnership, "
        "the monitored project, the consortium, the open call DEMO-ALLIANCES."
    )
    assert _added_line(caught_up.stdout) == "Added to the demo database: 2 past exchanges."
    assert _added_line(again.stdout) == (
        "The demo database already has every part of the demo: nothing was added."
    )
    assert counts == {
        "events": 1, "participants": 8, "exchanges": 3, "projects": 1, "consortia": 1, "calls": 1,
    }  # fmt: skip
    assert _counts(cli_database) == counts


def test_demo_moves_an_older_consortium_to_the_open_call_and_reopens_the_call(
    invoke: Invoke, cli_database: Database
) -> None:
    """A demo database made months ago by a version whose consortium applied to
    SMP-COSME-2024-CLUSTER: its call closed since, nobody sent it a proposal."""
    built = datetime.now(UTC) - timedelta(days=100)
    _add_organisations(cli_database, PLACES[:1])
    with cli_database.unit_of_work() as session:
        admin = make_user(session, email=ADMIN_EMAIL, name="A", role=UserRole.ADMINISTRATOR)
        demo = make_user(session, email=DEMO_EMAIL, name="Demo")
        old_call = prepare_demo_call(session, admin, catalogue=load_catalogue(), now=built)
        consortium = make_consortium(
            session, owner=demo, name=DEMO_CONSORTIUM, requested_grant_eur=2_600_000
        )
        for name, country in [("Kiel Cluster", "DE"), ("Graz Cluster", "AT"), ("Lodz SME", "PL")]:
            add_partner(session, consortium, name=name, country=country, role=Role.BENEFICIARY)
        consortium_id = consortium.id

    result = invoke("demo", "--no-serve")
    again = invoke("demo", "--no-serve")

    assert (result.exit_code, again.exit_code) == (0, 0)
    brussels = ZoneInfo("Europe/Brussels")
    new_day = datetime.now(brussels).date() + timedelta(days=60)
    new_deadline = datetime.combine(new_day, time(17, 0), tzinfo=brussels)
    assert old_call.closes_at is not None
    old_words = old_call.closes_at.astimezone(brussels).strftime("%d %B %Y %H:%M")
    lines = result.stdout.splitlines()
    assert (
        f"The demo account's consortium (3 partners) now applies to the open call DEMO-ALLIANCES "
        f"strand 1 instead of SMP-COSME-2024-CLUSTER, whose deadline has passed; it is at "
        f"/consortia/{consortium_id}: its eligibility checklist and suggested partners."
    ) in lines
    assert (
        f"Nobody has sent the open call a proposal: its deadline moved from {old_words} to "
        f"{new_deadline.strftime('%d %B %Y %H:%M')} (Europe/Brussels)."
    ) in lines
    assert (
        f"The demo account's consortium (3 partners) for DEMO-ALLIANCES strand 1 is at "
        f"/consortia/{consortium_id}: its eligibility checklist and suggested partners."
    ) in again.stdout.splitlines()
    assert "deadline moved" not in again.stdout
    with cli_database.unit_of_work() as session:
        row = session.get(Consortium, consortium_id)
        call = session.scalars(sa.select(ProgrammeCall)).one()
        assert row is not None
        assert (row.call_id, row.requested_grant_eur) == ("DEMO-ALLIANCES", 500_000)
        assert call.closes_at == new_deadline
        assert _counts(cli_database)["consortia"] == 1
