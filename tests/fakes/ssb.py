"""A fake SSB PxWebApi v2 server (raw ASGI) for end-to-end tests of navdata.sources.ssb.

It serves the tables of tests/fakes/ssb_tables.py: the real 13760 data response (read from
../shared, never copied) re-cut as a table, or its SYNTHETIC twin, and SYNTHETIC tables whose
values are a deterministic function of the coordinates (:func:`synthetic_value`), so a test can
compute the expected frame of any query.
Behaviour follows the documented API (reference/ssb-api.md §1) and the PxWebApi 2 reference
server (repo PxTools/PxWebApi, ``SelectionHandler.cs``; user guide "Elimination"): Problem bodies
with ``type: "Parameter error"`` and the server's titles, 400 "Too many cells selected" over the
cell limit, 429 past N requests per window (optionally with ``x-ratelimit-*`` and
``Retry-After``; ``/config`` is exempt, as in the server's sample rate-limit rules), 500 with an
empty body on duplicated codes, 404 when the request target (path and query, as received) passes
~2,100 characters, ``/tables`` paging, ``/codelists/{id}``, ``/config`` with ``maxDataCells``;
``time`` accepted for the table's time variable; an eliminated variable (one the query leaves
out) is dropped from the answer, which holds its elimination value's cells or, when it has none,
the sum over all its values. Plus injectable faults. Every request is recorded.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections import deque
from dataclasses import dataclass
from itertools import product
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote

import msgspec

from fakes.server import read_body
from fakes.ssb_tables import (
    SYNTHETIC_13760_VALUES,
    Cell,
    FakeTable,
    FakeVar,
    synthetic_13760,
    synthetic_big_table,
    synthetic_value,
    table_from_data_response,
)

__all__ = [
    "SYNTHETIC_13760_VALUES",
    "FakeSSB",
    "FakeTable",
    "FakeVar",
    "Fault",
    "synthetic_13760",
    "synthetic_big_table",
    "synthetic_value",
    "table_from_data_response",
]


class _Clock(Protocol):
    def monotonic(self) -> float: ...


# --- behaviour knobs --------------------------------------------------------------------------


@dataclass
class Fault:
    """Misbehave on the next ``times`` requests whose path contains ``path``, after ``skip``."""

    kind: str  # "503" | "slow" | "truncate" | "nonjson" | "drop" | "500" | "429"
    path: str = "/data"
    times: int = 1
    skip: int = 0
    retry_after: int = 1  # for "429": the Retry-After it sends, with x-ratelimit-remaining 0


@dataclass
class Record:
    method: str
    path: str
    url_length: int
    cells: int | None
    status: int
    at: float


class ProblemError(Exception):
    def __init__(self, status: int, title: str, detail: str | None = None) -> None:
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail


_TOP = re.compile(r"^(top|bottom)\((\d+)(?:,(\d+))?\)$", re.IGNORECASE)


class FakeSSB:
    """The ASGI app. Configure the public attributes, then ``serve(app)``."""

    def __init__(
        self,
        tables: list[FakeTable],
        *,
        clock: _Clock | None = None,
        max_cells: int = 800_000,
        max_url: int = 2_100,
        rate_limit: tuple[int, float] | None = None,
        rate_headers: bool = False,
        reset_header: bool = True,
        retry_after: bool = False,
        page_size: int = 20,
        slow_seconds: float = 2.0,
    ) -> None:
        self.tables = {t.id.lower(): t for t in tables}
        self.clock = clock
        self.max_cells = max_cells
        self.max_url = max_url
        self.rate_limit = rate_limit
        self.rate_headers = rate_headers
        self.reset_header = reset_header  # SSB's gateway sends no x-ratelimit-reset
        self.retry_after = retry_after
        self.page_size = page_size
        self.slow_seconds = slow_seconds
        self.faults: list[Fault] = []
        self.requests: list[Record] = []
        self.fail_after_data: int | None = None  # answer 503 to every data request after N
        self._window: deque[float] = deque()

    # --- helpers ---
    def _now(self) -> float:
        return self.clock.monotonic() if self.clock else time.monotonic()

    def data_requests(self) -> list[Record]:
        return [r for r in self.requests if r.path.endswith("/data")]

    def _take_fault(self, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.path in path and fault.times > 0:
                if fault.skip > 0:
                    fault.skip -= 1
                    return None
                fault.times -= 1
                return fault
        return None

    def _rate_headers(self, remaining: int, reset: float) -> list[tuple[str, str]]:
        if not self.rate_headers or self.rate_limit is None:
            return []
        limit, window = self.rate_limit
        headers = [
            ("x-ratelimit-limit", str(limit)),
            ("x-ratelimit-policy", f"{limit};w={int(window)}s"),
            ("x-ratelimit-remaining", str(max(0, remaining))),
        ]
        if self.reset_header:
            headers.append(("x-ratelimit-reset", str(math.ceil(reset))))
        return headers

    def _admit(self) -> tuple[bool, list[tuple[str, str]]]:
        if self.rate_limit is None:
            return True, []
        limit, window = self.rate_limit
        now = self._now()
        while self._window and now - self._window[0] >= window - 1e-9:
            self._window.popleft()
        if len(self._window) >= limit:
            reset = self._window[0] + window - now
            headers = self._rate_headers(0, reset)
            if self.retry_after:
                headers.append(("retry-after", str(math.ceil(reset))))
            return False, headers
        self._window.append(now)
        reset = self._window[0] + window - now
        return True, self._rate_headers(limit - len(self._window), reset)

    # --- ASGI ---
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        raw_path = scope.get("raw_path") or scope["path"].encode()
        query = scope["query_string"].decode()
        url_length = len(raw_path) + (1 + len(query) if query else 0)
        path = scope["path"]
        record = Record(scope["method"], path, url_length, None, 0, self._now())
        self.requests.append(record)

        admitted, extra = (True, []) if path == "/config" else self._admit()
        if not admitted:
            problem = {
                "type": "Too many requests",
                "title": "You have reach the threshold for request limiting.",
                "status": 429,
            }
            await self._send(send, record, 429, msgspec.json.encode(problem), extra, problem=True)
            return
        if url_length > self.max_url:
            await self._send(send, record, 404, b"", extra)
            return
        fault = self._take_fault(path)
        if fault is None and self.fail_after_data is not None and path.endswith("/data"):
            done = len([r for r in self.data_requests() if r.status == 200])
            if done >= self.fail_after_data:
                fault = Fault("503")
        if fault is not None and fault.kind == "503":
            await self._send(send, record, 503, b"Service Unavailable", extra)
            return
        if fault is not None and fault.kind == "429":  # a quota used up, as SSB's gateway says it
            limit = str(self.rate_limit[0]) if self.rate_limit else "30"
            spent = [("x-ratelimit-limit", limit), ("x-ratelimit-remaining", "0")]
            spent.append(("retry-after", str(fault.retry_after)))
            problem = {"type": "Too many requests", "title": "Too many requests", "status": 429}
            await self._send(send, record, 429, msgspec.json.encode(problem), spent, problem=True)
            return
        if fault is not None and fault.kind == "500":
            await self._send(send, record, 500, b"", extra)
            return
        if fault is not None and fault.kind == "slow":
            await asyncio.sleep(self.slow_seconds)
        try:
            status, payload = self._route(scope["method"], path, query, body, record)
        except ProblemError as p:
            problem = {"type": "Parameter error", "title": p.title, "status": p.status}
            if p.detail:
                problem["detail"] = p.detail
            await self._send(send, record, p.status, msgspec.json.encode(problem), extra, True)
            return
        if status == 500:
            await self._send(send, record, 500, b"", extra)
            return
        content = msgspec.json.encode(payload)
        if fault is not None and fault.kind == "truncate":
            content = content[: len(content) // 2]
        if fault is not None and fault.kind == "nonjson":
            content = b"<html><body>Bad gateway</body></html>"
        if fault is not None and fault.kind == "drop":
            record.status = -1
            head = [(b"content-type", b"application/json; charset=UTF-8")]
            head.append((b"content-length", str(len(content)).encode()))
            await send({"type": "http.response.start", "status": 200, "headers": head})
            await send({"type": "http.response.body", "body": content[:100], "more_body": True})
            msg = "fake SSB drops the connection"
            raise ConnectionResetError(msg)
        await self._send(send, record, status, content, extra)

    async def _send(
        self,
        send: Any,
        record: Record,
        status: int,
        content: bytes,
        extra: list[tuple[str, str]],
        problem: bool = False,
    ) -> None:
        record.status = status
        ctype = "application/problem+json" if problem else "application/json; charset=UTF-8"
        headers = [
            (b"content-type", ctype.encode()),
            (b"content-length", str(len(content)).encode()),
        ]
        headers += [(k.encode(), v.encode()) for k, v in extra]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    # --- routes ---
    def _route(
        self, method: str, path: str, query: str, body: bytes, record: Record
    ) -> tuple[int, Any]:
        params = parse_qsl(query, keep_blank_values=True)
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if parts == ["config"]:
            return 200, self._config()
        if parts[:1] == ["tables"] and len(parts) == 1:
            return 200, self._tables(dict(params))
        if parts[:1] == ["codelists"] and len(parts) == 2:
            return 200, self._codelist(parts[1])
        if parts[:1] == ["tables"] and len(parts) >= 2:
            table = self.tables.get(parts[1].lower())
            if table is None:
                raise ProblemError(404, "Non-existent table")
            if len(parts) == 2:
                return 200, self._table_info(table)
            if parts[2] == "metadata":
                return 200, self._metadata(table)
            if parts[2] == "data":
                return self._data(table, method, params, body, record)
        raise ProblemError(404, "Not found")

    def _config(self) -> dict[str, Any]:
        """``/config`` in the shape of PxWebApi's (``GetApiConfiguration.json``) and SSB's."""
        calls, window = self.rate_limit or (0, 0.0)
        return {
            "apiVersion": "2.0",
            "appVersion": "fake",
            "languages": [{"id": "no", "label": "Norsk"}, {"id": "en", "label": "English"}],
            "defaultLanguage": "no",
            "maxDataCells": self.max_cells,
            "maxCallsPerTimeWindow": calls,
            "timeWindow": int(window),
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "defaultDataFormat": "json-stat2",
            "dataFormats": ["json-stat2"],
        }

    def _table_info(self, table: FakeTable) -> dict[str, Any]:
        tid = next(v for v in table.variables if v.time)
        return {
            "type": "Table",
            "id": table.id,
            "label": table.label,
            "updated": table.updated,
            "firstPeriod": tid.values[0],
            "lastPeriod": tid.values[-1],
            "timeUnit": table.time_unit,
            "variableNames": [v.label for v in table.variables],
            "source": "Statistisk sentralbyrå",
        }

    def _tables(self, params: dict[str, str]) -> dict[str, Any]:
        needle = params.get("query", "").lower()
        found = [
            self._table_info(t)
            for t in self.tables.values()
            if needle in t.label.lower() or needle in t.id.lower()
        ]
        size = int(params.get("pageSize", self.page_size))
        number = int(params.get("pageNumber", 1))
        pages = max(1, math.ceil(len(found) / size))
        if number > pages:
            raise ProblemError(404, "Non-existent page")
        links = [{"rel": "next", "href": f"?pageNumber={number + 1}"}] if number < pages else []
        return {
            "language": params.get("lang", "no"),
            "tables": found[(number - 1) * size : number * size],
            "page": {
                "pageNumber": number,
                "pageSize": size,
                "totalElements": len(found),
                "totalPages": pages,
                "links": links,
            },
        }

    def _codelist(self, list_id: str) -> dict[str, Any]:
        for table in self.tables.values():
            for var in table.variables:
                if list_id in var.codelists:  # case-sensitive, as at SSB
                    groups = var.codelists[list_id]
                    return {
                        "id": list_id,
                        "label": list_id,
                        "type": "Aggregation" if list_id.startswith("agg_") else "Valueset",
                        "elimination": False,
                        "values": [
                            {"code": g, "label": g, "valueMap": members}
                            for g, members in groups.items()
                        ],
                    }
        raise ProblemError(404, "Non-existent codelist")

    def _dimension(self, var: FakeVar, codes: list[str], *, metadata: bool) -> dict[str, Any]:
        category: dict[str, Any] = {
            "index": {c: i for i, c in enumerate(codes)},
            "label": {c: var.labels.get(c, c) for c in codes},
        }
        units = {c: var.units[c] for c in codes if c in var.units}
        if units:
            category["unit"] = units
        ext: dict[str, Any] = {"elimination": var.elimination, "show": "value"}
        if var.elimination_value and not metadata:
            ext["eliminationValueCode"] = var.elimination_value
        if var.codelists and metadata:
            ext["codelists"] = [
                {"id": c, "label": c, "type": "Aggregation" if c.startswith("agg_") else "Valueset"}
                for c in var.codelists
            ]
        return {"label": var.label, "category": category, "extension": ext}

    def _doc(self, table: FakeTable, dims: list[tuple[FakeVar, list[str]]], metadata: bool) -> Any:
        time_ids = [v.code for v, _ in dims if v.time]
        return {
            "version": "2.0",
            "class": "dataset",
            "label": table.label,
            "source": "Statistisk sentralbyrå",
            "updated": table.updated,
            "role": {"time": time_ids, "metric": ["ContentsCode"]},
            "id": [v.code for v, _ in dims],
            "size": [len(c) for _, c in dims],
            "dimension": {v.code: self._dimension(v, c, metadata=metadata) for v, c in dims},
            "extension": {"px": {"tableid": table.id, "matrix": table.id}},
        }

    def _metadata(self, table: FakeTable) -> Any:
        doc = self._doc(table, [(v, v.values) for v in table.variables], metadata=True)
        doc["value"] = []
        return doc

    def _selection(
        self, table: FakeTable, method: str, params: list[tuple[str, str]], body: bytes
    ) -> tuple[dict[str, list[str]], dict[str, str]]:
        picks: dict[str, list[str]] = {}
        lists: dict[str, str] = {}
        if method == "POST":
            doc = msgspec.json.decode(body) if body else {}
            for item in doc.get("selection", []):
                picks[item["variableCode"]] = list(item.get("valueCodes", []))
                if item.get("codelist"):
                    lists[item["variableCode"]] = item["codelist"]
            return picks, lists
        for key, value in params:
            low = key.lower()
            if low.startswith("valuecodes[") and key.endswith("]"):
                picks[key[len("valuecodes[") : -1]] = _split_codes(value)
            elif low.startswith("codelist[") and key.endswith("]"):
                lists[key[len("codelist[") : -1]] = value
        return picks, lists

    def _data(
        self,
        table: FakeTable,
        method: str,
        params: list[tuple[str, str]],
        body: bytes,
        record: Record,
    ) -> tuple[int, Any]:
        picks, lists = self._selection(table, method, params, body)
        by_lower = {v.code.lower(): v for v in table.variables}
        time_var = next((v for v in table.variables if v.time), None)
        if time_var is not None and "time" not in by_lower:
            by_lower["time"] = time_var  # the server's alias for the time variable
        chosen: dict[str, list[str]] = {}
        domains: dict[str, dict[str, list[str]]] = {}
        for name, codes in picks.items():
            var = by_lower.get(name.lower())
            if var is None:
                raise ProblemError(400, "Non-existent variable")
            domain = {c: [c] for c in var.values}
            if name in lists:
                if lists[name] not in var.codelists:
                    raise ProblemError(400, "Non-existent codelist")
                domain = var.codelists[lists[name]]
            domains[var.code] = domain
            chosen[var.code] = codes
        dims: list[tuple[FakeVar, list[str]]] = []  # the answer's dimensions
        position = [{c: i for i, c in enumerate(v.values)} for v in table.variables]
        members: list[list[list[int]]] = []  # per variable: per output code, source positions
        for d, var in enumerate(table.variables):
            if var.code not in chosen:
                if not var.elimination:
                    raise ProblemError(400, "Missing selection for mandantory variable")
                # eliminated: left out of the answer; its total, or the sum over its values
                total = var.elimination_value
                members.append([[position[d][total]] if total else list(range(len(var.values)))])
                continue
            codes = chosen[var.code]
            if len({c.lower() for c in codes}) != len(codes):
                return 500, None  # SSB answers a duplicated code with 500 and an empty body
            picked = _resolve(codes, list(domains[var.code]), var)
            dims.append((var, picked))
            members.append([[position[d][m] for m in domains[var.code][c]] for c in picked])
        cells = math.prod(len(c) for _, c in dims)
        record.cells = cells
        if cells > self.max_cells:
            raise ProblemError(400, "Too many cells selected", "Too many cells selected")
        values: list[float | None] = []
        status: dict[str, str] = {}
        singles = all(len(m) == 1 for dim in members for m in dim)
        if table.block is not None and singles:
            values, status = table.block([[m[0] for m in dim] for dim in members])
        else:
            for flat, combo in enumerate(product(*members)):
                value, symbol = _aggregate(table, combo)
                values.append(value)
                if symbol is not None:
                    status[str(flat)] = symbol
        doc = self._doc(table, dims, metadata=False)
        doc["value"] = values
        if status:
            doc["status"] = status
        return 200, doc


def _split_codes(value: str) -> list[str]:
    """``a,b,[range(x,y)]`` -> codes; brackets protect commas inside an expression."""
    out, depth, current = [], 0, ""
    for ch in value:
        if ch == "," and depth == 0:
            out.append(current)
            current = ""
            continue
        depth += ch == "["
        depth -= ch == "]"
        current += ch
    out.append(current)
    return [c[1:-1] if c.startswith("[") and c.endswith("]") else c for c in out]


def _resolve(codes: list[str], domain: list[str], var: FakeVar) -> list[str]:
    """Plain codes, ``*`` and top/bottom(n) against the domain, kept in domain order."""
    lookup = {c.lower(): c for c in domain}
    picked: set[str] = set()
    for code in codes:
        if code == "*":
            picked.update(domain)
        elif match := _TOP.match(code):
            n = int(match.group(2))
            latest = (match.group(1).lower() == "top") == var.time
            picked.update(domain[-n:] if latest else domain[:n])
        elif code.lower() in lookup:
            picked.add(lookup[code.lower()])
        else:
            raise ProblemError(400, "Non-existent value")
    return [c for c in domain if c in picked]


def _aggregate(table: FakeTable, combo: tuple[list[int], ...]) -> Cell:
    """One output cell: a single source cell, or the sum over a codelist group's members or an
    eliminated variable's values."""
    if all(len(m) == 1 for m in combo):
        return table.value(tuple(m[0] for m in combo))
    total, seen = 0.0, False
    for pos in product(*combo):
        value, _ = table.value(pos)
        if value is not None:
            total, seen = total + value, True
    return (total, None) if seen else (None, "..")
