"""The builder, the documents and the index build as jobs (issue 20), end to end on the
embedded runner: refused at once when the question is wrong, run in one go, seen by their
owner and administrators only, and a cancelled job writes nothing."""

import base64
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

from clusterbridge.config import Settings
from clusterbridge.db.models import Job
from clusterbridge.db.repositories.users import get_user
from clusterbridge.db.session import Database
from clusterbridge.domain.consortium import Consortium
from clusterbridge.domain.enums import JobState, Role, UserRole
from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.engines.consortium.problem import Mode
from clusterbridge.private_files import replace_private_bytes
from clusterbridge.services import jobs
from clusterbridge.services.builder.build import BuildRequest
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.services.consortia import partners as consortium_partners
from clusterbridge.services.consortia.access import ConsortiumNotFoundError
from clusterbridge.services.jobs.document_job import (
    DOCUMENTS,
    Document,
    DocumentsNotSharedError,
    Reader,
    document_folder,
)
from clusterbridge.services.jobs.index_job import index_build_requester
from clusterbridge.services.jobs.resources import TaskResources, register_resources
from clusterbridge.services.matching.index import MatchIndexCache
from clusterbridge.services.matching.store import current_version, store_folder
from clusterbridge.services.workbooks import TableFormat
from tests.conftest import NOW
from tests.factories.builder import make_builder_registry
from tests.factories.consortia import make_consortium
from tests.factories.events import make_person
from tests.factories.matching import make_matching_registry
from tests.services.jobs.conftest import clock

pytestmark = [pytest.mark.integration, pytest.mark.db]

CATALOGUE = load_catalogue()
HYDROGEN = BuildRequest(
    call_id="SMP-COSME-2024-CLUSTER", strand="1", idea="hydrogen electrolysers", max_partners=4,
    proposals=1, duration_months=24,
)  # fmt: skip


@pytest.fixture
def people(clean_database: Database) -> dict[str, int]:
    """Bea builds, Ada administers, Otto looks on; the builder's small registry."""
    with clean_database.unit_of_work() as session:
        made = {
            name: make_person(session, email=f"{name}@example.org", name=name, role=role).id
            for name, role in (
                ("bea", UserRole.ORGANISATION_MEMBER),
                ("ada", UserRole.ADMINISTRATOR),
                ("otto", UserRole.ORGANISATION_MEMBER),
            )
        }
        make_builder_registry(session)
    register_resources(clean_database, TaskResources(CATALOGUE, MatchIndexCache()))
    return made


def _run(database: Database, settings: Settings, job_id: int) -> JobState | None:
    return jobs.run_job(database, settings, job_id, clock=clock, dispatch=lambda _job_id: None)


def _job(database: Database, job_id: int) -> Job:
    with database.unit_of_work() as session:
        return session.get_one(Job, job_id)


def _submit_build(database: Database, owner: int, request: BuildRequest = HYDROGEN) -> int:
    dispatched: list[int] = []
    with database.unit_of_work() as session:
        actor = get_user(session, owner)
        job = jobs.submit_builder_build(
            session, actor, CATALOGUE, request, mode=Mode.BUILD, team=Consortium(()),
            dispatch=dispatched.append,
        )  # fmt: skip
        job_id = job.id
    assert dispatched == [job_id]
    return job_id


def test_a_builder_job_holds_the_proposals_with_their_reports(
    clean_database: Database, job_settings: Settings, people: dict[str, int]
) -> None:
    job_id = _submit_build(clean_database, people["bea"])

    state = _run(clean_database, job_settings, job_id)

    job = _job(clean_database, job_id)
    assert (state, job.kind, job.attempts, job.max_attempts) == (
        JobState.SUCCEEDED,
        "builder.build",
        1,
        3,
    )
    assert job.result is not None
    [proposal] = job.result["answer"]["proposals"]
    assert sorted(a["id"] for a in proposal["added"]) == [
        "200000001", "200000002", "200000003", "200000005",
    ]  # fmt: skip
    assert (proposal["status"], proposal["report"]["verdict"]) == ("optimal", "eligible")
    assert job.result["summary"] == "1 proposal for SMP-COSME-2024-CLUSTER, strand 1."
    assert job.result["request"]["duration_months"] == 24


