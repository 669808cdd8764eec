"""The consortium builder on a small registry: proposals, completions and their checks."""

import dataclasses
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterbridge.db.models import Project
from clusterbridge.domain.consortium import Consortium, Partner
from clusterbridge.domain.enums import OrgType, Role, Verdict
from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.engines.consortium.problem import Mode
from clusterbridge.engines.consortium.result import SolveStatus
from clusterbridge.services.builder.build import (
    ALREADY_ELIGIBLE,
    BuildRequest,
    build_consortia,
    complete_consortium,
    prepare_problem,
)
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.services.matching.index import MatchIndexCache
from clusterbridge.services.matching.suggestions import answer_for_consortium
from tests.factories.builder import make_builder_registry
from tests.factories.matching import make_matching_registry

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2024, 12, 1, tzinfo=UTC)
CALL = "SMP-COSME-2024-CLUSTER"
REQUEST = BuildRequest(
    CALL, "1", idea="hydrogen electrolysers", max_partners=4, proposals=3, duration_months=24
)


def _names(proposal: object) -> list[str]:
    return sorted(a.name for a in proposal.added)  # type: ignore[attr-defined]


def test_build_consortia_proposes_the_optimum_and_then_a_different_one(session: Session) -> None:
    make_builder_registry(session)

    outcome = build_consortia(
        session, load_catalogue(), REQUEST, members=Consortium(()), cache=MatchIndexCache(), now=NOW
    )

    # At most four: three ECCP clusters from three Member States (one in a less developed
    # region) and the university; the second must drop two of them, so the Lisbon cluster
    # (not on the ECCP) joins the two clusters most similar to the idea; no third exists.
    assert [(p.status, p.report.verdict, _names(p)) for p in outcome.proposals] == [
        (
            SolveStatus.OPTIMAL,
            Verdict.ELIGIBLE,
            ["Bavaria Hydrogen Cluster", "Hydrogen University", "Lyon Hydrogen Cluster",
             "Podkarpackie Hydrogen Cluster"],
        ),
        (
            SolveStatus.OPTIMAL,
            Verdict.ELIGIBLE,
            ["Lisbon Cork Cluster", "Lyon Hydrogen Cluster", "Podkarpackie Hydrogen Cluster"],
        ),
    ]  # fmt: skip
    assert outcome.stopped is SolveStatus.INFEASIBLE
    assert (outcome.mode, outcome.registry, outcome.shortlist) == (Mode.BUILD, 7, 5)


def test_build_consortia_says_which_rules_each_partner_satisfies(session: Session) -> None:
    make_builder_registry(session)

    outcome = build_consortia(
        session, load_catalogue(), REQUEST, members=Consortium(()), cache=MatchIndexCache(), now=NOW
    )

    first = outcome.proposals[0]
    polish = next(a for a in first.added if a.country == "PL")
    assert polish.rules == (
        "counts towards “At least three applicants (affiliated entities do not count)”",
        "counts towards “Three cluster organisations or networks from three EU Member States”: adds PL",
        "counts towards “At least half of the partners are cluster organisations or networks registered on the ECCP”",
        "counts towards “At least one partner in a less developed region (2021-2027)”: located in a less developed region (2021-2027): PL82 Podkarpackie",
        "without it, “Three cluster organisations or networks from three EU Member States” would be fail",
        "without it, “At least one partner in a less developed region (2021-2027)” would be fail",
    )  # fmt: skip
    assert (
        polish.reasons[0] == "shared topics with the idea: Hydrogen technologies (its description)"
    )


def test_without_an_idea_the_reasons_speak_of_the_call_s_topic(session: Session) -> None:
    # The builder matches against the call's topic when no idea is given, and says so in a
    # note: its reasons must not speak of "the idea" (the QA of 2026-12-07).
    made = make_builder_registry(session)
    made["pt"].description = "Cork producers, a sustainable supply of critical raw materials"
    session.flush()
    request = dataclasses.replace(REQUEST, idea="")

    outcome = build_consortia(
        session, load_catalogue(), request, members=Consortium(()), cache=MatchIndexCache(), now=NOW
    )

    assert outcome.notes[0] == "No idea given: relevance is measured against the call's topic."
    cork = next(a for p in outcome.proposals for a in p.added if a.name == "Lisbon Cork Cluster")
    assert cork.reasons == ("its own description is close to the call's topic",)
    reasons = [r for p in outcome.proposals for a in p.added for r in a.reasons]
    assert not [r for r in reasons if "the idea" in r]


def test_each_added_partner_has_the_match_suggestions_show_for_the_same_question(
    session: Session,
) -> None:
    make_builder_registry(session)
    cache = MatchIndexCache()

    outcome = build_consortia(
        session, load_catalogue(), REQUEST, members=Consortium(()), cache=cache, now=NOW
    )
    suggested = answer_for_consortium(
        session, Consortium(()), cache=cache, idea=REQUEST.idea
    ).suggestions

    matches = {s.name: (s.score, s.band) for s in suggested}
    first, second = outcome.proposals
    assert [(a.name, a.match, a.band) for a in first.added] == [
        ("Podkarpackie Hydrogen Cluster", 24, "weak"),
        ("Bavaria Hydrogen Cluster", 45, "good"),
        ("Lyon Hydrogen Cluster", 55, "good"),
        ("Hydrogen University", 49, "good"),
    ]
    assert all(matches[a.name] == (a.match, a.band) for a in first.added)
    # Not on the ECCP and nothing in common with the idea: it is there for the rules only.
    assert [(a.name, a.match, a.band) for a in second.added][-1] == (
        "Lisbon Cork Cluster",
        0,
        "weak",
    )
    assert "Lisbon Cork Cluster" not in matches


