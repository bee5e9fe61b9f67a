"""PxWebApi v2 selections, expanded locally, and the chunk plan for queries over the cell limit.

Why locally: the client must know the exact cell count before it asks (SSB refuses more than
800,000 cells per request and counts requests per minute), and must never send a code twice
(SSB answers 500 with an empty body). So every expression is resolved against the table's
metadata (or a codelist's values) into plain codes, deduplicated, in the table's order.

Semantics follow the PxWebApi 2 server (PxTools/PxWebApi ``SelectionExpressions``):

- a plain code matches case-insensitively and wins over reading it as an expression;
- ``*`` only at the start and/or end (``*``, ``03*``, ``*99``, ``*01*``); ``?`` is one character;
- ``top(n[,offset])``: the first ``n`` values after skipping ``offset``; for the time variable
  the *latest* ``n`` (counting back from the end); ``bottom`` is the mirror image;
- ``range(a,b)`` inclusive in metadata order (either order of ``a``/``b``); ``from(a)``, ``to(a)``;
- variable codes match case-insensitively, and ``time`` names the table's time variable
  (``SelectionHandler.ReplaceTimeAlias``) unless a variable is coded ``time`` itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import product

from navdata.errors import (
    InvalidArgumentError,
    SelectionError,
    UnknownCodelistError,
    UnknownValueError,
    UnknownVariableError,
)

__all__ = [
    "Plan",
    "Selected",
    "Variable",
    "check_codelists",
    "expand_values",
    "plan_chunks",
    "resolve_selection",
]

_COUNT = re.compile(r"^(top|bottom)\((\d+)(?:,(\d+))?\)$", re.IGNORECASE)
_SPAN = re.compile(r"^range\(([^,()]+),([^,()]+)\)$", re.IGNORECASE)
_ONE = re.compile(r"^(from|to)\(([^,()]+)\)$", re.IGNORECASE)
_FUNCTION = re.compile(r"^(top|bottom|range|from|to)\(", re.IGNORECASE)
TIME_ALIAS = "time"
"""What PxWebApi 2 accepts in place of the time variable's code (``Tid`` at SSB)."""


@dataclass(frozen=True)
class Variable:
    """One table variable as the metadata describes it."""

    code: str
    values: tuple[str, ...]
    elimination: bool
    time: bool = False
    codelists: tuple[str, ...] = ()
    label: str = ""


@dataclass(frozen=True)
class Selected:
    """A resolved selection for one variable; no ``values`` means the variable is eliminated."""

    code: str
    values: tuple[str, ...]
    codelist: str | None = None


@dataclass(frozen=True)
class Plan:
    """Resolved selections of every variable, in the table's order."""

    table: str
    selections: tuple[Selected, ...]

    @property
    def cells(self) -> int:
        """Number of cells the request selects (eliminated variables count as one)."""
        return math.prod(len(s.values) for s in self.selections if s.values)

    def selected(self, code: str) -> Selected:
        """The selection of one variable (by its exact code)."""
        for s in self.selections:
            if s.code == code:
                return s
        raise KeyError(code)


# --- expansion ------------------------------------------------------------------------------------


def _lookup(values: Sequence[str]) -> dict[str, int]:
    """Lower-cased code -> position (codes are case-insensitive at SSB)."""
    return {v.lower(): i for i, v in enumerate(values)}


def _position(code: str, lookup: Mapping[str, int], variable: str, expr: str) -> int:
    pos = lookup.get(code.strip().lower())
    if pos is None:
        msg = (
            f"{expr!r} for variable {variable!r} names the value {code.strip()!r}, which the "
            "table does not have; check the metadata (SSBClient.metadata) for valid codes"
        )
        raise UnknownValueError(msg)
    return pos


def _wildcard(expr: str, values: Sequence[str], variable: str) -> list[int]:
    stars = expr.count("*")
    if expr == "*":
        return list(range(len(values)))
    inner = expr.strip("*")
    edges_only = "*" not in inner and stars == (expr.startswith("*") + expr.endswith("*"))
    if stars > 2 or not edges_only or "?" in expr:
        msg = (
            f"illegal selection expression {expr!r} for {variable!r}: '*' may appear only at "
            "the start and/or end of a pattern (at most 2), and not together with '?'"
        )
        raise SelectionError(msg)
    needle = inner.lower()
    if expr.startswith("*") and expr.endswith("*"):
        return [i for i, v in enumerate(values) if needle in v.lower()]
    if expr.startswith("*"):
        return [i for i, v in enumerate(values) if v.lower().endswith(needle)]
    return [i for i, v in enumerate(values) if v.lower().startswith(needle)]


