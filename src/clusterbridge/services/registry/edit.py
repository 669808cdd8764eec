"""Creating and editing organisation records, with who may do it.

A user edits only the organisations they belong to (``OrganisationMember``); administrators
edit any. Whoever creates an organisation becomes its member.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    ClusterMembership,
    Organisation,
    OrganisationEcosystem,
    OrganisationMember,
    OrganisationTechnology,
    Participation,
    User,
)
from clusterbridge.db.repositories import organisations as repository
from clusterbridge.db.repositories import projects as project_repository
from clusterbridge.domain.enums import (
    CLUSTER_TYPES,
    OrgType,
    RecordSource,
    TechnologyDirection,
    UserRole,
    ValueOrigin,
)
from clusterbridge.domain.errors import DomainError, InputIssue, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.registry.fields import REQUIRED, clean_fields, technology_code
from clusterbridge.services.registry.keys import name_key
from clusterbridge.services.registry.memberships import request_memberships, split_by_consent
from clusterbridge.services.registry.notifier import ClaimNotifier

#: Scalar columns a record sets directly (lists and categories are handled apart).
COLUMNS = (
    "pic", "name", "short_name", "type", "is_sme", "sme_profile", "country", "nuts",
    "category_2021_2027", "category_2014_2020", "city", "latitude", "longitude", "website",
    "email", "legal_entity", "eccp_registered", "description",
)  # fmt: skip
PIC_LENGTH = 9
_TECHNOLOGY_FIELDS = {
    "technologies_offered": TechnologyDirection.OFFERED,
    "technologies_needed": TechnologyDirection.NEEDED,
}


class OrganisationNotFoundError(DomainError):
    """No organisation with this id."""

    status = 404

    def __init__(self, organisation_id: int | str, *, what: str = "") -> None:
        super().__init__(f"No organisation {what + ' ' if what else ''}{organisation_id}")


class NotAllowedError(DomainError):
    """The user may not change this record."""

    status = 403


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    """The organisation with its ecosystems, technologies and clusters; raises
    OrganisationNotFoundError (404) for an unknown id."""
    organisation = repository.get_organisation(session, organisation_id)
    if organisation is None:
        raise OrganisationNotFoundError(organisation_id)
    return organisation


def get_organisation_by_pic(session: Session, pic: str) -> Organisation:
    """The organisation with this PIC; InvalidInputError (field ``pic``) when the PIC is not
    nine digits, OrganisationNotFoundError (404) when no organisation has it."""
    text = pic.strip()
    if len(text) != PIC_LENGTH or not text.isascii() or not text.isdigit():
        reason = f'"{pic}" is not a PIC: a PIC has exactly {PIC_LENGTH} digits'
        issue = InputIssue("", "pic", reason)
        raise InvalidInputError("The PIC is not valid", [issue])
    organisation = repository.get_by_pic(session, text)
    if organisation is None:
        raise OrganisationNotFoundError(text, what="with PIC")
    return organisation


def list_participations(session: Session, organisation_id: int) -> list[Participation]:
    """The projects an organisation took part in (with the project loaded), newest first."""
    return project_repository.participations_of(session, organisation_id)


def can_edit(session: Session, user: User | None, organisation: Organisation) -> bool:
    """Whether ``user`` may edit ``organisation``: administrators always, others if members."""
    if user is None or not user.is_active:
        return False
    if user.role == UserRole.ADMINISTRATOR:
        return True
    return repository.is_member(session, organisation.id, user.id)


def create_organisation(
    session: Session,
    actor: User,
    values: Mapping[str, Any],
    *,
    source: RecordSource = RecordSource.MANUAL,
    notifier: ClaimNotifier | None = None,
    read_issues: Sequence[InputIssue] = (),
) -> Organisation:
    """Create an organisation from ``values`` (see registry_fields.FIELDS, plus ``cluster_ids``)
    and make ``actor`` its member.

    Name and country are required. Raises InvalidInputError naming every bad field (including
    a PIC already in use and cluster memberships that are not allowed), after ``read_issues``
    (the mistakes the caller found reading its form, which refuse the save too). A cluster
    ``actor`` does not speak for is asked to accept the membership (``memberships``; mailed
    through ``notifier``) instead of listing it at once. Flushes.
    """
    cleaned, issues = clean_fields({"name": None, "country": None} | dict(values))
    issues = [*read_issues, *issues]
    issues += _check_pic(session, cleaned.get("pic"), None)
    issues += _check_sme_profile(None, cleaned, issues)
    clusters = _clusters(session, values.get("cluster_ids"), None, issues)
    if issues:
        raise InvalidInputError("The organisation cannot be saved", issues)
    organisation = Organisation(
        ecosystems=[], technologies=[], clusters=[], members=[], users=[], source=source,
        description="", profile="",
    )  # fmt: skip
    direct, asked = split_by_consent(session, actor, None, clusters or [])
    apply_values(organisation, cleaned, direct if clusters is not None else None)
    organisation.users.append(OrganisationMember(user=actor))
    session.add(organisation)
    session.flush()
    if asked:
        request_memberships(session, actor, organisation, asked, notifier=notifier)
    return organisation


def update_organisation(
    session: Session,
    actor: User,
    organisation_id: int,
    changes: Mapping[str, Any],
    *,
    notifier: ClaimNotifier | None = None,
    read_issues: Sequence[InputIssue] = (),
) -> Organisation:
    """Change the fields present in ``changes``; the others stay as they are.

    A new cluster in ``cluster_ids`` that ``actor`` does not speak for is asked to accept the
    membership (mailed through ``notifier``) rather than listed; leaving a cluster is at once.
    Raises OrganisationNotFoundError (404), NotAllowedError (403) when ``actor`` may not edit
    it, or InvalidInputError naming every bad field after ``read_issues`` (the mistakes the
    caller found reading its form, which refuse the save too). Flushes.
    """
    organisation = get_organisation(session, organisation_id)
    if not can_edit(session, actor, organisation):
        raise NotAllowedError("Only the organisation's members and administrators may edit it")
    if "nuts" in changes and "country" not in changes:
        changes = {**changes, "country": organisation.country}
    cleaned, issues = clean_fields(changes)
    issues = [*read_issues, *issues]
    for field in ("name", "country"):
        if (
            field in cleaned
            and cleaned[field] is None
            and not any(i.field == field for i in issues)
        ):
            issues.append(InputIssue("", field, REQUIRED))
    issues += _check_pic(session, cleaned.get("pic"), organisation.id)
    issues += _check_sme_profile(organisation, cleaned, issues)
    clusters = _clusters(session, changes.get("cluster_ids"), organisation.id, issues)
    if issues:
        raise InvalidInputError("The organisation cannot be saved", issues)
    before = _profile_values(organisation, cleaned)
    direct, asked = split_by_consent(session, actor, organisation, clusters or [])
    apply_values(organisation, cleaned, direct if clusters is not None else None)
    _declare_changes(organisation, before)
    session.flush()
    if clusters is not None:
        request_memberships(session, actor, organisation, asked, notifier=notifier)
    return organisation


#: The fields whose derived values members can confirm.
DERIVED_FIELDS = (
    "ecosystems",
    "technologies_offered",
    "technologies_needed",
    "sme_profile",
    "type",
)


def confirm_derived(
    session: Session, actor: User, organisation_id: int, field: str
) -> Organisation:
    """Make the derived values of ``field`` (one of ``DERIVED_FIELDS``) declared: the members
    confirm what was derived, and no later derivation or re-import changes it.

    Raises OrganisationNotFoundError (404), NotAllowedError (403), or InvalidInputError for an
    unknown field. Flushes.
    """
    if field not in DERIVED_FIELDS:
        reason = f"must be one of {', '.join(DERIVED_FIELDS)}"
        raise InvalidInputError("Nothing to confirm", [InputIssue("", "field", reason)])
    organisation = get_organisation(session, organisation_id)
    if not can_edit(session, actor, organisation):
        raise NotAllowedError("Only the organisation's members and administrators may edit it")
    _declare(organisation, {field})
    session.flush()
    return organisation


def _technologies_of(organisation: Organisation, field: str) -> list[OrganisationTechnology]:
    direction = _TECHNOLOGY_FIELDS[field]
    return [row for row in organisation.technologies if row.direction == direction]


def _profile_values(organisation: Organisation, cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """The current values of the fields in ``cleaned``, comparable with what they become."""
    values: dict[str, Any] = {}
    for field in cleaned:
        if field in COLUMNS:
            values[field] = getattr(organisation, field)
        elif field == "ecosystems":
            values[field] = sorted(row.ecosystem for row in organisation.ecosystems)
        elif field in _TECHNOLOGY_FIELDS:
            values[field] = sorted(row.label for row in _technologies_of(organisation, field))
    return values


def _declare_changes(organisation: Organisation, before: Mapping[str, Any]) -> None:
    """Add the fields whose value the update changed to the organisation's declared fields."""
    after = _profile_values(organisation, before)
    _declare(organisation, {field for field, value in before.items() if after[field] != value})


