"""The partners of a consortium: from the registry, typed in, or uploaded in a consortium file.

A registry partner's data comes from its organisation; the partner's own columns stay empty
unless the user overrides a value (an unknown ECCP registration, a wrong type...). A typed-in or
uploaded partner keeps all its data in its own columns. Typed-in and uploaded partners are
validated exactly like the rows of a consortium file (`consortium_file.parse_rows`), and one
whose PIC is in the registry is linked to that organisation.

Every function checks that the actor may edit the consortium, never commits, and flushes so
that new partners have ids.
"""

import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, NoReturn, TypedDict, cast

from sqlalchemy.orm import Session

from clusterbridge.db.models import Consortium, ConsortiumPartner, Organisation, User
from clusterbridge.db.repositories import consortia as repository
from clusterbridge.domain.consortium import Partner
from clusterbridge.domain.enums import OrgType, Role, SmeProfile
from clusterbridge.domain.errors import DomainError, InputIssue, InvalidInputError
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services.consortia.columns import (
    REQUIRED,
    REQUIRED_COLUMNS,
    CellError,
    parse_org_type,
    parse_partner,
    parse_role,
    parse_sme_profile,
    parse_yes_no,
    row_values,
    text_of,
)
from clusterbridge.services.consortia.consortia import get_editable_consortium, partner_snapshot
from clusterbridge.services.consortia.file import parse_rows, read_consortium
from clusterbridge.services.registry import (
    OrganisationFilters,
    OrganisationListing,
    search_organisations,
)
from clusterbridge.services.text import cell_text, has_control_characters

#: Columns a partner may override; the registry supplies them otherwise.
OVERRIDABLE = (
    "name",
    "country",
    "nuts",
    "type",
    "sme_profile",
    "legal_entity",
    "eccp_registered",
    "pic",
)
MAX_PARTNER_NAME_LENGTH = 300
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
#: How many registry organisations the partner search shows.
SEARCH_RESULTS = 10
MAX_SEARCH_LENGTH = 200
_MAX_FILE_NAME_LENGTH = 100


class PartnerChanges(TypedDict, total=False):
    """Values to set on a partner; a missing key keeps the value, ``None`` clears the override
    (a registry partner falls back to the registry's value, a typed-in one to unknown)."""

    role: Role | None
    name: str | None
    country: str | None
    nuts: str | None
    type: OrgType | None
    sme_profile: SmeProfile | None
    legal_entity: bool | None
    eccp_registered: bool | None
    pic: str | None


@dataclass(frozen=True, slots=True)
class RegistryHit:
    """An organisation the partner search found, and whether it is already a partner."""

    organisation: OrganisationListing
    added: bool


class PartnerNotFoundError(DomainError):
    """The consortium has no partner with this id."""

    status = 404


_CHANGE_PARSERS: dict[str, Any] = {
    "role": parse_role,
    "type": parse_org_type,
    "sme_profile": parse_sme_profile,
    "legal_entity": parse_yes_no,
    "eccp_registered": parse_yes_no,
    "name": str.strip,
    "country": str.strip,
    "nuts": str.strip,
    "pic": str.strip,
}


def parse_partner_changes(cells: Mapping[str, str]) -> PartnerChanges:
    """Changes from form cells (column → text, as in a consortium file); a blank cell is None.

    Raises InvalidInputError naming each unknown column and each unreadable value.
    """
    changes: dict[str, object] = {}
    issues: list[InputIssue] = []
    for column, text in cells.items():
        parser = _CHANGE_PARSERS.get(column)
        if parser is None:
            issues.append(InputIssue("", column, f'"{column}" is not a partner field'))
            continue
        try:
            changes[column] = parser(text) if text.strip() else None
        except CellError as error:
            issues.append(InputIssue("", column, str(error)))
    if issues:
        raise InvalidInputError("The partner cannot be changed", issues)
    return cast(PartnerChanges, changes)


