"""RFC 9457 problem details for every error the service can answer with.

Litestar's own error body (``{"status_code", "detail", "extra"}``) and its problem-details plugin
(which puts the HTTP phrase in ``detail``) do not say what to do next, so every exception,
including route-not-found, 405 and validation failures raised before our handlers run, is turned
into one ``application/problem+json`` shape here. Unexpected errors are logged with their
traceback under a reference id; the client sees only the reference, never internals.
"""

from __future__ import annotations

import logging
import re
import secrets
import typing
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from http import HTTPStatus
from typing import Any, Final

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.types import Send

from navdata import errors as nerr
from navdata_api.parameters import PATTERN_HELP
from navdata_api.query import request_path
from navdata_api.schemas import ParamError, Problem

PROBLEM_JSON: Final = "application/problem+json"
TYPE_PREFIX: Final = "urn:navdata:problem:"
_log = logging.getLogger("navdata_api.errors")

# Library errors a client can cause or fix, by the status that fits them.
_LIBRARY_STATUS: Final[tuple[tuple[type[Exception], int, str], ...]] = (
    (nerr.UnknownSeriesError, 404, "unknown-series"),
    (nerr.UnknownMilestoneError, 404, "unknown-milestone"),
    (nerr.MissingDataError, 404, "not-in-store"),
    (nerr.PeriodError, 400, "invalid-period"),
    (nerr.RegionError, 400, "invalid-region"),
    (nerr.SelectionError, 400, "invalid-selection"),
    (nerr.InvalidArgumentError, 400, "invalid-parameter"),
    (nerr.StoreError, 503, "store-unavailable"),
)


class ApiProblem(Exception):  # noqa: N818 - it is a problem document, not an "Error" class
    """Raise from a handler to answer with a problem document.

    ``kind`` becomes the problem ``type`` (``urn:navdata:problem:<kind>``) so clients can branch
    on it; ``detail`` must tell the reader what was wrong and what to do.
    """

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str,
        *,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.headers = dict(headers or {})
        self.extensions = extensions


