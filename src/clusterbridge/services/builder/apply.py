"""The builder's answers applied to consortia of the platform: a new consortium from a
proposal, a completion applied to a saved consortium, and completions of a saved one."""

from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import Consortium, User
from clusterbridge.domain.enums import Role
from clusterbridge.domain.errors import ConflictError, InputIssue, InvalidInputError
from clusterbridge.services.builder.build import (
    BuildOutcome,
    BuildRequest,
    complete_consortium,
)
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.consortia import consortia
from clusterbridge.services.consortia import partners as consortium_partners
from clusterbridge.services.matching.index import MatchIndexCache

#: Most organisations one click may add.
MAX_ADDED = 30


def create_from_proposal(
    session: Session,
    actor: User,
    *,
    catalogue: Catalogue,
    name: str,
    call_id: str,
    strand: str | None,
    organisation_ids: list[int],
    duration_months: int | None = None,
) -> Consortium:
    """A new consortium of ``actor`` for the call and strand (and the project duration, when
    given), with these registry organisations as beneficiaries, in order. InvalidInputError
    for a bad name, call, strand, duration or organisation (one no longer in the registry
    included), or more than 30 organisations; nothing is created then. Flushes."""
    _check_ids(organisation_ids)
    consortium_partners.check_registry_additions(session, organisation_ids, partners=[])
    details = consortia.ConsortiumDetails(
        name=name, call_id=call_id, strand=strand, duration_months=duration_months
    )
    created = consortia.create_consortium(session, actor, details, catalogue=catalogue)
    for organisation_id in organisation_ids:
        consortium_partners.add_registry_partner(
            session, actor, created.id, organisation_id, changes={"role": Role.BENEFICIARY}
        )
    return created


def apply_completion(
    session: Session,
    actor: User,
    consortium_id: int,
    *,
    add: list[int],
    remove: list[int],
    seen: list[int] | None = None,
) -> None:
    """Add registry organisations (as beneficiaries) to a consortium ``actor`` may edit and
    remove partners of it (by partner id), all or nothing: everything is checked before anything
    changes. ConsortiumNotFoundError (404) for a consortium gone or out of sight, AccessDeniedError
    (403) without the right to edit it; ConflictError (409) when the consortium changed since the
    builder completed it: naming each partner to remove, or of ``seen`` (the partner ids the
    builder completed, when known), that no longer is one, each partner that joined since
    (another completion applied, say) and each organisation to add that already is one;
    InvalidInputError (422) for an unknown organisation or one that would repeat a partner.
    Flushes."""
    _check_ids(add)
    consortium = consortia.get_editable_consortium(session, actor, consortium_id)
    conflicts = _changed_since(consortium, seen=seen, remove=remove, add=add)
    kept = [row for row in consortium.partners if row.id not in remove]
    conflicts += consortium_partners.check_registry_additions(session, add, partners=kept)
    if conflicts:
        raise ConflictError(
            f"{consortium.name} changed since the builder completed it: {'; '.join(conflicts)}"
        )
    for partner_id in remove:
        consortium_partners.remove_partner(session, actor, consortium_id, partner_id)
    for organisation_id in add:
        consortium_partners.add_registry_partner(
            session, actor, consortium_id, organisation_id, changes={"role": Role.BENEFICIARY}
        )


def _changed_since(
    consortium: Consortium, *, seen: list[int] | None, remove: list[int], add: list[int]
) -> list[str]:
    """The partners gone since the builder saw them, then those that joined since (one the
    completion adds is left to the check of the additions, which says it already is one)."""
    partner_ids = {row.id for row in consortium.partners}
    gone = [p for p in dict.fromkeys([*(seen or []), *remove]) if p not in partner_ids]
    conflicts = [f"partner {p} is no longer in the consortium" for p in gone]
    if seen is None:
        return conflicts
    joined = [
        row for row in consortium.partners if row.id not in seen and row.organisation_id not in add
    ]
    return conflicts + [
        f"{consortia.partner_snapshot(row).name} became a partner" for row in joined
    ]


def complete_saved_consortium(
    session: Session,
    actor: User,
    consortium_id: int,
    request: BuildRequest,
    *,
    catalogue: Catalogue,
    cache: MatchIndexCache,
    now: datetime,
) -> tuple[Consortium, BuildOutcome]:
    """The consortium (``actor`` must see it) and its completions for ``request``'s call.
    Reads only."""
    row = consortia.get_consortium(session, actor, consortium_id)
    team = consortia.build_snapshot(row)
    outcome = complete_consortium(session, catalogue, request, team=team, cache=cache, now=now)
    return row, outcome


def _check_ids(organisation_ids: list[int]) -> None:
    if len(organisation_ids) > MAX_ADDED:
        reason = f"at most {MAX_ADDED} organisations, not {len(organisation_ids)}"
        raise InvalidInputError(
            "The proposal cannot be used", [InputIssue("", "organisation_id", reason)]
        )
    if len(set(organisation_ids)) != len(organisation_ids):
        reason = "an organisation is named twice"
        raise InvalidInputError(
            "The proposal cannot be used", [InputIssue("", "organisation_id", reason)]
        )
