"""Partner suggestions: who should an organisation or a consortium talk to, and why.

Three questions, one engine (``engines.matching``): an organisation's complements (a
traditional SME's technology providers, a tech-savvy SME's customers), the organisations that
would complete a consortium for a project idea, and the participants of an event to meet
(``only``). With a call, each suggestion also says which of the call's rules it would help the
consortium pass. Members of the question are never suggested. The questions themselves (what
is sought, the ranking, the reasons) are ``services.matching.questions``; this module adds what
the registry's rows give.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from clusterbridge.db.models import Consortium as ConsortiumRow
from clusterbridge.db.models import User
from clusterbridge.db.repositories import organisations as org_repository
from clusterbridge.domain import consortium as snapshot
from clusterbridge.domain.calls import Call
from clusterbridge.domain.eligibility.report import EligibilityReport
from clusterbridge.domain.enums import Role
from clusterbridge.engines.matching.eligibility import gains_against
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.score import NEWCOMERS, Scored
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.calls.eligibility import check_application
from clusterbridge.services.consortia import consortia
from clusterbridge.services.matching.index import MatchIndexCache
from clusterbridge.services.matching.questions import (
    ANYONE,
    DEFAULT_TOP,
    Answer,
    Seeking,
    described,
    rank,
    validate_question,
)
from clusterbridge.services.registry.edit import get_organisation

if TYPE_CHECKING:
    # Reading consortium files needs openpyxl, which a question asked by PIC never loads.
    from clusterbridge.services.consortia.file import PartnerLookup


@dataclass(frozen=True, slots=True)
class CallContext:
    """The call (and strand) whose rules a suggestion may help pass, and the time of the check."""

    catalogue: Catalogue
    call_id: str
    strand: str | None
    now: datetime


def answer_for_organisation(
    session: Session,
    organisation_id: int,
    *,
    cache: MatchIndexCache,
    idea: str = "",
    top: int = DEFAULT_TOP,
    call: CallContext | None = None,
    wanted: Seeking = ANYONE,
    newcomers: int = NEWCOMERS,
) -> Answer:
    """The organisations that complement ``organisation_id`` (OrganisationNotFoundError, 404,
    for an unknown id), only of the kind ``wanted``. InvalidInputError for a bad ``top`` or
    idea. Reads only, apart from the embedding cache.
    Beside them, at most ``newcomers`` organisations registered without past projects
    (``Answer.newcomers``)."""
    organisation = get_organisation(session, organisation_id)
    team = snapshot.Consortium((consortia.registry_partner(organisation),), name=organisation.name)
    return _suggest(
        session, cache, team, (organisation.id,), idea=idea, top=top, call=call, wanted=wanted,
        newcomers=newcomers,
    )  # fmt: skip


def answer_for_consortium(
    session: Session,
    team: snapshot.Consortium,
    *,
    cache: MatchIndexCache,
    idea: str = "",
    top: int = DEFAULT_TOP,
    call: CallContext | None = None,
    wanted: Seeking = ANYONE,
    newcomers: int = NEWCOMERS,
) -> Answer:
    """The organisations that would complete ``team``: partners with a registry PIC are
    matched on their registry record and never suggested; the others are matched on their
    fields. Only of the kind ``wanted``. InvalidInputError for a bad ``top`` or idea.
    Beside them, at most ``newcomers`` organisations registered without past projects
    (``Answer.newcomers``)."""
    pics = [p.pic for p in team.partners if p.pic]
    found = {o.pic: o.id for o in org_repository.list_by_pics(session, pics)}
    members = tuple(found[p.pic] for p in team.partners if p.pic in found)
    return _suggest(
        session, cache, team, members, idea=idea, top=top, call=call, wanted=wanted,
        newcomers=newcomers,
    )  # fmt: skip


def answer_for_saved_consortium(
    session: Session,
    actor: User,
    consortium_id: int,
    *,
    cache: MatchIndexCache,
    catalogue: Catalogue,
    now: datetime,
    idea: str = "",
    top: int = DEFAULT_TOP,
    wanted: Seeking = ANYONE,
    newcomers: int = NEWCOMERS,
) -> Answer:
    """Suggestions for a consortium of the platform (``actor`` must be allowed to see it),
    only of the kind ``wanted``, with the gains for its call when it has one. A consortium
    without partners is matched against its call's topic (none without a call).
    Beside them, at most ``newcomers`` organisations registered without past projects
    (``Answer.newcomers``)."""
    row = consortia.get_consortium(session, actor, consortium_id)
    team = consortia.build_snapshot(row)
    members = tuple(p.organisation_id for p in row.partners if p.organisation_id is not None)
    call = _saved_call(row, catalogue, now)
    if not team.partners and not idea.strip():
        # Nothing to match yet: the call's topic is the question, or there is none.
        if call is None:
            return Answer([], [])
        topic = topic_of(catalogue.get(call.call_id), call.strand)
        return _suggest(
            session, cache, team, members, idea=topic, top=top, call=call, wanted=wanted,
            idea_name="the call's topic", newcomers=newcomers,
        )  # fmt: skip
    return _suggest(
        session, cache, team, members, idea=idea, top=top, call=call, wanted=wanted,
        newcomers=newcomers,
    )  # fmt: skip


def topic_of(call: Call, strand: str | None) -> str:
    """What a proposal to ``call`` is about when no idea is given: the call's title, summary
    and priorities, and the strand's title and description."""
    chosen = call.strand(strand) if strand else None
    parts = [call.title, call.summary, *call.priorities]
    if chosen is not None:
        parts += [chosen.title, chosen.description]
    return "\n".join(part for part in parts if part)


