"""What a condition finds, with words that are built only when they are read.

A check only needs each rule's status to reach a verdict. Listing the partners a message is
about costs more than deciding the status, and most reports are never shown (the benchmark,
``--all-calls`` keeping the best strand, a consortium builder trying many pairs). So a condition
may give its message as a function of no arguments (``functools.partial`` of a module-level
function), and the partners as a bit mask; the report turns them into words when a finding is
read (see ADR 0007).

A deferred message should hold strings, ints and tuples of them (``PartnerIndex.roster`` rather
than the index or the partners), or objects that outlive the report anyway (the call): a kept
report then holds little that the garbage collector has to walk. It is built from what it
captured at check time, so it must capture nothing that changes afterwards.
"""

from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from clusterbridge.domain.enums import RuleStatus

#: A message, or a function of no arguments that builds it.
Text = str | Callable[[], str]

#: The partners a finding names: their names, or the bit mask of them (bit ``i`` stands for the
#: consortium's i-th partner), turned into names when the finding is built.
Names = tuple[str, ...] | int


class Outcome(NamedTuple):
    """What a condition found: a status, a sentence saying why, and the partners concerned.

    A NamedTuple rather than a frozen dataclass: one is built per rule per check, on the hot path.
    The message may be deferred and the partners given as a mask (see above).
    """

    status: RuleStatus
    message: Text
    partners: Names = ()


def render(text: Text) -> str:
    """The message itself, built now if it was deferred."""
    return text if isinstance(text, str) else text()


def joined(*texts: Text) -> Text:
    """The texts joined by spaces, built when read (at once when every part is a string)."""
    built = [text for text in texts if isinstance(text, str)]
    return " ".join(built) if len(built) == len(texts) else partial(_join, *texts)


def _join(*texts: Text) -> str:
    return " ".join(map(render, texts))
