"""Cascade calls through the services: applications by one SME the applicant may edit, the
maximum per SME at creation and submission, eligibility on a consortium of one, the receipt
mailed at submission, the same activity funded twice (a table of cases and at ranking), and
awards below the request (checked, kept and weighed by the next ranking, stated in the letter
and the ranked list) and payments within the amount awarded."""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    ConsensusReport,
    EvaluationAssignment,
    EvaluationPanel,
    Expert,
    Organisation,
    ProgrammeCall,
    Proposal,
    ProposalDecision,
    User,
)
from clusterbridge.domain.enums import ProposalOutcome, ProposalState, Role, UserRole
from clusterbridge.domain.errors import (
    AccessDeniedError,
    ConflictError,
    InputIssue,
    InvalidInputError,
)
from clusterbridge.services.mail import FileMailer, Mail, pending_mail
from clusterbridge.services.selection import assignment as assigning
from clusterbridge.services.selection import cascade, letters, outcome, payments, proposals
from clusterbridge.services.selection.access import EvaluationNotFoundError
from clusterbridge.services.selection.notices import SelectionMail
from clusterbridge.services.selection.payments import PaymentDraft
from clusterbridge.services.selection.proposals import ProposalDraft
from tests.factories.calls import PDF_BYTES, cascade_draft, make_call
from tests.factories.evaluation import make_expert
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2024, 12, 1, 9, 0, tzinfo=UTC)
#: After the deadline of the calls (3 March 2025): when they are ranked and published.
CLOSED = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
#: The site's date when payments are recorded.
TODAY = date(2025, 8, 1)


@pytest.fixture
def officer(session: Session) -> User:
    return make_user(
        session, email="olga@programme.example", name="Olga", role=UserRole.PROGRAMME_OFFICER
    )


@pytest.fixture
def sara(session: Session) -> User:
    return make_user(session, email="sara@sme.example", name="Sara")


@pytest.fixture
def sme(session: Session, sara: User) -> Organisation:
    organisation = make_organisation(session, name="Solar Bits GmbH", country="DE", type=None)
    organisation.is_sme = True
    add_member(session, organisation, sara)
    return organisation


@pytest.fixture
def call(session: Session, officer: User) -> ProgrammeCall:
    return make_call(session, officer=officer, draft=cascade_draft(), published_at=NOW)


def _draft(organisation: Organisation, **changes: object) -> ProposalDraft:
    fields: dict[str, object] = {
        "consortium_id": None,
        "organisation_id": organisation.id,
        "acronym": "SUNPILOT",
        "title": "Solar panel recycling pilot",
        "summary": "We recycle solar panels in Bavaria.",
        "requested_grant": 40_000,
        "duration_months": 9,
    }
    return ProposalDraft(**(fields | changes))  # type: ignore[arg-type]


def _apply(session: Session, user: User, call: ProgrammeCall, draft: ProposalDraft) -> Proposal:
    proposal = proposals.create_proposal(session, user, call.id, draft, now=NOW)
    proposal.documents = []
    session.flush()
    return proposal


def test_an_sme_applies_with_its_own_organisation(
    session: Session, sara: User, call: ProgrammeCall, sme: Organisation
) -> None:
    proposal = proposals.create_proposal(session, sara, call.id, _draft(sme), now=NOW)

    assert (proposal.organisation_id, proposal.consortium_id, proposal.requested_grant) == (
        sme.id,
        None,
        Decimal(40_000),
    )


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("none", "choose your organisation"),
        ("not a member", "you may not edit organisation {id} (or there is none)"),
        ("not an SME", "Big Corp AG is not recorded as an SME in the registry"),
        ("unknown SME status", "Big Corp AG is not recorded as an SME in the registry"),
    ],
)
def test_the_applicant_must_be_an_sme_they_may_edit(
    session: Session, sara: User, call: ProgrammeCall, case: str, reason: str
) -> None:
    big = make_organisation(session, name="Big Corp AG", type=None)
    big.is_sme = {"not a member": True, "not an SME": False}.get(case)
    if case != "not a member":
        add_member(session, big, sara)
    draft = _draft(big, organisation_id=None if case == "none" else big.id)

    with pytest.raises(InvalidInputError) as caught:
        proposals.create_proposal(session, sara, call.id, draft, now=NOW)

    assert caught.value.issues == (InputIssue("", "organisation_id", reason.format(id=big.id)),)


