"""Which timeline milestones a chart marks and which statistics breaks it shades."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence

from navdata.errors import InvalidArgumentError, UnknownMilestoneError
from navdata.milestones import TAGS, Milestone, load_milestones

__all__ = ["chosen_breaks", "chosen_milestones"]


def chosen_milestones(
    wanted: str | Sequence[str] | None, first: dt.date, last: dt.date
) -> list[Milestone]:
    """The milestones ``wanted`` names (tags, ids or "all"), dated inside the data's range."""
    if wanted is None:
        return []
    names: list[object] = [wanted] if isinstance(wanted, str) else list(wanted)
    records = load_milestones()
    known_ids = {record.id for record in records}
    chosen: set[str] = set()
    for name in names:
        if not isinstance(name, str):
            msg = f"milestones takes tags or milestone ids as text, not {name!r}"
            raise InvalidArgumentError(msg)
        if name == "all":
            chosen.update(known_ids)
        elif name in TAGS:
            chosen.update(record.id for record in records if name in record.tags)
        elif name in known_ids:
            chosen.add(name)
        else:
            raise _unknown_name(name, [*TAGS, *sorted(known_ids)])
    return [r for r in records if r.id in chosen and first <= r.date <= last]


def _unknown_name(name: str, candidates: list[str]) -> UnknownMilestoneError:
    close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
    msg = (
        f"{name!r} is neither a timeline tag nor a milestone id; {hint}"
        f"tags are {', '.join(TAGS)}; navdata.timeline() lists every milestone id"
    )
    return UnknownMilestoneError(msg)


def chosen_breaks(
    wanted: bool | Sequence[str], series_id: str | None, first: dt.date, last: dt.date
) -> list[Milestone]:
    """Statistics breaks whose span overlaps the data's range, oldest first."""
    records = load_milestones()
    if isinstance(wanted, bool):
        if not wanted or series_id is None:
            return []
        chosen = [r for r in records if r.breaks_series(series_id)]
    elif isinstance(wanted, str):
        msg = f"breaks takes True, False or a list of milestone ids, not the text {wanted!r}"
        raise InvalidArgumentError(msg)
    else:
        by_id = {record.id: record for record in records}
        for name in wanted:
            if name not in by_id:
                raise _unknown_name(name, sorted(by_id))
            if not by_id[name].is_break:
                msg = f"milestone {name!r} is not tagged statistics-break; pass it in milestones="
                raise InvalidArgumentError(msg)
        chosen = [r for r in records if r.id in set(wanted)]
    return [r for r in chosen if r.span[1] >= first and r.span[0] <= last]
