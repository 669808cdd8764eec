"""A value of the wrong type, out of range or not a choice: the parameter as typed and why."""

import pytest

from clusterbridge.cli.values import ValueReason, read_seconds
from tests.cli.conftest import Invoke

pytestmark = pytest.mark.e2e

#: The options of a lump sum other than its dates.
LUMP_SUM = ("--host-country", "PT", "--visitor-place", "Vigo, ES", "--host-place", "Porto, PT")


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ("calls", "list", "--format", "xml"),
            'Error: --format: "xml" is not a format; use text, json.\n',
        ),
        (
            ("users", "create", "--email", "a@example.org", "--role", "king"),
            'Error: --role: "king" is not a role; use administrator, cluster_manager, organisation_member, event_organiser, programme_officer.\n',
        ),
        (
            ("events", "outcome", "1", "2", "maybe"),
            'Error: OUTCOME: "maybe" is not a choice; use no_show, held, follow_up, agreement.\n',
        ),
        (("partners", "suggest", "--top", "abc"), 'Error: --top: "abc" is not a whole number.\n'),
        (("events", "open", "x"), 'Error: EVENT: "x" is not a whole number.\n'),
        (("events", "open", "0"), "Error: EVENT: must be at least 1, not 0.\n"),
        (
            ("schedule", "solve", "x", "--time-limit", "0"),
            "Error: --time-limit: must be at least 0.1, not 0.\n",
        ),
        (
            ("schedule", "solve", "x", "--time-limit", "nan"),
            'Error: --time-limit: "nan" is not a number.\n',
        ),
        (
            ("events", "schedule", "1", "--time-limit", "inf"),
            'Error: --time-limit: "inf" is not a number.\n',
        ),
        (
            ("exchanges", "match", "x.csv", "--time-limit", "1e-400"),
            'Error: --time-limit: "1e-400" is too small to store: write 0 or a number with fewer decimals.\n',
        ),
        (
            ("jobs", "wait", "1", "--timeout", "-1"),
            "Error: --timeout: must be at least 0, not -1.\n",
        ),
        (("jobs", "show", "1e-400"), 'Error: JOB_ID: "1e-400" is not a whole number.\n'),
        (
            ("jobs", "show", "99999999999999999999"),
            "Error: JOB_ID: must be at most 2,147,483,647, not 99999999999999999999.\n",
        ),
        (
            ("events", "validate", "1", "2", "2147483648"),
            "Error: PARTICIPANT: must be at most 2,147,483,647, not 2147483648.\n",
        ),
        (
            ("followups", "send", "--now", "yesterday"),
            'Error: --now: "yesterday" is not a date and time such as 2025-03-10 09:00.\n',
        ),
        (
            ("exchanges", "lump-sum", *LUMP_SUM, "--start", "2025-02-30", "--end", "2025-03-07"),
            'Error: --start: "2025-02-30" is not a date (no such day).\n',
        ),
        (
            ("exchanges", "lump-sum", *LUMP_SUM, "--start", "2025-03-03", "--end", "7 March"),
            'Error: --end: "7 March" is not a date (YYYY-MM-DD).\n',
        ),
        (
            ("import", "cordis", "--as-of", "2025-13-01"),
            'Error: --as-of: "2025-13-01" is not a date (no such day).\n',
        ),
        (
            ("selection", "conflicts", "x.json", "--on", "2025-02-29"),
            'Error: --on: "2025-02-29" is not a date (no such day).\n',
        ),
    ],
)
def test_a_bad_value_names_the_parameter_and_the_reason(
    invoke: Invoke, args: tuple[str, ...], stderr: str
) -> None:
    result = invoke(*args)

    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)


