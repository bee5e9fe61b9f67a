"""The part of a series one request asks for: ``from``/``to``, dimension codes, label columns.

The observations and chart routes take the same parameters and cut the same way, so both read
them here: bad values become problem+json naming the parameter, and the rows are kept by
:func:`navdata.cut.cut`, the library's one rule (every period overlapping the range).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Final, NoReturn

import polars as pl
from litestar import Request

from navdata import series_catalog as cat
from navdata.cut import Codes, PeriodRange, cut
from navdata.dataset import Dataset, Dimension
from navdata.periods import parse_bound
from navdata_api.problems import ApiProblem
from navdata_api.query import query_pairs

__all__ = [
    "CODES_VARIANT",
    "TIDY_COLUMNS",
    "DimensionCodes",
    "labels_in",
    "requested_codes",
    "requested_periods",
    "requested_rows",
]

#: Columns of a tidy frame that are not dimensions a request can filter on.
TIDY_COLUMNS: Final = frozenset({"period", "date", "value", "status"})
_MAX_CODES_LISTED: Final = 40
_MAX_VALUES_PER_DIMENSION: Final = 500
#: Distinct checked filters kept per series version; past it they are checked afresh.
_QUERIES_KEPT: Final = 1024


def _bound(text: str | None, name: str, *, end: bool) -> date | None:
    if text is None:
        return None
    try:
        return parse_bound(text, end=end)
    except ValueError as exc:
        raise ApiProblem(
            400,
            "invalid-period",
            f"`{name}`={text!r} is not a period or date: {exc}. Use a period code as the "
            "series publishes it (2024, 2024K1, 2024M03) or a date (2024-03, 2024-03-15).",
        ) from None


def requested_periods(series: cat.Series, start: str | None, end: str | None) -> PeriodRange:
    """``from``/``to`` as days, widened to whole periods of the series.

    ``from`` moves to the first day of the series' period holding it, so every period
    overlapping the range is kept (``from=2020-06`` on yearly data keeps 2020). A ``from`` after
    ``to`` selects nothing: that is a 400 saying so, not an empty 200.
    """
    return _periods(series.frequency, start, end)


@functools.lru_cache(maxsize=4096)
def _periods(frequency: str, start: str | None, end: str | None) -> PeriodRange:
    """:func:`requested_periods`, kept: a few bounds recur in most requests (parsing: ~70 us)."""
    periods = PeriodRange(_bound(start, "from", end=False), _bound(end, "to", end=True))
    if periods.reversed:
        raise ApiProblem(
            400,
            "invalid-period",
            f"`from`={start!r} is after `to`={end!r}, so nothing can match. Swap them, or "
            "leave one out for an open range.",
        )
    return periods.covering(frequency)


#: The variant a :class:`DimensionCodes` is kept under (``LocalData.derived``).
CODES_VARIANT: Final = "dimension codes"


class DimensionCodes:
    """The dimensions a request may filter on, their codes as sets, and the filters seen.

    Built once per series version (:meth:`navdata_api.local_data.LocalData.derived`), so a
    request checks its filters with set lookups instead of rebuilding both each time, and a
    query string seen before is not checked again.
    """

    __slots__ = ("_checked", "dimensions", "known")

    def __init__(self, dataset: Dataset) -> None:
        self.dimensions: Final = {
            d.id: d for d in dataset.meta.dimensions if d.id not in TIDY_COLUMNS
        }
        self.known: Final = {i: frozenset(d.codes) for i, d in self.dimensions.items()}
        self._checked: dict[tuple[object, ...], Mapping[str, tuple[str, ...]]] = {}

    def checked(
        self, pairs: tuple[tuple[str, str], ...], reserved: frozenset[str]
    ) -> Mapping[str, tuple[str, ...]]:
        """:func:`requested_codes` of a query's ``pairs``, kept per distinct query."""
        key = (pairs, reserved)
        found = self._checked.get(key)
        if found is None:
            found = _checked_codes(pairs, self, reserved)
            if len(self._checked) >= _QUERIES_KEPT:
                self._checked.clear()
            self._checked[key] = found
        return found


