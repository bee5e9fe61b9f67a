"""Norwegian region codes across the 2018, 2020 and 2024 reforms; series harmonised to one vintage.

Codes: fylke (2 digits), kommune (4 digits, the first two are the fylke), bydel (6 digits, e.g.
``030101``; SSB's ``030101a`` form too), plus the special codes NAV and SSB publish: a national
total (``0``, ``00``, ``Landet`` ...) and "unknown" buckets (``99``, ``0X99`` "Uoppgitt kommune",
``Ukjent``). ``2100`` Svalbard belongs to no fylke: :func:`fylke_of` gives its first two digits
(``21``) as for any kommune, while NAV files it under its own fylke-level row ``99`` «Øvrige
områder» (:data:`NAV_OTHER_AREAS`, :func:`nav_fylke_of`), which navdata keeps as NAV publishes it.

Mapping works offline from the bundled, sourced table ``datasets/regions/changes.csv`` and can be
refreshed from SSB's KLASS (:func:`refresh_from_klass`). Changes are stored per hop, so chains
(0111 -> 3011 -> 3110) are followed, and splits (1507 -> 1508 + 1580) return every successor.

Choices, so that callers can rely on them:

* :func:`current_code` never guesses. A kommune code whose fylke did not exist at the target date
  must have a recorded change; if the table lacks it (the bundled table has only the kommune
  changes its sources name) a :class:`RegionError` says so and points to the KLASS refresh.
* :func:`harmonise` sums merged units (a null in a merged group makes the sum null: a partial sum
  would be a wrong number). It refuses to divide a split unit unless the caller says how: pass
  ``weights`` (shares per successor, e.g. population shares) or ``on_split="drop"``.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Final, Literal

import msgspec
import polars as pl

from navdata._resources import datasets_dir
from navdata.errors import RegionError
from navdata.once import load_once
from navdata.periods import parse_bound

if TYPE_CHECKING:
    from navdata.sources.klass import KlassClient

__all__ = [
    "NAV_OTHER_AREAS",
    "NAV_OTHER_AREAS_NAMES",
    "SVALBARD",
    "Change",
    "ChangeTable",
    "bundled_table",
    "current_code",
    "default_table",
    "fylke_of",
    "harmonise",
    "level_of",
    "levels",
    "nav_fylke_of",
    "refresh_from_klass",
    "set_default_table",
]

Level = Literal["country", "fylke", "kommune", "bydel", "unknown"]

COUNTRY_CODES: Final = frozenset({"0", "00", "Landet", "Hele landet", "Norge", "I alt"})
UNKNOWN_NAMES: Final = frozenset(
    {"99", "9999", "Ukjent", "Uoppgitt", "Øvrige områder og ukjent", "Bosatt i utlandet"}
)
SVALBARD: Final = "2100"
NAV_OTHER_AREAS: Final = "99"
"""NAV's code for «Øvrige områder» («Svalbard og øvrige områder» in some releases).

