"""A monitored project's analysis (issue 19, part 5): the opportunities and threats SMEs meet when
they adopt advanced technologies, the evidence each rests on, and the policy recommendations
that cite them. Pure: the kinds, audiences and the numbering of the exported document."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_LABEL = 500
#: At most this many evidence links per finding, technologies or ecosystems per finding.
MAX_LINKS = 30


class FindingKind(StrEnum):
    """What a finding is for SMEs adopting advanced technologies."""

    OPPORTUNITY = "opportunity"
    THREAT = "threat"


FINDING_KIND_LABELS = {FindingKind.OPPORTUNITY: "Opportunity", FindingKind.THREAT: "Threat"}


class EvidenceKind(StrEnum):
    """What a finding's evidence is. Each kind has a resolver in the service layer that checks
    the item belongs to the project's partners and writes the label kept with the link."""

    MATURITY_ASSESSMENT = "maturity_assessment"
    READINESS = "readiness"
    OUTCOME = "outcome"
    DOCUMENT = "document"
    INDICATOR_VALUE = "indicator_value"


EVIDENCE_KIND_LABELS = {
    EvidenceKind.MATURITY_ASSESSMENT: "Digital maturity assessment",
    EvidenceKind.READINESS: "Cluster excellence readiness",
    EvidenceKind.OUTCOME: "Meeting or exchange outcome",
    EvidenceKind.DOCUMENT: "Document",
    EvidenceKind.INDICATOR_VALUE: "Indicator value",
}


class Audience(StrEnum):
    """Whom a policy recommendation addresses."""

    EU = "eu"
    NATIONAL = "national"
    REGIONAL = "regional"
    CLUSTER = "cluster"


AUDIENCE_LABELS = {
    Audience.EU: "European Union",
    Audience.NATIONAL: "National authorities",
    Audience.REGIONAL: "Regional authorities",
    Audience.CLUSTER: "Cluster organisations",
}
#: Whom a recommendation addresses, as the document says it ("R1. To national authorities").
AUDIENCE_ADDRESSEES = {
    Audience.EU: "the European Union",
    Audience.NATIONAL: "national authorities",
    Audience.REGIONAL: "regional authorities",
    Audience.CLUSTER: "cluster organisations",
}


@dataclass(frozen=True, slots=True)
class EvidenceKey:
    """One piece of evidence as the document cites it: its kind, its id and its label."""

    kind: EvidenceKind
    ref_id: int
    label: str


def number_references(evidence: Sequence[Sequence[EvidenceKey]]) -> list[EvidenceKey]:
    """The document's list of references: every finding's evidence in the findings' order, each
    item (kind and id) once, at its first appearance. Its 1-based place is its number."""
    seen: dict[tuple[EvidenceKind, int], EvidenceKey] = {}
    for keys in evidence:
        for key in keys:
            seen.setdefault((key.kind, key.ref_id), key)
    return list(seen.values())
