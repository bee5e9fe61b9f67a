"""navdata._dependencies: every package navdata imports on demand goes through one helper."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

import pytest

import navdata
from navdata._dependencies import INSTALL_HINTS, import_optional, is_installed
from navdata.errors import MissingDependencyError, NavdataError

SRC = Path(navdata.__file__).resolve().parent


def test_a_missing_package_names_the_task_and_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` fail
    with pytest.raises(MissingDependencyError) as info:
        import_optional("matplotlib", needed_for="drawing a chart")
    assert str(info.value) == (
        'drawing a chart needs matplotlib, which is not installed; run: pip install "navdata[plot]"'
    )
    assert isinstance(info.value, NavdataError)
    assert isinstance(info.value, ImportError)


def test_a_submodule_is_imported_and_hinted_by_its_package(monkeypatch: pytest.MonkeyPatch) -> None:
    assert import_optional("matplotlib.dates", needed_for="charts").__name__ == "matplotlib.dates"
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(
        MissingDependencyError,
        match=r'to_pandas\(\) needs pandas.*pip install "navdata\[pandas\]"$',
    ):
        import_optional("pandas", needed_for="to_pandas()")


def test_is_installed_does_not_import(monkeypatch: pytest.MonkeyPatch) -> None:
    assert is_installed("polars")
    assert not is_installed("navdata_no_such_package")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    assert not is_installed("pyarrow")


def test_to_pandas_without_pandas_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    result = navdata.get("keyfig.uforetrygd_share")
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependencyError, match=r'run: pip install "navdata\[pandas\]"'):
        result.to_pandas()


def test_to_pandas_without_pyarrow_builds_the_frame_column_by_column(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = navdata.get("keyfig.uforetrygd_share")
    with_pyarrow = result.to_pandas()
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    without = result.to_pandas()
    assert list(without.columns) == list(with_pyarrow.columns)
    assert list(without["value"]) == list(with_pyarrow["value"]) == result.frame["value"].to_list()
    assert str(without["date"].iloc[0].date()) == "2010-01-01"
    assert without["date"].dtype.kind == "M"  # dates stay dates


def _caught_import_errors(tree: ast.AST) -> list[int]:
    names = {"ImportError", "ModuleNotFoundError"}
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            caught = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            if any(isinstance(c, ast.Name) and c.id in names for c in caught):
                lines.append(node.lineno)
    return lines


def test_no_module_handles_a_missing_package_on_its_own() -> None:
    found = {
        str(path.relative_to(SRC)): lines
        for path in SRC.rglob("*.py")
        if path.name != "_dependencies.py"
        and (lines := _caught_import_errors(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}


def test_packages_imported_inside_functions_have_an_install_hint() -> None:
    # a late import is either one of navdata's own modules, the standard library, or a package
    # the helper knows how to install (charts import matplotlib after plot() checked it)
    late: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import):
                        late |= {alias.name.partition(".")[0] for alias in inner.names}
                    elif isinstance(inner, ast.ImportFrom) and inner.module and not inner.level:
                        late.add(inner.module.partition(".")[0])
    third_party = {name for name in late if name not in sys.stdlib_module_names} - {"navdata"}
    assert third_party <= set(INSTALL_HINTS), third_party - set(INSTALL_HINTS)


def test_the_pandas_extra_brings_what_to_pandas_uses() -> None:
    pyproject = tomllib.loads((SRC.parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    extra = pyproject["project"]["optional-dependencies"]["pandas"]
    assert sorted(re.split(r"[<>=~ ]", item)[0] for item in extra) == ["pandas", "pyarrow"]
    assert INSTALL_HINTS["pandas"] == INSTALL_HINTS["pyarrow"] == 'pip install "navdata[pandas]"'
