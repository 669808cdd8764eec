"""A payment reference once per call among the payments not cancelled, ignoring case, kept by
the database (revision 0039, ADR 0041): a direct write of a duplicate is refused, a cancelled
one is not, nor the same reference in another call; the payment's copy of its call is its
proposal's; a collision is the same 409 as the service's check. Revision 0039 fills the copy,
refuses (before any change, naming them) a database that holds duplicates already, and goes
back down. Runs on SQLite and PostgreSQL."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from clusterbridge.cli.app import app
from clusterbridge.config import get_settings
from clusterbridge.db import migrate
from clusterbridge.db.base import Base
from clusterbridge.db.conflicts import REFERENCE_TAKEN, known_constraint
from clusterbridge.db.models import (
    CascadePayment,
    EvaluationPanel,
    Organisation,
    ProgrammeCall,
    Proposal,
    ProposalDecision,
    User,
)
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import ProposalOutcome, ProposalState, UserRole
from clusterbridge.domain.errors import ConflictError
from clusterbridge.services.selection import payments
from clusterbridge.services.selection.payments import DuplicatePaymentError, PaymentDraft
from tests.factories.calls import cascade_draft, make_call
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2024, 12, 1, 9, 0, tzinfo=UTC)
PAID_ON = date(2025, 6, 1)
TODAY = date(2025, 8, 1)
CANCELLED = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)
INDEX = "uq_cascade_payment_call_reference"


def _calls(session: Session) -> dict[str, Proposal]:
    """Two published cascade calls whose selection is published: SUNPILOT and TIDAL selected
    in SME-OPEN-2025, WIND in SME-OPEN-2026."""
    officer = make_user(session, email="olga@programme.example", name="Olga",
                        role=UserRole.PROGRAMME_OFFICER)  # fmt: skip
    sme = make_organisation(session, name="Solar Bits GmbH", country="DE", type=None)
    found = {}
    for identifier, acronyms in (("SME-OPEN-2025", ("SUNPILOT", "TIDAL")),
                                 ("SME-OPEN-2026", ("WIND",))):  # fmt: skip
        call = make_call(session, officer=officer, draft=cascade_draft(identifier=identifier),
                         published_at=NOW)  # fmt: skip
        session.add(EvaluationPanel(call_id=call.id, ranked_at=NOW, published_at=NOW))
        for rank, acronym in enumerate(acronyms, start=1):
            found[acronym] = _selected(session, call, sme, acronym, rank)
    session.flush()
    return found


def _selected(
    session: Session, call: ProgrammeCall, sme: Organisation, acronym: str, rank: int
) -> Proposal:
    proposal = Proposal(call=call, organisation=sme, acronym=acronym, title=f"{acronym} pilot",
                        summary="", requested_grant=Decimal(40_000), duration_months=9,
                        state=ProposalState.SUBMITTED, submitted_at=NOW, eligible=True,
                        eligibility={"verdict": "eligible"})  # fmt: skip
    session.add(proposal)
    session.flush()
    session.add(ProposalDecision(proposal_id=proposal.id, outcome=ProposalOutcome.SELECTED,
                                 reason="selected", rank=rank, taken_order=rank))  # fmt: skip
    return proposal


def _row(proposal: Proposal, reference: str, **changes: Any) -> dict[str, Any]:
    return {"proposal_id": proposal.id, "call_id": proposal.call_id, "amount": Decimal(100),
            "paid_on": PAID_ON, "reference": reference, "cancel_reason": ""} | changes  # fmt: skip


def _refused(session: Session, row: dict[str, Any]) -> str | None:
    """The constraint that refuses a direct insert of ``row`` (the name of a known one, else
    the driver's message), or None when the database takes it."""
    try:
        with session.begin_nested():
            session.execute(sa.insert(CascadePayment).values(**row))
    except IntegrityError as error:
        known = known_constraint(error)
        return str(error.orig) if known is None else known.name
    return None


def test_the_database_takes_a_reference_once_per_call_among_payments_not_cancelled(
    session: Session,
) -> None:
    found = _calls(session)
    sunpilot, tidal, wind = found["SUNPILOT"], found["TIDAL"], found["WIND"]
    assert _refused(session, _row(sunpilot, "TR-001")) is None

    refused = {
        "same application": _refused(session, _row(sunpilot, "TR-001")),
        "other case, other application": _refused(session, _row(tidal, "tr-001")),
        "cancelled": _refused(session, _row(tidal, "tr-001", cancelled_at=CANCELLED)),
        "another call": _refused(session, _row(wind, "TR-001")),
        "another reference": _refused(session, _row(tidal, "TR-002")),
    }

    assert refused == {
        "same application": INDEX,
        "other case, other application": INDEX,
        "cancelled": None,
        "another call": None,
        "another reference": None,
    }


def test_a_cancelled_payment_frees_its_reference_in_the_database(session: Session) -> None:
    found = _calls(session)
    sunpilot, tidal = found["SUNPILOT"], found["TIDAL"]
    session.execute(sa.insert(CascadePayment).values(**_row(sunpilot, "TR-001")))

    session.execute(sa.update(CascadePayment).values(cancelled_at=CANCELLED))

    assert _refused(session, _row(tidal, "Tr-001")) is None
    assert _refused(session, _row(sunpilot, "TR-001")) == INDEX
    standing = sa.select(CascadePayment.reference).where(CascadePayment.cancelled_at.is_(None))
    assert session.scalars(standing).all() == ["Tr-001"]
    # Cancelling the first again is taken; reviving it would make two standing payments.
    revive = sa.update(CascadePayment).where(CascadePayment.reference == "TR-001")
    with pytest.raises(IntegrityError) as caught, session.begin_nested():
        session.execute(revive.values(cancelled_at=None))
    assert getattr(known_constraint(caught.value), "name", None) == INDEX


def test_a_payments_call_is_its_proposals(session: Session) -> None:
    found = _calls(session)
    wrong_call = _row(found["SUNPILOT"], "TR-001", call_id=found["WIND"].call_id)

    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(sa.insert(CascadePayment).values(**wrong_call))


def test_a_collision_at_the_commit_is_a_conflict(clean_database: Database) -> None:
    with clean_database.unit_of_work() as session:
        sunpilot = _calls(session)["SUNPILOT"]
        session.execute(sa.insert(CascadePayment).values(**_row(sunpilot, "TR-001")))

    with pytest.raises(ConflictError) as caught, clean_database.unit_of_work() as session:
        session.execute(sa.insert(CascadePayment).values(**_row(sunpilot, "tr-001")))

    assert (caught.value.status, str(caught.value)) == (409, REFERENCE_TAKEN)


@pytest.fixture
def blind_check(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The service's check sees no payment the first time it looks (as if another code path
    wrote one it could not see); the calls it made are counted."""
    seen = payments.repository.standing_payments_of_call
    calls: list[int] = []

    def first_blind(session: Session, call_id: int) -> list[CascadePayment]:
        calls.append(call_id)
        return [] if len(calls) == 1 else seen(session, call_id)

    monkeypatch.setattr(payments.repository, "standing_payments_of_call", first_blind)
    return calls


def test_the_index_refusing_a_payment_the_check_missed_is_the_checks_409(
    session: Session, blind_check: list[int]
) -> None:
    found = _calls(session)
    sunpilot, tidal = found["SUNPILOT"], found["TIDAL"]
    officer = session.scalars(sa.select(User).where(User.name == "Olga")).one()
    session.execute(sa.insert(CascadePayment).values(**_row(sunpilot, "TR-001")))

    with pytest.raises(DuplicatePaymentError) as caught:
        payments.record_payment(session, officer, tidal.id,
                                PaymentDraft(Decimal(4_000), PAID_ON, " tr-001 "), today=TODAY)  # fmt: skip

    assert (caught.value.status, caught.value.field, str(caught.value)) == (
        409, "reference",
        f"The reference TR-001 is already used by a payment to SUNPILOT (application "
        f"{sunpilot.id}, EUR 100 paid on 01 June 2025) in this call: a transfer's reference "
        "names one transfer, recorded once per call (cancel that payment first if it was "
        "booked to the wrong application)",
    )  # fmt: skip
    assert blind_check == [sunpilot.call_id, sunpilot.call_id]
    # Only the refused payment was undone: the session goes on.
    listed = payments.call_payments(session, officer, sunpilot.call_id)
    assert [(f.proposal.acronym, [p.reference for p in f.payments]) for f in listed] == [
        ("SUNPILOT", ["TR-001"]), ("TIDAL", []),
    ]  # fmt: skip


def test_a_payment_recorded_by_the_service_carries_its_call(session: Session) -> None:
    found = _calls(session)
    officer = session.scalars(sa.select(User).where(User.name == "Olga")).one()

    paid = payments.record_payment(session, officer, found["WIND"].id,
                                   PaymentDraft(Decimal(4_000), PAID_ON, "TR-001"), today=TODAY)  # fmt: skip

    assert (paid.proposal_id, paid.call_id) == (found["WIND"].id, found["WIND"].call_id)


# The migration.


@pytest.fixture
def scratch(database_url: str, tmp_path: Path) -> Iterator[Database]:
    """A SQLite file of its own, or the PostgreSQL test database (emptied, left at head)."""
    if database_url.startswith("sqlite"):
        database_url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    db = Database.connect(database_url)
    migrate.upgrade(db.engine)
    yield db
    # Emptied first: revision 0039 refuses the duplicates a test may leave.
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    migrate.upgrade(db.engine)
    db.dispose()


#: A payment as revision 0038 stores it (no call).
INSERT_0038 = sa.text(
    "INSERT INTO cascade_payment (id, proposal_id, amount, paid_on, reference, created_at, "
    "updated_at, cancelled_at, cancel_reason) VALUES (:id, :proposal_id, 100, :paid_on, "
    ":reference, :at, :at, :cancelled_at, '')"
)


def _at_0038(db: Database, payments_0038: list[tuple[int, str, str, bool]]) -> dict[str, int]:
    """The calls and proposals of `_calls` at head, then the database at revision 0038 with
    ``payments_0038`` (id, acronym, reference, cancelled) written as 0038 stores them; the
    proposals' calls by acronym."""
    with Session(db.engine) as session:
        found = _calls(session)
        session.commit()
        calls = {acronym: p.call_id for acronym, p in found.items()}
        ids = {acronym: p.id for acronym, p in found.items()}
    migrate.downgrade(db.engine, "0038")
    with db.engine.begin() as connection:
        for payment_id, acronym, reference, cancelled in payments_0038:
            connection.execute(INSERT_0038, {
                "id": payment_id, "proposal_id": ids[acronym], "paid_on": PAID_ON,
                "reference": reference, "at": NOW, "cancelled_at": CANCELLED if cancelled else None,
            })  # fmt: skip
    return calls


def _payments(db: Database) -> list[tuple[Any, ...]]:
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("cascade_payment")}
    call = ", call_id" if "call_id" in columns else ""
    query = f"SELECT id, proposal_id, reference{call} FROM cascade_payment ORDER BY id"
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(query))]


