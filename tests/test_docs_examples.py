"""Every code example in docs/ runs, offline, and prints what the page says it prints.

Per page, in order, in one fresh namespace:

- ```python blocks are executed; when a ```text block follows directly, it must equal what the
  Python block printed (so documented numbers are the real bundled ones);
- ```console / ```sh / ```bash blocks whose commands start with ``navdata `` or ``curl `` are run
  (``navdata`` as ``python -m navdata``; ``curl`` against the service started here on
  127.0.0.1, the documented ``http://localhost:8000`` rewritten to it); in a console block,
  ``$ `` marks a command and every other non-empty line must appear in its output;
- a block right after ``<!-- docs-test: skip REASON -->`` is not run (the reason is required).

The environment is offline (``NAVDATA_OFFLINE=1``) with the store and cache in temporary
folders; the service's store holds SYNTHETIC series (tests/api/conftest.py), so API examples
never depend on the network or on invented numbers shown in the docs.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from api.conftest import synthetic_aku, synthetic_helt_ledige
from fakes.server import serve
from navdata.store import Store
from navdata_api.app import create_app
from navdata_api.settings import Settings

DOCS = Path(__file__).resolve().parent.parent / "docs"
DOCUMENTED_BASE = "http://localhost:8000"
FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
SKIP = re.compile(r"<!--\s*docs-test:\s*skip\b\s*(?P<reason>.*?)\s*-->\s*$")
SHELLS = frozenset({"console", "sh", "bash", "shell"})
RUNNABLE = ("navdata ", "curl ")


@dataclass(frozen=True)
class Block:
    """One fenced block of a page."""

    language: str
    body: str
    line: int
    skip: str | None
    follows_previous: bool  # only blank lines between this block and the one before


def blocks(text: str) -> list[Block]:
    """The fenced blocks of a Markdown page, with their skip marks."""
    found: list[Block] = []
    previous_end = -1
    for match in FENCE.finditer(text):
        before = text[: match.start()].rstrip("\n").splitlines()
        mark = SKIP.search(before[-1]) if before else None
        if mark is not None and not mark.group("reason"):
            pytest.fail(f"docs-test skip without a reason at line {len(before) + 1}")
        between = text[previous_end : match.start()] if previous_end >= 0 else "x"
        found.append(
            Block(
                language=match.group("info").strip().split(" ")[0].lower(),
                body=match.group("body"),
                line=text.count("\n", 0, match.start()) + 1,
                skip=mark.group("reason") if mark else None,
                follows_previous=not between.strip(),
            )
        )
        previous_end = match.end()
    return found


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API on 127.0.0.1 over a store of SYNTHETIC series."""
    store_dir = tmp_path_factory.mktemp("docs-service-store")
    store = Store(store_dir)
    store.write("nav.helt_ledige", synthetic_helt_ledige())
    store.write("ssb.aku.unemployment_rate", synthetic_aku())
    settings = Settings(store_dir=store_dir, access_log=False, rate_limit=0)
    with serve(create_app(settings)) as base:
        yield base


@pytest.fixture
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Offline environment with an empty store and cache; runs in a temporary folder."""
    values = {
        "NAVDATA_OFFLINE": "1",
        "NAVDATA_STORE_DIR": str(tmp_path / "store"),
        "NAVDATA_CACHE_DIR": str(tmp_path / "cache"),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return {**os.environ, **values}


def commands(block: Block) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) of a shell block."""
    if block.language != "console":
        lines = [ln for ln in block.body.splitlines() if ln.strip() and not ln.startswith("#")]
        return [(ln, []) for ln in lines]
    found: list[tuple[str, list[str]]] = []
    for line in block.body.splitlines():
        if line.startswith("$ "):
            found.append((line[2:].strip(), []))
        elif line.strip() and found:
            found[-1][1].append(line.strip())
    return found


def run_shell(block: Block, page: str, base: str, env: dict[str, str]) -> None:
    steps = commands(block)
    runnable = [cmd.startswith(RUNNABLE) for cmd, _ in steps]
    if not any(runnable):
        return  # e.g. installation commands: shown, not run
    assert all(runnable), f"{page}:{block.line}: mixes runnable and other commands; split it"
    for command, expected in steps:
        argv = shlex.split(command.replace(DOCUMENTED_BASE, base))
        if argv[0] == "navdata":
            argv = [sys.executable, "-m", "navdata", *argv[1:]]
        elif shutil.which("curl") is None:
            pytest.skip("curl is not installed")
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=60, env=env, check=False
        )
        where = f"{page}:{block.line}: `{command}`"
        assert done.returncode == 0, f"{where} exited {done.returncode}: {done.stderr[-1000:]}"
        for line in expected:
            if line != "...":
                assert line in done.stdout, f"{where}: {line!r} not in output:\n{done.stdout}"


def run_python(block: Block, page: str, base: str, namespace: dict[str, object]) -> str:
    source = block.body.replace(DOCUMENTED_BASE, base)
    printed = io.StringIO()
    code = compile(source, f"{page}:{block.line}", "exec")
    with contextlib.redirect_stdout(printed):
        exec(code, namespace)
    return printed.getvalue()


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_examples(page: Path, service: str, offline: dict[str, str]) -> None:
    name = page.relative_to(DOCS).as_posix()
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    last_output: str | None = None
    for block in blocks(page.read_text(encoding="utf-8")):
        if block.skip is not None:
            last_output = None
            continue
        if block.language == "python":
            last_output = run_python(block, name, service, namespace)
            continue
        if block.language == "text" and block.follows_previous and last_output is not None:
            expected = block.body.rstrip()
            assert last_output.rstrip() == expected, f"{name}:{block.line}: output differs"
        elif block.language in SHELLS:
            run_shell(block, name, service, offline)
        last_output = None


def test_every_page_has_examples_or_is_reference() -> None:
    """A page with no runnable example is either generated or the API reference."""
    for page in pages():
        text = page.read_text(encoding="utf-8")
        generated = "<!-- navdata:" in text or ":::" in text
        assert generated or any(b.skip is None for b in blocks(text)), page.name


def test_block_parser_and_skip_marks() -> None:
    text = (
        "intro\n\n```python\nprint(1)\n```\n\n```text\n1\n```\n\n"
        "<!-- docs-test: skip needs the network -->\n```console\n$ navdata sync x\n```\n"
    )
    found = blocks(text)
    assert [(b.language, b.skip, b.follows_previous) for b in found] == [
        ("python", None, False),
        ("text", None, True),
        ("console", "needs the network", False),
    ]
    assert commands(found[2]) == [("navdata sync x", [])]
