"""Repairing the artefacts an export leaves in text: CSV quoting kept as text and stray white space.

The CORDIS files hold names such as ``"ACADEMIA TEHNICA MILITARA ""FERDINAND I""\"``: a value that
was quoted for CSV once too often, its quotes doubled and the whole wrapped in quotes. Such a
value is unquoted the way a CSV reader would; white space (runs of spaces, line breaks, tabs) is
folded to single spaces. A value that needs neither keeps its original text, character for
character.
"""

import csv
from collections import Counter
from dataclasses import dataclass, field

#: How many repaired values a report keeps as examples.
EXAMPLES_KEPT = 5


@dataclass(frozen=True, slots=True)
class Repair:
    """One value that was changed: where (``field`` of the record ``key``), before and after."""

    field: str
    key: str
    before: str
    after: str


@dataclass(slots=True)
class RepairLog:
    """The repairs of one import: a count per field and the first few as examples."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: list[Repair] = field(default_factory=list)

    def record(self, repair: Repair) -> None:
        """Count ``repair`` and keep it as an example while fewer than ``EXAMPLES_KEPT`` are."""
        self.counts[repair.field] += 1
        if len(self.examples) < EXAMPLES_KEPT:
            self.examples.append(repair)

    @property
    def total(self) -> int:
        """How many values were repaired."""
        return sum(self.counts.values())

    def describe(self) -> str:
        """The repairs in one sentence, e.g. ``Repaired 27 values: 16 names, 11 short names.``"""
        if not self.total:
            return "No value needed repairing."
        parts = ", ".join(
            f"{count} {_plural(name, count)}" for name, count in sorted(self.counts.items())
        )
        return f"Repaired {self.total} {_plural('value', self.total)}: {parts}."


def has_quoting_artefact(text: str) -> bool:
    """Whether ``text`` looks quoted for CSV once too often: it opens with a quote and either
    holds a doubled quote or also closes with one (``"A ""B""\"``, ``"ABC"``)."""
    return len(text) > 1 and text.startswith('"') and ('""' in text or text.endswith('"'))


def repair_text(text: str) -> str:
    """``text`` without quoting artefacts and with its white space folded to single spaces.

    Returns ``text`` itself (the same object) when nothing needed repairing.
    """
    unquoted = _unquote(text) if has_quoting_artefact(text) else text
    folded = " ".join(unquoted.split())
    return text if folded == text else folded


def repaired(text: str, *, field: str, key: str, log: RepairLog) -> str:
    """``repair_text(text)``, recording in ``log`` what changed (under ``field`` and ``key``)."""
    result = repair_text(text)
    if result != text:
        log.record(Repair(field, key, text, result))
    return result


def _unquote(text: str) -> str:
    return " ".join(next(csv.reader([text])))


def _plural(noun: str, count: int) -> str:
    if count == 1:
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
