"""Any table of SSB's statistics bank, catalogued or not: ``ssb_table`` and ``ssb_search``.

What SSB's own R package (PxWebApiData) offers, as tidy polars frames::

    navdata.ssb_search("arbeidsledige")                  # tables whose text matches, from /tables
    r = navdata.ssb_table("13760", Kjonn="0", Alder="15-74", Justering="S",
                          ContentsCode="ArbledProsArbstyrk", Tid="top(12)", labels=True)
    r.frame, r.meta, r.provenance, r.wide()

Selections use PxWebApi's expressions (``*``, ``03*``, ``top(12)``, ``from(2020M01)``,
``range(2020,2024)``), expanded against the table's metadata before anything is asked, so the
cell count is known and a query over SSB's 800,000-cell limit is split into requests that fit
(:class:`~navdata.sources.ssb.SSBClient`). As at SSB, ``time`` names the table's time variable,
and a variable left out is eliminated (SSB answers its total or the sum over its values).
Every answer goes through the disk cache (``NAVDATA_CACHE_DIR``): asking again within twelve
hours sends no request, and offline (``NAVDATA_OFFLINE=1``) a cached answer is served.

The frame keeps SSB's variable codes as column names (``Kjonn``, ``Alder``, ``ContentsCode``);
the time variable becomes ``period`` with a ``date`` beside it, as in every navdata frame.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
import polars as pl

from navdata import config
from navdata.dataset import Dataset, Dimension
from navdata.errors import InvalidArgumentError
from navdata.language import Language, check_language, ssb_language
from navdata.result import TableResult
from navdata.sources.ssb import SSBClient
from navdata.sync import tidy

__all__ = ["ssb_search", "ssb_table"]

Codes = str | int | Sequence[str | int]

_SEARCH_SCHEMA: dict[str, Any] = {
    "id": pl.String,
    "title": pl.String,
    "first_period": pl.String,
    "last_period": pl.String,
    "time_unit": pl.String,
    "updated": pl.String,
    "variables": pl.List(pl.String),
    "discontinued": pl.Boolean,
}


def _client(offline: bool | None) -> SSBClient:
    """A client that follows :mod:`navdata.config`: SSB's URL, the disk cache, offline mode."""
    is_offline = config.offline() if offline is None else offline
    return SSBClient(config.ssb_url(), cache_dir=config.cache_dir(), offline=is_offline)


def _as_codes(variable: str, value: object) -> list[str]:
    items = [value] if isinstance(value, str | int) else value
    if not isinstance(items, Sequence) or not items:
        msg = f"{variable}= takes a code or expression, or a list of them, not {value!r}"
        raise InvalidArgumentError(msg)
    codes = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int):
            msg = f"{variable}= takes codes as text (or whole numbers), not {item!r}"
            raise InvalidArgumentError(msg)
        codes.append(str(item))
    return codes


def _selection(
    selection: Mapping[str, Codes] | None, variables: Mapping[str, Codes]
) -> dict[str, list[str]]:
    """``selection=`` and the keyword variables as one mapping; a variable named twice fails."""
    merged: dict[str, list[str]] = {}
    for name, value in [*(selection or {}).items(), *variables.items()]:
        if any(name.lower() == known.lower() for known in merged):
            msg = f"variable {name!r} is selected twice (in selection= and as a keyword)"
            raise InvalidArgumentError(msg)
        merged[name] = _as_codes(name, value)
    return merged


def _with_period(dataset: Dataset) -> Dataset:
    """The time variable as ``period`` (its source code kept in the dimension's extension)."""
    meta = dataset.meta
    time = next(iter(meta.roles.get("time", [])), None)
    if time is None or time == "period":
        return dataset
    frame = dataset.frame.drop(f"{time}_label", strict=False).rename({time: "period"})

    def renamed(dim: Dimension) -> Dimension:
        if dim.id != time:
            return dim
        return msgspec.structs.replace(
            dim, id="period", extension={**dim.extension, "source_id": time}
        )

    roles = {role: ["period" if d == time else d for d in ids] for role, ids in meta.roles.items()}
    new_meta = msgspec.structs.replace(
        meta, dimensions=[renamed(d) for d in meta.dimensions], roles=roles
    )
    return Dataset(frame, new_meta)


