"""A call's rules as the builder's model, judged by the eligibility engine itself.

The rules on the partners decompose over them: a per-partner rule passes when each partner
concerned passes; a count is a sum; distinct countries are a union; the bounds of a share
are sums (``share_bounds``). So each partner is checked *alone* by the engine against a probe
copy of the call whose counting rules ask for one partner, and the status of each rule is its
part: pass = counts (or passes) for certain, unknown = may, fail = does not. Shares take the
engine's own bounds for that partner. Nothing about a rule is re-implemented here; every
proposal is then checked again, whole, by the engine.

Rules on what is applied for (strand, duration, grant) are the same for every consortium and
are not encoded; rules of conditions unknown to the builder are reported as not encoded.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from clusterbridge.domain.calls import Call, RuleSpec
from clusterbridge.domain.consortium import Application, Consortium, Partner
from clusterbridge.domain.eligibility.composition_conditions import share_bounds
from clusterbridge.domain.eligibility.evaluate import evaluate
from clusterbridge.domain.eligibility.filters import PartnerFilter
from clusterbridge.domain.eligibility.index import PartnerIndex
from clusterbridge.domain.enums import FAIL, PASS, UNKNOWN, WARNING, RuleStatus
from clusterbridge.engines.consortium.problem import NEUTRAL, Part, RuleKind, RuleModel

KINDS: dict[str, RuleKind] = {
    "legal_entity": RuleKind.EACH,
    "country_eligible": RuleKind.EACH,
    "applicant_type": RuleKind.EACH,
    "min_partners": RuleKind.COUNT,
    "min_partners_in_region": RuleKind.COUNT,
    "min_distinct_countries": RuleKind.COUNTRIES,
    "min_share": RuleKind.SHARE,
}
#: Conditions on what is applied for, not on the partners: the same for every proposal.
PROPOSAL_CONDITIONS = frozenset({"one_strand", "duration", "grant_range"})


@dataclass(frozen=True)
class Encoding:
    """The call's partner rules for the model, the probe call that judges one partner, and the
    ids of the rules left out: on what is applied for, or of conditions the builder does not
    know (those are checked only on the whole proposal)."""

    call: Call
    rules: tuple[RuleModel, ...]
    specs: tuple[RuleSpec, ...]
    probe: Call
    proposal_rules: tuple[str, ...]
    unencoded: tuple[str, ...]


def encode_call(call: Call) -> Encoding:
    """The encoding of ``call``'s rules. Pure."""
    specs = tuple(rule for rule in call.rules if rule.condition in KINDS)
    models = tuple(_model(rule) for rule in specs)
    probe = replace(call, rules=tuple(_probe_rule(rule) for rule in specs))
    return Encoding(
        call=call,
        rules=models,
        specs=specs,
        probe=probe,
        proposal_rules=tuple(r.id for r in call.rules if r.condition in PROPOSAL_CONDITIONS),
        unencoded=tuple(
            r.id for r in call.rules if r.condition not in KINDS.keys() | PROPOSAL_CONDITIONS
        ),
    )


def _model(rule: RuleSpec) -> RuleModel:
    kind, params = KINDS[rule.condition], rule.params
    minimum = int(getattr(params, "min", 0) or 0)
    share = getattr(params, "ratio", (0, 1)) if kind is RuleKind.SHARE else (0, 1)
    return RuleModel(rule.id, rule.title, kind, minimum, share, rule.on_fail is FAIL)


def _probe_rule(rule: RuleSpec) -> RuleSpec:
    """``rule`` asking for one partner where it counts: what one partner alone brings."""
    if KINDS[rule.condition] not in {RuleKind.COUNT, RuleKind.COUNTRIES}:
        return rule
    raw: dict[str, Any] = rule.params.model_dump() | {"min": 1}
    return replace(rule, params=type(rule.params).model_validate(raw))


class PartJudge:
    """Judges partners one at a time against an encoding, remembering partners that look the
    same to the rules (same role, type, profile, flags, country and NUTS code)."""

    def __init__(self, encoding: Encoding, *, strand: str | None, now: datetime) -> None:
        self.encoding = encoding
        self.strand = strand
        self.now = now
        self._seen: dict[Partner, tuple[Part, ...]] = {}

    def parts(self, partner: Partner) -> tuple[Part, ...]:
        """One part per encoded rule for ``partner``."""
        key = replace(partner, name="", pic=None, email=None, website=None)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = self._judge(key)
        return found

    def parts_of(self, partners: Iterable[Partner]) -> list[tuple[Part, ...]]:
        """``parts`` of each partner, in order."""
        return [self.parts(partner) for partner in partners]

    def _judge(self, partner: Partner) -> tuple[Part, ...]:
        application = Application(Consortium((partner,)), strand=self.strand)
        report = evaluate(self.encoding.probe, application, now=self.now)
        index = PartnerIndex((partner,))
        return tuple(
            _part(model, spec, outcome.status, partner, index)
            for model, spec, outcome in zip(
                self.encoding.rules, self.encoding.specs, report.outcomes, strict=True
            )
        )


def _part(
    model: RuleModel, spec: RuleSpec, status: RuleStatus, partner: Partner, index: PartnerIndex
) -> Part:
    if model.kind is RuleKind.SHARE:
        params: Any = spec.params
        bounds = share_bounds(params.among.masks(index), params.require.quality_masks(index))
        return Part(
            certain=bounds.low > 0,
            possible=bounds.high > 0,
            bounds=(bounds.low, bounds.low_of, bounds.high, bounds.high_of),
        )
    if model.kind is RuleKind.EACH:
        among: PartnerFilter | None = getattr(spec.params, "among", None)
        if among is not None and not among.masks(index).possible:
            return NEUTRAL  # the rule does not concern this partner
        return Part(
            certain=status in {PASS, WARNING},
            possible=status is not FAIL,
            warning=status is WARNING,
        )
    return Part(
        certain=status is PASS,
        possible=status in {PASS, UNKNOWN},
        country=partner.country if model.kind is RuleKind.COUNTRIES else "",
    )
