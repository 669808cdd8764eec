"""Consortia in the making: create, change, share and delete them, and check their eligibility.

A consortium row holds what the proposal asks for (call, strand, duration, grant); its partners
are registry organisations or typed-in ones (see `consortium_partners`). The eligibility rules
never see rows: `build_snapshot` turns them into frozen `domain.consortium` values, registry data
first and the partner's own columns over it.

Every function takes the ``session`` and the ``actor`` (the signed-in user), checks access with
`services.consortia.access`, never commits, and flushes only when it needs ids.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypedDict

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    Consortium,
    ConsortiumMember,
    ConsortiumPartner,
    Organisation,
    User,
)
from clusterbridge.db.repositories import consortia as repository
from clusterbridge.domain import consortium as snapshot
from clusterbridge.domain.calls import Call
from clusterbridge.domain.eligibility.report import EligibilityReport
from clusterbridge.domain.enums import Role
from clusterbridge.domain.errors import DomainError, InputIssue, InvalidInputError, UnknownCallError
from clusterbridge.domain.money import format_euros
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.calls.eligibility import check_application
from clusterbridge.services.consortia import access
from clusterbridge.services.text import has_control_characters

MAX_NAME_LENGTH = 200
MAX_DURATION_MONTHS = 1200
MAX_GRANT_EUR = 10**12


@dataclass(frozen=True, slots=True)
class ConsortiumDetails:
    """What a consortium applies for; ``None`` means not decided yet."""

    name: str
    call_id: str | None = None
    strand: str | None = None
    duration_months: int | None = None
    requested_grant_eur: int | None = None


class ConsortiumChanges(TypedDict, total=False):
    """The fields to change; a missing key keeps the current value, ``None`` clears it."""

    name: str
    call_id: str | None
    strand: str | None
    duration_months: int | None
    requested_grant_eur: int | None
    shared: bool


class NotCheckableError(DomainError):
    """The consortium cannot be checked yet, typically because it has no call."""

    status = 409


@dataclass(frozen=True, slots=True)
class ConsortiumCheck:
    """The eligibility report of a consortium, or why there is none (no call chosen, say)."""

    report: EligibilityReport | None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class ConsortiumOverview:
    """A consortium as a list shows it: the row, its check, and whether the actor may edit it."""

    consortium: Consortium
    check: ConsortiumCheck
    editable: bool


def list_consortia(
    session: Session, actor: User, *, catalogue: Catalogue, now: datetime
) -> list[ConsortiumOverview]:
    """Every consortium ``actor`` may see, newest first, each checked against its call.

    Administrators and programme officers see all; others their own, those they are a member
    of, and shared ones. Reads only; a constant number of queries whatever the number of rows.
    """
    visible_to = None if access.sees_everything(actor) else actor.id
    return [
        ConsortiumOverview(
            row, check_consortium(row, catalogue=catalogue, now=now), access.can_edit(row, actor)
        )
        for row in repository.list_consortia(session, visible_to=visible_to)
    ]


def my_consortia(
    session: Session, actor: User, *, catalogue: Catalogue, now: datetime
) -> list[ConsortiumOverview]:
    """The consortia ``actor`` owns or is a member of (not those merely shared with all, nor,
    for administrators and officers, everyone's), newest first, each checked against its
    call. Reads only; a constant number of queries whatever the number of rows."""
    return [
        ConsortiumOverview(
            row, check_consortium(row, catalogue=catalogue, now=now), access.can_edit(row, actor)
        )
        for row in repository.list_consortia(session, visible_to=actor.id, shared_too=False)
    ]


def get_consortium(session: Session, actor: User, consortium_id: int) -> Consortium:
    """The consortium with its partners and members; ConsortiumNotFoundError (404) unless
    ``actor`` may see it."""
    return access.require_view(
        repository.get_consortium(session, consortium_id), actor, consortium_id
    )


def get_editable_consortium(session: Session, actor: User, consortium_id: int) -> Consortium:
    """The consortium, if ``actor`` may change it: 404 when they may not see it, else 403."""
    return access.require_edit(
        repository.get_consortium(session, consortium_id), actor, consortium_id
    )


def create_consortium(
    session: Session, actor: User, details: ConsortiumDetails, *, catalogue: Catalogue
) -> Consortium:
    """Create a consortium owned by ``actor``, who becomes its first member (can edit).

    The call and strand must be in ``catalogue`` (the call id is stored as the catalogue spells
    it); InvalidInputError names every bad field. Not shared, no partners. Flushes for the id.
    """
    details = _validated(details, catalogue)
    consortium = Consortium(
        name=details.name,
        call_id=details.call_id,
        strand=details.strand,
        duration_months=details.duration_months,
        requested_grant_eur=details.requested_grant_eur,
        owner=actor,
        shared=False,
        partners=[],
        members=[ConsortiumMember(user=actor, can_edit=True)],
    )
    session.add(consortium)
    session.flush()
    return consortium


def update_consortium(
    session: Session,
    actor: User,
    consortium_id: int,
    changes: ConsortiumChanges,
    *,
    catalogue: Catalogue,
) -> Consortium:
    """Change the given fields; the others keep their values.

    Needs edit rights, and ownership to change ``shared``. The result is validated as a whole
    (a strand must belong to the call, old or new); nothing changes if any field is bad.
    """
    consortium = get_editable_consortium(session, actor, consortium_id)
    if "shared" in changes:
        access.require_manage(consortium, actor, consortium_id)
    current = ConsortiumDetails(
        name=changes.get("name", consortium.name),
        call_id=changes.get("call_id", consortium.call_id),
        strand=changes.get("strand", consortium.strand),
        duration_months=changes.get("duration_months", consortium.duration_months),
        requested_grant_eur=changes.get("requested_grant_eur", consortium.requested_grant_eur),
    )
    details = _validated(current, catalogue)
    consortium.shared = changes.get("shared", consortium.shared)
    consortium.name = details.name
    consortium.call_id = details.call_id
    consortium.strand = details.strand
    consortium.duration_months = details.duration_months
    consortium.requested_grant_eur = details.requested_grant_eur
    session.flush()
    return consortium


def delete_consortium(session: Session, actor: User, consortium_id: int) -> None:
    """Delete a consortium with its partners and members; only its owner (or an
    administrator) may. Registry organisations are untouched."""
    consortium = access.require_manage(
        repository.get_consortium(session, consortium_id), actor, consortium_id
    )
    session.delete(consortium)
    session.flush()


def remove_member(session: Session, actor: User, consortium_id: int, *, user_id: int) -> None:
    """Take a member's access away (owner only); the owner cannot be removed."""
    consortium = access.require_manage(
        repository.get_consortium(session, consortium_id), actor, consortium_id
    )
    if user_id == consortium.owner_id:
        issue = InputIssue("", "user_id", "the owner cannot be removed")
        raise InvalidInputError("The member cannot be removed", [issue])
    consortium.members = [m for m in consortium.members if m.user_id != user_id]
    session.flush()


def check_consortium(
    consortium: Consortium, *, catalogue: Catalogue, now: datetime
) -> ConsortiumCheck:
    """Check the consortium (partners loaded) against its call at ``now``.

    Without a call there is no report, and the check says so. So it does when the catalogue no
    longer has the call or the strand. Reads nothing from the database.
    """
    if consortium.call_id is None:
        return ConsortiumCheck(None, "Choose a call to check the consortium against its rules.")
    try:
        report = check_application(
            catalogue,
            consortium.call_id,
            build_snapshot(consortium),
            now=now,
            strand=consortium.strand,
            duration_months=consortium.duration_months,
            requested_grant_eur=consortium.requested_grant_eur,
        )
    except DomainError as error:
        return ConsortiumCheck(None, str(error))
    return ConsortiumCheck(report)


def eligibility_report(
    consortium: Consortium, *, catalogue: Catalogue, now: datetime
) -> EligibilityReport:
    """The consortium's eligibility report; NotCheckableError (409) says why there is none."""
    check = check_consortium(consortium, catalogue=catalogue, now=now)
    if check.report is None:
        raise NotCheckableError(check.problem or "The consortium cannot be checked")
    return check.report


def build_snapshot(consortium: Consortium) -> snapshot.Consortium:
    """The frozen consortium the rules read: each partner's registry data, overridden by the
    partner's own columns, in the consortium's order."""
    return snapshot.Consortium(
        partners=tuple(partner_snapshot(row) for row in consortium.partners),
        name=consortium.name,
    )


def registry_partner(organisation: Organisation, *, role: Role | None = None) -> snapshot.Partner:
    """A registry organisation as the eligibility rules see it."""
    return snapshot.Partner(
        name=organisation.name,
        country=organisation.country,
        nuts=organisation.nuts,
        type=organisation.type,
        sme_profile=organisation.sme_profile,
        legal_entity=organisation.legal_entity,
        eccp_registered=organisation.eccp_registered,
        role=role,
        pic=organisation.pic,
        email=organisation.email,
        website=organisation.website,
    )


#: The values a consortium partner may set over its registry organisation's.
_OVERRIDES = (
    "name", "country", "nuts", "type", "sme_profile", "legal_entity", "eccp_registered", "pic",
)  # fmt: skip


def partner_snapshot(row: ConsortiumPartner) -> snapshot.Partner:
    """One partner as the rules see it: an own (override) column wins over the registry's."""
    org = row.organisation
    if org is None:
        return snapshot.Partner(
            name=row.name or "",
            country=row.country or "",
            nuts=row.nuts,
            type=row.type,
            sme_profile=row.sme_profile,
            legal_entity=row.legal_entity,
            eccp_registered=row.eccp_registered,
            role=row.role,
            pic=row.pic,
        )
    own = {field: getattr(row, field) for field in _OVERRIDES}
    overrides = {field: value for field, value in own.items() if value is not None}
    return replace(registry_partner(org, role=row.role), **overrides)


def validate_details(details: ConsortiumDetails, *, catalogue: Catalogue) -> ConsortiumDetails:
    """The details as `create_consortium` would store them; InvalidInputError naming every bad
    field. Writes nothing (a form checks the rest of its fields with it when one of its own
    checks failed, so that one answer names them all)."""
    return _validated(details, catalogue)


def _validated(details: ConsortiumDetails, catalogue: Catalogue) -> ConsortiumDetails:
    """The details with the name stripped and the call id as the catalogue spells it;
    InvalidInputError naming every bad field."""
    issues: list[InputIssue] = []
    name = details.name.strip()
    if not name:
        issues.append(InputIssue("", "name", "is required"))
    elif has_control_characters(name):
        issues.append(InputIssue("", "name", "must not contain control characters"))
    elif len(name) > MAX_NAME_LENGTH:
        issues.append(InputIssue("", "name", too_long_reason(MAX_NAME_LENGTH, len(name))))
    call = _call(details.call_id, catalogue, issues)
    strand = (details.strand or "").strip() or None
    _check_strand(call, strand, issues)
    _check_numbers(details, issues)
    if issues:
        raise InvalidInputError("The consortium cannot be saved", issues)
    return ConsortiumDetails(
        name=name,
        call_id=call.id if call else None,
        strand=strand,
        duration_months=details.duration_months,
        requested_grant_eur=details.requested_grant_eur,
    )


def _call(call_id: str | None, catalogue: Catalogue, issues: list[InputIssue]) -> Call | None:
    if call_id is None or not call_id.strip():
        return None
    try:
        return catalogue.get(call_id)
    except UnknownCallError:
        known = ", ".join(call.id for call in catalogue.calls)
        issues.append(InputIssue("", "call_id", f'"{call_id}" is not a call; calls: {known}'))
        return None


def _check_strand(call: Call | None, strand: str | None, issues: list[InputIssue]) -> None:
    if strand is None:
        return
    if call is None:
        issues.append(InputIssue("", "strand", "choose a call before its strand"))
    elif call.strand(strand) is None:
        choices = ", ".join(s.id for s in call.strands) or "none (this call has no strands)"
        reason = f'"{strand}" is not a strand of {call.id}; strands: {choices}'
        issues.append(InputIssue("", "strand", reason))


def _check_numbers(details: ConsortiumDetails, issues: list[InputIssue]) -> None:
    duration, grant = details.duration_months, details.requested_grant_eur
    if duration is not None and not 0 < duration <= MAX_DURATION_MONTHS:
        reason = f"must be 1 to {MAX_DURATION_MONTHS} months, not {duration}"
        issues.append(InputIssue("", "duration_months", reason))
    if grant is not None and not 0 < grant <= MAX_GRANT_EUR:
        reason = f"must be a positive amount up to {format_euros(MAX_GRANT_EUR)}, not {grant}"
        issues.append(InputIssue("", "requested_grant_eur", reason))
