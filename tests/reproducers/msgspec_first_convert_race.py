"""Minimal reproducer of a msgspec crash, for an upstream report: not a test (never collected).

SYNTHETIC types and data, no navdata code. 16 threads make the first conversion to one Struct
tree at the same moment; msgspec 0.22.0 on CPython 3.11.7 (GIL build) builds a type's decoding
information lazily on first use, without a guard, and a thread can read it half-built.
Measured 2026-11-29: SIGSEGV in 6 of 40 processes with ``toml`` (msgspec.toml.decode) and 7 of
40 with ``convert`` (msgspec.convert of tomllib's dict); backtrace top: ``convert`` <-
``convert_dict_to_struct`` <- ``msgspec_convert`` in ``msgspec/_core``. navdata avoids it with
:func:`navdata.once.warm_struct_types` before serving and :class:`navdata.once.LoadOnce`.

Run: ``python tests/reproducers/msgspec_first_convert_race.py [toml|convert]``; loop it in a
shell and count exit codes -11.
"""

import sys
import threading
import tomllib
from datetime import date
from typing import Literal

import msgspec


class Text(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    nb: str
    en: str


class Brk(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    date: date
    nb: str
    precision: Literal["day", "month", "year"] = "day"


class R1(msgspec.Struct, frozen=True, tag_field="kind", tag="a", forbid_unknown_fields=True):
    table: str
    selection: dict[str, list[str]] = {}


class R2(msgspec.Struct, frozen=True, tag_field="kind", tag="b", forbid_unknown_fields=True):
    table: str
    measure: Literal["count", "share"] = "count"


class S(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    id: str
    title: Text
    recipe: R1 | R2
    breaks: list[Brk] = []
    notes: list[Text] = []


class Cat(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    schema_version: int
    series: list[S]


doc = "schema_version = 1\n" + "".join(
    f'[[series]]\nid = "s{i}"\ntitle = {{ nb = "a", en = "b" }}\n'
    f'recipe = {{ kind = "{"ab"[i % 2]}", table = "t" }}\n'
    f'[[series.breaks]]\ndate = 2020-01-01\nnb = "x"\n'
    for i in range(40)
)
mode = sys.argv[1] if len(sys.argv) > 1 else "toml"
barrier = threading.Barrier(16)


def run() -> None:
    barrier.wait()
    if mode == "toml":
        msgspec.toml.decode(doc, type=Cat)
    else:
        msgspec.convert(tomllib.loads(doc), Cat)


threads = [threading.Thread(target=run) for _ in range(16)]
for t in threads:
    t.start()
for t in threads:
    t.join()
