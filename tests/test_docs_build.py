"""``mkdocs build --strict`` passes (warnings are errors), offline, and the generated pages hold
the whole catalogue and timeline; the built site loads no script, stylesheet or font from
another host."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import navdata
from navdata import milestones as tl
from navdata.access import catalog

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL_ASSET = re.compile(
    r"""<(?:script|img)[^>]+src=["']https?://|<link[^>]+href=["']https?://[^"']+\.(?:css|js)"""
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None:
        pytest.skip('mkdocs and mkdocs-material are not installed (pip install "navdata[docs]")')
    out = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "NAVDATA_OFFLINE": "1",
        "NO_MKDOCS_2_WARNING": "1",
        "NAVDATA_STORE_DIR": str(out.parent / "docs-build-store"),
        "NAVDATA_CACHE_DIR": str(out.parent / "docs-build-cache"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def test_catalogue_page_lists_every_series(site: Path) -> None:
    html = (site / "catalogue" / "index.html").read_text(encoding="utf-8")
    ids = catalog().get_column("id").to_list()
    assert len(ids) > 20
    for series_id in ids:
        assert f"<code>{series_id}</code>" in html, series_id


def test_timeline_page_lists_every_milestone(site: Path) -> None:
    html = (site / "timeline" / "index.html").read_text(encoding="utf-8")
    for record in tl.load_milestones():
        assert f"<code>{record.id}</code>" in html, record.id


def test_api_reference_is_generated_from_docstrings(site: Path) -> None:
    html = (site / "reference" / "index.html").read_text(encoding="utf-8")
    assert "A catalogued series as a tidy frame with its metadata and provenance." in html
    assert "Draw <code>data</code> as a line chart" in html


def test_api_reference_shows_the_names_users_type(site: Path) -> None:
    html = (site / "reference" / "index.html").read_text(encoding="utf-8")
    headings = [
        " ".join(re.sub(r"<[^>]+>", "", text).split())
        for text in re.findall(
            r'<h2 id="navdata[^"]*" class="doc doc-heading">(.*?)</h2>', html, re.S
        )
    ]
    shown = {heading.split("(")[0].split()[0] for heading in headings}
    for name in navdata.__all__:
        if name != "__version__" and not name.endswith("Error"):
            assert f"navdata.{name}" in shown, name
    # the modules that define them stay out of sight
    assert not [
        h for h in headings if h.startswith(("navdata.access", "navdata.sync.", "navdata._"))
    ]
    assert "├── UpstreamError" in html  # the error tree drawn in navdata.errors


def test_api_reference_renders_parameter_sections_and_no_raw_roles(site: Path) -> None:
    html = (site / "reference" / "index.html").read_text(encoding="utf-8")
    get = html[html.index('id="navdata.get"') : html.index('id="navdata.Result"')]
    text = " ".join(re.sub(r"<[^>]+>", " ", get).split())
    for section in ("Parameters:", "Returns:", "Raises:"):
        assert section in text
    assert "region Codes | None A region code, a list of codes, or a level" in text
    # docs/griffe_roles.py: Sphinx roles in docstrings render as code, not as ":func: get"
    assert not re.search(r":(func|class|meth|mod|data|attr|exc):", html)


def test_site_loads_nothing_from_other_hosts(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 12
    for page in pages:
        found = EXTERNAL_ASSET.search(page.read_text(encoding="utf-8"))
        assert found is None, f"{page.relative_to(site)}: {found.group(0) if found else ''}"
    assert not (site / "hooks.py").exists()
