"""Errors on web pages: a page a person can read, or a redirect to sign in."""

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from clusterbridge.domain.errors import DomainError, InvalidInputError
from clusterbridge.web.auth import SignInRequiredError
from clusterbridge.web.templating import is_htmx, render
from clusterbridge.web.wording import issue_text


def _domain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, DomainError)
    if isinstance(error, SignInRequiredError):
        target = "/sign-in?next=" + quote(request.url.path, safe="/")
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    issues = error.issues if isinstance(error, InvalidInputError) else ()
    message = error.summary if isinstance(error, InvalidInputError) else str(error)
    return _error_page(request, error.status, message, [issue_text(issue) for issue in issues])


def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    message = "This page does not exist." if error.status_code == 404 else str(error.detail)
    return _error_page(request, error.status_code, message, [])


def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    details = [
        f"{'.'.join(str(part) for part in item.get('loc', ())[1:]) or 'request'}: {item.get('msg')}"
        for item in error.errors()
    ]
    return _error_page(request, 422, "The request is not valid.", details)


def _error_page(request: Request, status: int, message: str, details: list[str]) -> Response:
    context = {"status": status, "message": message, "details": details}
    return render(
        request,
        "error.html",
        context,
        user=None,
        partial="_error.html",
        status_code=status,
    )


def install_web_error_handlers(app: FastAPI) -> None:
    """Render domain, HTTP and request-validation errors of web routes as pages (fragments for htmx)."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
