"""The columns of a consortium file and how one row of cells becomes a `Partner`.

A blank cell is *unknown* and becomes ``None``; nothing here guesses a value the user did not give.
Every reason is a sentence a user can act on without reading the code.
"""

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlsplit

from clusterbridge.domain.consortium import Partner
from clusterbridge.domain.eligibility.filters import TYPE_NOUNS
from clusterbridge.domain.enums import OrgType, Role, SmeProfile
from clusterbridge.reference import (
    UnknownCountryError,
    UnknownRegionError,
    bare_country_outside_nuts,
    lookup_region,
    normalise_country,
)
from clusterbridge.services.text import (
    BARE_DOMAIN,
    WEB_SCHEMES,
    bare_domain_address,
    website_reason,
)

#: Every column a consortium file may have, in the order the template shows them.
CONSORTIUM_COLUMNS: tuple[str, ...] = (
    "name",
    "country",
    "nuts",
    "type",
    "sme_profile",
    "legal_entity",
    "eccp_registered",
    "role",
    "id",
    "pic",
    "email",
    "website",
)

#: Columns that must be present in the header and filled in on every row.
REQUIRED_COLUMNS: tuple[str, ...] = ("name", "country")
#: Why a blank name or country is refused: the issue names the column, its reason does not
#: again ("line 3, name: is required", as the registry's files say).
REQUIRED = "is required"

#: Both columns hold the Participant Identification Code; ``id`` is the one the issue names.
PIC_COLUMNS: tuple[str, ...] = ("id", "pic")

PIC_LENGTH = 9
YES_WORDS = frozenset({"yes", "y", "true", "1"})
NO_WORDS = frozenset({"no", "n", "false", "0"})
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")

#: A problem with one cell of a row: the column and the reason.
CellProblem = tuple[str, str]

_T = TypeVar("_T")
_E = TypeVar("_E", bound=StrEnum)


class CellError(ValueError):
    """A cell value that cannot be used; the message is the reason shown to the user."""


def normalise_column(name: str) -> str:
    """The canonical spelling of a header cell: lower case, spaces and hyphens as underscores."""
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def text_of(value: str | None) -> str:
    """A cell's text without surrounding spaces; ``""`` for a missing cell."""
    return (value or "").strip()


def column_problems(
    names: Sequence[str], *, header: bool, registry: bool = False
) -> list[CellProblem]:
    """Unknown and repeated column names, and for a ``header`` the missing required columns.

    With a ``registry`` to look PICs up in, a header with ``id`` or ``pic`` needs no other
    column. Blank names are skipped: their values are reported by `headerless_problems`.
    """
    problems: list[CellProblem] = []
    seen: set[str] = set()
    for name in map(str.strip, names):
        column = normalise_column(name)
        if column and column not in CONSORTIUM_COLUMNS:
            known = ", ".join(CONSORTIUM_COLUMNS)
            problems.append((name, f"is not a known column; the columns are: {known}"))
        elif column and column in seen:
            problems.append((name, "the column is given more than once"))
        seen.add(column)
    identified = registry and any(column in seen for column in PIC_COLUMNS)
    required = header and not identified
    missing = [column for column in REQUIRED_COLUMNS if column not in seen] if required else []
    return problems + [(column, "the column is missing") for column in missing]


def row_values(row: Mapping[str, str | None]) -> dict[str, str]:
    """The non-blank cells of the known columns of a row, by canonical column name."""
    values: dict[str, str] = {}
    for key, value in row.items():
        column = normalise_column(key)
        if column in CONSORTIUM_COLUMNS and text_of(value) and column not in values:
            values[column] = text_of(value)
    return values


def headerless_problems(row: Mapping[str, str | None]) -> list[CellProblem]:
    """A problem for each value in a column whose header is blank."""
    return [
        ("", f'"{text_of(value)}" is in a column without a header')
        for key, value in row.items()
        if not normalise_column(key) and text_of(value)
    ]