def test_the_maximum_per_sme_counts_every_application_to_the_call(
    session: Session, sara: User, call: ProgrammeCall, sme: Organisation
) -> None:
    proposals.create_proposal(session, sara, call.id, _draft(sme), now=NOW)

    with pytest.raises(InvalidInputError) as caught:
        proposals.create_proposal(
            session, sara, call.id, _draft(sme, acronym="SUN2", requested_grant=25_000), now=NOW
        )

    assert caught.value.issues == (
        InputIssue(
            "",
            "requested_grant",
            "Solar Bits GmbH would ask EUR 65,000 of this call in all, more than its maximum "
            "of EUR 60,000 per SME (EUR 40,000 in its other applications)",
        ),
    )


def test_a_withdrawn_application_does_not_count_towards_the_maximum(
    session: Session, sara: User, call: ProgrammeCall, sme: Organisation
) -> None:
    first = proposals.create_proposal(session, sara, call.id, _draft(sme), now=NOW)
    first.state = ProposalState.WITHDRAWN
    first.submitted_at = NOW
    session.flush()

    second = proposals.create_proposal(
        session, sara, call.id, _draft(sme, acronym="SUN2", requested_grant=60_000), now=NOW
    )

    assert second.requested_grant == Decimal(60_000)


def test_submission_checks_the_sme_alone_and_mails_a_receipt(
    session: Session, sara: User, call: ProgrammeCall, sme: Organisation, tmp_path: Path
) -> None:
    proposal = proposals.create_proposal(session, sara, call.id, _draft(sme), now=NOW)
    proposals.add_documents(session, sara, proposal.id, [_pdf()], now=NOW)
    mail = SelectionMail(FileMailer(tmp_path, "noreply@example.org"), "https://cb.example")

    proposals.submit_proposal(session, sara, proposal.id, now=NOW, mail=mail)

    assert (proposal.eligible, proposal.eligibility["verdict"]) == (True, "eligible")
    assert [(f["rule"], f["status"]) for f in proposal.eligibility["findings"]] == [
        ("eligible-country", "pass")
    ]
    assert [p["name"] for p in proposal.eligibility["consortium"]["partners"]] == [
        "Solar Bits GmbH"
    ]
    assert [
        (p.position, p.organisation_id, p.name, p.country, p.role) for p in proposal.partners
    ] == [(1, sme.id, "Solar Bits GmbH", "DE", Role.COORDINATOR)]
    assert pending_mail(session) == [
        Mail(
            ("sara@sme.example",),
            "SME-OPEN-2025: SUNPILOT is submitted",
            "Hello Sara,\n\nYour proposal SUNPILOT (Solar panel recycling pilot) to the call "
            "SME-OPEN-2025 was submitted on 01 December 2024 at 10:00 (Europe/Brussels).\n\n"
            "The eligibility check at submission: eligible.\n\n"
            f"Its page: https://cb.example/proposals/{proposal.id}\n",
        )
    ]


def test_submission_refuses_an_sme_the_applicant_no_longer_speaks_for(
    session: Session, sara: User, officer: User, call: ProgrammeCall, sme: Organisation
) -> None:
    proposal = proposals.create_proposal(session, sara, call.id, _draft(sme), now=NOW)
    proposals.add_documents(session, sara, proposal.id, [_pdf()], now=NOW)
    sme.is_sme = False
    session.flush()

    with pytest.raises(ConflictError) as caught:
        proposals.submit_proposal(session, sara, proposal.id, now=NOW)

    assert str(caught.value) == (
        "The application cannot be submitted: Solar Bits GmbH is not recorded as an SME in "
        "the registry"
    )


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("Solar panel recycling", "Solar panel recycling", 1.0),
        ("Solar panel recycling", "Recycling of solar panels", 0.67),
        ("Solar panel recycling", "Tourism booking data", 0.0),
        ("", "Solar panel recycling", 0.0),
    ],
)
def test_text_similarity_of_activities(first: str, second: str, expected: float) -> None:
    assert round(cascade.text_similarity(first, second), 2) == expected


