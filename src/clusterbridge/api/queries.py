"""Every endpoint refuses a query parameter it does not read, so that a misspelt or misplaced
parameter (``limit`` on an endpoint that pages with ``page``) is not silently ignored."""

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel


def query_names(route: APIRoute) -> list[str]:
    """The query parameters the endpoint reads (its own and its dependencies'), as a client
    writes them: a query model's fields by their aliases, in the order they are declared."""
    return list(dict.fromkeys(_names(route.dependant)))


def _names(dependant: Dependant) -> list[str]:
    names: list[str] = []
    for param in dependant.query_params:
        model = param.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            names.extend(f.alias or name for name, f in model.model_fields.items())
        else:
            names.append(param.alias)
    for sub in dependant.dependencies:
        names.extend(_names(sub))
    return names


def refuse_unknown_query(request: Request) -> None:
    """Refuse the request (422, each unknown parameter named with the accepted ones) when its
    query string has a parameter the endpoint does not read."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = set(query_names(route))
    unknown = [name for name in dict.fromkeys(request.query_params) if name not in known]
    if unknown:
        raise RequestValidationError(
            [
                {
                    "type": "extra_forbidden",
                    "loc": ("query", name),
                    "msg": "Extra inputs are not permitted",
                    "input": request.query_params[name],
                }
                for name in unknown
            ]
        )
