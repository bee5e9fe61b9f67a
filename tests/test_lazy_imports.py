"""``import navdata`` and the ``navdata`` command import only what they use, so they answer fast.

Each check runs a fresh interpreter and lists which of the slow imports it loaded (httpx with
rich and click for its own CLI about 0.25 s, polars about 0.35 s, importlib.metadata 0.1 s).
benchmarks/cli_startup.py times the result against ``import polars``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import navdata

SLOW = ["httpx", "polars", "msgspec", "importlib.metadata", "litestar", "fastexcel", "pyarrow"]

PROBE = """
import atexit, json, sys
atexit.register(lambda: sys.__stderr__.write(
    "LOADED " + json.dumps(sorted(m for m in {slow!r} if m in sys.modules)) + "\\n"))
{code}
"""


def loaded(code: str, tmp_path: Path) -> list[str]:
    env = {
        **os.environ,
        "NAVDATA_STORE_DIR": str(tmp_path / "store"),
        "NAVDATA_CACHE_DIR": str(tmp_path / "cache"),
        "NAVDATA_OFFLINE": "1",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.format(slow=[*SLOW, "navdata.access", "navdata.sync"], code=code),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    line = next(ln for ln in done.stderr.splitlines() if ln.startswith("LOADED "))
    found: list[str] = json.loads(line.removeprefix("LOADED "))
    return found


def test_import_navdata_imports_none_of_the_slow_packages(tmp_path: Path) -> None:
    assert loaded("import navdata", tmp_path) == []


def test_navdata_help_and_version_import_none_of_them(tmp_path: Path) -> None:
    run = "from navdata.cli import main; main([{arg!r}])"
    assert loaded(run.format(arg="--help"), tmp_path) == []
    assert loaded(run.format(arg="--version"), tmp_path) == ["importlib.metadata"]  # asked for


def test_navdata_list_needs_polars_but_nothing_that_fetches(tmp_path: Path) -> None:
    found = loaded("from navdata.cli import main; main(['list'])", tmp_path)
    assert "polars" in found
    assert not {"httpx", "litestar", "fastexcel", "navdata.access", "navdata.sync"} & set(found)


def test_a_name_is_imported_on_first_use_and_presented_under_navdata(tmp_path: Path) -> None:
    code = "import navdata\nnavdata.catalog\nassert navdata.catalog.__module__ == 'navdata'"
    found = loaded(code, tmp_path)
    assert "polars" in found
    assert "httpx" not in found  # the catalogue is not the fetching machinery
    assert navdata.__version__ == version("navdata")
