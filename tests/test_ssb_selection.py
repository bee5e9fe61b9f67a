"""Selection expansion and chunk planning (navdata.sources.ssb.selection)."""

from __future__ import annotations

import math
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from navdata.errors import (
    InvalidArgumentError,
    SelectionError,
    UnknownCodelistError,
    UnknownValueError,
    UnknownVariableError,
)
from navdata.jsonstat import read_jsonstat
from navdata.sources.ssb.client import _stitch as stitch
from navdata.sources.ssb.selection import (
    Plan,
    Selected,
    Variable,
    expand_values,
    plan_chunks,
    resolve_selection,
)

MONTHS = tuple(f"2026M{m:02d}" for m in range(1, 9))
REGIONS = ("0", "03", "0301", "11", "1101", "1103", "31", "3101", "EAK")


def test_top_and_bottom_of_time_are_latest_and_earliest_in_ascending_order() -> None:
    assert expand_values("top(3)", MONTHS, variable="Tid", time=True) == MONTHS[-3:]
    assert expand_values("TOP(2,1)", MONTHS, variable="Tid", time=True) == ("2026M06", "2026M07")
    assert expand_values("bottom(2)", MONTHS, variable="Tid", time=True) == MONTHS[:2]
    assert expand_values("bottom(2,3)", MONTHS, variable="Tid", time=True) == MONTHS[3:5]
    assert expand_values("top(99)", MONTHS, variable="Tid", time=True) == MONTHS


def test_top_and_bottom_of_other_variables_follow_metadata_order() -> None:
    assert expand_values("top(2)", REGIONS, variable="Region") == ("0", "03")
    assert expand_values("top(2,2)", REGIONS, variable="Region") == ("0301", "11")
    assert expand_values("bottom(2)", REGIONS, variable="Region") == ("3101", "EAK")
    assert expand_values("bottom(1,1)", REGIONS, variable="Region") == ("3101",)


def test_range_from_to_are_inclusive_and_order_free() -> None:
    assert expand_values("range(2026M03,2026M05)", MONTHS, variable="Tid") == MONTHS[2:5]
    assert expand_values("range(2026m05,2026M03)", MONTHS, variable="Tid") == MONTHS[2:5]
    assert expand_values("from(2026M07)", MONTHS, variable="Tid") == MONTHS[6:]
    assert expand_values("to(2026M02)", MONTHS, variable="Tid") == MONTHS[:2]


def test_wildcards_and_question_marks() -> None:
    assert expand_values("*", REGIONS, variable="Region") == REGIONS
    assert expand_values("11*", REGIONS, variable="Region") == ("11", "1101", "1103")
    assert expand_values("*01", REGIONS, variable="Region") == ("0301", "1101", "3101")
    assert expand_values("*10*", REGIONS, variable="Region") == ("1101", "1103", "3101")
    assert expand_values("??", REGIONS, variable="Region") == ("03", "11", "31")
    assert expand_values("ea?", REGIONS, variable="Region") == ("EAK",)
    assert expand_values("2026M0?", MONTHS, variable="Tid") == MONTHS


def test_codes_are_case_insensitive_and_returned_as_published() -> None:
    assert expand_values(["eak", "0301"], REGIONS, variable="Region") == ("0301", "EAK")


def test_overlapping_expressions_never_duplicate() -> None:
    picked = expand_values(["2026M08", "top(2)", "2026M07", "*"], MONTHS, variable="Tid", time=True)
    assert picked == MONTHS


@pytest.mark.parametrize("bad", ["0*3", "*0*3*", "**3*", "1*?", "***"])
def test_illegal_wildcards(bad: str) -> None:
    with pytest.raises(SelectionError, match="illegal selection expression"):
        expand_values(bad, REGIONS, variable="Region")


@pytest.mark.parametrize("bad", ["top(0)", "top(x)", "range(1)", "from()", "top(1,2,3)"])
def test_illegal_functions(bad: str) -> None:
    with pytest.raises(SelectionError, match="illegal selection expression"):
        expand_values(bad, REGIONS, variable="Region")


def test_unknown_codes_name_the_variable_and_value() -> None:
    with pytest.raises(UnknownValueError, match="variable 'Region' has no value '9999'"):
        expand_values(["0301", "9999"], REGIONS, variable="Region")
    with pytest.raises(UnknownValueError, match="names the value '2030M01'"):
        expand_values("range(2026M01,2030M01)", MONTHS, variable="Tid")