#: (organisation of the funded application, its title, expected reason or None)
FUNDED_CASES = [
    (1, "Solar panel recycling pilot", "already funded for this activity by call OLD-CALL "
     "(OLDSUN, EUR 25,000 awarded, similarity 1.00)"),
    (1, "Recycling pilot for solar panels in Bavaria", "already funded for this activity by "
     "call OLD-CALL (OLDSUN, EUR 25,000 awarded, similarity 0.67)"),
    (1, "Tourism booking data platform", None),
    (2, "Solar panel recycling pilot", None),
]  # fmt: skip


@pytest.mark.parametrize(("organisation", "title", "expected"), FUNDED_CASES)
def test_the_same_activity_is_the_same_organisation_with_similar_words(
    organisation: int, title: str, expected: str | None
) -> None:
    old_call = ProgrammeCall(identifier="OLD-CALL")
    funded = Proposal(id=7, organisation_id=organisation, acronym="OLDSUN", title=title,
                      summary="", call=old_call, requested_grant=Decimal(30_000))  # fmt: skip
    decision = ProposalDecision(proposal=funded, outcome=ProposalOutcome.SELECTED,
                                awarded_grant=Decimal(25_000))  # fmt: skip
    proposal = Proposal(id=8, organisation_id=1, acronym="SUNPILOT",
                        title="Solar panel recycling pilot", summary="")  # fmt: skip

    assert cascade.already_funded(proposal, [decision]) == expected


def test_ranking_puts_out_an_sme_already_funded_for_the_activity(
    session: Session, sara: User, officer: User, call: ProgrammeCall, sme: Organisation
) -> None:
    old = make_call(
        session, officer=officer, draft=cascade_draft(identifier="SME-2024"), published_at=NOW
    )
    funded = _submitted(session, sara, old, sme, "OLDSUN", "Solar panel recycling pilot")
    session.add_all([
        EvaluationPanel(call_id=old.id, ranked_at=NOW, published_at=NOW),
        ProposalDecision(proposal_id=funded.id, outcome=ProposalOutcome.SELECTED,
                         reason="selected", rank=1, taken_order=1),
    ])  # fmt: skip
    again = _submitted(session, sara, call, sme, "SUNPILOT", "Solar panel recycling pilot")

    selection = outcome.rank_call(session, officer, call.id, now=CLOSED)

    assert [(d.proposal_id, d.outcome, d.reason) for d in selection.decisions] == [
        (again.id, ProposalOutcome.OUT, "already funded for this activity by call SME-2024 "
         "(OLDSUN, EUR 40,000 awarded, similarity 1.00)"),
    ]  # fmt: skip


def test_a_conflict_with_an_applying_sme_names_it_as_the_applying_sme(
    session: Session, sara: User, officer: User, call: ProgrammeCall, sme: Organisation
) -> None:
    """Ines works for Solar Bits GmbH; Uwe, an independent expert, is a user of its record."""
    application = _submitted(session, sara, call, sme, "SUNPILOT", "Solar panel recycling pilot")
    ines = make_user(session, email="ines@experts.example", name="Ines")
    uwe = make_user(session, email="uwe@experts.example", name="Uwe")
    add_member(session, sme, uwe)
    make_expert(session, user=ines, organisation=sme, expertise="solar")
    make_expert(session, user=uwe, expertise="solar")

    panel = assigning.call_panel(session, officer, call.id, today=CLOSED.date())

    names = {str(e.id): e.user.name for e in panel.experts}
    assert [(names[c.expert], c.proposal, c.reason) for c in panel.conflicts] == [
        ("Ines", str(application.id), "works for Solar Bits GmbH, the applying SME"),
        ("Uwe", str(application.id), "is a user of Solar Bits GmbH, the applying SME"),
    ]


