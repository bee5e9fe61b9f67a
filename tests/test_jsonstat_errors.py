"""Bad input gives a JsonStatError that says what is wrong and where; never a KeyError."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import msgspec
import pytest

from navdata.errors import JsonStatError
from navdata.jsonstat import read_jsonstat, read_jsonstat_collection

BASE: dict[str, Any] = {
    "version": "2.0",
    "class": "dataset",
    "label": "synthetic",
    "id": ["sex", "year"],
    "size": [2, 3],
    "role": {"time": ["year"]},
    "dimension": {
        "sex": {"label": "sex", "category": {"index": {"M": 0, "F": 1}}},
        "year": {"label": "year", "category": {"index": ["2020", "2021", "2022"]}},
    },
    "value": [1, 2, 3, 4, 5, 6],
}


def doc(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(BASE)
    out.update(changes)
    return out


def with_dim(dim: str, category: dict[str, Any]) -> dict[str, Any]:
    out = doc()
    out["dimension"][dim]["category"] = category
    return out


def test_base_document_is_valid() -> None:
    assert read_jsonstat(doc()).frame.height == 6


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (doc(value=[1, 2, 3, 4, 5]), r"\$\.value: has 5 values but size multiplies to 6 cells"),
        (doc(value=[]), "metadata-only response"),
        (doc(size=[2]), "id lists 2 dimensions but size has 1 entries"),
        (doc(id=["sex", "year", "age"], size=[2, 3, 1]), "dimension 'age' is listed in id but"),
        (doc(id=["sex", "sex"], size=[2, 2]), "listed twice"),
        (doc(value={"0": 1, "x": 2}), r"keys must be cell positions .* \['x'\]"),
        (doc(value={"0": 1, "6": 2}), r"keys \['6'\] are outside the 6 cells"),
        (doc(value={"-1": 1}), "outside the 6 cells"),
        (doc(value={"01": 1}), "keys must be cell positions"),
        (with_dim("sex", {"index": {"M": 0, "F": 0}}), "position 0 is used by both 'M' and 'F'"),
        (with_dim("sex", {"index": {"M": 0, "F": 2}}), r"without gaps; missing \[1\]"),
        (with_dim("sex", {"index": ["M", "M"]}), "listed more than once"),
        (with_dim("sex", {"index": ["M", "F", "X"]}), "has 3 categories but size says 2"),
        (with_dim("sex", {"label": {"M": "m"}}), "has 1 categories but size says 2"),
        (with_dim("sex", {}), "neither 'index' nor 'label'"),
        (with_dim("sex", {"index": {"M": "0", "F": 1}}), r"index\.M: expected an integer"),
        (doc(role={"geo": ["region"]}), r"\$\.role\.geo: names dimension 'region'"),
        (doc(status=["a", "b"]), r"\$\.status: has 2 entries but there are 6 cells"),
        (doc(status={"9": "a"}), "outside the 6 cells"),
        (doc(status=[1, 2, 3, 4, 5, 6]), r"status\[0\]: a status must be a string"),
        (doc(status=7), "must be a string, an array or an object"),
        (doc(value=[1, 2, {"a": 1}, 4, 5, 6]), r"value\[2\]: expected a number, null or string"),
        (doc(value={"0": True}), r"value\.0: expected a number"),
        (doc(value=None), "must be an array or an object"),
        (doc(dimension=[]), r"\$\.dimension: expected an object, found array"),
        (doc(id="sex"), r"\$\.id: expected an array, found string"),
        (doc(size=[2, -3]), "cannot be negative"),
        (doc(size=[2, 1.5]), r"size\[1\]: expected an integer"),
        (doc(size=[100_000, 100_000], value={}), "more than the 200,000,000 read"),
        (
            doc(
                id=["value", "year"],
                size=[2, 3],
                dimension={
                    "value": BASE["dimension"]["sex"],
                    "year": BASE["dimension"]["year"],
                },
            ),
            r"clash with tidy-frame column names: \['value'\]",
        ),
        ({k: v for k, v in BASE.items() if k != "value"}, "has no 'value'"),
        ({k: v for k, v in BASE.items() if k != "id"}, "no 'id'"),
        ({"class": "dimension", "version": "2.0"}, "dimension document, not a dataset"),
        ({"class": "cube"}, "unknown class"),
        ({"version": "2.0", "class": "collection"}, "needs link.item"),
        (
            {
                "class": "collection",
                "link": {"item": [{"class": "dataset", "href": "https://x/y"}]},
            },
            r"link\.item\[0\]: is only a link \('https://x/y'\)",
        ),
        (
            {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": "no table"},
            "RFC 9457 problem body .*status 400.*Bad Request.*no table",
        ),
        ({"error": "Parameter error"}, "error body: 'Parameter error'"),
        ({"hello": "world"}, "not JSON-stat: no dataset"),
        ({"a": {"b": 1}}, r"\$\.a: bundle entry is not a dataset"),
    ],
)
def test_malformed_documents(document: dict[str, Any], message: str) -> None:
    with pytest.raises(JsonStatError, match=message):
        read_jsonstat_collection(document)
    with pytest.raises(JsonStatError, match=message):
        read_jsonstat(msgspec.json.encode(document))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"<!DOCTYPE html><html><body>503</body></html>", "is HTML or XML, not JSON"),
        (b"", "is empty"),
        (b"{not json", "is not valid JSON"),
        (b"[1, 2, 3]", "expected a JSON-stat object, found array of 3 items"),
        (b'"text"', "expected a JSON-stat object, found string"),
    ],
)
def test_not_json_stat_at_all(raw: bytes, message: str) -> None:
    with pytest.raises(JsonStatError, match=message):
        read_jsonstat(raw)
    if raw[:1] in (b"<", b"", b"{", b"["):  # as text (httpx's response.text): a body, no path
        with pytest.raises(JsonStatError, match=message):
            read_jsonstat(raw.decode("utf-8"))


def test_missing_file_and_wrong_input_type(tmp_path: Path) -> None:
    with pytest.raises(JsonStatError, match=r"cannot read JSON-stat file .*taken as a path"):
        read_jsonstat(str(tmp_path / "nope.json"))
    with pytest.raises(JsonStatError, match="not int"):
        read_jsonstat(42)  # type: ignore[arg-type]
    # a text with a NUL byte is no path the system can open (it was a bare ValueError; the
    # property test of mutated documents found it in CI)
    with pytest.raises(JsonStatError, match=r"cannot read JSON-stat file '\\x00'.*null byte"):
        read_jsonstat("\x00")


def test_error_is_a_value_error_for_generic_callers() -> None:
    with pytest.raises(ValueError, match="JSON-stat"):
        read_jsonstat(doc(value=[1]))