def _saved_call(row: ConsortiumRow, catalogue: Catalogue, now: datetime) -> CallContext | None:
    if row.call_id is None or row.call_id not in {c.id for c in catalogue.calls}:
        return None
    return CallContext(catalogue, row.call_id, row.strand, now)


def lookup_partners(session: Session) -> "PartnerLookup":
    """A look-up of registry partners by PIC, for consortium files that name them by ``id``."""

    def lookup(pics: Sequence[str]) -> Mapping[str, snapshot.Partner]:
        return {
            o.pic: consortia.registry_partner(o)
            for o in org_repository.list_by_pics(session, pics)
            if o.pic is not None
        }

    return lookup


def _suggest(
    session: Session,
    cache: MatchIndexCache,
    team: snapshot.Consortium,
    members: tuple[int, ...],
    *,
    idea: str,
    top: int,
    call: CallContext | None,
    wanted: Seeking,
    idea_name: str = "the idea",
    newcomers: int = NEWCOMERS,
) -> Answer:
    validate_question(idea, top)
    report = _report(team, call)
    index = cache.get(session)
    query, scored, newcomer_rows, vectors = rank(
        cache, index, team, members, idea=idea, top=top, wanted=wanted, idea_name=idea_name,
        newcomers=newcomers,
    )  # fmt: skip
    gains = _gains(session, index, [*scored, *newcomer_rows], report, call)
    return Answer(
        described(index, query, scored, vectors, gains),
        described(index, query, newcomer_rows, vectors, gains, newcomers=True),
    )


def _report(team: snapshot.Consortium, call: CallContext | None) -> EligibilityReport | None:
    if call is None:
        return None
    return check_application(call.catalogue, call.call_id, team, now=call.now, strand=call.strand)


def _gains(
    session: Session,
    index: MatchIndex,
    scored: list[Scored],
    report: EligibilityReport | None,
    call: CallContext | None,
) -> dict[int, list[str]]:
    """Per suggested row, the rules of the call it would help pass (registry data, as a
    beneficiary)."""
    if report is None or call is None:
        return {}
    rows = {index.profiles[item.row].id: item.row for item in scored}
    return {
        rows[o.id]: gains_against(
            report, consortia.registry_partner(o, role=Role.BENEFICIARY), now=call.now
        )
        for o in org_repository.list_by_ids(session, rows)
    }
