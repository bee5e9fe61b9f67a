"""The public surface is a contract: what ``navdata`` exports, and how its names present themselves.

As httpx's ``tests/test_exported_members.py``: a name added to or dropped from the top level must
show up here as a deliberate change.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import types
import typing

import pytest

import navdata
from navdata import charts, errors, http, series_catalog
from navdata.periods import with_dates
from navdata.regions import harmonise
from navdata.sources.klass import KlassClient
from navdata.sources.nav import NavClient
from navdata.sources.ssb import SSBClient

EXPORTED = [
    "Break",
    "Chart",
    "Dataset",
    "DatasetValidationError",
    "Description",
    "Dimension",
    "EventWindow",
    "InvalidArgumentError",
    "JsonStatError",
    "LayoutError",
    "LinkNotFoundError",
    "ManifestEntry",
    "Metadata",
    "Milestone",
    "MissingDataError",
    "MissingDependencyError",
    "NavdataError",
    "OfflineError",
    "PeriodError",
    "Provenance",
    "RateLimitedError",
    "RegionError",
    "Result",
    "ResultSet",
    "SelectionError",
    "Series",
    "StatisticsBreakWarning",
    "Store",
    "StoreError",
    "StoreLockedError",
    "SyncEvent",
    "SyncOutcome",
    "SyncReport",
    "TableResult",
    "TooManyCellsError",
    "Unit",
    "UnknownMilestoneError",
    "UnknownSeriesError",
    "UnknownTableError",
    "UpstreamError",
    "UpstreamUnavailableError",
    "__version__",
    "around",
    "catalog",
    "describe",
    "export_datapackage",
    "get",
    "milestone",
    "read_jsonstat",
    "read_jsonstat_collection",
    "revisions",
    "ssb_search",
    "ssb_table",
    "sync",
    "timeline",
    "versions",
    "write_jsonstat",
]

MODULES = sorted(info.name for info in pkgutil.walk_packages(navdata.__path__, prefix="navdata."))


def test_the_exported_names_are_pinned() -> None:
    assert navdata.__all__ == EXPORTED


def test_every_public_name_at_the_top_level_is_exported() -> None:
    # what `import navdata` offers is __all__, plus the subpackages themselves; most names are
    # imported on first use (module __getattr__), so dir() is what lists them, not vars()
    public = {
        name
        for name in dir(navdata)
        if not name.startswith("_") and not isinstance(getattr(navdata, name), types.ModuleType)
    }
    assert public | {"__version__"} == set(navdata.__all__)
    assert all(getattr(navdata, name) is not None for name in navdata.__all__)


def test_a_submodule_import_does_not_hide_the_function_named_like_it() -> None:
    import navdata.sync  # noqa: PLC0415 - the import under test

    assert callable(navdata.sync)
    assert navdata.sync is navdata.sync.__globals__["sync"]
    assert navdata.sync.__module__ == "navdata"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'gett'"):
        navdata.gett  # type: ignore[attr-defined]  # noqa: B018


def test_the_types_users_hold_are_exported() -> None:
    hints = {
        navdata.get: navdata.Result | navdata.ResultSet,
        navdata.describe: navdata.Description,
        navdata.around: navdata.EventWindow,
        navdata.milestone: navdata.Milestone,
        navdata.sync: navdata.SyncReport,
        navdata.Result.plot: navdata.Chart,
        navdata.read_jsonstat: navdata.Dataset,
        navdata.ssb_table: navdata.TableResult,
        navdata.ResultSet.__getitem__: navdata.Result,
    }
    for function, returned in hints.items():
        assert typing.get_type_hints(function)["return"] == returned, function


def test_get_is_typed_by_what_it_is_given() -> None:
    # mypy checks the assert_type calls (the overloads); running them checks the objects
    one = typing.assert_type(navdata.get("keyfig.uforetrygd_share"), navdata.Result)
    several = typing.assert_type(
        navdata.get(["keyfig.uforetrygd_share", "keyfig.nav_user_trust"]), navdata.ResultSet
    )
    assert isinstance(one, navdata.Result)
    assert isinstance(several, navdata.ResultSet)


@pytest.mark.parametrize("name", MODULES)
def test_every_module_declares_all_of_its_public_names(name: str) -> None:
    module = importlib.import_module(name)
    declared = getattr(module, "__all__", None)
    assert isinstance(declared, list), f"{name} declares no __all__"
    missing = [item for item in declared if not hasattr(module, item)]
    assert not missing, f"{name}.__all__ names what it does not hold: {missing}"
    defined_here = {
        item
        for item, value in vars(module).items()
        if not item.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == name
    }
    assert defined_here <= set(declared), f"{name} leaves out {defined_here - set(declared)}"


@pytest.mark.parametrize("package", [navdata, http, charts, series_catalog])
def test_public_functions_present_themselves_under_the_path_users_type(
    package: types.ModuleType,
) -> None:
    functions = [
        getattr(package, item)
        for item in package.__all__
        if callable(getattr(package, item)) and not inspect.isclass(getattr(package, item))
    ]
    assert functions
    for function in functions:
        assert function.__module__ == package.__name__, function


def test_navdata_get_says_it_is_navdata_get() -> None:
    assert navdata.get.__module__ == "navdata"
    assert f"{navdata.get.__module__}.{navdata.get.__qualname__}" == "navdata.get"
    assert http.HttpClient.__module__ == "navdata.http._client"  # classes keep their home
    assert charts.plot.__module__ == "navdata.charts"


_TREE_LINE = re.compile(
    r"^    (?P<indent>(?:[│ ]   )*)(?:[├└]── )?(?P<name>\w+Error)(?: \[(?P<builtin>\w+)\])?"
)


def test_the_error_tree_in_errors_docstring_is_the_class_hierarchy() -> None:
    assert errors.__doc__ is not None
    parents: list[str] = []
    drawn: dict[str, tuple[str | None, str | None]] = {}
    for line in errors.__doc__.splitlines():
        match = _TREE_LINE.match(line)
        if match is None:
            continue
        depth = len(match["indent"]) // 4 + (0 if match["name"] == "NavdataError" else 1)
        parents[depth:] = [match["name"]]
        drawn[match["name"]] = (parents[depth - 1] if depth else None, match["builtin"])
    classes = {
        name: value
        for name, value in vars(errors).items()
        if inspect.isclass(value) and issubclass(value, errors.NavdataError)
    }
    assert set(drawn) == set(classes)
    for name, (parent, builtin) in drawn.items():
        bases = classes[name].__bases__
        navdata_bases = [b.__name__ for b in bases if issubclass(b, errors.NavdataError)]
        builtin_bases = [b.__name__ for b in bases if not issubclass(b, errors.NavdataError)]
        if parent is None:
            assert bases == (Exception,)
        else:
            assert navdata_bases == [parent], name
            assert builtin_bases == ([builtin] if builtin else []), name


def _positional(function: object) -> list[str]:
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [
        p.name
        for p in inspect.signature(function).parameters.values()  # type: ignore[arg-type]
        if p.kind in kinds and p.name != "self"
    ]


# Identifiers and the natural range stay positional; every option is keyword-only (issue 11).
POSITIONAL = [
    (navdata.get, ["series_id", "start", "end"]),
    (navdata.catalog, []),
    (navdata.describe, ["series_id"]),
    (navdata.around, ["series", "milestone_id", "before", "after"]),
    (navdata.timeline, ["start", "end"]),
    (navdata.milestone, ["milestone_id"]),
    (navdata.sync, ["ids"]),
    (navdata.export_datapackage, ["ids", "folder"]),
    (navdata.read_jsonstat, ["data"]),
    (navdata.read_jsonstat_collection, ["data"]),
    (navdata.write_jsonstat, ["dataset"]),
    (navdata.Result, ["frame", "meta", "series"]),
    (navdata.ResultSet, ["results"]),
    (navdata.TableResult, ["frame", "meta"]),
    (navdata.ssb_table, ["table_id"]),
    (navdata.ssb_search, ["query"]),
    (navdata.Result.plot, []),
    (charts.plot, ["data"]),
    (navdata.Chart.png, []),
    (navdata.Chart.save, ["path"]),
    (navdata.Store, ["location"]),
    (navdata.versions, ["series_id"]),
    (navdata.revisions, ["series_id", "old", "new"]),
    (navdata.Store.read, ["series", "start", "end"]),
    (navdata.Store.query, ["series", "start", "end"]),
    (navdata.Store.write, ["series_id", "dataset"]),
    (series_catalog.catalog, []),
    (http.HttpClient, []),
    (http.HttpClient.get, ["url"]),
    (http.HttpClient.post, ["url"]),
    (http.HttpClient.full_url, ["url"]),
    (SSBClient, ["base_url"]),
    (SSBClient.tables, ["query"]),
    (SSBClient.table, ["table_id"]),
    (SSBClient.metadata, ["table_id"]),
    (SSBClient.codelist, ["codelist_id"]),
    (SSBClient.plan, ["table_id", "selection"]),
    (SSBClient.data, ["table_id", "selection"]),
    (NavClient, ["base_url"]),
    (NavClient.table, ["code"]),
    (KlassClient, ["base_url"]),
    (harmonise, ["frame"]),
    (with_dates, ["frame"]),
]


@pytest.mark.parametrize(
    ("function", "names"), POSITIONAL, ids=lambda v: getattr(v, "__qualname__", "")
)
def test_options_are_keyword_only(function: object, names: list[str]) -> None:
    assert _positional(function) == names


def test_get_refuses_a_region_passed_by_position() -> None:
    with pytest.raises(TypeError, match="positional"):
        navdata.get("keyfig.uforetrygd_share", None, None, "fylke")  # type: ignore[call-overload]


# The reference documents these with numpy-style sections (mkdocs.yml: docstring_style numpy).
DOCUMENTED = [
    navdata.get,
    navdata.catalog,
    navdata.describe,
    navdata.around,
    navdata.timeline,
    navdata.milestone,
    navdata.sync,
    navdata.export_datapackage,
    navdata.read_jsonstat,
    navdata.read_jsonstat_collection,
    navdata.write_jsonstat,
    charts.plot,
    navdata.Result.plot,
    navdata.Result.to_pandas,
    navdata.Result.write_csv,
    navdata.Result.write_parquet,
    navdata.Result.wide,
    navdata.ResultSet.wide,
    navdata.TableResult.wide,
    navdata.ssb_table,
    navdata.ssb_search,
    navdata.Chart.svg,
    navdata.Chart.png,
    navdata.Chart.save,
    navdata.Store.entry,
    navdata.Store.versions,
    navdata.Store.read,
    navdata.Store.write,
    navdata.Store.remove,
    navdata.versions,
    navdata.revisions,
]


def _section(doc: str, title: str) -> list[str] | None:
    """The entry names of a numpy-style section: its unindented lines, up to the next title."""
    lines = [*inspect.cleandoc(doc).splitlines(), ""]
    titles = [i for i in range(len(lines) - 1) if lines[i] and set(lines[i + 1]) == {"-"}]
    for number, at in enumerate(titles):
        if lines[at] == title:
            stop = titles[number + 1] if number + 1 < len(titles) else len(lines)
            body = lines[at + 2 : stop]
            return [line for line in body if line and not line.startswith(" ")]
    return None


@pytest.mark.parametrize("function", DOCUMENTED, ids=lambda f: f.__qualname__)
def test_public_docstrings_have_parameters_returns_and_raises(function: object) -> None:
    doc = inspect.getdoc(function) or ""
    signature = inspect.signature(function)  # type: ignore[arg-type]
    expected = [
        ("**" if p.kind is inspect.Parameter.VAR_KEYWORD else "") + p.name
        for p in signature.parameters.values()
        if p.name != "self"
    ]
    listed = _section(doc, "Parameters")
    if expected:
        assert listed == expected
    if signature.return_annotation not in ("None", None):
        assert _section(doc, "Returns"), "no Returns section"
    assert ":param" not in doc
    assert "Args:" not in doc