def parse_country(text: str) -> str:
    """The canonical EU country code for a code or an English name (GR → EL, GB → UK)."""
    try:
        return normalise_country(text)
    except UnknownCountryError as error:
        raise CellError(str(error)) from error


def parse_nuts(text: str) -> tuple[str | None, str]:
    """The code as given (upper case, any NUTS version) and the country its region lies in.

    A bare code of a country outside the NUTS area (``US``, ``IL``, ``UA``: Horizon Europe files
    put it there) means *no region*: ``(None, country)``.
    """
    outside = bare_country_outside_nuts(text)
    if outside is not None:
        return None, outside
    code = text.strip().upper()
    try:
        region = lookup_region(code)
    except UnknownRegionError as error:
        raise CellError(str(error)) from error
    return code, region.country


def parse_yes_no(text: str) -> bool:
    """Yes or no, spelled yes/no, y/n, true/false or 1/0 in any case."""
    word = text.strip().lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise CellError(f'"{text}" is not yes or no')


def parse_pic(text: str) -> str:
    """A Participant Identification Code: exactly nine digits."""
    pic = text.strip()
    if len(pic) != PIC_LENGTH or not pic.isascii() or not pic.isdigit():
        raise CellError(f'"{text}" is not a PIC: a PIC has exactly {PIC_LENGTH} digits')
    return pic


def parse_email(text: str) -> str:
    """An email address of the form name@domain.tld."""
    if not _EMAIL.fullmatch(text):
        raise CellError(f'"{text}" is not an email address')
    return text


def parse_website(text: str) -> str:
    """An http(s) address, or a bare domain that is given the ``https://`` scheme."""
    if text.lower().startswith(WEB_SCHEMES):
        if BARE_DOMAIN.fullmatch(urlsplit(text).netloc):
            return text
    elif address := bare_domain_address(text):
        return address
    raise CellError(website_reason(text))


def _choice_parser(enum: type[_E], what: str) -> Callable[[str], _E]:
    """A parser for one value of ``enum``, forgiving case, spaces and hyphens."""
    allowed = ", ".join(member.value for member in enum)

    def parse(text: str) -> _E:
        try:
            return enum(normalise_column(text))
        except ValueError:
            raise CellError(f'"{text}" is not {what}; use one of: {allowed}') from None

    return parse


parse_org_type = _choice_parser(OrgType, "an organisation type")
parse_sme_profile = _choice_parser(SmeProfile, "an SME profile")
parse_role = _choice_parser(Role, "a role")


