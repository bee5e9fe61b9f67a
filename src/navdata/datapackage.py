"""Export series as a Frictionless Data Package: data files plus a ``datapackage.json``.

A data package is the form open-data tools (frictionless, Open Knowledge's CKAN, R's
``frictionless`` package, data.gouv-style portals) read without guessing: each resource says its
path, format, encoding, column types, primary key, licence and sources. Spec:
https://specs.frictionlessdata.io/data-package/ and /table-schema/.

The package is built in a temp folder beside the target, then moved into place: a new or empty
folder takes it whole (one rename). navdata never deletes a file it did not write in that call:
a folder that already holds a package is replaced only when asked (``replace=True``,
``navdata export --replace``), and then only the files that package lists are removed, so notes
or other files beside it stay; any other non-empty folder is refused.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, Final, Literal

import msgspec
import polars as pl

from navdata._files import temp_sibling
from navdata._surface import words
from navdata._version import __version__
from navdata.access import Result, get
from navdata.dataset import CC_BY_4_URL
from navdata.errors import InvalidArgumentError
from navdata.store import Store

__all__ = ["export_datapackage", "field_type"]

Format = Literal["csv", "parquet"]
_DESCRIPTOR: Final = "datapackage.json"

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


def _own_files(target: Path) -> set[str]:
    """The files the package in ``target`` says are its own: its descriptor and its resources.

    Only plain relative paths inside the folder count: a descriptor edited to name ``../x`` or
    an absolute path can never make navdata delete a file outside the package.
    """
    try:
        descriptor = msgspec.json.decode((target / _DESCRIPTOR).read_bytes())
    except (OSError, msgspec.DecodeError) as exc:
        msg = (
            f"{target / _DESCRIPTOR} cannot be read as a data package ({exc}); navdata will not "
            f"replace what it cannot account for. {_choose_another()}"
        )
        raise InvalidArgumentError(msg) from exc
    own = {_DESCRIPTOR}
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    for resource in resources if isinstance(resources, list) else []:
        paths = resource.get("path") if isinstance(resource, dict) else None
        for path in [paths] if isinstance(paths, str) else paths or []:
            relative = PurePosixPath(path) if isinstance(path, str) else None
            if relative is not None and _inside(relative):
                own.add(relative.as_posix())
    return own


def _inside(relative: PurePosixPath) -> bool:
    return not relative.is_absolute() and ".." not in relative.parts and bool(relative.parts)


def _choose_another() -> str:
    return words("Choose an empty or new folder.", "Choose an empty or new --to folder.")


def _files_below(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _replace_package(built: Path, target: Path) -> None:
    """Swap the package in ``target`` for ``built``, touching no file the old one did not list.

    The new files go in first, each by an atomic rename, and the descriptor last; then the old
    package's files that the new one does not have are removed, and folders they leave empty.
    A file of the user's own (notes, other data) stays where it is, and one that stands where
    the new package would write refuses the export before anything moved.
    """
    old = _own_files(target)
    new = _files_below(built)
    foreign = sorted(p for p in new if (target / p).exists() and p not in old)
    if foreign:
        msg = (
            f"{target} holds {', '.join(foreign)}, which the package there does not list; "
            f"navdata will not overwrite files it did not write. {_choose_another()}"
        )
        raise InvalidArgumentError(msg)
    for relative in sorted(new - {_DESCRIPTOR}):
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (built / relative).replace(target / relative)
    (built / _DESCRIPTOR).replace(target / _DESCRIPTOR)
    for relative in sorted(old - new):
        gone = target / relative
        if gone.is_file():
            gone.unlink()
            for folder in gone.parents:
                if folder == target or any(folder.iterdir()):
                    break
                folder.rmdir()
    shutil.rmtree(built)


def _install(built: Path, target: Path, *, replace: bool) -> None:
    """Move the package built beside ``target`` into place; never delete what navdata did not write.

    A new or empty folder takes the package whole (one rename). A folder holding a package is
    replaced only with ``replace``, and then only that package's own files go. Anything else
    is refused.
    """
    if not target.exists():
        built.replace(target)
        return
    if not target.is_dir():
        msg = f"{target} exists and is not a folder. {_choose_another()}"
        raise InvalidArgumentError(msg)
    if not any(target.iterdir()):
        target.rmdir()
        built.replace(target)
        return
    if not (target / _DESCRIPTOR).is_file():
        msg = (
            f"{target} is a non-empty folder without a {_DESCRIPTOR}; navdata will not write "
            f"into it. {_choose_another()}"
        )
        raise InvalidArgumentError(msg)
    if not replace:
        msg = (
            f"{target} already holds a data package; navdata replaces one only when asked "
            f"({words('replace=True', '--replace')}), and then removes only the files that "
            f"package lists, keeping any others. {_choose_another()}"
        )
        raise InvalidArgumentError(msg)
    _replace_package(built, target)


def export_datapackage(
    ids: str | Sequence[str],
    folder: str | os.PathLike[str],
    *,
    format: Format = "csv",  # noqa: A002 - the documented keyword, as in `navdata export --format`
    store: Store | None = None,
    offline: bool | None = None,
    name: str = "navdata-export",
    replace: bool = False,
) -> Path:
    """Write series as a Frictionless Data Package: ``datapackage.json`` and one data file each.

    The series are read with :func:`navdata.get`; the package is built beside ``folder`` and
    moved into place, so a failure leaves no half-written package. navdata never deletes a
    file it did not write: a folder that already holds a package is replaced only with
    ``replace=True``, and then only that package's listed files go.

    Parameters
    ----------
    ids
        One catalogue id or several.
    folder
        The package folder: new, empty, or (with ``replace``) holding an earlier package.
    format
        ``"csv"`` or ``"parquet"``: data files go to ``data/<series id>.<format>``.
    store
        The store to read (default: ``NAVDATA_STORE_DIR`` or the user data folder).
    offline
        Never fetch; ``None`` follows ``NAVDATA_OFFLINE``.
    name
        The package's ``name``; lower-cased, and any character but letters, digits, ``.``
        and ``-`` becomes ``-``.
    replace
        Replace the package already in ``folder``: its ``datapackage.json`` and the resources
        it lists are removed, any other file stays.

    Returns
    -------
    pathlib.Path
        The path of ``datapackage.json``.

    Raises
    ------
    InvalidArgumentError
        No id, or an unknown format; ``folder`` is a file or a non-empty folder without a
        package, holds a package and ``replace`` is not set, or holds a file the package did
        not list where the new package would write.
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
        (built / _DESCRIPTOR).write_bytes(_descriptor(results, resources, _name(name)))
        _install(built, target, replace=replace)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    return target / "datapackage.json"
