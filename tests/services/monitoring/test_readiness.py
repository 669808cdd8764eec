"""The cluster readiness self-assessment: its own questions, exact scores, evidence limits,
improvement areas, labels with expiry reminders, and who may see it. SQLite and PostgreSQL."""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.config import Settings
from clusterbridge.db.models import Job, Organisation, OrganisationMember, User
from clusterbridge.db.session import Database
from clusterbridge.domain.assessment import ClusterDimension, ImprovementStatus, LabelLevel
from clusterbridge.domain.enums import OrgType, UserRole
from clusterbridge.domain.errors import ConflictError, InvalidInputError
from clusterbridge.services.evidence import MAX_EVIDENCE_BYTES, Upload
from clusterbridge.services.jobs.jobs import submit_job
from clusterbridge.services.jobs.runner import run_job
from clusterbridge.services.jobs.tasks import LABEL_REMINDERS
from clusterbridge.services.mail import FileMailer, pending_mail
from clusterbridge.services.monitoring import (
    AssessmentNotFoundError,
    add_improvement,
    add_label,
    add_question,
    answer_question,
    attach_evidence,
    edit_question,
    get_evidence,
    get_readiness,
    readiness_questions,
    remind_label_expiry,
    remove_question,
    update_improvement,
)
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
PDF = b"%PDF-1.4 minutes of the board"


@pytest.fixture
def cluster(session: Session) -> Organisation:
    return make_organisation(session, name="Munich Cluster")


@pytest.fixture
def manager(session: Session, cluster: Organisation) -> User:
    user = make_user(session, email="maria@munich.example", name="Maria")
    session.add(OrganisationMember(organisation_id=cluster.id, user_id=user.id))
    session.flush()
    return user


def test_the_first_view_copies_the_shipped_questions(
    session: Session, cluster: Organisation, manager: User
) -> None:
    readiness = get_readiness(session, manager, cluster.id)

    shipped = readiness_questions()[1]
    assert [(q.key, q.dimension, q.text) for q in readiness.questions] == [
        (s.key, s.dimension, s.text) for s in shipped
    ]
    assert {q.dimension for q in readiness.questions} == set(ClusterDimension)
    assert (readiness.scores, readiness.overall) == ({}, None)
    assert "not public" in readiness.notice


def test_scores_follow_the_answers_and_the_organisations_own_questions(
    session: Session, cluster: Organisation, manager: User
) -> None:
    questions = {q.key: q for q in get_readiness(session, manager, cluster.id).questions}
    for key, level in (("structure-members", 4), ("structure-helix", 2), ("financing-plan", 1)):
        answer_question(session, manager, questions[key].id, level=level, now=NOW)
    edit_question(session, manager, questions["structure-helix"].id, text="Triple helix", weight=3)
    own = add_question(
        session,
        manager,
        cluster.id,
        dimension=ClusterDimension.FINANCING,
        text="Reserves",
        weight=1,
    )
    answer_question(session, manager, own.id, level=3, now=NOW)
    remove_question(session, manager, questions["structure-eccp"].id)

    readiness = get_readiness(session, manager, cluster.id)

    # structure: (4 + 3*2) / (4 + 3*4) = 10/16 = 62.5; financing: (1 + 3) / 8 = 50.0;
    # overall: (10 + 4) / (16 + 8) = 58.333.. -> 58.3.
    assert readiness.scores == {"structure": Decimal("62.5"), "financing": Decimal("50.0")}
    assert readiness.overall == Decimal("58.3")
    assert own.key == "own-1"
    assert own.source == "Added by the organisation."
    assert "structure-eccp" not in {q.key for q in readiness.questions}
    assert len(readiness.questions) == len(readiness_questions()[1])