@pytest.mark.parametrize(
    ("args", "usage", "reason"),
    [
        (("check",), "Usage: clusterbridge check [OPTIONS] {FILE}", ["Missing argument 'FILE'."]),
        (
            ("calls", "show"),
            "Usage: clusterbridge calls show [OPTIONS] {ID}",
            ["Missing argument 'ID'."],
        ),
        (
            ("events", "validate", "1"),
            "Usage: clusterbridge events validate [OPTIONS] {EVENT} {PARTICIPANT}...",
            ["Missing argument 'PARTICIPANT'."],
        ),
        (
            ("events", "outcome", "1", "2"),
            "Usage: clusterbridge events outcome [OPTIONS] {EVENT} {MEETING} {OUTCOME}",
            [
                "Missing argument 'OUTCOME'. Choose from:",
                "no_show,",
                "held,",
                "follow_up,",
                "agreement",
            ],
        ),
    ],
)
def test_a_missing_argument_is_named_as_the_help_names_it(
    invoke: Invoke, args: tuple[str, ...], usage: str, reason: list[str]
) -> None:
    result = invoke(*args)

    lines = [line.strip("│ \t") for line in result.stderr.splitlines()]
    assert (result.exit_code, result.stdout) == (2, "")
    assert (lines[0], lines[3:-1]) == (usage, reason)


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (("check", "--duration-months", HUGE, "x.csv"), "--duration-months: must be at most 1,200"),
        (("consortium", "build", "--max-partners", HUGE), "--max-partners: must be at most 30"),
        (("consortium", "build", "--proposals", HUGE), "--proposals: must be at most 10"),
        (("consortium", "build", "--min-difference", HUGE), "--min-difference: must be at most 30"),
        (("consortium", "build", "--duration-months", HUGE), "--duration-months: must be at most 1,200"),
        (("consortium", "complete", "--options", HUGE), "--options: must be at most 10"),
        (("evaluation", "assign", "--per-proposal", HUGE), "--per-proposal: must be at most 2,147,483,647"),
        (("evaluation", "assign", "--max-load", HUGE), "--max-load: must be at most 2,147,483,647"),
        (("events", "create", "--slot-minutes", HUGE), "--slot-minutes: must be at most 240"),
        (("events", "create", "--rooms", HUGE), "--rooms: must be at most 1,000"),
        (("events", "create", "--fairness", HUGE), "--fairness: must be at most 50"),
        (("events", "update", "--rooms", HUGE, "1"), "--rooms: must be at most 1,000"),
        (("events", "update", "--fairness", HUGE, "1"), "--fairness: must be at most 50"),
        (("events", "lock", "--slot", HUGE, "1", "2"), "--slot: must be at most 10,000"),
        (("events", "remind", "--within-hours", HUGE), "--within-hours: must be at most 168"),
        (("partners", "suggest", "--top", HUGE), "--top: must be at most 100"),
        (("worker", "--concurrency", HUGE), "--concurrency: must be at most 2,147,483,647"),
    ],
    ids=lambda value: value[-1] if isinstance(value, str) else None,
)  # fmt: skip
def test_a_huge_whole_number_is_refused_with_the_options_maximum(
    invoke: Invoke, args: tuple[str, ...], stderr: str
) -> None:
    # The QA pass of 2026-12-07: these options had no maximum, and a huge value ran into an
    # OverflowError or a database error instead of exit 2.
    result = invoke(*args)

    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"Error: {stderr}, not {HUGE}.\n",
    )


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (("consortium", "build", "--time-limit", "0"), "must be at least 0.1, not 0"),
        (("events", "schedule", "--time-limit", "0.5", "1"), "must be at least 1, not 0.5"),
    ],
)
def test_a_time_limit_below_the_services_least_is_refused(
    invoke: Invoke, args: tuple[str, ...], stderr: str
) -> None:
    result = invoke(*args)

    assert (result.exit_code, result.stderr) == (2, f"Error: --time-limit: {stderr}.\n")


@pytest.mark.parametrize("typed", ["601", "100000", "1e9"])
def test_an_event_time_limit_above_the_services_most_is_refused_before_anything_is_read(
    invoke: Invoke, typed: str
) -> None:
    # It had a least and no most: a huge limit reached the job (and the command waited for it).
    result = invoke("events", "schedule", "1", "--time-limit", typed)

    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"Error: --time-limit: must be at most 600, not {typed}.\n",
    )


def test_a_seconds_limit_is_written_with_thousands_separators() -> None:
    with pytest.raises(ValueReason) as caught:
        read_seconds("100000", low=1, high=3600)

    assert str(caught.value) == "must be at most 3,600, not 100000"
