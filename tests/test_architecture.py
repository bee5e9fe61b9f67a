"""The rooms and the direction of imports (issue 11), read from the source so they stay true.

Each rule names one idea that lives in one place: the version, the environment, the language
type, the way a series is cut by period and codes; and which package may import which.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import navdata
import navdata_api
from navdata import http

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "src" / "navdata"
SERVICE = ROOT / "api" / "navdata_api"


def _modules(folder: Path) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(folder.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported(tree: ast.Module) -> Iterator[tuple[str, list[str]]]:
    """``(module, names)`` of every import in the file, wherever it stands."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            yield node.module, [alias.name for alias in node.names]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --- one version ---------------------------------------------------------------------------------


def test_only_one_module_asks_the_distribution_for_the_version() -> None:
    readers = [
        _name(path)
        for folder in (LIBRARY, SERVICE)
        for path, tree in _modules(folder)
        if any(module == "importlib.metadata" for module, _ in _imported(tree))
    ]
    assert readers == ["src/navdata/_version.py"]


def test_every_place_that_shows_the_version_shows_the_same_one() -> None:
    assert navdata_api.__version__ == navdata.__version__
    assert http.USER_AGENT.startswith(f"navdata/{navdata.__version__} ")


# --- configuration is read, never reads back ------------------------------------------------------


def test_config_imports_nothing_of_navdata_but_its_errors() -> None:
    tree = ast.parse((LIBRARY / "config.py").read_text(encoding="utf-8"))
    ours = sorted({m for m, _ in _imported(tree) if m.split(".")[0] == "navdata"})
    assert ours == ["navdata.errors"]


def _environment_reads(tree: ast.Module) -> Iterator[str]:
    """``NAVDATA_*`` names read with ``<mapping>.get("NAVDATA_...")`` or ``os.environ[...]``."""
    for node in ast.walk(tree):
        key: ast.expr | None = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in {"get", "getenv"}:
                key = node.args[0]
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            key = node.slice
        if (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and key.value.startswith("NAVDATA_")
        ):
            yield key.value


def test_the_environment_is_read_by_config_and_the_service_settings_only() -> None:
    readers = {
        _name(path): sorted(set(_environment_reads(tree)))
        for folder in (LIBRARY, SERVICE)
        for path, tree in _modules(folder)
    }
    readers = {path: names for path, names in readers.items() if names}
    assert sorted(readers) == ["api/navdata_api/settings.py", "src/navdata/config.py"]
    # the service reads only its own knobs; the store folder it asks the library for
    assert all(name.startswith("NAVDATA_API_") for name in readers["api/navdata_api/settings.py"])


# --- one language type ---------------------------------------------------------------------------


def _language_literals(tree: ast.Module) -> Iterator[str]:
    """``Literal[...]`` subscripts whose values are language codes (``nb``, ``no``, ``en``)."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Literal"
        ):
            parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            values = {p.value for p in parts if isinstance(p, ast.Constant)}
            if values & {"nb", "no"} and "en" in values:
                yield ast.unparse(node)


def test_the_language_types_are_spelt_once() -> None:
    spelt = {
        _name(path): sorted(_language_literals(tree))
        for folder in (LIBRARY, SERVICE)
        for path, tree in _modules(folder)
    }
    assert {path: found for path, found in spelt.items() if found} == {
        "src/navdata/language.py": ["Literal['nb', 'en']", "Literal['no', 'en']"]
    }


# --- one way to cut a series ---------------------------------------------------------------------


def test_only_navdata_cut_widens_a_period_range() -> None:
    """The store, get and the service's routes used to widen and compare dates each their way."""
    users = [
        _name(path)
        for folder in (LIBRARY, SERVICE)
        for path, tree in _modules(folder)
        if any("first_day_covering" in names for _, names in _imported(tree))
    ]
    assert users == ["src/navdata/cut.py"]


# --- the service ---------------------------------------------------------------------------------


def test_the_service_uses_no_private_module_of_the_library() -> None:
    private = {
        _name(path): sorted(
            module
            for module, _ in _imported(tree)
            if module.startswith("navdata.") and any(p.startswith("_") for p in module.split("."))
        )
        for path, tree in _modules(SERVICE)
    }
    assert {path: found for path, found in private.items() if found} == {}


def test_route_modules_take_no_private_names_from_each_other() -> None:
    borrowed = {
        _name(path): sorted(
            f"{module}.{name}"
            for module, names in _imported(tree)
            if module.startswith("navdata_api.routes.")
            for name in names
            if name.startswith("_")
        )
        for path, tree in _modules(SERVICE / "routes")
    }
    assert {path: found for path, found in borrowed.items() if found} == {}


def test_routes_get_their_data_by_injection_not_from_the_app_state() -> None:
    lookups = [
        f"{_name(path)}:{node.lineno}"
        for path, tree in _modules(SERVICE)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "state"
    ]
    assert lookups == []


def test_the_library_never_imports_the_service() -> None:
    found = [
        _name(path)
        for path, tree in _modules(LIBRARY)
        if any(module.split(".")[0] == "navdata_api" for module, _ in _imported(tree))
    ]
    assert found == []
