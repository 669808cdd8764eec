"""The controls of a suggestions panel: the kind of partner sought and "new partners only"."""

from pydantic import BaseModel

from clusterbridge.services.matching.questions import KIND_CHOICES, Seeking, seeking


class SuggestionFilter(BaseModel):
    """The kind of partner sought on a suggestions panel: a kind (empty: any) and "new
    partners only" (a checkbox: present or not; read as the API reads it, so that a value
    that is not true or false, such as ``maybe``, is refused, not taken as ticked)."""

    kind: str = ""
    new_only: bool = False

    def or_new_partners(self, *, sent: bool) -> "SuggestionFilter":
        """This filter, or, when no filter was sent (``sent`` false: an organisation's panel
        or page opened without one in its address), "new partners only": what an
        organisation's suggestions start with on the web (the API's ``new_only`` starts
        false). A filter sent always holds ``kind``, so an unticked box stays unticked."""
        return self if sent else self.model_copy(update={"new_only": True})

    def wanted(self) -> Seeking:
        """The service's question (InvalidInputError for an unknown kind)."""
        return seeking(kind=self.kind, new_only=self.new_only)


#: The query parameters of a suggestions filter: one of them in an address means it was sent.
FILTER_FIELDS = frozenset(SuggestionFilter.model_fields)

#: The kinds a suggestions panel offers, with their labels.
KIND_LABELS = {
    kind: {"sme": "SME", "tech_savvy": "tech-savvy SME", "traditional": "traditional SME"}.get(
        kind, kind.replace("_", " ")
    )
    for kind in KIND_CHOICES
}
