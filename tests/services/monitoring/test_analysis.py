"""A project's analysis: findings checked field by field against the shipped vocabularies,
numbered opportunities first; evidence only of the project's partners and only what the user may
see, cited with its label; recommendations resting on the project's findings; managers write,
officers read, others learn nothing. SQLite and PostgreSQL."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from clusterbridge.domain.analysis import FindingKind
from clusterbridge.domain.enums import SmeProfile
from clusterbridge.domain.errors import AccessDeniedError, ConflictError, InvalidInputError
from clusterbridge.services.evidence import Upload
from clusterbridge.services.monitoring import (
    IndicatorDraft,
    ProjectNotFoundError,
    create_indicator,
    issue_report,
    record_value,
)
from clusterbridge.services.monitoring.analysis import (
    FindingDraft,
    RecommendationDraft,
    create_finding,
    create_recommendation,
    delete_finding,
    get_analysis,
    link_evidence,
    reorder_findings,
    reorder_recommendations,
    unlink_evidence,
    update_recommendation,
    upload_document,
)
from tests.factories.analyses import AnalysisWorld, make_analysis_world

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
PDF = b"%PDF-1.4 a survey"
OPPORTUNITY = FindingDraft(
    kind=FindingKind.OPPORTUNITY,
    title="  Shared  AI pilots ",
    text="Traditional SMEs test AI with tech-savvy peers.",
    technologies=("ati-ai", "ati-ai"),
    ecosystems=("textile",),
    sme_profile=SmeProfile.TRADITIONAL,
)
THREAT = FindingDraft(kind=FindingKind.THREAT, title="Skills gap", text="Few data engineers.")


@pytest.fixture
def world(session: Session) -> AnalysisWorld:
    return make_analysis_world(session)


def issues(error: pytest.ExceptionInfo[InvalidInputError]) -> list[tuple[str, str, str]]:
    return [(i.location, i.field, i.reason) for i in error.value.issues]


def test_a_finding_is_checked_field_by_field(session: Session, world: AnalysisWorld) -> None:
    maria = world.people["maria"]
    wrong = FindingDraft(
        kind=FindingKind.THREAT, title=" ", text="", technologies=("ati-ai", "telepathy"),
        ecosystems=("moon-mining",),
    )  # fmt: skip

    with pytest.raises(InvalidInputError) as error:
        create_finding(session, maria, world.project, wrong)

    assert issues(error) == [
        ("", "title", "is required"),
        ("", "text", "is required"),
        ("telepathy", "technologies", "is not in the shipped vocabulary"),
        ("moon-mining", "ecosystems", "is not in the shipped vocabulary"),
    ]
    assert get_analysis(session, maria, world.project, today=NOW.date()).findings == []


def test_findings_are_numbered_opportunities_first_and_reordered(
    session: Session, world: AnalysisWorld
) -> None:
    maria = world.people["maria"]
    threat = create_finding(session, maria, world.project, THREAT)
    first = create_finding(session, maria, world.project, OPPORTUNITY)
    second = create_finding(session, maria, world.project, OPPORTUNITY)

    before = get_analysis(session, maria, world.project, today=NOW.date())
    reorder_findings(session, maria, world.project, [second.id, threat.id, first.id])
    after = get_analysis(session, maria, world.project, today=NOW.date())

    assert [f.id for f in before.findings] == [first.id, second.id, threat.id]
    assert [f.id for f in after.findings] == [second.id, first.id, threat.id]
    assert after.numbers == {second.id: 1, first.id: 2, threat.id: 3}
    assert (first.title, first.technologies, first.ecosystems) == (
        "Shared AI pilots",
        ["ati-ai"],
        ["textile"],
    )
    with pytest.raises(InvalidInputError) as error:
        reorder_findings(session, maria, world.project, [first.id, first.id, threat.id])
    assert issues(error) == [("", "finding_ids", "must name each of the project's findings once")]


def test_evidence_is_cited_with_its_label_by_who_may_see_it(
    session: Session, world: AnalysisWorld
) -> None:
    maria = world.people["maria"]
    finding = create_finding(session, maria, world.project, OPPORTUNITY)

    def link(user_key: str, kind: str, ref_id: int) -> str:
        return link_evidence(
            session, world.people[user_key], world.project, finding.id,
            kind=kind, ref_id=ref_id, today=NOW.date(),
        ).label  # fmt: skip

    labels = [
        link("tom", "maturity_assessment", world.assessment),
        link("tom", "outcome", world.outcome),
        link("maria", "readiness", world.cluster),
    ]

    assert labels == [
        "Digital maturity self-assessment of Tiny Tools, 2026-02-03: overall 42.5/100",
        "A technical cooperation, reported by Tiny Tools on 2026-04-01 after its meeting with "
        "Other Co at Textile meets Tech on 10 March 2026",
        "Cluster excellence readiness self-assessment of Mobility Cluster, 2026-05-04: "
        "overall 62.5/100 on 2 questions answered",
    ]
    refused = [
        ("maria", "maturity_assessment", world.assessment),  # Tiny Tools' private assessment
        ("ada", "maturity_assessment", world.other_assessment),  # Other Co is no partner
        ("tom", "readiness", world.sme),  # an SME has no readiness answers
    ]
    for user_key, kind, ref_id in refused:
        with pytest.raises(InvalidInputError) as error:
            link(user_key, kind, ref_id)
        assert issues(error) == [
            ("", "ref_id", "is not an item of the project's partners that you may cite")
        ]
    with pytest.raises(InvalidInputError) as error:
        link("ada", "gossip", 1)
    assert issues(error) == [
        (
            "",
            "kind",
            '"gossip" is not a kind of evidence a finding cites; use one of: '
            "maturity_assessment, readiness, outcome, document, indicator_value",
        )
    ]
    with pytest.raises(ConflictError):
        link("ada", "outcome", world.outcome)


def test_a_document_is_checked_and_then_cited(session: Session, world: AnalysisWorld) -> None:
    maria = world.people["maria"]
    finding = create_finding(session, maria, world.project, THREAT)
    with pytest.raises(InvalidInputError) as error:
        upload_document(
            session, maria, world.project, title="",
            upload=Upload("notes.txt", "text/plain", b"hello"), now=NOW,
        )  # fmt: skip
    assert issues(error) == [
        ("notes.txt", "file", "must be a PDF, JPEG or PNG file"),
        ("", "title", "is required"),
    ]

    document = upload_document(
        session, maria, world.project, title="Skills  survey",
        upload=Upload("survey.pdf", "application/pdf", PDF), now=NOW,
    )  # fmt: skip
    link = link_evidence(
        session, maria, world.project, finding.id, kind="document", ref_id=document.id,
        today=NOW.date(),
    )  # fmt: skip
    unlink_evidence(session, maria, world.project, finding.id, link.id)

    assert link.label == "Skills survey (survey.pdf, uploaded 2026-05-04)"
    assert get_analysis(session, maria, world.project, today=NOW.date()).findings[0].evidence == []


@pytest.mark.parametrize(
    ("time_zone", "day"), [("Europe/Brussels", "2026-05-05"), ("UTC", "2026-05-04")]
)
def test_a_label_writes_the_day_of_a_stored_moment_in_the_sites_time_zone(
    session: Session, world: AnalysisWorld, time_zone: str, day: str
) -> None:
    # Uploaded at 23:30 UTC, 01:30 the next day in Brussels: the label wrote the UTC day.
    maria = world.people["maria"]
    late = datetime(2026, 5, 4, 23, 30, tzinfo=UTC)
    finding = create_finding(session, maria, world.project, THREAT)
    document = upload_document(
        session, maria, world.project, title="Survey",
        upload=Upload("survey.pdf", "application/pdf", PDF), now=late,
    )  # fmt: skip

    link = link_evidence(
        session, maria, world.project, finding.id, kind="document", ref_id=document.id,
        today=late.date(), time_zone=time_zone,
    )  # fmt: skip

    assert link.label == f"Survey (survey.pdf, uploaded {day})"


def test_recommendations_rest_on_the_projects_findings(
    session: Session, world: AnalysisWorld
) -> None:
    maria = world.people["maria"]
    opportunity = create_finding(session, maria, world.project, OPPORTUNITY)
    threat = create_finding(session, maria, world.project, THREAT)

    with pytest.raises(InvalidInputError) as error:
        create_recommendation(
            session, maria, world.project, RecommendationDraft("galactic", " ", ())
        )
    assert issues(error) == [
        ("", "audience", "choose the EU, national, regional or cluster"),
        ("", "text", "is required"),
        ("", "finding_ids", "cite at least one finding"),
    ]
    with pytest.raises(InvalidInputError) as error:
        create_recommendation(
            session, maria, world.project, RecommendationDraft("eu", "Fund pilots.", (999_999,))
        )
    assert issues(error) == [("999999", "finding_ids", "is not a finding of this project")]

    first = create_recommendation(
        session, maria, world.project, RecommendationDraft("eu", "Fund pilots.", (threat.id,))
    )
    second = create_recommendation(
        session, maria, world.project,
        RecommendationDraft("regional", "Train data engineers.", (opportunity.id, threat.id)),
    )  # fmt: skip
    update_recommendation(
        session, maria, world.project, first.id,
        RecommendationDraft("national", "Fund AI pilots.", (opportunity.id,)),
    )  # fmt: skip
    reorder_recommendations(session, maria, world.project, [second.id, first.id])
    found = get_analysis(session, maria, world.project, today=NOW.date())

    assert [(r.id, r.audience.value, r.text) for r in found.recommendations] == [
        (second.id, "regional", "Train data engineers."),
        (first.id, "national", "Fund AI pilots."),
    ]
    assert [f.id for f in found.recommendations[0].findings] == [opportunity.id, threat.id]
    with pytest.raises(ConflictError):
        delete_finding(session, maria, world.project, threat.id)


def test_officers_read_managers_write_others_learn_nothing(
    session: Session, world: AnalysisWorld
) -> None:
    create_finding(session, world.people["tom"], world.project, THREAT)

    seen = get_analysis(session, world.people["paula"], world.project, today=NOW.date())

    assert ([f.title for f in seen.findings], seen.can_manage, seen.choices) == (
        ["Skills gap"],
        False,
        {},
    )
    with pytest.raises(AccessDeniedError):
        create_finding(session, world.people["paula"], world.project, THREAT)
    with pytest.raises(ProjectNotFoundError):
        get_analysis(session, world.people["sam"], world.project, today=NOW.date())
    with pytest.raises(ProjectNotFoundError):
        create_finding(session, world.people["sam"], world.project, THREAT)


def test_an_indicator_value_is_cited_as_its_latest_frozen_report_states_it(
    session: Session, world: AnalysisWorld
) -> None:
    maria = world.people["maria"]
    finding = create_finding(session, maria, world.project, OPPORTUNITY)
    webinars = create_indicator(
        session, maria, world.project, IndicatorDraft(name="Webinars", unit="webinars")
    )
    record_value(
        session, maria, webinars.id, period=2, value=Decimal("3"), now=NOW, today=NOW.date()
    )
    issue_report(session, maria, world.project, 2, now=NOW, today=NOW.date())
    record_value(
        session, maria, webinars.id, period=2, value=Decimal("4.5"), now=NOW, today=NOW.date()
    )
    latest = issue_report(session, maria, world.project, 2, now=NOW, today=NOW.date())

    link = link_evidence(
        session, maria, world.project, finding.id, kind="indicator_value",
        ref_id=latest.lines[0].id, today=NOW.date(),
    )  # fmt: skip

    assert link.label == (
        "Webinars, P2 (2025-07-01 – 2025-12-31): 4.50 webinars (report version 2 of 2026-05-04)"
    )


def test_an_indicator_value_in_euros_is_cited_as_an_amount(
    session: Session, world: AnalysisWorld
) -> None:
    maria = world.people["maria"]
    finding = create_finding(session, maria, world.project, OPPORTUNITY)
    support = create_indicator(
        session, maria, world.project, IndicatorDraft(name="Vouchers paid", unit="EUR")
    )
    record_value(
        session, maria, support.id, period=2, value=Decimal("12000"), now=NOW, today=NOW.date()
    )
    report = issue_report(session, maria, world.project, 2, now=NOW, today=NOW.date())

    link = link_evidence(
        session, maria, world.project, finding.id, kind="indicator_value",
        ref_id=report.lines[0].id, today=NOW.date(),
    )  # fmt: skip

    assert link.label == (
        "Vouchers paid, P2 (2025-07-01 – 2025-12-31): EUR 12,000 (report version 1 of 2026-05-04)"
    )