In NAV's workbooks the fylke sheet lists it beside the fylker with the code 99 (HL060, October
2022: «99 Øvrige områder», 30 helt ledige in January), and the kommune sheet gives it a block of
its own holding ``2100 Svalbard``, which belongs to no fylke. So it is a fylke-level row of NAV's
files but not a fylke: navdata keeps NAV's code and label, gives it the level ``unknown`` that
:func:`level_of` gives ``99`` (a bucket outside the fylke hierarchy, like «Ukjent»), and never
invents a fylke ``21`` for it. NAV's fylker, 99 and «Ukjent» add up to its national total.
"""
NAV_OTHER_AREAS_NAMES: Final = frozenset({"Øvrige områder", "Svalbard og øvrige områder"})
"""The labels NAV gives row 99, as block titles and in «I alt ...» rows."""
_FYLKE: Final = r"^\d{2}$"
_KOMMUNE: Final = r"^\d{4}$"
_UNKNOWN_KOMMUNE: Final = r"^\d{2}99$"
_BYDEL: Final = r"^\d{6}[a-z]?$"
_MAX_HOPS: Final = 64
_MAX_LISTED: Final = 10
_KLASS_IDS: Final = {"fylke": 104, "kommune": 131}


class Change(msgspec.Struct, frozen=True):
    """One hop: ``old_code`` became ``new_code`` on ``changed`` (per level, with names)."""

    level: str
    old_code: str
    new_code: str
    changed: date
    old_name: str = ""
    new_name: str = ""
    source: str = ""


class ChangeTable:
    """Changes indexed both ways, so chains can be walked forward (old->new) and backward."""

    def __init__(self, changes: Iterable[Change], *, origin: str) -> None:
        unique = {(c.level, c.old_code, c.new_code, c.changed): c for c in changes}
        self.changes: tuple[Change, ...] = tuple(
            sorted(unique.values(), key=lambda c: (c.changed, c.level, c.old_code, c.new_code))
        )
        self.origin = origin
        self._from: dict[str, list[Change]] = defaultdict(list)
        self._to: dict[str, list[Change]] = defaultdict(list)
        for change in self.changes:
            self._from[change.old_code].append(change)
            self._to[change.new_code].append(change)

    def __len__(self) -> int:
        return len(self.changes)

    def merged_with(self, other: ChangeTable) -> ChangeTable:
        """A table holding both; rows of ``other`` win when they describe the same hop."""
        return ChangeTable(
            (*self.changes, *other.changes), origin=f"{self.origin} + {other.origin}"
        )

    def ceased(self, code: str, at: date) -> list[Change]:
        """The hops out of ``code`` on or before ``at``."""
        return [c for c in self._from.get(code, ()) if c.changed <= at]

    def born_after(self, code: str, at: date) -> list[Change]:
        """The hops into ``code`` after ``at`` (the code did not exist yet at ``at``)."""
        return [c for c in self._to.get(code, ()) if c.changed > at]

    def valid_at(self, code: str, at: date) -> bool:
        """Whether ``code`` neither ceased by ``at`` nor was created after it (as far as known)."""
        return not self.ceased(code, at) and not self.born_after(code, at)


# --- levels --------------------------------------------------------------------------------------


def level_of(code: str) -> Level:
    """The level a code names: country, fylke, kommune, bydel or unknown (incl. ``0X99``)."""
    text = code.strip()
    if text in COUNTRY_CODES:
        return "country"
    if text in UNKNOWN_NAMES or re.match(_UNKNOWN_KOMMUNE, text):
        return "unknown"
    if re.match(_FYLKE, text):
        return "fylke"
    if re.match(_KOMMUNE, text):
        return "kommune"
    if re.match(_BYDEL, text):
        return "bydel"
    return "unknown"


def levels(codes: pl.Series) -> pl.Series:
    """Vectorised :func:`level_of`; nulls stay null."""
    text = (codes.cast(pl.String) if codes.dtype != pl.String else codes).str.strip_chars()
    expr = (
        pl.when(pl.col("c").is_null())
        .then(None)
        .when(pl.col("c").is_in(list(COUNTRY_CODES)))
        .then(pl.lit("country"))
        .when(pl.col("c").is_in(list(UNKNOWN_NAMES)) | pl.col("c").str.contains(_UNKNOWN_KOMMUNE))
        .then(pl.lit("unknown"))
        .when(pl.col("c").str.contains(_FYLKE))
        .then(pl.lit("fylke"))
        .when(pl.col("c").str.contains(_KOMMUNE))
        .then(pl.lit("kommune"))
        .when(pl.col("c").str.contains(_BYDEL))
        .then(pl.lit("bydel"))
        .otherwise(pl.lit("unknown"))
    )
    return pl.DataFrame({"c": text}).select(expr.alias(codes.name)).to_series()


def fylke_of(code: str) -> str:
    """The fylke code of a kommune or bydel code (its first two digits); a fylke is its own."""
    level = level_of(code)
    if level not in ("fylke", "kommune", "bydel"):
        raise RegionError(f"{code!r} is a {level} code and has no fylke; pass a kommune code")
    return code.strip()[:2]


def nav_fylke_of(code: str) -> str:
    """The fylke-level row NAV files a kommune or bydel under in its workbooks.

    The first two digits, as :func:`fylke_of`, except ``2100`` Svalbard, which NAV files under
    :data:`NAV_OTHER_AREAS` (``99``, «Øvrige områder») rather than under a fylke.
    """
    if code.strip() == SVALBARD:
        return NAV_OTHER_AREAS
    return fylke_of(code)


# --- the change table ----------------------------------------------------------------------------

_default: ChangeTable | None = None


@load_once
def bundled_table() -> ChangeTable:
    """The sourced fallback table shipped in ``datasets/regions/changes.csv`` (read once)."""
    path = datasets_dir() / "regions" / "changes.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        rows = list(csv.DictReader(lines))
    try:
        changes = [
            Change(
                level=row["level"],
                old_code=row["old_code"],
                new_code=row["new_code"],
                changed=date.fromisoformat(row["changed"]),
                old_name=row["old_name"],
                new_name=row["new_name"],
                source=row["source"],
            )
            for row in rows
        ]
    except (KeyError, ValueError) as exc:
        raise RegionError(f"bundled region table {path} is malformed: {exc}") from exc
    return ChangeTable(changes, origin=f"bundled {path.name}")


def default_table() -> ChangeTable:
    """The table used when none is passed: the bundled one, or the last KLASS refresh."""
    return _default if _default is not None else bundled_table()


def set_default_table(table: ChangeTable | None) -> None:
    """Use ``table`` for calls that pass none (``None`` goes back to the bundled table)."""
    global _default  # noqa: PLW0603 - process-wide choice of mapping table, set explicitly
    _default = table


# --- mapping -------------------------------------------------------------------------------------


def current_code(
    code: str, at: date | None = None, *, table: ChangeTable | None = None
) -> list[str]:
    """The code(s) valid at ``at`` (default today) for any historical or future fylke/kommune code.

    Follows chains forward (0111 -> 3011 -> 3110) or backward (3110 at 2019 -> 0111); a split
    gives every successor (1507 -> [1508, 1580]). Other levels come back unchanged.
    """
    at = at or date.today()
    table = table or default_table()
    text = code.strip()
    level = level_of(text)
    if level not in ("fylke", "kommune"):
        return [text]
    if table.ceased(text, at):
        found = _walk(text, at, table, forward=True)
    elif table.born_after(text, at):
        found = _walk(text, at, table, forward=False)
    else:
        found = {text}
    for result in found:
        _check_known(code, result, at, table)
    return sorted(found)


def _walk(code: str, at: date, table: ChangeTable, *, forward: bool) -> set[str]:
    """Follow hops one date at a time until every code reached is valid at ``at``."""
    found: set[str] = set()
    frontier = [(code, date.min if forward else date.max)]
    for _ in range(_MAX_HOPS):
        if not frontier:
            return found
        step: list[tuple[str, date]] = []
        for current, bound in frontier:
            if forward:
                hops = [c for c in table.ceased(current, at) if c.changed > bound]
                when = min((c.changed for c in hops), default=None)
                targets = [c.new_code for c in hops if c.changed == when]
            else:
                hops = [c for c in table.born_after(current, at) if c.changed < bound]
                when = max((c.changed for c in hops), default=None)
                targets = [c.old_code for c in hops if c.changed == when]
            if when is None:
                found.add(current)
            else:
                step.extend((target, when) for target in targets if target)
        frontier = step
    raise RegionError(f"changes of {code!r} do not end after {_MAX_HOPS} hops; the table loops")


def _check_known(asked: str, code: str, at: date, table: ChangeTable) -> None:
    """Refuse a kommune code whose fylke did not exist at ``at``: the table lacks its change."""
    if level_of(code) != "kommune":
        return
    fylke = fylke_of(code)
    if not table.valid_at(fylke, at):
        raise RegionError(
            f"cannot map kommune {asked!r} to {at.isoformat()}: fylke {fylke} did not exist then "
            f"and the region table ({table.origin}) has no change for kommune {code}; the bundled "
            "table lists only sourced kommune changes, so refresh it online with "
            "navdata.regions.refresh_from_klass(KlassClient())"
        )


def harmonise(
    frame: pl.DataFrame,
    *,
    column: str = "region",
    vintage: str | date = "2024",
    value: str = "value",
    weights: Mapping[str, Mapping[str, float]] | None = None,
    on_split: Literal["error", "drop"] = "error",
    table: ChangeTable | None = None,
) -> pl.DataFrame:
    """Re-code ``column`` to the codes valid at ``vintage`` and sum units that merged.

    A unit that split (one old code, several new ones) is refused with a :class:`RegionError`
    unless ``weights`` gives its shares (``{"1507": {"1508": 0.9, "1580": 0.1}}``, summing to 1)
    or ``on_split="drop"`` drops its rows. ``<column>_label`` is dropped (names change with codes).
    """
    for needed in (column, value):
        if needed not in frame.columns:
            raise RegionError(f"no column {needed!r} to harmonise; columns are {frame.columns}")
    at = parse_bound(vintage)
    codes = frame[column].cast(pl.String).unique().drop_nulls().to_list()
    mapping = _mapping(codes, at, weights or {}, on_split, table or default_table())
    keys = [c for c in frame.columns if c not in (value, "status", f"{column}_label")]
    joined = (
        frame.drop(f"{column}_label", strict=False)
        .with_columns(pl.col(column).cast(pl.String))
        .join(mapping, left_on=column, right_on="_from", how="inner", maintain_order="left")
        .with_columns(pl.col("_to").alias(column), (pl.col(value) * pl.col("_share")).alias(value))
    )
    aggregations = [
        pl.when(pl.col(value).null_count() > 0)
        .then(None)
        .otherwise(pl.col(value).sum())
        .cast(pl.Float64)
        .alias(value)
    ]
    if "status" in frame.columns:
        aggregations.append(pl.col("status").drop_nulls().first().alias("status"))
    out = joined.group_by(keys, maintain_order=True).agg(aggregations)
    return out.select([c for c in frame.columns if c in out.columns])


def _mapping(
    codes: Sequence[str],
    at: date,
    weights: Mapping[str, Mapping[str, float]],
    on_split: str,
    table: ChangeTable,
) -> pl.DataFrame:
    """Rows (_from, _to, _share) for every code; splits resolved by weights, dropped, or refused."""
    rows: list[tuple[str, str, float]] = []
    refused: list[str] = []
    for code in codes:
        targets = current_code(code, at, table=table)
        if len(targets) == 1:
            rows.append((code, targets[0], 1.0))
        elif code in weights:
            rows.extend((code, target, share) for target, share in _shares(code, targets, weights))
        elif on_split == "error":
            refused.append(f"{code} -> {'+'.join(targets)}")
    if refused:
        more = f" and {len(refused) - _MAX_LISTED} more" if len(refused) > _MAX_LISTED else ""
        raise RegionError(
            f"cannot harmonise to {at.isoformat()} without dividing split units: "
            f"{', '.join(refused[:_MAX_LISTED])}{more}; pass weights={{old: {{new: share}}}} "
            "(e.g. population shares) or on_split='drop'"
        )
    return pl.DataFrame(
        rows, schema={"_from": pl.String, "_to": pl.String, "_share": pl.Float64}, orient="row"
    )


def _shares(
    code: str, targets: list[str], weights: Mapping[str, Mapping[str, float]]
) -> list[tuple[str, float]]:
    given = dict(weights[code])
    if sorted(given) != targets or abs(sum(given.values()) - 1.0) > 1e-9:
        raise RegionError(
            f"weights for {code!r} must give a share for each of {targets} summing to 1; "
            f"got {given}"
        )
    return sorted(given.items())


# --- KLASS ---------------------------------------------------------------------------------------


def refresh_from_klass(
    client: KlassClient,
    *,
    since: date = date(2017, 12, 31),
    until: date | None = None,
    install: bool = True,
) -> ChangeTable:
    """Fetch fylke (104) and kommune (131) changes from KLASS and merge them over the bundled table.

    With ``install=True`` (default) the result becomes :func:`default_table` for this process.
    """
    today = date.today()
    end = until or today
    fetched: list[Change] = []
    for level, classification in _KLASS_IDS.items():
        for item in client.changes(classification, since, end):
            if not item.old_code or not item.new_code or item.old_code == item.new_code:
                continue  # a code that started, ceased without successor, or was only renamed
            fetched.append(
                Change(
                    level=level,
                    old_code=item.old_code,
                    new_code=item.new_code,
                    changed=item.changed,
                    old_name=item.old_name,
                    new_name=item.new_name,
                    source=f"KLASS {classification} changes (retrieved {today.isoformat()})",
                )
            )
    table = bundled_table().merged_with(ChangeTable(fetched, origin=f"KLASS {client.base_url}"))
    if install:
        set_default_table(table)
    return table