def _declare(organisation: Organisation, fields: set[str]) -> None:
    """Record ``fields`` as declared by the members, and their rows and values as theirs."""
    if not fields <= set(organisation.declared_fields or ()):
        organisation.declared_fields = sorted({*(organisation.declared_fields or ()), *fields})
    rows: list[OrganisationEcosystem | OrganisationTechnology] = []
    if "ecosystems" in fields:
        rows += organisation.ecosystems
    for field in fields & set(_TECHNOLOGY_FIELDS):
        rows += _technologies_of(organisation, field)
    for row in rows:
        row.origin = ValueOrigin.DECLARED
        row.evidence = None
    if "sme_profile" in fields:
        _set_sme_profile_origin(organisation)


def _set_sme_profile_origin(organisation: Organisation) -> None:
    declared = organisation.sme_profile is not None
    organisation.sme_profile_origin = ValueOrigin.DECLARED if declared else None
    organisation.sme_profile_evidence = None


#: The fields that say whether an organisation is an SME, which an SME profile needs.
_SME_FIELDS = ("type", "is_sme", "sme_profile")


def _check_sme_profile(
    organisation: Organisation | None, cleaned: Mapping[str, Any], issues: Sequence[InputIssue]
) -> list[InputIssue]:
    """Why the SME profile (traditional or tech-savvy) cannot be saved, as ``cleaned`` would
    leave ``organisation`` (None: a new one): only an SME has one, and "SME" says no or the
    type is another. A record that keeps all three values as stored is not refused for them."""
    if any(issue.field in _SME_FIELDS for issue in issues):
        return []
    stored = {field: getattr(organisation, field, None) for field in _SME_FIELDS}
    after = stored | {field: cleaned[field] for field in _SME_FIELDS if field in cleaned}
    if after["sme_profile"] is None or (organisation is not None and after == stored):
        return []
    if after["is_sme"] is False:
        reason = 'only an SME has an SME profile, and "SME" says no'
    elif after["is_sme"] is None and after["type"] not in (None, OrgType.SME):
        words = after["type"].value.replace("_", " ")
        reason = f"only an SME has an SME profile, and its type is {words}"
    else:
        return []
    return [InputIssue("", "sme_profile", reason)]


