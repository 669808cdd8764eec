"""Who may take part, and the rules on pairs of participants: visit once, host capacity, two
countries. Every check answers with reasons in words, never a bare bool."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.enums import ExchangeRole, OrganisationKind
from clusterbridge.engines.exchanges.programme import Programme

_KIND_WORDS = {
    OrganisationKind.CLUSTER_ORGANISATION: "a cluster organisation",
    OrganisationKind.BUSINESS_NETWORK: "a business network",
    OrganisationKind.SCALING_UP_SUPPORT: "a scaling-up support organisation",
    OrganisationKind.SME: "an SME",
    OrganisationKind.OTHER: "another kind of organisation",
}


@dataclass(frozen=True, slots=True)
class ParticipantSnapshot:
    """What the rules need to know of an organisation: its kind, its country (canonical code)
    and whether it is a member of a cluster (None: not known)."""

    kind: OrganisationKind
    country: str
    cluster_member: bool | None


@dataclass(frozen=True, slots=True)
class Judgement:
    """Whether something is allowed, and why (one sentence per rule looked at)."""

    allowed: bool
    reasons: tuple[str, ...]


def judge_participant(
    programme: Programme,
    participant: ParticipantSnapshot,
    *,
    role: ExchangeRole,
    host_exception: str | None = None,
) -> Judgement:
    """Judge whether ``participant`` may take part in ``role``: a programme country, and a kind
    the programme accepts (with cluster membership where the kind needs it). A host that fails
    the kind rule is accepted when the partnership recorded an exception with a reason
    (``host_exception``, not blank); visitors have no exception."""
    rules = programme.participants
    in_country = participant.country in rules.countries
    country_reason = (
        f"Established in {participant.country}, "
        f"{'a' if in_country else 'not a'} country of the programme."
    )
    kind_ok, kind_reason = _judge_kind(programme, participant)
    reasons = [country_reason, kind_reason]
    exception = (host_exception or "").strip()
    if not kind_ok and role is ExchangeRole.HOST and exception:
        kind_ok = True
        reasons.append(f"Accepted as a host by exception: {exception}")
    return Judgement(allowed=in_country and kind_ok, reasons=tuple(reasons))


def judge_visit_once(programme: Programme, *, visits_so_far: int) -> Judgement:
    """Whether a visitor who already has ``visits_so_far`` exchanges may have one more."""
    limit = programme.visits.visitor_visits
    if visits_so_far >= limit:
        times = "once" if limit == 1 else f"{limit} times"
        return Judgement(False, (f"A visitor may take part {times}; this one already has.",))
    return Judgement(True, ("The visitor has not taken part yet.",))


def judge_countries(programme: Programme, *, visitor_country: str, host_country: str) -> Judgement:
    """Whether visitor and host are in different countries, when the programme asks for it."""
    if programme.visits.different_countries and visitor_country == host_country:
        reason = f"Visitor and host are both in {host_country}; an exchange is between countries."
        return Judgement(False, (reason,))
    return Judgement(True, (f"From {visitor_country} to {host_country}.",))


def judge_host_capacity(
    *, capacity: int, booked: Iterable[tuple[date, date]], start: date, end: date
) -> Judgement:
    """Whether a host with ``capacity`` simultaneous visitors can take one more from ``start``
    to ``end`` (inclusive), given the stays it has ``booked``: on no day of the new stay may the
    host have ``capacity`` visitors already."""
    if capacity <= 0:
        return Judgement(False, ("The host takes no visitors at present.",))
    overlapping = [(s, e) for s, e in booked if s <= end and start <= e]
    busiest, day = _busiest_day(overlapping, start=start, end=end)
    if busiest >= capacity:
        assert day is not None  # busiest >= capacity > 0: some day has that many stays
        reason = (
            f"The host takes at most {capacity} visitor{'s' if capacity != 1 else ''} at once "
            f"and has {busiest} on {day_text(day)}."
        )
        return Judgement(False, (reason,))
    return Judgement(True, (f"The host has room: {busiest} of {capacity} at the busiest.",))


def _judge_kind(programme: Programme, participant: ParticipantSnapshot) -> tuple[bool, str]:
    words = _KIND_WORDS[participant.kind]
    needed = programme.participants.membership_needed.get(participant.kind)
    if needed is None:
        return False, f"The organisation is {words}, which the programme does not list."
    if not needed:
        return True, f"The organisation is {words}, which the programme accepts."
    if participant.cluster_member is None:
        return (
            False,
            f"The organisation is {words}; whether it is a member of a cluster is not known.",
        )
    if participant.cluster_member:
        return True, f"The organisation is {words} and a member of a cluster."
    return False, f"The organisation is {words} but not a member of a cluster."


def _busiest_day(
    stays: list[tuple[date, date]], *, start: date, end: date
) -> tuple[int, date | None]:
    """The most stays covering one day of ``start``..``end``, and the first such day."""
    if not stays:
        return 0, None
    events = sorted([(max(s, start), 0) for s, _ in stays] + [(min(e, end), 1) for _, e in stays])
    current = best = 0
    best_day: date | None = None
    for day, kind in events:
        if kind == 0:
            current += 1
            if current > best:
                best, best_day = current, day
        else:
            current -= 1
    return best, best_day