def ssb_table(
    table_id: str,
    *,
    labels: bool = False,
    lang: Language = "nb",
    codelists: Mapping[str, str] | None = None,
    selection: Mapping[str, Codes] | None = None,
    offline: bool | None = None,
    **variables: Codes,
) -> TableResult:
    """A selection from any SSB table as a tidy frame with its metadata and provenance.

    Parameters
    ----------
    table_id
        SSB's table number, e.g. ``"13760"`` (find one with :func:`ssb_search`).
    labels
        Add a ``<variable>_label`` column beside each variable, in ``lang``.
    lang
        ``"nb"`` (Norwegian Bokmål) or ``"en"``: the language SSB answers labels and the
        title in.
    codelists
        A codelist per variable (``{"Region": "agg_KommFylker"}``); its codes replace the
        variable's own values in the selection. Ids are case-sensitive, as at SSB.
    selection
        Variable -> codes, for variable codes that are not Python names; merged with
        ``**variables``.
    offline
        Answer from the disk cache only; ``None`` follows ``NAVDATA_OFFLINE``.
    **variables
        Variable code -> a code, an expression or a list of them: ``Kjonn="0"``,
        ``Tid="top(12)"`` (or ``time="top(12)"``), ``Region=["0301", "46*"]``,
        ``Tid="range(2020M01,2020M12)"``, ``ContentsCode="*"``. A variable left out is
        eliminated when SSB allows it; ``ContentsCode`` and the time variable never are.

    Returns
    -------
    TableResult
        ``frame`` (one column per selected variable by SSB's code, then ``period``, ``date``,
        ``value``, ``status``), ``meta`` (labels, units, notes) and ``provenance`` (URL,
        selection, retrieval time, content hash).

    Raises
    ------
    UnknownTableError
        SSB has no such table.
    UnknownVariableError
        A variable is not in the table (the message lists its variables).
    UnknownValueError
        A code is not in the variable (the message lists some of its codes).
    SelectionError
        An expression is malformed, matches nothing, or a variable that cannot be eliminated
        was left out.
    OfflineError
        Offline, and the disk cache does not hold the answer.
    UpstreamError
        SSB answered with an error or could not be reached.
    """
    chosen = _selection(selection, variables)
    language = ssb_language(check_language(lang, ssb_codes=True))
    with contextlib.closing(_client(offline)) as client:
        raw = client.data(
            table_id, chosen, codelists=codelists or None, lang=language, labels=labels
        )
    dataset = tidy(_with_period(raw))
    return TableResult(dataset.frame, dataset.meta, table=table_id)


def ssb_search(
    query: str | None = None,
    *,
    lang: Language = "nb",
    past_days: int | None = None,
    include_discontinued: bool = False,
    offline: bool | None = None,
) -> pl.DataFrame:
    """SSB tables whose titles, variables or values match ``query`` (SSB's ``/tables`` search).

    Parameters
    ----------
    query
        Words as SSB's search takes them (Lucene syntax: ``arbeidsledige``, ``title:sykefravær``,
        ``03013 OR 14710``, ``arbeid*``); ``None`` with ``past_days`` lists recent updates.
    lang
        ``"nb"`` or ``"en"``: the language of titles and of the words matched.
    past_days
        Only tables updated in the last ``past_days`` days.
    include_discontinued
        Also list tables SSB no longer updates.
    offline
        Answer from the disk cache only; ``None`` follows ``NAVDATA_OFFLINE``.

    Returns
    -------
    polars.DataFrame
        One row per table, in SSB's order: ``id``, ``title``, ``first_period``,
        ``last_period``, ``time_unit``, ``updated``, ``variables`` (their labels) and
        ``discontinued``.

    Raises
    ------
    InvalidArgumentError
        Neither a query nor ``past_days`` was given.
    OfflineError
        Offline, and the disk cache does not hold the answer.
    UpstreamError
        SSB answered with an error or could not be reached.
    """
    if not (query and query.strip()) and past_days is None:
        msg = "give ssb_search words to look for (e.g. 'arbeidsledige') or past_days=N"
        raise InvalidArgumentError(msg)
    language = ssb_language(check_language(lang, ssb_codes=True))
    with contextlib.closing(_client(offline)) as client:
        tables = client.tables(
            query or None,
            past_days=past_days,
            lang=language,
            include_discontinued=include_discontinued,
        )
    rows = [
        {
            "id": str(t.get("id", "")),
            "title": t.get("label"),
            "first_period": t.get("firstPeriod"),
            "last_period": t.get("lastPeriod"),
            "time_unit": t.get("timeUnit"),
            "updated": t.get("updated"),
            "variables": [str(v) for v in t.get("variableNames", [])],
            "discontinued": bool(t.get("discontinued", False)),
        }
        for t in tables
    ]
    return pl.DataFrame(rows, schema=_SEARCH_SCHEMA)
