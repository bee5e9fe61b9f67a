"""Unknown and repeated query parameters are errors, not silently ignored.

A misspelt filter (``/v1/timeline?tags=trust-reform``, ``/v1/series?topics=...``) used to return
the unfiltered answer with a 200, which a journalist cannot tell from a real result. Routes that
take dimension names as parameters (observations, chart) check those themselves and opt out
with ``opt={OPEN_QUERY: True}``.

A parameter that takes one value and is given twice (``?from=2020&from=2015``) is a 400 on every
route: Litestar reads the last value, but the ETag and the body cache are keyed on the whole
query, so ``from=2020&from=2015`` and ``from=2015&from=2020`` used to share one cached body.
"""

from __future__ import annotations

import re
from typing import Any, Final

from litestar import Request
from litestar.handlers import HTTPRouteHandler

from navdata_api.problems import ApiProblem
from navdata_api.query import query_pairs

OPEN_QUERY: Final = "open_query"
_PATH_PARAM: Final = re.compile(r"{(\w+)")
# The names are kept in the handler's own ``opt``. A module-level cache keyed by ``id()`` outlived
# its handlers, and a later app's handler built at a freed address inherited another route's
# names; weak keys are no way out, since Litestar's generated OPTIONS handlers refuse weakrefs.
_NAMES: Final = "navdata_query_names"
_SINGLE: Final = "navdata_single_valued"
_NOT_QUERY: Final = frozenset({"request", "state", "scope", "headers"})


def _query_fields(handler: HTTPRouteHandler) -> dict[str, bool]:
    """Query parameter name (alias where given) -> whether it takes several values."""
    in_path = {m for path in handler.paths for m in _PATH_PARAM.findall(path)}
    injected = set(handler.resolve_dependencies())  # ``local_data``: not from the query
    fields = {}
    for key, field in handler.parsed_fn_signature.parameters.items():
        if key in in_path or key in injected or key in _NOT_QUERY:
            continue
        name = str(getattr(field.kwarg_definition, "name", None) or key)
        fields[name] = field.is_non_string_sequence
    return fields


def _query_names(handler: HTTPRouteHandler) -> frozenset[str]:
    """Query parameter names (aliases where given) a handler declares, computed once."""
    found = handler.opt.get(_NAMES)
    if not isinstance(found, frozenset):
        found = handler.opt[_NAMES] = frozenset(_query_fields(handler))
    return found


def _single_valued(handler: HTTPRouteHandler) -> frozenset[str]:
    """Declared query parameters that take one value, computed once."""
    found = handler.opt.get(_SINGLE)
    if not isinstance(found, frozenset):
        fields = _query_fields(handler)
        found = handler.opt[_SINGLE] = frozenset(n for n, many in fields.items() if not many)
    return found


async def reject_repeated_parameters(request: Request[Any, Any, Any]) -> None:
    """``before_request`` hook: 400 naming a one-value parameter given more than once."""
    handler = request.scope.get("route_handler")
    if not isinstance(handler, HTTPRouteHandler):
        return
    names = [name for name, _ in query_pairs(request)]
    if len(names) == len(set(names)):
        return  # no name appears twice: the common case
    single = _single_valued(handler)
    repeated = sorted({n for n in names if n in single and names.count(n) > 1})
    if repeated:
        shown = ", ".join(repr(n) for n in repeated)
        raise ApiProblem(
            400,
            "repeated-parameter",
            f"{shown} takes one value but was given more than once. Send it once; only "
            "dimension filters, `category`, `tag` and `milestones` repeat.",
            valid=repeated,
        )


async def reject_unknown_parameters(request: Request[Any, Any, Any]) -> None:
    """``before_request`` hook of ``/v1``: 400 naming unknown or repeated parameters."""
    await reject_repeated_parameters(request)
    handler = request.scope.get("route_handler")
    if not isinstance(handler, HTTPRouteHandler) or handler.opt.get(OPEN_QUERY):
        return
    known = _query_names(handler)
    unknown = sorted({name for name, _ in query_pairs(request)} - known)
    if unknown:
        takes = ", ".join(sorted(known)) or "no parameters"
        raise ApiProblem(
            400,
            "unknown-parameter",
            f"{', '.join(repr(u) for u in unknown)} is not a parameter of this resource, which "
            f"takes: {takes}. Check the spelling; /docs lists every parameter.",
            valid=sorted(known),
        )
