"""The builder's outcome as JSON-ready values: the API's answer, the CLI's output and the
result of a ``builder.build`` job are all this."""

from typing import Any

from clusterbridge.reports.serialise import report_to_dict
from clusterbridge.services.builder.build import BuildOutcome
from clusterbridge.services.builder.proposals import Proposal

JSON = dict[str, Any]


def describe_outcome(outcome: BuildOutcome) -> JSON:
    """The proposals (best first) and how they were found: mode, call, strand, registry and
    shortlist sizes, the solver's last status, the seconds of each stage, notes, and the
    given partners (name and country)."""
    return {
        "mode": outcome.mode.value,
        "call_id": outcome.call.id,
        "strand": outcome.strand,
        "registry": outcome.registry,
        "shortlist": outcome.shortlist,
        "stopped": outcome.stopped.value,
        "seconds": {stage: round(value, 4) for stage, value in outcome.seconds.items()},
        "notes": list(outcome.notes),
        "members": [{"name": p.name, "country": p.country} for p in outcome.members],
        "proposals": [describe_proposal(p) for p in outcome.proposals],
    }


def describe_proposal(proposal: Proposal) -> JSON:
    """One proposal: what it adds (``id`` is the PIC) and removes (``position`` in the given
    team), the whole eligibility report, and how the solver found it. What a person reads:
    ``match`` and ``band`` (the added partners' mean match from 0 to 100, ``None`` when it adds
    nobody), ``rules_helped`` (the ids of the call's rules its added partners help pass) of
    ``rules_total``; per added partner, ``match``, ``band`` and ``helps`` (rule ids). ``score``
    and ``relevance`` are the solver's units, kept for compatibility."""
    return {
        "number": proposal.number,
        "status": proposal.status.value,
        "optimal": proposal.status.value == "optimal",
        "objective": proposal.objective,
        "bound": proposal.bound,
        "seconds": round(proposal.seconds, 4),
        "score": proposal.score,
        "match": proposal.match,
        "band": proposal.band,
        "rules_helped": list(proposal.rules_helped),
        "rules_total": len(proposal.report.call.rules),
        "proven_rules": list(proposal.proven),
        "added": [
            {
                "id": a.pic,
                "organisation_id": a.organisation_id,
                "name": a.name,
                "country": a.country,
                "relevance": a.relevance,
                "match": a.match,
                "band": a.band,
                "helps": list(a.helps),
                "rules": list(a.rules),
                "reasons": list(a.reasons),
            }
            for a in proposal.added
        ],
        "removed": [
            {
                "id": r.pic,
                "position": r.position,
                "name": r.name,
                "country": r.country,
                "why": list(r.why),
            }
            for r in proposal.removed
        ],
        "report": report_to_dict(proposal.report),
    }
