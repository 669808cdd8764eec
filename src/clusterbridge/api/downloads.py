"""Files served to save or to view: one response for the API and the pages (the web layer
imports it from here), with a ``Content-Disposition`` that holds any file name.

The header follows RFC 6266: ``filename="..."`` is an ASCII fallback for old clients
(`uploads.safe_name`, so no quote, backslash or control character reaches it), and where that
fallback is not the name itself, ``filename*=UTF-8''...`` (RFC 5987) carries the whole name,
percent-encoded. ``attachment`` is for anything to save, and always for files users uploaded;
``inline`` only for documents the platform renders itself (PDF letters) to read in the
browser."""

import unicodedata
from typing import Literal, Protocol
from urllib.parse import quote

from fastapi import Response

from clusterbridge.services.uploads import safe_name

#: The media type of a file whose own type was not kept.
UNKNOWN_MEDIA_TYPE = "application/octet-stream"

#: What RFC 5987 lets stand unencoded in ``filename*`` besides letters and digits.
ATTR_CHARS = "!#$&+-.^_`|~"

Disposition = Literal["attachment", "inline"]


class StoredUpload(Protocol):
    """A row that keeps a file a user uploaded as it came: its bytes, name and media type."""

    @property
    def id(self) -> int: ...
    @property
    def content(self) -> bytes: ...
    @property
    def file_name(self) -> str: ...
    @property
    def content_type(self) -> str: ...


def attachment(
    content: bytes | str, file_name: str, *, media_type: str | None, fallback: str = "download"
) -> Response:
    """``content`` to save as ``file_name`` (``fallback`` when the name is blank), of
    ``media_type`` (``application/octet-stream`` when none was kept)."""
    return _file(content, file_name, media_type, disposition="attachment", fallback=fallback)


def uploaded_attachment(stored: StoredUpload, *, fallback: str) -> Response:
    """The uploaded file ``stored`` to save, as it came; named ``<fallback>-<its id>`` when
    its name is blank."""
    return attachment(
        stored.content,
        stored.file_name,
        media_type=stored.content_type,
        fallback=f"{fallback}-{stored.id}",
    )


def inline(content: bytes | str, file_name: str, *, media_type: str) -> Response:
    """``content`` to show in the browser, saved as ``file_name`` if the user saves it."""
    return _file(content, file_name, media_type, disposition="inline", fallback="download")


def content_disposition(file_name: str, *, disposition: Disposition, fallback: str) -> str:
    """The ``Content-Disposition`` value for ``file_name`` (``fallback`` when it is blank):
    the ASCII ``filename``, and ``filename*`` whenever the ASCII one is not the name itself."""
    name = _printable(file_name.strip()) or fallback
    ascii_name = safe_name(name)
    header = f'{disposition}; filename="{ascii_name}"'
    if ascii_name == name:
        return header
    return f"{header}; filename*=UTF-8''{quote(name, safe=ATTR_CHARS)}"


def _file(
    content: bytes | str,
    file_name: str,
    media_type: str | None,
    *,
    disposition: Disposition,
    fallback: str,
) -> Response:
    value = content_disposition(file_name, disposition=disposition, fallback=fallback)
    return Response(
        content,
        media_type=media_type or UNKNOWN_MEDIA_TYPE,
        headers={"Content-Disposition": value},
    )


def _printable(name: str) -> str:
    """``name`` without control characters or path separators (each becomes ``_``), which no
    client should be asked to put in a file name."""
    return "".join(
        "_" if c in "/\\" or unicodedata.category(c).startswith("C") else c for c in name
    )
