"""A lean HTTP/1.1 client for the open-loop runs of ``bench_load.py``.

httpx spends about as much CPU per request as the server's search does, and in this benchmark
the client shares the server's two cores, so a run at 300 req/s measured mostly the client. This
one writes a prepared request on a kept-alive connection (``asyncio`` streams, on uvloop when it
is installed) and reads the answer by its ``Content-Length`` (or its chunks): a few tens of
microseconds per request. A request that finds every connection busy opens another one, as a
browser or a pool of API clients would.
"""

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)
CHUNKED = re.compile(rb"\r\ntransfer-encoding:\s*chunked", re.IGNORECASE)
CLOSE = re.compile(rb"\r\nconnection:\s*close", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Answer:
    """The status and body of one response."""

    status: int
    body: bytes


def get_request(base_url: str, path: str, params: dict[str, str | int] | None = None) -> bytes:
    """The bytes of a ``GET`` of ``path`` (with ``params``) on the host of ``base_url``."""
    host = urlsplit(base_url).netloc
    target = f"{path}?{urlencode(params)}" if params else path
    return f"GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n".encode()


@dataclass
class ConnectionPool:
    """Kept-alive connections to one server; a busy pool opens one more."""

    host: str
    port: int
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = field(default_factory=list)
    opened: int = 0
    #: Requests sent again because a kept-alive connection had been closed by the server.
    retried: int = 0

    @classmethod
    def of(cls, base_url: str) -> "ConnectionPool":
        """A pool for the server at ``base_url`` (``http://host:port``)."""
        parts = urlsplit(base_url)
        return cls(parts.hostname or "127.0.0.1", parts.port or 80)

    async def send(self, request: bytes) -> Answer:
        """Send ``request`` on an idle connection (or a new one) and read its answer.

        A kept-alive connection the server closed while idle (its keep-alive timeout) answers
        nothing at all: the request is then sent again on a new connection, as browsers and
        httpx do. Any other failure is raised."""
        if self.idle:
            connection = self.idle.pop()
            try:
                return await self._exchange(connection, request)
            except (asyncio.IncompleteReadError, ConnectionError) as error:
                if isinstance(error, asyncio.IncompleteReadError) and error.partial:
                    raise
                self.retried += 1
        connection = await asyncio.open_connection(self.host, self.port)
        self.opened += 1
        return await self._exchange(connection, request)

    async def _exchange(
        self, connection: tuple[asyncio.StreamReader, asyncio.StreamWriter], request: bytes
    ) -> Answer:
        reader, writer = connection
        try:
            writer.write(request)
            answer, keep = await _read_answer(reader)
        except BaseException:
            writer.close()
            raise
        if keep:
            self.idle.append(connection)
        else:
            writer.close()
        return answer

    async def close(self) -> None:
        """Close every idle connection."""
        for _reader, writer in self.idle:
            writer.close()
        self.idle.clear()


async def _read_answer(reader: asyncio.StreamReader) -> tuple[Answer, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = CONTENT_LENGTH.search(head)
    if length is not None:
        body = await reader.readexactly(int(length[1]))
    elif CHUNKED.search(head):
        body = b"".join([chunk async for chunk in _chunks(reader)])
    else:
        return Answer(status, await reader.read()), False
    return Answer(status, body), CLOSE.search(head) is None


async def _chunks(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return
        yield await reader.readexactly(size)
        await reader.readexactly(2)
