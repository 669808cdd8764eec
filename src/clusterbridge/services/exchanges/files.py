"""Assignment problems as JSON files, and assignments as JSON answers."""

from pathlib import Path
from typing import Any

from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.engines.exchanges import (
    AssignmentProblem,
    AssignmentResult,
    Method,
    parse_problem,
    solve,
)
from clusterbridge.services.workbooks import read_json_file


def read_assignment_problem(path: Path) -> AssignmentProblem:
    """Read and validate an assignment file (``{"visitors": [...], "hosts": [...]}``); every
    problem is reported at once with its place (``InvalidInputError``). Reads only that file."""
    data = read_json_file(path)
    try:
        return parse_problem(data)
    except InvalidInputError as error:
        issues = [
            InputIssue(f"{path.name}: {i.location}" if i.location else path.name, i.field, i.reason)
            for i in error.issues
        ]
        raise InvalidInputError(f"{path.name} is not a valid assignment problem:", issues) from None


def assignment_to_dict(result: AssignmentResult, *, blocking: bool = False) -> dict[str, Any]:
    """``{"matches": [{"visitor", "host"}], "unmatched": [ids]}``; with ``blocking``, also the
    method, the status and the blocking pairs the checker found."""
    data: dict[str, Any] = {
        "matches": [{"visitor": m.visitor, "host": m.host} for m in result.matches],
        "unmatched": list(result.unmatched),
    }
    if blocking:
        data["method"] = str(result.method)
        data["status"] = str(result.status)
        data["blocking_pairs"] = [
            {"visitor": p.visitor, "host": p.host, "reason": p.reason}
            for p in result.report.blocking_pairs
        ]
    return data


def assign(data: object, *, method: Method, time_limit: float) -> AssignmentResult:
    """Validate ``data`` (the file's JSON) and assign by ``method``; ``InvalidInputError``
    with every problem's place."""
    return solve(parse_problem(data), method=method, time_limit=time_limit)
