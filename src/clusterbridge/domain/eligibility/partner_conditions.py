"""Conditions every partner concerned must meet: country, legal entity, organisation type."""

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from clusterbridge.domain.calls import Call
from clusterbridge.domain.consortium import Application, Partner
from clusterbridge.domain.enums import OrgType, RuleStatus
from clusterbridge.domain.eligibility.conditions import Condition, Outcome, register
from clusterbridge.domain.eligibility.filters import TYPE_WORDS, PartnerFilter
from clusterbridge.domain.eligibility.logic import Tri, names
from clusterbridge.domain.geography import CountryScope, resolve_country_scope

Verdict = Callable[[Partner], Tri]


class AmongParams(BaseModel):
    """Parameters of a condition over the partners selected by ``among``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    among: PartnerFilter = PartnerFilter()


def judge_each(
    application: Application, among: PartnerFilter, test: Verdict
) -> tuple[list[Partner], list[Partner], list[Partner], list[Partner]]:
    """Sort the partners ``among`` selects into (passed, failed, unknown, possibly concerned).

    A partner that fails ``test`` but is only *possibly* concerned (its role is unknown) is
    unknown, not failed: the rule would fail only if it is indeed an applicant.
    """
    passed: list[Partner] = []
    failed: list[Partner] = []
    unknown: list[Partner] = []
    concerned: list[Partner] = []
    for partner in application.consortium.partners:
        selected = among.test(partner)
        if selected is False:
            continue
        concerned.append(partner)
        value = test(partner)
        if value is True:
            passed.append(partner)
        elif value is False and selected:
            failed.append(partner)
        else:
            unknown.append(partner)
    return passed, failed, unknown, concerned


def summarise_each(
    *,
    among: PartnerFilter,
    sorted_partners: tuple[list[Partner], list[Partner], list[Partner], list[Partner]],
    ok: str,
    not_ok: str,
    missing: str,
) -> Outcome:
    """The outcome of a per-partner condition, naming the partners that fail or lack data."""
    passed, failed, unknown, concerned = sorted_partners
    noun = among.describe()
    if not concerned:
        return Outcome(RuleStatus.UNKNOWN, f"The consortium has no {noun} to check.")
    if failed:
        message = f"{len(failed)} of {len(concerned)} {noun} {not_ok}: {names(failed)}."
        return Outcome(RuleStatus.FAIL, message, tuple(p.name for p in failed))
    if unknown:
        message = f"Cannot tell for {names(unknown)}: {missing}."
        return Outcome(RuleStatus.UNKNOWN, message, tuple(p.name for p in unknown))
    return Outcome(RuleStatus.PASS, f"All {len(passed)} {noun} {ok}.")


@register
class LegalEntity(Condition[AmongParams]):
    """Every partner concerned is a legal entity (natural persons are not)."""

    name = "legal_entity"
    description = "Each partner concerned is a legal entity."
    params_model = AmongParams

    def check(self, params: AmongParams, application: Application, call: Call) -> Outcome:
        """Pass when each partner concerned says ``legal_entity = yes`` and is no natural person."""

        def test(partner: Partner) -> Tri:
            if partner.type is OrgType.NATURAL_PERSON or partner.legal_entity is False:
                return False
            return partner.legal_entity

        return summarise_each(
            among=params.among,
            sorted_partners=judge_each(application, params.among, test),
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

    @property
    def scope(self) -> CountryScope:
        """The resolved countries."""
        return resolve_country_scope(self.countries)


@register
class CountryEligible(Condition[CountryParams]):
    """Every partner concerned is established in an eligible country."""

    name = "country_eligible"
    description = "Each partner concerned is established in one of the eligible countries."
    params_model = CountryParams

    def check(self, params: CountryParams, application: Application, call: Call) -> Outcome:
        """Fail on a partner outside the scope; warn on one eligible only through an unverified list."""
        scope = params.scope
        outcome = summarise_each(
            among=params.among,
            sorted_partners=judge_each(
                application, params.among, lambda p: p.country in scope.members
            ),
            ok=f"are established in eligible countries ({scope.title})",
            not_ok=f"are not established in an eligible country ({scope.title})",
            missing="its role is not given (column role)",
        )
        if outcome.status is not RuleStatus.PASS:
            return outcome
        doubtful = [p for p in application.consortium.partners if p.country in scope.unverified]
        if doubtful and any(params.among.test(p) is not False for p in doubtful):
            message = (
                f"{outcome.message} The participation of {names(doubtful)} rests on a list of "
                "associated countries that clusterbridge's reference data does not confirm: "
                "check the programme's list of participating countries."
            )
            return Outcome(RuleStatus.WARNING, message, tuple(p.name for p in doubtful))
        return outcome


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

    def accepts(self, org_type: OrgType) -> bool:
        """Whether ``org_type`` is acceptable without justification."""
        if self.allowed is not None:
            return org_type in self.allowed
        return org_type not in (self.excluded or ())

    def words(self) -> str:
        """The acceptable types in words."""
        if self.allowed is not None:
            return " or ".join(TYPE_WORDS[t] for t in self.allowed)
        return "not " + " or ".join(TYPE_WORDS[t] for t in self.excluded or ())


@register
class ApplicantType(Condition[TypeParams]):
    """Every partner concerned is of an accepted organisation type."""

    name = "applicant_type"
    description = "Each partner concerned is of an organisation type the call accepts."
    params_model = TypeParams

    def check(self, params: TypeParams, application: Application, call: Call) -> Outcome:
        """Pass, fail (or warn, when ``others = "warning"``) on each partner's ``type``."""

        def test(partner: Partner) -> Tri:
            return None if partner.type is None else params.accepts(partner.type)

        outcome = summarise_each(
            among=params.among,
            sorted_partners=judge_each(application, params.among, test),
            ok=f"are {params.words()}",
            not_ok=f"are not {params.words()}",
            missing="its organisation type or role is not given (columns type, role)",
        )
        if outcome.status is RuleStatus.FAIL and params.others == "warning":
            reason = f" {params.others_reason}" if params.others_reason else ""
            return Outcome(RuleStatus.WARNING, outcome.message + reason, outcome.partners)
        return outcome