def test_a_proposal_reads_as_its_partners_mean_match_and_the_rules_they_help(
    session: Session,
) -> None:
    make_builder_registry(session)

    outcome = build_consortia(
        session, load_catalogue(), REQUEST, members=Consortium(()), cache=MatchIndexCache(), now=NOW
    )

    first, second = outcome.proposals
    counted = ("min-applicants", "cluster-organisations-in-three-member-states")
    assert [(p.match, p.band, p.rules_helped) for p in outcome.proposals] == [
        (43, "good", (*counted, "half-eccp-registered", "less-developed-region")),  # 173 / 4
        (26, "weak", (*counted, "half-eccp-registered", "less-developed-region")),  # 79 / 3
    ]
    assert [(a.name, a.helps) for a in first.added][1:] == [
        ("Bavaria Hydrogen Cluster", (*counted, "half-eccp-registered")),
        ("Lyon Hydrogen Cluster", (*counted, "half-eccp-registered")),
        ("Hydrogen University", ("min-applicants",)),
    ]
    assert second.added[-1].helps == counted


def test_build_consortia_keeps_the_given_partners(session: Session) -> None:
    orgs = make_builder_registry(session)
    given = Partner("Lisbon Cork Cluster", "PT", pic=orgs["pt"].pic, role=Role.COORDINATOR,
                    type=OrgType.CLUSTER_ORGANISATION, legal_entity=True, eccp_registered=False)  # fmt: skip

    outcome = build_consortia(
        session, load_catalogue(), BuildRequest(CALL, "1", idea="hydrogen", max_partners=4, proposals=1),
        members=Consortium((given,)), cache=MatchIndexCache(), now=NOW,
    )  # fmt: skip

    [proposal] = outcome.proposals
    assert next(p.name for p in proposal.consortium.partners) == "Lisbon Cork Cluster"
    assert "Lisbon Cork Cluster" not in _names(proposal)
    assert len(proposal.consortium.partners) == 4


def test_complete_consortium_swaps_the_partner_that_fails(session: Session) -> None:
    orgs = make_builder_registry(session)
    team = Consortium((
        Partner("Bavaria Hydrogen Cluster", "DE", "DE212", OrgType.CLUSTER_ORGANISATION, None, True, True, Role.COORDINATOR, orgs["de"].pic),
        Partner("Lyon Hydrogen Cluster", "FR", "FR101", OrgType.CLUSTER_ORGANISATION, None, True, True, Role.BENEFICIARY, orgs["fr"].pic),
        Partner("Hydrogen Lab", "CH", None, OrgType.RESEARCH_ORGANISATION, None, True, True, Role.BENEFICIARY, orgs["ch"].pic),
    ))  # fmt: skip

    outcome = complete_consortium(
        session, load_catalogue(), REQUEST, team=team, cache=MatchIndexCache(), now=NOW
    )

    first = outcome.proposals[0]
    assert (_names(first), [r.name for r in first.removed]) == (
        ["Podkarpackie Hydrogen Cluster"], ["Hydrogen Lab"],
    )  # fmt: skip
    assert first.removed[0].why == (
        "fails “Applicants and affiliated entities are established in eligible countries”",
    )
    assert first.report.verdict is Verdict.ELIGIBLE


def test_complete_consortium_of_an_eligible_one_changes_nothing(session: Session) -> None:
    orgs = make_builder_registry(session)
    team = Consortium(tuple(
        Partner(o.name, o.country, o.nuts, o.type, None, True, True, Role.BENEFICIARY, o.pic)
        for o in (orgs["pl"], orgs["de"], orgs["fr"])
    ))  # fmt: skip

    outcome = complete_consortium(
        session, load_catalogue(), REQUEST, team=team, cache=MatchIndexCache(), now=NOW
    )

    assert (outcome.proposals, outcome.notes) == ((), (ALREADY_ELIGIBLE,))


def test_build_consortia_names_every_bad_value(session: Session) -> None:
    request = BuildRequest(CALL, "9", max_partners=0, proposals=11, min_difference=0)

    with pytest.raises(InvalidInputError) as raised:
        build_consortia(
            session,
            load_catalogue(),
            request,
            members=Consortium(()),
            cache=MatchIndexCache(),
            now=NOW,
        )

    assert [(i.field, i.reason) for i in raised.value.issues] == [
        ("strand", '"9" is not a strand of SMP-COSME-2024-CLUSTER; strands: 1, 2'),
        ("max_partners", "must be between 1 and 30, not 0"),
        ("proposals", "must be between 1 and 10, not 11"),
        ("min_difference", "must be between 1 and 30, not 0"),
    ]


def test_candidates_found_through_the_same_project_share_its_evidence_key(
    session: Session,
) -> None:
    orgs = make_matching_registry(session)
    request = BuildRequest(CALL, "1", idea="hydrogen direct reduction of iron", max_partners=4)

    _question, problem = prepare_problem(
        session, load_catalogue().get(CALL), request, team=Consortium(()),
        cache=MatchIndexCache(), now=NOW, mode=Mode.BUILD, seconds={},
    )  # fmt: skip

    evidence = {
        party.name: sorted(k for k in party.keys if k.startswith("evidence:"))
        for party in problem.candidates
    }
    project = session.scalars(select(Project.id).where(Project.acronym == "GREENSTEEL")).one()
    assert evidence == {
        orgs["steel"].name: [f"evidence:{project}"],
        orgs["cluster"].name: [f"evidence:{project}"],
        orgs["vision"].name: [],
        orgs["bakery"].name: [],
    }
