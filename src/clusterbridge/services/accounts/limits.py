"""Limits on password guessing and on reset mail: attempts counted per account and per client
address.

Sign-in: every attempt counts, before the password is checked, so that concurrent guesses
cannot slip past the limit; an attempt whose password proves right is then given back (and
clears the account's count), so only failures use up the limits: people sharing one office
connection do not lock each other out by signing in.

Password-reset requests have limits of their own, in another namespace: asking for reset links
never locks anybody out of signing in. Both answer the same whether or not the address has an
account (the account's key is the address as typed, lower-cased). The counts live in the
``limits`` storage the settings name: memory (one process) by default, or a shared server
(``redis://...``) so that several processes count together.
"""

import math
import time
from dataclasses import dataclass, field

from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from clusterbridge.config import Settings
from clusterbridge.domain.errors import DomainError

SECONDS_PER_MINUTE = 60
#: The namespaces of the counts (the first part of every key).
SIGN_IN = "sign-in"
PASSWORD_RESET = "password-reset"  # noqa: S105 -- a key namespace, not a secret


class TooManyAttemptsError(DomainError):
    """Too many sign-in attempts for an account or from a client address (429)."""

    status = 429

    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        minutes = max(1, math.ceil(retry_after_seconds / SECONDS_PER_MINUTE))
        unit = "minute" if minutes == 1 else "minutes"
        super().__init__(f"Too many sign-in attempts; try again in {minutes} {unit}")


@dataclass
class AttemptCounter:
    """Counts attempts in ``namespace``, per account (``per_account``) and per client address
    (``per_address``), both in the ``limits`` notation such as "10 per 15 minutes", in the
    storage at ``storage_uri``."""

    namespace: str
    per_account: str
    per_address: str
    storage_uri: str
    _storage: Storage = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._account_limit: RateLimitItem = parse(self.per_account)
        self._address_limit: RateLimitItem = parse(self.per_address)
        storage = storage_from_string(self.storage_uri)
        if not isinstance(storage, Storage):
            raise ValueError(f"{self.storage_uri} is a storage for asyncio; use a synchronous one")
        self._storage = storage
        self._strategy = FixedWindowRateLimiter(self._storage)

    def hit(self, *, email: str, address: str) -> int | None:
        """Count one attempt for the account ``email`` from the client ``address``: None, or
        the seconds to wait when either limit is used up (the address is checked first, and a
        refused address counts nothing against the account)."""
        keys = (
            (self._address_limit, "address", address),
            (self._account_limit, "account", _account(email)),
        )
        for limit, kind, key in keys:
            if not self._strategy.hit(limit, self.namespace, kind, key):
                stats = self._strategy.get_window_stats(limit, self.namespace, kind, key)
                return max(1, math.ceil(stats.reset_time - time.time()))
        return None

    def give_back(self, *, address: str) -> None:
        """Take back one attempt counted from the client ``address`` (never below zero)."""
        key = self._address_limit.key_for(self.namespace, "address", address)
        if self._storage.get(key) > 0:
            self._storage.incr(key, self._address_limit.get_expiry(), amount=-1)

    def clear_account(self, email: str) -> None:
        """Forget the attempts counted for the account ``email``."""
        self._strategy.clear(self._account_limit, self.namespace, "account", _account(email))


@dataclass
class SignInLimiter:
    """Counts failed sign-in attempts (and password checks when a password is changed)."""

    counter: AttemptCounter

    def count_attempt(self, *, email: str, address: str) -> None:
        """Count one attempt for the account ``email`` from the client ``address``, before its
        password is checked; TooManyAttemptsError (with the seconds to wait) when either limit
        is used up. Call ``forgive_attempt`` once the password proves right."""
        retry_after = self.counter.hit(email=email, address=address)
        if retry_after is not None:
            raise TooManyAttemptsError(retry_after)

    def forgive_attempt(self, *, email: str, address: str) -> None:
        """The attempt just counted had the right password: it no longer counts against the
        client ``address``, and the earlier failures of the account ``email`` are forgotten."""
        self.counter.give_back(address=address)
        self.counter.clear_account(email)

    def forget_failures(self, *, email: str) -> None:
        """Forget the failed attempts counted for the account ``email`` (not those of client
        addresses): its owner proved who they are another way, by an e-mailed reset link."""
        self.counter.clear_account(email)


@dataclass
class PasswordResetLimiter:
    """Counts requests for password-reset links, apart from the sign-in attempts."""

    counter: AttemptCounter

    def allow_request(self, *, email: str, address: str) -> bool:
        """Count one request for a reset link to ``email`` from the client ``address``; False
        when either limit is used up (then no link is sent, and the answer stays the same)."""
        return self.counter.hit(email=email, address=address) is None


def build_sign_in_limiter(settings: Settings) -> SignInLimiter:
    """The limiter of the settings ``sign_in_limit_per_*`` and ``rate_limit_storage`` (a store
    that cannot be reached, or needs a package that is missing, fails here, at start-up)."""
    return SignInLimiter(
        AttemptCounter(
            namespace=SIGN_IN,
            per_account=settings.sign_in_limit_per_account,
            per_address=settings.sign_in_limit_per_address,
            storage_uri=settings.rate_limit_storage,
        )
    )


def build_password_reset_limiter(settings: Settings) -> PasswordResetLimiter:
    """The limiter of the settings ``password_reset_limit_per_*`` in ``rate_limit_storage``."""
    return PasswordResetLimiter(
        AttemptCounter(
            namespace=PASSWORD_RESET,
            per_account=settings.password_reset_limit_per_account,
            per_address=settings.password_reset_limit_per_address,
            storage_uri=settings.rate_limit_storage,
        )
    )


def _account(email: str) -> str:
    return email.strip().lower()
