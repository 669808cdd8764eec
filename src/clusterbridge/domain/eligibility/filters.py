"""Which partners a rule looks at, as data: a conjunction of attribute tests.

A filter is written in a call file, e.g. ``among = { roles = ["coordinator", "beneficiary"],
types = ["cluster_organisation", "cluster_network"] }``, and compiled once into a fast
three-valued selection over a consortium's index: a partner whose role is not known *may* be an
applicant.
"""

from functools import cached_property

from pydantic import BaseModel, ConfigDict

from clusterbridge.domain.eligibility.index import Masks, PartnerIndex
from clusterbridge.domain.enums import APPLICANT_ROLES, OrgType, Role, SmeProfile

ROLE_NOUNS: dict[frozenset[Role], str] = {
    frozenset(APPLICANT_ROLES): "applicants",
    frozenset(APPLICANT_ROLES | {Role.AFFILIATED_ENTITY}): "applicants and affiliated entities",
    frozenset(Role): "partners",
}
ROLE_PLURALS: dict[Role, str] = {
    Role.COORDINATOR: "coordinators",
    Role.BENEFICIARY: "beneficiaries",
    Role.AFFILIATED_ENTITY: "affiliated entities",
    Role.ASSOCIATED_PARTNER: "associated partners",
}
#: Organisation types in the plural, as rule messages use them.
TYPE_WORDS: dict[OrgType, str] = {
    OrgType.CLUSTER_ORGANISATION: "cluster organisations",
    OrgType.CLUSTER_NETWORK: "cluster networks",
    OrgType.BUSINESS_NETWORK: "business network organisations",
    OrgType.SME: "SMEs",
    OrgType.LARGE_ENTERPRISE: "large enterprises",
    OrgType.TECHNOLOGY_CENTRE: "technology centres",
    OrgType.RESEARCH_ORGANISATION: "research organisations",
    OrgType.UNIVERSITY: "universities",
    OrgType.PUBLIC_BODY: "public bodies",
    OrgType.OTHER: "organisations of another type",
    OrgType.NATURAL_PERSON: "natural persons",
}
#: Organisation types in the singular, with their article, as messages use them.
TYPE_NOUNS: dict[OrgType, str] = {
    OrgType.CLUSTER_ORGANISATION: "a cluster organisation",
    OrgType.CLUSTER_NETWORK: "a cluster network",
    OrgType.BUSINESS_NETWORK: "a business network organisation",
    OrgType.SME: "an SME",
    OrgType.LARGE_ENTERPRISE: "a large enterprise",
    OrgType.TECHNOLOGY_CENTRE: "a technology centre",
    OrgType.RESEARCH_ORGANISATION: "a research organisation",
    OrgType.UNIVERSITY: "a university",
    OrgType.PUBLIC_BODY: "a public body",
    OrgType.OTHER: "an organisation of another type",
    OrgType.NATURAL_PERSON: "a natural person",
}


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

    @cached_property
    def qualities_key(self) -> tuple[tuple[str, frozenset[object]], ...]:
        """The filter without its role test."""
        return self.key[1:]

    @cached_property
    def memo_keys(self) -> tuple[str, str]:
        """``key`` and ``qualities_key`` as text: a string caches its hash, a tuple does not."""
        return _key_text(self.key), _key_text(self.qualities_key)

    def masks(self, index: PartnerIndex) -> Masks:
        """The partners that certainly and possibly match, memoised in the index."""
        memo_key = self.memo_keys[0]
        found = index.memo.get(memo_key)
        return _masks(index, memo_key, self.key) if found is None else found

    def quality_masks(self, index: PartnerIndex) -> Masks:
        """The partners that have the filter's qualities, whatever their role."""
        memo_key = self.memo_keys[1]
        found = index.memo.get(memo_key)
        return _masks(index, memo_key, self.qualities_key) if found is None else found

    def _checks(self) -> list[tuple[str, frozenset[object]]]:
        checks: list[tuple[str, frozenset[object]]] = [("role", frozenset(self.roles))]
        if self.types is not None:
            checks.append(("type", frozenset(self.types)))
        if self.sme_profiles is not None:
            # A profile describes an SME: the registry records one for research organisations,
            # universities... that CORDIS flags as SMEs, and these are no SMEs of the rules.
            checks.append(("type", frozenset({OrgType.SME})))
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
        """The filter in words: ``applicants that are cluster organisations or cluster networks``."""
        noun = ROLE_NOUNS.get(frozenset(self.roles)) or " and ".join(
            ROLE_PLURALS[r] for r in self.roles
        )
        qualities = self.qualities
        return f"{noun} that are {qualities}" if qualities else noun

    @cached_property
    def qualities(self) -> str:
        """What the filter asks beyond the role: ``SMEs registered on the ECCP``, or ``""``."""
        nouns = []
        if self.types is not None:
            nouns.append(" or ".join(TYPE_WORDS[t] for t in self.types))
        if self.sme_profiles is not None:
            profiles = " or ".join(p.value.replace("_", "-") for p in self.sme_profiles)
            nouns.append(f"{profiles} SMEs")
        if self.legal_entity is not None:
            nouns.append("legal entities" if self.legal_entity else "not legal entities")
        words = [" and ".join(nouns)] if nouns else []
        if self.eccp_registered is not None:
            words.append(
                "registered on the ECCP" if self.eccp_registered else "not registered on the ECCP"
            )
        return " ".join(words)


def _key_text(key: tuple[tuple[str, frozenset[object]], ...]) -> str:
    return ";".join(f"{attribute}={sorted(map(str, allowed))}" for attribute, allowed in key)


def _masks(
    index: PartnerIndex, memo_key: str, key: tuple[tuple[str, frozenset[object]], ...]
) -> Masks:
    certain, possible = index.everyone, index.everyone
    for attribute, allowed in key:
        having = index.having_any(attribute, allowed)
        certain &= having
        possible &= having | index.unknown[attribute]
    found = index.memo[memo_key] = Masks(certain, possible)
    return found
