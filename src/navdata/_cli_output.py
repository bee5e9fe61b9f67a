"""What the ``navdata`` command prints, as text or bytes: the polars and msgspec half of the CLI.

A module apart from :mod:`navdata.cli` so that the command imports polars only when a command
that prints a table runs (``navdata --help`` never does); see the CLI module's docstring.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import msgspec
import polars as pl

from navdata.store import Check, ManifestEntry

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


def store_frame(
    entries: Mapping[str, ManifestEntry], checks: Mapping[str, Check | None]
) -> pl.DataFrame:
    """One row per stored series (``navdata store info``): its current version and last check."""
    return pl.DataFrame(
        {
            "id": list(entries),
            "version": [e.version for e in entries.values()],
            "rows": [e.rows for e in entries.values()],
            "synced_at": [e.written.isoformat() for e in entries.values()],
            "updated": [e.updated for e in entries.values()],
            "checked": [str(c.checked) if c else None for c in map(checks.get, entries)],
            "sha256": [e.content_hash[:12] for e in entries.values()],
        },
        schema={"id": pl.String, "version": pl.Int64, "rows": pl.Int64,
                "synced_at": pl.String, "updated": pl.String, "checked": pl.String,
                "sha256": pl.String},
    )  # fmt: skip
