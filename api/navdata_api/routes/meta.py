"""``GET /health`` (the process answers) and ``GET /ready`` (the store can be read)."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency

from navdata import __version__
from navdata_api.local_data import LocalData
from navdata_api.problems import hide_locations, problem_specs
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
        "Answers 200 when the store can be read (a store not created yet is empty: the "
        "bundled series are still served), 503 (problem+json) when it cannot. `status` is "
        "`degraded` while `damaged` lists series whose data file could not be read (they answer "
        "503; `navdata sync ID` replaces them). The instance stays in rotation then: every "
        "instance reads the same store, so taking them out would not serve the other series."
    ),
    responses=problem_specs([503]),
    tags=["health"],
    sync_to_thread=False,
)
def ready(local_data: NamedDependency[LocalData]) -> Response[Readiness]:
    """Reads the store, so a broken volume shows before traffic is sent."""
    count = local_data.check_ready()
    damaged = {i: hide_locations(reason) for i, reason in local_data.damaged().items()}
    return Response(
        Readiness(
            status="degraded" if damaged else "ready",
            store=local_data.store_kind,  # never its location (public probes)
            series=count,
            bundled=sum(s.source == "bundled" for s in local_data.all_series),
            damaged=damaged,
        ),
        headers=_NO_STORE,
    )