def test_payments_stay_within_the_amount_awarded(
    session: Session, sara: User, officer: User, call: ProgrammeCall, sme: Organisation
) -> None:
    selected = _selected(session, sara, call, sme)
    payments.record_payment(
        session,
        officer,
        selected.id,
        PaymentDraft(Decimal(30_000), date(2025, 6, 1), "TR-1"),
        today=TODAY,
    )

    with pytest.raises(InvalidInputError) as caught:
        payments.record_payment(
            session, officer, selected.id, PaymentDraft(Decimal("10000.01"), None, " "), today=TODAY
        )

    assert caught.value.issues == (
        InputIssue("", "amount", "would bring the payments to EUR 40,000.01, more than the "
                   "EUR 40,000 awarded (EUR 10,000 left to pay)"),
        InputIssue("", "paid_on", "choose the day the payment was made"),
        InputIssue("", "reference", "is required (the transfer's reference)"),
    )  # fmt: skip
    with pytest.raises(InvalidInputError) as caught:
        payments.record_payment(
            session, officer, selected.id,
            PaymentDraft(Decimal("10000.01"), date(2025, 7, 1), "TR-2"), today=TODAY
        )  # fmt: skip
    assert caught.value.issues == (
        InputIssue("", "amount", "would bring the payments to EUR 40,000.01, more than the "
                   "EUR 40,000 awarded (EUR 10,000 left to pay)"),
    )  # fmt: skip
    payments.record_payment(
        session,
        officer,
        selected.id,
        PaymentDraft(Decimal(10_000), date(2025, 7, 1), "TR-2"),
        today=TODAY,
    )
    [row] = payments.call_payments(session, officer, call.id)
    assert (row.proposal.id, row.awarded, row.paid, row.left) == (
        selected.id, Decimal(40_000), Decimal(40_000), Decimal(0),
    )  # fmt: skip
    assert [(p.reference, p.amount) for p in row.payments] == [
        ("TR-1", Decimal(30_000)),
        ("TR-2", Decimal(10_000)),
    ]


def test_payments_need_a_published_selection_and_an_officer(
    session: Session, sara: User, officer: User, call: ProgrammeCall, sme: Organisation
) -> None:
    applied = _submitted(session, sara, call, sme, "SUNPILOT", "Solar panel recycling pilot")
    draft = PaymentDraft(Decimal(1_000), date(2025, 6, 1), "TR-1")

    with pytest.raises(ConflictError) as caught:
        payments.record_payment(session, officer, applied.id, draft, today=TODAY)
    with pytest.raises(AccessDeniedError):
        payments.record_payment(session, sara, applied.id, draft, today=TODAY)

    assert str(caught.value) == "The selection of the call is not published yet"
    assert payments.call_payments(session, officer, call.id) == []


def test_a_payment_reference_is_recorded_once_per_application(
    session: Session, sara: User, officer: User, call: ProgrammeCall, sme: Organisation
) -> None:
    selected = _selected(session, sara, call, sme)
    draft = PaymentDraft(Decimal(5_000), date(2025, 6, 1), "PAY-3")
    payments.record_payment(session, officer, selected.id, draft, today=TODAY)

    with pytest.raises(ConflictError) as caught:
        payments.record_payment(
            session, officer, selected.id, PaymentDraft(Decimal(5_000), date(2025, 6, 1), "pay-3 "),
            today=TODAY,
        )  # fmt: skip

    assert str(caught.value) == (
        "A payment with the reference PAY-3 is already recorded for SUNPILOT (EUR 5,000 paid "
        "on 01 June 2025): it is not recorded twice (cancel the first one to correct it)"
    )
    [row] = payments.call_payments(session, officer, call.id)
    assert (row.paid, [p.reference for p in row.payments]) == (Decimal(5_000), ["PAY-3"])


@pytest.mark.parametrize(
    ("paid_on", "reason"),
    [
        (date(2031, 1, 1), "is in the future (today is 01 August 2025): record a payment once "
         "it is made"),
        (date(1999, 1, 1), "is before the grant was awarded (the selection was published on "
         "01 December 2024)"),
        (date(2024, 11, 30), "is before the grant was awarded (the selection was published on "
         "01 December 2024)"),
    ],
)  # fmt: skip
def test_a_payment_is_not_dated_in_the_future_or_before_the_award(
    session: Session, sara: User, officer: User, call: ProgrammeCall, sme: Organisation,
    paid_on: date, reason: str,
) -> None:  # fmt: skip
    selected = _selected(session, sara, call, sme)

    with pytest.raises(InvalidInputError) as caught:
        payments.record_payment(
            session, officer, selected.id, PaymentDraft(Decimal(5_000), paid_on, "PAY-1"),
            today=TODAY,
        )  # fmt: skip

    assert caught.value.issues == (InputIssue("", "paid_on", reason),)


