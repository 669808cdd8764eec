"""A cluster's readiness self-assessment as a table, for CSV and XLSX (`services.workbooks`):
one row per question in the page's order (area, question, weight, answer, comment, the names of
its evidence files), then each area's score and the overall score, as the page shows them.
Both files are written from the same rows."""

from clusterbridge.db.models import ReadinessQuestion
from clusterbridge.domain.assessment import CLUSTER_DIMENSION_NAMES, CLUSTER_LEVEL_WORDS
from clusterbridge.services.monitoring.readiness import Readiness
from clusterbridge.services.workbooks import Cell, TableFormat, write_table

HEADER = (
    "Area",
    "Question",
    "Weight",
    "Answer",
    "Level",
    "Comment",
    "Evidence",
    "Score (%)",
)
NOT_ANSWERED = "Not answered"
AREA_SCORE = "Score of the area"
OVERALL = "Overall"
OVERALL_SCORE = "Overall score"
#: How the evidence cell separates the names of a question's files.
FILE_SEPARATOR = "; "


def _question_row(area: str, question: ReadinessQuestion) -> list[Cell]:
    level = question.level
    answer = NOT_ANSWERED if level is None else CLUSTER_LEVEL_WORDS[level]
    files = FILE_SEPARATOR.join(e.file_name for e in question.evidence)
    return [area, question.text, question.weight, answer, level, question.comment, files, None]


def _answered(questions: list[ReadinessQuestion]) -> str:
    done = sum(1 for q in questions if q.level is not None)
    return f"{done} of {len(questions)} answered"


def readiness_rows(readiness: Readiness) -> list[list[Cell]]:
    """The table's rows: every question of each area in the page's order, then one row per
    area with its score (empty when none of its questions is answered) and the overall row."""
    rows: list[list[Cell]] = []
    for dimension, area in CLUSTER_DIMENSION_NAMES.items():
        rows += [_question_row(area, q) for q in readiness.in_dimension(dimension)]
    for dimension, area in CLUSTER_DIMENSION_NAMES.items():
        answered = _answered(readiness.in_dimension(dimension))
        score = readiness.scores.get(dimension.value)
        rows.append([area, AREA_SCORE, None, answered, None, None, None, score])
    overall = _answered(readiness.questions)
    rows.append([OVERALL, OVERALL_SCORE, None, overall, None, None, None, readiness.overall])
    return rows


def export_readiness(readiness: Readiness, file_format: TableFormat) -> bytes:
    """The readiness self-assessment as a CSV or XLSX file (sheet "Readiness"). Reads only."""
    return write_table(
        HEADER, readiness_rows(readiness), file_format=file_format, sheet="Readiness"
    )
