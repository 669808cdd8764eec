"""Calls authored in the app: written, edited and published by programme officers (and
administrators), exported to their call file and imported from one, and shown in the call
catalogue once published.

A call is a draft until it is published; published, it is open until its deadline (by the
server's clock) and closed after it, or open without a stated deadline. Only a draft can be
changed. Drafts are seen only by programme officers and administrators: to anybody else a
draft, like a call that does not exist, is not found (404).
"""

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from sqlalchemy.orm import Session

from clusterbridge.db.models import ProgrammeCall, User
from clusterbridge.db.repositories import selection as repository
from clusterbridge.domain.calls import Call
from clusterbridge.domain.eligibility.conditions import unmet_rules
from clusterbridge.domain.enums import CallStatus, UserRole
from clusterbridge.domain.errors import AccessDeniedError, ConflictError, DomainError, InputIssue
from clusterbridge.services.calls.catalogue import Catalogue, parse_call_file
from clusterbridge.services.selection.call_drafts import (
    CallDraft,
    CheckedCall,
    check_draft,
    draft_from_file,
    file_with_kind,
    local_deadline,
)
from clusterbridge.services.selection.durations import with_stated_duration

#: Roles that write calls and see every proposal.
OFFICER_ROLES = frozenset({UserRole.ADMINISTRATOR, UserRole.PROGRAMME_OFFICER})
#: The status of a call not yet published.
DRAFT = "draft"

logger = logging.getLogger(__name__)


class ProgrammeCallNotFoundError(DomainError):
    """No authored call with this id, or a draft the actor may not see."""

    status = 404

    def __init__(self, call_id: int | str) -> None:
        super().__init__(f"There is no call {call_id}")


@dataclass(frozen=True, slots=True)
class CallView:
    """An authored call with what its pages show: the call as the checker reads it, its
    status at the time asked (``draft``, or a `CallStatus` value) and its draft's fields."""

    row: ProgrammeCall
    call: Call
    status: str
    draft: CallDraft


def is_officer(actor: User | None) -> bool:
    """Whether ``actor`` writes calls and sees every proposal."""
    return actor is not None and actor.role in OFFICER_ROLES


def create_call(
    session: Session, actor: User, draft: CallDraft, *, catalogue: Catalogue
) -> ProgrammeCall:
    """Save ``draft`` as a new draft call written by ``actor`` (an officer, else 403); every
    mistake of the draft at once (422); its identifier must differ from every other call's."""
    _require_officer(actor)
    checked = check_draft(draft, taken=_taken(session, catalogue, None))
    row = ProgrammeCall(created_by=actor, selection={}, call_file="")
    _store(row, checked)
    session.add(row)
    session.flush()
    return row


def update_call(
    session: Session, actor: User, call_id: int, draft: CallDraft, *, catalogue: Catalogue
) -> ProgrammeCall:
    """Replace a draft call's fields with ``draft`` (409 once it is published)."""
    row = _editable(session, actor, call_id)
    _store(row, check_draft(draft, taken=_taken(session, catalogue, row.id)))
    session.flush()
    return row


def check_call(
    session: Session, draft: CallDraft, *, catalogue: Catalogue, call_id: int | None = None
) -> None:
    """Check ``draft`` as `create_call` (``call_id`` None) or `update_call` would, saving
    nothing: InvalidInputError lists every mistake."""
    check_draft(draft, taken=_taken(session, catalogue, call_id))


def publish_call(session: Session, actor: User, call_id: int, *, now: datetime) -> ProgrammeCall:
    """Publish a draft call: from ``now`` it is in the catalogue and takes proposals. A call
    whose deadline has passed, or with a rule no application can meet (``unmet_rules``, e.g.
    one strand to choose among none), cannot be published (409 naming each rule and why)."""
    row = _editable(session, actor, call_id)
    if row.closes_at is not None and row.closes_at <= now:
        raise ConflictError("The deadline has passed: set a later one before publishing")
    unmet = unmet_rules(authored_call(row))
    if unmet:
        raise ConflictError(
            "The call cannot be published: no application could meet "
            + "; ".join(unmet)
            + ". Change the call first"
        )
    row.published_at = now
    session.flush()
    return row


