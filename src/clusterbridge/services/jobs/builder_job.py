"""The consortium builder as a job (``builder.build``): the question travels as JSON in the
job's arguments, the proposals come back as the job's result (`builder.serialise`), which the
job page, ``GET /api/jobs/{id}`` and ``clusterbridge consortium build`` show.

The builder only reads: the one write is the job's own success, so an attempt that died wrote
nothing and the task is safe to run again.
"""

import dataclasses
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge.db.models import Job, User
from clusterbridge.domain import consortium as snapshot
from clusterbridge.domain.enums import OrgType, Role, SmeProfile
from clusterbridge.domain.errors import AccessDeniedError
from clusterbridge.engines.consortium.problem import Mode
from clusterbridge.services.accounts import users
from clusterbridge.services.builder.apply import complete_saved_consortium
from clusterbridge.services.builder.build import (
    BuildOutcome,
    BuildRequest,
    build_consortia,
    complete_consortium,
)
from clusterbridge.services.builder.serialise import describe_outcome
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.consortia import access
from clusterbridge.services.jobs.context import TaskContext
from clusterbridge.services.jobs.resources import resources_for
from clusterbridge.services.selection.calls import catalogue_with_calls

BUILDER_BUILD = "builder.build"
JSON = dict[str, Any]


def request_to_dict(request: BuildRequest) -> JSON:
    """The question as JSON-ready values (the job's ``arguments["request"]``)."""
    return dataclasses.asdict(request)


def partner_to_dict(partner: snapshot.Partner) -> JSON:
    """A given partner as JSON-ready values (enums by their value)."""
    return {
        key: value.value if isinstance(value, OrgType | SmeProfile | Role) else value
        for key, value in dataclasses.asdict(partner).items()
    }


def partner_from_dict(values: JSON) -> snapshot.Partner:
    """The partner ``partner_to_dict`` wrote."""
    kinds: dict[str, type[StrEnum]] = {"type": OrgType, "sme_profile": SmeProfile, "role": Role}
    fields: dict[str, Any] = {
        key: kinds[key](value) if key in kinds and value is not None else value
        for key, value in values.items()
    }
    return snapshot.Partner(**fields)


def completed_partner_ids(job: Job, consortium_id: int) -> list[int] | None:
    """The partners (ids, in order) of the saved consortium ``consortium_id`` as the builder
    job ``job`` saw them when it completed it; None when the job is no finished completion of
    that consortium."""
    result = job.result if job.kind == BUILDER_BUILD else None
    consortium = (result or {}).get("consortium")
    if not isinstance(consortium, dict) or consortium.get("id") != consortium_id:
        return None
    return [int(partner_id) for partner_id in consortium["partner_ids"]]


def run_builder_build(context: TaskContext) -> None:
    """Build (``mode`` "build") or complete (``mode`` "complete") the consortium of the job's
    arguments: the given ``partners``, or the saved consortium ``consortium_id`` as the job's
    owner sees it; the proposals are the job's result."""
    arguments = context.arguments
    request = BuildRequest(**arguments["request"])
    resources = resources_for(context.database, context.settings)
    context.report(0.05, "Building the proposals")
    with context.database.unit_of_work() as session:
        actor = _owner(context, session)
        catalogue = catalogue_with_calls(session, resources.catalogue)
        consortium: JSON | None = None
        if arguments.get("consortium_id") is not None:
            assert actor is not None  # submitted only by a signed-in user
            row, outcome = complete_saved_consortium(
                session, actor, arguments["consortium_id"], request,
                catalogue=catalogue, cache=resources.matching, now=context.clock(),
            )  # fmt: skip
            consortium = {
                "id": row.id, "name": row.name, "editable": access.can_edit(row, actor),
                "partner_ids": [partner.id for partner in row.partners],
            }  # fmt: skip
        else:
            team = snapshot.Consortium(tuple(map(partner_from_dict, arguments["partners"])))
            outcome = _build(
                session, catalogue, request, team, mode=arguments["mode"], context=context
            )
    context.report(0.95, "Storing the proposals")
    with context.write() as session:
        context.succeed(session, _result(outcome, request, consortium))


def _build(
    session: Session,
    catalogue: Catalogue,
    request: BuildRequest,
    team: snapshot.Consortium,
    *,
    mode: str,
    context: TaskContext,
) -> BuildOutcome:
    cache = resources_for(context.database, context.settings).matching
    if mode == Mode.BUILD.value:
        return build_consortia(
            session, catalogue, request, members=team, cache=cache, now=context.clock()
        )
    return complete_consortium(
        session, catalogue, request, team=team, cache=cache, now=context.clock()
    )


def _owner(context: TaskContext, session: Session) -> User | None:
    if context.owner_id is None:  # started on the command line
        return None
    user = users.get_active_user(session, context.owner_id)
    if user is None:
        raise AccessDeniedError("The account that started this job is no longer active")
    return user


def _result(outcome: BuildOutcome, request: BuildRequest, consortium: JSON | None) -> JSON:
    answer = describe_outcome(outcome)
    what = "proposal" if outcome.mode is Mode.BUILD else "completion"
    count = len(outcome.proposals)
    strand = f", strand {outcome.strand}" if outcome.strand else ""
    summary = f"{count} {what}{'' if count == 1 else 's'} for {outcome.call.id}{strand}."
    if not count and outcome.notes:
        summary += " " + outcome.notes[-1]
    return {
        "summary": summary,
        "answer": answer,
        "request": request_to_dict(request),
        "consortium": consortium,
    }