def test_a_payment_paid_today_and_on_the_award_day_is_taken(
    session: Session, sara: User, officer: User, call: ProgrammeCall, sme: Organisation
) -> None:
    selected = _selected(session, sara, call, sme)

    first = payments.record_payment(session, officer, selected.id,
                                    PaymentDraft(Decimal(1), date(2024, 12, 1), "PAY-1"),
                                    today=TODAY)  # fmt: skip
    second = payments.record_payment(session, officer, selected.id,
                                     PaymentDraft(Decimal(1), TODAY, "PAY-2"),
                                     today=TODAY)  # fmt: skip

    assert (first.paid_on, second.paid_on) == (date(2024, 12, 1), TODAY)


def test_a_cancelled_payment_no_longer_counts_and_keeps_who_and_why(
    session: Session, sara: User, officer: User, call: ProgrammeCall, sme: Organisation
) -> None:
    selected = _selected(session, sara, call, sme)
    wrong = payments.record_payment(
        session, officer, selected.id, PaymentDraft(Decimal(40_000), date(2025, 6, 1), "PAY-3"),
        today=TODAY,
    )  # fmt: skip

    payments.cancel_payment(session, officer, selected.id, wrong.id,
                            reason=" Typed 40,000 for 4,000 ", now=CLOSED)  # fmt: skip
    again = payments.record_payment(
        session, officer, selected.id, PaymentDraft(Decimal(4_000), date(2025, 6, 1), "PAY-3"),
        today=TODAY,
    )  # fmt: skip

    [row] = payments.call_payments(session, officer, call.id)
    assert (row.paid, row.left) == (Decimal(4_000), Decimal(36_000))
    assert [(p.id, p.cancelled_at, p.cancelled_by, p.cancel_reason) for p in row.payments] == [
        (wrong.id, CLOSED, officer, "Typed 40,000 for 4,000"),
        (again.id, None, None, ""),
    ]
    with pytest.raises(ConflictError) as twice:
        payments.cancel_payment(session, officer, selected.id, wrong.id, reason="x", now=CLOSED)
    assert str(twice.value) == "The payment PAY-3 is cancelled already"


def test_a_payment_is_cancelled_by_an_officer_with_a_reason(
    session: Session, sara: User, officer: User, call: ProgrammeCall, sme: Organisation
) -> None:
    selected = _selected(session, sara, call, sme)
    paid = payments.record_payment(
        session, officer, selected.id, PaymentDraft(Decimal(4_000), date(2025, 6, 1), "PAY-3"),
        today=TODAY,
    )  # fmt: skip

    with pytest.raises(InvalidInputError) as no_reason:
        payments.cancel_payment(session, officer, selected.id, paid.id, reason=" ", now=CLOSED)
    with pytest.raises(AccessDeniedError):
        payments.cancel_payment(session, sara, selected.id, paid.id, reason="x", now=CLOSED)
    with pytest.raises(EvaluationNotFoundError) as unknown:
        payments.cancel_payment(session, officer, selected.id, paid.id + 1, reason="x", now=CLOSED)

    assert no_reason.value.issues == (
        InputIssue("", "reason", "is required (why the payment is cancelled)"),
    )
    assert str(unknown.value) == f"There is no payment {paid.id + 1} to SUNPILOT"
    assert paid.cancelled_at is None


def test_a_programme_call_has_no_payments_to_list(session: Session, officer: User) -> None:
    programme = make_call(session, officer=officer, published_at=NOW)

    with pytest.raises(ConflictError) as caught:
        payments.call_payments(session, officer, programme.id)

    assert str(caught.value) == "Payments are recorded for the applications of cascade calls only"


