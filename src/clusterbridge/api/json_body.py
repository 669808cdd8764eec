"""JSON bodies read as the services read every JSON document (`workbooks.load_json`): a number
too small to store ("1e-400", which ``json.loads`` keeps as 0) is refused with 422, its line
and column, instead of reaching a field as 0. Every router takes it with
``APIRouter(route_class=ExactNumbersRoute)`` (a test checks that none is left out).
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from clusterbridge.services.workbooks import load_json


class _Request(Request):
    """The request as received, its body read through it (the error handlers read it there
    again) and its JSON by `load_json`."""

    def __init__(self, received: Request) -> None:
        super().__init__(received.scope, received.receive)
        self._received = received

    async def body(self) -> bytes:
        """The body, read once by the request as received."""
        return await self._received.body()

    async def json(self) -> Any:
        """The body as JSON, read by `load_json`."""
        if not hasattr(self, "_json"):
            self._json = load_json((await self.body()).decode("utf-8"))
        return self._json


class ExactNumbersRoute(APIRoute):
    """A route whose JSON body is read by `load_json` (a JSONDecodeError that FastAPI
    answers as 422, rendered by ``errors`` with the reason, line and column)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, given the request as `_Request`."""
        handler = super().get_route_handler()

        async def read_exactly(request: Request) -> Response:
            return await handler(_Request(request))

        return read_exactly
