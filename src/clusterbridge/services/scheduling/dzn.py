"""Read the B2B benchmark's MiniZinc data files (``.dzn``) into a `SchedulingProblem`.

The fields and their meaning are those of the published instances (Bofill et al., JAIR 2022):
``requested`` rows ``p1, p2, s`` with session code 1 = morning, 2 = afternoon, 3 = any;
``meetingsxBusiness`` lists meeting ``m`` as ``m + 1`` next to the dummy ``1`` and must agree
with ``requested``; ``forbidden`` may hold the placeholder ``0``; ``fixed`` is 0 or a slot;
``precedences[m]`` lists the meetings that come strictly before meeting ``m``.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.scheduling.problem import Meeting, ParticipantKey, SchedulingProblem
from clusterbridge.services.scheduling.limits import (
    MAX_FILE_BYTES,
    MAX_MEETINGS,
    MAX_PARTICIPANTS,
    MAX_ROOMS,
    MAX_SLOTS,
)

#: Session codes of ``requested``.
_MORNING, _AFTERNOON, _ANY = 1, 2, 3
_FIELDS = (
    "nBusiness",
    "nMeetings",
    "nTables",
    "nTotalSlots",
    "nMorningSlots",
    "requested",
    "meetingsxBusiness",
    "nMeetingsBusiness",
    "forbidden",
    "fixed",
    "precedences",
)
#: The largest value of each scalar field, checked before anything is built from it.
_SCALAR_LIMITS = {
    "nBusiness": MAX_PARTICIPANTS,
    "nMeetings": MAX_MEETINGS,
    "nTables": MAX_ROOMS,
    "nTotalSlots": MAX_SLOTS,
    "nMorningSlots": MAX_SLOTS,
}
_STATEMENT = re.compile(r"\s*([A-Za-z_]\w*)\s*=\s*(.*?)\s*;", re.DOTALL)
_INT = re.compile(r"-?\d+")

Value = int | list[int] | list[list[int]]


@dataclass(frozen=True, slots=True)
class _Field:
    line: int
    value: Value
    #: The line of each row of a ``[| ... |]`` array.
    row_lines: tuple[int, ...] = ()

    def row_line(self, row: int) -> int:
        """The line of 1-based ``row``, or of the field when rows are not on lines of their own."""
        return self.row_lines[row - 1] if row <= len(self.row_lines) else self.line


class _Issues:
    """Collects the problems of one file, each with its line."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found: list[InputIssue] = []

    def add(self, line: int | None, field: str, reason: str) -> None:
        where = self.name if line is None else f"{self.name}, line {line}"
        self.found.append(InputIssue(where, field, reason))

    def raise_if_any(self) -> None:
        if self.found:
            raise InvalidInputError(f"{self.name} is not a valid B2B .dzn file:", self.found)


def read_dzn(path: Path) -> SchedulingProblem:
    """Read a benchmark ``.dzn`` file; every problem of the file is raised at once as an
    `InvalidInputError` naming the line, the field and the reason."""
    try:
        text = read_bounded_text(path)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InvalidInputError(
            f"{path.name} cannot be read:", [InputIssue(str(path), "", str(error))]
        ) from None
    return parse_dzn(text, name=path.name)


def read_bounded_text(path: Path) -> str:
    """The UTF-8 text of ``path``; ValueError when it is larger than ``MAX_FILE_BYTES``."""
    with path.open("rb") as stream:
        data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    return data.decode("utf-8")


def parse_dzn(text: str, *, name: str = "<dzn>") -> SchedulingProblem:
    """Parse the text of a benchmark ``.dzn`` file (see `read_dzn`)."""
    issues = _Issues(name)
    fields = _parse_fields(_strip_comments(text), issues)
    issues.raise_if_any()
    problem = _build_problem(fields, issues)
    issues.raise_if_any()
    assert problem is not None  # no issue means every field was read
    return problem


def _strip_comments(text: str) -> str:
    return "\n".join(line.split("%", 1)[0] for line in text.splitlines())


