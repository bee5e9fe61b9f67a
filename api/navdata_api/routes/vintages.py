"""``/v1/series/{id}/versions`` and ``/v1/series/{id}/revisions``: a series' history in the store.

Every sync that found new content committed a version; these routes list them and say which
cells changed between two of them ("what did SSB revise this month?"). Both read the store's
Delta history (:mod:`navdata.vintages`), never upstream, and carry ETags that name the versions
they were made from, so a client revalidates for the cost of a 304.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Annotated, Any, Final

import anyio
import msgspec
import polars as pl
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from navdata.store import ManifestEntry
from navdata.vintages import cell_key, diff_versions
from navdata_api.caching import (
    CachedBody,
    Validators,
    body_response,
    cached_body,
    max_age_for,
    not_modified,
    revalidation_specs,
)
from navdata_api.local_data import LocalData, StoreEntry, version_etag
from navdata_api.parameters import AS_OF_PATTERN, StoredSeriesId
from navdata_api.problems import ApiProblem, problem_specs
from navdata_api.query import query_key, request_path

__all__ = ["HANDLERS", "Revisions", "VersionInfo", "Versions"]

_WHICH: Final = "what `as_of` takes: a version (3, v3), a date (2026-03-01) or a time"
OldVersion = Annotated[
    str | None,
    QueryParameter(
        name="old",
        max_length=40,
        pattern=AS_OF_PATTERN,
        description=f"The earlier version, {_WHICH} (default: the one before `new`)",
    ),
]
NewVersion = Annotated[
    str | None,
    QueryParameter(
        name="new",
        max_length=40,
        pattern=AS_OF_PATTERN,
        description=f"The later version, {_WHICH} (default: the current one)",
    ),
]


class VersionInfo(msgspec.Struct, frozen=True, kw_only=True):
    """One version of a series in the store, with where its numbers came from."""

    version: int
    synced_at: datetime
    source_updated: str | None
    retrieved: datetime | None
    rows: int
    content_hash: str
    navdata_version: str


class Versions(msgspec.Struct, frozen=True, kw_only=True):
    """Every version the store kept of a series, oldest first."""

    series: str
    versions: list[VersionInfo]


class Revisions(msgspec.Struct, frozen=True, kw_only=True):
    """The cells that differ between two versions: ``columns`` name the keys of each change."""

    series: str
    old: VersionInfo
    new: VersionInfo
    count: int
    columns: list[str]
    changes: list[dict[str, Any]]


def _info(entry: ManifestEntry) -> VersionInfo:
    return VersionInfo(
        version=entry.version,
        synced_at=entry.written,
        source_updated=entry.updated,
        retrieved=entry.retrieved,
        rows=entry.rows,
        content_hash=entry.content_hash,
        navdata_version=entry.navdata_version,
    )


def _stored(local_data: LocalData, series_id: str, as_of: str | None = None) -> ManifestEntry:
    found = local_data.require_entry(local_data.series(series_id).id, as_of).stored
    assert found is not None  # require_entry raised for a bundled series with as_of, and
    return found  # versions/revisions always pass a version or the current one's


def _bundled(local_data: LocalData, series_id: str) -> None:
    if local_data.is_bundled(series_id):
        raise ApiProblem(
            400,
            "bundled-series",
            f"{series_id!r} is bundled with navdata: its figures change with navdata releases, "
            "not in the store, so it has no store versions.",
        )


@get(
    "/series/{series_id:str}/versions",
    summary="Every version the store kept of a series",
    description=(
        "One entry per version a sync committed (a sync that found the same content commits "
        "none): `version` (pass it as `as_of` to observations and charts), `synced_at`, the "
        "source's own `source_updated` time, `retrieved`, `rows` and the SHA-256 of the data."
    ),
    responses={**revalidation_specs(), **problem_specs([400, 404, 429, 500, 503])},
    tags=["series"],
)
async def list_versions(
    request: Request[Any, Any, Any],
    local_data: NamedDependency[LocalData],
    series_id: StoredSeriesId,
) -> Response[Versions]:
    """The ETag names the current version: the list changes only when a version is added."""
    series = local_data.series(series_id)
    _bundled(local_data, series.id)
    current = await local_data.served_entry(series.id)
    validators = Validators(
        etag=version_etag(current, request_path(request), query_key(request)),
        last_modified=current.stored.written if current.stored else None,
        max_age=max_age_for(series.frequency),
    )
    cached = not_modified(request, validators)
    if cached is not None:
        return cached

    def render() -> CachedBody:
        history = local_data.store.versions(series.id)
        body = Versions(series=series.id, versions=[_info(e) for e in history])
        return CachedBody(msgspec.json.encode(body), "application/json", {})

    body = await cached_body(local_data.bodies, validators.etag, render, in_thread=True)
    return body_response(body, validators)


def _changes(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.with_columns(pl.col(pl.Float64).fill_nan(None)).to_dicts()


def _render_revisions(
    local_data: LocalData, series_id: str, older: ManifestEntry, newer: ManifestEntry
) -> CachedBody:
    old_data = local_data.dataset(StoreEntry.of(older))
    new_data = local_data.dataset(StoreEntry.of(newer))
    key = cell_key(new_data.meta, old_data.frame, new_data.frame)
    frame = diff_versions(old_data.frame, new_data.frame, key)
    body = Revisions(
        series=series_id,
        old=_info(older),
        new=_info(newer),
        count=frame.height,
        columns=frame.columns,
        changes=_changes(frame),
    )
    return CachedBody(msgspec.json.encode(body), "application/json", {})


@get(
    "/series/{series_id:str}/revisions",
    summary="The cells that changed between two versions of a series",
    description=(
        "One change per cell (its dimension codes and `period`) whose value or status differs "
        "between `old` and `new`, or that only one of them has: `old_value`, `new_value`, "
        "`old_status`, `new_status` and `change` (`revised`, `added`, `removed`). `old` and "
        "`new` take what `as_of` takes (a version number, a date or a time); by default `new` "
        "is the current version and `old` the one before it."
    ),
    responses={**revalidation_specs(), **problem_specs([400, 404, 429, 500, 503])},
    tags=["series"],
)
async def get_revisions(
    request: Request[Any, Any, Any],
    local_data: NamedDependency[LocalData],
    series_id: StoredSeriesId,
    old: OldVersion = None,
    new: NewVersion = None,
) -> Response[Revisions]:
    """Both versions are resolved (reading the history: in a thread) before the ETag names them."""
    series = local_data.series(series_id)
    _bundled(local_data, series.id)
    resolve = functools.partial(_versions_compared, local_data, series.id, old, new)
    older, newer = await anyio.to_thread.run_sync(resolve)
    tag = f"v{older.version}..v{newer.version}"
    validators = Validators(
        etag=version_etag(StoreEntry.of(newer), tag, older.content_hash, request_path(request)),
        last_modified=newer.written,
        max_age=max_age_for(series.frequency),
    )
    cached = not_modified(request, validators)
    if cached is not None:
        return cached
    render = functools.partial(_render_revisions, local_data, series.id, older, newer)
    body = await cached_body(local_data.bodies, validators.etag, render, in_thread=True)
    return body_response(body, validators)


def _versions_compared(
    local_data: LocalData, series_id: str, old: str | None, new: str | None
) -> tuple[ManifestEntry, ManifestEntry]:
    """``old`` and ``new`` as versions; by default the current one and the one before it."""
    newer = _stored(local_data, series_id, new)
    if old is not None:
        return _stored(local_data, series_id, old), newer
    before = [e for e in local_data.store.versions(series_id) if e.version < newer.version]
    if not before:
        raise ApiProblem(
            404,
            "no-earlier-version",
            f"{series_id!r} has no version before version {newer.version} in this server's "
            f"store, so nothing can have been revised; GET /v1/series/{series_id}/versions "
            "lists the versions.",
        )
    return before[-1], newer


HANDLERS: Final = [list_versions, get_revisions]
