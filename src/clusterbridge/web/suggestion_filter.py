"""The controls of a suggestions panel: the kind of partner sought and "new partners only"."""

from pydantic import BaseModel

from clusterbridge.services.matching.questions import KIND_CHOICES, Seeking, seeking


class SuggestionFilter(BaseModel):
    """The kind of partner sought on a suggestions panel: a kind (empty: any) and "new
    partners only" (a checkbox: present or not; read as the API reads it, so that a value
    that is not true or false, such as ``maybe``, is refused, not taken as ticked)."""

    kind: str = ""
    new_only: bool = False

    def wanted(self) -> Seeking:
        """The service's question (InvalidInputError for an unknown kind)."""
        return seeking(kind=self.kind, new_only=self.new_only)


#: The kinds a suggestions panel offers, with their labels.
KIND_LABELS = {
    kind: {"sme": "SME", "tech_savvy": "tech-savvy SME", "traditional": "traditional SME"}.get(
        kind, kind.replace("_", " ")
    )
    for kind in KIND_CHOICES
}
