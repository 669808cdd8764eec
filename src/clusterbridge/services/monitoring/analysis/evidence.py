"""The evidence a finding may cite, one resolver per kind (ADR 0030). A resolver lists the items
of a kind that the project's partners hold and the user may see, and writes the label the link
keeps: the document cites that label even if the item changes or goes later.

Self-assessments and outcomes are private to their organisation (``access``): a user cites
those of the partners they are a member of (administrators: of every partner). Documents are
the project's own. An indicator value is cited as it stands in a frozen report (a line of the
latest version of each period's report): a value that cannot change under the finding."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import MonitoredProject, Outcome, User
from clusterbridge.db.repositories import analyses as repository
from clusterbridge.domain.analysis import MAX_LABEL, EvidenceKey, EvidenceKind
from clusterbridge.domain.assessment import Answer, score_cluster
from clusterbridge.domain.calendar import DEFAULT_TIME_ZONE, local_today
from clusterbridge.domain.indicators import format_quantity
from clusterbridge.services import registry
from clusterbridge.services.monitoring.outcomes import OUTCOME_LABELS, describe_activity
from clusterbridge.services.monitoring.projects import partner_ids
from clusterbridge.services.monitoring.reports import project_reports


@dataclass(frozen=True, slots=True)
class EvidenceScope:
    """Where a resolver looks: the project, the partners whose private items the user may
    cite, the day labels are written and the site's time zone, in which a label writes the day
    of a stored moment (ADR 0039)."""

    session: Session
    project: MonitoredProject
    organisation_ids: tuple[int, ...]
    today: date
    time_zone: str = DEFAULT_TIME_ZONE

    def day(self, moment: datetime) -> date:
        """The site's calendar date of a stored moment (UTC in the database)."""
        return local_today(moment, self.time_zone)


@dataclass(frozen=True, slots=True)
class EvidenceResolver:
    """The items of one kind a finding of the project may cite (``choices``)."""

    choices: Callable[[EvidenceScope], list[EvidenceKey]]

    def resolve(self, scope: EvidenceScope, ref_id: int) -> EvidenceKey | None:
        """The item ``ref_id`` with its label, or None when it is not one of the choices."""
        return next((key for key in self.choices(scope) if key.ref_id == ref_id), None)


def scope_of(
    session: Session,
    user: User,
    project: MonitoredProject,
    *,
    today: date,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> EvidenceScope:
    """The scope of ``user`` in ``project``: the partners the user may edit (administrators:
    every partner). Reads only."""
    visible = [
        organisation_id
        for organisation_id in partner_ids(session, project.id)
        if registry.can_edit(session, user, registry.get_organisation(session, organisation_id))
    ]
    return EvidenceScope(session, project, tuple(sorted(visible)), today, time_zone)


def _maturity(scope: EvidenceScope) -> list[EvidenceKey]:
    rows = repository.maturity_assessments(scope.session, scope.organisation_ids)
    return [
        _key(
            EvidenceKind.MATURITY_ASSESSMENT,
            assessment.id,
            f"Digital maturity self-assessment of {name}, {scope.day(assessment.taken_at)}: "
            f"overall {assessment.overall}/100",
        )
        for assessment, name in rows
    ]


def _readiness(scope: EvidenceScope) -> list[EvidenceKey]:
    answered: dict[int, list[Answer]] = {}
    for question in repository.answered_questions(scope.session, scope.organisation_ids):
        assert question.level is not None
        answer = Answer(question.dimension, question.level, question.weight)
        answered.setdefault(question.organisation_id, []).append(answer)
    names = repository.organisation_names(scope.session, answered)
    keys = []
    for organisation_id in sorted(answered, key=names.__getitem__):
        _, overall = score_cluster(answered[organisation_id])
        label = (
            f"Cluster excellence readiness self-assessment of {names[organisation_id]}, "
            f"{scope.today}: overall {overall}/100 on {len(answered[organisation_id])} "
            "questions answered"
        )
        keys.append(_key(EvidenceKind.READINESS, organisation_id, label))
    return keys


def _outcomes(scope: EvidenceScope) -> list[EvidenceKey]:
    outcomes = repository.outcomes(scope.session, scope.organisation_ids)
    names = repository.organisation_names(scope.session, {o.organisation_id for o in outcomes})
    return [_outcome_key(scope, outcome, names) for outcome in outcomes]


def _outcome_key(scope: EvidenceScope, outcome: Outcome, names: dict[int, str]) -> EvidenceKey:
    activity = describe_activity(scope.session, outcome).removeprefix("your ")
    label = (
        f"{OUTCOME_LABELS[outcome.type]}, reported by {names[outcome.organisation_id]} on "
        f"{scope.day(outcome.recorded_at)} after its {activity}"
    )
    return _key(EvidenceKind.OUTCOME, outcome.id, label)


def _documents(scope: EvidenceScope) -> list[EvidenceKey]:
    return [
        _key(
            EvidenceKind.DOCUMENT,
            document.id,
            f"{document.title} ({document.file_name}, uploaded {scope.day(document.uploaded_at)})",
        )
        for document in repository.documents(scope.session, scope.project.id)
    ]


def _indicator_values(scope: EvidenceScope) -> list[EvidenceKey]:
    keys, periods = [], set()
    for report in project_reports(scope.session, scope.project):
        if report.period in periods:
            continue  # an older version of a period already listed
        periods.add(report.period)
        for line in sorted(report.lines, key=lambda line: line.position):
            if line.value is None:
                continue
            value = format_quantity(line.value, unit=line.unit)
            label = (
                f"{line.name}, {report.period_label}: {value} "
                f"(report version {report.version} of {scope.day(report.issued_at)})"
            )
            keys.append(_key(EvidenceKind.INDICATOR_VALUE, line.id, label))
    return keys


def _key(kind: EvidenceKind, ref_id: int, label: str) -> EvidenceKey:
    return EvidenceKey(kind, ref_id, label[:MAX_LABEL])


#: The kinds a finding may cite.
RESOLVERS: dict[EvidenceKind, EvidenceResolver] = {
    EvidenceKind.MATURITY_ASSESSMENT: EvidenceResolver(_maturity),
    EvidenceKind.READINESS: EvidenceResolver(_readiness),
    EvidenceKind.OUTCOME: EvidenceResolver(_outcomes),
    EvidenceKind.DOCUMENT: EvidenceResolver(_documents),
    EvidenceKind.INDICATOR_VALUE: EvidenceResolver(_indicator_values),
}


def evidence_choices(scope: EvidenceScope) -> dict[EvidenceKind, list[EvidenceKey]]:
    """Every item the user may cite, by kind (kinds with a resolver only). Reads only."""
    return {kind: resolver.choices(scope) for kind, resolver in RESOLVERS.items()}
