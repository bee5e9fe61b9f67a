"""The service's only door into the library: the store, the catalogue and the timeline."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from litestar import Request

from navdata.errors import StoreError
from navdata_api.settings import Settings


class DataAccess:
    """Reads the local store and the bundled datasets; never fetches anything upstream."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store_dir = settings.store_dir or Path("~/.local/share/navdata").expanduser()

    def check_ready(self) -> int:
        """Number of series in the store; raises ``StoreError`` when it cannot be read."""
        if not self.store_dir.is_dir() or not os.access(self.store_dir, os.R_OK | os.X_OK):
            msg = (
                f"the store folder {self.store_dir} is missing or unreadable; set NAVDATA_STORE_DIR"
            )
            raise StoreError(msg)
        return 0


def data_access(request: Request[Any, Any, Any]) -> DataAccess:
    """The app's ``DataAccess`` (built once by ``create_app``)."""
    data: DataAccess = request.app.state["data"]
    return data
