"""Export series as a Frictionless Data Package: data files plus a ``datapackage.json``.

A data package is the form open-data tools (frictionless, Open Knowledge's CKAN, R's
``frictionless`` package, data.gouv-style portals) read without guessing: each resource says its
path, format, encoding, column types, primary key, licence and sources. Spec:
https://specs.frictionlessdata.io/data-package/ and /table-schema/.

The folder is written all or nothing: it is built in a temp folder beside the target, then
renamed into place. An existing *data package* at the target is replaced (renamed aside first,
deleted after the swap); any other non-empty folder is refused rather than overwritten.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import msgspec
import polars as pl

from navdata._files import temp_sibling
from navdata._version import __version__
from navdata.access import Result, get
from navdata.dataset import CC_BY_4_URL
from navdata.errors import InvalidArgumentError
from navdata.store import Store

__all__ = ["export_datapackage", "field_type"]

Format = Literal["csv", "parquet"]

LICENSE = {
    "name": "CC-BY-4.0",
    "path": CC_BY_4_URL,
    "title": "Creative Commons Attribution 4.0",
}
_NAME_CHARS = re.compile(r"[^a-z0-9.-]+")
_STATUS_TEXT = (
    "the publisher's symbol when a value is not a plain number: '..' missing, '.' not "
    "applicable, ':' or '*' suppressed; empty otherwise"
)


def field_type(dtype: pl.DataType) -> str:
    """The Table Schema type of a polars dtype."""
    if dtype == pl.Boolean:
        return "boolean"
    if dtype.is_integer():
        return "integer"
    if dtype.is_float() or dtype.is_decimal():
        return "number"
    if dtype == pl.Date:
        return "date"
    if dtype == pl.Datetime:
        return "datetime"
    return "string"


def _name(text: str) -> str:
    """A data package / resource name: lower case letters, digits, ``.`` and ``-``."""
    return _NAME_CHARS.sub("-", text.lower()).strip("-")


def _fields(result: Result) -> list[dict[str, Any]]:
    labels = {d.id: d.label for d in result.meta.dimensions}
    unit = result.series.unit
    described = {
        "period": "period code as published (2024, 2024K1, 2024M03)",
        "date": "first day of the period",
        "value": f"value in {unit.en} ({unit.nb}); empty when not published",
        "status": _STATUS_TEXT,
    }
    out = []
    for column, dtype in result.frame.schema.items():
        item: dict[str, Any] = {"name": column, "type": field_type(dtype)}
        text = described.get(column) or labels.get(column)
        if text:
            item["description"] = text
        if dtype == pl.Date:
            item["format"] = "default"
        out.append(item)
    return out


def _source(result: Result) -> dict[str, str]:
    return {"title": result.series.publisher, "path": result.series.source_url}


def _resource(result: Result, fmt: Format, path: str) -> dict[str, Any]:
    keys = [d for d in result.meta.dimension_ids if d in result.frame.columns]
    schema: dict[str, Any] = {"fields": _fields(result), "missingValues": [""]}
    if keys:
        schema["primaryKey"] = keys
    resource: dict[str, Any] = {
        "name": _name(result.series.id),
        "path": path,
        "profile": "tabular-data-resource",
        "title": result.series.title.en,
        "description": result.series.description.en,
        "format": fmt,
        "mediatype": "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
        "schema": schema,
        "sources": [_source(result)],
        "licenses": [LICENSE],
    }
    if fmt == "csv":
        resource["encoding"] = "utf-8"
    prov = result.provenance
    if prov is not None:
        resource["navdata"] = {
            "series": result.series.id,
            "url": prov.url,
            "table": prov.table,
            "retrieved": prov.retrieved.isoformat() if prov.retrieved else None,
            "content_hash": prov.content_hash,
        }
    return resource


def _descriptor(results: list[Result], resources: list[dict[str, Any]], name: str) -> bytes:
    sources: list[dict[str, str]] = []
    for result in results:
        if _source(result) not in sources:
            sources.append(_source(result))
    descriptor = {
        "profile": "tabular-data-package",
        "name": name,
        "title": "navdata export: " + ", ".join(r.series.id for r in results),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "licenses": [LICENSE],
        "sources": sources,
        "contributors": [{"title": f"navdata {__version__}", "role": "wrangler"}],
        "resources": resources,
    }
    return msgspec.json.format(msgspec.json.encode(descriptor), indent=2) + b"\n"


def _swap_into_place(built: Path, target: Path) -> None:
    if target.exists():
        if not target.is_dir():
            msg = f"{target} exists and is not a folder; choose another --to"
            raise InvalidArgumentError(msg)
        if any(target.iterdir()) and not (target / "datapackage.json").is_file():
            msg = (
                f"{target} is a non-empty folder without a datapackage.json; navdata will not "
                "overwrite it. Choose an empty or new folder"
            )
            raise InvalidArgumentError(msg)
        aside = target.with_name(f".old-{uuid.uuid4().hex}-{target.name}")
        target.replace(aside)
        built.replace(target)
        shutil.rmtree(aside)
        return
    built.replace(target)


def export_datapackage(
    ids: str | Sequence[str],
    folder: str | os.PathLike[str],
    *,
    format: Format = "csv",  # noqa: A002 - the documented keyword, as in `navdata export --format`
    store: Store | None = None,
    offline: bool | None = None,
    name: str = "navdata-export",
) -> Path:
    """Write series as a Frictionless Data Package: ``datapackage.json`` and one data file each.

    The series are read with :func:`navdata.get`; the package is built beside ``folder`` and
    moved into place whole, so a failure leaves no half-written package.

    Parameters
    ----------
    ids
        One catalogue id or several.
    folder
        The package folder (created, or replaced when it holds a previous package).
    format
        ``"csv"`` or ``"parquet"``: data files go to ``data/<series id>.<format>``.
    store
        The store to read (default: ``NAVDATA_STORE_DIR`` or the user data folder).
    offline
        Never fetch; ``None`` follows ``NAVDATA_OFFLINE``.
    name
        The package's ``name``; lower-cased, and any character but letters, digits, ``.``
        and ``-`` becomes ``-``.

    Returns
    -------
    pathlib.Path
        The path of ``datapackage.json``.

    Raises
    ------
    InvalidArgumentError
        No id, or an unknown format.
    UnknownSeriesError
        An id is not in the catalogue.
    MissingDataError
        Offline, and a series is not in the store.
    """
    chosen = [ids] if isinstance(ids, str) else list(dict.fromkeys(ids))
    if not chosen:
        msg = "name at least one series to export"
        raise InvalidArgumentError(msg)
    if format not in ("csv", "parquet"):
        msg = f"format must be 'csv' or 'parquet', not {format!r}"
        raise InvalidArgumentError(msg)
    results = [get(series_id, store=store, offline=offline) for series_id in chosen]
    target = Path(folder).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    built = temp_sibling(target)
    try:
        (built / "data").mkdir(parents=True)
        resources = []
        for result in results:
            relative = f"data/{result.series.id}.{format}"
            if format == "csv":
                result.frame.write_csv(built / relative)
            else:
                result.frame.write_parquet(built / relative, compression="zstd")
            resources.append(_resource(result, format, relative))
        (built / "datapackage.json").write_bytes(_descriptor(results, resources, _name(name)))
        _swap_into_place(built, target)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    return target / "datapackage.json"
