"""Calls authored in the app through the service: every field checked at once, the call file
written and read back, publication, the catalogue, and who may see and change a call."""

import tomllib
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from importlib import resources

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import EvaluationPanel, User
from clusterbridge.domain.calls import Source
from clusterbridge.domain.enums import CallKind, RuleStatus, UserRole, Verdict
from clusterbridge.domain.errors import (
    AccessDeniedError,
    ConflictError,
    InputIssue,
    InvalidInputError,
)
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.calls.eligibility import check_application
from clusterbridge.services.consortia.consortia import build_snapshot
from clusterbridge.services.selection import calls
from clusterbridge.services.selection.call_drafts import CallDraft, CriterionDraft, StrandDraft
from tests.factories.calls import RULES, call_draft, cascade_draft, make_call
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2024, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def officer(session: Session) -> User:
    return make_user(
        session, email="olga@programme.example", name="Olga", role=UserRole.PROGRAMME_OFFICER
    )


@pytest.fixture
def applicant(session: Session) -> User:
    return make_user(session, email="anna@cluster.example", name="Anna")


def test_create_call_writes_the_call_file_and_the_selection_settings(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    row = calls.create_call(session, officer, call_draft(), catalogue=catalogue)

    document = tomllib.loads(row.call_file)
    assert (row.identifier, row.title, row.published_at) == (
        "TEST-OPEN-2025",
        "Open call for cluster partnerships",
        None,
    )
    assert row.closes_at == datetime(2025, 3, 3, 16, 0, tzinfo=UTC)
    assert row.max_grant == Decimal(400_000)
    assert row.selection == {
        "budget": 1_000_000,
        "max_projects": 3,
        "strand_minimum": {"1": 1},
        "on_overflow": "skip",
        "criteria": [
            {"id": "relevance", "max": 30, "threshold": 15},
            {"id": "impact", "max": 20},
        ],
        "overall_threshold": 30,
        "tie_break": ["uncovered_strand", "relevance"],
    }
    assert document["deadline"] == datetime(2025, 3, 3, 17, 0)  # noqa: DTZ001 -- TOML local time
    assert document["strands"] == [
        {"id": "1", "title": "Green", "min_projects": 1},
        {"id": "2", "title": "Digital"},
    ]
    assert [rule["id"] for rule in document["rules"]] == ["two-partners", "two-countries"]


def test_draft_of_a_saved_call_is_the_draft_written(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    row = calls.create_call(session, officer, call_draft(), catalogue=catalogue)

    assert calls.draft_of(row) == call_draft()


def test_exported_file_imports_as_a_new_draft_with_the_same_fields(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    row = make_call(session, officer=officer, published_at=NOW)
    name, text = calls.export_call_file(session, officer, row.id)
    copy_text = text.replace('id = "TEST-OPEN-2025"', 'id = "TEST-OPEN-2025-COPY"', 1)

    copy = calls.import_call_file(session, officer, name, copy_text.encode(), catalogue=catalogue)

    assert name == "TEST-OPEN-2025.toml"
    assert copy.published_at is None
    assert calls.draft_of(copy) == replace(call_draft(), identifier="TEST-OPEN-2025-COPY")
    assert copy.call_file == copy_text


def test_an_exported_call_for_smes_imports_as_a_call_for_smes(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    row = make_call(session, officer=officer, draft=cascade_draft(), published_at=NOW)
    name, text = calls.export_call_file(session, officer, row.id)
    copy_text = text.replace('id = "SME-OPEN-2025"', 'id = "SME-OPEN-2026"', 1)

    copy = calls.import_call_file(session, officer, name, copy_text.encode(), catalogue=catalogue)

    assert text.splitlines()[4] == 'kind = "cascade"'
    assert copy.kind == CallKind.CASCADE
    assert calls.draft_of(copy) == replace(cascade_draft(), identifier="SME-OPEN-2026")


def test_a_call_for_smes_saved_before_its_file_stated_its_kind_exports_with_it(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    row = make_call(session, officer=officer, draft=cascade_draft(), published_at=NOW)
    stated = row.call_file
    row.call_file = stated.replace('kind = "cascade"\n', "")

    _name, text = calls.export_call_file(session, officer, row.id)

    assert 'kind = "cascade"' not in row.call_file
    assert text == stated


def test_the_rules_box_may_not_set_whom_the_call_funds(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    draft = call_draft(rules='kind = "cascade"\n' + RULES)

    with pytest.raises(InvalidInputError) as caught:
        calls.create_call(session, officer, draft, catalogue=catalogue)

    assert caught.value.issues == (
        InputIssue("", "rules", '"kind" has its own field (kind): remove it from the rules'),
    )


def test_importing_a_call_under_a_taken_identifier_is_refused(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    row = make_call(session, officer=officer)
    _name, text = calls.export_call_file(session, officer, row.id)

    with pytest.raises(InvalidInputError) as caught:
        calls.import_call_file(session, officer, "mine.toml", text.encode(), catalogue=catalogue)

    assert caught.value.issues == (
        InputIssue("", "identifier", "another call already has this identifier"),
    )


def test_a_shipped_call_file_without_selection_settings_does_not_import(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    data = b'id = "x"\n'
    shipped = load_shipped("cluster-excellence.toml")

    with pytest.raises(InvalidInputError) as bad:
        calls.import_call_file(session, officer, "x.toml", data, catalogue=catalogue)
    with pytest.raises(InvalidInputError) as no_selection:
        calls.import_call_file(session, officer, "ce.toml", shipped, catalogue=catalogue)

    assert [(i.location, i.field) for i in bad.value.issues] == [
        ("x.toml", "title"),
        ("x.toml", "programme"),
        ("x.toml", "summary"),
        ("x.toml", "documents"),
        ("x.toml", "rules"),
    ]
    assert no_selection.value.issues == (
        InputIssue("ce.toml", "selection", "the file has no [selection] table with criteria"),
    )


def test_every_mistake_of_a_draft_is_reported_at_once(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    draft = CallDraft(
        identifier="SMP-COSME-2024-CLUSTER",
        title="",
        summary="Something",
        rules='id = "x"\n' + RULES,
        budget=100,
        time_zone="Europe/Atlantis",
        max_grant=500,
        strands=(StrandDraft("1", "", 0),),
        criteria=(CriterionDraft("relevance", Decimal(10), Decimal(12)),),
        overall_threshold=Decimal(50),
        tie_break=("impact",),
        on_overflow="wait",
    )

    with pytest.raises(InvalidInputError) as caught:
        calls.create_call(session, officer, draft, catalogue=catalogue)

    assert [(i.field, i.location, i.reason) for i in caught.value.issues] == [
        ("identifier", "", "another call already has this identifier"),
        ("title", "", "is required"),
        ("time_zone", "", '"Europe/Atlantis" is not a time zone such as Europe/Brussels'),
        ("max_grant", "", "is more than the budget"),
        ("strands", "strand 1", "needs an id and a title"),
        ("rules", "", '"id" has its own field (identifier): remove it from the rules'),
        ("on_overflow", "on_overflow", 'must be "skip" or "stop"'),
        ("criteria", "criteria[0].threshold", "must be between 0 and the maximum (10)"),
        (
            "overall_threshold",
            "overall_threshold",
            "must be between 0 and 10, the sum of the maxima",
        ),
        ("tie_break", "tie_break[0]", '"impact" is neither uncovered_strand nor a criterion'),
    ]


def test_a_shortest_duration_over_the_longest_is_reported_on_its_own_field(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    draft = replace(call_draft(), duration_min_months=40, duration_max_months=12)

    with pytest.raises(InvalidInputError) as caught:
        calls.create_call(session, officer, draft, catalogue=catalogue)

    assert caught.value.issues == (
        InputIssue("", "duration_min_months", "is longer than the longest project (12 months)"),
    )


def test_a_criterions_mistake_worded_as_the_budgets_is_reported_too(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    criteria = (
        CriterionDraft("relevance", Decimal(30), None),
        CriterionDraft("impact", Decimal(-20)),
    )
    draft = replace(call_draft(), budget=-5, max_grant=None, criteria=criteria)

    with pytest.raises(InvalidInputError) as caught:
        calls.create_call(session, officer, draft, catalogue=catalogue)

    assert caught.value.issues == (
        InputIssue("", "budget", "must be more than 0"),
        InputIssue("criteria[1].max", "criteria", "must be more than 0"),
    )


def test_a_strand_id_or_title_too_long_to_keep_is_refused(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    strands = (StrandDraft("g" * 41, "Green", 1), StrandDraft("2", "D" * 301, 0))
    draft = replace(call_draft(), strands=strands)

    with pytest.raises(InvalidInputError) as caught:
        calls.create_call(session, officer, draft, catalogue=catalogue)

    assert caught.value.issues == (
        InputIssue("strand 1", "strands", "its id must be at most 40 characters, not 41"),
        InputIssue("strand 2", "strands", "its title must be at most 300 characters, not 301"),
    )


def test_a_strand_id_of_40_characters_is_kept(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    draft = replace(call_draft(), strands=(StrandDraft("g" * 40, "Green", 1),))

    row = calls.create_call(session, officer, draft, catalogue=catalogue)

    assert [s.id for s in calls.draft_of(row).strands] == ["g" * 40]


def test_a_call_for_smes_refuses_rules_no_sme_applying_alone_can_pass(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    draft = replace(cascade_draft(), rules=RULES)

    with pytest.raises(InvalidInputError) as caught:
        calls.create_call(session, officer, draft, catalogue=catalogue)

    never = (
        "an SME applies alone to a call for SMEs, so a minimum of 2 is never met and every "
        "application would be ineligible: ask for 1, remove the rule, or make it a warning "
        '(on_fail = "warning")'
    )
    assert caught.value.issues == (
        InputIssue('rules[1] (id "two-partners")', "rules", never),
        InputIssue('rules[2] (id "two-countries")', "rules", never),
    )


def test_a_call_for_smes_takes_such_a_rule_as_a_warning_and_a_consortium_call_as_it_is(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    warning = RULES.replace("params = { min = 2 }\n", 'params = { min = 2 }\non_fail = "warning"\n')
    cascade = replace(cascade_draft(), rules=warning)

    for_smes = calls.create_call(session, officer, cascade, catalogue=catalogue)
    for_consortia = calls.create_call(session, officer, call_draft(), catalogue=catalogue)

    assert [r.on_fail for r in calls.authored_call(for_smes).rules] == [RuleStatus.WARNING] * 2
    assert for_consortia.identifier == "TEST-OPEN-2025"


def test_a_rule_with_bad_parameters_is_named_with_its_place(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    draft = call_draft(rules=RULES.replace("min = 2 }", "min = 0 }", 1))

    with pytest.raises(InvalidInputError) as caught:
        calls.create_call(session, officer, draft, catalogue=catalogue)

    assert caught.value.issues == (
        InputIssue(
            'rules[1] (id "two-partners")',
            "rules",
            "condition 'min_partners': params.min: must be at least 1",
        ),
    )


def test_only_officers_write_calls(session: Session, applicant: User, catalogue: Catalogue) -> None:
    with pytest.raises(AccessDeniedError):
        calls.create_call(session, applicant, call_draft(), catalogue=catalogue)


def test_a_draft_is_seen_only_by_officers(session: Session, officer: User, applicant: User) -> None:
    row = make_call(session, officer=officer)

    with pytest.raises(calls.ProgrammeCallNotFoundError):
        calls.get_call(session, applicant, row.id)
    with pytest.raises(calls.ProgrammeCallNotFoundError):
        calls.find_call(session, None, "test-open-2025")

    assert calls.find_call(session, officer, "test-open-2025") is row
    assert calls.list_calls(session, applicant) == []
    assert calls.list_calls(session, officer) == [row]


def test_publishing_opens_the_call_and_freezes_its_fields(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    row = make_call(session, officer=officer)

    calls.publish_call(session, officer, row.id, now=NOW)

    assert row.published_at == NOW
    assert calls.view_call(session, row, now=NOW).status == "open"
    assert (
        calls.view_call(session, row, now=datetime(2025, 3, 3, 16, 0, tzinfo=UTC)).status
        == "closed"
    )
    with pytest.raises(ConflictError, match="published: it can no longer be changed"):
        calls.update_call(session, officer, row.id, call_draft(), catalogue=catalogue)


def test_a_call_past_its_deadline_cannot_be_published(session: Session, officer: User) -> None:
    row = make_call(session, officer=officer)

    with pytest.raises(ConflictError, match="The deadline has passed"):
        calls.publish_call(session, officer, row.id, now=datetime(2025, 3, 3, 16, 0, tzinfo=UTC))

    assert row.published_at is None


def test_a_call_without_a_deadline_stays_open(session: Session, officer: User) -> None:
    row = make_call(session, officer=officer, draft=call_draft(deadline=None), published_at=NOW)

    view = calls.view_call(session, row, now=datetime(2030, 1, 1, tzinfo=UTC))

    assert (view.status, row.closes_at, view.call.deadline) == ("no_deadline", None, None)
    assert calls.is_open(row, now=datetime(2030, 1, 1, tzinfo=UTC)) is True


def test_a_published_selection_closes_a_call_without_a_deadline(
    session: Session, officer: User
) -> None:
    row = make_call(session, officer=officer, draft=call_draft(deadline=None), published_at=NOW)
    later = datetime(2030, 1, 1, tzinfo=UTC)
    session.add(EvaluationPanel(call_id=row.id, ranked_at=NOW, published_at=NOW))
    session.flush()

    assert calls.call_status(session, row, now=later) == "closed"
    assert calls.view_call(session, row, now=later).status == "closed"
    assert [view.status for view in calls.view_calls(session, [row], now=later)] == ["closed"]
    assert calls.takes_proposals(session, row, now=later) is False


def test_update_replaces_a_drafts_fields(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    row = make_call(session, officer=officer)
    changed = replace(call_draft(), title="Renamed", budget=2_000_000, time_zone="UTC")

    calls.update_call(session, officer, row.id, changed, catalogue=catalogue)

    assert (row.title, row.selection["budget"], row.closes_at) == (
        "Renamed",
        2_000_000,
        datetime(2025, 3, 3, 17, 0, tzinfo=UTC),
    )
    assert calls.draft_of(row) == changed


def test_the_catalogue_holds_published_calls_and_the_checker_reads_them(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    make_call(session, officer=officer, published_at=NOW)
    make_call(session, officer=officer, draft=call_draft(identifier="TEST-DRAFT"))
    consortium = make_consortium(session, owner=officer, call_id=None, strand=None)
    add_partner(session, consortium, name="Lyon Cluster", country="FR")
    add_partner(session, consortium, name="Turin Cluster", country="IT")

    merged = calls.catalogue_with_calls(session, catalogue)
    report = check_application(
        merged, "test-open-2025", build_snapshot(consortium), now=NOW, strand="1",
        duration_months=24,
    )  # fmt: skip

    assert [c.id for c in merged.calls] == [
        "SMP-COSME-2021-CLUSTER",
        "SMP-COSME-2024-CLUSTER",
        "TEST-OPEN-2025",
        "cluster-excellence",
        "strategic-alliances-2020",
    ]
    assert report.verdict is Verdict.ELIGIBLE
    assert [f.rule for f in report.findings] == ["two-partners", "two-countries", "stated-duration"]


@pytest.mark.parametrize(
    ("months", "verdict", "status", "message"),
    [
        (48, Verdict.INELIGIBLE, RuleStatus.FAIL,
         "The project duration is 48 months; it must be between 12 and 36 months."),
        (12, Verdict.ELIGIBLE, RuleStatus.PASS,
         "The project duration is 12 months; it must be between 12 and 36 months."),
        (None, Verdict.INCOMPLETE, RuleStatus.UNKNOWN,
         "The project duration is not given (--duration-months); it must be between 12 and 36 "
         "months."),
    ],
)  # fmt: skip
def test_the_catalogue_checks_the_duration_range_a_published_call_states(
    session: Session,
    officer: User,
    catalogue: Catalogue,
    months: int | None,
    verdict: Verdict,
    status: RuleStatus,
    message: str,
) -> None:
    make_call(session, officer=officer, published_at=NOW)
    consortium = make_consortium(session, owner=officer, call_id=None, strand=None)
    add_partner(session, consortium, name="Lyon Cluster", country="FR")
    add_partner(session, consortium, name="Turin Cluster", country="IT")

    merged = calls.catalogue_with_calls(session, catalogue)
    report = check_application(
        merged, "TEST-OPEN-2025", build_snapshot(consortium), now=NOW, strand="1",
        duration_months=months,
    )  # fmt: skip

    finding = report.findings[-1]
    assert report.verdict is verdict
    assert (finding.rule, finding.title, finding.status, finding.message, finding.blocking) == (
        "stated-duration", "The project lasts 12–36 months", status, message, True,
    )  # fmt: skip
    assert finding.source == Source("TEST-OPEN-2025", "Duration", "Duration: 12–36 months")


def test_a_published_calls_own_duration_rule_replaces_its_stated_range_in_the_catalogue(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    own = """
[[rules]]
id = "max-30"
title = "The project lasts at most 30 months"
condition = "duration"
params = { max = 30 }
source = { document = "call", section = "Duration", quote = "at most 30 months" }
"""
    make_call(session, officer=officer, draft=call_draft(rules=RULES + own), published_at=NOW)

    merged = calls.catalogue_with_calls(session, catalogue)

    assert [r.id for r in merged.get("TEST-OPEN-2025").rules] == [
        "two-partners", "two-countries", "max-30",
    ]  # fmt: skip


def test_a_published_call_whose_stored_file_no_longer_reads_is_left_out_and_logged(
    session: Session, officer: User, catalogue: Catalogue, caplog: pytest.LogCaptureFixture
) -> None:
    # A file written by an older version whose condition was since renamed, say: the other
    # calls stay available, the administrator reads which call and why.
    make_call(session, officer=officer, published_at=NOW)
    broken = make_call(
        session, officer=officer, draft=call_draft(identifier="OLD-2024"), published_at=NOW
    )
    broken.call_file = broken.call_file.replace('condition = "', 'condition = "renamed_', 1)

    merged = calls.catalogue_with_calls(session, catalogue)

    assert "OLD-2024" not in [c.id for c in merged.calls]
    assert "TEST-OPEN-2025" in [c.id for c in merged.calls]
    [record] = [r for r in caplog.records if r.name == "clusterbridge.services.selection.calls"]
    assert record.levelname == "ERROR"
    assert record.getMessage().startswith(
        "call OLD-2024 is left out of the catalogue: its stored file is not valid: "
    )
    assert "unknown condition 'renamed_" in record.getMessage()


def load_shipped(name: str) -> bytes:
    return resources.files("clusterbridge.rules.calls").joinpath(name).read_bytes()


def test_a_deadline_in_an_unlikely_year_is_a_mistake(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    draft = call_draft(deadline=datetime(1, 1, 1, 0, 0))  # noqa: DTZ001 -- local time

    with pytest.raises(InvalidInputError) as caught:
        calls.create_call(session, officer, draft, catalogue=catalogue)

    assert caught.value.issues == (
        InputIssue("", "deadline", "must be a date between 1990 and 2199"),
    )


def test_a_call_for_smes_names_such_a_rule_with_the_other_mistakes_at_once(
    session: Session, officer: User, catalogue: Catalogue
) -> None:
    draft = replace(cascade_draft(), rules=RULES, budget=-5, max_grant=None)

    with pytest.raises(InvalidInputError) as caught:
        calls.create_call(session, officer, draft, catalogue=catalogue)

    assert [(i.field, i.location) for i in caught.value.issues] == [
        ("budget", ""),
        ("rules", 'rules[1] (id "two-partners")'),
        ("rules", 'rules[2] (id "two-countries")'),
    ]