def _check_pic(session: Session, pic: str | None, own_id: int | None) -> list[InputIssue]:
    if pic is None:
        return []
    holder = repository.get_by_pic(session, pic)
    if holder is not None and holder.id != own_id:
        return [InputIssue("", "pic", f"{pic} is already the PIC of {holder.name}")]
    return []


def _clusters(
    session: Session, ids: Any, own_id: int | None, issues: list[InputIssue]
) -> list[Organisation] | None:
    """The cluster organisations for ``cluster_ids`` (None: leave memberships as they are)."""
    if ids is None:
        return None
    try:
        wanted = [int(value) for value in ids]
    except (TypeError, ValueError):
        wanted = []
    if (not wanted and ids) or any(not 0 < value <= MAX_ID for value in wanted):
        issues.append(InputIssue("", "cluster_ids", "must be a list of organisation ids"))
        return None
    return check_clusters(repository.list_by_ids(session, wanted), wanted, own_id, issues)


def get_cluster(session: Session, cluster_id: int, *, own_id: int | None = None) -> Organisation:
    """The cluster organisation or network ``cluster_id``, one that ``own_id`` (the
    organisation being edited, if any) may list as its cluster. Raises InvalidInputError on
    ``cluster_ids``, as saving it would (``check_clusters``). Reads only."""
    issues: list[InputIssue] = []
    found = repository.list_by_ids(session, [cluster_id])
    clusters = check_clusters(found, [cluster_id], own_id, issues)
    if issues:
        raise InvalidInputError("The cluster cannot be added", issues)
    return clusters[0]


