"""The rule editor's form as data: fields generated from the condition registry, every
shipped call file read into the form and written back to the same rules, each parameter type
typed and refused with its rule and field named, and a draft call's rules saved."""

import tomllib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import User
from clusterbridge.domain.eligibility.conditions import get_condition
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import ConflictError, InputIssue, InvalidInputError
from clusterbridge.services.calls.catalogue import load_catalogue, parse_call_file
from clusterbridge.services.selection import calls
from clusterbridge.services.selection.rule_fields import FieldKind, condition_form
from clusterbridge.services.selection.rule_forms import (
    RuleEntry,
    RulesForm,
    new_rule,
    rules_form_of,
    rules_text_of,
    save_rules,
)
from tests.factories.calls import RULES, call_draft, make_call
from tests.factories.users import make_user

pytestmark = [pytest.mark.unit]

NOW = datetime(2024, 12, 1, 9, 0, tzinfo=UTC)
SHIPPED = sorted((Path(__file__).parents[3] / "src/clusterbridge/rules/calls").glob("*.toml"))
DOCUMENTS = (("call", "The call text"),)
SOURCE = {"document": "call", "section": "Eligibility", "quote": "the clause of the call"}


def _rule(condition: str, **params: tuple[str, ...]) -> RuleEntry:
    """A new rule of ``condition`` (its defaults) with these form values (``among__roles``
    for ``among.roles``)."""
    entry = new_rule(condition, number=1)
    values = {path.replace("__", "."): value for path, value in params.items()}
    return replace(entry, id="the-rule", title="The rule", params={**entry.params, **values},
                   **SOURCE)  # fmt: skip


def _issues(entry: RuleEntry) -> list[tuple[str, str, str]]:
    with pytest.raises(InvalidInputError) as caught:
        rules_text_of(RulesForm(DOCUMENTS, (entry,)), base=RULES)
    return [(i.location, i.field, i.reason) for i in caught.value.issues]


def test_the_registry_gives_each_parameter_a_typed_field() -> None:
    form = condition_form("min_share")

    assert form is not None
    assert [(f.path, f.kind, f.required) for f in form.fields] == [
        ("among.roles", FieldKind.CHOICES, False),
        ("among.types", FieldKind.CHOICES, False),
        ("among.sme_profiles", FieldKind.CHOICES, False),
        ("among.legal_entity", FieldKind.FLAG, False),
        ("among.eccp_registered", FieldKind.FLAG, False),
        ("require.types", FieldKind.CHOICES, False),
        ("require.sme_profiles", FieldKind.CHOICES, False),
        ("require.legal_entity", FieldKind.FLAG, False),
        ("require.eccp_registered", FieldKind.FLAG, False),
        ("share", FieldKind.SHARE, True),
    ]
    assert form.fields[0].default == ("beneficiary", "coordinator")
    assert form.fields[1].choices[0] == ("cluster_organisation", "cluster organisations")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_call_file_round_trips_through_the_form(path: Path) -> None:
    text = path.read_text(encoding="utf-8")

    written = rules_text_of(rules_form_of(text), base=text)

    issues: list[InputIssue] = []
    before = parse_call_file(path.name, text.encode(), [])
    after = parse_call_file(path.name, written.encode(), issues)
    assert issues == []
    assert before is not None
    assert after is not None
    assert (after.rules, after.documents, after.strands) == (
        before.rules, before.documents, before.strands,
    )  # fmt: skip


#: (condition, parameters as form values, the rule's params in the file)
TYPED = [
    ("min_partners", {"min": ("3",)}, {"min": 3}),
    ("min_partners", {"min": ("1,000",), "among__roles": ("coordinator",)},
     {"among": {"roles": ["coordinator"]}, "min": 1000}),
    ("min_share", {"share": ("1/2",), "require__types": ("sme",), "require__eccp_registered": ("yes",)},
     {"require": {"types": ["sme"], "eccp_registered": True}, "share": "1/2"}),
    ("country_eligible", {"countries": ("eu_member_states", "IS")},
     {"countries": ["eu_member_states", "IS"]}),
    ("applicant_type", {"excluded": ("natural_person",), "others": ("warning",)},
     {"excluded": ["natural_person"], "others": "warning"}),
    ("min_partners_in_region", {"period": ("2021-2027",), "categories": ("transition",), "min": ("1",)},
     {"period": "2021-2027", "categories": ["transition"]}),
    ("grant_range", {"max": ("60000",)}, {"max": 60000}),
    ("grant_range", {"min": ("EUR 10,000",), "max": ("60 000 EUR",)}, {"min": 10000, "max": 60000}),
    ("one_strand", {}, None),
]  # fmt: skip