def test_a_pattern_that_matches_nothing_is_an_error() -> None:
    with pytest.raises(SelectionError, match="matches no value"):
        expand_values("99*", REGIONS, variable="Region")


# --- property tests against a reference --------------------------------------------------------

codes_strategy = st.lists(
    st.text(alphabet="0123456789ABKM-", min_size=1, max_size=5), min_size=1, max_size=30
)


def unique_ci(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for v in values:
        if v.lower() not in seen:
            seen.add(v.lower())
            out.append(v)
    return out


@st.composite
def code_list_and_expressions(draw: st.DrawFn) -> tuple[list[str], list[str], bool]:
    values = unique_ci(draw(codes_strategy))
    n = len(values)
    exprs: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["code", "top", "bottom", "range", "from", "to", "star"]))
        i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        k, off = draw(st.integers(1, n + 2)), draw(st.integers(0, n + 2))
        exprs.append(
            {
                "code": values[i].lower(),
                "top": f"top({k},{off})",
                "bottom": f"bottom({k})",
                "range": f"range({values[i]},{values[j]})",
                "from": f"from({values[i]})",
                "to": f"to({values[j]})",
                "star": "*",
            }[kind]
        )
    return values, exprs, draw(st.booleans())


def reference(values: list[str], expr: str, time: bool) -> set[int]:
    n = len(values)
    pos = {v.lower(): i for i, v in enumerate(values)}
    if expr.lower() in pos:
        return {pos[expr.lower()]}
    if expr == "*":
        return set(range(n))
    name, args = expr[:-1].split("(", 1)
    parts = args.split(",")
    if name in {"top", "bottom"}:
        k, off = int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
        order = list(range(n))
        if (name == "top") == time:
            order.reverse()
        return set(order[off : off + k])
    if name == "range":
        a, b = sorted((pos[parts[0].lower()], pos[parts[1].lower()]))
        return set(range(a, b + 1))
    if name == "from":
        return set(range(pos[parts[0].lower()], n))
    return set(range(pos[parts[0].lower()] + 1))


@settings(max_examples=200, deadline=None)
@given(code_list_and_expressions())
def test_expansion_matches_reference_and_never_duplicates(
    case: tuple[list[str], list[str], bool],
) -> None:
    values, exprs, time = case
    expected: set[int] = set()
    for e in exprs:
        expected |= reference(values, e, time)
    if not expected:
        with pytest.raises(SelectionError):
            expand_values(exprs, values, variable="V", time=time)
        return
    got = expand_values(exprs, values, variable="V", time=time)
    assert len(got) == len(set(got))
    assert got == tuple(values[i] for i in sorted(expected))


# --- whole selections ---------------------------------------------------------------------------

VARS = [
    Variable("Region", REGIONS, elimination=True, codelists=("agg_KommFylker", "vs_Fylker")),
    Variable("Kjonn", ("0", "1", "2"), elimination=True),
    Variable("ContentsCode", ("Personer", "Andel"), elimination=False, label="statistikkvariabel"),
    Variable("Tid", MONTHS, elimination=False, time=True, label="måned"),
]


def test_resolve_selection_in_table_order_with_elimination() -> None:
    plan = resolve_selection(
        "07459", VARS, {"tid": "top(2)", "contentscode": "*", "REGION": ["03*", "0"]}
    )
    assert plan.selections == (
        Selected("Region", ("0", "03", "0301")),
        Selected("Kjonn", ()),
        Selected("ContentsCode", ("Personer", "Andel")),
        Selected("Tid", ("2026M07", "2026M08")),
    )
    assert plan.cells == 12


def test_mandatory_variables_must_be_selected() -> None:
    with pytest.raises(SelectionError, match=r"needs a selection for 'Tid' \(måned\)") as info:
        resolve_selection("07459", VARS, {"ContentsCode": "*"})
    assert "top(12)" in str(info.value)


def test_time_is_the_alias_of_the_time_variable() -> None:
    plan = resolve_selection("07459", VARS, {"Time": "top(1)", "ContentsCode": "Andel"})
    assert plan.selected("Tid") == Selected("Tid", ("2026M08",))
    with pytest.raises(SelectionError, match="names variable 'Tid' twice"):
        resolve_selection("07459", VARS, {"time": "*", "tid": "*", "ContentsCode": "*"})
    coded_time = [Variable("time", ("a", "b"), elimination=False), *VARS[2:]]
    plan = resolve_selection("T", coded_time, {"time": "a", "Tid": "*", "ContentsCode": "*"})
    assert plan.selected("time") == Selected("time", ("a",))  # a real 'time' variable wins