#: (amount typed, reasons) for an application requesting EUR 40,000 of a call whose maximum
#: per SME is EUR 35,000.
AWARD_CASES = [
    (None, ["must be an amount in euros over 0, to the cent"]),
    (Decimal(0), ["must be an amount in euros over 0, to the cent"]),
    (Decimal(-5), ["must be an amount in euros over 0, to the cent"]),
    (Decimal("100.005"), ["must be an amount in euros over 0, to the cent"]),
    (Decimal(36_000), ["is more than the call's maximum of EUR 35,000 per SME"]),
    (Decimal("40000.01"), ["is more than the EUR 40,000 requested",
                           "is more than the call's maximum of EUR 35,000 per SME"]),
]  # fmt: skip


@pytest.mark.parametrize(("amount", "reasons"), AWARD_CASES)
def test_an_award_is_over_0_within_the_request_and_the_maximum_per_sme(
    session: Session, sara: User, officer: User, sme: Organisation,
    amount: Decimal | None, reasons: list[str],
) -> None:  # fmt: skip
    call = make_call(session, officer=officer, draft=cascade_draft(max_grant=35_000),
                     published_at=NOW)  # fmt: skip
    chosen = _selected(session, sara, call, sme, published=False)

    with pytest.raises(InvalidInputError) as caught:
        payments.award_grant(session, officer, chosen.id, amount)

    assert [(i.field, i.reason) for i in caught.value.issues] == [("awarded", r) for r in reasons]
    assert str(caught.value).startswith("The grant awarded to SUNPILOT cannot be set:")


def test_an_award_is_paid_stated_in_the_letter_and_the_ranked_list(
    session: Session, sara: User, officer: User, call: ProgrammeCall, sme: Organisation,
    tmp_path: Path,
) -> None:  # fmt: skip
    chosen = _selected(session, sara, call, sme, published=False)

    decision = payments.award_grant(session, officer, chosen.id, Decimal("30000.50"))
    mailer = FileMailer(tmp_path, "noreply@example.org")
    outcome.publish_selection(session, officer, call.id, now=CLOSED,
                              mail=SelectionMail(mailer, "https://cb.example"))  # fmt: skip

    assert decision.awarded_grant == Decimal("30000.50")
    [letter] = pending_mail(session)
    assert letter.body.splitlines()[4] == (
        "Your proposal SUNPILOT is selected for funding: a grant of EUR 30,000.50 "
        "(EUR 40,000 requested)."
    )
    page = letters.selection_page(outcome.call_selection(session, officer, call.id), now=NOW)
    assert (page.budget_used, page.rows[0].requested, page.rows[0].awarded) == (
        "EUR 30,000.50", "EUR 40,000", "EUR 30,000.50",
    )  # fmt: skip
    with pytest.raises(InvalidInputError) as caught:
        payments.record_payment(
            session,
            officer,
            chosen.id,
            PaymentDraft(Decimal(30_001), date(2025, 6, 1), "TR-1"),
            today=TODAY,
        )
    assert caught.value.issues == (
        InputIssue("", "amount", "would bring the payments to EUR 30,001, more than the "
                   "EUR 30,000.50 awarded (EUR 30,000.50 left to pay)"),
    )  # fmt: skip
    [row] = payments.call_payments(session, officer, call.id)
    assert (row.awarded, row.left) == (Decimal("30000.50"), Decimal("30000.50"))


def test_an_award_is_kept_and_weighed_when_the_call_is_ranked_again(
    session: Session, sara: User, officer: User, call: ProgrammeCall, sme: Organisation
) -> None:
    call.selection = {**call.selection, "budget": 70_000}
    first = _submitted(session, sara, call, sme, "SUNPILOT", "Solar panel recycling pilot")
    second = _submitted(session, sara, call, sme, "WINDPILOT", "Wind turbine blade reuse")
    expert = make_expert(session, user=officer)
    _consensus(session, expert, first, ("28", "18"))
    _consensus(session, expert, second, ("20", "15"))
    ranked = outcome.rank_call(session, officer, call.id, now=CLOSED)
    assert [(d.proposal.acronym, d.outcome, d.reason) for d in ranked.decisions] == [
        ("SUNPILOT", ProposalOutcome.SELECTED, "taken in rank order"),
        ("WINDPILOT", ProposalOutcome.RESERVE, "over the remaining budget of EUR 30,000"),
    ]

    payments.award_grant(session, officer, first.id, Decimal(30_000))
    again = outcome.rank_call(session, officer, call.id, now=CLOSED)

    assert [(d.proposal.acronym, d.outcome, d.awarded) for d in again.decisions] == [
        ("SUNPILOT", ProposalOutcome.SELECTED, Decimal(30_000)),
        ("WINDPILOT", ProposalOutcome.SELECTED, Decimal(40_000)),
    ]
    assert again.panel is not None
    assert again.panel.budget_used == Decimal(70_000)


