"""A cluster's readiness self-assessment with answers, a formula-like comment and evidence, and
the CSV file its export writes, for the web and CLI tests of the export."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from clusterbridge.domain.assessment import ClusterDimension
from clusterbridge.services import monitoring
from clusterbridge.services.uploads import Upload
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.web.helpers import ODD_FILE_NAME

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

#: The file as the page's CSV link downloads it (csv's line ends are CRLF).
EXPECTED_CSV = (
    "Area,Question,Weight,Answer,Level,Comment,Evidence,Score (%)\r\n"
    'Structure of the cluster,"The cluster has 15 members, at least.",2,3 – mostly,3,'
    '"Board minutes, ""signed"" in 2025","Évaluation – Ōsaka ""final"".pdf; members.png",\r\n'
    "Structure of the cluster,Members come from three countries.,1,Not answered,,,,\r\n"
    "Management and governance,A board meets every quarter.,1,"
    '"4 – fully, with evidence",4,\'=the minutes,,\r\n'
    "Structure of the cluster,Score of the area,,1 of 2 answered,,,,75.0\r\n"
    "Management and governance,Score of the area,,1 of 1 answered,,,,100.0\r\n"
    "Financing,Score of the area,,0 of 0 answered,,,,\r\n"
    "Services,Score of the area,,0 of 0 answered,,,,\r\n"
    "Cooperation and interaction,Score of the area,,0 of 0 answered,,,,\r\n"
    "Achievements and recognition,Score of the area,,0 of 0 answered,,,,\r\n"
    "Overall,Overall score,,2 of 3 answered,,,,83.3\r\n"
)


def make_assessed_cluster(session: Session) -> int:
    """Munich Cluster's own three questions (the shipped ones removed), two answered, one with
    two evidence files; Maria is its member, Sam is not. Its id."""
    maria = make_user(session, email="maria@munich.example", name="Maria")
    make_user(session, email="sam@example.org", name="Sam")
    cluster = make_organisation(session, name="Munich Cluster")
    add_member(session, cluster, maria)
    own = [
        (ClusterDimension.STRUCTURE, "The cluster has 15 members, at least.", 2),
        (ClusterDimension.STRUCTURE, "Members come from three countries.", 1),
        (ClusterDimension.GOVERNANCE, "A board meets every quarter.", 1),
    ]
    members, _countries, board = (
        monitoring.add_question(session, maria, cluster.id, dimension=d, text=t, weight=w)
        for d, t, w in own
    )
    # Removed once the organisation has questions of its own (none would bring them back).
    for shipped in monitoring.get_readiness(session, maria, cluster.id).questions:
        if not shipped.key.startswith("own-"):
            monitoring.remove_question(session, maria, shipped.id)
    monitoring.answer_question(
        session, maria, members.id, level=3, comment='Board minutes, "signed" in 2025', now=NOW
    )
    # A comment a spreadsheet would run as a formula is written as text.
    monitoring.answer_question(session, maria, board.id, level=4, comment="=the minutes", now=NOW)
    uploads = [
        Upload(ODD_FILE_NAME, "application/pdf", b"%PDF-1.4 minutes"),
        Upload("members.png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ]
    monitoring.attach_evidence(session, maria, members.id, uploads, now=NOW)
    return cluster.id
