"""Conditions every partner concerned must meet: country, legal entity, organisation type."""

from functools import cached_property
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from clusterbridge.domain.eligibility.conditions import Condition, Context, Outcome, register
from clusterbridge.domain.eligibility.filters import TYPE_WORDS, PartnerFilter
from clusterbridge.domain.enums import FAIL, PASS, UNKNOWN, WARNING, OrgType
from clusterbridge.domain.geography import CountryScope, resolve_country_scope


class AmongParams(BaseModel):
    """Parameters of a condition over the partners selected by ``among``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    among: PartnerFilter = PartnerFilter()


class Judged(NamedTuple):
    """A per-partner rule's partners as masks: concerned, passed, failed, unknown.

    A partner that fails the test but is only *possibly* concerned (its role is unknown) is
    unknown, not failed: the rule would fail only if it is indeed concerned.
    """

    concerned: int
    passed: int
    failed: int
    unknown: int
    surely_concerned: int


def judge_each(context: Context, among: PartnerFilter, *, passes: int, fails: int) -> Judged:
    """Combine the selection ``among`` with the partners that pass and fail the test."""
    selected = among.masks(context.index)
    concerned = selected.possible
    passed = concerned & passes
    failed = selected.certain & fails
    unknown = concerned & ~passed & ~failed
    return Judged(concerned, passed, failed, unknown, selected.certain)


ROLE_MISSING = "its role is not given (column role)"
NATURAL_PERSONS = frozenset({OrgType.NATURAL_PERSON})
YES, NO = frozenset({True}), frozenset({False})


def summarise_each(
    context: Context, *, among: PartnerFilter, judged: Judged, ok: str, not_ok: str, missing: str
) -> Outcome:
    """The outcome of a per-partner condition, naming the partners that fail or lack data.

    ``missing`` says what is missing for a partner surely concerned; for one whose role is not
    known, the role is what is missing.
    """
    noun, index = among.description, context.index
    if not judged.concerned:
        return Outcome(UNKNOWN, f"The consortium has no {noun} to check.")
    total = judged.concerned.bit_count()
    if judged.failed:
        failed = judged.failed
        message = f"{failed.bit_count()} of {total} {noun} {not_ok}: {index.labels_of(failed)}."
        return Outcome(FAIL, message, index.names(failed))
    if judged.unknown:
        role_unknown = judged.unknown & ~judged.surely_concerned
        sentences = [
            f"Cannot tell for {index.labels_of(group)}: {why}."
            for group, why in (
                (judged.unknown & ~role_unknown, missing),
                (role_unknown, ROLE_MISSING),
            )
            if group
        ]
        return Outcome(UNKNOWN, " ".join(sentences), index.names(judged.unknown))
    if not judged.surely_concerned:
        # Every partner passes, but none is surely concerned: the rule may have no one to check.
        message = f"No partner is surely one of the {noun}: {index.labels_of(judged.concerned)}: {ROLE_MISSING}."
        return Outcome(UNKNOWN, message, index.names(judged.concerned))
    return Outcome(PASS, f"All {judged.passed.bit_count()} {noun} {ok}.")


@register
class LegalEntity(Condition[AmongParams]):
    """Every partner concerned is a legal entity (natural persons are not)."""

    name = "legal_entity"
    description = "Each partner concerned is a legal entity."
    params_model = AmongParams

    def check(self, params: AmongParams, context: Context) -> Outcome:
        """Pass when each partner concerned says ``legal_entity = yes`` and is no natural person."""
        index = context.index
        natural = index.having("type", NATURAL_PERSONS)
        judged = judge_each(
            context,
            params.among,
            passes=index.having("legal_entity", YES) & ~natural,
            fails=index.having("legal_entity", NO) | natural,
        )
        return summarise_each(
            context,
            among=params.among,
            judged=judged,
            ok="are legal entities",
            not_ok="are not legal entities",
            missing="whether it is a legal entity is not given (column legal_entity)",
        )


class CountryParams(AmongParams):
    """``countries``: set names (``eu_member_states``, ``eea_efta``, ``octs``, ...) or codes."""

    countries: tuple[str, ...]

    @field_validator("countries")
    @classmethod
    def _resolvable(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        resolve_country_scope(value)  # raises ValueError naming the bad entry
        return value

    @cached_property
    def scope(self) -> CountryScope:
        """The resolved countries."""
        return resolve_country_scope(self.countries)


@register
class CountryEligible(Condition[CountryParams]):
    """Every partner concerned is established in an eligible country."""

    name = "country_eligible"
    description = "Each partner concerned is established in one of the eligible countries."
    params_model = CountryParams

    def check(self, params: CountryParams, context: Context) -> Outcome:
        """Fail on a partner outside the scope; warn on one eligible only through an unverified list."""
        scope, index = params.scope, context.index
        inside = index.in_countries(scope.members)
        outcome = summarise_each(
            context,
            among=params.among,
            judged=judge_each(context, params.among, passes=inside, fails=index.everyone & ~inside),
            ok=f"are established in eligible countries ({scope.title})",
            not_ok=f"are not established in an eligible country ({scope.title})",
            missing=ROLE_MISSING,
        )
        doubtful = index.in_countries(scope.unverified) & params.among.masks(index).possible
        if outcome.status is not PASS or not doubtful:
            return outcome
        message = (
            f"{outcome.message} The participation of {index.labels_of(doubtful)} rests on a list "
            "of associated countries that clusterbridge's reference data does not confirm: "
            "check the programme's list of participating countries."
        )
        return Outcome(WARNING, message, index.names(doubtful))


class TypeParams(AmongParams):
    """Allowed organisation types, or excluded ones; ``others`` says what any other type means."""

    allowed: tuple[OrgType, ...] | None = None
    excluded: tuple[OrgType, ...] | None = None
    others: Literal["fail", "warning"] = "fail"
    others_reason: str = ""

    @model_validator(mode="after")
    def _one_list(self) -> "TypeParams":
        if (self.allowed is None) == (self.excluded is None):
            msg = "give exactly one of 'allowed' and 'excluded'"
            raise ValueError(msg)
        return self

    @cached_property
    def accepted(self) -> frozenset[OrgType]:
        """The organisation types acceptable without justification."""
        if self.allowed is not None:
            return frozenset(self.allowed)
        return frozenset(OrgType) - frozenset(self.excluded or ())

    @cached_property
    def rejected(self) -> frozenset[OrgType]:
        """The other organisation types."""
        return frozenset(OrgType) - self.accepted

    @cached_property
    def words(self) -> tuple[str, str]:
        """What passing and failing partners are, in words: (``are SMEs``, ``are not SMEs``)."""
        if self.allowed is not None:
            types = " or ".join(TYPE_WORDS[t] for t in self.allowed)
            return f"are {types}", f"are not {types}"
        types = " or ".join(TYPE_WORDS[t] for t in self.excluded or ())
        return f"are other than {types}", f"are {types}"


@register
class ApplicantType(Condition[TypeParams]):
    """Every partner concerned is of an accepted organisation type."""

    name = "applicant_type"
    description = "Each partner concerned is of an organisation type the call accepts."
    params_model = TypeParams

    def check(self, params: TypeParams, context: Context) -> Outcome:
        """Pass, fail (or warn, when ``others = "warning"``) on each partner's ``type``."""
        index, accepted = context.index, params.accepted
        judged = judge_each(
            context,
            params.among,
            passes=index.having("type", accepted),
            fails=index.having("type", params.rejected),
        )
        outcome = summarise_each(
            context,
            among=params.among,
            judged=judged,
            ok=params.words[0],
            not_ok=params.words[1],
            missing="its organisation type is not given (column type)",
        )
        if outcome.status is FAIL and params.others == "warning":
            reason = f" {params.others_reason}" if params.others_reason else ""
            return Outcome(WARNING, outcome.message + reason, outcome.partners)
        return outcome
