"""The forms of authored calls and of proposals, read as typed text.

Numbers, dates and the lines of the strands and criteria are read here, each mistake named by
its field; the services then check the values themselves, and one submit lists every mistake
of both (a field that cannot be read is left out of the services' checks).
"""

import re
from dataclasses import replace
from datetime import datetime

from pydantic import BaseModel

from clusterbridge.domain.enums import CallKind
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.selection.call_drafts import (
    DEFAULT_PROGRAMME,
    CallDraft,
    CriterionDraft,
    StrandDraft,
)
from clusterbridge.services.selection.proposals import ProposalDraft
from clusterbridge.web.exchange_forms import form_errors
from clusterbridge.web.numbers import read_number, read_whole_euros, read_whole_number

#: The parts of a criterion as the form's "Award criteria" lines name them.
_CRITERION_PARTS = {"id": "id", "max": "maximum points", "threshold": "threshold"}
#: Selection-settings places (as JSON paths) that are a numbered entry of a form field.
_CRITERION = re.compile(r"criteria\[(\d+)\](?:\.(\w+))?")
_TIE_BREAK = re.compile(r"tie_break\[(\d+)\]")
_STRAND = re.compile(r"strand_minimum\.(.+)")
#: Fields the service checks against another field (the criteria: the sum of their maxima
#: and their ids), left unchecked when the form could not read that field.
_CHECKED_AGAINST = {"criteria": ("overall_threshold", "tie_break")}
#: The call form's labels, which its summary of refused fields names.
CALL_FORM_LABELS = {
    "identifier": "Identifier", "title": "Title", "programme": "Programme",
    "summary": "Summary", "kind": "Who it funds", "deadline": "Deadline",
    "time_zone": "Time zone", "duration_min_months": "Shortest project, months",
    "duration_max_months": "Longest project, months", "strands": "Strands",
    "budget": "Budget, EUR", "max_grant": "Largest grant per proposal, EUR",
    "max_projects": "Most projects funded", "criteria": "Award criteria",
    "overall_threshold": "Overall threshold, points", "tie_break": "Tie-break order",
    "on_overflow": "When the next proposal does not fit the remaining budget",
    "rules": "Rules", "import": "Call file",
}  # fmt: skip
#: The proposal form's labels, in its order, which its summary of refused fields names.
PROPOSAL_FORM_LABELS = {
    "organisation_id": "Your organisation", "consortium_id": "Consortium",
    "acronym": "Acronym", "title": "Title", "summary": "Summary", "strand": "Strand",
    "requested_grant": "Grant requested, EUR", "duration_months": "Duration, months",
}  # fmt: skip
#: The most digits an amount of the forms may have (it fits the ``Amount`` column).
MAX_DIGITS = 12
#: What a new call's rules box starts with: the documents table and one rule to adapt.
RULES_TEMPLATE = """\
[documents]
call = "The text of this call"

[[rules]]
id = "min-partners"
title = "At least three partners"
condition = "min_partners"
params = { min = 3 }
source = { document = "call", section = "Eligibility", quote = "at least three partners" }
"""


class CallForm(BaseModel):
    """A call as typed. ``strands`` holds one strand a line (``id | title | minimum``),
    ``criteria`` one criterion a line (``id | maximum | threshold``)."""

    identifier: str = ""
    title: str = ""
    programme: str = ""
    summary: str = ""
    kind: str = CallKind.PROGRAMME.value
    deadline: str = ""
    time_zone: str = "Europe/Brussels"
    budget: str = ""
    max_projects: str = ""
    max_grant: str = ""
    duration_min_months: str = ""
    duration_max_months: str = ""
    strands: str = ""
    criteria: str = ""
    overall_threshold: str = ""
    tie_break: str = ""
    on_overflow: str = "skip"
    rules: str = ""

    @classmethod
    def blank(cls) -> "CallForm":
        """The new-call form as first shown: the usual programme and a rules example. (A field
        the user types defaults to empty, so that one left empty is refused, not replaced: an
        empty form field reaches the model as missing. The selects keep theirs.)"""
        return cls(programme=DEFAULT_PROGRAMME, rules=RULES_TEMPLATE)


