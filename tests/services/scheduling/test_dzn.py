"""Reading the benchmark's .dzn files: field semantics and errors that name line and field."""

from pathlib import Path

import pytest

from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.domain.scheduling import Meeting
from clusterbridge.services.scheduling.dzn import parse_dzn, read_dzn

pytestmark = pytest.mark.unit

INSTANCES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "b2b-instances"

SMALL = """% three participants, four slots in two sessions
nBusiness = 3;
nMeetings = 3;
nTables = 2;
nTotalSlots = 4;
nMorningSlots = 2;
requested = [|1, 2,1,
|2, 3,3,
|1, 3,2,
|];
meetingsxBusiness = [{1,2,4},{1,2,3},{1,3,4}];
nMeetingsBusiness = [2,2,2];
forbidden = [{0},{0,4},{}];
fixed = [0,3,0];
precedences = [{},{},{1}];
"""


def test_parse_dzn_reads_sessions_placeholders_pins_and_precedences() -> None:
    problem = parse_dzn(SMALL)

    assert problem.meetings == (
        Meeting(1, 2, session=1),
        Meeting(2, 3, pinned_slot=3),
        Meeting(1, 3, session=2),
    )
    assert (problem.participants, problem.slots, problem.sessions, problem.rooms) == (
        3,
        4,
        (2, 2),
        2,
    )
    assert dict(problem.unavailable) == {2: [4]}
    assert problem.precedences == ((1, 3),)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("|2, 3,3,", "|2, 7,3,", "small.dzn, line 8, requested: row 2: participant 7 outside 1..3"),
        ("|2, 3,3,", "|2, 2,3,", "small.dzn, line 8, requested: row 2: participant 2 meets itself"),
        (
            "|1, 3,2,",
            "|1, 3,5,",
            "small.dzn, line 9, requested: row 3: session code 5 is not 1, 2 or 3",
        ),
        ("{0,4}", "{0,9}", "small.dzn, line 13, forbidden: participant 2: slot 9 outside 1..4"),
        (
            "fixed = [0,3,0];",
            "fixed = [0,3,x];",
            "small.dzn, line 14, fixed: 'x' is not an integer",
        ),
        ("nTables = 2;\n", "", "small.dzn, nTables: missing"),
        (
            "{1,3,4}];",
            "{1,3}];",
            "small.dzn, line 11, meetingsxBusiness: participant 3: {1, 3} does not list the "
            "meetings of `requested` (meeting m appears as m+1)",
        ),
    ],
)
def test_parse_dzn_names_line_field_and_reason(old: str, new: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_dzn(SMALL.replace(old, new), name="small.dzn")

    assert [str(issue) for issue in caught.value.issues] == [message]


def test_read_dzn_reads_a_published_instance() -> None:
    path = INSTANCES / "tic-12.original.dzn"
    if not path.exists():
        pytest.skip(f"the published B2B instances are not at {INSTANCES} (see PROVENANCE.md)")

    problem = read_dzn(path)

    assert (problem.participants, len(problem.meetings), problem.slots, problem.rooms) == (
        42,
        125,
        8,
        21,
    )
