"""Problems and findings in the pages' words: labels, not field names or CLI options."""

import pytest

from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.web.templating import country_entry, time_zone_choices
from clusterbridge.web.wording import field_errors, finding_text, issue_text

#: Names tzdata keeps for backward compatibility only (its file ``backward``).
ALIASES = (
    "Africa/Asmera", "America/Buenos_Aires", "Asia/Calcutta", "Europe/Kiev", "Europe/Belfast",
)  # fmt: skip
#: Their current names, and countries' zones that tzdata.zi links to a neighbour's.
CURRENT = (
    "Africa/Asmara", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "Europe/Kyiv",
    "Europe/London", "Europe/Amsterdam", "Europe/Luxembourg", "Europe/Zagreb",
)  # fmt: skip

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("issue", "text"),
    [
        (InputIssue("", "session_date", "enter a date"), "Date: enter a date"),
        (
            InputIssue("", "--duration-months", "must be positive"),
            "Duration (months): must be positive",
        ),
        (InputIssue("session 1", "name", "must not be empty"), "Session name: must not be empty"),
        (InputIssue("row 3", "role", '"boss" is not a role'), 'row 3, Role: "boss" is not a role'),
        (InputIssue("", "unknown_field", "bad"), "Unknown field: bad"),
        (InputIssue("partners.csv", "", "empty file"), "partners.csv: empty file"),
    ],
)
def test_issue_text_names_the_field_by_its_label(issue: InputIssue, text: str) -> None:
    assert issue_text(issue) == text


def test_field_errors_put_session_problems_on_the_session_fields() -> None:
    error = InvalidInputError(
        "The event cannot be saved",
        [
            InputIssue("", "name", "must not be empty"),
            InputIssue("session 1", "name", "must not be empty"),
            InputIssue("session 1", "end", "must be after the start"),
            InputIssue("", "name", "must be at most 200 characters"),
        ],
    )

    assert field_errors(error) == {
        "name": "must not be empty; must be at most 200 characters",
        "session_name": "must not be empty",
        "session_end": "must be after the start",
    }


def test_findings_lose_the_consortium_file_column_hints() -> None:
    message = "Cannot tell for A (DE): its role is not given (column role)."

    assert finding_text(message) == "Cannot tell for A (DE): its role is not given."


def test_findings_lose_the_command_line_options() -> None:
    message = "The project duration is not given (--duration-months); it must be at most 36 months."

    assert (
        finding_text(message) == "The project duration is not given; it must be at most 36 months."
    )


def test_countries_and_sets_by_their_names() -> None:
    assert [country_entry(e) for e in ("eu_member_states", "UK", "XX")] == [
        "EU Member States",
        "United Kingdom",
        "XX",
    ]


def test_a_document_by_its_title_without_the_seed_number() -> None:
    call = load_catalogue().get("SMP-COSME-2024-CLUSTER")

    assert call.document_title("004") == "EISMEA call page SMP-COSME-2024-CLUSTER"


def test_time_zones_offer_utc_first_and_no_legacy_names() -> None:
    zones = time_zone_choices()

    assert zones[0] == "UTC"
    assert "Europe/Brussels" in zones
    assert [z for z in zones if z.startswith(("Etc/", "US/"))] == []
    assert zones[1:] == sorted(zones[1:])


def test_time_zones_offer_each_country_zone_once_and_no_backward_compatibility_alias() -> None:
    # The QA of 2026-12-07: Africa/Asmera (Africa/Asmara), America/Buenos_Aires, Asia/Calcutta
    # and Europe/Kiev were offered beside their current names. tzdata's zone.tab (2026f) names
    # 418 zones, each country's own included (Europe/Amsterdam is a link to Europe/Brussels in
    # tzdata.zi, yet a Dutch organiser looks for Amsterdam).
    zones = time_zone_choices()

    assert len(zones) == 419
    assert [z for z in ALIASES if z in zones] == []
    assert [z for z in CURRENT if z not in zones] == []
