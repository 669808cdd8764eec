"""Calls authored in the app: programme officers and administrators write, publish, export
and import them; anybody reads the published ones (drafts: officers only, 404 to others).

A published call is also in the call catalogue (``/calls/{identifier}``), where its rules are
shown and consortia are checked against it.
"""

from typing import Annotated

from fastapi import APIRouter, File, Path, Response, UploadFile

from clusterbridge.api.deps import CatalogueDep, CurrentUser, NowDep, OptionalUser, SessionDep
from clusterbridge.api.downloads import attachment
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.selection import (
    ProgrammeCallBody,
    ProgrammeCallRead,
    ProposalRead,
)
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.selection import calls, payments, proposals

router = APIRouter(
    prefix="/programme-calls", tags=["programme calls"], route_class=ExactNumbersRoute
)

CallId = Annotated[int, Path(ge=1, le=MAX_ID)]
#: The longest call file imported (a shipped one is under 20 kB).
MAX_FILE_BYTES = 1024 * 1024
TOML_TYPE = "application/toml"


@router.get("")
def list_programme_calls(
    session: SessionDep, user: OptionalUser, now: NowDep
) -> list[ProgrammeCallRead]:
    """The authored calls you may see (officers: the drafts too), by identifier."""
    views = calls.view_calls(session, calls.list_calls(session, user), now=now)
    return [ProgrammeCallRead.from_view(view) for view in views]


@router.post("", status_code=201, responses=errors(403, 409))
def create_programme_call(
    body: ProgrammeCallBody,
    session: SessionDep,
    user: CurrentUser,
    catalogue: CatalogueDep,
    now: NowDep,
) -> ProgrammeCallRead:
    """Write a new draft call (programme officers and administrators); every mistake at once."""
    row = calls.create_call(session, user, body.to_draft(), catalogue=catalogue)
    return ProgrammeCallRead.from_view(calls.view_call(session, row, now=now))


@router.post("/import", status_code=201, responses=errors(403, 409))
def import_programme_call(
    file: Annotated[UploadFile, File()],
    session: SessionDep,
    user: CurrentUser,
    catalogue: CatalogueDep,
    now: NowDep,
) -> ProgrammeCallRead:
    """A new draft call from a call file (TOML with a ``[selection]`` table, as exported)."""
    data = file.file.read(MAX_FILE_BYTES + 1)[:MAX_FILE_BYTES]
    name = file.filename or "call.toml"
    row = calls.import_call_file(session, user, name, data, catalogue=catalogue)
    return ProgrammeCallRead.from_view(calls.view_call(session, row, now=now))


@router.get("/{call_id}")
def read_programme_call(
    call_id: CallId, session: SessionDep, user: OptionalUser, now: NowDep
) -> ProgrammeCallRead:
    """One authored call with every field."""
    return ProgrammeCallRead.from_view(
        calls.view_call(session, calls.get_call(session, user, call_id), now=now)
    )


@router.put("/{call_id}", responses=errors(403, 409))
def update_programme_call(
    call_id: CallId,
    body: ProgrammeCallBody,
    session: SessionDep,
    user: CurrentUser,
    catalogue: CatalogueDep,
    now: NowDep,
) -> ProgrammeCallRead:
    """Replace a draft call's fields (409 once published)."""
    row = calls.update_call(session, user, call_id, body.to_draft(), catalogue=catalogue)
    return ProgrammeCallRead.from_view(calls.view_call(session, row, now=now))


@router.post("/{call_id}/publish", responses=errors(403, 409))
def publish_programme_call(
    call_id: CallId, session: SessionDep, user: CurrentUser, now: NowDep
) -> ProgrammeCallRead:
    """Publish a draft call: it joins the catalogue and takes proposals until its deadline."""
    row = calls.publish_call(session, user, call_id, now=now)
    return ProgrammeCallRead.from_view(calls.view_call(session, row, now=now))


@router.get(
    "/{call_id}/file",
    response_class=Response,
    responses={200: {"content": {TOML_TYPE: {}}, "description": "The call file (TOML)."}},
)
def export_programme_call(call_id: CallId, session: SessionDep, user: OptionalUser) -> Response:
    """The call's file: the call-file format with its selection settings in ``[selection]``."""
    name, text = calls.export_call_file(session, user, call_id)
    return attachment(text, name, media_type=TOML_TYPE)


@router.get("/{call_id}/proposals", responses=errors(403))
def list_call_proposals(
    call_id: CallId, session: SessionDep, user: CurrentUser
) -> list[ProposalRead]:
    """Every proposal to the call, newest first (programme officers and administrators).
    Each selected application of a cascade call whose selection is published has its
    ``funding``, as `GET /proposals/{proposal_id}` gives it: the grant awarded, paid so far and
    left to pay, the payments received and, apart, those cancelled (which never count); null
    for the others."""
    rows = proposals.list_call_proposals(session, user, call_id)
    funding = payments.proposals_funding(session, user, rows)
    return [ProposalRead.from_row(row, funding=funding.get(row.id)) for row in rows]
