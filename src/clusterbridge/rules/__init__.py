"""Data: the shipped calls, one TOML file per call in ``calls/``."""