def _question(expr: str, values: Sequence[str]) -> list[int]:
    pattern = re.compile("^" + re.escape(expr).replace(r"\?", ".") + "$", re.IGNORECASE | re.DOTALL)
    return [i for i, v in enumerate(values) if pattern.match(v)]


def _count(match: re.Match[str], n_values: int, *, time: bool, expr: str, variable: str) -> range:
    kind, count, offset = match.group(1).lower(), int(match.group(2)), int(match.group(3) or 0)
    if count < 1:
        msg = f"illegal selection expression {expr!r} for {variable!r}: n must be at least 1"
        raise SelectionError(msg)
    from_end = (kind == "top") == time  # top of time = latest; bottom of others = last ones
    if from_end:
        stop = max(0, n_values - offset)
        return range(max(0, stop - count), stop)
    start = min(n_values, offset)
    return range(start, min(n_values, start + count))


def _one_expression(
    expr: str, values: Sequence[str], lookup: Mapping[str, int], *, variable: str, time: bool
) -> list[int] | range:
    exact = lookup.get(expr.lower())
    if exact is not None:
        return [exact]
    if match := _COUNT.match(expr):
        return _count(match, len(values), time=time, expr=expr, variable=variable)
    if match := _SPAN.match(expr):
        a = _position(match.group(1), lookup, variable, expr)
        b = _position(match.group(2), lookup, variable, expr)
        return range(min(a, b), max(a, b) + 1)
    if match := _ONE.match(expr):
        pos = _position(match.group(2), lookup, variable, expr)
        return range(pos, len(values)) if match.group(1).lower() == "from" else range(pos + 1)
    if _FUNCTION.match(expr):
        msg = (
            f"illegal selection expression {expr!r} for {variable!r}; write top(n), "
            "top(n,offset), bottom(n), bottom(n,offset), range(a,b), from(a) or to(a)"
        )
        raise SelectionError(msg)
    if "*" in expr:
        return _wildcard(expr, values, variable)
    if "?" in expr:
        return _question(expr, values)
    msg = (
        f"variable {variable!r} has no value {expr!r}; check the metadata "
        "(SSBClient.metadata) or use an expression such as '*', top(n) or range(a,b)"
    )
    raise UnknownValueError(msg)


def expand_values(
    expressions: Sequence[str] | str,
    values: Sequence[str],
    *,
    variable: str,
    time: bool = False,
) -> tuple[str, ...]:
    """Plain codes selected by ``expressions``: each at most once, in the order of ``values``."""
    if isinstance(expressions, str):
        expressions = [expressions]
    lookup = _lookup(values)
    chosen: set[int] = set()
    for raw in expressions:
        expr = raw.strip()
        if not expr:
            msg = f"empty selection expression for {variable!r}"
            raise SelectionError(msg)
        chosen.update(_one_expression(expr, values, lookup, variable=variable, time=time))
    if not chosen:
        listed = ", ".join(repr(e) for e in expressions)
        msg = f"the selection {listed} for {variable!r} matches no value of the table"
        raise SelectionError(msg)
    return tuple(values[i] for i in sorted(chosen))


# --- whole selections -------------------------------------------------------------------------


def _canonical(name: str, variables: Sequence[Variable], table: str) -> Variable:
    wanted = name.strip().lower()
    for var in variables:
        if var.code.lower() == wanted:
            return var
    time = next((v for v in variables if v.time), None)
    if wanted == TIME_ALIAS and time is not None:
        return time
    known = ", ".join(v.code for v in variables)
    alias = f" ({TIME_ALIAS!r} names {time.code})" if time is not None else ""
    msg = f"table {table} has no variable {name!r}; its variables are: {known}{alias}"
    raise UnknownVariableError(msg)


