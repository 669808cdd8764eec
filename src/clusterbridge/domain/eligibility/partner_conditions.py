"""Conditions every partner concerned must meet: country, legal entity, organisation type."""

from functools import cached_property, partial
from typing import Literal, NamedTuple

from pydantic import field_validator, model_validator

from clusterbridge.domain.eligibility.conditions import (
    ConsortiumCondition,
    KeyedParams,
    Outcome,
    register,
)
from clusterbridge.domain.eligibility.filters import TYPE_WORDS, PartnerFilter
from clusterbridge.domain.eligibility.index import PartnerIndex, Roster, bits, labels_of
from clusterbridge.domain.eligibility.outcome import Text, joined, render
from clusterbridge.domain.enums import FAIL, PASS, UNKNOWN, WARNING, OrgType, RuleStatus
from clusterbridge.domain.geography import CountryScope, resolve_country_scope


class AmongParams(KeyedParams):
    """Parameters of a condition over the partners selected by ``among``."""

    among: PartnerFilter = PartnerFilter()


#: What is missing for one partner, and for several (see `EachWords`).
Missing = tuple[str, str]
ROLE_MISSING: Missing = (
    "its role is not given (column role)",
    "their roles are not given (column role)",
)
NATURAL_PERSON = OrgType.NATURAL_PERSON


class EachWords(NamedTuple):
    """How a per-partner condition speaks of the partners concerned (built once per rule).

    ``missing`` says what is missing for a partner surely concerned, and for several; for one
    whose role is not known, the role is what is missing. A failure has the status ``failure``
    (a warning for a rule that only warns about it) and ``tail`` is appended to its message.
    """

    ok: str
    not_ok: str
    missing: Missing
    failure: RuleStatus = FAIL
    tail: str = ""


def judge_each(
    index: PartnerIndex, among: PartnerFilter, test: tuple[int, int], words: EachWords
) -> Outcome:
    """The outcome of a per-partner condition, naming the partners that fail or lack data.

    ``test`` holds the partners that pass the test and those that fail it; for the others the
    test cannot tell. A partner that fails it but is only *possibly* concerned (its role is
    unknown) is unknown, not failed: the rule would fail only if it is indeed concerned.
    Messages that list partners are built when read.
    """
    noun = among.description
    surely, concerned = among.masks(index)
    if not concerned:
        return Outcome(UNKNOWN, f"The consortium has no {noun} to check.")
    roster = index.roster
    passes, fails = test
    failed = surely & fails
    if failed:
        message = partial(_failed_text, roster, (failed, concerned), noun, words.not_ok, words.tail)
        return Outcome(words.failure, message, failed)
    unknown = concerned & ~passes
    if unknown:
        message = partial(_undecided_text, roster, unknown, surely, words.missing)
        return Outcome(UNKNOWN, message, unknown)
    if not surely:
        # Every partner passes, but none is surely concerned: the rule may have no one to check.
        message = partial(_unsure_text, roster, concerned, noun)
        return Outcome(UNKNOWN, message, concerned)
    # "All applicants (1) are ...": the count after the noun reads for one partner too.
    return Outcome(PASS, f"All {noun} ({concerned.bit_count()}) {words.ok}.")


# Deferred messages take strings and ints only (see Roster).


def _failed_text(roster: Roster, counts: tuple[int, int], noun: str, not_ok: str, tail: str) -> str:
    failed, concerned = counts
    listed = labels_of(roster, failed)
    return f"{failed.bit_count()} of {concerned.bit_count()} {noun} {not_ok}: {listed}.{tail}"


def _undecided_text(roster: Roster, unknown: int, surely: int, missing: Missing) -> str:
    role_unknown = unknown & ~surely
    return " ".join(
        f"Cannot tell for {labels_of(roster, group)}: {_said(why, group)}."
        for group, why in ((unknown & ~role_unknown, missing), (role_unknown, ROLE_MISSING))
        if group
    )


def _unsure_text(roster: Roster, concerned: int, noun: str) -> str:
    listed = labels_of(roster, concerned)
    return f"No partner is surely one of the {noun}: {listed}: {_said(ROLE_MISSING, concerned)}."


def _said(missing: Missing, partners: int) -> str:
    """What is missing, for one partner or for several (a mask of ``partners``)."""
    return missing[0] if partners.bit_count() == 1 else missing[1]


LEGAL_ENTITY_WORDS = EachWords(
    ok="are legal entities",
    not_ok="are not legal entities",
    missing=(
        "whether it is a legal entity is not given (column legal_entity)",
        "whether they are legal entities is not given (column legal_entity)",
    ),
)


@register
class LegalEntity(ConsortiumCondition[AmongParams]):
    """Every partner concerned is a legal entity (natural persons are not)."""

    name = "legal_entity"
    description = "Each partner concerned is a legal entity."
    params_model = AmongParams

    def judge(self, params: AmongParams, index: PartnerIndex) -> Outcome:
        """Pass when each partner concerned says ``legal_entity = yes`` and is no natural person."""
        test = index.tests.get(LegalEntity.name) or _legal_entity_test(index)
        return judge_each(index, params.among, test, LEGAL_ENTITY_WORDS)


