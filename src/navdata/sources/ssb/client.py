"""SSB's PxWebApi v2 (https://data.ssb.no/api/pxwebapi/v2): search, metadata, codelists, data.

Usage::

    from navdata.sources.ssb import SSBClient

    with SSBClient() as ssb:
        hits = ssb.tables(query="arbeidsledige")          # every page
        meta = ssb.metadata("13760", lang="en")             # navdata.Metadata
        ds = ssb.data("13760", {"ContentsCode": ["ArbledProsArbstyrk"], "Tid": ["top(12)"],
                                "Justering": ["S"]})        # navdata.Dataset, tidy frame

A data query is expanded locally against the metadata (navdata.sources.ssb.selection), so the
cell count is known before asking; a query over the server's cell limit (``maxDataCells`` from
its ``/config``, 800,000 at SSB and when ``/config`` does not say; ``max_cells`` lowers it) is
split along its largest variables into requests that each fit, fetched under the shared rate
limiter and stitched into the frame one request would have given. Each request is cached on
disk, so a run that failed half-way resumes without refetching the finished parts. A request
whose target (path and query, percent-encoded, as the server receives it) would pass ~2,000
characters is sent as POST. As at the server, ``time`` names the table's time variable, and a
variable left out of the selection is eliminated: SSB answers its total (or the sum over its
values) without the variable, so the frame has no column for it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import httpx
import msgspec
import polars as pl

from navdata.config import SSB_BASE_URL
from navdata.dataset import CC_BY_4, CC_BY_4_URL, Dataset, Dimension, Metadata, Provenance
from navdata.errors import (
    InvalidArgumentError,
    OfflineError,
    UpstreamError,
    UpstreamUnavailableError,
    UpstreamUnreachableError,
)
from navdata.http import DEFAULT_FRESH_FOR, HttpClient, Response
from navdata.jsonstat import read_jsonstat, read_jsonstat_metadata
from navdata.language import SSB_LANGUAGES
from navdata.sources.ssb.errors import LONG_URL, error_for
from navdata.sources.ssb.selection import (
    Plan,
    Variable,
    check_codelists,
    plan_chunks,
    resolve_selection,
)

__all__ = [
    "PUBLISHER",
    "SSB_BASE_URL",
    "SSB_LANGUAGES",
    "SSBClient",
    "request_target_length",
    "variables_of",
]

PUBLISHER = "Statistisk sentralbyrå"
DEFAULT_MAX_CELLS = 800_000
"""SSB's documented cells per request, used when the server's ``/config`` does not say."""

log = logging.getLogger("navdata.sources.ssb")

Selection = Mapping[str, Sequence[str] | str]


def _json(response: Response) -> Any:
    """Body check for the HTTP layer: a truncated or non-JSON answer is retried, never cached."""
    return msgspec.json.decode(response.content)


def _parsed(response: Response) -> Any:
    """The JSON body, parsed once: the body check's result, or a parse of a cached answer."""
    return _json(response) if response.checked is None else response.checked


def variables_of(metadata: Mapping[str, Any]) -> list[Variable]:
    """The table's variables from its JSON-stat metadata: codes, elimination, time, codelists."""
    time_ids = set(metadata.get("role", {}).get("time", []))
    out = []
    for dim_id in metadata["id"]:
        dim = metadata["dimension"][dim_id]
        index = dim["category"].get("index") or list(dim["category"].get("label", {}))
        codes = sorted(index, key=index.__getitem__) if isinstance(index, dict) else list(index)
        ext = dim.get("extension") or {}
        lists = ext.get("codelists") or ext.get("codeLists") or []
        out.append(
            Variable(
                code=dim_id,
                values=tuple(codes),
                elimination=bool(ext.get("elimination", False)),
                time=dim_id in time_ids,
                codelists=tuple(str(c["id"]) for c in lists if "id" in c),
                label=str(dim.get("label", "")),
            )
        )
    return out