class ProposalForm(BaseModel):
    """A proposal as typed."""

    consortium_id: str = ""
    organisation_id: str = ""
    acronym: str = ""
    title: str = ""
    summary: str = ""
    strand: str = ""
    requested_grant: str = ""
    duration_months: str = ""


def call_draft_of(form: CallForm) -> tuple[CallDraft, list[InputIssue]]:
    """The draft of ``form`` and the mistakes of the fields that could not be read (those
    fields are left empty in the draft)."""
    issues: list[InputIssue] = []
    kind = next((k for k in CallKind if k.value == form.kind), None)
    if kind is None:
        issues.append(InputIssue("", "kind", "choose a programme call or a cascade call"))
    draft = CallDraft(
        identifier=form.identifier,
        title=form.title,
        summary=form.summary,
        rules=form.rules,
        budget=_euros(form.budget, "budget", issues),
        programme=form.programme,
        kind=kind or CallKind.PROGRAMME,
        deadline=_deadline(form.deadline, issues),
        time_zone=form.time_zone,
        max_projects=read_whole_number(form.max_projects, "max_projects", issues),
        max_grant=_euros(form.max_grant, "max_grant", issues),
        duration_min_months=read_whole_number(
            form.duration_min_months, "duration_min_months", issues
        ),
        duration_max_months=read_whole_number(
            form.duration_max_months, "duration_max_months", issues
        ),
        strands=tuple(_strands(form.strands, issues)),
        criteria=tuple(_criteria(form.criteria, issues)),
        overall_threshold=read_number(form.overall_threshold, "overall_threshold", issues),
        tie_break=tuple(k.strip() for k in form.tie_break.split(",") if k.strip()),
        on_overflow=form.on_overflow,
    )
    return draft, issues


def call_form_of(draft: CallDraft) -> CallForm:
    """The form filled in with ``draft``'s values."""
    return CallForm(
        identifier=draft.identifier,
        title=draft.title,
        programme=draft.programme,
        summary=draft.summary,
        kind=draft.kind.value,
        deadline="" if draft.deadline is None else draft.deadline.strftime("%Y-%m-%dT%H:%M"),
        time_zone=draft.time_zone,
        budget=_text(draft.budget),
        max_projects=_text(draft.max_projects),
        max_grant=_text(draft.max_grant),
        duration_min_months=_text(draft.duration_min_months),
        duration_max_months=_text(draft.duration_max_months),
        strands="\n".join(f"{s.id} | {s.title} | {s.minimum}" for s in draft.strands),
        criteria="\n".join(
            f"{c.id} | {c.max} | {_text(c.threshold)}".rstrip(" |") for c in draft.criteria
        ),
        overall_threshold=_text(draft.overall_threshold),
        tie_break=", ".join(draft.tie_break),
        on_overflow=draft.on_overflow,
        rules=draft.rules,
    )


def proposal_draft_of(form: ProposalForm) -> tuple[ProposalDraft, list[InputIssue]]:
    """The draft of ``form`` and the mistakes of its numbers. A number that cannot be read is
    left empty, and every number is required: the service then refuses the draft too, and
    `merged` gives one list of every mistake."""
    issues: list[InputIssue] = []
    draft = ProposalDraft(
        consortium_id=read_whole_number(form.consortium_id, "consortium_id", issues),
        acronym=form.acronym,
        title=form.title,
        summary=form.summary,
        strand=form.strand.strip() or None,
        requested_grant=_euros(form.requested_grant, "requested_grant", issues),
        duration_months=read_whole_number(form.duration_months, "duration_months", issues),
        organisation_id=read_whole_number(form.organisation_id, "organisation_id", issues),
    )
    return draft, issues


