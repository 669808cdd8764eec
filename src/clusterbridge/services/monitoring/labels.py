"""The European Cluster Excellence labels an organisation holds, and expiry reminders.

A Bronze label is valid for 2 years (ESCA, https://www.cluster-analysis.org/benchmarked-clusters:
"valid 2 years, renewal extends by 3 years"); so a Bronze label without an expiry date gets
two years. Silver and Gold validity is not stated in the sources read: give the expiry date."""

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from clusterbridge.db.models import ClusterLabel, User
from clusterbridge.db.repositories import assessments as repository
from clusterbridge.domain.assessment import LabelLevel
from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.errors import ConflictError, InputIssue, InvalidInputError
from clusterbridge.services.mail import Mail, Mailer, queue_mail
from clusterbridge.services.monitoring.access import AssessmentNotFoundError, own_cluster

BRONZE_VALID_YEARS = 2
#: Remind this many days before a label expires, unless told otherwise.
DEFAULT_DAYS_BEFORE = 90


def add_label(
    session: Session,
    user: User | None,
    organisation_id: int,
    *,
    level: LabelLevel,
    awarded: date | None,
    expires: date | None,
    today: date,
) -> ClusterLabel:
    """Record a label the organisation holds. Without ``expires``, a Bronze label runs two
    years from ``awarded``; the others need the date. ``awarded`` is not after ``today`` (the
    site's date): a label is recorded once awarded. ``InvalidInputError`` names both dates
    when both are at fault (``awarded`` None: not given). Flushes."""
    own_cluster(session, user, organisation_id)
    if expires is None and awarded is not None and level == LabelLevel.BRONZE:
        expires = _add_years(awarded, BRONZE_VALID_YEARS)
    issues = []
    if awarded is None:
        issues.append(InputIssue("", "awarded", "is required"))
    elif awarded > today:
        reason = f"is in the future (today is {day_text(today)}): record a label once it is awarded"
        issues.append(InputIssue("", "awarded", reason))
    if expires is None and level != LabelLevel.BRONZE:
        issues.append(InputIssue("", "expires", f"is required for a {level} label"))
    elif expires is not None and awarded is not None and expires <= awarded:
        issues.append(InputIssue("", "expires", "must be after the award date"))
    if issues or awarded is None or expires is None:
        raise InvalidInputError("The label is not valid:", issues)
    if any(
        x.level == level and x.awarded == awarded
        for x in repository.labels(session, organisation_id)
    ):
        raise ConflictError(f"A {level} label awarded on {awarded} is already recorded.")
    label = ClusterLabel(
        organisation_id=organisation_id, level=level, awarded=awarded, expires=expires
    )
    session.add(label)
    session.flush()
    return label


def remove_label(session: Session, user: User | None, label_id: int) -> None:
    """Remove a label recorded by mistake. Flushes."""
    label = session.get(ClusterLabel, label_id)
    if label is None:
        raise AssessmentNotFoundError("No such label among yours.")
    own_cluster(session, user, label.organisation_id)
    session.delete(label)
    session.flush()


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def remind_label_expiry(
    session: Session,
    mailer: Mailer,
    *,
    now: datetime,
    today: date,
    public_url: str,
    days_before: int = DEFAULT_DAYS_BEFORE,
) -> list[ClusterLabel]:
    """Mail the members of each organisation whose label expires within ``days_before`` days
    of ``today`` (the site's date at ``now``, the time written as reminded) or has expired and was not reminded yet; marks each reminded, so a label is
    reminded once. Returns the labels reminded. Queues the mail for the commit; flushes."""
    if days_before < 0:
        raise ValueError("days_before must be at least 0")
    due = repository.labels_expiring(session, by=today + timedelta(days=days_before))
    for label in due:
        organisation = repository.organisation(session, label.organisation_id)
        assert organisation is not None
        left = (label.expires - today).days
        when = (
            f"expires in {left} day{'s' if left != 1 else ''}"
            if left > 0
            else "expires today"
            if left == 0
            else "has expired"
        )
        link = f"{public_url}/organisations/{organisation.id}/readiness"
        mails = [
            Mail(
                (person.email,),
                f"Your {label.level} cluster excellence label {when}",
                f"Hello {person.name},\n\nThe {label.level} label of {organisation.name} "
                f"(awarded {day_text(label.awarded)}) {when} (on {day_text(label.expires)}). "
                f"Plan the next benchmarking with your self-assessment: {link}\n",
            )
            for person in repository.organisation_users(session, organisation.id)
        ]
        queue_mail(session, mailer, mails)
        label.reminded_at = now
    session.flush()
    return due
