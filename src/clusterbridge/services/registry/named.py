"""The one organisation a person names in a box or a file's cell: by its PIC, its registry
number or its whole name. Every place that reads an organisation so (the organisation form's
cluster box, the SME service deliveries typed or imported) goes through `find_named_organisation`,
so that an unknown or ambiguous name is refused in the same words everywhere.
"""

from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation
from clusterbridge.db.repositories import organisations as repository
from clusterbridge.domain.enums import CLUSTER_TYPES, OrgType
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.registry.keys import name_key, search_terms
from clusterbridge.services.registry.search import OrganisationFilters, search_organisations

#: The digits of a PIC; a shorter number is a registry number (the record's id).
PIC_DIGITS = 9
#: How many organisations a refused name lists.
SHOWN = 5


def find_named_organisation(
    session: Session,
    text: str,
    *,
    field: str,
    location: str = "",
    clusters_only: bool = False,
    exclude_id: int | None = None,
) -> Organisation:
    """The organisation ``text`` names: its PIC (nine digits), its registry number (fewer
    digits) or its whole name as the registry writes it (accents, case and punctuation aside).
    With ``clusters_only`` only cluster organisations and networks are named; ``exclude_id``
    (the organisation being edited) never is.

    A part of a name never picks an organisation, even the only one it matches: raises
    InvalidInputError (an issue on ``location`` and ``field``) for a blank text, an unknown
    number, a name no organisation has (listing those whose names match it, if any) or one
    that several have (listing them). Each listed organisation is named with its country and
    its PIC, else its registry number. Reads only."""
    words = _Words(clusters_only)
    reference = text.strip()
    if not reference:
        reason = "is required"
    elif reference.isdigit():
        found = _by_number(session, reference, clusters_only, exclude_id)
        if found is not None:
            return found
        reason = f"is not the PIC or registry number of {words.one}"
    else:
        named = _by_name(session, reference, clusters_only, exclude_id)
        if len(named) == 1:
            return named[0]
        reason = (
            _several(reference, named, words)
            if named
            else _none(session, reference, words, exclude_id)
        )
    raise InvalidInputError(
        "The organisation cannot be found", [InputIssue(location, field, reason)]
    )


class _Words:
    """How the messages call what is looked for."""

    def __init__(self, clusters_only: bool) -> None:
        self.clusters_only = clusters_only
        self.noun = "cluster organisation or network" if clusters_only else "organisation"
        self.one = f"a {self.noun}" if clusters_only else "an organisation"
        self.many = "cluster organisations or networks" if clusters_only else "organisations"


def _types(clusters_only: bool) -> tuple[OrgType, ...]:
    return tuple(sorted(CLUSTER_TYPES)) if clusters_only else ()


def _by_number(
    session: Session, text: str, clusters_only: bool, exclude_id: int | None
) -> Organisation | None:
    if not text.isascii() or len(text) > PIC_DIGITS:
        return None
    if len(text) == PIC_DIGITS:
        found = repository.get_by_pic(session, text)
    else:
        found = next(iter(repository.list_by_ids(session, [int(text)])), None)
    return found if found is not None and _fits(found, clusters_only, exclude_id) else None


def _by_name(
    session: Session, text: str, clusters_only: bool, exclude_id: int | None
) -> list[Organisation]:
    key = name_key(text)
    if not key:
        return []
    found = repository.list_by_name_key(session, key, limit=SHOWN + 2, types=_types(clusters_only))
    return [organisation for organisation in found if organisation.id != exclude_id]


def _fits(organisation: Organisation, clusters_only: bool, exclude_id: int | None) -> bool:
    if organisation.id == exclude_id:
        return False
    return not clusters_only or organisation.type in CLUSTER_TYPES


def _label(name: str, country: str, pic: str | None, id_: int) -> str:
    """An organisation as a refused name lists it: its name, country and PIC (or number)."""
    return f"{name} ({country}, PIC {pic})" if pic else f"{name} ({country}, registry number {id_})"


def _listed(labels: list[str]) -> str:
    more = ", and more" if len(labels) > SHOWN else ""
    return "; ".join(labels[:SHOWN]) + more


def _several(text: str, named: list[Organisation], words: _Words) -> str:
    labels = [_label(o.name, o.country, o.pic, o.id) for o in named]
    return (
        f'several {words.many} are named "{text}" ({_listed(labels)}): give the PIC or the '
        "registry number"
    )


def _none(session: Session, text: str, words: _Words, exclude_id: int | None) -> str:
    """Why no organisation is named ``text``, with those whose names match part of it."""
    unknown = f'no {words.noun} of the registry is named "{text}"'
    labels: list[str] = []
    if search_terms(text):
        filters = OrganisationFilters(text=text, types=_types(words.clusters_only))
        result = search_organisations(session, filters, per_page=SHOWN + 2, with_facets=False)
        labels = [
            _label(item.name, item.country, item.pic, item.id)
            for item in result.items
            if item.id != exclude_id
        ]
    if not labels:
        return f"{unknown}: give its name as the registry writes it, its PIC or its registry number"
    return (
        f"{unknown} (it matches {_listed(labels)}): give the whole name, the PIC or the registry "
        "number"
    )