def problem_response(
    request: Request[Any, Any, Any] | None,
    status: int,
    kind: str,
    detail: str,
    *,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> Response[bytes]:
    """Build the problem+json response; ``kind="about:blank"`` for plain HTTP errors."""
    body = problem_body(
        status,
        kind,
        detail,
        title=title,
        instance=request_path(request) if request is not None else None,
        **extensions,
    )
    out_headers = {"Cache-Control": "no-store", **(headers or {})}
    return Response(
        content=body,
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=out_headers,
    )


def problem_body(
    status: int,
    kind: str,
    detail: str,
    *,
    title: str | None = None,
    instance: str | None = None,
    **extensions: Any,
) -> bytes:
    """The encoded problem document (also for ASGI layers that answer outside Litestar)."""
    problem = Problem(
        type=kind if kind == "about:blank" else TYPE_PREFIX + kind,
        title=title or HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=instance,
        **extensions,
    )
    return msgspec.json.encode(problem)


async def send_problem(
    send: Send,
    status: int,
    kind: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    """Answer with a problem document from an ASGI layer outside Litestar (never cached)."""
    body = problem_body(status, kind, detail, instance=instance)
    start_headers = [
        *headers,
        (b"content-type", PROBLEM_JSON.encode()),
        (b"cache-control", b"no-store"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": start_headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def _api_problem(request: Request[Any, Any, Any], exc: ApiProblem) -> Response[bytes]:
    return problem_response(
        request,
        exc.status,
        exc.kind,
        exc.detail,
        title=exc.title,
        headers=exc.headers,
        **exc.extensions,
    )


#: Problem types of parameters whose checks Litestar runs from the OpenAPI constraints; they
#: were the route's own before, and clients may branch on them.
_PARAMETER_KINDS: Final = {"from": "invalid-period", "to": "invalid-period"}


def _validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[bytes]:
    items = exc.extra if isinstance(exc.extra, list) else []
    public = _public_parameters(request)
    errors = []
    for item in items:
        if not isinstance(item, Mapping):
            continue
        key = str(item.get("key", "?"))
        name, choices = public.get(key, (key, ()))
        message = _in_words(str(item.get("message", "invalid value")))
        if choices:
            message += f"; use one of {', '.join(choices)}"
        source = item.get("source", "query")
        errors.append(
            ParamError(
                name=name,
                source=str(source.value if isinstance(source, Enum) else source),
                message=message,
            )
        )
    kinds = {_PARAMETER_KINDS.get(e.name, "invalid-parameter") for e in errors}
    kind = kinds.pop() if len(kinds) == 1 else "invalid-parameter"
    if errors:
        detail = "; ".join(f"{e.source} parameter {e.name!r}: {e.message}" for e in errors)
        detail += ". Fix the parameter and retry; /docs lists what each one accepts."
    else:
        detail = f"{exc.detail}. /docs lists what each parameter accepts."
    return problem_response(
        request,
        400,
        kind,
        detail,
        title="Invalid request parameter",
        errors=errors or None,
    )


def _in_words(message: str) -> str:
    """Litestar's "Expected `str` matching regex '...'" as what the pattern means."""
    if "matching regex" in message:
        for pattern, words in PATTERN_HELP.items():
            if pattern in message:
                return words
    return message


def _public_parameters(request: Request[Any, Any, Any]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Handler argument name -> (name the client used, allowed values of a ``Literal``).

    Litestar reports validation errors under the Python argument (``fmt``, ``start``), which
    the client never wrote: ``format=xml`` must be reported as ``format``, with its choices.
    """
    handler = request.scope.get("route_handler")
    signature = getattr(handler, "parsed_fn_signature", None)
    if signature is None:
        return {}
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for key, field in signature.parameters.items():
        alias = getattr(field.kwarg_definition, "name", None)
        out[key] = (str(alias or key), _literal_choices(field.annotation))
    return out


def _literal_choices(annotation: Any) -> tuple[str, ...]:
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(str(arg) for arg in typing.get_args(annotation))
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is typing.Literal:
            return _literal_choices(arg)
    return ()


_HTTP_HINTS: Final = {
    404: "No such resource. GET /v1/series lists the series; /docs lists every route.",
    405: "This resource is read-only; use GET (or HEAD).",
}


def _http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    headers = dict(exc.headers or {})
    if status == 429:
        return _too_many(request, headers)
    if status >= 500:
        return _internal(request, exc)
    if status == 405:
        _add_head_to_allow(headers)
    detail = _HTTP_HINTS.get(status) or exc.detail or HTTPStatus(status).phrase
    return problem_response(request, status, "about:blank", detail, headers=headers)


def _add_head_to_allow(headers: dict[str, str]) -> None:
    """HEAD works wherever GET does (:mod:`navdata_api.head_and_access_log`): ``Allow`` says so."""
    for name in list(headers):
        if name.lower() == "allow":
            allowed = [m.strip() for m in headers.pop(name).split(",") if m.strip()]
            if "GET" in allowed and "HEAD" not in allowed:
                allowed.append("HEAD")
            headers["Allow"] = ", ".join(allowed)


def _too_many(request: Request[Any, Any, Any], headers: dict[str, str]) -> Response[bytes]:
    reset = headers.get("RateLimit-Reset") or headers.get("ratelimit-reset") or "1"
    headers["Retry-After"] = str(max(1, int(reset))) if reset.isdigit() else "1"
    detail = (
        f"Too many requests from this address; retry after {headers['Retry-After']} s. "
        "Cache responses and revalidate with If-None-Match: a 304 costs little."
    )
    return problem_response(request, 429, "rate-limited", detail, headers=headers)


# Library messages point Python users at library calls; an HTTP client needs the route instead.
_HTTP_WORDING: Final = (
    ("see navdata.catalog() for every id", "GET /v1/series lists every id"),
    ("navdata.timeline() lists every milestone", "GET /v1/timeline lists every milestone"),
)


# Where the store lives is the operator's business: a store error's message names files.
_LOCATION: Final = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|(?<![\w/])/)[^\s'\"()]+")


def hide_locations(text: str) -> str:
    """``text`` with every path and URL in it shown as ``<store>`` (for public answers).

    Store errors name the folder or bucket and the file; the log keeps them, a client or a
    public probe gets what went wrong and what to do, never where the store is.
    """
    return _LOCATION.sub("<store>", text)


def _library(request: Request[Any, Any, Any], exc: nerr.NavdataError) -> Response[bytes]:
    for cls, status, kind in _LIBRARY_STATUS:
        if isinstance(exc, cls):
            detail = str(exc)
            for library, http in _HTTP_WORDING:
                detail = detail.replace(library, http)
            if status == 503:  # the store itself (not a series missing from it: a 404)
                _log.error("store error on %r: %s", request_path(request), exc)
                detail = hide_locations(detail)
            return problem_response(request, status, kind, detail)
    return _internal(request, exc)


def _internal(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    reference = secrets.token_hex(6)
    _log.error(
        "unhandled error %s on %s %r",  # repr: a path's control characters cannot forge lines
        reference,
        request.method,
        request_path(request),
        exc_info=exc,
    )
    detail = (
        "The service failed to answer this request. It has been logged under the reference "
        f"{reference}; please report it with that reference if it persists."
    )
    return problem_response(request, 500, "internal-error", detail, reference=reference)


def exception_handlers() -> dict[type[Exception] | int, Any]:
    """The handlers to install on the app: every exception ends as problem+json."""
    return {
        ApiProblem: _api_problem,
        ValidationException: _validation,
        HTTPException: _http,
        nerr.NavdataError: _library,
        Exception: _internal,
    }


_DESCRIPTIONS: Final = {
    400: "Invalid parameter (problem+json names it and what it accepts)",
    404: "Unknown resource (problem+json lists close matches)",
    406: "None of the acceptable media types can be produced",
    413: "The selection is larger than one request may produce",
    429: "Rate limit reached; see Retry-After",
    500: "Unexpected error (problem+json carries a reference)",
    503: "The store cannot be read",
}


def problem_specs(statuses: Iterable[int]) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problem responses a route may give."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=PROBLEM_JSON,
            description=_DESCRIPTIONS.get(status, HTTPStatus(status).phrase),
            generate_examples=False,
        )
        for status in statuses
    }
