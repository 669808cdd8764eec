"""SME digital maturity: exact scores, history with deltas, what it suggests for the profile
and needs (declared beats derived), and who may see it. SQLite and PostgreSQL."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation, OrganisationMember, OrganisationTechnology, User
from clusterbridge.domain.enums import OrgType, SmeProfile, TechnologyDirection, ValueOrigin
from clusterbridge.domain.errors import ConflictError, InvalidInputError
from clusterbridge.engines.profiles import OrganisationFacts, Participation, ProjectText
from clusterbridge.services.monitoring import (
    AssessmentNotFoundError,
    maturity_history,
    maturity_refusal,
    maturity_rules,
    suggest,
    take_assessment,
)
from clusterbridge.services.registry.profiles import store_derived_profiles
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]
D = Decimal
FIRST = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
SECOND = datetime(2026, 7, 10, 9, 0, tzinfo=UTC)


def answers(level: int, **levels: int) -> dict[str, int]:
    """Every question at ``level``, except the keys given (``-`` written ``_``)."""
    found = {q.key: level for q in maturity_rules().questions}
    found.update({key.replace("_", "-"): value for key, value in levels.items()})
    return found


@pytest.fixture
def sme(session: Session) -> Organisation:
    return make_organisation(session, name="Tiny Tools", type=OrgType.SME)


@pytest.fixture
def owner(session: Session, sme: Organisation) -> User:
    user = make_user(session, email="tom@tiny.example", name="Tom")
    session.add(OrganisationMember(organisation_id=sme.id, user_id=user.id))
    session.flush()
    return user


def _needs(session: Session, sme: Organisation) -> list[tuple[str | None, ValueOrigin]]:
    rows = session.scalars(
        select(OrganisationTechnology)
        .where(
            OrganisationTechnology.organisation_id == sme.id,
            OrganisationTechnology.direction == TechnologyDirection.NEEDED,
        )
        .order_by(OrganisationTechnology.code)
    )
    return [(row.code, row.origin) for row in rows]


def test_scores_history_and_deltas(session: Session, sme: Organisation, owner: User) -> None:
    # strategy (3 questions) 2,2,2 -> 40; readiness 1,1 -> 20; human 3,3 -> 60; data 2,3 -> 50;
    # automation 0,1 -> 10; green 4,4 -> 80; overall 260 / 6 = 43.333.. -> 43.3.
    first = answers(
        2, readiness_basics=1, readiness_advanced=1, human_skills=3, human_involved=3,
        data_security=3, automation_processes=0, automation_ai=1, green_footprint=4,
        green_equipment=4,
    )  # fmt: skip
    take_assessment(session, owner, sme.id, first, now=FIRST, today=FIRST.date())
    take_assessment(
        session, owner, sme.id, answers(3, automation_ai=5), now=SECOND, today=SECOND.date()
    )

    latest, earliest = maturity_history(session, owner, sme.id)

    assert earliest.scores == {
        "strategy": D("40.0"), "readiness": D("20.0"), "human_centric": D("60.0"),
        "data": D("50.0"), "automation_ai": D("10.0"), "green": D("80.0"),
    }  # fmt: skip
    assert (earliest.assessment.overall, earliest.band, earliest.overall_delta) == (
        D("43.3"), "Average", None,
    )  # fmt: skip
    # Second: all 3 (60) but automation 3,5 -> 80; overall (5 * 60 + 80) / 6 = 63.333.. -> 63.3.
    assert latest.scores["automation_ai"] == D("80.0")
    assert (latest.assessment.overall, latest.band) == (D("63.3"), "Moderately advanced")
    assert latest.overall_delta == D("20.0")
    assert latest.deltas == {
        "strategy": D("20.0"), "readiness": D("40.0"), "human_centric": D("0.0"),
        "data": D("10.0"), "automation_ai": D("70.0"), "green": D("-20.0"),
    }  # fmt: skip


def test_every_answer_is_required_and_in_range(
    session: Session, sme: Organisation, owner: User
) -> None:
    given = answers(3, strategy_plan=6)
    del given["green-equipment"]
    given["made-up"] = 1
    with pytest.raises(InvalidInputError) as error:
        take_assessment(session, owner, sme.id, given, now=FIRST, today=FIRST.date())

    assert error.value.summary == "The answers to made-up and strategy-plan are not valid:"
    assert [(i.location, i.reason) for i in error.value.issues] == [
        ("made-up", "is not a question of this assessment"),
        ("strategy-plan", "must be 0 to 5, not 6"),
        ("green-equipment", "is required"),
    ]
    assert maturity_history(session, owner, sme.id) == []


@pytest.mark.parametrize(
    ("level", "automation", "profile"),
    [
        (1, 1, SmeProfile.TRADITIONAL),  # overall 20 <= 25
        (3, 3, None),  # overall 60: no suggestion
        (4, 4, SmeProfile.TECH_SAVVY),  # overall 80, automation 80
        (4, 2, None),  # overall (5 * 80 + 40) / 6 = 73.3 but automation 40 < 71
    ],
)
def test_suggested_profile(level: int, automation: int, profile: SmeProfile | None) -> None:
    scores = dict.fromkeys(
        ("strategy", "readiness", "human_centric", "data", "green"), D(level * 20)
    )
    scores["automation_ai"] = D(automation * 20)
    overall = sum(scores.values(), D(0)) / 6
    assert suggest(scores, overall, maturity_rules()).sme_profile == profile


def test_a_weak_assessment_sets_derived_profile_and_needs(
    session: Session, sme: Organisation, owner: User
) -> None:
    take_assessment(session, owner, sme.id, answers(1), now=FIRST, today=FIRST.date())

    assert (sme.sme_profile, sme.sme_profile_origin) == (
        SmeProfile.TRADITIONAL,
        ValueOrigin.DERIVED,
    )
    assert sme.sme_profile_evidence == "Digital maturity assessment of 2026-01-10: overall 20.0/100"
    assert _needs(session, sme) == [
        (code, ValueOrigin.DERIVED)
        for code in sorted(
            ["ati-ai", "ati-big-data", "ati-cloud", "ati-connectivity", "ati-cybersecurity",
             "ati-robotics"]
        )
    ]  # fmt: skip

    # A later, stronger assessment replaces its own derived needs.
    take_assessment(
        session,
        owner,
        sme.id,
        answers(3, automation_ai=0, automation_processes=0),
        now=SECOND,
        today=SECOND.date(),
    )
    assert _needs(session, sme) == [
        ("ati-ai", ValueOrigin.DERIVED),
        ("ati-robotics", ValueOrigin.DERIVED),
    ]
    # No suggestion at 50 overall: the earlier derived profile stays as it was.
    assert sme.sme_profile == SmeProfile.TRADITIONAL


def test_declared_profile_and_needs_beat_the_assessment(
    session: Session, sme: Organisation, owner: User
) -> None:
    sme.sme_profile, sme.sme_profile_origin = SmeProfile.TECH_SAVVY, ValueOrigin.DECLARED
    session.add(
        OrganisationTechnology(
            organisation_id=sme.id, direction=TechnologyDirection.NEEDED, label="Photonics",
            code="ati-photonics", origin=ValueOrigin.DECLARED,
        )
    )  # fmt: skip
    session.flush()

    take_assessment(session, owner, sme.id, answers(0), now=FIRST, today=FIRST.date())

    assert (sme.sme_profile, sme.sme_profile_origin) == (
        SmeProfile.TECH_SAVVY,
        ValueOrigin.DECLARED,
    )
    assert _needs(session, sme) == [("ati-photonics", ValueOrigin.DECLARED)]


def test_declared_fields_beat_the_assessment(
    session: Session, sme: Organisation, owner: User
) -> None:
    sme.declared_fields = ["sme_profile", "technologies_needed"]
    session.flush()

    take_assessment(session, owner, sme.id, answers(0), now=FIRST, today=FIRST.date())

    assert (sme.sme_profile, sme.sme_profile_origin) == (None, None)
    assert _needs(session, sme) == []


def test_only_members_and_administrators_see_the_assessments(
    session: Session, sme: Organisation, owner: User
) -> None:
    take_assessment(session, owner, sme.id, answers(2), now=FIRST, today=FIRST.date())
    stranger = make_user(session, email="sam@other.example", name="Sam")

    with pytest.raises(AssessmentNotFoundError):
        maturity_history(session, stranger, sme.id)
    with pytest.raises(AssessmentNotFoundError):
        take_assessment(session, stranger, sme.id, answers(2), now=FIRST, today=FIRST.date())
    large = make_organisation(session, name="Big Corp", type=OrgType.LARGE_ENTERPRISE)
    large.is_sme = False
    session.add(OrganisationMember(organisation_id=large.id, user_id=owner.id))
    session.flush()
    with pytest.raises(ConflictError, match="for SMEs"):
        take_assessment(session, owner, large.id, answers(2), now=FIRST, today=FIRST.date())


@pytest.mark.parametrize(
    ("is_sme", "org_type", "refused"),
    [
        (None, OrgType.CLUSTER_ORGANISATION, True),
        (None, None, True),
        (False, OrgType.SME, True),
        (True, OrgType.CLUSTER_ORGANISATION, False),
        (None, OrgType.SME, False),
    ],
)
def test_only_an_sme_takes_the_digital_maturity_assessment(
    session: Session,
    owner: User,
    is_sme: bool | None,
    org_type: OrgType | None,
    refused: bool,
) -> None:
    organisation = make_organisation(session, name="Somebody", type=org_type)
    organisation.is_sme = is_sme
    session.add(OrganisationMember(organisation_id=organisation.id, user_id=owner.id))
    session.flush()

    assert (maturity_refusal(organisation) is not None) is refused
    if refused:
        with pytest.raises(ConflictError, match=r"^The digital maturity self-assessment is for"):
            take_assessment(
                session, owner, organisation.id, answers(2), now=FIRST, today=FIRST.date()
            )
        assert maturity_history(session, owner, organisation.id) == []
    else:
        take_assessment(session, owner, organisation.id, answers(2), now=FIRST, today=FIRST.date())


def test_deriving_profiles_again_keeps_what_the_assessment_said(
    session: Session, sme: Organisation, owner: User
) -> None:
    """The CORDIS import derives profiles again from projects; it must not erase the needs and
    the profile the SME's own assessment gave (nor add project-derived needs beside them)."""
    take_assessment(session, owner, sme.id, answers(1), now=FIRST, today=FIRST.date())
    before = _needs(session, sme)
    assessed = ("ai", "big-data", "cloud", "connectivity", "cybersecurity", "robotics")
    assert before == [(f"ati-{code}", ValueOrigin.DERIVED) for code in assessed]
    weaving = ProjectText(
        id="p9", acronym="LOOMS", title="Traditional weaving of wool cloth",
        keywords="weaving, wool", euroscivoc_terms=(), objective="Looms for small weavers.",
    )  # fmt: skip
    facts = OrganisationFacts(
        id=str(sme.id), name=sme.name, activity_type="PRC", is_sme=True,
        projects=(Participation(weaving, "coordinator"),),
    )  # fmt: skip

    store_derived_profiles(session, [facts], {str(sme.id): sme.id})
    session.expire_all()

    assert _needs(session, sme) == before
    kept = session.get(Organisation, sme.id)
    assert kept is not None
    assert kept.sme_profile == SmeProfile.TRADITIONAL
    assert (kept.sme_profile_evidence or "").startswith("Digital maturity assessment of 2026-01-10")


@pytest.mark.parametrize(
    ("strategy_plan", "summary"),
    [
        (None, "The assessment is not complete:"),
        (9, "The answer to strategy-plan is not valid:"),
    ],
)
def test_missing_answers_make_the_assessment_incomplete_wrong_ones_are_named(
    session: Session, sme: Organisation, owner: User, strategy_plan: int | None, summary: str
) -> None:
    given = {key: level for key, level in answers(3).items() if key != "strategy-plan"}
    if strategy_plan is not None:
        given["strategy-plan"] = strategy_plan

    with pytest.raises(InvalidInputError) as error:
        take_assessment(session, owner, sme.id, given, now=FIRST, today=FIRST.date())

    assert error.value.summary == summary