def test_an_award_needs_a_selected_application_of_a_cascade_call_not_yet_published(
    session: Session, sara: User, officer: User, call: ProgrammeCall, sme: Organisation
) -> None:
    chosen = _selected(session, sara, call, sme)
    applied = _submitted(session, sara, call, sme, "WINDPILOT", "Wind turbine blade reuse")

    with pytest.raises(ConflictError) as published:
        payments.award_grant(session, officer, chosen.id, Decimal(30_000))
    with pytest.raises(ConflictError) as unranked:
        payments.award_grant(session, officer, applied.id, Decimal(30_000))
    with pytest.raises(AccessDeniedError):
        payments.award_grant(session, sara, chosen.id, Decimal(30_000))

    assert str(published.value) == (
        "The selection is published: the grants awarded can no longer change"
    )
    assert str(unranked.value) == "WINDPILOT is not selected: rank the call first"


def _consensus(
    session: Session, expert: Expert, proposal: Proposal, scores: tuple[str, str]
) -> None:
    assignment = EvaluationAssignment(proposal=proposal, expert=expert)
    session.add(assignment)
    session.flush()
    session.add(ConsensusReport(proposal_id=proposal.id, rapporteur=assignment,
                                scores={"relevance": scores[0], "impact": scores[1]},
                                comments={}, submitted_at=NOW))  # fmt: skip
    session.flush()


def _pdf() -> "proposals.Upload":
    return proposals.Upload("annex.pdf", "application/pdf", PDF_BYTES)


def _submitted(
    session: Session, user: User, call: ProgrammeCall, sme: Organisation, acronym: str, title: str
) -> Proposal:
    proposal = Proposal(call=call, applicant=user, organisation=sme, acronym=acronym,
                        title=title, summary="", requested_grant=Decimal(40_000),
                        duration_months=9, state=ProposalState.SUBMITTED, submitted_at=NOW,
                        eligibility={"verdict": "eligible"}, eligible=True, documents=[])  # fmt: skip
    session.add(proposal)
    session.flush()
    return proposal


def _selected(
    session: Session, user: User, call: ProgrammeCall, sme: Organisation, *, published: bool = True
) -> Proposal:
    proposal = _submitted(session, user, call, sme, "SUNPILOT", "Solar panel recycling pilot")
    session.add_all([
        EvaluationPanel(call_id=call.id, ranked_at=NOW, published_at=NOW if published else None),
        ProposalDecision(proposal_id=proposal.id, outcome=ProposalOutcome.SELECTED,
                         reason="selected", rank=1, taken_order=1),
    ])  # fmt: skip
    session.flush()
    return proposal


def test_no_application_once_the_selection_is_published(
    session: Session, sara: User, call: ProgrammeCall, sme: Organisation
) -> None:
    """A selection published while the call was open (as before the deadline was enforced)
    closes it all the same: no new application, and a draft can no longer be sent."""
    draft = proposals.create_proposal(session, sara, call.id, _draft(sme), now=NOW)
    proposals.add_documents(session, sara, draft.id, [_pdf()], now=NOW)
    session.add(EvaluationPanel(call_id=call.id, ranked_at=NOW, published_at=NOW))
    session.flush()
    refusal = "The selection of call SME-OPEN-2025 is published: it takes no more proposals"

    with pytest.raises(ConflictError) as created:
        proposals.create_proposal(session, sara, call.id, _draft(sme, acronym="LATE"), now=NOW)
    with pytest.raises(ConflictError) as submitted:
        proposals.submit_proposal(session, sara, draft.id, now=NOW)

    assert (str(created.value), str(submitted.value)) == (refusal, refusal)
    assert draft.state is ProposalState.DRAFT
