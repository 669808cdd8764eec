"""The shipped call files: they load, cite their call texts verbatim, and state the facts the texts
give. Malformed call files are refused with every problem named (file, field, reason)."""

import os
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from clusterbridge.domain.calls import Call, Source
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.calls.catalogue import load_catalogue

pytestmark = pytest.mark.unit

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SHIPPED_IDS = (
    "SMP-COSME-2021-CLUSTER",
    "SMP-COSME-2024-CLUSTER",
    "cluster-excellence",
    "strategic-alliances-2020",
)
CATALOGUE = load_catalogue()
CALLS = [CATALOGUE.get(call_id) for call_id in SHIPPED_IDS]


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _seed_text(document: str) -> str:
    """The call text a document key names: seed ``<document>_*.txt``, whitespace normalised."""
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI must check every quote, but the call texts are not at {SEEDS}")
        pytest.skip(f"the call texts are not present at {SEEDS}")
    matches = sorted(SEEDS.glob(f"{document}_*.txt"))
    assert len(matches) == 1, f"document {document!r} names {len(matches)} seed files"
    return _normalise(matches[0].read_text(encoding="utf-8"))


def _cited_sources(call: Call) -> list[tuple[str, Source]]:
    rules = [(f"rule {rule.id}", rule.source) for rule in call.rules]
    facts = [(f"fact {name}", source) for name, source in call.fact_sources.items()]
    return rules + facts


CITATIONS = [
    pytest.param(call, what, source, id=f"{call.id}:{what}")
    for call in CALLS
    for what, source in _cited_sources(call)
]


def test_catalogue_shipped_calls_all_load() -> None:
    catalogue = load_catalogue()

    assert tuple(call.id for call in catalogue.calls) == SHIPPED_IDS


@pytest.mark.parametrize("call", CALLS, ids=SHIPPED_IDS)
def test_call_every_rule_and_fact_cites_a_listed_document(call: Call) -> None:
    cited = {source.document for _, source in _cited_sources(call)}

    unlisted = cited - set(call.documents)

    assert unlisted == set()


@pytest.mark.parametrize(("call", "what", "source"), CITATIONS)
def test_call_source_quotes_seed_verbatim(call: Call, what: str, source: Source) -> None:
    seed = _seed_text(source.document)

    quoted = _normalise(source.quote) in seed

    assert quoted, f"{call.id} {what}: {source.quote!r} is not in seed {source.document}"


@pytest.mark.parametrize("call", CALLS, ids=SHIPPED_IDS)
def test_call_rule_ids_unique_and_sections_given(call: Call) -> None:
    ids = [rule.id for rule in call.rules]

    sections = [rule.source.section for rule in call.rules]

    assert len(ids) == len(set(ids))
    assert all(sections)


