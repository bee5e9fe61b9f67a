"""Where the bundled ``datasets/`` folder lives, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["datasets_dir"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def datasets_dir() -> Path:
    """Return the folder of bundled datasets.

    A wheel carries them inside the package (``navdata/_datasets``); an editable install or a
    source checkout reads the repository's ``datasets/`` folder, so edits show up at once.
    """
    bundled = _PACKAGE_DIR / "_datasets"
    if bundled.is_dir():
        return bundled
    checkout = _PACKAGE_DIR.parent.parent / "datasets"
    if checkout.is_dir():
        return checkout
    msg = (
        f"navdata's bundled datasets are missing (looked in {bundled} and {checkout}); "
        "reinstall the package with `pip install --force-reinstall navdata`"
    )
    raise FileNotFoundError(msg)
