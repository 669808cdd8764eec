"""Errors on web pages: a page a person can read, or a redirect to sign in."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from clusterbridge.domain.errors import DomainError, InvalidInputError, NotTakingPartError
from clusterbridge.domain.refusals import refusal_reason
from clusterbridge.web.auth import SignInRequiredError, find_web_user
from clusterbridge.web.templating import is_htmx, render
from clusterbridge.web.wording import field_label, issue_text

HTTP_NOT_FOUND = 404
HTTP_FORBIDDEN = 403
HTTP_SERVER_ERROR = 500
#: What happened, by status: the error page's heading and title, above its explanation.
_HEADINGS = {
    400: "This request cannot be done",
    401: "Please sign in",
    404: "Page not found",
    409: "This cannot be done now",
    410: "This is no longer available",
    413: "Too much to send",
    422: "There is a problem with what was sent",
    429: "Too many attempts",
    501: "This is not installed here",
    503: "Not ready yet",
}
#: Methods that only open a page: a refused one is a page the user may not open.
_READING = frozenset({"GET", "HEAD"})


def _domain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, DomainError)
    if isinstance(error, SignInRequiredError):
        target = "/sign-in?next=" + quote(request.url.path, safe="/")
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    issues = error.issues if isinstance(error, InvalidInputError) else ()
    message = error.summary if isinstance(error, InvalidInputError) else str(error)
    return _error_page(
        request,
        error.status,
        _as_sentence(message),
        [issue_text(issue) for issue in issues],
        way_on=_way_on(request, error),
    )


@dataclass(frozen=True)
class _WayOn:
    """The link a refused page offers instead of a dead end: where, its words, its test id."""

    href: str
    text: str
    testid: str


def _way_on(request: Request, error: DomainError) -> _WayOn | None:
    """For a participant's page refused to someone who takes no part in the event: the
    event's registration form when they may register, else the event itself; for another
    refused page of an event the user sees (not 404), opened as a page (not htmx): the event."""
    if isinstance(error, NotTakingPartError):
        event = f"/events/{error.event_id}"
        if error.may_register:
            return _WayOn(f"{event}#registration", "Go to the registration form", "register-link")
        return _WayOn(event, "Back to the event", "event-link")
    event_id = request.path_params.get("event_id")
    if event_id is None or error.status == HTTP_NOT_FOUND or is_htmx(request):
        return None
    return _WayOn(f"/events/{event_id}", "Back to the event", "event-link")


def _as_sentence(message: str) -> str:
    """A refusal that reads as a sentence on the page: the services word some without a full
    stop ("Only administrators import organisation files"), others with one, and a summary of
    the problems listed under it ends with a colon, kept."""
    text = message.rstrip()
    return f"{text}." if text and text[-1].isalnum() else text


def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    message = "This page does not exist." if error.status_code == 404 else str(error.detail)
    return _error_page(request, error.status_code, message, [])


def _validation_error(request: Request, error: Exception) -> Response:
    """A typed address or a posted form the routes' declarations refuse, in the app's words
    (never the validator's): a path that names no page is a plain 404."""
    assert isinstance(error, RequestValidationError)
    problems = [_Problem.of(item) for item in error.errors()]
    if any(problem.place == "path" for problem in problems):
        return _error_page(request, 404, "No such page.", [])
    if all(problem.field == "page" for problem in problems):
        return _error_page(
            request, 422, f"This page number does not exist: the page {problems[0].reason}", []
        )
    place = "form" if any(problem.place == "body" for problem in problems) else "address"
    details = [f"{field_label(problem.field)}: {problem.reason}" for problem in problems]
    return _error_page(request, 422, f"The {place} is not valid.", details)


@dataclass(frozen=True)
class _Problem:
    """One refusal of the request's validation: where (path, query, body), which field, why."""

    place: str
    field: str
    reason: str

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> "_Problem":
        location = [str(part) for part in item.get("loc", ())]
        place = location[0] if location else "request"
        field = location[-1] if len(location) > 1 else place
        return cls(place, field, refusal_reason(item))


def too_large_page(request: Request, message: str, with_files: bool) -> Response:
    """The page of a web request whose body is over its size limit (413): ``message`` (the
    limit, in MB), what to do instead, and a link back to the page the form was on."""
    advice = (
        "Send smaller files, or fewer at once, and try again."
        if with_files
        else "Shorten what you typed, then send the form again."
    )
    return _error_page(request, 413, f"{message}.", [advice], back=_referring_page(request))


def _referring_page(request: Request) -> str | None:
    """The path (and query) of the page of this site the request came from, if it says."""
    referer = urlsplit(request.headers.get("referer", ""))
    path = referer.path
    # Not "//host" nor "/\\host", which a browser reads as another site; not the start page,
    # which the page links anyway.
    if referer.netloc != request.url.netloc or not path.startswith("/") or path == "/":
        return None
    if path[1] in ("/", "\\"):
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "")


def error_heading(status: int, method: str) -> str:
    """The error page's heading: what happened, by status (and, refused, whether the user was
    opening a page or doing something); any other status by its class."""
    if status == HTTP_FORBIDDEN:
        return "You cannot open this page" if method in _READING else "You cannot do this"
    if status in _HEADINGS:
        return _HEADINGS[status]
    return "Something went wrong on our side" if status >= HTTP_SERVER_ERROR else _HEADINGS[400]


def _error_page(
    request: Request,
    status: int,
    message: str,
    details: list[str],
    *,
    back: str | None = None,
    way_on: _WayOn | None = None,
) -> Response:
    context = {
        "status": status,
        "heading": error_heading(status, request.method),
        "message": message,
        "details": details,
        "back": back,
        "way_on": way_on,
    }
    # Read again: the route's session (and the user it read) is rolled back by now.
    state = request.app.state.clusterbridge
    user = find_web_user(request, state.database, now=state.clock())
    return render(
        request,
        "error.html",
        context,
        user=user,
        partial="_error.html",
        status_code=status,
    )


def install_web_error_handlers(app: FastAPI) -> None:
    """Render domain, HTTP and request-validation errors of web routes as pages (fragments for htmx)."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
