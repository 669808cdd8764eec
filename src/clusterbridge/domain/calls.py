"""A call for proposals as data: its facts and its eligibility rules, each citing the call text."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pydantic import BaseModel

from clusterbridge.domain.enums import CallStatus, RuleStatus

#: A word of a strand's id or title (``cultural-creative`` has two).
_WORD = re.compile(r"[^\W_]+")

#: The catalogue's note of where a document sits among the research seeds: not for readers.
_SEED_NOTE = re.compile(r"\s*\(seed \d+\)$")


def document_title(documents: Mapping[str, str], document: str) -> str:
    """The title of ``document`` among a call's ``documents``, as a reader knows it: without the
    catalogue's ``(seed 004)`` note; the key itself when the call does not list it."""
    return _SEED_NOTE.sub("", documents.get(document, document))


@dataclass(frozen=True, slots=True)
class Source:
    """Where a rule or fact comes from: a document of the call, the clause, and its exact words."""

    document: str
    section: str
    quote: str

    def cite(self, documents: Mapping[str, str]) -> str:
        """A one-line citation, e.g. ``Call page, "Eligible applicants": "be legal..."``."""
        title = document_title(documents, self.document)
        return f'{title}, "{self.section}": "{self.quote}"'


@dataclass(frozen=True, slots=True)
class Strand:
    """One strand (topic) of a call; a proposal addresses exactly one."""

    id: str
    title: str
    description: str = ""
    min_projects: int | None = None

    @property
    def label(self) -> str:
        """The strand as a list shows it: its title, followed by its id in brackets only when
        the title does not say every word of it ("Strand 1: ...", "Tourism", "Digital (3)")."""
        if set(_WORD.findall(self.id.casefold())) <= set(_WORD.findall(self.title.casefold())):
            return self.title
        return f"{self.title} ({self.id})"


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One eligibility rule of a call: a registered condition, its parameters and its source.

    ``params`` are validated against the condition's schema when the call is loaded.
    ``on_fail`` says what a failing condition means for the call: ``fail`` makes the consortium
    ineligible; ``warning`` flags something to justify in the proposal (e.g. a grant outside the
    indicative range). ``advice`` is shown with any non-pass outcome.
    """

    id: str
    title: str
    condition: str
    params: BaseModel
    source: Source
    on_fail: RuleStatus = RuleStatus.FAIL
    advice: str = ""


@dataclass(frozen=True, slots=True)
class Call:
    """A call for proposals with its facts and rules. Money is in whole euros."""

    id: str
    title: str
    programme: str
    summary: str
    documents: Mapping[str, str]
    rules: tuple[RuleSpec, ...]
    url: str | None = None
    budget_eur: int | None = None
    expected_projects: int | None = None
    grant_min_eur: int | None = None
    grant_max_eur: int | None = None
    deadline: datetime | None = None
    duration_min_months: int | None = None
    duration_max_months: int | None = None
    duration_indicative_months: int | None = None
    strands: tuple[Strand, ...] = ()
    priorities: tuple[str, ...] = ()
    funded_activities: tuple[str, ...] = ()
    eligible_countries: tuple[str, ...] = ()
    applicant_types: tuple[str, ...] = ()
    fact_sources: Mapping[str, Source] = field(default_factory=dict)

    def document_title(self, document: str) -> str:
        """The title of the call's ``document`` as a reader knows it (`document_title`)."""
        return document_title(self.documents, document)

    @property
    def duration_words(self) -> str | None:
        """The project duration the call states, in words: "24–36 months", "36 months" (both
        ends the same), "up to 36 months", "at least 12 months"; without a range, the indicative
        duration, "24 months (indicative)"; None when the call states no duration."""
        low, high = self.duration_min_months, self.duration_max_months
        if low is not None and high is not None:
            return f"{low}–{high} months" if low != high else f"{low} months"
        if high is not None:
            return f"up to {high} months"
        if low is not None:
            return f"at least {low} months"
        if self.duration_indicative_months is not None:
            return f"{self.duration_indicative_months} months (indicative)"
        return None

    def strand(self, strand_id: str) -> Strand | None:
        """The strand with this id, or None."""
        return next((s for s in self.strands if s.id == strand_id), None)

    def status(self, now: datetime) -> tuple[CallStatus, timedelta | None]:
        """Whether the call is open at ``now`` (aware), and the time left to its deadline."""
        if self.deadline is None:
            return CallStatus.NO_DEADLINE, None
        left = self.deadline - now
        return (CallStatus.OPEN if left > timedelta(0) else CallStatus.CLOSED), left