def search_registry(
    session: Session, actor: User, consortium_id: int, text: str
) -> list[RegistryHit]:
    """The best `SEARCH_RESULTS` registry matches for ``text`` (nothing for blank text), each
    marked if it is already a partner. Needs edit rights on the consortium; reads only."""
    consortium = get_editable_consortium(session, actor, consortium_id)
    text = "".join(char for char in text[:MAX_SEARCH_LENGTH] if char.isprintable()).strip()
    if not text:
        return []
    found = search_organisations(
        session, OrganisationFilters(text=text), per_page=SEARCH_RESULTS, with_facets=False
    )
    partners = {row.organisation_id for row in consortium.partners}
    return [RegistryHit(org, org.id in partners) for org in found.items]


def add_registry_partner(
    session: Session,
    actor: User,
    consortium_id: int,
    organisation_id: int,
    *,
    changes: PartnerChanges | None = None,
) -> ConsortiumPartner:
    """Add a registry organisation as the last partner, with ``changes`` (a role, overrides).

    InvalidInputError (field ``organisation_id``) for an unknown organisation or one already in
    the consortium; the changes are validated as in `update_partner`.
    """
    consortium = get_editable_consortium(session, actor, consortium_id)
    organisation = repository.get_organisation(session, organisation_id)
    if organisation is None:
        reason = f"there is no organisation {organisation_id} in the registry"
        _raise("The partner cannot be added", "", "organisation_id", reason)
    if any(row.organisation_id == organisation.id for row in consortium.partners):
        reason = f"{organisation.name} is already a partner of this consortium"
        _raise("The partner cannot be added", "", "organisation_id", reason)
    row = ConsortiumPartner(position=_next_position(consortium), organisation=organisation)
    _apply_changes(consortium, row, changes or {})
    consortium.partners.append(row)
    session.flush()
    return row


def check_registry_additions(
    session: Session, organisation_ids: list[int], *, partners: list[ConsortiumPartner]
) -> list[str]:
    """Whether registry organisations could be added, in order, as beneficiaries after
    ``partners``, as `add_registry_partner` would check each: returns a reason for each one that
    already is a partner (a conflict for the caller to refuse). InvalidInputError (field
    ``organisation_id``) for an unknown organisation, and for one the file rules refuse or that
    repeats a partner's PIC or name and country. Reads only."""
    linked = {row.organisation_id for row in partners}
    others = [partner_snapshot(row) for row in partners]
    conflicts: list[str] = []
    issues: list[InputIssue] = []
    for organisation_id in organisation_ids:
        organisation = repository.get_organisation(session, organisation_id)
        if organisation is None:
            reason = f"there is no organisation {organisation_id} in the registry"
            issues.append(InputIssue("", "organisation_id", reason))
        elif organisation.id in linked:
            conflicts.append(f"{organisation.name} is already a partner")
        else:
            location = f"partner {len(others) + 1}"
            own = dict.fromkeys(OVERRIDABLE) | {"role": Role.BENEFICIARY}
            partner = _validated(own, organisation, location)
            issues += _conflicts(partner, others, location)
            others.append(partner)
    if issues:
        raise InvalidInputError("The partners cannot be added", issues)
    return conflicts


def add_typed_partner(
    session: Session, actor: User, consortium_id: int, cells: Mapping[str, str | None]
) -> ConsortiumPartner:
    """Add a partner the user typed in: cells as in a consortium file, name and country at
    least. Validated like a file row; a PIC found in the registry links that organisation.
    Cells all blank are no partner: InvalidInputError names the required fields."""
    consortium = get_editable_consortium(session, actor, consortium_id)
    number = len(consortium.partners) + 1
    if not any(text_of(value) for value in cells.values()):
        _raise_required(f"partner {number}")
    parsed = parse_rows([dict(cells)], source="The partner", first_line=number, unit="partner")
    return _add_partners(
        session,
        consortium,
        parsed.partners,
        source=f"partner {number}",
        summary="The partner cannot be added",
    )[0]


