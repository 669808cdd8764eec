"""Settings, from ``CLUSTERBRIDGE_*`` environment variables. Nothing is built at import time."""

import secrets
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from clusterbridge.domain.calendar import DEFAULT_TIME_ZONE, local_today
from clusterbridge.domain.events import check_time_zone
from clusterbridge.private_files import (
    make_private_folder,
    private_bytes_once,
    replace_private_bytes,
)

#: The file name of the default SQLite database inside the data directory.
SQLITE_FILE_NAME = "clusterbridge.sqlite3"
#: The file, inside the data directory, that keeps the generated session-signing key.
SECRET_KEY_FILE_NAME = "secret-key"  # noqa: S105 -- a file name, not a secret
#: The shortest secret key accepted: 32 bytes of entropy written as hex or base64 is longer.
#: The latest follow-up a setting may ask for, in weeks after the meeting or exchange.
MAX_FOLLOWUP_WEEK = 104
MIN_SECRET_KEY_LENGTH = 32
#: The folder, inside the data directory, where the file mail backend writes messages.
MAIL_FOLDER_NAME = "mail"
#: The folder, inside the data directory, where built indexes are kept between runs.
CACHE_FOLDER_NAME = "cache"


class MailBackend(StrEnum):
    """Where notification e-mails go."""

    #: Each message is written as an ``.eml`` file into ``mail_dir`` (development, tests).
    FILE = "file"
    #: Messages are sent through the SMTP server of the ``smtp_*`` settings.
    SMTP = "smtp"


