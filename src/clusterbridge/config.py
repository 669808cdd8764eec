"""Settings, from ``CLUSTERBRIDGE_*`` environment variables. Nothing is built at import time."""

from functools import cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of clusterbridge; see docs/admin/settings.md."""

    model_config = SettingsConfigDict(env_prefix="CLUSTERBRIDGE_", extra="ignore")

    #: A folder of extra call files (``*.toml``) added to the shipped catalogue.
    calls_dir: Path | None = None


@cache
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
