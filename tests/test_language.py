"""navdata._language: the one check of a ``lang`` argument (charts, milestones, get)."""

from __future__ import annotations

import pytest

from navdata._language import LANGUAGES, check_language
from navdata.errors import InvalidArgumentError


def test_the_two_languages_pass_as_they_are() -> None:
    assert [check_language(lang) for lang in LANGUAGES] == ["nb", "en"]


@pytest.mark.parametrize("lang", ["no", "NB", "en-GB", ""])
def test_anything_else_is_refused_with_both_choices_named(lang: str) -> None:
    expected = f"lang must be 'nb' (Norwegian bokmål) or 'en' (English), not {lang!r}"
    with pytest.raises(InvalidArgumentError) as caught:
        check_language(lang)
    assert str(caught.value) == expected
