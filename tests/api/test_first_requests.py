"""A fresh server survives a burst of concurrent first requests (issue 16: it crashed, rc -11).

The crash: many worker threads loaded the catalogue at once, and msgspec 0.22 on CPython 3.11
can segfault when threads make the first conversion to one Struct type at the same moment. The
service now loads every shared structure at start-up, and the library's loads run once under a
lock. Each test here runs fresh interpreters, since only the first conversion in a process can
crash; the loops are long enough to fail on the old code (it crashed about one run in five).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from .service_process import running_service

BURST = 80
FRESH_SERVERS = 12


def test_a_fresh_server_survives_a_burst_of_first_chart_requests(tmp_path: Path) -> None:
    chart = "/v1/series/keyfig.aku_unemployment_rate_annual/chart.svg"
    for attempt in range(FRESH_SERVERS):
        with running_service(tmp_path) as service:
            limits = httpx.Limits(max_connections=BURST, max_keepalive_connections=BURST)
            with httpx.Client(base_url=service.url, limits=limits, timeout=60) as client:

                def first_request(index: int, client: httpx.Client = client) -> int:
                    # an unknown milestone: the series is looked up (in a worker thread, as
                    # every chart request is), then a quick 400 instead of drawing 80 charts
                    return client.get(chart, params={"milestones": f"nope-{index}"}).status_code

                with ThreadPoolExecutor(BURST) as pool:
                    statuses = list(pool.map(first_request, range(BURST)))
            assert statuses == [400] * BURST, f"attempt {attempt}"
            assert service.process.poll() is None, f"attempt {attempt}: the server died"


_THREADS_ON_FIRST_CONVERSION = """
import sys, threading
from navdata.once import warm_struct_types
from navdata.series_catalog import catalog_path, parse_catalog

data = catalog_path().read_bytes()
assert warm_struct_types("navdata") >= 14  # the catalogue's and the dataset's types
barrier = threading.Barrier(16)

def parse() -> None:
    barrier.wait()
    parse_catalog(data)

threads = [threading.Thread(target=parse) for _ in range(16)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("ok")
"""


def test_warmed_struct_types_survive_16_threads_converting_at_once() -> None:
    # Without the warm-up line this crashed about 1 process in 7 (reduced reproducer: 16
    # threads making the first msgspec.convert of a nested Struct tree; msgspec 0.22.0).
    for attempt in range(15):
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(_THREADS_ON_FIRST_CONVERSION)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert (done.returncode, done.stdout.strip()) == (0, "ok"), (attempt, done.stderr)


_LOADED_AT_START_UP = """
from pathlib import Path
import sys
from litestar.testing import TestClient
from navdata import key_figures, milestones, series_catalog
from navdata_api.app import create_app
from navdata_api.local_data import LocalData
from navdata_api.settings import Settings

loads = [
    series_catalog.load_catalog,
    series_catalog.load_bundled,
    milestones.load_milestones,
    key_figures.key_figure_series,
]
app = create_app(Settings(store_dir=Path(sys.argv[1]), access_log=False))
local_data = app.dependencies["local_data"].dependency()
assert isinstance(local_data, LocalData)
kept = ["all_series", "catalogue_hash", "bundled_hash", "timeline_hash"]
before = [name in vars(local_data) for name in kept]
with TestClient(app) as client:  # runs the start-up hooks, sends nothing
    library = [load.loaded for load in loads]
    service = [name in vars(local_data) for name in kept]
print(before, library, service)
"""


def test_shared_structures_are_loaded_at_start_up_before_any_request(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_LOADED_AT_START_UP), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    before, library, service = done.stdout.strip().split("] [")
    assert "True" not in before  # building the app derives nothing yet ...
    assert library == "True, True, True, True"  # ... starting it loads everything
    assert service == "True, True, True, True]"