def extend_deadline(
    session: Session, row: ProgrammeCall, deadline: datetime, *, catalogue: Catalogue
) -> bool:
    """Move the deadline of the published call ``row`` to ``deadline`` (aware) and rewrite its
    call file with it, if that is later than its deadline and nobody has sent the call a
    proposal nor seen its selection published; returns whether it moved. No access check:
    for the demo's call, which the demo keeps open (users change only drafts). Flushes."""
    later = row.closes_at is not None and deadline > row.closes_at
    if not later or repository.has_sent_proposals(session, row.id):
        return False
    if repository.selection_published(session, row.id):
        return False
    draft = replace(draft_of(row), deadline=local_deadline(deadline, row.time_zone))
    _store(row, check_draft(draft, taken=_taken(session, catalogue, row.id)))
    session.flush()
    return True


def import_call_file(
    session: Session, actor: User, name: str, data: bytes, *, catalogue: Catalogue
) -> ProgrammeCall:
    """A new draft call from a call file (one exported from clusterbridge, or any call file
    with a ``[selection]`` table); every mistake of the file at once (422)."""
    _require_officer(actor)
    return create_call(session, actor, draft_from_file(name, data), catalogue=catalogue)


def export_call_file(session: Session, actor: User | None, call_id: int) -> tuple[str, str]:
    """The call's file name and TOML text (a draft's only for officers). A call for SMEs
    saved before its file stated its kind gets ``kind = "cascade"`` in the text (ADR 0042)."""
    row = get_call(session, actor, call_id)
    return f"{row.identifier}.toml", file_with_kind(row.call_file, row.kind)


def get_call(session: Session, actor: User | None, call_id: int) -> ProgrammeCall:
    """The authored call; a draft only for officers (404 for anybody else)."""
    return _visible(repository.get_call(session, call_id), actor, call_id)


def find_call(session: Session, actor: User | None, identifier: str) -> ProgrammeCall:
    """The authored call with this identifier (a draft only for officers; 404 otherwise)."""
    return _visible(repository.find_call(session, identifier), actor, identifier)


def list_calls(session: Session, actor: User | None) -> list[ProgrammeCall]:
    """The authored calls ``actor`` may see (officers: drafts too), by identifier."""
    return repository.list_calls(session, published_only=not is_officer(actor))


def view_call(session: Session, row: ProgrammeCall, *, now: datetime) -> CallView:
    """The call of ``row`` with its status at ``now`` (`call_status`) and its draft's fields.
    Reads the panel."""
    return _view(row, now=now, taking=takes_proposals(session, row, now=now))


def view_calls(session: Session, rows: list[ProgrammeCall], *, now: datetime) -> list[CallView]:
    """`view_call` of each of ``rows``, their panels read at once."""
    published = repository.published_selections(session, [row.id for row in rows])
    return [
        _view(row, now=now, taking=is_open(row, now=now) and row.id not in published)
        for row in rows
    ]


def call_status(session: Session, row: ProgrammeCall, *, now: datetime) -> str:
    """The status of the call at ``now``: ``draft`` until published; ``closed`` once it no
    longer takes proposals (`takes_proposals`: its deadline has passed, or its selection is
    published, which closes a call without a deadline too); else ``open`` or ``no_deadline``.
    Reads the panel."""
    return _status(row, authored_call(row), now=now, taking=takes_proposals(session, row, now=now))


def _view(row: ProgrammeCall, *, now: datetime, taking: bool) -> CallView:
    call = authored_call(row)
    return CallView(row, call, _status(row, call, now=now, taking=taking), draft_of(row))


def _status(row: ProgrammeCall, call: Call, *, now: datetime, taking: bool) -> str:
    """``row``'s status (`call_status`), ``taking``: whether it takes proposals."""
    if row.published_at is None:
        return DRAFT
    return call.status(now)[0].value if taking else CallStatus.CLOSED.value


def is_open(row: ProgrammeCall, *, now: datetime) -> bool:
    """Whether the call is open at ``now``: published, deadline not passed (`takes_proposals`
    also asks whether its selection is published)."""
    return row.published_at is not None and (row.closes_at is None or now < row.closes_at)


