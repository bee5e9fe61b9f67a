"""What :func:`navdata.get`, :func:`navdata.ssb_table` and :func:`navdata.describe` give back.

A :class:`Result` is one series as asked for, with everything needed to cite it; it plots,
spreads wide, converts to pandas and writes itself (CSV, Parquet) all or nothing. A
:class:`ResultSet` is several series asked for at once: one long frame with a ``series_id``
column, and each series' own Result with its provenance. A :class:`TableResult` is a selection
from any SSB table, catalogued or not. A :class:`Description` is what the catalogue and the
store say about one series.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec
import polars as pl

from navdata._dependencies import import_optional, is_installed
from navdata._files import write_atomic_with
from navdata._wide import Part, wide
from navdata.charts import Chart
from navdata.charts import plot as _plot
from navdata.dataset import Dataset, Metadata, Provenance
from navdata.errors import InvalidArgumentError
from navdata.language import Language
from navdata.series_catalog import Series
from navdata.store import ManifestEntry

__all__ = ["Description", "Result", "ResultSet", "TableResult"]

#: The tail of a tidy frame, after its dimensions and labels.
_TAIL = ("period", "date", "value", "status")


class _Frame:
    """What every result does with its ``frame``: convert to pandas and write it to a file."""

    __slots__ = ()
    frame: pl.DataFrame

    def to_pandas(self) -> Any:
        """The frame as a pandas DataFrame.

        pandas is optional: ``pip install "navdata[pandas]"`` installs it with pyarrow, through
        which polars converts every column with its type. With pandas alone the frame is built
        column by column (``date`` still as datetime64).

        Returns
        -------
        pandas.DataFrame
            The same rows and columns; ``date`` as datetime64.

        Raises
        ------
        MissingDependencyError
            pandas is not installed (the message gives the install command).
        """
        pd = import_optional("pandas", needed_for="to_pandas()")
        if is_installed("pyarrow"):  # polars converts through pyarrow
            return self.frame.to_pandas()
        out = pd.DataFrame(self.frame.to_dict(as_series=False))  # no pyarrow: column by column
        if "date" in out.columns:
            out["date"] = pd.to_datetime(out["date"])
        return out

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


class Result(_Frame):
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

    def wide(self) -> pl.DataFrame:
        """The values spread out: a row per period, a column per code of the varying dimensions.

        Returns
        -------
        polars.DataFrame
            ``period``, ``date``, then one Float64 column named by the series id, or by the id
            and the codes when a dimension varies (``nav.helt_ledige[region=03]``).

        Raises
        ------
        InvalidArgumentError
            Two rows of the frame would land in one cell (a column the metadata does not name
            as a dimension tells them apart).
        """
        dims = self.meta.dimension_columns(self.frame.columns)
        return wide([Part(self.series.id, self.frame, dims)])

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


class ResultSet(_Frame):
    """Several series asked for at once: one long frame, and each series' own :class:`Result`.

    ``frame`` holds every row of every series, ``series_id`` first, then the dimensions of all
    of them (null where a series has no such dimension), then ``period``, ``date``, ``value``,
    ``status``. Each series keeps its metadata and provenance: ``results[id]`` (or
    ``result_set[id]``) is the Result :func:`navdata.get` gives for that id alone.
    """

    __slots__ = ("frame", "results")

    def __init__(self, results: Sequence[Result]) -> None:
        self.results: dict[str, Result] = {r.series.id: r for r in results}
        self.frame = _stacked(list(self.results.values()))

    @property
    def series_ids(self) -> list[str]:
        """The series, in the order they were asked for."""
        return list(self.results)

    @property
    def provenance(self) -> dict[str, Provenance | None]:
        """Where each series' numbers came from, by series id."""
        return {series_id: r.provenance for series_id, r in self.results.items()}

    def __getitem__(self, series_id: str) -> Result:
        return self.results[series_id]

    def __iter__(self) -> Iterator[Result]:
        return iter(self.results.values())

    def __len__(self) -> int:
        return len(self.results)

    def __repr__(self) -> str:
        lines = [f"<navdata.ResultSet of {len(self)} series, {self.frame.height} rows"]
        lines += [
            f"  {r.series.id}: {r.frame.height} rows; {r.series.unit.en}; {r.series.publisher}"
            for r in self
        ]
        return "\n".join(lines) + ">"

    def wide(self) -> pl.DataFrame:
        """Every series side by side: a row per period, a column per series (and varying code).

        Returns
        -------
        polars.DataFrame
            ``period``, ``date``, then one Float64 column per series, named by its id, or by
            its id and codes when one of its dimensions varies (``nav.aap.recipients[region=03]``);
            a period a series lacks is null in its columns. Series of different frequencies
            share no row.

        Raises
        ------
        InvalidArgumentError
            Two rows of one series would land in one cell.
        """
        return wide(
            [Part(r.series.id, r.frame, r.meta.dimension_columns(r.frame.columns)) for r in self]
        )


