"""Turn SSB PxWebApi v2 error answers into navdata errors that say what to change.

SSB answers RFC 9457-like Problem bodies, ``{"type": "Parameter error", "title": ..., "status":
...}``; the *title* says what went wrong (reference/ssb-api.md §1.6). Two answers carry no
Problem: a URL longer than ~2,100 characters gets a bare 404, and a duplicated code a 500 with
an empty body.
"""

from __future__ import annotations

from typing import Any

import httpx
import msgspec

from navdata.errors import (
    NavdataError,
    SelectionError,
    TooManyCellsError,
    UnknownCodelistError,
    UnknownTableError,
    UnknownValueError,
    UnknownVariableError,
    UpstreamError,
    UrlTooLongError,
)
from navdata.http import Response

__all__ = ["LONG_URL", "error_for", "problem_of"]

LONG_URL = 2_000
"""Past this many characters of path and query a GET risks SSB's bare 404 (limit ~2,100)."""


def problem_of(response: Response) -> dict[str, Any]:
    """The Problem body as a dict, or an empty dict when the body is not one."""
    try:
        body = msgspec.json.decode(response.content)
    except msgspec.DecodeError:
        return {}
    return body if isinstance(body, dict) else {}


def error_for(response: Response, *, what: str, method: str = "GET") -> NavdataError:
    """The navdata error for a non-2xx answer; ``what`` names the request ("table 13760")."""
    problem = problem_of(response)
    title = str(problem.get("title") or "").strip()
    detail = str(problem.get("detail") or "").strip()
    status, url = response.status, response.url
    said = f"SSB answered {status} {title!r}" if title else f"SSB answered {status}"
    low = title.lower()

    def upstream(cls: type[UpstreamError], advice: str) -> UpstreamError:
        return cls(f"{said} for {what}: {advice}", status=status, url=url)

    bare_404 = status == 404 and method == "GET" and not title
    target = len(httpx.URL(url).raw_path)  # path and query, as the server measures them
    if bare_404 and (target > LONG_URL or "/data" in url.lower()):
        # SSB's only Problem-less 404 on a data GET is its URL length limit
        return upstream(
            UrlTooLongError,
            f"the URL's path and query are {target:,} characters, past SSB's ~2,100 limit; "
            "select fewer codes, use expressions (*, top(n), range(a,b)) or a codelist, or "
            "send it as POST",
        )
    if "non-existent table" in low:
        return upstream(
            UnknownTableError,
            "no such table; check the id (5 digits, e.g. '13760') or search with "
            "SSBClient.tables(query=...)",
        )
    if "non-existent variable" in low:
        return upstream(
            UnknownVariableError, "a selected variable is not in the table; see .metadata()"
        )
    if "non-existent value" in low:
        return upstream(
            UnknownValueError, "a selected value code is not in the table; see .metadata()"
        )
    if "non-existent codelist" in low or (status == 404 and "/codelists/" in url.lower()):
        return upstream(
            UnknownCodelistError,
            "no such codelist (ids are case-sensitive, e.g. 'agg_KommFylker'); the metadata "
            "lists each variable's codelists",
        )
    if "too many cells" in low:
        return upstream(
            TooManyCellsError,
            f"{detail or 'the query selects too many cells'}; narrow the selection or lower "
            "max_cells so that navdata splits it into more requests",
        )
    if "selection" in low or "placment" in low or "placement" in low:
        return SelectionError(f"{said} for {what}: {detail or 'fix the selection'}")
    if status == 500 and not response.content.strip():
        return upstream(
            UpstreamError,
            "an empty 500 is SSB's answer to a value code selected twice (or a server fault); "
            "check the selection for duplicates, or try again later",
        )
    return upstream(UpstreamError, detail or "unexpected answer; try again later")