def test_invalid_answers_and_questions_name_their_field(
    session: Session, cluster: Organisation, manager: User
) -> None:
    question = get_readiness(session, manager, cluster.id).questions[0]
    with pytest.raises(InvalidInputError) as answer:
        answer_question(session, manager, question.id, level=5, now=NOW)
    with pytest.raises(InvalidInputError) as edit:
        edit_question(session, manager, question.id, text=" ", weight=6)

    assert [(i.field, i.reason) for i in answer.value.issues] == [("level", "must be 0 to 4")]
    assert [(i.field, i.reason) for i in edit.value.issues] == [
        ("text", "is required"),
        ("weight", "must be 1 to 5"),
    ]


def test_evidence_is_checked_like_an_exchanges_and_kept_with_its_question(
    session: Session, cluster: Organisation, manager: User
) -> None:
    question = get_readiness(session, manager, cluster.id).questions[0]
    with pytest.raises(InvalidInputError) as refused:
        attach_evidence(
            session,
            manager,
            question.id,
            [
                Upload("ok.pdf", "application/pdf", PDF),
                Upload("notes.txt", "text/plain", b"hello"),
                Upload("fake.pdf", "application/pdf", b"GIF89a"),
                Upload("big.pdf", "application/pdf", b"%PDF-" + b"x" * MAX_EVIDENCE_BYTES),
            ],
            now=NOW,
        )
    [stored] = attach_evidence(
        session, manager, question.id, [Upload("minutes.pdf", "application/pdf", PDF)], now=NOW
    )

    assert [(i.location, i.reason) for i in refused.value.issues] == [
        ("notes.txt", "must be a PDF, JPEG or PNG file"),
        ("fake.pdf", "must be a PDF, JPEG or PNG file"),
        ("big.pdf", "is larger than 5 MB"),
    ]
    found = get_evidence(session, manager, stored.id)
    assert (found.file_name, found.size, found.content) == ("minutes.pdf", len(PDF), PDF)
    assert [
        e.file_name for e in get_readiness(session, manager, cluster.id).questions[0].evidence
    ] == ["minutes.pdf"]


def test_a_question_keeps_at_most_ten_files(
    session: Session, cluster: Organisation, manager: User
) -> None:
    question = get_readiness(session, manager, cluster.id).questions[0]
    files = [Upload(f"{n}.pdf", "application/pdf", PDF) for n in range(8)]
    attach_evidence(session, manager, question.id, files, now=NOW)
    with pytest.raises(InvalidInputError) as refused:
        attach_evidence(session, manager, question.id, files[:3], now=NOW)
    with pytest.raises(InvalidInputError) as empty:
        attach_evidence(session, manager, question.id, [], now=NOW)
    attach_evidence(session, manager, question.id, files[:2], now=NOW)

    assert [i.reason for i in refused.value.issues] == [
        "a question keeps at most 10 files; it has 8"
    ]
    assert [i.reason for i in empty.value.issues] == ["choose at least one file"]
    assert len(get_readiness(session, manager, cluster.id).questions[0].evidence) == 10


def test_only_members_and_administrators_see_the_self_assessment(
    session: Session, cluster: Organisation, manager: User
) -> None:
    question = get_readiness(session, manager, cluster.id).questions[0]
    [evidence] = attach_evidence(
        session, manager, question.id, [Upload("a.pdf", "application/pdf", PDF)], now=NOW
    )
    stranger = make_user(session, email="sam@other.example", name="Sam")
    admin = make_user(session, email="ada@admin.example", name="Ada", role=UserRole.ADMINISTRATOR)

    for attempt in (
        lambda: get_readiness(session, stranger, cluster.id),
        lambda: get_readiness(session, None, cluster.id),
        lambda: answer_question(session, stranger, question.id, level=4, now=NOW),
        lambda: get_evidence(session, stranger, evidence.id),
        lambda: add_label(
            session, stranger, cluster.id, level=LabelLevel.BRONZE, awarded=date(2025, 1, 1),
            expires=None, today=TODAY
        ),
    ):  # fmt: skip
        with pytest.raises(AssessmentNotFoundError):
            attempt()
    assert len(get_readiness(session, admin, cluster.id).questions) == len(readiness_questions()[1])


