"""What every web route shares."""

from typing import Any

from fastapi import APIRouter, Depends

from clusterbridge.web.csrf import verify_csrf


def web_router(**kwargs: Any) -> APIRouter:
    """A router of HTML pages: CSRF-checked on every unsafe request, absent from the OpenAPI."""
    return APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False, **kwargs)


def safe_next(target: str | None, default: str = "/") -> str:
    """``target`` if it is a path on this site, else ``default`` (no open redirects)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return default
