"""Persistence: SQLAlchemy models, repositories (every query), sessions and Alembic migrations."""