def test_call_smp_cosme_2024_facts_match_seed() -> None:
    """Seed 004: "Available budget: EUR 42 000 000"; "Number of projects to be funded: 16 (with
    at least 8 projects for Strand 1)."; "Deadline date 5 February 2025, 17:00 (CET)";
    "Maximum project duration: 36 months"."""
    call = CATALOGUE.get("SMP-COSME-2024-CLUSTER")

    strands = [(s.id, s.min_projects) for s in call.strands]

    assert call.budget_eur == 42_000_000
    assert call.expected_projects == 16
    assert strands == [("1", 8), ("2", None)]
    assert call.deadline == datetime(2025, 2, 5, 17, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    assert call.deadline.astimezone(UTC) == datetime(2025, 2, 5, 16, 0, tzinfo=UTC)
    assert call.duration_max_months == 36
    assert sorted(call.fact_sources) == [
        "budget_eur",
        "deadline",
        "duration_max_months",
        "expected_projects",
    ]


def test_call_strategic_alliances_facts_match_seed() -> None:
    """Seed 000: "BUDGET : 5.000.000 EUR"; "EASME expects to fund 2 proposals."; "The maximum
    grant per project will be between EUR 2.000.000 and EUR 3.000.000."; "02/02/2021 17:00 h
    Brussels time". Seed 001: "the reasonable duration of the projects is envisioned to be 24
    months"."""
    call = CATALOGUE.get("strategic-alliances-2020")

    deadline_utc = call.deadline.astimezone(UTC) if call.deadline else None

    assert call.budget_eur == 5_000_000
    assert call.expected_projects == 2
    assert (call.grant_min_eur, call.grant_max_eur) == (2_000_000, 3_000_000)
    assert call.deadline == datetime(2021, 2, 2, 17, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    assert deadline_utc == datetime(2021, 2, 2, 16, 0, tzinfo=UTC)
    assert call.duration_indicative_months == 24
    assert (call.duration_min_months, call.duration_max_months) == (None, None)


def test_call_smp_cosme_2021_strands_match_seed() -> None:
    """Seed 002: "Open Strand" and the "Industrial ecosystem strands: Tourism, ..., Health";
    "Initial duration of the action: maximum 36 months."."""
    call = CATALOGUE.get("SMP-COSME-2021-CLUSTER")
    seed = _seed_text("002")

    ids = tuple(s.id for s in call.strands)
    titles_in_seed = [s.title for s in call.strands[1:] if f"{s.title}," in seed]

    assert ids == (
        "open",
        "tourism",
        "mobility-transport-automotive",
        "aerospace-defence",
        "construction",
        "agri-food",
        "energy-intensive",
        "textile",
        "cultural-creative",
        "digital",
        "renewable-energy",
        "electronics",
        "retail",
        "proximity-social-economy",
        "health",
    )
    assert titles_in_seed == [s.title for s in call.strands[1:]]
    assert call.duration_max_months == 36
    assert (call.budget_eur, call.deadline) == (None, None)


def test_call_cluster_excellence_duration_matches_seed() -> None:
    """Seed 003: "Initial duration of the project: between 20 and 24 months."."""
    call = CATALOGUE.get("cluster-excellence")

    durations = (call.duration_min_months, call.duration_max_months)

    assert durations == (20, 24)
    assert call.deadline is None


VALID_CALL = """\
id = "my-call"
title = "My call"
programme = "Test programme"
summary = "A call written for the tests."
deadline = 2030-01-31T17:00:00
timezone = "Europe/Brussels"

[documents]
"doc" = "The test call text"

[[rules]]
id = "max-duration"
title = "At most 24 months"
condition = "duration"
params = { max = 24 }
source = { document = "doc", section = "Duration", quote = "The project lasts at most 24 months." }
"""
SOURCE_LINE = (
    'source = { document = "doc", section = "Duration", '
    'quote = "The project lasts at most 24 months." }\n'
)
RULE = 'rules[1] (id "max-duration")'


def _toml_error(text: str) -> str:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return str(error)
    raise AssertionError("the text is valid TOML")


BROKEN_TITLE = VALID_CALL.replace('title = "My call"', 'title "My call"')


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        pytest.param(
            VALID_CALL.replace('condition = "duration"', 'condition = "max_length"'),
            RULE,
            "unknown condition 'max_length'; known conditions: applicant_type, country_eligible, "
            "duration, grant_range, legal_entity, min_distinct_countries, min_partners, "
            "min_partners_in_region, min_share, one_strand",
            id="unknown-condition",
        ),
        pytest.param(
            VALID_CALL.replace("max = 24", "max = -1"),
            RULE,
            "condition 'duration': params.max: must be at least 0",
            id="bad-param",
        ),
        pytest.param(
            VALID_CALL.replace("max = 24", "min = 30, max = 24"),
            RULE,
            "condition 'duration': 'min' (30) is greater than 'max' (24)",
            id="param-range-min-above-max",
        ),
        pytest.param(
            VALID_CALL.replace(SOURCE_LINE, ""),
            f"{RULE}.source",
            "is required",
            id="missing-source",
        ),
        pytest.param(
            VALID_CALL.replace('title = "My call"', 'title = "My call"\ncolour = "blue"'),
            "colour",
            "is not a known field",
            id="unknown-field",
        ),
        pytest.param(
            BROKEN_TITLE,
            "",
            f"not valid TOML: {_toml_error(BROKEN_TITLE)}",
            id="toml-syntax-error",
        ),
        pytest.param(
            VALID_CALL.replace('timezone = "Europe/Brussels"\n', ""),
            "timezone",
            "a deadline needs a 'timezone' such as Europe/Brussels",
            id="deadline-without-timezone",
        ),
        pytest.param(
            VALID_CALL.replace("2030-01-31T17:00:00", "2030-01-31T17:00:00+01:00"),
            "deadline",
            "write the deadline as local time (2025-02-05T17:00:00) and name its 'timezone'",
            id="deadline-with-offset",
        ),
        pytest.param(
            VALID_CALL.replace("2030-01-31T17:00:00", "2030-01-31"),
            "deadline",
            "give the time too, such as 2030-01-31T17:00: a date alone would close the call at "
            "midnight, when that day starts",
            id="deadline-without-its-time",
        ),
        pytest.param(
            VALID_CALL.replace("2030-01-31T17:00:00", "2030-03-31T02:30:00"),
            "timezone",
            "the deadline 2030-03-31 02:30 does not exist in Europe/Brussels: the clocks go "
            "forward that night; choose a time outside the skipped hour",
            id="deadline-in-the-skipped-hour",
        ),
        pytest.param(
            VALID_CALL.replace("Europe/Brussels", "Europe/Nowhere"),
            "timezone",
            '"Europe/Nowhere" is not an IANA time zone such as Europe/Brussels',
            id="unknown-timezone",
        ),
        pytest.param(
            VALID_CALL.replace('document = "doc"', 'document = "other"'),
            f"{RULE}.source.document",
            '"other" is not listed in [documents]',
            id="unknown-document-cited",
        ),
        pytest.param(
            VALID_CALL.replace(
                "[documents]",
                "fact_sources.duration_max_months = { document = "
                '"other", section = "Duration", quote = "at most 24 months" }\n\n[documents]',
            ),
            "fact_sources.duration_max_months.document",
            '"other" is not listed in [documents]',
            id="unknown-document-cited-by-fact",
        ),
    ],
)
def test_load_catalogue_malformed_file_refused(
    tmp_path: Path, text: str, field: str, reason: str
) -> None:
    path = tmp_path / "my-call.toml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(InvalidInputError) as error:
        load_catalogue([tmp_path])

    assert error.value.issues == (InputIssue(str(path), field, reason),)