def test_a_builder_question_that_is_wrong_is_refused_before_any_job(
    clean_database: Database, people: dict[str, int]
) -> None:
    wrong = BuildRequest(call_id="SMP-COSME-2024-CLUSTER", strand="9", max_partners=31)

    with pytest.raises(InvalidInputError) as error:
        _submit_build(clean_database, people["bea"], wrong)

    assert [(i.field, i.reason) for i in error.value.issues] == [
        ("strand", '"9" is not a strand of SMP-COSME-2024-CLUSTER; strands: 1, 2'),
        ("max_partners", "must be between 1 and 30, not 31"),
    ]
    with clean_database.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_a_completion_of_a_saved_consortium_names_its_partners_to_remove(
    clean_database: Database, job_settings: Settings, people: dict[str, int]
) -> None:
    with clean_database.unit_of_work() as session:
        bea = get_user(session, people["bea"])
        assert bea is not None
        saved = make_consortium(session, owner=bea, name="Two clusters", duration_months=24)
        pics = dict(session.execute(sa.text("SELECT pic, id FROM organisation")).all())
        for pic in ("200000002", "200000003", "200000007"):
            consortium_partners.add_registry_partner(
                session, bea, saved.id, pics[pic], changes={"role": Role.BENEFICIARY}
            )
        consortium_id = saved.id
        job_id = jobs.submit_builder_build(
            session, bea, CATALOGUE, BuildRequest(call_id="SMP-COSME-2024-CLUSTER", strand="1",
            proposals=1), mode=Mode.COMPLETE, consortium_id=consortium_id,
            dispatch=lambda _job_id: None,
        ).id  # fmt: skip

    _run(clean_database, job_settings, job_id)

    result = _job(clean_database, job_id).result
    assert result is not None
    [option] = result["answer"]["proposals"]
    assert [a["id"] for a in option["added"]] == ["200000001"]
    assert [(r["id"], r["position"]) for r in option["removed"]] == [("200000007", 2)]
    assert result["consortium"]["id"] == consortium_id
    assert result["consortium"]["editable"] is True
    assert len(result["consortium"]["partner_ids"]) == 3


def test_a_builder_job_cancelled_before_it_ran_writes_nothing(
    clean_database: Database, job_settings: Settings, people: dict[str, int]
) -> None:
    job_id = _submit_build(clean_database, people["bea"])
    with clean_database.unit_of_work() as session:
        jobs.cancel_job(session, get_user(session, people["bea"]), job_id, now=NOW)

    state = _run(clean_database, job_settings, job_id)

    job = _job(clean_database, job_id)
    assert (state, job.state, job.result, job.attempts) == (None, JobState.CANCELLED, None, 0)


def _checklist_consortium(database: Database, owner: int) -> int:
    with database.unit_of_work() as session:
        bea = get_user(session, owner)
        assert bea is not None
        saved = make_consortium(session, owner=bea, name="Hydrogen")
        pics = dict(session.execute(sa.text("SELECT pic, id FROM organisation")).all())
        consortium_partners.add_registry_partner(
            session, bea, saved.id, pics["200000002"], changes={"role": Role.COORDINATOR}
        )
        return saved.id


def _submit_document(database: Database, owner: int, document: str, key: int) -> int:
    with database.unit_of_work() as session:
        actor = get_user(session, owner)
        assert actor is not None
        return jobs.submit_document(
            session, actor, document, key, catalogue=CATALOGUE, now=NOW, today=NOW.date(),
            dispatch=lambda _job_id: None,
        ).id  # fmt: skip


def test_a_checklist_job_stores_a_private_pdf_its_owner_downloads(
    clean_database: Database, job_settings: Settings, people: dict[str, int]
) -> None:
    consortium_id = _checklist_consortium(clean_database, people["bea"])
    job_id = _submit_document(clean_database, people["bea"], "consortium-checklist", consortium_id)

    state = _run(clean_database, job_settings, job_id)

    job = _job(clean_database, job_id)
    name = f"checklist-SMP-COSME-2024-CLUSTER-{consortium_id}.pdf"
    path = document_folder(job_settings, job_id) / name
    content, media_type, file_name = jobs.read_document(job_settings, job)
    assert state is JobState.SUCCEEDED
    assert job.result == {
        "summary": f"Eligibility checklist (PDF): {name}, {len(content):,} bytes.",
        "file_name": name,
        "media_type": "application/pdf",
        "bytes": len(content),
        "link": f"/jobs/{job_id}/download",
        "download": f"/api/jobs/{job_id}/download",
    }
    assert (content[:5], media_type, file_name) == (b"%PDF-", "application/pdf", name)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with clean_database.unit_of_work() as session:
        seen = [
            jobs.get_visible_job(session, get_user(session, people[who]), job_id).id
            for who in ("bea", "ada")
        ]
        with pytest.raises(jobs.JobNotFoundError):
            jobs.get_visible_job(session, get_user(session, people["otto"]), job_id)
    assert seen == [job_id, job_id]