class _Cells:
    """The filled-in cells of one row, and the problems found while reading them."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values
        self.problems: list[CellProblem] = []

    def read(self, column: str, parse: Callable[[str], _T]) -> _T | None:
        """The parsed value of ``column``; None when it is blank or has a problem."""
        text = self.values.get(column)
        if text is None:
            return None
        try:
            return parse(text)
        except CellError as error:
            self.problems.append((column, str(error)))
            return None


def row_pic(values: Mapping[str, str]) -> str | None:
    """The PIC a row gives in ``id`` or ``pic``, if it is nine digits."""
    for column in PIC_COLUMNS:
        text = values.get(column, "").strip()
        if len(text) == PIC_LENGTH and text.isascii() and text.isdigit():
            return text
    return None


def parse_partner(
    values: Mapping[str, str],
    *,
    registered: Partner | None = None,
    registry: bool = False,
    recorded: Collection[str] = (),
) -> tuple[Partner, list[CellProblem]]:
    """The partner of one row and every problem of the row.

    ``values`` maps canonical column names to the non-blank, stripped cells of the row. When
    the row's PIC is in the registry, ``registered`` is the registry's partner: its values fill
    the blank cells, and the row's own cells win. ``registry`` says whether a registry was
    consulted at all (it changes the words for an unknown PIC). When there are problems the
    partner holds only what could be read (an unreadable name or country is ``""``): it serves
    the checks across rows and must not leave the service.

    ``recorded`` names the columns whose values are a registry organisation's as recorded, not
    typed by the user (the cells ``registered`` fills are too). A recorded value is taken as
    it is: CORDIS flags research organisations, universities and cluster organisations as SMEs,
    so the registry gives them an SME profile, and such an organisation must stay addable.
    """
    if registered is not None:
        filled = _registry_values(registered)
        recorded = {*recorded, *(column for column in filled if column not in values)}
        values = filled | dict(values)
    cells = _Cells(values)
    _check_required(cells, registry=registry)
    country = cells.read("country", parse_country)
    located = cells.read("nuts", parse_nuts)
    org_type = cells.read("type", parse_org_type)
    profile = cells.read("sme_profile", parse_sme_profile)
    _check_region(cells, located, country)
    if "sme_profile" not in recorded:
        _check_profile(cells, org_type, profile)
    partner = Partner(
        name=values.get("name", ""),
        country=country or "",
        nuts=located[0] if located else None,
        type=org_type,
        sme_profile=profile,
        legal_entity=cells.read("legal_entity", parse_yes_no),
        eccp_registered=cells.read("eccp_registered", parse_yes_no),
        role=cells.read("role", parse_role),
        pic=_read_pic(cells),
        email=cells.read("email", parse_email),
        website=cells.read("website", parse_website),
    )
    return partner, cells.problems


def _registry_values(partner: Partner) -> dict[str, str]:
    """A registry partner as the cells of a row."""
    cells = {
        "name": partner.name,
        "country": partner.country,
        "nuts": partner.nuts,
        "type": partner.type.value if partner.type else None,
        "sme_profile": partner.sme_profile.value if partner.sme_profile else None,
        "legal_entity": _yes_no(partner.legal_entity),
        "eccp_registered": _yes_no(partner.eccp_registered),
        "email": partner.email,
        "website": partner.website,
    }
    return {column: text for column, text in cells.items() if text}


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _check_required(cells: _Cells, *, registry: bool) -> None:
    """Report blank required cells; with a PIC alone, say why the PIC is not enough."""
    missing = [column for column in REQUIRED_COLUMNS if column not in cells.values]
    pic_column = next((column for column in PIC_COLUMNS if column in cells.values), None)
    if missing and pic_column and registry:
        reason = (
            f"PIC {cells.values[pic_column]} is not in the registry, so name and country are "
            "required"
        )
        cells.problems.append((pic_column, reason))
        return
    if missing and pic_column:
        reason = (
            "the partner registry is not available yet, so a PIC alone cannot identify "
            "a partner: name and country are required"
        )
        cells.problems.append((pic_column, reason))
        return
    cells.problems.extend((column, REQUIRED) for column in missing)


def _check_region(
    cells: _Cells, located: tuple[str | None, str] | None, country: str | None
) -> None:
    """Report a NUTS code (or an outside country's code) of another country than the row's."""
    if located and country and located[1] != country:
        code, other = located
        if code is None:
            reason = f"{other} is a country outside the NUTS regions, not {country}"
        else:
            reason = f"NUTS code {code} is in {other}, not {country}"
        cells.problems.append(("nuts", reason))


def _check_profile(cells: _Cells, org_type: OrgType | None, profile: SmeProfile | None) -> None:
    """Report an SME profile given for a partner that is known not to be an SME."""
    if profile and org_type and org_type is not OrgType.SME:
        reason = f"only an SME has an SME profile, and this partner is {TYPE_NOUNS[org_type]}"
        cells.problems.append(("sme_profile", reason))


def _read_pic(cells: _Cells) -> str | None:
    """The PIC from ``id`` or ``pic``; both given and different is a problem."""
    by_id = cells.read("id", parse_pic)
    by_pic = cells.read("pic", parse_pic)
    if by_id and by_pic and by_id != by_pic:
        cells.problems.append(("pic", f"id {by_id} and pic {by_pic} differ; give the PIC once"))
    return by_id or by_pic