def test_the_readiness_assessment_is_for_cluster_organisations(
    session: Session, manager: User
) -> None:
    sme = make_organisation(session, name="Small Firm", type=OrgType.SME)
    session.add(OrganisationMember(organisation_id=sme.id, user_id=manager.id))
    session.flush()
    with pytest.raises(ConflictError, match="for cluster organisations"):
        get_readiness(session, manager, sme.id)


def test_improvement_areas_are_chosen_and_followed(
    session: Session, cluster: Organisation, manager: User
) -> None:
    later = add_improvement(
        session, manager, cluster.id, dimension=ClusterDimension.SERVICES,
        title="Member survey", due=date(2026, 9, 1), today=TODAY
    )  # fmt: skip
    add_improvement(
        session, manager, cluster.id, dimension=ClusterDimension.FINANCING,
        title="Fee model", due=date(2026, 6, 1), today=TODAY
    )  # fmt: skip
    update_improvement(
        session,
        manager,
        later.id,
        status=ImprovementStatus.IN_PROGRESS,
        due=date(2026, 10, 1),
        today=TODAY,
    )
    with pytest.raises(InvalidInputError, match="title"):
        add_improvement(
            session,
            manager,
            cluster.id,
            dimension=ClusterDimension.SERVICES,
            title="",
            due=None,
            today=TODAY,
        )

    areas = get_readiness(session, manager, cluster.id).areas
    assert [(a.title, a.status, a.due) for a in areas] == [
        ("Fee model", ImprovementStatus.PLANNED, date(2026, 6, 1)),
        ("Member survey", ImprovementStatus.IN_PROGRESS, date(2026, 10, 1)),
    ]


def test_a_bronze_label_runs_two_years_and_others_need_an_expiry(
    session: Session, cluster: Organisation, manager: User
) -> None:
    bronze = add_label(
        session, manager, cluster.id, level=LabelLevel.BRONZE, awarded=date(2024, 2, 29),
        expires=None, today=TODAY
    )  # fmt: skip
    with pytest.raises(InvalidInputError) as gold:
        add_label(
            session, manager, cluster.id, level=LabelLevel.GOLD, awarded=date(2025, 1, 1),
            expires=None, today=TODAY
        )  # fmt: skip
    with pytest.raises(InvalidInputError) as silver:
        add_label(
            session, manager, cluster.id, level=LabelLevel.SILVER, awarded=date(2025, 1, 1),
            expires=date(2025, 1, 1), today=TODAY
        )  # fmt: skip
    with pytest.raises(ConflictError):
        add_label(
            session, manager, cluster.id, level=LabelLevel.BRONZE, awarded=date(2024, 2, 29),
            expires=None, today=TODAY
        )  # fmt: skip

    assert bronze.expires == date(2026, 2, 28)
    assert [i.reason for i in gold.value.issues] == ["is required for a gold label"]
    assert [i.reason for i in silver.value.issues] == ["must be after the award date"]


def test_expiry_reminders_go_once_to_the_organisations_members(
    session: Session, cluster: Organisation, manager: User, tmp_path: Path
) -> None:
    mailer = FileMailer(tmp_path, "labels@example.org")
    add_label(
        session, manager, cluster.id, level=LabelLevel.GOLD, awarded=date(2024, 6, 1),
        expires=date(2026, 5, 1), today=TODAY
    )  # fmt: skip
    add_label(
        session, manager, cluster.id, level=LabelLevel.BRONZE, awarded=date(2025, 6, 1),
        expires=None, today=TODAY
    )  # fmt: skip

    first = remind_label_expiry(
        session, mailer, now=NOW, today=NOW.date(), public_url="https://cb.example"
    )
    again = remind_label_expiry(
        session, mailer, now=NOW, today=NOW.date(), public_url="https://cb.example"
    )

    assert [(x.level, x.expires) for x in first] == [(LabelLevel.GOLD, date(2026, 5, 1))]
    assert again == []
    [mail] = pending_mail(session)
    assert mail.to == ("maria@munich.example",)
    assert mail.subject == "Your gold cluster excellence label expires in 61 days"
    assert mail.body == (
        "Hello Maria,\n\nThe gold label of Munich Cluster (awarded 01 June 2024) expires in 61 "
        "days (on 01 May 2026). Plan the next benchmarking with your self-assessment: "
        f"https://cb.example/organisations/{cluster.id}/readiness\n"
    )


