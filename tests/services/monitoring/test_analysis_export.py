"""The analysis exported as DOCX and PDF: numbered findings (opportunities first), evidence as
numbered references (each item once, in order of first citation), recommendations citing the
findings' numbers. Read back with python-docx and pypdf, line by line."""

import io
from datetime import UTC, datetime

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy.orm import Session

from clusterbridge.domain.analysis import FindingKind
from clusterbridge.domain.enums import SmeProfile
from clusterbridge.services.monitoring.analysis import (
    ExportFormat,
    FindingDraft,
    RecommendationDraft,
    create_finding,
    create_recommendation,
    export_analysis,
    link_evidence,
)
from tests.factories.analyses import AnalysisWorld, make_analysis_world

pytestmark = [pytest.mark.integration]

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)

EXPECTED = [
    "EMA: opportunities, threats and policy recommendations",
    "Printed 2026-05-04 12:00 UTC by clusterbridge.",
    "Opportunities",
    "1. Shared AI pilots",
    "Traditional SMEs test AI with tech-savvy peers.",
    "Concerns traditional SMEs; technologies: Artificial intelligence; ecosystems: Textile.",
    "Evidence: [1], [2]",
    "Threats",
    "2. Skills gap",
    "Few data engineers.",
    "Concerns every SME.",
    "Evidence: [2], [3]",
    "Policy recommendations",
    "R1. To national authorities",
    "Train data engineers.",
    "Rests on findings 1, 2",
    "R2. To the European Union",
    "Fund AI pilots.",
    "Rests on finding 1",
    "References",
    "[1] Digital maturity self-assessment of Tiny Tools, 2026-02-03: overall 42.5/100",
    "[2] A technical cooperation, reported by Tiny Tools on 2026-04-01 after its meeting with "
    "Other Co at Textile meets Tech on 10 March 2026",
    "[3] Cluster excellence readiness self-assessment of Mobility Cluster, 2026-05-04: overall "
    "62.5/100 on 2 questions answered",
]


@pytest.fixture
def world(session: Session) -> AnalysisWorld:
    world = make_analysis_world(session)
    ada = world.people["ada"]
    threat = create_finding(
        session, ada, world.project,
        FindingDraft(kind=FindingKind.THREAT, title="Skills gap", text="Few data engineers."),
    )  # fmt: skip
    opportunity = create_finding(
        session, ada, world.project,
        FindingDraft(
            kind=FindingKind.OPPORTUNITY, title="Shared AI pilots",
            text="Traditional SMEs test AI with tech-savvy peers.", technologies=("ati-ai",),
            ecosystems=("textile",), sme_profile=SmeProfile.TRADITIONAL,
        ),
    )  # fmt: skip
    for finding, kind, ref_id in (
        (opportunity, "maturity_assessment", world.assessment),
        (opportunity, "outcome", world.outcome),
        (threat, "outcome", world.outcome),
        (threat, "readiness", world.cluster),
    ):
        link_evidence(
            session, ada, world.project, finding.id, kind=kind, ref_id=ref_id, today=NOW.date()
        )
    for audience, text, cited in (
        ("national", "Train data engineers.", (threat.id, opportunity.id)),
        ("eu", "Fund AI pilots.", (opportunity.id,)),
    ):
        create_recommendation(
            session, ada, world.project, RecommendationDraft(audience, text, cited)
        )
    return world


def test_the_docx_holds_the_numbered_findings_and_references(
    session: Session, world: AnalysisWorld
) -> None:
    content, media_type, name = export_analysis(
        session, world.people["paula"], world.project, ExportFormat.DOCX, now=NOW, today=NOW.date()
    )

    paragraphs = [p.text for p in Document(io.BytesIO(content)).paragraphs]

    assert (media_type, name) == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "EMA-analysis.docx",
    )
    assert paragraphs == EXPECTED


def test_the_pdf_holds_the_same_text(session: Session, world: AnalysisWorld) -> None:
    content, media_type, name = export_analysis(
        session, world.people["tom"], world.project, ExportFormat.PDF, now=NOW, today=NOW.date()
    )

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    lines = " ".join(text.split())

    assert (media_type, name) == ("application/pdf", "EMA-analysis.pdf")
    assert lines == " ".join([*EXPECTED, "Page 1 of 1"])
