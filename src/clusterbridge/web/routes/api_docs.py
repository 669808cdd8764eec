"""The API's interactive documentation at ``/api/docs``: Swagger UI from the ``fastapi-offline``
package, served by the app itself, so that it works offline and under the CSP."""

from importlib.resources import files
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse

from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import templates

router = web_router()

#: Swagger UI's script and stylesheet, as the package ships them; mounted at ``/static/swagger-ui``.
SWAGGER_UI_FILES = Path(str(files("fastapi_offline") / "static"))


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI over ``/api/openapi.json``."""
    return templates.TemplateResponse(request, "api/docs.html", {})
