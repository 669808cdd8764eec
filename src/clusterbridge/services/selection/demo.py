"""The demo's open call: a call written in the app by the demo's administrator (a programme
officer's role) and published, so that the demo account can send it a proposal from its
consortium, and the administrator evaluate it once its deadline has passed.

Its deadline is ``DAYS_OPEN`` days after the demo is prepared, at 17:00 in Brussels. While
nobody has sent it a proposal (and its selection is not published), each later start of the
demo moves the deadline to ``DAYS_OPEN`` days after that start, never earlier: a demo database
kept for months still has an open call to send a proposal to. Once a proposal was sent, the
call keeps its deadline (closed once it has passed, ready to be evaluated). A demo left
running keeps the deadline it started with until it is started again."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clusterbridge.db.models import User
from clusterbridge.db.repositories import selection as repository
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.selection.call_drafts import CallDraft, CriterionDraft, StrandDraft
from clusterbridge.services.selection.calls import create_call, extend_deadline, publish_call

DEMO_CALL = "DEMO-ALLIANCES"
TIME_ZONE = "Europe/Brussels"
#: The call takes proposals for this many days after the demo is prepared.
DAYS_OPEN = 60
CLOSING_TIME = time(17, 0)
RULES = """\
[documents]
call = "Demo call text DEMO-ALLIANCES (written for the clusterbridge demo)"

[[rules]]
id = "three-applicants"
title = "At least three applicants (affiliated entities do not count)"
condition = "min_partners"
params = { min = 3 }
source = { document = "call", section = "Eligible applicants", quote = "Proposals are submitted by a consortium of at least three applicants." }

[[rules]]
id = "eu-member-states"
title = "Applicants are established in EU Member States"
condition = "country_eligible"
params = { among = { roles = ["coordinator", "beneficiary"] }, countries = ["eu_member_states"] }
source = { document = "call", section = "Eligible applicants", quote = "Applicants must be established in an EU Member State." }

[[rules]]
id = "one-strand"
title = "The proposal addresses one strand"
condition = "one_strand"
source = { document = "call", section = "Strands", quote = "Each proposal addresses one of the two strands." }
"""


@dataclass(frozen=True, slots=True)
class DemoCall:
    """The demo call's identifier (its address: ``/calls/<identifier>``) and its deadline."""

    identifier: str
    closes_at: datetime | None
    #: Whether this run wrote it (it was missing).
    added: bool = False
    #: The deadline it had before this run moved it later, None when it did not move.
    moved_from: datetime | None = None


def prepare_demo_call(
    session: Session, officer: User, *, catalogue: Catalogue, now: datetime
) -> DemoCall:
    """Unless it exists, write the demo call as ``officer`` (the demo's administrator) and
    publish it at ``now``: consortia of three applicants or more from EU Member States, two
    strands, projects of 12 to 36 months. An existing one nobody has sent a proposal gets the
    deadline a call written at ``now`` would have, if that is later (module docstring).
    Writes; sends no mail."""
    existing = repository.find_call(session, DEMO_CALL)
    if existing is not None:
        before = existing.closes_at
        moved = existing.published_at is not None and extend_deadline(
            session, existing, _deadline(now), catalogue=catalogue
        )
        return DemoCall(
            existing.identifier, existing.closes_at, moved_from=before if moved else None
        )
    row = create_call(session, officer, _draft(now), catalogue=catalogue)
    publish_call(session, officer, row.id, now=now)
    return DemoCall(row.identifier, row.closes_at, added=True)


def _local_deadline(now: datetime) -> datetime:
    """17:00 on the day ``DAYS_OPEN`` days after ``now`` in Brussels, as a local time."""
    day = now.astimezone(ZoneInfo(TIME_ZONE)).date() + timedelta(days=DAYS_OPEN)
    return datetime.combine(day, CLOSING_TIME)


def _deadline(now: datetime) -> datetime:
    return _local_deadline(now).replace(tzinfo=ZoneInfo(TIME_ZONE))


def _draft(now: datetime) -> CallDraft:
    return CallDraft(
        identifier=DEMO_CALL,
        title="Alliances of traditional and tech-savvy SMEs (demo call)",
        summary=(
            "A call written in clusterbridge for the demo: consortia of cluster organisations "
            "and SMEs help traditional SMEs adopt advanced technologies, or build green and "
            "circular value chains."
        ),
        rules=RULES,
        budget=2_000_000,
        deadline=_local_deadline(now),
        time_zone=TIME_ZONE,
        max_projects=4,
        max_grant=600_000,
        duration_min_months=12,
        duration_max_months=36,
        strands=(
            StrandDraft("1", "Advanced technologies for traditional SMEs", 1),
            StrandDraft("2", "Green and circular value chains"),
        ),
        criteria=(
            CriterionDraft("relevance", Decimal(30), Decimal(21)),
            CriterionDraft("quality", Decimal(30), Decimal(21)),
            CriterionDraft("impact", Decimal(40), Decimal(28)),
        ),
        overall_threshold=Decimal(70),
        tie_break=("uncovered_strand", "relevance", "impact"),
    )