@pytest.mark.parametrize(("condition", "values", "params"), TYPED)
def test_each_parameter_type_is_written_to_the_call_file(
    condition: str, values: dict[str, tuple[str, ...]], params: dict[str, object] | None
) -> None:
    entry = _rule(condition, **values)

    text = rules_text_of(RulesForm(DOCUMENTS, (entry,)), base=RULES)

    [rule] = tomllib.loads(text)["rules"]
    assert rule.get("params") == params
    get_condition(condition).parse_params(params or {})


#: (condition, parameters as form values, (field, reason) expected)
BAD_VALUES = [
    ("min_partners", {"min": ("three",)}, ("rule-1-p-min", '"three" is not a whole number')),
    ("min_partners", {}, ("rule-1-p-min", "is required")),
    ("min_partners", {"min": ("99999999999999",)}, ("rule-1-p-min", "must be between -999,999,999,999 and 999,999,999,999, not 99999999999999")),
    ("min_partners", {"min": ("-99999999999999",)}, ("rule-1-p-min", "must be between -999,999,999,999 and 999,999,999,999, not -99999999999999")),
    ("min_partners", {"min": ("9" * 200,)}, ("rule-1-p-min", "must have at most 100 digits")),
    ("min_partners", {"min": ("1,5",)}, ("rule-1-p-min", '"1,5" is not a whole number')),
    ("min_share", {"share": ("1e999999999",)}, ("rule-1-p-share", "must be a share such as 1/2 or 0.5, not '1e999999999'")),
    ("min_share", {"share": ("inf",)}, ("rule-1-p-share", "must be a share such as 1/2 or 0.5, not 'inf'")),
    ("min_partners", {"min": ("0",)}, ("rule-1-p-min", "must be at least 1")),
    ("min_partners", {"min": ("2",), "among__roles": ()}, ("rule-1-p-among-roles", "tick at least one")),
    ("min_partners", {"min": ("2",), "among__types": ("dragon",)},
     ("rule-1-p-among-types", "dragon: not a choice of this field")),
    ("min_share", {"share": ("half",)}, ("rule-1-p-share", "must be a share such as 1/2 or 0.5, not 'half'")),
    ("min_share", {"share": ("3/2",)}, ("rule-1-p-share", "must be at most 1")),
    ("min_share", {"share": ("1/2",), "require__legal_entity": ("maybe",)},
     ("rule-1-p-require-legal_entity", "choose yes, no or either")),
    ("country_eligible", {"countries": ("XX",)}, ("rule-1-p-countries", '"XX" is neither a country set '
     "(eu_member_states, eea_efta, octs, cosme_2014_2020, smp_cosme_associated, smp_eea) nor a "
     "country code such as DE or EL")),
    ("country_eligible", {}, ("rule-1-p-countries", "is required")),
    ("applicant_type", {"others": ("never",), "allowed": ("sme",)},
     ("rule-1-p-others", "choose one of: fail, warning")),
    ("applicant_type", {}, ("rule-1-params", "give exactly one of 'allowed' and 'excluded'")),
    ("grant_range", {"min": ("90",), "max": ("10",)}, ("rule-1-params", "'min' (90) is greater than 'max' (10)")),
    ("grant_range", {"max": ("EUR 12,34,5",)},
     ("rule-1-p-max", '"EUR 12,34,5" is not an amount in euros, such as EUR 350,000')),
    ("grant_range", {"max": ("EUR 60,000.50",)},
     ("rule-1-p-max", 'must be in whole euros, without cents, not "EUR 60,000.50"')),
    ("grant_range", {"min": ("-5",)}, ("rule-1-p-min", "must be at least 0")),
    ("min_partners_in_region", {"period": ("2021-2027",)}, ("rule-1-p-categories", "tick at least one")),
]  # fmt: skip