def upload_partners(
    session: Session, actor: User, consortium_id: int, *, filename: str, data: bytes
) -> list[ConsortiumPartner]:
    """Add every partner of a consortium file (``.csv``, ``.xlsx`` or ``.json`` by the name).

    All or nothing: InvalidInputError lists every bad cell of the file, and every partner that is
    already in the consortium; then no partner is added. No file (no name, no bytes) is refused
    as such. PICs found in the registry are linked;
    of such a row only the values that differ from the registry's are kept as overrides.
    """
    consortium = get_editable_consortium(session, actor, consortium_id)
    if not filename.strip() and not data:
        _raise("No partner was added", "", "file", "choose a CSV, Excel (.xlsx) or JSON file")
    name = _safe_file_name(filename)
    if len(data) > MAX_UPLOAD_BYTES:
        reason = f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
        _raise(f"{name} cannot be read", name, "file", reason)
    with tempfile.TemporaryDirectory(prefix="clusterbridge-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        parsed = read_consortium(path)
    return _add_partners(session, consortium, parsed.partners, source=name)


def update_partner(
    session: Session,
    actor: User,
    consortium_id: int,
    partner_id: int,
    changes: PartnerChanges,
) -> ConsortiumPartner:
    """Set the partner's role and override (or, with None, reset) its values.

    The partner that results is validated as a consortium file row (country, NUTS code in that
    country, SME profile only for SMEs, PIC of nine digits...), at most one coordinator, and no
    other partner with the same PIC or name and country; nothing changes if anything is bad.
    """
    consortium = get_editable_consortium(session, actor, consortium_id)
    row = _partner(consortium, partner_id)
    _apply_changes(consortium, row, changes)
    session.flush()
    return row


def remove_partner(session: Session, actor: User, consortium_id: int, partner_id: int) -> None:
    """Remove a partner from the consortium (a registry organisation stays in the registry)."""
    consortium = get_editable_consortium(session, actor, consortium_id)
    consortium.partners.remove(_partner(consortium, partner_id))
    session.flush()


# ------------------------------------------------------------------------------ helpers


def _partner(consortium: Consortium, partner_id: int) -> ConsortiumPartner:
    row = next((row for row in consortium.partners if row.id == partner_id), None)
    if row is None:
        raise PartnerNotFoundError(f"This consortium has no partner {partner_id}")
    return row


def _next_position(consortium: Consortium) -> int:
    return max((row.position for row in consortium.partners), default=0) + 1


def _apply_changes(consortium: Consortium, row: ConsortiumPartner, changes: PartnerChanges) -> None:
    """Validate the partner ``row`` would become with ``changes``, then set its own columns
    (normalised: country codes, upper-case NUTS codes)."""
    own: dict[str, Any] = {column: getattr(row, column) for column in (*OVERRIDABLE, "role")}
    own |= {key: _blank_to_none(value) for key, value in changes.items()}
    location = f"partner {_number(consortium, row)}"
    partner = _validated(own, row.organisation, location)
    others = [partner_snapshot(other) for other in consortium.partners if other is not row]
    issues = _conflicts(partner, others, location)
    if issues:
        raise InvalidInputError("The partner cannot be changed", issues)
    for column in changes:
        setattr(row, column, getattr(partner, column) if own[column] is not None else None)


def _validated(own: Mapping[str, Any], organisation: Organisation | None, location: str) -> Partner:
    """The partner of these own values over the organisation's, checked like a file row; the
    organisation's values are taken as recorded (see `parse_partner`)."""
    recorded = {
        column for column, value in own.items() if value is None and organisation is not None
    }
    effective = {
        column: getattr(organisation, column, None) if column in recorded else value
        for column, value in own.items()
    }
    cells = row_values({k: cell_text(v) for k, v in effective.items()})
    partner, problems = parse_partner(cells, recorded=recorded)
    problems += _name_problems(effective.get("name"))
    if problems:
        issues = [InputIssue(location, column, reason) for column, reason in problems]
        raise InvalidInputError("The partner cannot be changed", issues)
    return partner


def _add_partners(
    session: Session,
    consortium: Consortium,
    partners: Iterable[Partner],
    *,
    source: str,
    summary: str = "",
) -> list[ConsortiumPartner]:
    """Add validated partners in order, linking registry PICs; all or nothing. Each problem is
    placed at ``source`` (a file's name, ``partner 3``); ``summary`` heads the error (default:
    "<source>: the partners cannot be added")."""
    partners = list(partners)
    existing = [partner_snapshot(row) for row in consortium.partners]
    issues: list[InputIssue] = []
    for partner in partners:
        issues += [
            InputIssue(source, column, f"{partner.name[:60]!r}: {reason}")
            for column, reason in _name_problems(partner.name)
        ]
        issues += _conflicts(partner, existing, source)
        existing.append(partner)
    if issues:
        raise InvalidInputError(summary or f"{source}: the partners cannot be added", issues)
    organisations = repository.get_organisations_by_pic(
        session, {partner.pic for partner in partners if partner.pic}
    )
    rows = []
    for position, partner in enumerate(partners, start=_next_position(consortium)):
        organisation = organisations.get(partner.pic or "")
        linked = _linked_conflict(consortium, organisation)
        rows.append(_row_for(partner, None if linked else organisation, position))
    consortium.partners.extend(rows)
    session.flush()
    return rows


def _linked_conflict(consortium: Consortium, organisation: Organisation | None) -> bool:
    """Whether ``organisation`` is already a partner (then a second row stays unlinked)."""
    return organisation is not None and any(
        row.organisation_id == organisation.id for row in consortium.partners
    )


def _row_for(
    partner: Partner, organisation: Organisation | None, position: int
) -> ConsortiumPartner:
    """A row for ``partner``; with an organisation, only the values that differ are kept."""
    values = {column: getattr(partner, column) for column in OVERRIDABLE}
    if organisation is not None:
        values = {
            column: None if value == getattr(organisation, column) else value
            for column, value in values.items()
        }
    return ConsortiumPartner(
        position=position, role=partner.role, organisation=organisation, **values
    )


def _name_problems(name: object) -> list[tuple[str, str]]:
    """A name too long for the database, or with control characters, as (column, reason)."""
    if not isinstance(name, str):
        return []
    if len(name) > MAX_PARTNER_NAME_LENGTH:
        return [("name", too_long_reason(MAX_PARTNER_NAME_LENGTH, len(name)))]
    if has_control_characters(name):
        return [("name", "must not contain control characters")]
    return []


def _conflicts(partner: Partner, others: Iterable[Partner], location: str) -> list[InputIssue]:
    """A second coordinator, or a partner already listed (same PIC, or same name and country)."""
    issues = []
    key = (" ".join(partner.name.split()).casefold(), partner.country)
    for other in others:
        if partner.role is Role.COORDINATOR and other.role is Role.COORDINATOR:
            issues.append(InputIssue(location, "role", f"{other.label} is already the coordinator"))
        if partner.pic and other.pic == partner.pic:
            reason = f"PIC {partner.pic} is already given for {other.label}"
            issues.append(InputIssue(location, "pic", reason))
        elif key == (" ".join(other.name.split()).casefold(), other.country):
            issues.append(InputIssue(location, "name", f"{other.label} is already a partner"))
    return issues


def _number(consortium: Consortium, row: ConsortiumPartner) -> int:
    """The partner's number as the page shows it (1 for the first)."""
    rows = list(consortium.partners)
    return rows.index(row) + 1 if row in rows else len(rows) + 1


def _blank_to_none(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _safe_file_name(filename: str) -> str:
    """The last part of an uploaded file's name, safe to create in a temporary folder."""
    name = PurePosixPath(filename.replace("\\", "/")).name.strip()
    name = "".join(char for char in name if char.isprintable() and char not in "/\0")
    if len(name) > _MAX_FILE_NAME_LENGTH:
        suffix = PurePosixPath(name).suffix[:10]
        name = name[: _MAX_FILE_NAME_LENGTH - len(suffix)] + suffix
    return name if name not in {"", ".", ".."} else "upload"


def _raise_required(location: str) -> NoReturn:
    """The problems of a partner given no value: each required field, as a file row's."""
    issues = [InputIssue(location, column, REQUIRED) for column in REQUIRED_COLUMNS]
    raise InvalidInputError(f"The partner has {len(issues)} problems", issues)


def _raise(summary: str, location: str, field: str, reason: str) -> NoReturn:
    raise InvalidInputError(summary, [InputIssue(location, field, reason)])
