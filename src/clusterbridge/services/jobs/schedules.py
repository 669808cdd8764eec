"""The periodic jobs: what the scheduler submits, and how often (Celery beat with a broker,
`clusterbridge beat` without one)."""

from clusterbridge.services.jobs.retention import PRUNE_JOBS
from clusterbridge.services.jobs.tasks import (
    EVENT_REMINDERS,
    FOLLOW_UPS,
    LABEL_REMINDERS,
    PAYMENT_REMINDERS,
)

#: Seconds in an hour and in a day.
HOUR = 60 * 60
DAY = 24 * HOUR
#: Periodic job kinds and their interval in seconds. Follow-ups and label reminders send only
#: what is due and not sent yet; payment reminders mail every payment due at each run. Event
#: reminders run hourly and remind each participant once before each day of meetings. Old
#: jobs and documents are removed daily (ADR 0036).
PERIODIC: dict[str, float] = {
    FOLLOW_UPS: float(DAY),
    LABEL_REMINDERS: float(DAY),
    PAYMENT_REMINDERS: float(DAY),
    EVENT_REMINDERS: float(HOUR),
    PRUNE_JOBS: float(DAY),
}
#: How often running jobs whose lease ran out are settled.
RECOVER_EVERY_SECONDS = 60
