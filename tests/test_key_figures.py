"""The bundled key figures: exact values as quoted in their sources, each with its source."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from navdata.errors import UnknownSeriesError
from navdata.key_figures import key_figure, key_figure_series


def test_every_series_loads_with_sourced_values() -> None:
    total = 0
    for series_id in key_figure_series():
        frame = key_figure(series_id).frame
        assert frame.height > 0, series_id
        assert frame["source_url"].str.starts_with("http").all()
        assert frame["date"].is_sorted()
        total += frame.height
    assert total == 63


def test_aku_annual_values_match_the_quoted_tables() -> None:
    frame = key_figure("keyfig.aku_unemployment_rate_annual").frame
    values = dict(zip(frame["period"], frame["value"], strict=True))
    assert values == {
        "2006": 3.4, "2007": 2.5, "2009": 3.2, "2010": 3.6, "2011": 3.3, "2012": 3.2,
        "2013": 3.5, "2014": 3.5, "2019": 3.7, "2020": 4.6, "2021": 4.4, "2022": 3.2,
    }  # fmt: skip
    assert "2008" not in values  # a gap in the sources stays a gap


def test_quarterly_sickness_absence_has_dates_and_23_quarters() -> None:
    ds = key_figure("keyfig.sickness_absence_quarterly_2006_2011")
    frame = ds.frame
    assert frame.height == 23
    last = frame.row(-1, named=True)
    assert last["period"] == "2011K3"
    assert last["date"] == dt.date(2011, 7, 1)
    assert last["value"] == 6.6
    assert ds.meta.extension["frequency"] == "quarter"
    assert ds.meta.provenance is not None
    assert ds.meta.provenance.licence == "CC BY 4.0"


def test_uforepensjon_counts_are_integers_as_published() -> None:
    frame = key_figure("keyfig.uforepensjon_recipients").frame
    assert frame.filter(pl.col("period") == "2003")["value"].item() == 301214
    assert frame.filter(pl.col("period") == "2012")["value"].item() == 309887


def test_unknown_key_figure_names_the_known_ones() -> None:
    with pytest.raises(UnknownSeriesError, match=r"keyfig\.nav_user_trust"):
        key_figure("keyfig.nope")