class Settings(BaseSettings):
    """Every setting of clusterbridge; see docs/admin/settings.md."""

    model_config = SettingsConfigDict(env_prefix="CLUSTERBRIDGE_", extra="ignore")

    #: A folder of extra call files (``*.toml``) added to the shipped catalogue.
    calls_dir: Path | None = None
    #: Where the SQLite database and the generated secret key live.
    data_dir: Path = user_data_path("clusterbridge", appauthor=False)
    #: A SQLAlchemy URL; empty means a SQLite file in ``data_dir``.
    database_url: str | None = None
    #: Signs session cookies; empty means a random key generated once and kept in ``data_dir``.
    secret_key: str | None = None
    #: Send cookies over HTTPS only. Turn on behind TLS (every deployment but localhost).
    secure_cookies: bool = False
    #: The address of the web application as users reach it, for links in e-mails and calendars.
    public_url: str = "http://127.0.0.1:8000"
    #: ``file`` (messages written into ``mail_dir``) or ``smtp``.
    mail_backend: MailBackend = MailBackend.FILE
    #: How long an e-mailed password-reset link works, in minutes.
    password_reset_minutes: int = Field(default=60, ge=5, le=7 * 24 * 60)
    #: When the follow-ups of a meeting or an exchange ask what came of it: weeks after it.
    followup_weeks: list[int] = Field(default=[2, 6], min_length=1)
    #: How long a follow-up's one-click answer link works, in days after it is sent.
    followup_link_days: int = Field(default=60, ge=1, le=365)
    #: The largest request body with files (multipart/form-data), in bytes: above the largest
    #: upload, ten proposal documents of 10 MB each, with room for the form around them.
    max_upload_request_bytes: int = Field(default=110 * 1024 * 1024, ge=1024 * 1024)
    #: The largest request body without files (JSON, forms), in bytes.
    max_request_bytes: int = Field(default=5 * 1024 * 1024, ge=64 * 1024)
    #: Failed sign-in attempts allowed per account, in the ``limits`` notation ("10 per 15
    #: minutes").
    sign_in_limit_per_account: str = "10 per 15 minutes"
    #: Failed sign-in attempts allowed from one client address (successful ones do not count).
    sign_in_limit_per_address: str = "50 per 15 minutes"
    #: Password-reset links that may be asked for one e-mail address (known or not); further
    #: requests are answered alike and mail nothing. Counted apart from the sign-in attempts.
    password_reset_limit_per_account: str = "3 per hour"  # noqa: S105 -- a rate, not a secret
    #: Password-reset links that may be asked for from one client address, whatever the accounts.
    password_reset_limit_per_address: str = "10 per hour"  # noqa: S105 -- a rate, not a secret
    #: Where sign-in attempts and reset requests are counted: ``memory://`` (this process) or a
    #: shared store such as ``redis://host:6379`` (needs the ``redis`` package) for several
    #: processes.
    rate_limit_storage: str = "memory://"
    #: Where the file backend writes messages; empty means ``<data_dir>/mail``.
    mail_dir: Path | None = None
    #: Where the web application and the command line keep the partner-matching index; empty means
    #: ``<data_dir>/cache``.
    cache_dir: Path | None = None
    #: The cache folder is one folder shared by every web process and worker of the site (the
    #: same host, or a network file system): with a broker, the workers then build the matching
    #: index for everybody and write the documents the web processes hand out. Off: every host
    #: builds its own index, and documents are made in the web request.
    shared_cache_dir: bool = False
    #: Rank partners with the sentence-embedding vectors once ``clusterbridge partners index``
    #: has stored them (needs the ``embeddings`` extra); off keeps the light method.
    matching_embeddings: bool = True
    #: Let every signed-in user create match-making events (and run the ones they create); off,
    #: only event organisers and administrators may.
    anyone_can_create_events: bool = False
    #: A CSV file (columns ``country``, ``amount_eur``) with the exchange lump sum per host
    #: country; empty means the shipped table (unverified: see docs/admin/settings.md).
    exchange_lump_sums_file: Path | None = None
    #: The time zone of the site's calendar (an IANA name such as ``Europe/Lisbon``): what
    #: "today" is for periods that have started, payments due, expiring labels, stays that are
    #: over and dashboards (ADR 0039). Timestamps are stored in UTC whatever it is.
    time_zone: str = DEFAULT_TIME_ZONE
    #: The sender of notification e-mails.
    mail_from: str = "clusterbridge <noreply@clusterbridge.invalid>"
    smtp_host: str = "localhost"
    smtp_port: int = 587
    #: Upgrade the connection with STARTTLS (on unless the server is local and plain).
    smtp_starttls: bool = True
    #: Sign in to the SMTP server when set.
    smtp_username: str | None = None
    smtp_password: str | None = None
    #: Seconds to wait for the SMTP server.
    smtp_timeout: float = 10.0
    #: The task queue's broker, such as ``redis://127.0.0.1:6379/0`` (needs the ``queue``
    #: extra); empty runs background jobs in the application process (ADR 0027).
    broker_url: str | None = None
    #: The broker's queue that this site's jobs go through (sites sharing a broker differ).
    queue_name: str = Field(default="clusterbridge", pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    #: Threads that run background jobs inside each process when no broker is set.
    embedded_job_threads: int = Field(default=2, ge=1, le=16)
    #: Seconds a worker holds a running job without renewing its lease; after that the job is
    #: taken as abandoned (its worker died): retried when that is safe, else failed.
    job_lease_seconds: int = Field(default=60, ge=2, le=3600)
    #: Seconds a job waits before its second attempt after a failed one; each further failed
    #: attempt waits four times longer, up to ``job_retry_max_delay_seconds`` (0: at once).
    job_retry_delay_seconds: int = Field(default=30, ge=0, le=3600)
    #: The longest wait between two attempts of a job (the cap of the back-off).
    job_retry_max_delay_seconds: int = Field(default=900, ge=0, le=86400)
    #: Days a succeeded or cancelled job is kept after it finished (then ``jobs.prune``, daily,
    #: removes it; ADR 0036).
    job_retention_days: int = Field(default=30, ge=1, le=3650)
    #: Days a failed job is kept after it finished, for the administrators to see why.
    failed_job_retention_days: int = Field(default=90, ge=1, le=3650)
    #: Days a rendered document is kept after its job finished; its job page then says it
    #: expired (render it again).
    document_retention_days: int = Field(default=7, ge=1, le=3650)

    @field_validator("secret_key")
    @classmethod
    def _strong_secret(cls, value: str | None) -> str | None:
        if value is not None and len(value) < MIN_SECRET_KEY_LENGTH:
            raise ValueError(f"must be at least {MIN_SECRET_KEY_LENGTH} characters long")
        return value

    @field_validator(
        "sign_in_limit_per_account",
        "sign_in_limit_per_address",
        "password_reset_limit_per_account",
        "password_reset_limit_per_address",
    )
    @classmethod
    def _rate_limit(cls, value: str, info: ValidationInfo) -> str:
        if info.field_name and value == cls.model_fields[info.field_name].default:
            # The defaults are rates (a test parses them): every command reads the settings,
            # and ``limits`` (a tenth of a second to import) loads only to check a rate set.
            return value
        from limits import parse  # noqa: PLC0415 -- slow import

        try:
            parse(value)
        except ValueError as error:
            raise ValueError('must be a rate such as "10 per 15 minutes"') from error
        return value

    @field_validator("followup_weeks")
    @classmethod
    def _weeks_in_order(cls, value: list[int]) -> list[int]:
        if any(week < 1 or week > MAX_FOLLOWUP_WEEK for week in value):
            raise ValueError(f"must be weeks from 1 to {MAX_FOLLOWUP_WEEK}")
        if value != sorted(set(value)):
            raise ValueError("must be different weeks in increasing order, such as [2, 6]")
        return value

    @field_validator("rate_limit_storage")
    @classmethod
    def _storage_uri(cls, value: str) -> str:
        if "://" not in value:
            raise ValueError("must be a storage address such as memory:// or redis://host:6379")
        return value

    @field_validator("broker_url")
    @classmethod
    def _broker_address(cls, value: str | None) -> str | None:
        if value is not None and value and "://" not in value:
            raise ValueError("must be a broker address such as redis://127.0.0.1:6379/0")
        return value or None

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        reason = check_time_zone(value)
        if reason is not None:
            raise ValueError(reason)
        return value

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    def resolved_mail_dir(self) -> Path:
        """Where the file mail backend writes: the setting, or ``<data_dir>/mail``."""
        return self.mail_dir or self.data_dir / MAIL_FOLDER_NAME

    def resolved_cache_dir(self) -> Path:
        """Where built indexes are kept: the setting, or ``<data_dir>/cache``."""
        return self.cache_dir or self.data_dir / CACHE_FOLDER_NAME

    def today(self, now: datetime) -> date:
        """The site's calendar date at the moment ``now`` (from the injected clock), in the
        configured ``time_zone`` (``local_today``)."""
        return local_today(now, self.time_zone)

    def resolved_database_url(self) -> str:
        """The configured URL, or the SQLite file in the data directory (which is created)."""
        if self.database_url:
            return self.database_url
        make_private_folder(self.data_dir)
        return f"sqlite:///{self.data_dir / SQLITE_FILE_NAME}"

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated on first use and kept (mode 0600) in ``data_dir``:
        every process of the site reads the same one, even processes that start together
        (``serve --workers``), or a session cookie signed by one would be refused by another."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / SECRET_KEY_FILE_NAME
        stored = private_bytes_once(path, secrets.token_urlsafe(48).encode()).decode().strip()
        if not stored:
            # A file left empty by a process that stopped while writing it (before this
            # version, which never leaves one): a new key, written whole.
            replace_private_bytes(path, secrets.token_urlsafe(48).encode())
            stored = path.read_text(encoding="utf-8").strip()
        return stored


@cache
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
