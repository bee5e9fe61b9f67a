"""The catalogue's schema: vocabularies and the msgspec Structs a catalogue file decodes into."""

from __future__ import annotations

from typing import Literal, get_args

import msgspec

from navdata.dataset import Break, Precision

__all__ = [
    "FREQUENCIES",
    "GEOGRAPHIES",
    "SOURCES",
    "TOPICS",
    "Break",
    "BundledRecipe",
    "Catalog",
    "Frequency",
    "Geography",
    "NavMeasure",
    "NavRecipe",
    "Precision",
    "Recipe",
    "Series",
    "SeriesUnit",
    "SsbRecipe",
    "Text",
    "Topic",
]

Topic = Literal[
    "unemployment",
    "employment",
    "work_assessment",
    "disability",
    "sickness_absence",
    "social_assistance",
    "population",
    "user_survey",
]
Frequency = Literal["year", "quarter", "month"]
Geography = Literal["landet", "fylke", "kommune", "bydel"]
NavMeasure = Literal["count", "share"]

TOPICS: tuple[str, ...] = get_args(Topic)
FREQUENCIES: tuple[str, ...] = get_args(Frequency)
GEOGRAPHIES: tuple[str, ...] = get_args(Geography)
#: Who a series comes from: fetched from SSB or NAV, or bundled with the package.
SOURCES: tuple[str, ...] = ("ssb", "nav", "bundled")


class Text(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A text in Norwegian Bokmål (``nb``) and English (``en``)."""

    nb: str
    en: str

    def in_lang(self, lang: str) -> str:
        """The text in ``lang`` (``nb``/``no`` or ``en``)."""
        return self.en if lang == "en" else self.nb


class SeriesUnit(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """Unit of a series in both languages, with the published number of decimals when known."""

    nb: str
    en: str
    decimals: int | None = None

    def in_lang(self, lang: str) -> str:
        """The unit in ``lang`` (``nb``/``no`` or ``en``), as :meth:`Text.in_lang` picks."""
        return self.en if lang == "en" else self.nb


class SsbRecipe(
    msgspec.Struct,
    frozen=True,
    forbid_unknown_fields=True,
    omit_defaults=True,
    tag_field="source",
    tag="ssb",
):
    """How to fetch a series from SSB's PxWebApi v2."""

    table: str
    selection: dict[str, list[str]]
    codelists: dict[str, str] = msgspec.field(default_factory=dict)
    measure: str | None = None


class NavRecipe(
    msgspec.Struct,
    frozen=True,
    forbid_unknown_fields=True,
    omit_defaults=True,
    tag_field="source",
    tag="nav",
):
    """How to fetch a series from a NAV statistics workbook."""

    table: str
    measure: NavMeasure


class BundledRecipe(
    msgspec.Struct,
    frozen=True,
    forbid_unknown_fields=True,
    omit_defaults=True,
    tag_field="source",
    tag="bundled",
):
    """A series shipped with the package: ``table`` is its id in ``datasets/<dataset>/``."""

    table: str
    dataset: Literal["key_figures"] = "key_figures"
    measure: None = None


Recipe = SsbRecipe | NavRecipe | BundledRecipe


class Series(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """One named series: what it is, where it comes from and how it is fetched.

    ``dimension_map`` (navdata name -> source code) is derived from the recipe when the catalogue
    is loaded; it is not written in the catalogue file.
    """

    id: str
    topic: Topic
    frequency: Frequency
    geography: list[Geography]
    title: Text
    description: Text
    unit: SeriesUnit
    publisher: str
    licence: str
    licence_url: str
    source_url: str
    recipe: Recipe
    notes: list[Text] = msgspec.field(default_factory=list)
    breaks: list[Break] = msgspec.field(default_factory=list)
    dimension_map: dict[str, str] = msgspec.field(default_factory=dict)

    @property
    def source(self) -> Literal["ssb", "nav", "bundled"]:
        """``ssb`` or ``nav`` (fetched from that publisher) or ``bundled`` (shipped, offline)."""
        if isinstance(self.recipe, SsbRecipe):
            return "ssb"
        return "nav" if isinstance(self.recipe, NavRecipe) else "bundled"

    @property
    def table(self) -> str:
        """The publisher's table id or workbook code."""
        return self.recipe.table


class Catalog(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The whole catalogue file."""

    schema_version: int
    series: list[Series]

    def get(self, series_id: str) -> Series | None:
        """The series with this id, or ``None``."""
        return next((s for s in self.series if s.id == series_id), None)

    @property
    def ids(self) -> list[str]:
        """Series ids in catalogue order."""
        return [s.id for s in self.series]
