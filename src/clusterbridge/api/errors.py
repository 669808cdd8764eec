"""Every error the API answers is JSON: a message and, per problem, the field concerned."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from clusterbridge.api.queries import query_names
from clusterbridge.domain.errors import DomainError, InvalidInputError
from clusterbridge.domain.numbers import TOO_SMALL
from clusterbridge.domain.refusals import refusal_reason
from clusterbridge.services.accounts.limits import TooManyAttemptsError
from clusterbridge.services.matching.store import IndexNotReadyError


class ErrorIssueRead(BaseModel):
    """One problem: where it is, the field, and why."""

    location: str
    field: str
    reason: str


class ErrorRead(BaseModel):
    """The body of every error response."""

    message: str
    errors: list[ErrorIssueRead]


def error_responses(described: Mapping[int, str]) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route for the error statuses it may answer, each with its
    description and the one error body (for the OpenAPI schema)."""
    return {
        status: {"model": ErrorRead, "description": description}
        for status, description in described.items()
    }


def error_body(message: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """The body of every error response: ``{"message": ..., "errors": [{location, field, reason}]}``;
    the message reads as a sentence (`as_sentence`)."""
    return {"message": as_sentence(message), "errors": errors or []}


def as_sentence(message: str) -> str:
    """A message that reads as a sentence on its own. The services title their refusals for
    a list of problems that follows ("The payment cannot be recorded:", as the CLI prints
    them); in the API the problems are in ``errors`` beside the message, so the title ends
    with a full stop instead of a dangling colon."""
    text = message.rstrip()
    return text[:-1].rstrip() + "." if text.endswith(":") else text


@contextmanager
def fields_as_sent(names: Mapping[str, str]) -> Iterator[None]:
    """Name the fields of a service's ``InvalidInputError`` as the endpoint's body names them
    (``names`` maps the service's name to the body's), so that a client finds its field."""
    try:
        yield
    except InvalidInputError as error:
        issues = [replace(i, field=names.get(i.field, i.field)) for i in error.issues]
        raise InvalidInputError(error.summary, issues) from error


def _domain_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    if isinstance(error, InvalidInputError):
        errors = [
            {"location": i.location, "field": i.field, "reason": i.reason} for i in error.issues
        ]
        return JSONResponse(error_body(error.summary, errors), status_code=error.status)
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    if isinstance(error, TooManyAttemptsError):
        headers = {"Retry-After": str(error.retry_after_seconds)}
    if isinstance(error, IndexNotReadyError):
        headers = {"Retry-After": str(IndexNotReadyError.retry_after_seconds)}
    return JSONResponse(error_body(str(error)), status_code=error.status, headers=headers)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    items = error.errors()
    # Only a body that is not JSON was read whole (a form's stream is consumed).
    invalid_json = any(item.get("type") == "json_invalid" for item in items)
    body = (await request.body()).decode("utf-8", "replace") if invalid_json else ""
    route = request.scope.get("route")
    errors = [
        _describe(item, body=body, route=route if isinstance(route, APIRoute) else None)
        for item in items
    ]
    return JSONResponse(error_body("The request is not valid", errors), status_code=422)


def _describe(item: dict[str, Any], *, body: str, route: APIRoute | None) -> dict[str, str]:
    location = [str(part) for part in item.get("loc", ())]
    where = location[0] if location else ""
    field = ".".join(location[1:]) if len(location) > 1 else where
    reason = refusal_reason(item)
    if item.get("type") == "json_invalid":
        # The position FastAPI puts in the place of a field is an offset in the body.
        offset = int(location[-1]) if len(location) > 1 else 0
        field, reason = "body", _json_reason(body, offset, str(item.get("ctx", {}).get("error")))
    elif item.get("type") == "extra_forbidden" and len(location) == 2:  # (place, name)
        accepted = ", ".join(_accepted_names(route, where))
        reason = "is not a parameter of this endpoint" + (
            f"; use one of: {accepted}" if accepted else ", which takes none"
        )
    return {"location": where, "field": field, "reason": reason}


def _json_reason(body: str, offset: int, error: str) -> str:
    """Where the body stops being JSON, as an editor counts: line and column from 1 (with
    the reason when the JSON holds a number too small to store)."""
    line = body.count("\n", 0, offset) + 1
    column = offset - (body.rfind("\n", 0, offset) + 1) + 1
    if error.endswith(TOO_SMALL):
        return f"{error} (line {line}, column {column})"
    return f"is not valid JSON (line {line}, column {column})"


def _accepted_names(route: APIRoute | None, where: str) -> list[str]:
    """The names the endpoint reads from the body or the query string, as a client writes them."""
    if route is None:
        return []
    if where == "query":
        return query_names(route)
    names: list[str] = []
    for param in route.dependant.body_params if where == "body" else []:
        model = param.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            names.extend(f.alias or name for name, f in model.model_fields.items())
        else:
            names.append(param.alias)
    return names


def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    return JSONResponse(
        error_body(str(error.detail)), status_code=error.status_code, headers=error.headers
    )


def install_error_handlers(app: FastAPI) -> None:
    """Render domain errors, payload validation errors and HTTP errors in the one JSON shape."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