@pytest.mark.parametrize(("condition", "values", "expected"), BAD_VALUES)
def test_a_bad_parameter_is_named_by_its_rule_and_field(
    condition: str, values: dict[str, tuple[str, ...]], expected: tuple[str, str]
) -> None:
    entry = _rule(condition, **values)

    issues = _issues(entry)

    assert [(field, reason) for _, field, reason in issues] == [expected]
    assert issues[0][0].startswith("rule 1 (the-rule)")


def test_the_rule_and_its_source_are_checked_with_every_mistake_at_once() -> None:
    twin = _rule("min_partners", min=("2",))
    entry = replace(twin, id="Two Partners", title=" ", document="annex", section="",
                    quote="short", on_fail="maybe")  # fmt: skip
    form = RulesForm(
        (("call", "The call"), ("", "Untitled")), (twin, replace(twin, title="B"), entry)
    )

    with pytest.raises(InvalidInputError) as caught:
        rules_text_of(form, base=RULES)

    assert [(i.location, i.field, i.reason) for i in caught.value.issues] == [
        ("document 2", "doc-2-key", "needs a short key and a title"),
        ("rule 2 (the-rule)", "rule-2-id", "another rule has this id"),
        ("rule 3 (Two Partners)", "rule-3-id", "use lower-case letters, digits and '-', e.g. min-partners"),
        ("rule 3 (Two Partners)", "rule-3-title", "is required"),
        ("rule 3 (Two Partners)", "rule-3-document", "choose one of the documents listed above"),
        ("rule 3 (Two Partners)", "rule-3-section", "name the section of the document the clause is in"),
        ("rule 3 (Two Partners)", "rule-3-quote", "quote the clause the rule encodes (8 characters or more)"),
        ("rule 3 (Two Partners)", "rule-3-on_fail", "choose whether a failure makes the proposal ineligible"),
    ]  # fmt: skip


def test_no_rules_and_no_documents_are_refused() -> None:
    with pytest.raises(InvalidInputError) as caught:
        rules_text_of(RulesForm((), ()), base=RULES)

    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("documents", "name at least one document the rules quote (the call's text)"),
        ("rules", "add at least one rule"),
    ]


def test_the_other_parts_of_the_rules_text_are_kept() -> None:
    base = f'eligible_countries = ["eu_member_states"]\npriorities = ["Green"]\n\n{RULES}'
    form = replace(rules_form_of(base), rules=(_rule("one_strand"),))

    text = rules_text_of(form, base=base)

    assert text.startswith('eligible_countries = ["eu_member_states"]\npriorities = ["Green"]\n')
    assert text.count("[[rules]]") == 1
    assert 'condition = "one_strand"' in text


@pytest.mark.integration
@pytest.mark.db
def test_a_draft_calls_rules_are_saved_and_a_published_calls_refused(
    session: Session, officer: User
) -> None:
    draft = make_call(session, officer=officer, draft=call_draft(identifier="RULES-DRAFT"))
    form = replace(rules_form_of(RULES), rules=(_rule("grant_range", max=("400000",)),))

    save_rules(session, officer, draft.id, form, catalogue=load_catalogue())

    assert [
        (rule.id, rule.condition, rule.params.model_dump())
        for rule in calls.authored_call(draft).rules
    ] == [
        ("the-rule", "grant_range", {"min": None, "max": 400_000}),
        ("stated-duration", "duration", {"min": 12, "max": 36}),
    ]
    calls.publish_call(session, officer, draft.id, now=NOW)
    with pytest.raises(ConflictError):
        save_rules(session, officer, draft.id, form, catalogue=load_catalogue())


@pytest.fixture
def officer(session: Session) -> User:
    return make_user(
        session, email="olga@example.org", name="Olga", role=UserRole.PROGRAMME_OFFICER
    )


def test_a_rules_text_with_a_number_too_small_to_store_is_refused_not_read_as_0() -> None:
    text = '[[rules]]\nid = "share"\nparams = { share = 1e-400 }\n'

    with pytest.raises(InvalidInputError) as raised:
        rules_form_of(text)

    reason = (
        'not valid TOML: "1e-400" is too small to store: write 0 or a number with fewer'
        " decimals (at line 3, column 20)"
    )
    assert raised.value.issues == (InputIssue("", "rules", reason),)
