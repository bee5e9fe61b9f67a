"""What :func:`navdata.get` and :func:`navdata.describe` give back: a Result and a Description.

A :class:`Result` is the series as asked for, with everything needed to cite it; it plots,
converts to pandas and writes itself (CSV, Parquet) all or nothing.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec
import polars as pl

from navdata._dependencies import import_optional, is_installed
from navdata._files import write_atomic_with
from navdata.charts import Chart
from navdata.charts import plot as _plot
from navdata.dataset import Dataset, Metadata, Provenance
from navdata.errors import InvalidArgumentError
from navdata.language import Language
from navdata.series_catalog import Series
from navdata.store import ManifestEntry

__all__ = ["Description", "Result"]


class Result:
    """A series as asked for: the tidy frame, its metadata, its catalogue entry, provenance.

    ``frame`` columns: dimensions by navdata name (``region``, ``sex`` ...), optional
    ``<dim>_label``, then ``period``, ``date``, ``value``, ``status``.
    """

    __slots__ = ("entry", "frame", "meta", "series")

    def __init__(
        self,
        frame: pl.DataFrame,
        meta: Metadata,
        series: Series,
        *,
        entry: ManifestEntry | None = None,
    ) -> None:
        self.frame = frame
        self.meta = meta
        self.series = series
        self.entry = entry

    @property
    def series_id(self) -> str:
        """The catalogue id (``navdata.around`` reads it to pick the series' breaks)."""
        return self.series.id

    @property
    def provenance(self) -> Provenance | None:
        """Where the numbers came from: publisher, URL, query, retrieval time, content hash."""
        return self.meta.provenance

    def __repr__(self) -> str:
        prov = self.provenance
        retrieved = prov.retrieved.isoformat(timespec="seconds") if prov and prov.retrieved else "-"
        periods = self.frame["period"] if "period" in self.frame.columns else None
        span = (
            f"{periods.min()!s}..{periods.max()!s}"
            if periods is not None and periods.len()
            else "-"
        )
        return (
            f"<navdata.Result {self.series.id!r}: {self.series.title.en}\n"
            f"  {self.frame.height} rows x {self.frame.width} columns "
            f"({', '.join(self.frame.columns)}); periods {span}\n"
            f"  unit: {self.series.unit.en}; source: {self.series.publisher} "
            f"({self.series.source_url}), {self.series.licence}; retrieved {retrieved}>"
        )

    def to_pandas(self) -> Any:
        """The frame as a pandas DataFrame (pyarrow is used when installed).

        Returns
        -------
        pandas.DataFrame
            The same rows and columns; ``date`` as datetime64.

        Raises
        ------
        MissingDependencyError
            pandas is not installed.
        """
        pd = import_optional("pandas", needed_for="to_pandas()")
        if is_installed("pyarrow"):  # polars converts through pyarrow
            return self.frame.to_pandas()
        out = pd.DataFrame(self.frame.to_dict(as_series=False))  # no pyarrow: column by column
        if "date" in out.columns:
            out["date"] = pd.to_datetime(out["date"])
        return out

    def plot(self, *, by: str | None = None, lang: Language = "nb", **options: Any) -> Chart:
        """A line chart with timeline milestones and this series' statistics breaks.

        Parameters
        ----------
        by
            The dimension to draw one line per code of; by default the one dimension whose
            codes vary in the frame (filter the frame first when several vary).
        lang
            ``"nb"`` or ``"en"``: the title, unit and labels.
        **options
            Passed to :func:`navdata.charts.plot` (``milestones="trust-reform"``, ``width``,
            ``height`` ...).

        Returns
        -------
        Chart
            Render it with ``.svg()`` or ``.png()``, or ``.save(path)``.

        Raises
        ------
        MissingDependencyError
            matplotlib is not installed (``pip install "navdata[plot]"``).
        InvalidArgumentError
            Several dimensions vary and ``by`` was not given, or an option is invalid.
        """
        if by is None:
            by = self._varying_dimension()
        options.setdefault("title", self.series.title.in_lang(lang))
        options.setdefault("unit", self.series.unit.in_lang(lang))
        options.setdefault("series_id", self.series.id)
        return _plot(Dataset(self.frame, self.meta), by=by, lang=lang, **options)

    def _varying_dimension(self) -> str | None:
        varying = [
            name
            for name in self.meta.dimension_ids
            if name in self.frame.columns
            and name not in ("period", "date")
            and self.frame.get_column(name).n_unique() > 1
        ]
        if len(varying) > 1:
            msg = (
                f"several dimensions vary in this frame ({', '.join(varying)}): pass by=<one of "
                "them> and filter the others, e.g. navdata.get(id, sex='0').plot(by='region')"
            )
            raise InvalidArgumentError(msg)
        return varying[0] if varying else None

    def write_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write the frame as UTF-8 CSV, all or nothing (temp file + rename).

        Parameters
        ----------
        path
            The file to write; an existing file is replaced only once the new one is complete.

        Returns
        -------
        pathlib.Path
            The path written.
        """
        return write_atomic_with(path, self.frame.write_csv)

    def write_parquet(self, path: str | os.PathLike[str]) -> Path:
        """Write the frame as Parquet (zstd), all or nothing (temp file + rename).

        Parameters
        ----------
        path
            The file to write; an existing file is replaced only once the new one is complete.

        Returns
        -------
        pathlib.Path
            The path written.
        """
        return write_atomic_with(
            path, lambda tmp: self.frame.write_parquet(tmp, compression="zstd")
        )


class Description(msgspec.Struct, frozen=True, omit_defaults=True):
    """What the catalogue says about a series and, when it is in the store, where it came from."""

    series: Series
    stored: ManifestEntry | None = None
    store: str | None = None
    #: For a bundled series: when its figures were read in their sources (the stored
    #: provenance says it for a synced one).
    retrieved: datetime | None = None