def call_form_errors(error: Exception) -> dict[str, str]:
    """The messages of the call form by field (`form_errors`), each place named as the form
    labels it ("Criterion 1, threshold") instead of by its path in the selection settings
    ("criteria[0].threshold"); a mistake of the field itself names no place."""
    if not isinstance(error, InvalidInputError):
        return form_errors(error)
    issues = [replace(i, location=_form_place(i)) for i in error.issues]
    return form_errors(InvalidInputError(error.summary, issues))


def _form_place(issue: InputIssue) -> str:
    """Where in its field ``issue`` is, in the form's words (the rules keep their file's)."""
    location = issue.location
    if issue.field == "rules" or not location:
        return location
    if found := _CRITERION.fullmatch(location):
        number, part = int(found[1]) + 1, found[2]
        return f"Criterion {number}" + (f", {_CRITERION_PARTS.get(part, part)}" if part else "")
    if found := _TIE_BREAK.fullmatch(location):
        return f"Tie-break entry {int(found[1]) + 1}"
    if found := _STRAND.fullmatch(location):
        return f"Strand {found[1]}"
    return "" if location == issue.field else location


def merged(
    read: list[InputIssue], checked: InvalidInputError | None, *, what: str = "call"
) -> InvalidInputError:
    """The mistakes of the form's reading and of the service's checks, one list (a field the
    form could not read is not reported again by the service, nor are the fields the service
    checks against it: a criteria line left out is no reason to refuse the tie-break)."""
    seen = {issue.field for issue in read}
    seen |= {f for field in seen for f in _CHECKED_AGAINST.get(field, ())}
    more = [i for i in (checked.issues if checked else ()) if i.field not in seen]
    return InvalidInputError(f"The {what} cannot be saved:", [*read, *more])


def _euros(text: str, field: str, issues: list[InputIssue]) -> int | None:
    """A budget or grant in whole euros, as the pages print it ("EUR 350,000")."""
    return read_whole_euros(text, field, issues, max_digits=MAX_DIGITS)


def _deadline(text: str, issues: list[InputIssue]) -> datetime | None:
    if not text.strip():
        return None
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%dT%H:%M")  # noqa: DTZ007 -- local time
    except ValueError:
        issues.append(InputIssue("", "deadline", "must be a date and time, 2025-03-03T17:00"))
        return None


def _strands(text: str, issues: list[InputIssue]) -> list[StrandDraft]:
    strands = []
    for number, line in _lines(text):
        parts = [p.strip() for p in line.split("|")]
        wrong: list[InputIssue] = []
        minimum = read_whole_number(parts[2] if len(parts) > 2 else "", "strands", wrong)
        if len(parts) > 3 or wrong:
            reason = "write id | title | minimum, the minimum a whole number"
            issues.append(InputIssue(f"line {number}", "strands", reason))
            continue
        title = parts[1] if len(parts) > 1 else ""
        strands.append(StrandDraft(parts[0], title, minimum or 0))
    return strands


def _criteria(text: str, issues: list[InputIssue]) -> list[CriterionDraft]:
    criteria = []
    for number, line in _lines(text):
        parts = [p.strip() for p in line.split("|")]
        wrong: list[InputIssue] = []
        maximum = read_number(parts[1] if len(parts) > 1 else "", "maximum points", wrong)
        threshold = read_number(parts[2] if len(parts) > 2 else "", "threshold", wrong)
        if len(parts) > 3 or maximum is None or wrong:
            # A number that does not read says why ("inf" is not a number), as in every form.
            reason = (
                f"{wrong[0].field}: {wrong[0].reason}"
                if wrong and len(parts) <= 3
                else "write id | maximum points | threshold (the threshold may be left out)"
            )
            issues.append(InputIssue(f"line {number}", "criteria", reason))
            continue
        criteria.append(CriterionDraft(parts[0], maximum, threshold))
    return criteria


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


def _text(value: object) -> str:
    return "" if value is None else str(value)