def test_load_catalogue_file_name_differs_from_id_refused(tmp_path: Path) -> None:
    path = tmp_path / "another-name.toml"
    path.write_text(VALID_CALL, encoding="utf-8")

    with pytest.raises(InvalidInputError) as error:
        load_catalogue([tmp_path])

    assert error.value.issues == (
        InputIssue(str(path), "id", 'the file of call "my-call" must be named my-call.toml'),
    )


def test_load_catalogue_duplicate_of_shipped_id_refused(tmp_path: Path) -> None:
    path = tmp_path / "SMP-COSME-2024-CLUSTER.toml"
    path.write_text(VALID_CALL.replace('"my-call"', '"SMP-COSME-2024-CLUSTER"'), encoding="utf-8")

    with pytest.raises(InvalidInputError) as error:
        load_catalogue([tmp_path])

    assert error.value.issues == (
        InputIssue(
            str(path),
            "id",
            'call "SMP-COSME-2024-CLUSTER" is already defined in '
            "clusterbridge.rules.calls/SMP-COSME-2024-CLUSTER.toml",
        ),
    )


def test_load_catalogue_reports_every_broken_file_at_once(tmp_path: Path) -> None:
    first, second = tmp_path / "a-call.toml", tmp_path / "b-call.toml"
    first.write_text(VALID_CALL.replace('"my-call"', '"a-call"').replace("max = 24", "max = -1"))
    second.write_text(VALID_CALL.replace('"my-call"', '"b-call"') + 'colour = "blue"\n')

    with pytest.raises(InvalidInputError) as error:
        load_catalogue([tmp_path])

    assert [issue.location for issue in error.value.issues] == [str(first), str(second)]
    assert error.value.summary == "2 problem(s) in the call files"


def test_load_catalogue_valid_user_file_added(tmp_path: Path) -> None:
    (tmp_path / "my-call.toml").write_text(VALID_CALL, encoding="utf-8")

    catalogue = load_catalogue([tmp_path])

    call = catalogue.get("MY-CALL")
    assert [c.id for c in catalogue.calls] == sorted([*SHIPPED_IDS, "my-call"])
    assert call.deadline == datetime(2030, 1, 31, 16, 0, tzinfo=UTC)
    assert [(rule.id, rule.condition) for rule in call.rules] == [("max-duration", "duration")]


def test_seed_quotes_use_no_ellipsis() -> None:
    """A quote shortened with "..." would not be verbatim; the call files quote whole clauses."""
    quotes = [source.quote for call in CALLS for _, source in _cited_sources(call)]

    shortened = [quote for quote in quotes if re.search(r"\.\.\.|…", quote)]

    assert shortened == []
