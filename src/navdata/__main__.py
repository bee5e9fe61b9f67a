"""``python -m navdata`` runs the ``navdata`` command."""

from __future__ import annotations

import sys

from navdata.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
