"""The two languages navdata writes texts in, and the one check of a ``lang`` argument."""

from __future__ import annotations

from typing import Final, Literal

from navdata.errors import InvalidArgumentError

__all__ = ["LANGUAGES", "Language", "check_language"]

#: Norwegian bokmål and English, in that order (bokmål is the default everywhere).
LANGUAGES: Final = ("nb", "en")

Language = Literal["nb", "en"]


def check_language(lang: str) -> Language:
    """``lang`` as a :data:`Language`, or an error that names the two choices."""
    if lang == "nb":
        return "nb"
    if lang == "en":
        return "en"
    msg = f"lang must be 'nb' (Norwegian bokmål) or 'en' (English), not {lang!r}"
    raise InvalidArgumentError(msg)
