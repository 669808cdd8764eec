"""The evaluation of an authored call from the pool to the published selection: conflicts
from the registry, the assignment by fit, reports and their visibility, the consensus, the
panel's ranking with every reason, and who may read the outcome. Runs on SQLite and
PostgreSQL."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import Participation, Project, Proposal, User
from clusterbridge.domain.enums import ProposalOutcome, UserRole
from clusterbridge.domain.errors import AccessDeniedError, InvalidInputError
from clusterbridge.engines.selection.assignment import AssignmentProblem, check_assignment
from clusterbridge.services.mail import FileMailer
from clusterbridge.services.selection import assignment as assigning
from clusterbridge.services.selection import evaluation, experts, outcome
from clusterbridge.services.selection.access import (
    EvaluationNotFoundError,
    EvaluationStateError,
    NotRapporteurError,
)
from clusterbridge.services.selection.notices import SelectionMail
from tests.factories.evaluation import make_call, make_expert, make_proposal
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
SCORES = {
    "HEALTHLINK": ("25", "60"),
    "AGRIFOOD": ("22", "50"),
    "TEXTILE": ("28", "60"),
}


@dataclass
class World:
    officer: User
    applicant: User
    stranger: User
    people: dict[str, User]
    call_id: int
    proposals: dict[str, Proposal]


@pytest.fixture
def world(session: Session) -> World:
    """Three eligible proposals and one that is not; four experts: ana works for Delta, which
    ran HYDRA with Gamma (AGRIFOOD's member) until 2025; ben works for Acme (HEALTHLINK's)."""
    officer = make_user(session, email="olga@ec.example", role=UserRole.PROGRAMME_OFFICER)
    applicant = make_user(session, email="app@acme.example", role=UserRole.ORGANISATION_MEMBER)
    stranger = make_user(session, email="sam@other.example", role=UserRole.ORGANISATION_MEMBER)
    acme, beta, gamma, delta = (
        make_organisation(session, name=name, pic=f"91000000{n}")
        for n, name in enumerate(["Acme GmbH", "Beta SA", "Gamma Oy", "Delta BV"], 1)
    )
    project = Project(grant_id="201", acronym="HYDRA", title="HYDRA", participations=[],
                      start_date=date(2023, 1, 1), end_date=date(2025, 6, 30))  # fmt: skip
    session.add(project)
    session.flush()
    session.add_all(
        Participation(project=project, organisation=o, role="participant") for o in (delta, gamma)
    )
    call = make_call(session)
    proposals = {
        "HEALTHLINK": make_proposal(session, call=call, applicant=applicant, acronym="HEALTHLINK",
                                    strand="2", requested=2_000_000, members=(acme,),
                                    summary="digital health for hospitals and their data"),
        "AGRIFOOD": make_proposal(session, call=call, applicant=stranger, acronym="AGRIFOOD",
                                  strand="1", requested=2_500_000, members=(gamma,),
                                  summary="agrifood farming with soil sensors"),
        "TEXTILE": make_proposal(session, call=call, applicant=stranger, acronym="TEXTILE",
                                 strand="2", requested=3_000_000, members=(beta,),
                                 summary="textile recycling in a circular economy"),
        "BADONE": make_proposal(session, call=call, applicant=stranger, acronym="BADONE",
                                strand="1", eligible=False, members=(beta,)),
    }  # fmt: skip
    people = {}
    for name, organisation, expertise in [
        ("ana", delta, "agrifood farming soil, some textile"),
        ("ben", acme, "health hospitals and agrifood"),
        ("eva", None, "textile recycling circular fashion health"),
        ("dan", None, "soil farming agrifood digital"),
    ]:
        people[name] = make_user(session, email=f"{name}@experts.example", name=name.title(),
                                 role=UserRole.ORGANISATION_MEMBER)  # fmt: skip
        make_expert(session, user=people[name], organisation=organisation, expertise=expertise)
    return World(officer, applicant, stranger, people, call.id, proposals)


def _pairs(panel: assigning.CallPanel) -> set[tuple[str, str]]:
    return {(a.proposal.acronym, a.expert.user.name) for a in panel.assignments}


def _assign(session: Session, world: World) -> assigning.CallPanel:
    return assigning.assign_experts(
        session, world.officer, world.call_id, per_proposal=2, max_load=2, now=NOW, today=NOW.date()
    )


def test_conflicts_are_found_with_their_reasons(session: Session, world: World) -> None:
    panel = assigning.call_panel(session, world.officer, world.call_id, today=NOW.date())

    names = {str(e.id): e.user.name for e in panel.experts}
    acronyms = {str(p.id): p.acronym for p in panel.proposals}
    assert [(names[c.expert], acronyms[c.proposal], c.reason) for c in panel.conflicts] == [
        ("Ana", "AGRIFOOD", "their organisation worked with Gamma Oy, a member of the "
                            "consortium, in the project HYDRA (2023-01-01 to 2025-06-30)"),
        ("Ben", "HEALTHLINK", "works for Acme GmbH, a member of the consortium"),
    ]  # fmt: skip


def test_assignment_maximises_fit_without_conflicts(session: Session, world: World) -> None:
    panel = _assign(session, world)

    assert _pairs(panel) == {
        ("HEALTHLINK", "Eva"), ("HEALTHLINK", "Dan"),
        ("AGRIFOOD", "Dan"), ("AGRIFOOD", "Ben"),
        ("TEXTILE", "Eva"), ("TEXTILE", "Ana"),
    }  # fmt: skip
    fit = {(a.proposal.acronym, a.expert.user.name): a for a in panel.assignments}
    assert fit["AGRIFOOD", "Dan"].fit > fit["AGRIFOOD", "Ben"].fit > 0
    assert fit["AGRIFOOD", "Dan"].fit_words == ["agrifood", "farming", "soil"]
    problem = AssignmentProblem(
        experts=tuple(str(e.id) for e in panel.experts),
        proposals=tuple(str(p.id) for p in panel.evaluated()),
        per_proposal=2,
        max_load=2,
        conflicts=frozenset((c.expert, c.proposal) for c in panel.conflicts),
    )
    pairs = [(str(a.expert_id), str(a.proposal_id)) for a in panel.assignments]
    assert check_assignment(problem, pairs) == []
    assert panel.panel is not None
    assert (panel.panel.per_proposal, panel.panel.max_load) == (2, 2)


def test_infeasible_assignment_names_the_proposals(session: Session, world: World) -> None:
    with pytest.raises(EvaluationStateError) as caught:
        assigning.assign_experts(
            session,
            world.officer,
            world.call_id,
            per_proposal=4,
            max_load=3,
            now=NOW,
            today=NOW.date(),
        )

    assert caught.value.reasons == (
        "HEALTHLINK: 4 evaluations are needed, and the experts without a conflict (Ana, Dan, "
        "Eva) can give at most 3",
        "AGRIFOOD: 4 evaluations are needed, and the experts without a conflict (Ben, Dan, "
        "Eva) can give at most 3",
    )
    assert (
        assigning.call_panel(session, world.officer, world.call_id, today=NOW.date()).assignments
        == ()
    )


def test_assignment_without_eligible_proposals_says_there_is_nothing_to_assign(
    session: Session, world: World
) -> None:
    empty = make_call(session, identifier="EMPTY-2026")
    make_proposal(session, call=empty, applicant=world.stranger, acronym="NOTHING",
                  eligible=False)  # fmt: skip

    with pytest.raises(EvaluationStateError) as caught:
        assigning.assign_experts(
            session, world.officer, empty.id, per_proposal=50, max_load=3, now=NOW, today=NOW.date()
        )

    assert (caught.value.status, str(caught.value)) == (
        409,
        "There is nothing to assign: the call has no eligible submitted proposal",
    )
    assert assigning.call_panel(session, world.officer, empty.id, today=NOW.date()).panel is None


def test_only_officers_assign(session: Session, world: World) -> None:
    with pytest.raises(AccessDeniedError):
        assigning.assign_experts(
            session,
            world.people["eva"],
            world.call_id,
            per_proposal=2,
            max_load=2,
            now=NOW,
            today=NOW.date(),
        )


def _report(scores: tuple[str, str], comment: str = "Clear and sound.") -> evaluation.Scored:
    return evaluation.Scored(
        {"relevance": scores[0], "impact": scores[1]},
        {"relevance": comment, "impact": comment},
    )


def _evaluate_all(
    session: Session,
    world: World,
    panel: assigning.CallPanel,
    scored: dict[str, tuple[str, str]] = SCORES,
) -> None:
    for a in panel.assignments:
        evaluation.submit_report(
            session,
            a.expert.user,
            a.proposal_id,
            _report(scored[a.proposal.acronym]),
            now=NOW,
            today=NOW.date(),
        )
    for acronym, scores in scored.items():
        proposal = world.proposals[acronym]
        first = panel.assigned_to(proposal.id)[0]
        evaluation.choose_rapporteur(
            session, world.officer, proposal.id, first.id, today=NOW.date()
        )
        evaluation.submit_consensus(
            session,
            first.expert.user,
            proposal.id,
            _report(scores, "Agreed."),
            now=NOW,
            today=NOW.date(),
        )


def test_report_needs_every_score_in_range_and_every_comment(
    session: Session, world: World
) -> None:
    _assign(session, world)
    typed = evaluation.Scored({"relevance": "31", "impact": "x"}, {"relevance": "Fine"})

    with pytest.raises(InvalidInputError) as caught:
        evaluation.submit_report(
            session,
            world.people["eva"],
            world.proposals["TEXTILE"].id,
            typed,
            now=NOW,
            today=NOW.date(),
        )

    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("scores.relevance", "must be between 0 and 30, not 31"),
        ("scores.impact", '"x" is not a number'),
        ("comments.impact", "is required"),
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1e-400", '"1e-400" is too small to store: write 0 or a number with fewer decimals'),
        ("inf", '"inf" is not a number'),
        ("nan", '"nan" is not a number'),
        ("1.000", 'is ambiguous: "1.000" may mean 1 or 1000; write 1000 or 1'),
        ("\u0661\u0662", '"\u0661\u0662" is not a number'),
        ("0.001", "must have at most two decimals, not 0.001"),
        ("-1", "must be between 0 and 30, not -1"),
        ("", "is required"),
    ],
)
def test_a_score_that_is_no_number_is_refused_in_the_words_of_every_form(
    session: Session, world: World, text: str, reason: str
) -> None:
    _assign(session, world)
    typed = evaluation.Scored(
        {"relevance": text, "impact": "20"}, {"relevance": "a", "impact": "b"}
    )

    with pytest.raises(InvalidInputError) as caught:
        evaluation.submit_report(
            session,
            world.people["eva"],
            world.proposals["TEXTILE"].id,
            typed,
            now=NOW,
            today=NOW.date(),
        )

    assert [(i.field, i.reason) for i in caught.value.issues] == [("scores.relevance", reason)]


def test_a_score_of_minus_zero_is_kept_as_0(session: Session, world: World) -> None:
    _assign(session, world)
    typed = evaluation.Scored(
        {"relevance": "-0", "impact": "20"}, {"relevance": "a", "impact": "b"}
    )

    report = evaluation.submit_report(
        session,
        world.people["eva"],
        world.proposals["TEXTILE"].id,
        typed,
        now=NOW,
        today=NOW.date(),
    )

    assert report.scores == {"relevance": "0", "impact": "20"}


def test_expert_sees_only_own_assignments_and_report_until_consensus(
    session: Session, world: World
) -> None:
    panel = _assign(session, world)
    textile = world.proposals["TEXTILE"].id
    eva, ana = world.people["eva"], world.people["ana"]
    evaluation.submit_report(
        session, eva, textile, _report(("28", "60"), "Eva's view"), now=NOW, today=NOW.date()
    )
    evaluation.submit_report(
        session, ana, textile, _report(("27", "61"), "Ana's view"), now=NOW, today=NOW.date()
    )
    rapporteur = next(a for a in panel.assigned_to(textile) if a.expert.user_id == eva.id)
    evaluation.choose_rapporteur(session, world.officer, textile, rapporteur.id, today=NOW.date())

    seen_by_ana = evaluation.proposal_evaluation(session, ana, textile, today=NOW.date())
    seen_by_eva = evaluation.proposal_evaluation(session, eva, textile, today=NOW.date())

    assert [r.comments for r in seen_by_ana.reports] == [{"relevance": "Ana's view",
                                                           "impact": "Ana's view"}]  # fmt: skip
    assert sorted(r.expert.user.name for r in seen_by_eva.reports) == ["Ana", "Eva"]
    assert sorted(a.proposal.acronym for a in evaluation.my_assignments(session, ana)) == [
        "TEXTILE"
    ]
    with pytest.raises(EvaluationNotFoundError):
        evaluation.proposal_evaluation(
            session, ana, world.proposals["HEALTHLINK"].id, today=NOW.date()
        )
    with pytest.raises(NotRapporteurError):
        evaluation.submit_consensus(
            session, ana, textile, _report(("28", "60")), now=NOW, today=NOW.date()
        )

    evaluation.submit_consensus(
        session, eva, textile, _report(("28", "60"), "Agreed"), now=NOW, today=NOW.date()
    )

    assert len(evaluation.proposal_evaluation(session, ana, textile, today=NOW.date()).reports) == 2
    with pytest.raises(EvaluationStateError):
        evaluation.submit_report(
            session, ana, textile, _report(("20", "60")), now=NOW, today=NOW.date()
        )


def test_consensus_waits_for_every_report(session: Session, world: World) -> None:
    panel = _assign(session, world)
    textile = world.proposals["TEXTILE"].id
    eva = world.people["eva"]
    evaluation.submit_report(
        session, eva, textile, _report(("28", "60")), now=NOW, today=NOW.date()
    )
    mine = next(a for a in panel.assigned_to(textile) if a.expert.user_id == eva.id)
    evaluation.choose_rapporteur(session, world.officer, textile, mine.id, today=NOW.date())

    with pytest.raises(EvaluationStateError) as caught:
        evaluation.submit_consensus(
            session, eva, textile, _report(("28", "60")), now=NOW, today=NOW.date()
        )

    assert caught.value.reasons == ("Ana",)


def test_panel_ranks_and_selects_with_reasons(session: Session, world: World) -> None:
    _evaluate_all(session, world, _assign(session, world))

    selection = outcome.rank_call(session, world.officer, world.call_id, now=NOW)

    assert [
        (d.proposal.acronym, d.outcome, d.rank, d.total, d.taken_order, d.reserve_position,
         d.reason)
        for d in selection.decisions
    ] == [
        ("TEXTILE", ProposalOutcome.RESERVE, 1, 88, None, 1,
         "over the remaining budget of EUR 2,500,000"),
        ("HEALTHLINK", ProposalOutcome.SELECTED, 2, 85, 2, None, "taken in rank order"),
        ("AGRIFOOD", ProposalOutcome.SELECTED, 3, 72, 1, None, "taken for the Strand 1 minimum"),
        ("BADONE", ProposalOutcome.OUT, None, None, None, None, "not eligible"),
    ]  # fmt: skip
    assert [d.proposal.acronym for d in selection.selected] == ["AGRIFOOD", "HEALTHLINK"]
    assert selection.panel is not None
    assert selection.panel.budget_used == 4_500_000


def test_ranking_waits_for_every_consensus(session: Session, world: World) -> None:
    _assign(session, world)

    with pytest.raises(EvaluationStateError) as caught:
        outcome.rank_call(session, world.officer, world.call_id, now=NOW)

    assert caught.value.reasons == ("HEALTHLINK", "AGRIFOOD", "TEXTILE")


def test_applicant_sees_own_outcome_only_after_publication(
    session: Session, world: World, tmp_path: Path
) -> None:
    mail = SelectionMail(FileMailer(tmp_path, "noreply@example.org"), "https://cb.example")
    _evaluate_all(session, world, _assign(session, world))
    outcome.rank_call(session, world.officer, world.call_id, now=NOW)
    healthlink = world.proposals["HEALTHLINK"].id

    with pytest.raises(EvaluationNotFoundError):
        outcome.summary_report(session, world.applicant, healthlink)
    assert outcome.my_outcomes(session, world.applicant) == [(world.proposals["HEALTHLINK"], None)]

    outcome.publish_selection(session, world.officer, world.call_id, now=NOW, mail=mail)
    report = outcome.summary_report(session, world.applicant, healthlink)

    assert [(c[0], c[3], c[4]) for c in report.criteria] == [
        ("relevance", "25", "Agreed."),
        ("impact", "60", "Agreed."),
    ]
    assert (report.decision.outcome, report.total, report.out_of) == (
        ProposalOutcome.SELECTED, 85, 3,
    )  # fmt: skip
    with pytest.raises(EvaluationNotFoundError):
        outcome.summary_report(session, world.stranger, healthlink)
    with pytest.raises(EvaluationNotFoundError):
        outcome.summary_report(session, world.people["eva"], healthlink)
    with pytest.raises(EvaluationStateError):
        outcome.rank_call(session, world.officer, world.call_id, now=NOW)


def test_pool_asks_for_the_email_address_left_empty(session: Session, world: World) -> None:
    with pytest.raises(InvalidInputError) as caught:
        experts.add_expert(
            session, world.officer, experts.ExpertForm(email="  ", organisation_pic="999999999")
        )

    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("email", "is required"),
        ("organisation_pic", "no such PIC"),
    ]


def test_pool_takes_existing_accounts_only(session: Session, world: World) -> None:
    with pytest.raises(InvalidInputError) as caught:
        experts.add_expert(
            session, world.officer,
            experts.ExpertForm(email="nobody@x.example", organisation_pic="123"),
        )  # fmt: skip

    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("email", "no active account has this address"),
        ("organisation_pic", '"123" is not a PIC: a PIC has exactly 9 digits'),
    ]
    added = experts.add_expert(
        session, world.officer,
        experts.ExpertForm(email="SAM@other.example", organisation_pic="910000002",
                           expertise="Textiles", ecosystems="Textile, digital, textiles",
                           technologies="ati-iot, Big data"),
    )  # fmt: skip
    assert (added.user_id, added.ecosystems, added.technologies) == (
        world.stranger.id,
        ["Textile", "Digital"],
        ["ati-iot", "Big data"],
    )


def test_pool_refuses_unknown_ecosystems_and_technologies(session: Session, world: World) -> None:
    form = experts.ExpertForm(
        email="sam@other.example",
        expertise="Textiles",
        ecosystems="textile, made-up-ecosystem",
        technologies="Internet of things, teleportation, warp drive",
    )

    with pytest.raises(InvalidInputError) as caught:
        experts.add_expert(session, world.officer, form)

    assert [(i.field, i.reason) for i in caught.value.issues] == [
        (
            "ecosystems",
            '"made-up-ecosystem" is not an industrial ecosystem; use one of aerospace-defence,'
            " agri-food, construction, cultural-creative, digital, electronics, energy-intensive,"
            " renewable-energy, health, mobility-transport-automotive, proximity-social-economy,"
            " retail, textile, tourism",
        ),
        (
            "technologies",
            '"teleportation", "warp drive" are not in the technology vocabulary; use its labels'
            " or codes (as in the registry, e.g. ati-iot or Internet of Things)",
        ),
    ]
    pool = experts.list_pool(session, world.officer)
    assert sorted(e.user_id for e in pool) == sorted(p.id for p in world.people.values())


def test_a_declared_conflict_is_shown_and_respected(session: Session, world: World) -> None:
    panel = _assign(session, world)
    textile = world.proposals["TEXTILE"]
    ana = world.people["ana"]

    experts.declare_conflict(session, ana, textile.id, "I advised Beta SA last year")
    panel = _assign(session, world)

    declared = [c for c in panel.conflicts_of(textile.id) if c.kind == "declared"]
    assert [c.reason for c in declared] == ["declared: I advised Beta SA last year"]
    assert ("TEXTILE", "Ana") not in _pairs(panel)
    with pytest.raises(EvaluationNotFoundError):
        experts.declare_conflict(session, ana, world.proposals["HEALTHLINK"].id, "a reason")
    with pytest.raises(InvalidInputError):
        experts.declare_conflict(session, world.people["eva"], textile.id, "  ")


def test_ties_left_for_the_panel_are_kept_with_the_ranking(session: Session, world: World) -> None:
    tied = {**SCORES, "TEXTILE": ("25", "60")}
    _evaluate_all(session, world, _assign(session, world), tied)

    selection = outcome.rank_call(session, world.officer, world.call_id, now=NOW)

    assert selection.ties_left == (("HEALTHLINK", "TEXTILE"),)
    assert selection.panel is not None
    ids = world.proposals
    assert selection.panel.ties_left == [[ids["HEALTHLINK"].id, ids["TEXTILE"].id]]
    assert [(d.proposal.acronym, d.outcome, d.reserve_position, d.reason)
            for d in selection.decisions][:2] == [
        ("HEALTHLINK", ProposalOutcome.SELECTED, None, "taken in rank order"),
        ("TEXTILE", ProposalOutcome.RESERVE, 1, "all 2 places are taken"),
    ]  # fmt: skip


BEFORE_DEADLINE = datetime(2026, 3, 31, 14, 59, tzinfo=UTC)
OPEN_UNTIL = (
    "The call EVAL-2026 takes proposals until its deadline, 31 March 2026 17:00 (Europe/Brussels)"
)


@pytest.mark.parametrize(
    ("step", "doing"),
    [
        ("assign", "experts are assigned"),
        ("rank", "proposals are ranked"),
        ("publish", "the selection is published"),
    ],
)
def test_nothing_is_evaluated_before_the_deadline(
    session: Session, world: World, tmp_path: Path, step: str, doing: str
) -> None:
    mail = SelectionMail(FileMailer(tmp_path, "noreply@example.org"), "https://cb.example")
    steps = {
        "assign": lambda: assigning.assign_experts(
            session, world.officer, world.call_id, per_proposal=1, max_load=3,
            now=BEFORE_DEADLINE, today=BEFORE_DEADLINE.date(),
        ),
        "rank": lambda: outcome.rank_call(
            session, world.officer, world.call_id, now=BEFORE_DEADLINE
        ),
        "publish": lambda: outcome.publish_selection(
            session, world.officer, world.call_id, now=BEFORE_DEADLINE, mail=mail
        ),
    }  # fmt: skip

    with pytest.raises(EvaluationStateError) as caught:
        steps[step]()

    assert (caught.value.status, str(caught.value)) == (409, f"{OPEN_UNTIL}: {doing} after it")
    assert (
        assigning.call_panel(session, world.officer, world.call_id, today=NOW.date()).panel is None
    )


def test_a_call_without_a_deadline_is_evaluated_and_then_closed(
    session: Session, world: World, tmp_path: Path
) -> None:
    mail = SelectionMail(FileMailer(tmp_path, "noreply@example.org"), "https://cb.example")
    rolling = make_call(session, identifier="ROLLING-2026", closes_at=None)
    make_proposal(session, call=rolling, applicant=world.stranger, acronym="ONLYONE",
                  eligible=False)  # fmt: skip
    outcome.rank_call(session, world.officer, rolling.id, now=NOW)
    make_proposal(session, call=rolling, applicant=world.stranger, acronym="LATE",
                  eligible=False)  # fmt: skip

    with pytest.raises(EvaluationStateError) as caught:
        outcome.publish_selection(session, world.officer, rolling.id, now=NOW, mail=mail)
    assert str(caught.value) == "Rank again: submitted since the ranking: LATE"

    outcome.rank_call(session, world.officer, rolling.id, now=NOW)
    outcome.publish_selection(session, world.officer, rolling.id, now=NOW, mail=mail)

    decisions = outcome.call_selection(session, world.officer, rolling.id).decisions
    assert sorted(d.proposal.acronym for d in decisions) == ["LATE", "ONLYONE"]


def test_no_assignment_once_the_selection_is_published(
    session: Session, world: World, tmp_path: Path
) -> None:
    mail = SelectionMail(FileMailer(tmp_path, "noreply@example.org"), "https://cb.example")
    empty = make_call(session, identifier="EMPTY-2026")
    outcome.rank_call(session, world.officer, empty.id, now=NOW)
    outcome.publish_selection(session, world.officer, empty.id, now=NOW, mail=mail)
    make_proposal(session, call=empty, applicant=world.stranger, acronym="LATE")

    with pytest.raises(EvaluationStateError) as caught:
        assigning.assign_experts(session, world.officer, empty.id, per_proposal=1, max_load=3,
                                 now=NOW, today=NOW.date())  # fmt: skip

    assert str(caught.value) == "The selection is already published"


def test_an_empty_pool_is_said_before_any_conflict(session: Session, world: World) -> None:
    for expert in experts.list_pool(session, world.officer):
        session.delete(expert)
    session.flush()

    with pytest.raises(EvaluationStateError) as caught:
        _assign(session, world)

    assert (type(caught.value), str(caught.value)) == (
        EvaluationStateError,
        "There is nobody to assign: the pool of experts is empty; add experts first",
    )


def test_the_applicant_and_the_users_of_the_applying_organisations_have_a_conflict(
    session: Session, world: World
) -> None:
    """The applicant of HEALTHLINK (Maria Manager, an independent expert in the pool)
    submitted it; Fay, a user of Gamma Oy in the registry, says she works for nobody: both
    conflict all the same."""
    gamma = world.proposals["AGRIFOOD"].partners[0].organisation
    assert gamma is not None
    fay = make_user(session, email="fay@experts.example", name="Fay")
    add_member(session, gamma, fay)
    make_expert(session, user=fay, expertise="agrifood")
    make_expert(session, user=world.applicant, expertise="health")

    panel = assigning.call_panel(session, world.officer, world.call_id, today=NOW.date())

    names = {str(e.id): e.user.name for e in panel.experts}
    acronyms = {str(p.id): p.acronym for p in panel.proposals}
    found = [(names[c.expert], acronyms[c.proposal], str(c.kind), c.reason)
             for c in panel.conflicts if names[c.expert] in {"Fay", "Maria Manager"}]  # fmt: skip
    assert found == [
        ("Fay", "AGRIFOOD", "member", "is a user of Gamma Oy, a member of the consortium"),
        ("Maria Manager", "HEALTHLINK", "applicant", "submitted the proposal"),
    ]
    pairs = _pairs(_assign(session, world))
    assert ("HEALTHLINK", world.applicant.name) not in pairs
    assert ("AGRIFOOD", "Fay") not in pairs
