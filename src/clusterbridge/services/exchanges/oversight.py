"""Programme oversight: every exchange, read-only, for programme officers (and administrators),
filtered by partnership and state and read a page at a time; and how many wait for their
payment (the officer's home page).

Reading gives no right to act: approving, reporting, validating, paying and cancelling stay
with the exchange's parties and partnerships (`workflow`, `payment`, `cancellation`)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from clusterbridge.db.models import Exchange, ExchangePartnership, User
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.domain.enums import ExchangeState, UserRole
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError

#: Roles that read every exchange.
OVERSEER_ROLES: frozenset[UserRole] = frozenset(
    {UserRole.ADMINISTRATOR, UserRole.PROGRAMME_OFFICER}
)
#: Exchanges on one page of the list, unless asked otherwise; and the most one page takes.
PER_PAGE = 20
MAX_PER_PAGE = 100
#: Pages beyond this are refused: nobody pages that far, and offsets stay small.
MAX_PAGE = 10_000


@dataclass(frozen=True, slots=True)
class ExchangeListing:
    """One page of the exchanges the filters find, their total, and every partnership (the
    filter's choices)."""

    exchanges: list[Exchange]
    total: int
    page: int
    per_page: int
    partnerships: list[ExchangePartnership]

    @property
    def pages(self) -> int:
        """How many pages the exchanges fill (at least one)."""
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True, slots=True)
class PaymentsAwaited:
    """The exchanges whose closing report is validated and whose lump sum the visitor's
    partnership has not paid yet, and how many of them are past their due date."""

    exchanges: int
    late: int


def oversees(user: User) -> bool:
    """Whether the user reads every exchange: an active programme officer or administrator."""
    return user.is_active and user.role in OVERSEER_ROLES


def overseen_partnerships(session: Session, actor: User) -> list[ExchangePartnership]:
    """Every partnership, by name, the list's filter choices: for programme officers and
    administrators (``AccessDeniedError`` for anyone else)."""
    _require_overseer(actor)
    return repository.list_partnerships(session)


def payments_awaited(session: Session, actor: User, *, today: date) -> PaymentsAwaited:
    """For programme officers and administrators, how many exchanges wait for their payment
    and how many of them were due before ``today`` (the site's date); none for anyone else,
    who is not told. Reads only (one query, whatever the counts)."""
    if not oversees(actor):
        return PaymentsAwaited(0, 0)
    unpaid, late = repository.count_unpaid_exchanges(session, late_before=today)
    return PaymentsAwaited(unpaid, late)


def _require_overseer(actor: User) -> None:
    if not oversees(actor):
        raise AccessDeniedError("Only programme officers and administrators see every exchange.")


def list_exchanges(
    session: Session,
    actor: User,
    *,
    partnership_id: int | None = None,
    state: ExchangeState | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> ExchangeListing:
    """One page of every exchange, by start date, for programme officers and administrators
    (``AccessDeniedError`` for anyone else): those of the partnership ``partnership_id`` (as
    visitor or host) and in ``state`` when given. An unknown partnership, a page outside 1 to
    ``MAX_PAGE`` and a page size outside 1 to ``MAX_PER_PAGE`` are ``InvalidInputError``,
    each named; a page past the last is empty (its ``pages`` says how many there are). Reads
    only."""
    partnerships = overseen_partnerships(session, actor)
    issues = _listing_issues(partnerships, partnership_id, page=page, per_page=per_page)
    if issues:
        raise InvalidInputError("The exchanges cannot be listed:", issues)
    total = repository.count_exchanges(session, partnership_id=partnership_id, state=state)
    found = repository.list_exchanges(
        session,
        partnership_id=partnership_id,
        state=state,
        offset=(page - 1) * per_page,
        limit=per_page,
    )
    return ExchangeListing(found, total, page, per_page, partnerships)


def _listing_issues(
    partnerships: list[ExchangePartnership],
    partnership_id: int | None,
    *,
    page: int,
    per_page: int,
) -> list[InputIssue]:
    issues = []
    if partnership_id is not None and all(p.id != partnership_id for p in partnerships):
        issues.append(InputIssue("", "partnership", f"there is no partnership {partnership_id}"))
    if not 1 <= page <= MAX_PAGE:
        issues.append(InputIssue("", "page", f"must be between 1 and {MAX_PAGE:,}"))
    if not 1 <= per_page <= MAX_PER_PAGE:
        issues.append(InputIssue("", "per_page", f"must be between 1 and {MAX_PER_PAGE}"))
    return issues