def _legal_entity_test(index: PartnerIndex) -> tuple[int, int]:
    # The same for every rule and call: memoised in the index.
    legal, natural = index.values["legal_entity"], index.values["type"].get(NATURAL_PERSON, 0)
    passes = legal.get(True, 0) & ~natural
    fails = legal.get(False, 0) | natural
    test = index.tests[LegalEntity.name] = (passes, fails)
    return test


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

    @cached_property
    def words(self) -> EachWords:
        """What passing and failing partners are, in words (computed once)."""
        title = self.scope.title
        return EachWords(
            ok=f"are established in eligible countries ({title})",
            not_ok=f"are not established in an eligible country ({title})",
            missing=ROLE_MISSING,
        )


@register
class CountryEligible(ConsortiumCondition[CountryParams]):
    """Every partner concerned is established in an eligible country."""

    name = "country_eligible"
    description = "Each partner concerned is established in one of the eligible countries."
    params_model = CountryParams

    def judge(self, params: CountryParams, index: PartnerIndex) -> Outcome:
        """Fail on a partner outside the scope; warn on one eligible only through an unverified list.

        A failure, or an unknown for want of a role, also names the countries outside the scope
        ("US is not an eligible country for this call").
        """
        scope = params.scope
        inside = index.in_countries(scope.members)
        outcome = judge_each(index, params.among, (inside, index.everyone & ~inside), params.words)
        if outcome.status is not PASS:
            return _name_countries(outcome, index.roster, inside)
        if not scope.unverified:
            return outcome
        doubtful = index.in_countries(scope.unverified) & params.among.masks(index).possible
        if not doubtful:
            return outcome
        message = partial(_doubtful_text, index.roster, doubtful, outcome.message)
        return Outcome(WARNING, message, doubtful)


def _name_countries(outcome: Outcome, roster: Roster, inside: int) -> Outcome:
    """The outcome with a sentence naming the countries of its partners outside the scope."""
    named = outcome.partners if isinstance(outcome.partners, int) else 0
    outside = named & ~inside
    if not outside:
        return outcome
    return outcome._replace(
        message=joined(outcome.message, partial(_countries_text, roster, outside))
    )


def _countries_text(roster: Roster, outside: int) -> str:
    countries = list(dict.fromkeys(roster[1][bit] for bit in bits(outside)))
    if len(countries) == 1:
        return f"{countries[0]} is not an eligible country for this call."
    listed = f"{', '.join(countries[:-1])} and {countries[-1]}"
    return f"{listed} are not eligible countries for this call."


def _doubtful_text(roster: Roster, doubtful: int, passed: Text) -> str:
    return (
        f"{render(passed)} The participation of {labels_of(roster, doubtful)} rests on a country "
        "list that clusterbridge's reference data does not confirm: check the programme's list "
        "of participating countries."
    )


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
    def test_key(self) -> str:
        """The memo key of the test of each partner's type: the accepted types."""
        return f"type in {sorted(self.accepted)}"

    @cached_property
    def words(self) -> EachWords:
        """What passing and failing partners are, in words: ``are SMEs``, ``are not SMEs``..."""
        if self.allowed is not None:
            types = " or ".join(TYPE_WORDS[t] for t in self.allowed)
            ok, not_ok = f"are {types}", f"are not {types}"
        else:
            types = " or ".join(TYPE_WORDS[t] for t in self.excluded or ())
            ok, not_ok = f"are other than {types}", f"are {types}"
        missing = (
            "its organisation type is not given (column type)",
            "their organisation types are not given (column type)",
        )
        if self.others == "fail":
            return EachWords(ok, not_ok, missing)
        tail = f" {self.others_reason}" if self.others_reason else ""
        return EachWords(ok, not_ok, missing, failure=WARNING, tail=tail)


@register
class ApplicantType(ConsortiumCondition[TypeParams]):
    """Every partner concerned is of an accepted organisation type."""

    name = "applicant_type"
    description = "Each partner concerned is of an organisation type the call accepts."
    params_model = TypeParams

    def judge(self, params: TypeParams, index: PartnerIndex) -> Outcome:
        """Pass, fail (or warn, when ``others = "warning"``) on each partner's ``type``."""
        test = index.tests.get(params.test_key) or _type_test(index, params)
        return judge_each(index, params.among, test, params.words)


def _type_test(index: PartnerIndex, params: TypeParams) -> tuple[int, int]:
    # Memoised in the index: rules of several calls accept the same types. A partner whose type
    # is known and not accepted has a rejected type.
    passes = index.having_any("type", params.accepted)
    fails = index.everyone & ~index.unknown["type"] & ~passes
    test = index.tests[params.test_key] = (passes, fails)
    return test