def takes_proposals(session: Session, row: ProgrammeCall, *, now: datetime) -> bool:
    """Whether the call takes proposals at ``now``: open (`is_open`) and its selection not
    published (which closes a call without a deadline). Reads the panel."""
    return is_open(row, now=now) and not repository.selection_published(session, row.id)


def authored_call(row: ProgrammeCall) -> Call:
    """The call as the eligibility checker reads it (parsed from its file, with the rule of
    the duration range it states, `with_stated_duration`)."""
    return _parse(row.identifier, row.call_file)


def catalogue_with_calls(session: Session, base: Catalogue) -> Catalogue:
    """``base`` (the call files) with the published authored calls added, by id, each as
    `authored_call` reads it. A call file added later under an authored call's identifier wins
    (the authored call is left out)."""
    known = {call.id.casefold() for call in base.calls}
    added = []
    for row in repository.list_calls(session, published_only=True):
        if row.identifier.casefold() in known:
            continue
        call, issues = _read_stored(row.identifier, row.call_file)
        if call is None:
            # Written valid, read invalid: a file of an older version whose rules changed since.
            # Every other call stays available; the administrator reads which and why.
            problems = "; ".join(f"{issue.field}: {issue.reason}" for issue in issues)
            logger.error(
                "call %s is left out of the catalogue: its stored file is not valid: %s",
                row.identifier,
                problems,
            )
            continue
        added.append(call)
    return Catalogue(tuple(sorted([*base.calls, *added], key=lambda c: c.id)))


def draft_of(row: ProgrammeCall) -> CallDraft:
    """The fields of the authoring form, filled in with the call's values."""
    draft = draft_from_file(f"{row.identifier}.toml", row.call_file.encode())
    deadline = local_deadline(row.closes_at, row.time_zone)
    return replace(draft, kind=row.kind, deadline=deadline, time_zone=row.time_zone)


def _store(row: ProgrammeCall, checked: CheckedCall) -> None:
    draft = checked.draft
    row.identifier = checked.call.id
    row.title = checked.call.title
    row.kind = draft.kind
    row.call_file = checked.text
    row.selection = checked.selection
    row.max_grant = None if draft.max_grant is None else Decimal(draft.max_grant)
    row.closes_at = checked.closes_at
    row.time_zone = draft.time_zone.strip()


def _taken(session: Session, catalogue: Catalogue, own_id: int | None) -> set[str]:
    """Identifiers (case-folded) another call has: the call files' and the authored ones'."""
    authored = repository.list_calls(session, published_only=False)
    return {c.id.casefold() for c in catalogue.calls} | {
        r.identifier.casefold() for r in authored if r.id != own_id
    }


def _editable(session: Session, actor: User, call_id: int) -> ProgrammeCall:
    _require_officer(actor)
    row = get_call(session, actor, call_id)
    if row.published_at is not None:
        raise ConflictError("The call is published: it can no longer be changed")
    return row


def _visible(row: ProgrammeCall | None, actor: User | None, key: int | str) -> ProgrammeCall:
    if row is None or (row.published_at is None and not is_officer(actor)):
        raise ProgrammeCallNotFoundError(key)
    return row


def _require_officer(actor: User) -> None:
    if not is_officer(actor):
        raise AccessDeniedError("Only programme officers and administrators write calls")


def _parse(identifier: str, text: str) -> Call:
    call, issues = _read_stored(identifier, text)
    if call is None:  # the file was written by check_draft: this is a bug, not a user's mistake
        raise RuntimeError(f"the stored file of call {identifier} is not valid: {issues}")
    return call


@lru_cache(maxsize=256)
def _read_stored(identifier: str, text: str) -> tuple[Call | None, tuple[InputIssue, ...]]:
    """The call of a stored file with the rule of its stated duration range, or None with the
    file's problems (cached: every page that lists the calls reads every published one)."""
    issues: list[InputIssue] = []
    call = parse_call_file(f"{identifier}.toml", text.encode(), issues)
    return (None if call is None else with_stated_duration(call)), tuple(issues)
