"""A stored upload served back as a file to save: one response for the API and the pages."""

from fastapi import Response

from clusterbridge.services.uploads import safe_name


def attachment(
    content: bytes, file_name: str, media_type: str | None, *, fallback: str
) -> Response:
    """``content`` as an attachment named ``file_name`` made safe for the header
    (`uploads.safe_name`; ``fallback`` when nothing of it is left), of ``media_type`` (the
    stored one; ``application/octet-stream`` when none was kept)."""
    name = safe_name(file_name) or fallback
    return Response(
        content,
        media_type=media_type or "application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
