"""The demo project: made once, coordinated by the demo account's cluster, linked to the demo
event, its follow-ups answered, indicators with values and a frozen report of period 2."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clusterbridge.db.models import FollowUp, Indicator, IndicatorReport, Outcome
from clusterbridge.domain.enums import OrgType
from clusterbridge.services.monitoring import can_manage, get_project, project_series
from clusterbridge.services.monitoring.analysis import get_analysis
from clusterbridge.services.monitoring.demo import prepare_demo_project
from tests.factories.events import add_meeting, add_participant, make_event, make_person
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_the_demo_project_is_made_once_with_a_dashboard_worth_looking_at(session: Session) -> None:
    me = make_person(session, email="demo@example.org", name="Demo")
    event = make_event(session, organiser=make_person(session, email="o@example.org", name="O"))
    cluster = make_organisation(session, name="Demo Cluster")
    mine = add_participant(session, event, user=me, organisation=cluster)
    smes = []
    for name in ("Loom", "Sensor"):
        org = make_organisation(session, name=name, type=OrgType.SME)
        smes.append(
            add_participant(
                session,
                event,
                user=make_person(session, email=f"{name}@example.org", name=name),
                organisation=org,
            )
        )
    add_meeting(session, event, requester=smes[0], recipient=smes[1])
    add_meeting(session, event, requester=mine, recipient=smes[1])

    first = prepare_demo_project(
        session, me, event_id=event.id, partnership_id=None, now=NOW, today=NOW.date()
    )
    again = prepare_demo_project(
        session, me, event_id=event.id, partnership_id=None, now=NOW, today=NOW.date()
    )

    assert (first.added, again.added, first.project_id) == (True, False, again.project_id)
    assert first.project_id is not None
    project = get_project(session, me, first.project_id)
    assert can_manage(session, me, project)
    assert (project.start_date.isoformat(), project.end_date.isoformat()) == (
        "2025-12-01",
        "2028-11-30",
    )
    assert session.scalar(select(func.count(Indicator.id))) == 11
    assert (
        session.scalar(select(func.count(FollowUp.id)).where(FollowUp.answered_at.is_not(None)))
        == 4
    )
    assert sorted(o.type.value for o in session.scalars(select(Outcome))) == [
        "commercial_agreement", "commercial_agreement", "no_follow_up", "technical_cooperation",
    ]  # fmt: skip
    assert [(r.period, r.version) for r in session.scalars(select(IndicatorReport))] == [(2, 1)]
    series = {s.name: s for s in project_series(session, project, today=NOW.date())}
    # The event (2025-03-10) is before the project: no meeting held counts; the results count
    # in the period they were reported (the agreement both sides report is one).
    meetings = series["One-to-one meetings held"].points
    results = series["Results of meetings and exchanges"].points
    assert [str(p.value) for p in meetings] == ["0.00", "0.00", "0.00"]
    assert [str(p.value) for p in results] == ["0.00", "0.00", "2.00"]
    # Services: days 30, 75, 90 (a course), 120 in P1; 200, 240 (a course), 260 in P2; the
    # course trains 2 of Sensor and Marta and Jonas of Loom each time.
    figures = {
        name: [str(p.value) for p in series[name].points]
        for name in ("Services delivered to SMEs", "People trained", "SMEs supported")
    }
    assert figures == {
        "Services delivered to SMEs": ["4.00", "3.00", "0.00"],
        "People trained": ["4.00", "4.00", "0.00"],
        "SMEs supported": ["2.00", "2.00", "0.00"],
    }
    assert [str(p.value) for p in series["Webinars on advanced technologies"].points] == [
        "2.00",
        "3.00",
        "None",
    ]


def test_the_demo_analysis_cites_the_frozen_report(session: Session) -> None:
    me = make_person(session, email="demo@example.org", name="Demo")
    event = make_event(session, organiser=make_person(session, email="o@example.org", name="O"))
    cluster = make_organisation(session, name="Demo Cluster")
    add_participant(session, event, user=me, organisation=cluster)
    loom = make_organisation(session, name="Loom", type=OrgType.SME)
    add_participant(
        session, event, user=make_person(session, email="l@example.org", name="L"),
        organisation=loom,
    )  # fmt: skip

    made = prepare_demo_project(
        session, me, event_id=event.id, partnership_id=None, now=NOW, today=NOW.date()
    )
    assert made.project_id is not None
    analysis = get_analysis(session, me, made.project_id, today=NOW.date())

    assert [
        (f.kind.value, [e.label for e in f.evidence]) for f in analysis.findings
    ] == [
        ("opportunity", [
            "Services delivered to SMEs, P2 (2026-06-01 – 2026-11-30): 3 deliveries "
            "(report version 1 of 2026-12-07)",
            "SMEs supported, P2 (2026-06-01 – 2026-11-30): 1 SMEs (report version 1 of 2026-12-07)",
        ]),
        ("threat", [
            "People trained, P2 (2026-06-01 – 2026-11-30): 2 people (report version 1 of 2026-12-07)",
        ]),
    ]  # fmt: skip
    [recommendation] = analysis.recommendations
    assert recommendation.audience.value == "regional"
    assert len(recommendation.findings) == 2
