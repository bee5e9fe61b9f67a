"""navdata.language: the one check of a ``lang`` argument (charts, milestones, get, the service)
and the one mapping to SSB's vocabulary."""

from __future__ import annotations

import pytest

from navdata.errors import InvalidArgumentError
from navdata.language import LANGUAGES, SSB_LANGUAGES, check_language, ssb_language
from navdata.sources.ssb import SSB_LANGUAGES as SSB_CLIENT_LANGUAGES


def test_the_two_languages_pass_as_they_are() -> None:
    assert [check_language(lang) for lang in LANGUAGES] == ["nb", "en"]


@pytest.mark.parametrize("lang", ["no", "NB", "en-GB", ""])
def test_anything_else_is_refused_with_both_choices_named(lang: str) -> None:
    expected = f"lang must be 'nb' (Norwegian bokmål) or 'en' (English), not {lang!r}"
    with pytest.raises(InvalidArgumentError) as caught:
        check_language(lang)
    assert str(caught.value) == expected


def test_ssb_spells_bokmal_no_and_the_mapping_runs_both_ways() -> None:
    assert [ssb_language(lang) for lang in LANGUAGES] == ["no", "en"]
    assert list(SSB_LANGUAGES) == ["no", "en"]
    assert SSB_CLIENT_LANGUAGES is SSB_LANGUAGES  # the client checks SSB's own vocabulary
    assert [check_language(code, ssb_codes=True) for code in SSB_LANGUAGES] == ["nb", "en"]
    assert [check_language(lang, ssb_codes=True) for lang in LANGUAGES] == ["nb", "en"]


@pytest.mark.parametrize("lang", ["NO", "nn", "de", ""])
def test_ssb_codes_widen_the_check_by_no_only(lang: str) -> None:
    with pytest.raises(InvalidArgumentError, match="lang must be 'nb'"):
        check_language(lang, ssb_codes=True)
