"""The analysis workspace's forms: a finding as typed, the values every form of the page shows,
and the order of a list after a move."""

from typing import Any

from pydantic import BaseModel, Field

from clusterbridge.domain.analysis import MAX_TITLE, FindingKind
from clusterbridge.domain.enums import SmeProfile
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.monitoring import analysis


class FindingForm(BaseModel):
    """The new-finding form as typed (the kind and profile checked by ``finding_draft``)."""

    kind: str = Field(default=FindingKind.OPPORTUNITY.value, max_length=20)
    title: str = Field(default="", max_length=MAX_TITLE + 100)
    #: Not capped: the service refuses a text over its limit beside the box, which keeps it.
    text: str = ""
    sme_profile: str = Field(default="", max_length=20)


def finding_draft(
    form: FindingForm, technologies: list[str], ecosystems: list[str]
) -> analysis.FindingDraft:
    """The service's draft, or ``InvalidInputError`` naming ``kind`` or ``sme_profile`` when
    they are not one of the choices."""
    kinds = {kind.value: kind for kind in FindingKind}
    profiles: dict[str, SmeProfile | None] = {"": None} | {p.value: p for p in SmeProfile}
    issues = []
    if form.kind not in kinds:
        issues.append(InputIssue("", "kind", "choose opportunity or threat"))
    if form.sme_profile not in profiles:
        issues.append(InputIssue("", "sme_profile", "choose one of the profiles listed"))
    if issues:
        raise InvalidInputError("The finding was not saved", issues)
    return analysis.FindingDraft(
        kind=kinds[form.kind],
        title=form.title,
        text=form.text,
        technologies=tuple(technologies),
        ecosystems=tuple(ecosystems),
        sme_profile=profiles[form.sme_profile],
    )


def forms_of(found: analysis.Analysis) -> dict[str, dict[str, Any]]:
    """The values of every form of the page: empty new ones, and each finding's and
    recommendation's edit form filled with what it holds."""
    forms: dict[str, dict[str, Any]] = {
        "finding": finding_values(FindingForm(), [], []),
        "recommendation": {"audience": "eu", "text": "", "finding_ids": []},
    }
    for f in found.findings:
        profile = f.sme_profile.value if f.sme_profile else ""
        form = FindingForm(kind=f.kind.value, title=f.title, text=f.text, sme_profile=profile)
        forms[f"finding-{f.id}"] = finding_values(form, f.technologies, f.ecosystems)
    for r in found.recommendations:
        forms[f"recommendation-{r.id}"] = {
            "audience": r.audience.value,
            "text": r.text,
            "finding_ids": [f.id for f in r.findings],
        }
    return forms


def finding_values(
    form: FindingForm, technologies: list[str], ecosystems: list[str]
) -> dict[str, Any]:
    """The values a finding form shows."""
    return form.model_dump() | {"technologies": technologies, "ecosystems": ecosystems}


def moved(ids: list[int], item: int, *, up: bool) -> list[int]:
    """``ids`` with ``item`` swapped with its neighbour above (``up``) or below."""
    if item not in ids:
        return ids
    at = ids.index(item)
    other = at - 1 if up else at + 1
    if 0 <= other < len(ids):
        ids[at], ids[other] = ids[other], ids[at]
    return ids


def recommendation_values(draft: analysis.RecommendationDraft) -> dict[str, Any]:
    """The values a recommendation form shows."""
    return {"audience": draft.audience, "text": draft.text, "finding_ids": draft.finding_ids}
