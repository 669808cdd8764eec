"""The computed sources of indicators (ADR 0029): ``source key -> function(session, project,
start, end) -> Computed``, each counting the activities linked to the project between two days
(both included). SMEs are united as id sets first and counted after, so that an SME supported
by two meetings, an exchange and a cascade payment is one SME."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import MonitoredProject
from clusterbridge.db.repositories import indicator_sources as query
from clusterbridge.domain.enums import RESULT_OUTCOMES
from clusterbridge.domain.indicators import IndicatorSource, as_value
from clusterbridge.reference import industrial_ecosystems
from clusterbridge.services.monitoring.outcomes import OUTCOME_LABELS
from clusterbridge.services.monitoring.services_delivered import (
    people_trained,
    services_delivered,
    supported_organisation_ids,
)

REGION_LABELS = {
    "less_developed": "Less developed regions",
    "transition": "Transition regions",
    "more_developed": "More developed regions",
    query.UNKNOWN: "Region not known",
}


@dataclass(frozen=True, slots=True)
class Computed:
    """A computed value and its breakdown (group label, value), largest group first."""

    value: Decimal
    breakdown: tuple[tuple[str, Decimal], ...] = ()


SourceFunction = Callable[[Session, MonitoredProject, date, date], Computed]


def supported_smes(session: Session, project: MonitoredProject, start: date, end: date) -> set[int]:
    """The SMEs the project supported in the window, each once: those with an accepted meeting
    at one of its events held then, those visiting or hosting an exchange of its partnerships
    completed then, those paid by one of its cascade calls then, and those that received one
    of its services (or took part in one of its trainings) then. Reads only."""
    met = query.smes_met(session, project.id, start, end)
    exchanged = query.smes_exchanged(session, project.id, start, end)
    paid = query.smes_paid(session, project.id, start, end)
    served = query.sme_ids(session, supported_organisation_ids(session, project.id, start, end))
    return met | exchanged | paid | served


def _grouped(
    counts: Mapping[str, int | Decimal], labels: Mapping[str, str]
) -> tuple[tuple[str, Decimal], ...]:
    rows = [(labels.get(key, key), as_value(count)) for key, count in counts.items()]
    return tuple(sorted(rows, key=lambda row: (-row[1], row[0])))


def _count(function: Callable[[Session, int, date, date], int]) -> SourceFunction:
    def computed(session: Session, project: MonitoredProject, start: date, end: date) -> Computed:
        return Computed(as_value(function(session, project.id, start, end)))

    return computed


def _outcomes(session: Session, project: MonitoredProject, start: date, end: date) -> Computed:
    counts = query.outcome_counts(session, project.id, start, end)
    results = {kind.value: counts[kind] for kind in RESULT_OUTCOMES}
    labels = {kind.value: OUTCOME_LABELS[kind] for kind in RESULT_OUTCOMES}
    return Computed(as_value(sum(results.values())), _grouped(results, labels))


def _paid(session: Session, project: MonitoredProject, start: date, end: date) -> Computed:
    by_country = query.payments_by_country(session, project.id, start, end)
    return Computed(as_value(sum(by_country.values(), Decimal(0))), _grouped(by_country, {}))


def _smes(session: Session, project: MonitoredProject, start: date, end: date) -> Computed:
    return Computed(as_value(len(supported_smes(session, project, start, end))))


def _by_country(session: Session, project: MonitoredProject, start: date, end: date) -> Computed:
    smes = supported_smes(session, project, start, end)
    return Computed(as_value(len(smes)), _grouped(query.count_by_country(session, smes), {}))


def _by_region(session: Session, project: MonitoredProject, start: date, end: date) -> Computed:
    smes = supported_smes(session, project, start, end)
    counts = query.count_by_region_category(session, smes)
    return Computed(as_value(len(smes)), _grouped(counts, REGION_LABELS))


def _by_ecosystem(session: Session, project: MonitoredProject, start: date, end: date) -> Computed:
    smes = supported_smes(session, project, start, end)
    labels = {e.slug: e.name for e in industrial_ecosystems()}
    labels[query.UNKNOWN] = "No ecosystem known"
    return Computed(as_value(len(smes)), _grouped(query.count_by_ecosystem(session, smes), labels))


SOURCES: dict[IndicatorSource, SourceFunction] = {
    IndicatorSource.EVENTS_HELD: _count(query.events_held),
    IndicatorSource.PARTICIPANTS: _count(query.participants),
    IndicatorSource.MEETINGS_HELD: _count(query.meetings_held),
    IndicatorSource.OUTCOMES: _outcomes,
    IndicatorSource.EXCHANGES_COMPLETED: _count(query.exchanges_completed),
    IndicatorSource.FINANCIAL_SUPPORT_PAID: _paid,
    IndicatorSource.SMES_SUPPORTED: _smes,
    IndicatorSource.SMES_BY_COUNTRY: _by_country,
    IndicatorSource.SMES_BY_REGION_CATEGORY: _by_region,
    IndicatorSource.SMES_BY_ECOSYSTEM: _by_ecosystem,
    IndicatorSource.SERVICES_DELIVERED: _count(services_delivered),
    IndicatorSource.PEOPLE_TRAINED: _count(people_trained),
}


def compute(
    session: Session, project: MonitoredProject, source: IndicatorSource, start: date, end: date
) -> Computed:
    """The value of ``source`` for the project between ``start`` and ``end`` (both included),
    with its breakdown. Reads only."""
    return SOURCES[source](session, project, start, end)
