"""Proposals to the calls authored in the app: written by an applicant from a consortium of the
registry they may change, with documents, submitted or withdrawn before the deadline.

The deadline is the server's clock against the call's ``closes_at`` (shown in the call's time
zone). At submission the consortium is checked against the call and the report is frozen with
its verdict (ADR 0024), and so are the partners it was checked on (``Proposal.partners``, ADR
0037): later edits of the consortium, or its deletion, change nothing of either.

Who sees a proposal: its applicant, programme officers and administrators and, once it is sent
(submitted or withdrawn), the users of the organisations of the consortium that sent it (of the
SME, to a cascade call) as submitted, read-only; the experts assigned to evaluate it (without a
declared conflict of interest) read it and its documents (`read_proposal`); to anybody else it
does not exist (404). Only its applicant changes, submits or withdraws it (anybody else who
sees it: 403).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    Consortium,
    Organisation,
    ProgrammeCall,
    Proposal,
    ProposalDocument,
    ProposalPartner,
    User,
)
from clusterbridge.db.repositories import consortia as consortia_repository
from clusterbridge.db.repositories import evaluation as evaluation_repository
from clusterbridge.db.repositories import selection as repository
from clusterbridge.domain import consortium as snapshot
from clusterbridge.domain.enums import ProposalState, Verdict
from clusterbridge.domain.errors import (
    AccessDeniedError,
    ConflictError,
    DomainError,
    InputIssue,
    InvalidInputError,
)
from clusterbridge.domain.money import format_euros
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.reports.serialise import report_to_dict
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.calls.eligibility import check_application
from clusterbridge.services.consortia.access import can_edit
from clusterbridge.services.consortia.consortia import build_snapshot, get_editable_consortium
from clusterbridge.services.selection import cascade
from clusterbridge.services.selection.calls import authored_call, get_call, is_officer, is_open
from clusterbridge.services.selection.cascade import is_cascade
from clusterbridge.services.selection.durations import duration_problem
from clusterbridge.services.selection.experts import proposal_off
from clusterbridge.services.selection.notices import SelectionMail, queue_receipt
from clusterbridge.services.uploads import (
    MEGABYTE,
    OFFICE,
    PDF,
    Upload,
    UploadRule,
    stored_name,
    upload_issues,
)

#: Proposal documents: PDF, DOCX or XLSX, 10 MB each, 10 in all.
DOCUMENTS = UploadRule({**PDF, **OFFICE}, 10 * MEGABYTE, 10, "a PDF, DOCX or XLSX file")
MAX_ACRONYM = 40
MAX_TITLE = 300
MAX_SUMMARY = 8000
MAX_DURATION_MONTHS = 120


class ProposalNotFoundError(DomainError):
    """No proposal with this id, or one the actor may not see (the two are not told apart)."""

    status = 404

    def __init__(self, proposal_id: int) -> None:
        super().__init__(f"There is no proposal {proposal_id}")


@dataclass(frozen=True, slots=True)
class ProposalDraft:
    """A proposal as written: the consortium (a registry consortium's id) or, to a cascade
    call, the SME (a registry organisation's id), its acronym, title and summary, the strand,
    the requested grant in whole euros and the duration in months."""

    consortium_id: int | None
    acronym: str
    title: str
    summary: str = ""
    strand: str | None = None
    requested_grant: int | None = None
    duration_months: int | None = None
    organisation_id: int | None = None


def create_proposal(
    session: Session, actor: User, call_id: int, draft: ProposalDraft, *, now: datetime
) -> Proposal:
    """A draft proposal of ``actor`` to an open call; every mistake at once (422), a call not
    open 409. The consortium must be one ``actor`` may change."""
    call = get_call(session, actor, call_id)
    _require_open(session, call, now)
    proposal = Proposal(state=ProposalState.DRAFT, documents=[], partners=[])
    _fill(session, actor, proposal, call, draft)
    proposal.call = call
    proposal.applicant = actor
    session.add(proposal)
    session.flush()
    return proposal


def update_proposal(
    session: Session, actor: User, proposal_id: int, draft: ProposalDraft, *, now: datetime
) -> Proposal:
    """Replace a draft proposal's fields (409 once submitted or after the deadline)."""
    proposal = _own_draft(session, actor, proposal_id, now)
    _fill(session, actor, proposal, proposal.call, draft)
    session.flush()
    return proposal


def add_documents(
    session: Session, actor: User, proposal_id: int, uploads: list[Upload], *, now: datetime
) -> Proposal:
    """Attach files to a draft proposal: PDF, DOCX or XLSX (by their bytes), 10 MB each, 10
    in all; every bad file named at once (422), nothing stored then."""
    proposal = _own_draft(session, actor, proposal_id, now)
    issues = upload_issues(uploads, DOCUMENTS, field="documents")
    if not uploads:
        issues.append(InputIssue("", "documents", "choose a file"))
    if len(proposal.documents) + len(uploads) > DOCUMENTS.max_files and not issues:
        issues.append(InputIssue("", "documents", f"must have at most {DOCUMENTS.max_files} files"))
    if issues:
        raise InvalidInputError("The documents cannot be added:", issues)
    proposal.documents.extend(
        ProposalDocument(
            file_name=stored_name(u),
            content_type=u.content_type,
            size=len(u.content),
            content=u.content,
            uploaded_at=now,
        )
        for u in uploads
    )
    session.flush()
    return proposal


def remove_document(
    session: Session, actor: User, proposal_id: int, document_id: int, *, now: datetime
) -> Proposal:
    """Remove a document of a draft proposal (404 for a document it does not have)."""
    proposal = _own_draft(session, actor, proposal_id, now)
    kept = [d for d in proposal.documents if d.id != document_id]
    if len(kept) == len(proposal.documents):
        raise ProposalNotFoundError(proposal_id)
    proposal.documents = kept
    session.flush()
    return proposal


def read_document(
    session: Session, actor: User, proposal_id: int, document_id: int, *, today: date
) -> ProposalDocument:
    """A document of a proposal ``actor`` may read (`read_proposal`, conflicts of interest
    as of ``today``), with its bytes (404 otherwise)."""
    read_proposal(session, actor, proposal_id, today=today)
    document = repository.get_document(session, proposal_id, document_id)
    if document is None:
        raise ProposalNotFoundError(proposal_id)
    return document


def submit_proposal(
    session: Session,
    actor: User,
    proposal_id: int,
    *,
    now: datetime,
    mail: SelectionMail | None = None,
) -> Proposal:
    """Submit a draft proposal before the deadline: its consortium (to a cascade call: its
    SME, as a consortium of one) is checked against the call and the report frozen with its
    verdict (``eligible`` is true only for an eligible verdict; the duration range the call
    states is one of its rules, `authored_call`), and the partners checked are
    written as the proposal's ``partners`` (ADR 0037). It needs at least one document and a
    consortium (an SME) ``actor`` may still change, within the call's maximum per SME. With
    ``mail``, the applicant is mailed a receipt when the transaction commits."""
    proposal = _own_draft(session, actor, proposal_id, now)
    if not proposal.documents:
        raise ConflictError("Add at least one document before submitting")
    call = authored_call(proposal.call)
    applicant, organisations = _applicant_snapshot(session, actor, proposal)
    report = check_application(
        Catalogue((call,)),
        call.id,
        applicant,
        now=now,
        strand=proposal.strand,
        duration_months=proposal.duration_months,
        requested_grant_eur=int(proposal.requested_grant),
    )
    proposal.eligibility = report_to_dict(report)
    proposal.eligible = report.verdict is Verdict.ELIGIBLE
    proposal.partners = partners_as_submitted(applicant, organisations)
    proposal.state = ProposalState.SUBMITTED
    proposal.submitted_at = now
    session.flush()
    if mail is not None:
        queue_receipt(session, mail, proposal, submitted=local_time(now, proposal.call))
    return proposal


def _applicant_snapshot(
    session: Session, actor: User, proposal: Proposal
) -> tuple[snapshot.Consortium, tuple[Organisation | None, ...]]:
    """The consortium the call's rules are checked on at submission, with the registry
    organisation of each of its partners (None for a partner typed in); 409 when the
    consortium or the SME can no longer be used."""
    if is_cascade(proposal.call):
        organisation, issues = cascade.applicant_organisation(
            session, actor, proposal.organisation_id
        )
        if organisation is not None:
            issues = cascade.sme_maximum_issues(
                session, proposal.call, organisation, proposal.requested_grant,
                proposal_id=proposal.id,
            )  # fmt: skip
        if issues or organisation is None:
            raise ConflictError(f"The application cannot be submitted: {issues[0].reason}")
        return cascade.sme_consortium(organisation), (organisation,)
    if proposal.consortium_id is None:
        raise ConflictError("The consortium was deleted: choose another one")
    consortium = get_editable_consortium(session, actor, proposal.consortium_id)
    return build_snapshot(consortium), tuple(p.organisation for p in consortium.partners)


def partners_as_submitted(
    consortium: snapshot.Consortium, organisations: Sequence[Organisation | None]
) -> list[ProposalPartner]:
    """The rows of a proposal's partners as submitted: each partner of ``consortium`` as the
    rules saw it (name, country, PIC, role), in its order, with its registry organisation
    (``organisations``, one per partner). Writes nothing."""
    return [
        ProposalPartner(
            position=position,
            organisation=organisation,
            name=partner.name,
            country=partner.country,
            pic=partner.pic,
            role=partner.role,
        )
        for position, (partner, organisation) in enumerate(
            zip(consortium.partners, organisations, strict=True), start=1
        )
    ]


def withdraw_proposal(
    session: Session, actor: User, proposal_id: int, *, now: datetime
) -> Proposal:
    """Withdraw a submitted proposal before the deadline (it is then out of the selection);
    after the deadline (named in the call's time zone), or once the selection of a call
    without a deadline is published, a `ConflictError` says it cannot be withdrawn."""
    proposal = _own(session, actor, proposal_id)
    if proposal.state is not ProposalState.SUBMITTED:
        raise ConflictError("Only a submitted proposal can be withdrawn")
    _require_withdrawable(session, proposal.call, now)
    proposal.state = ProposalState.WITHDRAWN
    session.flush()
    return proposal


def get_proposal(session: Session, actor: User, proposal_id: int) -> Proposal:
    """The proposal, for its applicant, for officers and, once sent, for the members of the
    consortium (or SME) that sent it, read-only (`is_proposal_member`); 404 for anybody
    else."""
    proposal = repository.get_proposal(session, proposal_id)
    if proposal is None or not (is_officer(actor) or sees_proposal(session, actor, proposal)):
        raise ProposalNotFoundError(proposal_id)
    return proposal


def read_proposal(session: Session, actor: User, proposal_id: int, *, today: date) -> Proposal:
    """The proposal for those who see it (`get_proposal`) and, read-only, for the experts
    assigned to evaluate it who are not off it (`experts.proposal_off`: neither a conflict of
    interest they declared nor one the registry shows as of ``today``, the site's date, as
    their evaluation page counts it); 404 for anybody else."""
    proposal = repository.get_proposal(session, proposal_id)
    if proposal is not None and _evaluates(session, actor, proposal, today=today):
        return proposal
    return get_proposal(session, actor, proposal_id)


def _evaluates(session: Session, actor: User, proposal: Proposal, *, today: date) -> bool:
    if not actor.is_active or proposal.state is not ProposalState.SUBMITTED:
        return False
    assignments = evaluation_repository.assignments_of_proposal(session, proposal.id)
    mine = [a for a in assignments if a.expert.user_id == actor.id]
    if not mine:
        return False
    consensus = evaluation_repository.consensus_of_proposal(session, proposal.id)
    settled = consensus is not None and consensus.submitted_at is not None
    off = proposal_off(session, proposal, mine, on=today, settled=settled)
    return any(a.expert_id not in off for a in mine)


def sees_proposal(session: Session, user: User, proposal: Proposal) -> bool:
    """Whether ``user`` is the proposal's applicant or, once it is sent, a user of one of the
    organisations of the consortium (or of the SME) that sent it, as it was submitted (its
    ``partners``, not the consortium now): they see its state and, once the selection is
    published, its outcome. Officers are not counted here."""
    if not user.is_active:
        return False
    if proposal.applicant_id == user.id:
        return True
    sent = proposal.state is not ProposalState.DRAFT
    return sent and repository.is_proposal_member(session, proposal.id, user.id)


def list_my_proposals(session: Session, actor: User) -> list[Proposal]:
    """The proposals ``actor`` wrote and those sent by a consortium (or SME) they were a
    member of at submission, newest first."""
    return repository.list_proposals(session, seen_by=actor.id)


def list_call_proposals(session: Session, actor: User, call_id: int) -> list[Proposal]:
    """Every proposal to the call, newest first: for officers only (403)."""
    get_call(session, actor, call_id)
    if not is_officer(actor):
        raise AccessDeniedError("Only programme officers and administrators see the proposals")
    return repository.list_proposals(session, call_id=call_id)


def editable_consortia(session: Session, actor: User) -> list[Consortium]:
    """The consortia ``actor`` may change (those a proposal can come from), newest first."""
    visible = consortia_repository.list_consortia(session, visible_to=actor.id)
    return [c for c in visible if can_edit(c, actor)]


def local_time(moment: datetime, call: ProgrammeCall) -> datetime:
    """``moment`` in the call's time zone."""
    return moment.astimezone(ZoneInfo(call.time_zone))


def _fill(
    session: Session, actor: User, proposal: Proposal, call: ProgrammeCall, draft: ProposalDraft
) -> None:
    issues = _draft_issues(draft, call)
    if is_cascade(call):
        issues[:0] = _fill_organisation(session, actor, proposal, call, draft, issues)
    elif draft.consortium_id is None:
        issues.insert(0, InputIssue("", "consortium_id", "choose a consortium"))
    else:
        try:
            proposal.consortium = get_editable_consortium(session, actor, draft.consortium_id)
        except DomainError:
            reason = f"you may not change consortium {draft.consortium_id} (or there is none)"
            issues.insert(0, InputIssue("", "consortium_id", reason))
    if issues:
        raise InvalidInputError("The proposal cannot be saved:", issues)
    proposal.acronym = draft.acronym.strip()
    proposal.title = draft.title.strip()
    proposal.summary = draft.summary.strip()
    proposal.strand = draft.strand or None
    proposal.requested_grant = Decimal(draft.requested_grant or 0)
    proposal.duration_months = draft.duration_months


def _fill_organisation(  # noqa: PLR0917 -- _fill's own arguments, passed on
    session: Session,
    actor: User,
    proposal: Proposal,
    call: ProgrammeCall,
    draft: ProposalDraft,
    issues: list[InputIssue],
) -> list[InputIssue]:
    """An application to a cascade call: its SME, then the maximum per SME (when the amount
    is otherwise valid); the mistakes found."""
    organisation, found = cascade.applicant_organisation(session, actor, draft.organisation_id)
    if organisation is None:
        return found
    proposal.organisation = organisation
    if draft.requested_grant and not any(i.field == "requested_grant" for i in issues):
        found = cascade.sme_maximum_issues(
            session, call, organisation, Decimal(draft.requested_grant), proposal_id=proposal.id
        )
    return found


def _draft_issues(draft: ProposalDraft, call: ProgrammeCall) -> list[InputIssue]:
    issues = [
        InputIssue("", name, reason)
        for name, value, longest in (
            ("acronym", draft.acronym, MAX_ACRONYM),
            ("title", draft.title, MAX_TITLE),
        )
        for reason in _text_problems(value, longest)
    ]
    if len(draft.summary.strip()) > MAX_SUMMARY:
        issues.append(
            InputIssue("", "summary", too_long_reason(MAX_SUMMARY, len(draft.summary.strip())))
        )
    issues.extend(_strand_issues(draft.strand, call))
    issues.extend(_number_issues(draft, call))
    return issues


def _text_problems(value: str, longest: int) -> list[str]:
    if not value.strip():
        return ["is required"]
    return [too_long_reason(longest, len(value.strip()))] if len(value.strip()) > longest else []


def _strand_issues(strand: str | None, call: ProgrammeCall) -> list[InputIssue]:
    strands = [s.id for s in authored_call(call).strands]
    if strands and not strand:
        return [InputIssue("", "strand", f"choose one of the strands: {', '.join(strands)}")]
    if strand and strand not in strands:
        choices = ", ".join(strands) or "none (this call has no strands)"
        return [InputIssue("", "strand", f'"{strand}" is not a strand of the call: {choices}')]
    return []


def _number_issues(draft: ProposalDraft, call: ProgrammeCall) -> list[InputIssue]:
    issues = []
    grant, duration = draft.requested_grant, draft.duration_months
    if grant is None or grant <= 0:
        issues.append(InputIssue("", "requested_grant", "must be an amount in euros over 0"))
    elif call.max_grant is not None and grant > call.max_grant:
        reason = f"is more than the call's maximum grant of {format_euros(call.max_grant)}"
        issues.append(InputIssue("", "requested_grant", reason))
    if duration is None or not 0 < duration <= MAX_DURATION_MONTHS:
        # The call's own range when it states one ("between 12 and 36 months"), not 1 to 120.
        reason = duration_problem(authored_call(call), duration or 0) or (
            f"must be a number of months from 1 to {MAX_DURATION_MONTHS}"
        )
        issues.append(InputIssue("", "duration_months", reason))
    elif problem := duration_problem(authored_call(call), duration):
        issues.append(InputIssue("", "duration_months", problem))
    return issues


def _own(session: Session, actor: User, proposal_id: int) -> Proposal:
    proposal = get_proposal(session, actor, proposal_id)
    if proposal.applicant_id != actor.id:
        raise AccessDeniedError("Only the applicant changes a proposal")
    return proposal


def _own_draft(session: Session, actor: User, proposal_id: int, now: datetime) -> Proposal:
    proposal = _own(session, actor, proposal_id)
    if proposal.state is not ProposalState.DRAFT:
        raise ConflictError(f"The proposal is {proposal.state.value}: it can no longer change")
    _require_open(session, proposal.call, now)
    return proposal


def _require_withdrawable(session: Session, call: ProgrammeCall, now: datetime) -> None:
    """409 unless a submitted proposal to the call may still be withdrawn: before the
    deadline and before the selection is published."""
    if call.closes_at is not None and now >= call.closes_at:
        deadline = local_time(call.closes_at, call).strftime("%d %B %Y %H:%M")
        raise ConflictError(
            "A submitted proposal cannot be withdrawn after the deadline, "
            f"{deadline} ({call.time_zone})"
        )
    if repository.selection_published(session, call.id):
        raise ConflictError(
            f"The selection of call {call.identifier} is published: a submitted proposal can "
            "no longer be withdrawn"
        )


def _require_open(session: Session, call: ProgrammeCall, now: datetime) -> None:
    """409 unless the call takes proposals (`takes_proposals`), saying why."""
    published = repository.selection_published(session, call.id)
    if is_open(call, now=now) and not published:
        return
    if published:
        raise ConflictError(
            f"The selection of call {call.identifier} is published: it takes no more proposals"
        )
    if call.published_at is None:
        raise ConflictError("The call is not published yet")
    assert call.closes_at is not None  # is_open is true without a deadline
    closed = local_time(call.closes_at, call).strftime("%d %B %Y %H:%M")
    raise ConflictError(f"The call closed on {closed} ({call.time_zone})")
