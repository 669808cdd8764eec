"""Readiness questions copied into a database before the shipped sources were fixed keep a
link to a staging host of the ECCP (``*.eccp.hosted-temp.com``), whose pages disappear: their
``source`` gets the public address the shipped questions cite since (three links of
``readiness_questions.toml``). Only those exact addresses change, wherever they stand in a
source; a source a cluster edited keeps every other word.

"780 EUR" in stored exchange reasons and mails is not touched: it is the same amount, written
before money was written "EUR 780", and the reasons stored then keep their words.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-07 17:00:00
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGING = "hosted-temp.com"
#: Each staging address the shipped questions cited, and the public one that replaced it.
FIXED_LINKS = {
    "https://impr-0001-1260-partners.eccp.hosted-temp.com/register-your-profile": (
        "https://clustercollaboration.eu/register-your-profile"
    ),
    "https://impr-0001-1265-news-overview.eccp.hosted-temp.com/community-news/"
    "basque-energy-cluster-given-european-gold-label-top-management-excellence-award": (
        "https://clustercollaboration.eu/community-news/"
        "basque-energy-cluster-given-european-gold-label-top-management-excellence-award"
    ),
}
# The address exactly, not the start of a longer one a cluster typed (another path, a query);
# a full stop after it ends a sentence.
OLD_LINK = re.compile(
    "("
    + "|".join(re.escape(link) for link in FIXED_LINKS)
    + r")(?![A-Za-z0-9/?#=&%_~+-]|\.[A-Za-z0-9])"
)
# Only the columns this revision reads and writes.
readiness_question = sa.table(
    "readiness_question", sa.column("id", sa.Integer), sa.column("source", sa.Text)
)


def fix_links(source: str) -> str:
    """``source`` with each old staging address replaced by its public one."""
    return OLD_LINK.sub(lambda found: FIXED_LINKS[found.group(1)], source)


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(readiness_question.c.id, readiness_question.c.source).where(
            readiness_question.c.source.contains(STAGING)
        )
    ).all()
    for question_id, source in rows:
        fixed = fix_links(source)
        if fixed != source:
            connection.execute(
                readiness_question.update()
                .where(readiness_question.c.id == question_id)
                .values(source=fixed)
            )


def downgrade() -> None:
    # Nothing to undo: the staging addresses no longer lead anywhere, and the schema is the
    # same on both sides. Putting them back would break links the upgrade repaired.
    pass