def test_revision_0039_copies_each_payments_call_and_goes_back_down(scratch: Database) -> None:
    calls = _at_0038(scratch, [(1, "SUNPILOT", "TR-001", False), (2, "TIDAL", "tr-001", True),
                               (3, "WIND", "TR-001", False)])  # fmt: skip
    before = _payments(scratch)

    migrate.upgrade(scratch.engine)
    upgraded = _payments(scratch)
    with Session(scratch.engine) as session:
        tidal = session.scalars(sa.select(Proposal).where(Proposal.acronym == "TIDAL")).one()
        refused = _refused(session, _row(tidal, "Tr-001"))
    migrate.downgrade(scratch.engine, "0038")
    downgraded = _payments(scratch)

    assert [row[3] for row in upgraded] == [calls["SUNPILOT"], calls["TIDAL"], calls["WIND"]]
    assert [row[:3] for row in upgraded] == before == downgraded
    assert refused == INDEX
    assert migrate.current_revision(scratch.engine) == "0038"


def test_revision_0039_refuses_a_database_with_a_reference_twice_and_changes_nothing(
    scratch: Database,
) -> None:
    _at_0038(scratch, [(1, "SUNPILOT", "TR-001", False), (2, "TIDAL", "tr-001", False),
                       (3, "TIDAL", "TR-001", True), (4, "WIND", "TR-001", False),
                       (5, "SUNPILOT", "TR-002", False)])  # fmt: skip
    before = _payments(scratch)

    with pytest.raises(ConflictError) as caught:
        migrate.upgrade(scratch.engine)

    assert str(caught.value) == (
        "The database cannot be upgraded to revision 0039: a payment reference is used more "
        "than once in a call among the payments not cancelled (ignoring case), which the new "
        "unique index refuses. Nothing was changed. Cancel the payments recorded by mistake "
        "(the call's payments page, with the previous version) and upgrade again:\n"
        "  - call SME-OPEN-2025, reference 'TR-001': payment 1 to SUNPILOT, 100.00 EUR paid on "
        "2025-06-01\n"
        "  - call SME-OPEN-2025, reference 'tr-001': payment 2 to TIDAL, 100.00 EUR paid on "
        "2025-06-01"
    )
    assert migrate.current_revision(scratch.engine) == "0038"
    assert _payments(scratch) == before
    with scratch.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE cascade_payment SET cancelled_at = :at WHERE id = 2"), {"at": CANCELLED}
        )
    migrate.upgrade(scratch.engine)
    assert migrate.current_revision(scratch.engine) == "0039"


def test_the_cli_says_why_revision_0039_is_refused_with_status_2(
    scratch: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at_0038(scratch, [(1, "SUNPILOT", "TR-001", False), (2, "TIDAL", "Tr-001", False)])
    monkeypatch.setenv("CLUSTERBRIDGE_DATABASE_URL", str(scratch.engine.url.render_as_string(
        hide_password=False)))  # fmt: skip
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["db", "upgrade"], catch_exceptions=False)
    finally:
        get_settings.cache_clear()

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("Error: The database cannot be upgraded to revision 0039")
    assert result.stderr.endswith(
        "  - call SME-OPEN-2025, reference 'TR-001': payment 1 to SUNPILOT, 100.00 EUR paid on "
        "2025-06-01.\n"
        "  - call SME-OPEN-2025, reference 'Tr-001': payment 2 to TIDAL, 100.00 EUR paid on "
        "2025-06-01.\n"
    )
    assert migrate.current_revision(scratch.engine) == "0038"
