"""A consortium made from a proposal of a builder job, once per proposal: the form sent again
(Back, then the button; a retried API call) opens the consortium already made."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge.db.models import Consortium, Job, ProposalConsortium, User
from clusterbridge.db.repositories import consortia as repository
from clusterbridge.db.repositories import jobs as job_repository
from clusterbridge.domain.enums import JobState
from clusterbridge.domain.errors import ConflictError, DomainError
from clusterbridge.engines.consortium.problem import Mode
from clusterbridge.services.builder import apply
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.consortia import access, consortia
from clusterbridge.services.jobs.builder_job import BUILDER_BUILD
from clusterbridge.services.jobs.jobs import get_visible_job


class ProposalNotFoundError(DomainError):
    """The job has no proposal of that number."""

    status = 404


@dataclass(frozen=True, slots=True)
class MadeConsortium:
    """The consortium of a proposal, and whether this call made it (False: made before)."""

    consortium: Consortium
    created: bool


def create_consortium_from_job(
    session: Session,
    actor: User,
    job_id: int,
    number: int,
    *,
    name: str | None,
    catalogue: Catalogue,
) -> MadeConsortium:
    """The consortium made from proposal ``number`` of the builder job ``job_id`` (one
    ``actor`` sees): the one already made from it, if it still exists (whatever ``name`` says),
    else a new consortium of ``actor`` named ``name`` (None: "<call> proposal <number>", as
    the job page suggests) with the proposal's call, strand,
    duration and organisations (`apply.create_from_proposal`), recorded as made from it.

    JobNotFoundError (404) for a job out of sight, ConflictError (409) for a job that is no
    finished build, ProposalNotFoundError (404) for a number it lacks, ConsortiumNotFoundError
    (404) when the consortium made from it is one ``actor`` may not see, and the refusals of
    `apply.create_from_proposal` (nothing is created then). Two requests at once make one
    consortium: the second waits for the first's transaction (a lock on the job,
    `jobs.hold_job`) and then finds its consortium. Flushes (and holds the job until the
    transaction ends, when it makes the consortium)."""
    job = get_visible_job(session, actor, job_id)
    made = _made_before(session, actor, job.id, number)
    if made is not None:
        return made
    proposal, answer, request = _proposal(job, number)
    job_repository.hold_job(session, job.id)
    made = _made_before(session, actor, job.id, number)
    if made is not None:
        return made
    created = apply.create_from_proposal(
        session, actor, catalogue=catalogue, call_id=answer["call_id"],
        name=f"{answer['call_id']} proposal {number}" if name is None else name,
        strand=answer["strand"], duration_months=request.get("duration_months"),
        organisation_ids=[int(a["organisation_id"]) for a in proposal["added"]],
    )  # fmt: skip
    session.add(ProposalConsortium(job=job, proposal=number, consortium=created))
    session.flush()
    return MadeConsortium(consortia.get_consortium(session, actor, created.id), created=True)


def list_made_consortia(session: Session, actor: User, job: Job) -> dict[int, Consortium | None]:
    """The consortia made from proposals of the builder job ``job`` (one ``actor`` sees), by
    proposal number: None for one ``actor`` may not see (another user made it); none for a
    job that is no finished build. Reads only."""
    if job.kind != BUILDER_BUILD or job.state is not JobState.SUCCEEDED:
        return {}
    made = repository.list_proposal_consortia(session, job.id)
    return {
        number: consortium if access.can_view(consortium, actor) else None
        for number, consortium in made.items()
    }


def _made_before(session: Session, actor: User, job_id: int, number: int) -> MadeConsortium | None:
    consortium_id = repository.find_proposal_consortium_id(session, job_id, number)
    if consortium_id is None:
        return None
    return MadeConsortium(consortia.get_consortium(session, actor, consortium_id), created=False)


def _proposal(job: Job, number: int) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The proposal ``number`` of the finished build ``job``, its answer and its question."""
    result = job.result or {}
    answer = result.get("answer") or {}
    if (
        job.kind != BUILDER_BUILD
        or job.state is not JobState.SUCCEEDED
        or answer.get("mode") != Mode.BUILD.value
    ):
        raise ConflictError(f"Job {job.id} is no finished build of proposals")
    for proposal in answer.get("proposals", []):
        if proposal.get("number") == number:
            return proposal, answer, result.get("request") or {}
    raise ProposalNotFoundError(f"Job {job.id} has no proposal {number}")