def check_clusters(
    found: Sequence[Organisation],
    wanted: Sequence[Any],
    own_id: int | None,
    issues: list[InputIssue],
    *,
    location: str = "",
    field: str = "cluster_ids",
) -> list[Organisation]:
    """The clusters in ``found``; adds an issue for each wanted one that is unknown, the
    organisation itself, or not a cluster organisation or network."""
    by_key = {o.id: o for o in found} | {o.pic: o for o in found if o.pic}
    clusters = []
    for key in dict.fromkeys(wanted):
        cluster = by_key.get(key)
        if cluster is None:
            issues.append(InputIssue(location, field, f"no organisation {key}"))
        elif own_id is not None and cluster.id == own_id:
            issues.append(InputIssue(location, field, "an organisation cannot be its own member"))
        elif cluster.type not in CLUSTER_TYPES:
            reason = f"{cluster.name} is not a cluster organisation or cluster network"
            issues.append(InputIssue(location, field, reason))
        else:
            clusters.append(cluster)
    return clusters


def apply_values(
    organisation: Organisation, cleaned: Mapping[str, Any], clusters: list[Organisation] | None
) -> None:
    """Set the cleaned values on ``organisation`` (loaded with its collections); lists are
    updated by difference so that unchanged rows stay."""
    if "sme_profile" in cleaned and cleaned["sme_profile"] != organisation.sme_profile:
        organisation.sme_profile = cleaned["sme_profile"]
        _set_sme_profile_origin(organisation)
    for column in COLUMNS:
        if column in cleaned:
            setattr(organisation, column, cleaned[column])
    if "name" in cleaned:
        organisation.name_key = name_key(organisation.name)
    if "ecosystems" in cleaned:
        _set_ecosystems(organisation, cleaned["ecosystems"])
    for field, direction in _TECHNOLOGY_FIELDS.items():
        if field in cleaned:
            _set_technologies(organisation, direction, cleaned[field])
    if clusters is not None:
        _set_clusters(organisation, clusters)


def _set_ecosystems(organisation: Organisation, slugs: list[str]) -> None:
    current = {row.ecosystem: row for row in organisation.ecosystems}
    for slug, row in current.items():
        if slug not in slugs:
            organisation.ecosystems.remove(row)
    for slug in slugs:
        if slug not in current:
            organisation.ecosystems.append(OrganisationEcosystem(ecosystem=slug))


def _set_technologies(
    organisation: Organisation, direction: TechnologyDirection, labels: list[str]
) -> None:
    current = {t.label: t for t in organisation.technologies if t.direction == direction}
    for label, row in current.items():
        if label not in labels:
            organisation.technologies.remove(row)
    for label in labels:
        if label not in current:
            code = technology_code(label)
            row = OrganisationTechnology(direction=direction, label=label, code=code)
            organisation.technologies.append(row)


def _set_clusters(organisation: Organisation, clusters: list[Organisation]) -> None:
    wanted = {cluster.id: cluster for cluster in clusters}
    current = {row.cluster_id: row for row in organisation.clusters}
    for cluster_id, row in current.items():
        if cluster_id not in wanted:
            organisation.clusters.remove(row)
    for cluster_id, cluster in wanted.items():
        if cluster_id not in current:
            organisation.clusters.append(ClusterMembership(cluster=cluster))
