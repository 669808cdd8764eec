"""The size limit of request bodies: a body over it is answered 413 before anything reads it,
so a huge JSON document or form is never parsed. Bodies with files (multipart/form-data) may
be larger than the others (the settings ``max_upload_request_bytes`` and
``max_request_bytes``)."""

import json
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clusterbridge.services.uploads import MEGABYTE

TOO_LARGE = 413
_MULTIPART = b"multipart/form-data"

#: The page a web request (not ``/api``) over the limit gets: from the request, the refusal's
#: message and whether the body held files. It may read the database (run in a thread).
RefusalPage = Callable[[Request, str, bool], Response]


class BodySizeLimit:
    """Answers 413 to a request whose body is larger than its limit: by its ``Content-Length``
    at once, or, sent in chunks without one, once the chunks read pass the limit (nothing is
    passed on before). JSON (``{"message": ..., "errors": []}``) under ``/api``, elsewhere
    ``page`` (the site's error page), or text without one."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        max_upload_bytes: int,
        page: RefusalPage | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        multipart = headers.get(b"content-type", b"").lower().startswith(_MULTIPART)
        limit = self.max_upload_bytes if multipart else self.max_bytes
        length = headers.get(b"content-length")
        if length is not None:
            if length.isdigit() and int(length) > limit:
                await self._refuse(scope, receive, send, limit=limit, multipart=multipart)
                return
            await self.app(scope, receive, send)
            return
        if b"chunked" not in headers.get(b"transfer-encoding", b"").lower():
            await self.app(scope, receive, send)
            return
        messages = await _read_chunks(receive, limit)
        if messages is None:
            await self._refuse(scope, receive, send, limit=limit, multipart=multipart)
            return
        await self.app(scope, _replay(messages, receive), send)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, *, limit: int, multipart: bool
    ) -> None:
        kind = "with files" if multipart else "without files"
        message = f"The request is too large: at most {_megabytes(limit)} {kind}"
        if scope["path"].startswith("/api"):
            body = json.dumps({"message": message, "errors": []}).encode()
            await _send(send, body, b"application/json")
        elif self.page is not None:
            response = await run_in_threadpool(self.page, Request(scope), message, multipart)
            # The body is left unread: the client must not send the next request after it.
            response.headers["connection"] = "close"
            await response(scope, receive, send)
        else:
            await _send(send, f"{message}.\n".encode(), b"text/plain; charset=utf-8")


async def _read_chunks(receive: Receive, limit: int) -> list[Message] | None:
    """The body's messages, or None as soon as they pass ``limit`` bytes."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        size += len(message.get("body", b""))
        if size > limit:
            return None
        if message["type"] != "http.request" or not message.get("more_body", False):
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """``receive`` that first hands out ``messages`` (the body read), then waits as usual."""
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


async def _send(send: Send, body: bytes, content_type: bytes) -> None:
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": TOO_LARGE, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _megabytes(size: int) -> str:
    """``5 MB``, ``2.5 MB``; under a megabyte in bytes (``1,000 bytes``)."""
    if size < MEGABYTE:
        return f"{size:,} bytes"
    return f"{size / MEGABYTE:g} MB" if size % MEGABYTE == 0 else f"{size / MEGABYTE:.1f} MB"