def _parse_fields(text: str, issues: _Issues) -> dict[str, _Field]:
    fields: dict[str, _Field] = {}
    position = 0
    while text[position:].strip():
        match = _STATEMENT.match(text, position)
        line = text.count("\n", 0, position + len(text[position:]) - len(text[position:].lstrip()))
        if match is None:
            issues.add(line + 1, "", "expected `name = value;`")
            return fields
        key, raw = match.group(1), match.group(2)
        line = text.count("\n", 0, match.start(1)) + 1
        if key in fields:
            issues.add(line, key, "given twice")
        try:
            fields[key] = _Field(line, _parse_value(raw), _row_lines(raw, line))
        except ValueError as error:
            issues.add(line, key, str(error))
            fields[key] = _Field(line, -1)
        position = match.end()
    for key in _FIELDS:
        if key not in fields:
            issues.add(None, key, "missing")
    return fields


def _row_lines(raw: str, line: int) -> tuple[int, ...]:
    if not raw.lstrip().startswith("[|"):
        return ()
    lines, offset = [], line
    for part in raw.split("|")[1:-1]:
        if part.strip():
            lines.append(offset + part[: len(part) - len(part.lstrip())].count("\n"))
        offset += part.count("\n")
    return tuple(lines)


def _parse_value(raw: str) -> Value:
    raw = raw.strip()
    if _INT.fullmatch(raw):
        return int(raw)
    if raw.startswith("[|") and raw.endswith("|]"):
        rows = [r for r in raw[2:-2].split("|") if r.strip()]
        return [_int_list(row) for row in rows]
    if raw.startswith("[") and raw.endswith("]"):
        inner = raw[1:-1].strip()
        if inner.startswith("{") or not inner:
            sets = re.findall(r"\{([^{}]*)\}", inner)
            if re.sub(r"\{[^{}]*\}|[\s,]", "", inner):
                raise ValueError("expected an array of sets like [{1,2},{3}]")
            return [_int_list(s) for s in sets]
        return _int_list(inner)
    raise ValueError(f"cannot read the value {raw[:40]!r}")


def _int_list(text: str) -> list[int]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    bad = [p for p in parts if not _INT.fullmatch(p)]
    if bad:
        raise ValueError(f"{bad[0]!r} is not an integer")
    return [int(p) for p in parts]


def _build_problem(fields: dict[str, _Field], issues: _Issues) -> SchedulingProblem | None:
    scalars = {key: _scalar(fields, key, issues) for key in _FIELDS[:5]}
    if None in scalars.values():
        return None
    n_p, n_m, tables, slots, morning = (scalars[k] or 0 for k in _FIELDS[:5])
    if not 1 <= morning <= slots:
        issues.add(fields["nMorningSlots"].line, "nMorningSlots", f"must be in 1..{slots}")
        return None
    meetings = _meetings(fields, issues, n_p=n_p, n_m=n_m, split=morning < slots)
    if issues.found:
        return None
    unavailable = _forbidden(fields["forbidden"], issues, n_p=n_p, slots=slots)
    pins = _fixed(fields["fixed"], issues, n_m=n_m, slots=slots)
    precedences = _precedences(fields["precedences"], issues, n_m=n_m)
    _check_redundant(fields, issues, meetings, n_p=n_p)
    if issues.found:
        return None
    try:
        return SchedulingProblem(
            participants=n_p,
            slots=slots,
            meetings=tuple(
                Meeting(a, b, session=s, pinned_slot=pins[m] or None)
                for m, (a, b, s) in enumerate(meetings)
            ),
            sessions=(morning, slots - morning) if morning < slots else (slots,),
            unavailable=unavailable,
            precedences=precedences,
            rooms=tables,
        )
    except InvalidInputError as error:
        issues.found.extend(error.issues)
        return None


def _scalar(fields: dict[str, _Field], key: str, issues: _Issues) -> int | None:
    value = fields[key].value
    if not isinstance(value, int) or value < 0:
        issues.add(fields[key].line, key, "must be a non-negative integer")
        return None
    if value > _SCALAR_LIMITS[key]:
        issues.add(fields[key].line, key, f"must be at most {_SCALAR_LIMITS[key]:,}")
        return None
    return value


