"""The counts of a project's services to SMEs over a date range (ADR 0031), the computed sources of its
indicators ("services delivered", "people trained", "SMEs supported", hours of service).

Every function takes the project and a range of days, ``start`` and ``end`` both included,
and looks at the deliveries whose date falls in it. None checks who asks (the callers do) and
none writes. The rules that keep them from counting twice:

- a delivery counts once, however many organisations took part in it (a training session of
  twenty people from five SMEs is one service delivered);
- its time counts once: a session's duration, not the duration times its participants;
- an organisation is one organisation, however many deliveries it received or sessions it
  attended (`supported_organisation_ids` is a set, to be united with other sources);
- a named participant is one person, however many sessions (of the range) they attended:
  the same name, case and spacing aside, of the same organisation (or of none). People counted
  by number ("SME X: 4 people") cannot be told apart, so each session's number adds up:
  record people by name when the same people attend several sessions.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.repositories import sme_services as repository
from clusterbridge.domain.sme_services import hours_of


def services_delivered(session: Session, project_id: int, start: date, end: date) -> int:
    """How many deliveries of the project's services (training sessions included, each
    once) are dated from ``start`` to ``end``. Reads only."""
    return repository.count_deliveries(session, project_id, start, end)


def people_trained(session: Session, project_id: int, start: date, end: date) -> int:
    """How many people the project's training sessions (deliveries of its training-kind
    services) dated from ``start`` to ``end`` trained: the people counted by number, session
    by session, plus the distinct named participants (see the module docstring). Reads
    only."""
    counted = 0
    named: set[tuple[str, int | None]] = set()
    for participant in repository.training_participants(session, project_id, start, end):
        if participant.name is None:
            counted += participant.people
        else:
            named.add((" ".join(participant.name.split()).casefold(), participant.organisation_id))
    return counted + len(named)


def supported_organisation_ids(
    session: Session, project_id: int, start: date, end: date
) -> set[int]:
    """The ids of the registry organisations that received a delivery of the project dated
    from ``start`` to ``end``, or took part in one of its training sessions then (by number
    or through a named participant). Every organisation, SME or not: the caller keeps the
    SMEs (``Organisation.is_sme``) and unites these with its other sources. Reads only."""
    return repository.recipient_ids(session, project_id, start, end)


def service_hours(session: Session, project_id: int, start: date, end: date) -> Decimal:
    """The time the project's deliveries dated from ``start`` to ``end`` took, in hours: a
    delivery counted in days is 8 hours a day (`domain.sme_services.HOURS_PER_DAY`); each
    training session counts its duration once. Decimal, two places. Reads only."""
    total = sum(
        (hours_of(quantity, unit) for quantity, unit in repository.quantities(
            session, project_id, start, end
        )),
        Decimal(0),
    )  # fmt: skip
    return total.quantize(Decimal("0.01"))