def _stacked(results: list[Result]) -> pl.DataFrame:
    """The frames one under the other with ``series_id`` first and the tail last."""
    if not results:
        return pl.DataFrame({"series_id": []}, schema={"series_id": pl.String})
    head: list[str] = []
    extra: list[str] = []
    for r in results:
        columns = [c for c in r.frame.columns if c != "series_id"]
        cut = columns.index("period") if "period" in columns else len(columns)
        head += [c for c in columns[:cut] if c not in head and c not in _TAIL]
        extra += [c for c in columns[cut:] if c not in extra and c not in _TAIL]
    frames = [
        r.frame.with_columns(pl.lit(r.series.id, dtype=pl.String).alias("series_id"))
        for r in results
    ]
    stacked = pl.concat(frames, how="diagonal_relaxed")
    tail = [c for c in _TAIL if c in stacked.columns]
    return stacked.select("series_id", *head, *tail, *extra)


class TableResult(_Frame):
    """A selection from any SSB table (:func:`navdata.ssb_table`): frame, metadata, provenance.

    ``frame`` columns: one per selected variable, by SSB's own code (``Kjonn``, ``Alder``,
    ``ContentsCode`` ...), optional ``<code>_label``, then ``period``, ``date``, ``value``,
    ``status``. A variable left out of the selection was eliminated by SSB (its total, or the
    sum over its values) and has no column.
    """

    __slots__ = ("frame", "meta", "table")

    def __init__(self, frame: pl.DataFrame, meta: Metadata, *, table: str) -> None:
        self.frame = frame
        self.meta = meta
        self.table = table

    @property
    def provenance(self) -> Provenance | None:
        """Where the numbers came from: SSB, the URL, the selection, retrieval time, hash."""
        return self.meta.provenance

    @property
    def title(self) -> str:
        """The table's title as SSB gives it."""
        return self.meta.label or f"SSB table {self.table}"

    def __repr__(self) -> str:
        prov = self.provenance
        retrieved = prov.retrieved.isoformat(timespec="seconds") if prov and prov.retrieved else "-"
        return (
            f"<navdata.TableResult {self.table!r}: {self.title}\n"
            f"  {self.frame.height} rows x {self.frame.width} columns "
            f"({', '.join(self.frame.columns)})\n"
            f"  source: {prov.publisher if prov else '-'} ({prov.url if prov else '-'}), "
            f"{prov.licence if prov else '-'}; retrieved {retrieved}>"
        )

    def wide(self) -> pl.DataFrame:
        """The values spread out: a row per period, a column per code of the varying variables.

        Returns
        -------
        polars.DataFrame
            ``period``, ``date``, then one Float64 column per combination of the codes that
            vary, named by the table and the codes (``13760[ContentsCode=Arbeidsstyrken]``).

        Raises
        ------
        InvalidArgumentError
            Two rows would land in one cell.
        """
        return wide([Part(self.table, self.frame, self.meta.dimension_columns(self.frame.columns))])


class Description(msgspec.Struct, frozen=True, omit_defaults=True):
    """What the catalogue says about a series and, when it is in the store, where it came from."""

    series: Series
    stored: ManifestEntry | None = None
    store: str | None = None
    #: For a bundled series: when its figures were read in their sources (the stored
    #: provenance says it for a synced one).
    retrieved: datetime | None = None
