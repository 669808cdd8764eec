"""The JSON API (FastAPI): a thin adapter over the services. OpenAPI at ``/api/openapi.json``."""