def requested_codes(
    request: Request[Any, Any, Any], filters: DimensionCodes, reserved: frozenset[str]
) -> Mapping[str, tuple[str, ...]]:
    """Query parameters that name dimensions, each checked against the dimension's codes.

    ``reserved`` are the route's own parameters; every other name must be a dimension. The
    answer is read-only: it is kept for the next request with the same query.
    """
    return filters.checked(query_pairs(request), reserved)


def _checked_codes(
    pairs: tuple[tuple[str, str], ...], filters: DimensionCodes, reserved: frozenset[str]
) -> Mapping[str, tuple[str, ...]]:
    dims = filters.dimensions
    wanted: dict[str, list[str]] = {}
    for name, value in pairs:
        if name in reserved:
            continue
        if name not in dims:
            known = ", ".join(dims) or "(none)"
            raise ApiProblem(
                400,
                "unknown-dimension",
                f"{name!r} is neither a dimension of this series nor a parameter. Dimensions: "
                f"{known}. Parameters: {', '.join(sorted(reserved))}.",
                valid=sorted(dims),
            )
        codes = [c for part in value.split(",") for c in [part.strip()] if c]
        wanted.setdefault(name, []).extend(codes)
    for name, codes in wanted.items():
        if len(codes) > _MAX_VALUES_PER_DIMENSION:
            raise ApiProblem(
                400,
                "too-many-values",
                f"{len(codes)} codes for {name!r}; at most {_MAX_VALUES_PER_DIMENSION} per "
                "dimension. Leave the dimension out to get every code.",
            )
        known_codes = filters.known[name]
        unknown = [c for c in codes if c not in known_codes]
        if unknown:
            _refuse_codes(dims[name], unknown)
    return MappingProxyType({name: tuple(codes) for name, codes in wanted.items()})


def _refuse_codes(dim: Dimension, unknown: list[str]) -> NoReturn:
    shown = dim.codes[:_MAX_CODES_LISTED]
    more = f" (and {len(dim.codes) - len(shown)} more)" if len(dim.codes) > len(shown) else ""
    listed = ", ".join(f"{c} ({dim.label_of(c)})" for c in shown)
    raise ApiProblem(
        400,
        "unknown-code",
        f"{dim.id} has no code {', '.join(repr(c) for c in unknown)}. Valid codes: "
        f"{listed}{more}. GET /v1/series/{{id}} lists them all with labels.",
        valid=list(dim.codes),
    )


def labels_in(dim: Dimension, lang: str) -> dict[str, str]:
    """Category labels in ``lang`` when the store kept them (``extension["labels_<lang>"]``)."""
    other = dim.extension.get(f"labels_{lang}")
    return {**dim.labels, **other} if isinstance(other, dict) else dim.labels


def requested_rows(
    dataset: Dataset,
    periods: PeriodRange | None,
    codes: Codes | None,
    *,
    labels: bool,
    lang: str = "nb",
) -> pl.LazyFrame:
    """The rows and columns one request asks for, in the stored order, as one lazy query.

    Stored ``<dim>_label`` columns are dropped; with ``labels`` they are rebuilt from the
    metadata so that every dimension gets one, in ``lang`` where the store has it. Lazy so a
    caller can add its own columns and pay for a single ``collect`` (on the small frames one
    request selects, polars' per-call overhead outweighs the work).
    """
    frame = dataset.frame
    lazy = cut(frame.lazy(), periods, codes)
    columns = [c for c in frame.columns if not c.endswith("_label")]
    if not labels:
        return lazy.select(columns)
    dims = {d.id: d for d in dataset.meta.dimensions}
    out: list[str | pl.Expr] = []
    for column in columns:
        out.append(column)
        dim = dims.get(column)
        if dim is None or column in TIDY_COLUMNS:
            continue
        mapping = labels_in(dim, lang)
        out.append(
            pl.col(column)
            .cast(pl.String)
            .replace_strict(mapping, default=pl.col(column).cast(pl.String), return_dtype=pl.String)
            .alias(f"{column}_label")
        )
    return lazy.select(out)