def test_unknown_variable_lists_the_known_ones() -> None:
    with pytest.raises(
        UnknownVariableError, match=r"its variables are: Region, Kjonn, .* \('time' names Tid\)"
    ):
        resolve_selection("07459", VARS, {"Alder": "*", "ContentsCode": "*", "Tid": "*"})


def test_codelists_are_case_sensitive_and_replace_the_values() -> None:
    sel = {"Region": ["F-03", "f-11"], "ContentsCode": "*", "Tid": "top(1)"}
    with pytest.raises(UnknownCodelistError, match="offers: agg_KommFylker, vs_Fylker"):
        resolve_selection("07459", VARS, sel, codelists={"Region": "agg_kommfylker"})
    plan = resolve_selection(
        "07459",
        VARS,
        sel,
        codelists={"region": "agg_KommFylker"},
        codelist_values={"agg_KommFylker": ["F-03", "F-11", "F-31"]},
    )
    assert plan.selected("Region") == Selected("Region", ("F-03", "F-11"), "agg_KommFylker")


# --- chunking -----------------------------------------------------------------------------------


def cube(sizes: list[int]) -> Plan:
    return Plan(
        "T",
        tuple(Selected(f"V{i}", tuple(f"{i}:{j}" for j in range(n))) for i, n in enumerate(sizes)),
    )


def test_the_brief_example_splits_region_into_four_even_chunks() -> None:
    chunks = plan_chunks(cube([400, 360, 20]), 800_000)
    assert [len(c.selections[0].values) for c in chunks] == [100, 100, 100, 100]
    assert all(c.cells == 720_000 for c in chunks)


def test_a_fitting_plan_is_not_split() -> None:
    plan = cube([10, 10])
    assert plan_chunks(plan, 100) == [plan]


def test_a_chunk_limit_below_one_cell_is_a_caller_mistake_in_the_hierarchy() -> None:
    with pytest.raises(InvalidArgumentError, match="max_cells must be at least 1, got 0"):
        plan_chunks(cube([2, 2]), 0)


@settings(max_examples=150, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 12), min_size=1, max_size=4),
    max_cells=st.integers(1, 400),
)
def test_chunks_fit_and_cover_every_cell_once(sizes: list[int], max_cells: int) -> None:
    """Coverage only (compared as sets); the order of the stitched rows is tested below."""
    plan = cube(sizes)
    chunks = plan_chunks(plan, max_cells)
    assert all(c.cells <= max_cells for c in chunks)
    cells: list[tuple[str, ...]] = []
    for c in chunks:
        cells.extend(product(*[s.values for s in c.selections if s.values]))
    full = list(product(*[s.values for s in plan.selections if s.values]))
    assert sorted(cells) == sorted(full)
    assert len(cells) == len(full) == math.prod(n for n in sizes if n)


def chunk_document(chunk: Plan, full: Plan) -> dict[str, object]:
    """A JSON-stat answer to one chunk whose values are the cells' positions in the full query."""
    kept = [(c, s) for c, s in zip(chunk.selections, full.selections, strict=True) if s.values]
    sizes = [len(s.values) for _, s in kept]
    values = []
    for cell in product(*[c.values for c, _ in kept]):
        flat = 0
        for code, (_, whole), size in zip(cell, kept, sizes, strict=True):
            flat = flat * size + whole.values.index(code)
        values.append(float(flat))
    return {
        "version": "2.0",
        "class": "dataset",
        "id": [c.code for c, _ in kept],
        "size": [len(c.values) for c, _ in kept],
        "dimension": {c.code: {"category": {"index": list(c.values)}} for c, _ in kept},
        "value": values,
    }


@settings(max_examples=150, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 9), min_size=1, max_size=4),
    max_cells=st.integers(1, 200),
)
def test_stitched_chunks_are_the_full_answer_in_row_major_order(
    sizes: list[int], max_cells: int
) -> None:
    """Whichever variable the plan splits (the leading one or a later one), stitching the
    chunks' answers gives every cell in the order one request would: positions 0, 1, 2 ..."""
    full = cube(sizes)
    chunks = plan_chunks(full, max_cells)
    parts = [read_jsonstat(chunk_document(c, full)) for c in chunks]
    stitched = parts[0] if len(parts) == 1 else stitch(parts)
    assert stitched.frame["value"].to_list() == [float(i) for i in range(math.prod(sizes))]
    assert [d.codes for d in stitched.meta.dimensions] == [list(s.values) for s in full.selections]