class SSBClient:
    """Client for PxWebApi v2; also a context manager (closes its connections)."""

    def __init__(
        self,
        base_url: str = SSB_BASE_URL,
        *,
        max_cells: int | None = None,
        rate: tuple[int, float] | None = (30, 60.0),
        cache_dir: Path | str | bool | None = None,
        offline: bool = False,
        fresh_for: float = DEFAULT_FRESH_FOR,
        max_get_url: int = LONG_URL,
        http: HttpClient | None = None,
    ) -> None:
        if max_cells is not None and max_cells < 1:
            msg = f"max_cells must be at least 1, got {max_cells}"
            raise InvalidArgumentError(msg)
        self.base_url = base_url.rstrip("/")
        self.max_cells = max_cells
        """The caller's cap on cells per request; ``None`` leaves it to the server."""
        self._server_cells: int | None = None
        self.max_get_url = max_get_url
        self.http = http or HttpClient(
            rate=rate, cache_dir=cache_dir, offline=offline, fresh_for=fresh_for
        )
        self._kept: dict[tuple[str, str, str], dict[str, Any]] = {}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP connections."""
        self.http.close()

    # --- plumbing ---
    @staticmethod
    def _lang(lang: str) -> str:
        if lang not in SSB_LANGUAGES:
            msg = f"lang must be one of {', '.join(SSB_LANGUAGES)}, got {lang!r}"
            raise InvalidArgumentError(msg)
        return lang

    def cell_limit(self) -> int:
        """Cells one request may select.

        The server's ``maxDataCells`` (its ``/config``, read once per client; 800,000 when it
        does not answer), lowered to ``max_cells`` when that is smaller.
        """
        if self._server_cells is None:
            self._server_cells = self._config_cells()
        if self.max_cells is None:
            return self._server_cells
        return min(self.max_cells, self._server_cells)

    def _config_cells(self) -> int:
        url = f"{self.base_url}/config"
        try:
            response = self.http.get(url, validate=_json)
        except UpstreamUnreachableError:
            raise  # no server to ask anything of: assuming a limit would only delay the error
        except (OfflineError, UpstreamError) as exc:
            log.warning("no /config from %s (%s); assuming %s cells", url, exc, DEFAULT_MAX_CELLS)
            return DEFAULT_MAX_CELLS
        body = _parsed(response) if response.ok else None
        cells = body.get("maxDataCells") if isinstance(body, dict) else None
        if isinstance(cells, int) and not isinstance(cells, bool) and cells > 0:
            return cells
        log.warning(
            "%s answered %s without a usable maxDataCells; assuming %s cells",
            url, response.status, DEFAULT_MAX_CELLS,
        )  # fmt: skip
        return DEFAULT_MAX_CELLS

    def _get_json(self, path: str, params: Mapping[str, str | int], what: str) -> Any:
        response = self.http.get(f"{self.base_url}{path}", params=params, validate=_json)
        if not response.ok:
            raise error_for(response, what=what)
        return _parsed(response)

    # --- discovery ---
    def tables(
        self,
        query: str | None = None,
        *,
        past_days: int | None = None,
        lang: str = "no",
        include_discontinued: bool = False,
        page_size: int | None = None,
    ) -> list[dict[str, Any]]:
        """Every table matching ``query`` (Lucene syntax) / updated in ``past_days``; all pages."""
        params: dict[str, str | int] = {"lang": self._lang(lang)}
        if query:
            params["query"] = query
        if past_days is not None:
            params["pastDays"] = past_days
        if include_discontinued:
            params["includeDiscontinued"] = "true"
        if page_size is not None:
            params["pageSize"] = page_size
        found: list[dict[str, Any]] = []
        page = 1
        while True:
            params["pageNumber"] = page
            body = self._get_json("/tables", params, f"table search {query!r}")
            found.extend(body.get("tables", []))
            total = int(body.get("page", {}).get("totalPages", page))
            if page >= total:
                return found
            page += 1

    def table(self, table_id: str, *, lang: str = "no") -> dict[str, Any]:
        """Basic table information (``updated``, ``timeUnit``, ``firstPeriod`` ...)."""
        body: dict[str, Any] = self._get_json(
            f"/tables/{table_id}", {"lang": self._lang(lang)}, f"table {table_id}"
        )
        return body

    def _kept_json(self, key: tuple[str, str, str], path: str, what: str) -> dict[str, Any]:
        """A JSON answer fetched once per client.

        ``plan``, then ``data`` (and a sync's progress count before them) all need the same
        metadata and codelists.
        """
        if key not in self._kept:
            self._kept[key] = self._get_json(path, {"lang": key[2]}, what)
        return self._kept[key]

    def raw_metadata(self, table_id: str, *, lang: str = "no") -> dict[str, Any]:
        """The metadata JSON-stat document as SSB sent it (kept per client)."""
        key = ("metadata", table_id.lower(), self._lang(lang))
        return self._kept_json(key, f"/tables/{table_id}/metadata", f"table {table_id}")

    def metadata(self, table_id: str, *, lang: str = "no") -> Metadata:
        """The table's dimensions, labels, units, notes; with provenance."""
        meta = read_jsonstat_metadata(self.raw_metadata(table_id, lang=lang))
        url = f"{self.base_url}/tables/{table_id}/metadata?lang={lang}"
        return msgspec.structs.replace(meta, provenance=self._provenance(table_id, url, None))

    def codelist(self, codelist_id: str, *, lang: str = "no") -> dict[str, Any]:
        """A codelist (``agg_...`` aggregation or ``vs_...`` valueset; kept per client).

        Ids are case-sensitive.
        """
        key = ("codelist", codelist_id, self._lang(lang))
        return self._kept_json(key, f"/codelists/{codelist_id}", f"codelist {codelist_id!r}")

    # --- data ---
    def plan(
        self,
        table_id: str,
        selection: Selection,
        *,
        codelists: Mapping[str, str] | None = None,
        lang: str = "no",
    ) -> list[Plan]:
        """The requests a :meth:`data` call would make (each within :meth:`cell_limit`)."""
        variables = variables_of(self.raw_metadata(table_id, lang=lang))
        list_values: dict[str, list[str]] = {}
        for list_id in check_codelists(table_id, variables, codelists or {}).values():
            body = self.codelist(list_id, lang=lang)
            list_values[list_id] = [str(v["code"]) for v in body.get("values", [])]
        whole = resolve_selection(
            table_id, variables, selection, codelists=codelists, codelist_values=list_values
        )
        return plan_chunks(whole, self.cell_limit())

    def data(
        self,
        table_id: str,
        selection: Selection,
        *,
        codelists: Mapping[str, str] | None = None,
        lang: str = "no",
        labels: bool = False,
    ) -> Dataset:
        """Fetch a selection as one tidy Dataset, split into requests under :meth:`cell_limit`."""
        chunks = self.plan(table_id, selection, codelists=codelists, lang=lang)
        parts: list[Dataset] = []
        digest = hashlib.sha256()
        for chunk in chunks:
            response = self._fetch(chunk, lang)
            digest.update(response.content)
            parts.append(read_jsonstat(_parsed(response), labels=labels))
        dataset = parts[0] if len(parts) == 1 else _stitch(parts)
        query: dict[str, Any] = {
            "selection": {k: [v] if isinstance(v, str) else list(v) for k, v in selection.items()},
            "lang": lang,
            "cells": sum(c.cells for c in chunks),
            "requests": len(chunks),
        }
        if codelists:
            query["codelists"] = dict(codelists)
        url = f"{self.base_url}/tables/{table_id}/data?lang={lang}"
        provenance = self._provenance(table_id, url, query, digest.hexdigest())
        return dataset.with_provenance(provenance)

    def _fetch(self, chunk: Plan, lang: str) -> Response:
        """One request: GET when the URL is short enough, else POST with the same selection."""
        url = f"{self.base_url}/tables/{chunk.table}/data"
        params: dict[str, str | int] = {"lang": lang, "outputFormat": "json-stat2"}
        for sel in chunk.selections:
            if not sel.values:
                continue  # eliminated
            params[f"valueCodes[{sel.code}]"] = ",".join(sel.values)
            if sel.codelist:
                params[f"codelist[{sel.code}]"] = sel.codelist
        what = f"table {chunk.table} ({chunk.cells:,} cells)"
        if request_target_length(self.http.full_url(url, params=params)) <= self.max_get_url:
            response = self.http.get(url, params=params, validate=_json)
            method = "GET"
        else:
            body = {
                "selection": [
                    {"variableCode": s.code, "valueCodes": list(s.values)}
                    | ({"codelist": s.codelist} if s.codelist else {})
                    for s in chunk.selections
                    if s.values
                ]
            }
            post_params: dict[str, str | int] = {"lang": lang, "outputFormat": "json-stat2"}
            response = self.http.post(url, json=body, params=post_params, validate=_json)
            method = "POST"
        if not response.ok:
            raise error_for(response, what=what, method=method)
        return response

    def _provenance(
        self,
        table_id: str,
        url: str,
        query: dict[str, Any] | None,
        content_hash: str | None = None,
    ) -> Provenance:
        return Provenance(
            publisher=PUBLISHER,
            url=url,
            table=table_id,
            query=query,
            retrieved=datetime.fromtimestamp(self.http.clock.time(), tz=UTC),
            licence=CC_BY_4,
            licence_url=CC_BY_4_URL,
            content_hash=content_hash,
        )


def request_target_length(url: str) -> int:
    """Characters of the request target (path and query, percent-encoded) the server receives.

    That, not the full URL with scheme and host, is what a server's URL limit applies to.
    """
    return len(httpx.URL(url).raw_path)


# --- stitching ------------------------------------------------------------------------------------


def _merged_dimension(dims: list[Dimension]) -> Dimension:
    """One dimension over all chunks: codes in first-seen order (chunks come in row-major order)."""
    codes = list(dict.fromkeys(code for d in dims for code in d.codes))
    labels: dict[str, str] = {}
    units = {}
    category_notes: dict[str, list[str]] = {}
    for d in dims:
        labels.update(d.labels)
        units.update(d.units)
        category_notes.update(d.category_notes)
    return msgspec.structs.replace(
        dims[0], codes=codes, labels=labels, units=units, category_notes=category_notes
    )


def _stitch(parts: list[Dataset]) -> Dataset:
    """Chunks -> the Dataset one request would have given: same rows, order and metadata."""
    ids = parts[0].meta.dimension_ids
    if any(p.meta.dimension_ids != ids for p in parts):
        msg = "SSB answered the chunks of one query with different dimensions; try again"
        raise UpstreamUnavailableError(msg)
    dimensions = [_merged_dimension([p.meta.dimensions[i] for p in parts]) for i in range(len(ids))]
    frame = pl.concat([p.frame for p in parts], how="diagonal_relaxed")
    keys = [
        pl.col(d.id).replace_strict(d.codes, list(range(len(d.codes))), return_dtype=pl.UInt32)
        for d in dimensions
        if len(d.codes) > 1
    ]
    if keys:
        frame = frame.sort(keys, maintain_order=True)
    meta = msgspec.structs.replace(parts[0].meta, dimensions=dimensions)
    return Dataset(frame, meta)