def _rows(field: _Field, key: str, issues: _Issues, count: int) -> list[list[int]] | None:
    value = field.value
    if not isinstance(value, list) or len(value) != count:
        issues.add(field.line, key, f"must be an array of {count} entries")
        return None
    return [v if isinstance(v, list) else [v] for v in value]


def _meetings(
    fields: dict[str, _Field], issues: _Issues, *, n_p: int, n_m: int, split: bool
) -> list[tuple[int, int, int | None]]:
    field = fields["requested"]
    rows = _rows(field, "requested", issues, n_m)
    found: list[tuple[int, int, int | None]] = []
    for m, row in enumerate(rows or [], start=1):
        line = field.row_line(m)
        if len(row) != 3:
            issues.add(line, "requested", f"row {m} must be `p1, p2, session`")
            continue
        a, b, code = row
        for p in (a, b):
            if not 1 <= p <= n_p:
                issues.add(line, "requested", f"row {m}: participant {p} outside 1..{n_p}")
        if a == b:
            issues.add(line, "requested", f"row {m}: participant {a} meets itself")
        if code not in (_MORNING, _AFTERNOON, _ANY):
            issues.add(line, "requested", f"row {m}: session code {code} is not 1, 2 or 3")
        session = None if code == _ANY or not split else code
        found.append((a, b, session))
    return found


def _forbidden(
    field: _Field, issues: _Issues, *, n_p: int, slots: int
) -> dict[ParticipantKey, list[int]]:
    rows = _rows(field, "forbidden", issues, n_p) or []
    unavailable: dict[ParticipantKey, list[int]] = {}
    for p, row in enumerate(rows, start=1):
        bad = [t for t in row if not 0 <= t <= slots]
        if bad:
            issues.add(
                field.line, "forbidden", f"participant {p}: slot {bad[0]} outside 1..{slots}"
            )
        real = sorted({t for t in row if 1 <= t <= slots})
        if real:
            unavailable[p] = real
    return unavailable


def _fixed(field: _Field, issues: _Issues, *, n_m: int, slots: int) -> list[int]:
    rows = _rows(field, "fixed", issues, n_m) or [[0]] * n_m
    pins = [row[0] if len(row) == 1 else -1 for row in rows]
    for m, t in enumerate(pins, start=1):
        if not 0 <= t <= slots:
            issues.add(field.line, "fixed", f"meeting {m}: slot {t} outside 0..{slots}")
    return [t if 0 <= t <= slots else 0 for t in pins]


def _precedences(field: _Field, issues: _Issues, *, n_m: int) -> tuple[tuple[int, int], ...]:
    rows = _rows(field, "precedences", issues, n_m) or []
    pairs = []
    for m, row in enumerate(rows, start=1):
        for before in row:
            if not 1 <= before <= n_m or before == m:
                issues.add(field.line, "precedences", f"meeting {m}: bad predecessor {before}")
            else:
                pairs.append((before, m))
    return tuple(pairs)


def _check_redundant(
    fields: dict[str, _Field],
    issues: _Issues,
    meetings: list[tuple[int, int, int | None]],
    *,
    n_p: int,
) -> None:
    expected: list[set[int]] = [set() for _ in range(n_p)]
    for m, (a, b, _) in enumerate(meetings, start=1):
        for p in (a, b):
            if 1 <= p <= n_p:
                expected[p - 1].add(m)
    domains = _rows(fields["meetingsxBusiness"], "meetingsxBusiness", issues, n_p) or []
    for p, row in enumerate(domains, start=1):
        if {v - 1 for v in row if v != 1} != expected[p - 1]:
            issues.add(
                fields["meetingsxBusiness"].line,
                "meetingsxBusiness",
                f"participant {p}: {{{', '.join(map(str, sorted(row)))}}} does not list the "
                f"meetings of `requested` (meeting m appears as m+1)",
            )
    counts = _rows(fields["nMeetingsBusiness"], "nMeetingsBusiness", issues, n_p) or []
    for p, row in enumerate(counts, start=1):
        if row != [len(expected[p - 1])]:
            issues.add(
                fields["nMeetingsBusiness"].line,
                "nMeetingsBusiness",
                f"participant {p}: {row[0] if row else '?'} but `requested` has "
                f"{len(expected[p - 1])} meetings",
            )
