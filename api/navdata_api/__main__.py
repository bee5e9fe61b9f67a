"""``python -m navdata_api``: the same as the ``navdata-api`` command."""

from __future__ import annotations

from navdata_api.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
