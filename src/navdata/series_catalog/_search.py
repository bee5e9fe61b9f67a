"""Search the catalogue: which series a few words mean, best match first.

One ranking for every door: ``navdata.catalog(search=...)``, ``navdata list --search`` and the
service's ``/v1/series?q=`` all call :func:`search`.

Matching is accent- and case-insensitive in both languages: text and query are folded alike
(:func:`fold`: lower case, ``æ`` -> ``ae``, ``ø`` -> ``o``, ``å`` -> ``a``, other accents dropped),
so "uføre", "UFØRE" and "ufore" all find *uføretrygd*, and the Norwegian letters still match
themselves. Every word of the query must match somewhere in a series (its id, title, topic,
unit, description or notes, in nb or en); a word matches a word of the text exactly, as its
start ("uføre" in "uføretrygd") or inside it ("ledige" in "arbeidsledige": Norwegian writes
compounds as one word). A match scores the field's weight times how well it matched, scaled
down the longer the field is than the same field's average (BM25's length normalisation). A
word counts its best field in full and a quarter of the others, summed over the query's words:
a word in the id or title counts more than one in a note ("befolkning" puts the population
series before those that divide by the population), a series whose text returns to the word
ranks above one that mentions it once, and the short title "Mottakere av uføretrygd" is a closer
match for "uføre" than a long one that also mentions it. Equal scores keep catalogue order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Final

from navdata.series_catalog._schema import Series

__all__ = ["FIELD_WEIGHTS", "fold", "search", "search_scores"]

# Folded before NFKD, which would leave ø and æ as they are (they are letters, not accented).
_LETTERS: Final = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ß": "ss"})
_WORD: Final = re.compile(r"[a-z0-9]+")

#: How much a match in each field counts (the id and title say what a series *is*).
FIELD_WEIGHTS: Final = {
    "id": 8.0,
    "title": 6.0,
    "topic": 4.0,
    "unit": 2.0,
    "description": 2.0,
    "notes": 1.0,
}
_EXACT, _PREFIX, _INSIDE = 1.0, 0.75, 0.5
#: What a word's matches in the other fields add to its best one: they break near-ties.
_OTHER_FIELDS: Final = 0.25
# BM25's length normalisation (Robertson and Zaragoza 2009) with its usual constants.
_K1, _B = 1.2, 0.75
#: Added when the whole query is the id, so ``nav.helt_ledige`` comes before its relatives.
_WHOLE_ID: Final = 100.0


def fold(text: str) -> str:
    """``text`` as search compares it: lower case, Norwegian letters spelt out, no accents."""
    lowered = text.casefold().translate(_LETTERS)
    return "".join(
        c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c)
    )


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _fields(series: Series) -> dict[str, list[str]]:
    """The words of each searchable field, both languages together."""
    return {
        "id": _words(series.id.replace("_", " ")),
        "title": _words(f"{series.title.nb} {series.title.en}"),
        "topic": _words(series.topic.replace("_", " ")),
        "unit": _words(f"{series.unit.nb} {series.unit.en}"),
        "description": _words(f"{series.description.nb} {series.description.en}"),
        "notes": _words(" ".join(f"{n.nb} {n.en}" for n in series.notes)),
    }


def _length_factor(length: int, average: float) -> float:
    """BM25's weight of one match in a field of ``length`` words (1 at the average length)."""
    return (_K1 + 1) / (1 + _K1 * (1 - _B + _B * length / average)) if average else 1.0


def _quality(term: str, words: set[str]) -> float:
    """How well ``term`` matches the best of ``words``: exactly, as a start, inside, or not."""
    if term in words:
        return _EXACT
    if len(term) < 2:  # a single letter or digit is a word of its own, never part of one
        return 0.0
    if any(w.startswith(term) for w in words):
        return _PREFIX
    if len(term) >= 3 and any(term in w for w in words):
        return _INSIDE
    return 0.0


def search_scores(query: str, series: Iterable[Series]) -> list[tuple[Series, float]]:
    """Each series that matches every word of ``query``, with its score, best first.

    Parameters
    ----------
    query
        Words in Norwegian or English (``"uføre"``, ``"disability"``, ``"AAP"``); case,
        accents and punctuation do not matter.
    series
        The series to search, in the order that breaks ties (usually the catalogue's).

    Returns
    -------
    list[tuple[Series, float]]
        The matching series and their scores, highest first. A query without a word (``""``)
        asks for nothing in particular: every series, in the given order, scores 0.
    """
    terms = list(dict.fromkeys(_words(query)))
    whole = fold(query.strip())
    items = list(series)
    if not terms:
        return [(item, 0.0) for item in items]
    texts = [_fields(item) for item in items]
    average = {
        name: sum(len(t[name]) for t in texts) / len(texts) if texts else 0.0
        for name in FIELD_WEIGHTS
    }
    scored: list[tuple[Series, float]] = []
    for item, fields in zip(items, texts, strict=True):
        total = _WHOLE_ID if whole == fold(item.id) else 0.0
        sets = {name: set(words) for name, words in fields.items()}
        for term in terms:
            points = [
                FIELD_WEIGHTS[name]
                * _quality(term, sets[name])
                * _length_factor(len(fields[name]), average[name])
                for name in FIELD_WEIGHTS
            ]
            best = max(points)
            if not best:
                break
            total += best + _OTHER_FIELDS * (sum(points) - best)
        else:
            scored.append((item, total))
    return sorted(scored, key=lambda pair: -pair[1])  # sorted() is stable: ties keep their order


def search(query: str, series: Iterable[Series]) -> list[Series]:
    """The series that match every word of ``query``, best match first (see the module doc).

    Parameters
    ----------
    query
        Words in Norwegian or English; case, accents and punctuation do not matter.
    series
        The series to search, in the order that breaks ties (usually the catalogue's).

    Returns
    -------
    list[Series]
        The matches, best first; every series when the query has no word.
    """
    return [item for item, _ in search_scores(query, series)]
