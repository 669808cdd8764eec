"""Calls authored in the app and proposals to them, for tests.

A call is made through the real service (its draft checked and its call file written), as an
officer writes it; a proposal is inserted through the ORM. Defaults: call ``TEST-OPEN-2025``
with two strands (strand "1" with a minimum of 1), a budget of EUR 1,000,000, a maximum grant of
EUR 400,000, two criteria and a deadline of 2025-03-03 17:00 Brussels time, one rule (at least
two partners from two countries), published at ``published_at`` unless that is None.
"""

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import Consortium, ProgrammeCall, Proposal, ProposalDocument, User
from clusterbridge.domain.enums import CallKind, ProposalState
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.services.selection.call_drafts import CallDraft, CriterionDraft, StrandDraft
from clusterbridge.services.selection.calls import create_call

RULES = """\
[documents]
call = "The call text on clusterbridge"

[[rules]]
id = "two-partners"
title = "At least two partners"
condition = "min_partners"
params = { min = 2 }
source = { document = "call", section = "Eligibility", quote = "at least two legal entities" }

[[rules]]
id = "two-countries"
title = "Partners from at least two countries"
condition = "min_distinct_countries"
params = { min = 2 }
source = { document = "call", section = "Eligibility", quote = "from at least two countries" }
"""
UPLOADED_AT = datetime(2024, 12, 1, 9, 0, tzinfo=UTC)
PDF_BYTES = b"%PDF-1.4\n% the technical annex\n"


def call_draft(
    *,
    identifier: str = "TEST-OPEN-2025",
    title: str = "Open call for cluster partnerships",
    deadline: datetime | None = datetime(2025, 3, 3, 17, 0),  # noqa: DTZ001 -- local time
    time_zone: str = "Europe/Brussels",
    rules: str = RULES,
) -> CallDraft:
    """The default call as its form holds it."""
    return CallDraft(
        identifier=identifier,
        title=title,
        summary="Partnerships between clusters of two countries.",
        rules=rules,
        budget=1_000_000,
        deadline=deadline,
        time_zone=time_zone,
        max_projects=3,
        max_grant=400_000,
        duration_min_months=12,
        duration_max_months=36,
        strands=(StrandDraft("1", "Green", 1), StrandDraft("2", "Digital", 0)),
        criteria=(
            CriterionDraft("relevance", Decimal(30), Decimal(15)),
            CriterionDraft("impact", Decimal(20), None),
        ),
        overall_threshold=Decimal(30),
        tie_break=("uncovered_strand", "relevance"),
    )


def make_call(
    session: Session,
    *,
    officer: User,
    draft: CallDraft | None = None,
    published_at: datetime | None = None,
) -> ProgrammeCall:
    """A call written by ``officer`` (a programme officer or administrator), published at
    ``published_at`` when given."""
    row = create_call(session, officer, draft or call_draft(), catalogue=load_catalogue())
    row.published_at = published_at
    session.flush()
    return row


def make_proposal(
    session: Session,
    *,
    call: ProgrammeCall,
    applicant: User,
    consortium: Consortium,
    acronym: str = "GREENLINK",
    strand: str | None = "1",
    requested_grant: int = 300_000,
    duration_months: int = 24,
    documents: int = 1,
) -> Proposal:
    """A draft proposal of ``applicant`` with ``documents`` PDF files."""
    proposal = Proposal(
        call=call,
        applicant=applicant,
        consortium=consortium,
        acronym=acronym,
        title=f"{acronym}: clusters working together",
        summary="",
        strand=strand,
        requested_grant=Decimal(requested_grant),
        duration_months=duration_months,
        state=ProposalState.DRAFT,
        documents=[
            ProposalDocument(
                file_name=f"annex-{n}.pdf",
                content_type="application/pdf",
                size=len(PDF_BYTES),
                content=PDF_BYTES,
                uploaded_at=UPLOADED_AT,
            )
            for n in range(1, documents + 1)
        ],
    )
    session.add(proposal)
    session.flush()
    return proposal


SME_RULES = """\
[documents]
call = "The open call of the Eurocluster on clusterbridge"

[[rules]]
id = "eligible-country"
title = "The SME is established in an EU Member State"
condition = "country_eligible"
params = { countries = ["eu_member_states"] }
source = { document = "call", section = "Eligibility", quote = "SMEs established in the EU" }
"""


def cascade_draft(*, identifier: str = "SME-OPEN-2025", max_grant: int = 60_000) -> CallDraft:
    """A Eurocluster's open call to SMEs: no strands, at most ``max_grant`` per SME, one rule
    (established in an EU Member State), the default deadline and criteria."""
    return replace(
        call_draft(identifier=identifier, title="Open call for SME green pilots", rules=SME_RULES),
        kind=CallKind.CASCADE,
        budget=300_000,
        max_projects=10,
        max_grant=max_grant,
        duration_min_months=None,
        duration_max_months=None,
        strands=(),
        tie_break=("relevance",),
    )
