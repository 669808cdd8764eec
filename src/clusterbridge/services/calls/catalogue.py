"""The call catalogue: the shipped call files plus any a user adds in a folder of their own."""

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from pydantic import ValidationError

from clusterbridge.domain.calls import Call
from clusterbridge.domain.errors import InputIssue, InvalidInputError, UnknownCallError
from clusterbridge.domain.refusals import refusal_reason
from clusterbridge.services.calls.files import CallFile
from clusterbridge.services.calls.writing import read_toml

SHIPPED_CALLS = "clusterbridge.rules.calls"


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The calls by id, in a stable order (by id)."""

    calls: tuple[Call, ...]

    def get(self, call_id: str) -> Call:
        """The call with this id (case-insensitive); UnknownCallError lists the known ids."""
        wanted = call_id.strip().casefold()
        for call in self.calls:
            if call.id.casefold() == wanted:
                return call
        raise UnknownCallError(call_id, [c.id for c in self.calls])


def load_catalogue(extra_dirs: Iterable[Path] = ()) -> Catalogue:
    """Load the shipped calls and every ``*.toml`` in ``extra_dirs``.

    All files are validated before anything is returned; every problem of every file is reported
    at once in one InvalidInputError (file, field, reason). A user's file may not reuse the id of
    another call: to change a shipped call, copy it under a new id.
    """
    files: list[tuple[str, bytes]] = [
        (f"{SHIPPED_CALLS}/{item.name}", item.read_bytes()) for item in _shipped_files()
    ]
    for folder in extra_dirs:
        files.extend((str(path), path.read_bytes()) for path in _user_files(folder))
    issues: list[InputIssue] = []
    seen: dict[str, str] = {}
    calls: list[Call] = []
    for name, data in files:
        call = parse_call_file(name, data, issues)
        if call is None:
            continue
        first = seen.setdefault(call.id.casefold(), name)
        if first != name:
            issues.append(InputIssue(name, "id", f'call "{call.id}" is already defined in {first}'))
        calls.append(call)
    if issues:
        raise InvalidInputError(f"{len(issues)} problem(s) in the call files", issues)
    return Catalogue(tuple(sorted(calls, key=lambda c: c.id)))


def parse_call_file(name: str, data: bytes, issues: list[InputIssue]) -> Call | None:
    """Parse one call file; append its problems to ``issues`` and return None if it has any."""
    try:
        raw = read_toml(data.decode("utf-8"))
    except UnicodeDecodeError:
        issues.append(InputIssue(name, "", "the file is not UTF-8 text"))
        return None
    except tomllib.TOMLDecodeError as error:
        issues.append(InputIssue(name, "", f"not valid TOML: {error}"))
        return None
    try:
        model = CallFile.model_validate(raw)
    except ValidationError as error:
        issues.extend(_issues(name, raw, error))
        return None
    uncited = model.uncited_documents()
    for field, document in uncited:
        issues.append(InputIssue(name, field, f'"{document}" is not listed in [documents]'))
    if uncited:
        return None
    stem = Path(name).stem
    if stem != model.id:
        issues.append(
            InputIssue(name, "id", f'the file of call "{model.id}" must be named {model.id}.toml')
        )
        return None
    return model.to_call()


def _issues(name: str, raw: object, error: ValidationError) -> list[InputIssue]:
    found = []
    for problem in error.errors(include_url=False):
        field = _field_path(raw, problem["loc"])
        found.append(InputIssue(name, field, refusal_reason(problem)))
    return found


def _field_path(raw: object, loc: tuple[int | str, ...]) -> str:
    """``rules[3] (id "max-duration").params.max`` rather than ``rules.3.params.max``."""
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int):
            label = f"[{key + 1}]"
            if isinstance(node, list) and key < len(node) and isinstance(node[key], dict):
                ident = node[key].get("id")
                label += f' (id "{ident}")' if ident else ""
                node = node[key]
            parts.append(label)
        else:
            parts.append(f".{key}" if parts else key)
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts)


def _shipped_files() -> list[Traversable]:
    folder = resources.files(SHIPPED_CALLS)
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


def _user_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InvalidInputError(
            "The calls folder cannot be read", [InputIssue(str(folder), "", "no such folder")]
        )
    return sorted(folder.glob("*.toml"))
