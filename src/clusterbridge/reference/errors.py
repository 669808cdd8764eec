"""Errors raised by the reference-data layer for input it does not know."""


class UnknownCountryError(ValueError):
    """A value that is neither a known country code nor a known English country name.

    `suggestions` holds the canonical codes of up to two countries close to the value, closest
    first (empty when none is close); the message names them.
    """

    def __init__(self, message: str, *, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.suggestions = suggestions


class UnknownRegionError(ValueError):
    """A code that is not a NUTS code of any version 2006–2024."""


class UnknownEcosystemError(ValueError):
    """A value that names none of the 14 industrial ecosystems."""


class UnknownCountrySetError(KeyError):
    """A name that is not one of the country sets in `COUNTRY_SET_NAMES`."""

    def __str__(self) -> str:
        # KeyError's own __str__ shows the repr of its argument, quotes and all.
        return str(self.args[0]) if self.args else ""
