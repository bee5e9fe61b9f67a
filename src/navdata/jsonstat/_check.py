"""Type checks for decoded JSON, raising :class:`JsonStatError` that names the path.

The JSON-stat reader walks plain decoded JSON (dicts, lists, str, int, float, None). Every access
goes through these helpers so that a malformed document gives a clear error naming *where* it is
wrong (``$.dimension.Tid.category.index``) instead of a ``KeyError`` or ``TypeError`` deep inside.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from navdata.errors import JsonStatError

__all__ = [
    "describe_json",
    "expect_array",
    "expect_integer",
    "expect_object",
    "expect_string",
    "expect_string_list",
    "fail_at",
    "jsonstat_error",
    "optional_object",
    "optional_string",
    "read_notes",
]


def jsonstat_error(where: str, what: str) -> JsonStatError:
    """A JsonStatError that says where in the document the problem is."""
    return JsonStatError(f"JSON-stat {where}: {what}")


def fail_at(where: str, what: str) -> NoReturn:
    """Raise :func:`jsonstat_error`; for use inside expressions and helper checks."""
    raise jsonstat_error(where, what)


def describe_json(value: Any) -> str:
    """Short description of a JSON value for error messages (type and a little content)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"string {shown!r}"
    if isinstance(value, Mapping):
        keys = list(value)[:5]
        return f"object with keys {keys}" + (" ..." if len(value) > 5 else "")
    if isinstance(value, list):
        return f"array of {len(value)} items"
    return type(value).__name__


def expect_object(value: Any, where: str) -> Mapping[str, Any]:
    """The value as a JSON object, or an error."""
    if not isinstance(value, Mapping):
        fail_at(where, f"expected an object, found {describe_json(value)}")
    for key in value:
        if not isinstance(key, str):
            fail_at(where, f"object keys must be strings, found {describe_json(key)}")
    return value


def expect_array(value: Any, where: str) -> list[Any]:
    """The value as a JSON array, or an error."""
    if not isinstance(value, list):
        fail_at(where, f"expected an array, found {describe_json(value)}")
    return value


def expect_string(value: Any, where: str) -> str:
    """The value as a string, or an error."""
    if not isinstance(value, str):
        fail_at(where, f"expected a string, found {describe_json(value)}")
    return value


def expect_integer(value: Any, where: str) -> int:
    """The value as an integer (not a boolean, not 1.5), or an error."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        fail_at(where, f"expected an integer, found {describe_json(value)}")
    return value


def optional_string(obj: Mapping[str, Any], key: str, where: str) -> str | None:
    """Optional string member; absent or null gives None."""
    value = obj.get(key)
    return None if value is None else expect_string(value, f"{where}.{key}")


def optional_object(obj: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    """Optional object member as a plain dict; absent or null gives an empty dict."""
    value = obj.get(key)
    return {} if value is None else dict(expect_object(value, f"{where}.{key}"))


def expect_string_list(value: Any, where: str) -> list[str]:
    """An array of strings, or an error naming the first bad item."""
    items = expect_array(value, where)
    for i, item in enumerate(items):
        expect_string(item, f"{where}[{i}]")
    return list(items)


def read_notes(value: Any, where: str) -> list[str]:
    """JSON-stat ``note``: an array of strings (a single string is accepted as one note)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return expect_string_list(value, where)
