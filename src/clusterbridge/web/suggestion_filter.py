"""The controls of a suggestions panel: the kind of partner sought and "new partners only"."""

from pydantic import BaseModel

from clusterbridge.services.matching.questions import KIND_CHOICES, Seeking, seeking


class SuggestionFilter(BaseModel):
    """The kind of partner sought on a suggestions panel: a kind (empty: any) and "new
    partners only" (a checkbox: present or not)."""

    kind: str = ""
    new_only: str = ""

    def wanted(self) -> Seeking:
        """The service's question (InvalidInputError for an unknown kind)."""
        return seeking(kind=self.kind, new_only=bool(self.new_only))


#: The kinds a suggestions panel offers, with their labels.
KIND_LABELS = {
    kind: {"sme": "SME", "tech_savvy": "tech-savvy SME", "traditional": "traditional SME"}.get(
        kind, kind.replace("_", " ")
    )
    for kind in KIND_CHOICES
}
