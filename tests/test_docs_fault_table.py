"""Every test docs/what-happens-when.md cites as proof exists, so the page cannot cite a ghost."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "what-happens-when.md"
CITED = re.compile(r"`((?:api/)?test_\w+\.py)::(test_\w+)(?:\[[^\]]*\])?`")


def cited_tests(text: str) -> list[tuple[str, str]]:
    """The ``file::name`` pairs a page cites, in order."""
    return CITED.findall(text)


def test_the_pattern_reads_the_pages_citations() -> None:
    sample = "| x | y | `test_a.py::test_b`, `api/test_c.py::test_d[csv]` |"
    assert cited_tests(sample) == [("test_a.py", "test_b"), ("api/test_c.py", "test_d")]


def test_every_test_the_fault_page_cites_exists() -> None:
    cited = cited_tests(PAGE.read_text(encoding="utf-8"))
    assert len(cited) >= 30, "the page should cite its proofs as `file.py::test_name`"
    missing = [
        f"{file}::{name}"
        for file, name in cited
        if not re.search(
            rf"^(?:async )?def {name}\(", (ROOT / "tests" / file).read_text(encoding="utf-8"), re.M
        )
    ]
    assert missing == []
