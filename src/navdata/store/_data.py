"""The frames and bytes the store writes, and the checks and messages around them."""

from __future__ import annotations

import io

import msgspec
import polars as pl

from navdata.dataset import Metadata
from navdata.errors import StoreError
from navdata.store._record import ManifestEntry

__all__ = ["comparable", "first_line", "parquet_bytes", "safe_id", "storable", "unreadable"]


def safe_id(series_id: str) -> str:
    """The series id as a folder name; refuses anything that could leave the store folder."""
    if not series_id or series_id in {".", ".."} or any(c in series_id for c in "/\\:\0"):
        msg = f"{series_id!r} cannot name a stored series (no path separators, not '.' or '..')"
        raise StoreError(msg)
    return series_id


def storable(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame in types Delta Lake holds: categoricals as text, small unsigned ints widened."""
    casts = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Categorical | pl.Enum) or dtype == pl.Null:
            casts.append(pl.col(name).cast(pl.String))
        elif dtype in (pl.UInt8, pl.UInt16, pl.UInt32):
            casts.append(pl.col(name).cast(pl.Int64))
    return (frame.with_columns(casts) if casts else frame).rechunk()


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    """The frame as Parquet bytes (zstd), so the hash is of exactly what is written."""
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", statistics=True)
    return buffer.getvalue()


def comparable(meta: Metadata) -> Metadata:
    """Metadata without what changes on every fetch (retrieval time, hash, source's time)."""
    provenance = meta.provenance
    if provenance is not None:
        provenance = msgspec.structs.replace(provenance, retrieved=None, content_hash=None)
    return msgspec.structs.replace(meta, provenance=provenance, updated=None)


def first_line(err: BaseException) -> str:
    """The first line of an error's text (delta-rs and obstore write several), else its type."""
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def unreadable(entry: ManifestEntry, where: str, err: BaseException) -> StoreError:
    msg = (
        f"the data file {entry.file} of {entry.series_id!r} (version {entry.version}) in the "
        f"store at {where} cannot be read ({first_line(err)}); run "
        f"`navdata sync {entry.series_id}` to fetch it again as a new version, and "
        "`navdata store verify` to check the others"
    )
    return StoreError(msg)
