"""Which partners a rule looks at, as data: a conjunction of attribute tests.

A filter is written in a call file, e.g. ``among = { roles = ["coordinator", "beneficiary"],
types = ["cluster_organisation", "cluster_network"] }``, and compiled once into a fast
three-valued selection over a consortium's index: a partner whose role is not known *may* be an
applicant.
"""

from functools import cached_property

from pydantic import BaseModel, ConfigDict

from clusterbridge.domain.consortium import Partner
from clusterbridge.domain.enums import APPLICANT_ROLES, OrgType, Role, SmeProfile
from clusterbridge.domain.eligibility.index import Masks, PartnerIndex

ROLE_NOUNS: dict[frozenset[Role], str] = {
    frozenset(APPLICANT_ROLES): "applicants",
    frozenset(APPLICANT_ROLES | {Role.AFFILIATED_ENTITY}): "applicants and affiliated entities",
    frozenset(Role): "partners",
}
TYPE_WORDS: dict[OrgType, str] = {t: t.value.replace("_", " ") for t in OrgType}


class PartnerFilter(BaseModel):
    """Partners with these roles, types, SME profiles and flags (every given field must hold)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    roles: tuple[Role, ...] = tuple(sorted(APPLICANT_ROLES))
    types: tuple[OrgType, ...] | None = None
    sme_profiles: tuple[SmeProfile, ...] | None = None
    legal_entity: bool | None = None
    eccp_registered: bool | None = None

    @cached_property
    def key(self) -> tuple[tuple[str, frozenset[object]], ...]:
        """The filter as hashable data; equal filters share one memo entry per consortium."""
        return tuple(self._checks())

    def masks(self, index: PartnerIndex) -> Masks:
        """The partners that certainly and possibly match, memoised in the index."""
        found = index.memo.get(self.key)
        if found is None:
            certain, possible = index.everyone, index.everyone
            for attribute, allowed in self.key:
                having = index.having(attribute, allowed)
                certain &= having
                possible &= having | index.unknown[attribute]
            found = index.memo[self.key] = Masks(certain, possible)
        return found

    def _checks(self) -> list[tuple[str, frozenset[object]]]:
        checks: list[tuple[str, frozenset[object]]] = [("role", frozenset(self.roles))]
        if self.types is not None:
            checks.append(("type", frozenset(self.types)))
        if self.sme_profiles is not None:
            checks.append(("sme_profile", frozenset(self.sme_profiles)))
        if self.legal_entity is not None:
            checks.append(("legal_entity", frozenset({self.legal_entity})))
        if self.eccp_registered is not None:
            checks.append(("eccp_registered", frozenset({self.eccp_registered})))
        return checks

    @cached_property
    def description(self) -> str:
        """The filter in words (computed once)."""
        return self.describe()

    def describe(self) -> str:
        """The filter in words, e.g. ``applicants that are cluster organisation or cluster network``."""
        noun = ROLE_NOUNS.get(frozenset(self.roles)) or " and ".join(
            f"{r.value.replace('_', ' ')}s" for r in self.roles
        )
        qualities = []
        if self.types is not None:
            qualities.append(" or ".join(TYPE_WORDS[t] for t in self.types))
        if self.sme_profiles is not None:
            qualities.append(" or ".join(f"{p.value.replace('_', '-')} SME" for p in self.sme_profiles))
        if self.legal_entity is not None:
            qualities.append("legal entities" if self.legal_entity else "not legal entities")
        if self.eccp_registered is not None:
            qualities.append(
                "registered on the ECCP" if self.eccp_registered else "not registered on the ECCP"
            )
        return f"{noun} that are {', '.join(qualities)}" if qualities else noun


def missing_fields(partner: Partner, fields: tuple[str, ...]) -> list[str]:
    """The fields among ``fields`` that are not known for ``partner``."""
    return [name for name in fields if getattr(partner, name) is None]