def test_a_document_of_a_record_one_may_not_see_is_refused_before_any_job(
    clean_database: Database, people: dict[str, int]
) -> None:
    consortium_id = _checklist_consortium(clean_database, people["bea"])

    with pytest.raises(ConsortiumNotFoundError):
        _submit_document(clean_database, people["otto"], "consortium-checklist", consortium_id)
    with pytest.raises(InvalidInputError) as unknown:
        _submit_document(clean_database, people["bea"], "poster", consortium_id)

    assert str(unknown.value).endswith('document: "poster" is not a document; documents: '
        "consortium-checklist, analysis-pdf, analysis-docx, selection, summary, commitment")  # fmt: skip
    with clean_database.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_a_document_job_cancelled_while_rendering_leaves_no_file(
    clean_database: Database,
    job_settings: Settings,
    people: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def cancel_while_rendering(reader: Reader) -> tuple[bytes, str]:
        # The owner presses Cancel while the document is being made.
        with clean_database.unit_of_work() as session:
            jobs.cancel_job(session, None, job_ids[0], now=NOW)
        return b"%PDF-1.7 a document", "cancelled.pdf"

    monkeypatch.setitem(
        DOCUMENTS,
        "slow",
        Document("Slow", "application/pdf", lambda r: None, cancel_while_rendering),
    )
    consortium_id = _checklist_consortium(clean_database, people["bea"])
    job_ids = [_submit_document(clean_database, people["bea"], "slow", consortium_id)]

    state = _run(clean_database, job_settings, job_ids[0])

    job = _job(clean_database, job_ids[0])
    folder = document_folder(job_settings, job_ids[0])
    assert (state, job.state, job.result) == (JobState.CANCELLED, JobState.CANCELLED, None)
    assert sorted(p.name for p in folder.iterdir()) == []


def test_an_index_job_builds_the_shared_store_and_is_queued_once_at_a_time(
    clean_database: Database, job_settings: Settings
) -> None:
    settings = job_settings.model_copy(update={"matching_embeddings": False})
    with clean_database.unit_of_work() as session:
        make_matching_registry(session)
        first = jobs.submit_index_build(session, dispatch=lambda _job_id: None)
        second = jobs.submit_index_build(session, dispatch=lambda _job_id: None)
    assert first is not None

    state = _run(clean_database, settings, first.id)

    job = _job(clean_database, first.id)
    store = store_folder(settings.resolved_cache_dir())
    assert (second, state, job.owner_id, job.max_attempts) == (None, JobState.SUCCEEDED, None, 3)
    assert job.result is not None
    assert (job.result["action"], job.result["organisations"]) == ("built", 4)
    assert job.result["version"] == current_version(store)
    assert job.result["summary"] == "Partner-matching index built: 4 organisations."


def test_an_import_with_a_broker_asks_the_workers_for_an_index_build(
    clean_database: Database, job_settings: Settings
) -> None:
    settings = job_settings.model_copy(
        update={"broker_url": "redis://broker.invalid:6379/0", "shared_cache_dir": True}
    )
    dispatched: list[int] = []
    content = base64.b64encode(b"name,country\nAlpha Cluster,DE\n").decode("ascii")
    with clean_database.unit_of_work() as session:
        import_id = jobs.submit_registry_import(
            session, None, base64.b64decode(content), file_format=TableFormat.CSV,
            source="orgs.csv", dispatch=lambda _job_id: None,
        ).id  # fmt: skip

    jobs.run_job(clean_database, settings, import_id, clock=clock, dispatch=dispatched.append)

    with clean_database.unit_of_work() as session:
        kinds = list(session.execute(sa.select(Job.id, Job.kind, Job.state).order_by(Job.id)))
    [(index_id, kind, index_state)] = [row for row in kinds if row[0] != import_id]
    assert (kind, index_state, dispatched) == ("index.build", JobState.QUEUED, [index_id])


def test_a_replaced_document_is_written_whole(tmp_path: Path) -> None:
    path = tmp_path / "docs" / "a.pdf"
    replace_private_bytes(path, b"first")
    replace_private_bytes(path, b"second")

    assert (path.read_bytes(), sorted(p.name for p in path.parent.iterdir())) == (
        b"second",
        ["a.pdf"],
    )


def test_with_a_broker_a_web_process_asks_for_an_index_job_once_while_it_is_pending(
    clean_database: Database, job_settings: Settings
) -> None:
    settings = job_settings.model_copy(
        update={"broker_url": "redis://broker.invalid:6379/0", "shared_cache_dir": True}
    )
    dispatched: list[int] = []
    request_build = index_build_requester(clean_database, settings, dispatched.append)

    first, second = request_build(), request_build()

    assert isinstance(first, Job)
    assert (second, dispatched) == (None, [first.id])


def test_with_a_broker_and_a_cache_of_its_own_a_web_host_builds_its_own_index(
    clean_database: Database, job_settings: Settings
) -> None:
    settings = job_settings.model_copy(update={"broker_url": "redis://broker.invalid:6379/0"})
    content = b"name,country\nAlpha Cluster,DE\n"
    with clean_database.unit_of_work() as session:
        import_id = jobs.submit_registry_import(
            session, None, content, file_format=TableFormat.CSV, source="orgs.csv",
            dispatch=lambda _job_id: None,
        ).id  # fmt: skip

    jobs.run_job(clean_database, settings, import_id, clock=clock, dispatch=lambda _job_id: None)

    with clean_database.unit_of_work() as session:
        kinds = list(session.scalars(sa.select(Job.kind)))
    assert kinds == ["registry.import"]
    with pytest.raises(DocumentsNotSharedError):
        jobs.check_documents_reach_the_web(settings)