def check_codelists(
    table: str, variables: Sequence[Variable], codelists: Mapping[str, str]
) -> dict[str, str]:
    """Variable code -> codelist id, after checking each id is offered (case-sensitively)."""
    chosen: dict[str, str] = {}
    for name, list_id in codelists.items():
        var = _canonical(name, variables, table)
        if list_id not in var.codelists:
            offered = ", ".join(var.codelists) or "none"
            msg = (
                f"variable {var.code!r} of table {table} has no codelist {list_id!r} (codelist "
                f"ids are case-sensitive); it offers: {offered}"
            )
            raise UnknownCodelistError(msg)
        chosen[var.code] = list_id
    return chosen


def resolve_selection(
    table: str,
    variables: Sequence[Variable],
    selection: Mapping[str, Sequence[str] | str],
    *,
    codelists: Mapping[str, str] | None = None,
    codelist_values: Mapping[str, Sequence[str]] | None = None,
) -> Plan:
    """Expand a user's selection against the metadata into a :class:`Plan`.

    ``codelists`` maps a variable to a codelist id; ``codelist_values`` maps that id to the
    codelist's value codes (fetched by the caller), which then replace the variable's own values.
    Omitted variables are eliminated; omitting one that cannot be eliminated (``ContentsCode``
    and the time variable never can) is a :class:`SelectionError`.
    """
    codelists = codelists or {}
    codelist_values = codelist_values or {}
    by_code: dict[str, Sequence[str] | str] = {}
    for name, exprs in selection.items():
        code = _canonical(name, variables, table).code
        if code in by_code:
            msg = f"the selection names variable {code!r} twice (as {name!r} too); name it once"
            raise SelectionError(msg)
        by_code[code] = exprs
    chosen_lists = check_codelists(table, variables, codelists)

    resolved: list[Selected] = []
    for var in variables:
        applied = chosen_lists.get(var.code)
        if var.code not in by_code:
            if not var.elimination:
                msg = (
                    f"table {table} needs a selection for {var.code!r} ({var.label or 'no label'})"
                    f", which cannot be eliminated; add e.g. {{{var.code!r}: ['*']}}"
                    + (" or ['top(12)'] for the latest periods" if var.time else "")
                )
                raise SelectionError(msg)
            resolved.append(Selected(var.code, (), applied))
            continue
        domain: Sequence[str] = var.values
        if applied is not None:
            if applied not in codelist_values:
                msg = f"values of codelist {applied!r} were not supplied"
                raise SelectionError(msg)
            domain = codelist_values[applied]
        picked = expand_values(by_code[var.code], domain, variable=var.code, time=var.time)
        resolved.append(Selected(var.code, picked, applied))
    return Plan(table, tuple(resolved))


# --- chunking ---------------------------------------------------------------------------------


def _piece_sizes(sizes: Sequence[int], max_cells: int) -> list[int]:
    """How many codes of each variable go into one chunk, splitting the largest first."""
    pieces = list(sizes)
    remaining = math.prod(s for s in sizes if s)
    order = sorted(range(len(sizes)), key=lambda i: -sizes[i])  # stable: table order on ties
    for i in order:
        if remaining <= max_cells or sizes[i] <= 1:
            break
        rest = remaining // sizes[i]
        if rest <= max_cells:
            per = max_cells // rest
            n_chunks = math.ceil(sizes[i] / per)
            pieces[i] = math.ceil(sizes[i] / n_chunks)  # even pieces, not one small leftover
            remaining = pieces[i] * rest
            break
        pieces[i] = 1
        remaining = rest
    return pieces


def _slices(values: tuple[str, ...], piece: int) -> Iterator[tuple[str, ...]]:
    if not values:
        yield ()
        return
    for start in range(0, len(values), piece):
        yield values[start : start + piece]


def plan_chunks(plan: Plan, max_cells: int) -> list[Plan]:
    """Split ``plan`` into sub-plans of at most ``max_cells`` cells each, in row-major order."""
    if max_cells < 1:
        msg = f"max_cells must be at least 1, got {max_cells}"
        raise InvalidArgumentError(msg)
    if plan.cells <= max_cells:
        return [plan]
    sizes = [len(s.values) for s in plan.selections]
    pieces = _piece_sizes(sizes, max_cells)
    per_variable = [
        list(_slices(s.values, max(1, p))) for s, p in zip(plan.selections, pieces, strict=True)
    ]
    return [
        Plan(
            plan.table,
            tuple(
                Selected(s.code, part, s.codelist)
                for s, part in zip(plan.selections, parts, strict=True)
            ),
        )
        for parts in product(*per_variable)
    ]
