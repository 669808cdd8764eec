"""Cached text embeddings of organisations, for partner matching."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from clusterbridge.db.base import Base, utcnow
from clusterbridge.db.types import UTCDateTime


class OrganisationEmbedding(Base):
    """One organisation's vector from one encoder, valid while its text has ``content_hash``.

    ``vector`` is ``dimension`` little-endian float32 values. A row whose hash differs from the
    hash of the organisation's current text is stale and is recomputed on the next indexing.
    """

    __tablename__ = "organisation_embedding"
    __table_args__ = (sa.CheckConstraint("dimension > 0", name="dimension"),)

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    #: SHA-256 (hex) of the text the vector was computed from.
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    dimension: Mapped[int]
    vector: Mapped[bytes] = mapped_column(sa.LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
