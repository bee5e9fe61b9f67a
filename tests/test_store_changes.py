"""The store's change stamp: how a reader (the service's response cache) notices any change.

SYNTHETIC series only (store_helpers). Each test names the write it makes and what a reader
holding the mark from before must see afterwards.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from navdata.store import Store
from navdata.store._changes import changing
from store_helpers import V1, V2, dataset


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


def test_a_store_never_written_keeps_no_stamp(store: Store) -> None:
    mark = store.change_mark()
    assert (mark.stamp, mark.writing) == (None, ())


def test_every_change_of_a_current_version_moves_the_stamp(store: Store) -> None:
    store.write("a.one", dataset(V1))
    first = store.change_mark()
    assert first.stamp is not None
    assert first.writing == ()
    assert store.change_mark(first) is first  # nothing changed: the mark read before
    store.write("a.one", dataset(V1))  # the same content again: no new version
    assert store.change_mark(first) is first
    seen: list[str | None] = [first.stamp]
    for change in (
        lambda: store.write("a.one", dataset(V2)),  # a new version
        lambda: store.write("b.two", dataset(V1)),  # a new series
        lambda: store.remove("b.two"),
        lambda: store.vacuum(timedelta(0)),  # as_of reads of a replaced version change
    ):
        change()
        mark = store.change_mark(first)
        assert mark.stamp not in seen
        assert mark.writing == ()
        seen.append(mark.stamp)


def test_a_change_in_progress_names_its_series(store: Store) -> None:
    store.write("a.one", dataset(V1))
    before = store.change_mark()
    with changing(store._location, "a.one"):
        during = store.change_mark(before)
        assert during.stamp != before.stamp
        assert during.writing == ("a.one",)
    after = store.change_mark(during)
    assert after.stamp not in (before.stamp, during.stamp)
    assert after.writing == ()


def test_a_writer_killed_mid_change_leaves_its_series_named(store: Store) -> None:
    store.write("a.one", dataset(V1))
    before = store.change_mark()
    change = changing(store._location, "a.one")
    change.__enter__()  # never left: the process died while committing
    later = store.change_mark(before)
    store.write("b.two", dataset(V1))
    assert store.change_mark(later).writing == ("a.one",)  # asked about on every read


def test_a_stamp_that_cannot_be_written_leaves_no_marker(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.write("a.one", dataset(V1))
    location = store._location
    original = location.write

    def failing(key: str, data: bytes) -> None:
        if key == "changes/stamp":
            raise OSError("disk full (synthetic)")
        original(key, data)

    monkeypatch.setattr(location, "write", failing)
    with pytest.raises(OSError, match="disk full"), changing(location, "a.one"):
        pytest.fail("the change must not start without its stamp")
    monkeypatch.undo()
    assert location.names("changes/open") == []
