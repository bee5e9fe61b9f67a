"""``GET /health`` (the process answers) and ``GET /ready`` (the store can be read)."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency

from navdata import __version__
from navdata_api.local_data import LocalData
from navdata_api.problems import problem_specs
from navdata_api.schemas import Health, Readiness

_NO_STORE = {"Cache-Control": "no-store"}


@get(
    "/health",
    summary="Liveness probe",
    description="Answers 200 while the process runs; it does not touch the store.",
    tags=["health"],
    sync_to_thread=False,
)
def health() -> Response[Health]:
    """Cheap enough for a load balancer to call every second."""
    return Response(Health(status="ok", version=__version__), headers=_NO_STORE)


@get(
    "/ready",
    summary="Readiness probe",
    description=(
        "Answers 200 when the local store can be read (a store not created yet is empty: the "
        "bundled series are still served), 503 (problem+json) when it cannot."
    ),
    responses=problem_specs([503]),
    tags=["health"],
    sync_to_thread=False,
)
def ready(local_data: NamedDependency[LocalData]) -> Response[Readiness]:
    """Reads the store's manifest, so a broken volume shows before traffic is sent."""
    count = local_data.check_ready()
    return Response(
        Readiness(
            status="ready",
            store="folder",  # the kind of store, never its location (public probes)
            series=count,
            bundled=sum(s.source == "bundled" for s in local_data.all_series),
        ),
        headers=_NO_STORE,
    )
