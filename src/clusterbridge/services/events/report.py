"""The organiser's report on an event: requests, meetings held, breaks, outcomes, with charts.

- *Registrations*: every registration, and how many are pending, validated, rejected by the
  organiser and withdrawn by the participant.
- *Accepted*: requests accepted, whether the meeting still stands or was cancelled later
  (a cancelled meeting with an answer's time had been accepted; a request withdrawn before
  any answer has none). *Cancelled after acceptance* counts the latter apart.
- *Acceptance rate*: accepted requests over those decided (accepted, declined or expired);
  requests still open or withdrawn unanswered do not count.
- *Held*: scheduled meetings whose slot is over and that neither side reported as a no-show.
- *Breaks*: for each participant, runs of free slots between two of their meetings, counted as
  the scheduling engine counts (and minimises) them.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, Meeting, User
from clusterbridge.domain.enums import MeetingOutcome, MeetingStatus, ParticipantStatus
from clusterbridge.reports.charts import Bar, render_bar_chart
from clusterbridge.services.events.events import event_slots, get_managed_event
from clusterbridge.services.events.schedule import breaks_by_participant

#: Request states that count as a decision for the acceptance rate.
DECIDED = frozenset({MeetingStatus.ACCEPTED, MeetingStatus.DECLINED, MeetingStatus.EXPIRED})
OUTCOME_LABELS = {
    MeetingOutcome.NO_SHOW: "No show",
    MeetingOutcome.HELD: "Held, nothing further",
    MeetingOutcome.FOLLOW_UP: "Follow-up planned",
    MeetingOutcome.AGREEMENT: "Agreement",
}


@dataclass(frozen=True, slots=True)
class EventReport:
    """The figures of one event at ``at``, and its charts as SVG."""

    event: Event
    at: datetime
    participants: int
    registrations: dict[ParticipantStatus, int]
    requests: dict[MeetingStatus, int]
    #: Requests accepted, the meetings later cancelled included; and those cancelled.
    accepted: int
    cancelled_after_acceptance: int
    acceptance_rate: float | None
    scheduled: int
    unscheduled: int
    past: int
    held: int
    breaks: int
    participants_with_breaks: int
    outcomes: dict[MeetingOutcome, int]
    outcomes_missing: int
    charts: dict[str, str]

    def as_dict(self) -> dict[str, object]:
        """The figures as JSON-ready values (no charts)."""
        return {
            "event_id": self.event.id,
            "at": self.at.isoformat(),
            "participants": self.participants,
            "registrations": {status.value: count for status, count in self.registrations.items()},
            "requests": {status.value: count for status, count in self.requests.items()},
            "accepted": self.accepted,
            "cancelled_after_acceptance": self.cancelled_after_acceptance,
            "acceptance_rate": self.acceptance_rate,
            "scheduled": self.scheduled,
            "unscheduled": self.unscheduled,
            "past": self.past,
            "held": self.held,
            "breaks": self.breaks,
            "participants_with_breaks": self.participants_with_breaks,
            "outcomes": {outcome.value: count for outcome, count in self.outcomes.items()},
            "outcomes_missing": self.outcomes_missing,
        }


def build_report(session: Session, actor: User, event_id: int, *, now: datetime) -> EventReport:
    """The report of an event at ``now`` (organiser only). Reads only."""
    event = get_managed_event(session, actor, event_id)
    requests = Counter(m.status for m in event.meetings)
    registrations = Counter(p.status for p in event.participants)
    dropped = sum(
        1
        for m in event.meetings
        if m.status is MeetingStatus.CANCELLED and m.responded_at is not None
    )
    accepted = requests[MeetingStatus.ACCEPTED] + dropped
    decided = sum(requests[status] for status in DECIDED) + dropped
    scheduled = [m for m in event.meetings if m.status is MeetingStatus.ACCEPTED and m.starts_at]
    length = timedelta(minutes=event.slot_minutes)
    past = [m for m in scheduled if m.starts_at is not None and m.starts_at + length <= now]
    outcomes = Counter(o for m in past for o in (m.requester_outcome, m.recipient_outcome) if o)
    breaks = breaks_by_participant(event)
    return EventReport(
        event=event,
        at=now,
        participants=len(event.participants),
        registrations={status: registrations[status] for status in ParticipantStatus},
        requests={status: requests[status] for status in MeetingStatus},
        accepted=accepted,
        cancelled_after_acceptance=dropped,
        acceptance_rate=accepted / decided if decided else None,
        scheduled=len(scheduled),
        unscheduled=requests[MeetingStatus.ACCEPTED] - len(scheduled),
        past=len(past),
        held=sum(
            1
            for m in past
            if MeetingOutcome.NO_SHOW not in {m.requester_outcome, m.recipient_outcome}
        ),
        breaks=sum(breaks.values()),
        participants_with_breaks=sum(1 for count in breaks.values() if count),
        outcomes={outcome: outcomes[outcome] for outcome in MeetingOutcome},
        outcomes_missing=2 * len(past) - sum(outcomes.values()),
        charts=_charts(event, requests, outcomes, scheduled),
    )


def _charts(
    event: Event,
    requests: Counter[MeetingStatus],
    outcomes: Counter[MeetingOutcome],
    scheduled: list[Meeting],
) -> dict[str, str]:
    slots = event_slots(event)
    per_slot = Counter(m.starts_at for m in scheduled)
    return {
        "requests": render_bar_chart(
            [Bar(status.value.capitalize(), requests[status]) for status in MeetingStatus],
            title="Meeting requests by status",
        ),
        "outcomes": render_bar_chart(
            [Bar(label, outcomes[outcome]) for outcome, label in OUTCOME_LABELS.items()],
            title="Outcomes recorded by participants",
        ),
        "slots": render_bar_chart(
            [Bar(f"Slot {slot.index + 1}", per_slot[slot.start]) for slot in slots],
            title="Meetings per slot",
        ),
    }
