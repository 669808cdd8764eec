"""Accounts and API tokens."""

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterbridge.db.base import Base, IdMixin, TimestampMixin
from clusterbridge.db.types import UTCDateTime, str_enum
from clusterbridge.domain.enums import UserRole

if TYPE_CHECKING:
    from clusterbridge.db.models.organisation import OrganisationMember


class User(IdMixin, TimestampMixin, Base):
    """A person who signs in. Passwords are stored only as argon2 hashes."""

    # "user" is a reserved word in PostgreSQL.
    __tablename__ = "user_account"

    #: Lower-cased; the sign-in name.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[UserRole] = mapped_column(str_enum(UserRole))
    is_active: Mapped[bool] = mapped_column(default=True)

    organisations: Mapped[list["OrganisationMember"]] = relationship(
        back_populates="user", lazy="raise", cascade="all, delete-orphan"
    )
    tokens: Mapped[list["ApiToken"]] = relationship(
        back_populates="user", lazy="raise", cascade="all, delete-orphan"
    )


class ApiToken(IdMixin, TimestampMixin, Base):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the user sees it once."""

    __tablename__ = "api_token"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The first characters of the token, to tell tokens apart in a list.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="tokens", lazy="raise")


class WebSession(IdMixin, TimestampMixin, Base):
    """A signed-in browser. The cookie holds a random key; only its SHA-256 is stored, and a
    request is signed in only while the row exists and has not expired. Signing out deletes the
    row; a password change deletes every row of the user."""

    __tablename__ = "web_session"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="raise")


class PasswordReset(IdMixin, TimestampMixin, Base):
    """A password-reset link sent by e-mail: single use (``used_at``) and valid until
    ``expires_at``. Only the SHA-256 of the link's token is stored."""

    __tablename__ = "password_reset"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="raise")
