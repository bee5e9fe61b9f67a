"""``python -m navdata`` runs the ``navdata`` command."""

from __future__ import annotations

import sys

from navdata.cli import main

if __name__ == "__main__":
    sys.exit(main())
