"""Services to SMEs (issue 19, part 0): what a monitored project offers SMEs and how its
deliveries are measured. Pure: the kinds of service the calls name, the units of a delivery
and their conversion to hours, the rating scale and the participants' notation of a training.

The kinds come from the calls' texts: "technical assistance" and "providing business support
for the adaptation of the technologies for SMEs" (strategic alliances, seed 001); "joint
services for SMEs (e.g. trainings, courses, recruitment, job facilitation, etc.)" (Euroclusters,
seed 002)."""

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from clusterbridge.domain.numbers import read_decimal

#: A working day, in hours: a delivery counted in days is this many hours per day.
HOURS_PER_DAY = Decimal(8)
MIN_RATING = 1
MAX_RATING = 5
#: The most hours or days one delivery may count (a year of working days).
MAX_QUANTITY = Decimal(2000)
#: The most people one organisation may send to one training session.
MAX_PEOPLE = 10_000


class ServiceKind(StrEnum):
    """The kinds of service to SMEs the seeds name."""

    TECHNICAL_ASSISTANCE = "technical_assistance"
    BUSINESS_SUPPORT = "business_support"
    TRAINING = "training"
    RECRUITMENT = "recruitment"
    OTHER = "other"


SERVICE_KIND_LABELS = {
    ServiceKind.TECHNICAL_ASSISTANCE: "Technical assistance",
    ServiceKind.BUSINESS_SUPPORT: "Business support for technology adoption",
    ServiceKind.TRAINING: "Training or course",
    ServiceKind.RECRUITMENT: "Recruitment or job facilitation",
    ServiceKind.OTHER: "Other service",
}


class ServiceUnit(StrEnum):
    """How a delivery's quantity is counted."""

    HOURS = "hours"
    DAYS = "days"


def hours_of(quantity: Decimal, unit: ServiceUnit) -> Decimal:
    """``quantity`` in hours: days count ``HOURS_PER_DAY`` (8) hours each."""
    return quantity * HOURS_PER_DAY if unit is ServiceUnit.DAYS else quantity


#: Why a quantity that reads as a number is refused.
QUANTITY_REASON = "is not a positive number with at most two decimals"


def read_quantity(text: str) -> Decimal | str:
    """A positive quantity of at most ``MAX_QUANTITY`` with at most two decimals ("1.5",
    "1,5"), or why ``text`` is not one: the reason of every form's reader (`read_decimal`:
    "1.000" is ambiguous, "1e-400" too small to store, "inf" no number), or
    ``QUANTITY_REASON``."""
    value = text.strip()
    number = read_decimal(value) if value else QUANTITY_REASON
    if isinstance(number, str):
        return number
    if number <= 0 or number > MAX_QUANTITY or number != number.quantize(Decimal("0.01")):
        return QUANTITY_REASON
    return number


@dataclass(frozen=True, slots=True)
class ParticipantLine:
    """One participant of a training as written: an organisation (``reference``: its PIC,
    registry number or whole name) with ``people`` trained, or a person's ``name`` (with the
    reference of their organisation, if given)."""

    reference: str | None
    people: int | None
    name: str | None


#: ``REF: N``: REF is a PIC, registry number or whole name (which may hold brackets, not a colon).
_COUNTED = re.compile(r"^(?P<ref>[^:]+?)\s*:\s*(?P<people>\d{1,6})\Z")
#: ``Name (REF)``: REF as above, without brackets.
_NAMED = re.compile(r"^(?P<name>[^()]+?)(?:\s*\(\s*(?P<ref>[^()]+?)\s*\))?\Z")


def parse_participants(text: str) -> list[ParticipantLine]:
    """The participants of ``text``, one per line or ``;``-separated item: ``REF: N`` is an
    organisation (its PIC, registry number or whole name ``REF``) with N people trained; any
    other item is a person's name, optionally followed by their organisation's reference in
    brackets (``Ana Silva (123)``, ``Ana Silva (Gears SME)``). Raises ValueError naming the
    first item that is neither."""
    lines: list[ParticipantLine] = []
    for raw in re.split(r"[;\n]", text):
        item = raw.strip()
        if not item:
            continue
        counted = _COUNTED.match(item)
        if counted:
            lines.append(ParticipantLine(counted["ref"], int(counted["people"]), None))
            continue
        named = _NAMED.match(item)
        if named is None or ":" in item:
            raise ValueError(f'"{item}" is neither "organisation: number of people" nor a name')
        lines.append(ParticipantLine(named["ref"], None, " ".join(named["name"].split())))
    return lines
