"""Errors the domain raises. Adapters turn them into exit codes and HTTP statuses."""

from dataclasses import dataclass


class DomainError(Exception):
    """Base of every error a user can cause; ``status`` is the HTTP status an API would answer."""

    status: int = 400


@dataclass(frozen=True, slots=True)
class InputIssue:
    """One problem in user input: where it is (``location``: a file, row or field) and why."""

    location: str
    field: str
    reason: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.location, self.field) if part)
        return f"{where}: {self.reason}" if where else self.reason


class InvalidInputError(DomainError):
    """User input with one or more problems, all reported at once."""

    status = 422

    def __init__(self, summary: str, issues: list[InputIssue]) -> None:
        self.summary = summary
        self.issues = tuple(issues)
        super().__init__(self.render())

    def render(self) -> str:
        """The summary followed by one line per issue."""
        lines = [self.summary, *(f"  - {issue}" for issue in self.issues)]
        return "\n".join(lines)


class MissingDependencyError(DomainError):
    """An optional part of clusterbridge is not installed (e.g. WeasyPrint for PDF)."""

    status = 501


class UnknownCallError(DomainError):
    """A call id that the catalogue does not have."""

    status = 404

    def __init__(self, call_id: str, known: list[str]) -> None:
        self.call_id = call_id
        super().__init__(f'Unknown call "{call_id}". Known calls: {", ".join(known)}')


class AccessDeniedError(DomainError):
    """The actor sees the record (a consortium, an event) but may not do this to it."""

    status = 403


class NotTakingPartError(AccessDeniedError):
    """The actor sees the event but takes no part in it (no validated registration): 403, with
    what a page needs to offer the way in: the event and whether the actor may register now
    (registration open, and no registration or a withdrawn one)."""

    def __init__(self, message: str, *, event_id: int, may_register: bool) -> None:
        self.event_id = event_id
        self.may_register = may_register
        super().__init__(message)


class ConflictError(DomainError):
    """The change collides with the state things are in, typically with another change made at
    the same moment: a second coordinator, a request already answered, a duplicate."""

    status = 409
