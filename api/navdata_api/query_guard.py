"""Unknown query parameters are an error on every ``/v1`` route, not silently ignored.

A misspelt filter (``/v1/timeline?tags=trust-reform``, ``/v1/series?topics=...``) used to return
the unfiltered answer with a 200, which a journalist cannot tell from a real result. Routes that
take dimension names as parameters (observations, chart) check those themselves and opt out
with ``opt={OPEN_QUERY: True}``.
"""

from __future__ import annotations

import re
from typing import Any, Final

from litestar import Request
from litestar.handlers import HTTPRouteHandler

from navdata_api.problems import ApiProblem

OPEN_QUERY: Final = "open_query"
_PATH_PARAM: Final = re.compile(r"{(\w+)")
# The names are kept in the handler's own ``opt``. A module-level cache keyed by ``id()`` outlived
# its handlers, and a later app's handler built at a freed address inherited another route's
# names; weak keys are no way out, since Litestar's generated OPTIONS handlers refuse weakrefs.
_NAMES: Final = "navdata_query_names"


def _query_names(handler: HTTPRouteHandler) -> frozenset[str]:
    """Query parameter names (aliases where given) a handler declares, computed once."""
    found = handler.opt.get(_NAMES)
    if not isinstance(found, frozenset):
        in_path = {m for path in handler.paths for m in _PATH_PARAM.findall(path)}
        injected = set(handler.resolve_dependencies())  # ``local_data``: not from the query
        names = set()
        for key, field in handler.parsed_fn_signature.parameters.items():
            if key in in_path or key in injected or key in {"request", "state", "scope", "headers"}:
                continue
            names.add(str(getattr(field.kwarg_definition, "name", None) or key))
        found = handler.opt[_NAMES] = frozenset(names)
    return found


async def reject_unknown_parameters(request: Request[Any, Any, Any]) -> None:
    """``before_request`` hook: 400 naming the unknown parameters and the route's own."""
    handler = request.scope.get("route_handler")
    if not isinstance(handler, HTTPRouteHandler) or handler.opt.get(OPEN_QUERY):
        return
    known = _query_names(handler)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        takes = ", ".join(sorted(known)) or "no parameters"
        raise ApiProblem(
            400,
            "unknown-parameter",
            f"{', '.join(repr(u) for u in unknown)} is not a parameter of this resource, which "
            f"takes: {takes}. Check the spelling; /docs lists every parameter.",
            valid=sorted(known),
        )
