"""What the ``navdata`` command prints, as text or bytes: the polars and msgspec half of the CLI.

A module apart from :mod:`navdata.cli` so that the command imports polars only when a command
that prints a table runs (``navdata --help`` never does); see the CLI module's docstring.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import msgspec
import polars as pl

from navdata.store import ManifestEntry

__all__ = ["encoded", "joined_lists", "json_text", "store_frame", "table_text"]


def table_text(frame: pl.DataFrame) -> str:
    """The frame as polars draws it, every row and column, long texts cut at 80 characters."""
    with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=80, tbl_width_chars=200):
        return str(frame)


def encoded(frame: pl.DataFrame, fmt: str) -> bytes:
    """The frame as ``csv``, ``json`` (a list of rows), ``ndjson`` (a row a line) or ``parquet``."""
    if fmt == "csv":
        return frame.write_csv().encode("utf-8")
    if fmt in {"json", "ndjson"}:
        rows = frame.with_columns(pl.col(pl.Date).cast(pl.String)).to_dicts()
        if fmt == "json":
            return msgspec.json.encode(rows) + b"\n"
        return b"".join(msgspec.json.encode(row) + b"\n" for row in rows)
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd")
    return buffer.getvalue()


def joined_lists(frame: pl.DataFrame) -> pl.DataFrame:
    """List columns as space-separated text, which CSV can hold."""
    return frame.with_columns(pl.col(pl.List(pl.String)).list.join(" "))


def json_text(value: object) -> str:
    """Any msgspec-encodable value as indented JSON."""
    return msgspec.json.format(msgspec.json.encode(value), indent=2).decode("utf-8")


def store_frame(entries: Mapping[str, ManifestEntry]) -> pl.DataFrame:
    """One row per stored series: rows, retrieval time, time at the source, content hash."""
    return pl.DataFrame(
        {
            "id": list(entries),
            "rows": [e.rows for e in entries.values()],
            "retrieved": [str(e.retrieved) if e.retrieved else None for e in entries.values()],
            "updated": [e.updated for e in entries.values()],
            "sha256": [e.content_hash[:12] for e in entries.values()],
        },
        schema={"id": pl.String, "rows": pl.Int64, "retrieved": pl.String, "updated": pl.String,
                "sha256": pl.String},
    )  # fmt: skip
