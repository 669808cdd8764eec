"""The API's OpenAPI schema, made true to what the routes answer.

FastAPI documents every route as needing the bearer token (the token check is an app-wide
dependency, so that a revoked token never works) and every 422 with its own body. Here:

- a route needs a token only when it depends on `deps.get_current_user`; the others accept
  one (a token that is sent is checked) and say so with an optional security requirement;
- every route may answer 401 (no token where one is needed, or one unknown or revoked);
- a route with a path parameter answers 404 for an id that does not exist;
- a route with parameters or a body answers 422, with the one error body (`errors.ErrorRead`);
- the 403 and 409 answers, which depend on the use case, are listed by each route.
"""

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from clusterbridge.api.deps import get_current_user
from clusterbridge.api.errors import ErrorRead

SECURITY_SCHEME = "HTTPBearer"
ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorRead"}}}
#: How every error status is described when the route gives no description of its own.
DESCRIPTIONS = {
    401: "No valid API token: none where one is needed, or one that is unknown or revoked.",
    403: "You may see it, but not do this to it.",
    404: "Nothing with this id, or nothing you may see.",
    409: "It conflicts with the state things are in, or with a change made at the same moment.",
    410: "It existed and was removed since (its retention ran out).",
    422: "A parameter or the body is not valid (every problem is listed).",
    501: "A part of clusterbridge this needs is not installed.",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route for these error statuses, each with its description and
    the one error body."""
    return {
        status: {"model": ErrorRead, "description": DESCRIPTIONS[status]} for status in statuses
    }


def install_openapi(api: FastAPI) -> None:
    """Make ``api.openapi()`` return the corrected schema (built once)."""
    build: Callable[[], dict[str, Any]] = api.openapi

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            _correct(build(), api.routes)
        assert api.openapi_schema is not None
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]


def _correct(schema: dict[str, Any], routes: Iterable[Any]) -> None:
    schema.setdefault("components", {}).setdefault("schemas", {}).pop("HTTPValidationError", None)
    schema["components"]["schemas"].pop("ValidationError", None)
    # The routes of included routers, each with its full path and all its dependencies.
    for route in iter_route_contexts(list(routes)):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        for method in route.methods or ():
            operation = schema["paths"][route.path_format][method.lower()]
            _correct_operation(operation, route.dependant)


def _correct_operation(operation: dict[str, Any], dependant: Dependant) -> None:
    required = _needs(dependant, get_current_user)
    operation["security"] = [{SECURITY_SCHEME: []}] if required else [{}, {SECURITY_SCHEME: []}]
    answers = operation.setdefault("responses", {})
    statuses = [401]
    if dependant.path_params:
        statuses.append(404)
    if dependant.path_params or dependant.query_params or dependant.body_params:
        statuses.append(422)
    for status in statuses:
        answers.setdefault(str(status), {"description": DESCRIPTIONS[status]})
    for status, answer in answers.items():
        if status.startswith(("4", "5")):
            answer["content"] = ERROR_BODY
            answer.setdefault("description", DESCRIPTIONS.get(int(status), "An error."))
    if "422" in answers and answers["422"]["description"] == "Validation Error":
        answers["422"]["description"] = DESCRIPTIONS[422]


def _needs(dependant: Dependant, call: Callable[..., Any]) -> bool:
    return any(sub.call is call or _needs(sub, call) for sub in dependant.dependencies)