#: Half past eleven in the evening of 30 April 2026 in UTC: already 1 May (01:30) in Brussels.
LATE_EVENING_UTC = datetime(2026, 4, 30, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("time_zone", "when"),
    [("Europe/Brussels", "expires today"), ("UTC", "expires in 1 day")],
)
def test_the_daily_label_job_takes_today_in_the_sites_time_zone(
    clean_database: Database, settings: Settings, time_zone: str, when: str
) -> None:
    site = settings.model_copy(update={"time_zone": time_zone})
    with clean_database.unit_of_work() as session:
        cluster = make_organisation(session, name="Munich Cluster")
        maria = make_user(session, email="maria@munich.example", name="Maria")
        session.add(OrganisationMember(organisation_id=cluster.id, user_id=maria.id))
        session.flush()
        add_label(
            session, maria, cluster.id, level=LabelLevel.GOLD, awarded=date(2024, 6, 1),
            expires=date(2026, 5, 1), today=TODAY
        )  # fmt: skip
        job_id = submit_job(session, None, LABEL_REMINDERS, {}, dispatch=lambda _job: None).id

    run_job(clean_database, site, job_id, clock=lambda: LATE_EVENING_UTC, dispatch=lambda _j: None)

    with clean_database.unit_of_work() as session:
        sent = session.scalars(sa.select(Job).where(Job.kind == "mail.send")).all()
        subjects = [job.arguments["subject"] for job in sent]
    assert subjects == [f"Your gold cluster excellence label {when}"]


def test_a_label_awarded_in_the_future_is_refused(
    session: Session, cluster: Organisation, manager: User
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        add_label(
            session, manager, cluster.id, level=LabelLevel.BRONZE, awarded=date(2030, 1, 1),
            expires=None, today=TODAY,
        )  # fmt: skip

    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("awarded", "is in the future (today is 01 March 2026): record a label once it is "
         "awarded"),
    ]  # fmt: skip
    today = add_label(session, manager, cluster.id, level=LabelLevel.BRONZE, awarded=TODAY,
                      expires=None, today=TODAY)  # fmt: skip
    assert today.awarded == TODAY


def test_an_improvement_area_due_in_the_past_is_refused_unless_done(
    session: Session, cluster: Organisation, manager: User
) -> None:
    past = (
        "is in the past (today is 01 March 2026): an improvement not done yet is due today or later"
    )
    area = add_improvement(session, manager, cluster.id, dimension=ClusterDimension.SERVICES,
                           title="Member survey", due=TODAY, today=TODAY)  # fmt: skip

    with pytest.raises(InvalidInputError) as planned:
        add_improvement(session, manager, cluster.id, dimension=ClusterDimension.SERVICES,
                        title="Fee model", due=date(2020, 1, 1), today=TODAY)  # fmt: skip
    with pytest.raises(InvalidInputError) as moved:
        update_improvement(session, manager, area.id, status=ImprovementStatus.IN_PROGRESS,
                           due=date(2026, 2, 1), today=TODAY)  # fmt: skip
    later = date(2026, 4, 1)
    # Once its due day has passed, an area still changes status, and is done any day.
    update_improvement(session, manager, area.id, status=ImprovementStatus.IN_PROGRESS,
                       due=TODAY, today=later)  # fmt: skip
    update_improvement(session, manager, area.id, status=ImprovementStatus.DONE,
                       due=date(2026, 2, 1), today=later)  # fmt: skip

    assert [(i.field, i.reason) for i in planned.value.issues] == [("due", past)]
    assert [(i.field, i.reason) for i in moved.value.issues] == [("due", past)]
    assert (area.status, area.due) == (ImprovementStatus.DONE, date(2026, 2, 1))
