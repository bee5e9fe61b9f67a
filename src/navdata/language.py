"""The two languages navdata writes texts in, and SSB's spelling of them.

navdata says ``nb`` (Norwegian bokmål) and ``en`` everywhere: the library, the catalogue, the
timeline, the service's ``lang`` parameter. SSB's PxWebApi says ``no`` for the same bokmål;
:data:`SsbLanguage` is that vocabulary, and :func:`ssb_language` the one mapping between them.
:func:`check_language` is the one check of a ``lang`` argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

from navdata.errors import InvalidArgumentError

__all__ = [
    "LANGUAGES",
    "SSB_LANGUAGES",
    "Language",
    "SsbLanguage",
    "check_language",
    "ssb_language",
]

Language = Literal["nb", "en"]
#: Norwegian bokmål and English, in that order (bokmål is the default everywhere).
LANGUAGES: Final[tuple[Language, ...]] = ("nb", "en")

SsbLanguage = Literal["no", "en"]
#: The same two languages as SSB's PxWebApi names them (its ``lang`` parameter).
SSB_LANGUAGES: Final[tuple[SsbLanguage, ...]] = ("no", "en")

_SSB_SPELLING: Final[Mapping[Language, SsbLanguage]] = {"nb": "no", "en": "en"}


def ssb_language(lang: Language) -> SsbLanguage:
    """How SSB's PxWebApi names ``lang`` (``nb`` -> ``no``)."""
    return _SSB_SPELLING[lang]


def check_language(lang: str, *, ssb_codes: bool = False) -> Language:
    """``lang`` as a :data:`Language`, or an error that names the two choices.

    ``ssb_codes`` also takes SSB's ``no`` for bokmål, for the calls where users paste SSB's
    vocabulary (``navdata.get``, ``navdata.catalog``).
    """
    if lang == "nb":
        return "nb"
    if lang == "en":
        return "en"
    if ssb_codes:
        for ours, theirs in _SSB_SPELLING.items():
            if lang == theirs:
                return ours
    msg = f"lang must be 'nb' (Norwegian bokmål) or 'en' (English), not {lang!r}"
    raise InvalidArgumentError(msg)
