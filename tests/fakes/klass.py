"""A fake KLASS (data.ssb.no/api/klass/v1) as a raw ASGI app, for end-to-end client tests.

SYNTHETIC data: a handful of fylke (104) and kommune (131) codes and changes in the JSON shape
KLASS documents (``codes``, ``codeChanges``, ``correspondenceItems``; see
``reference/ssb-api.md`` section 5.2). It is not a copy of KLASS and not a source of facts.
Behaviour copied from the documentation: XML unless ``Accept: application/json``; 404 with an
error body for an unknown classification; 400 with an error body for a malformed date.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import date
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# Synthetic codes: code, name, valid from, valid to.
CODES: dict[str, list[tuple[str, str, str, str | None]]] = {
    "104": [
        ("01", "Østfold", "1900-01-01", "2020-01-01"),
        ("03", "Oslo", "1900-01-01", None),
        ("30", "Viken", "2020-01-01", "2024-01-01"),
        ("31", "Østfold", "2024-01-01", None),
        ("32", "Akershus", "2024-01-01", None),
        ("33", "Buskerud", "2024-01-01", None),
    ],
    "131": [
        ("0105", "Sarpsborg", "1900-01-01", "2020-01-01"),
        ("0301", "Oslo", "1900-01-01", None),
        ("3003", "Sarpsborg", "2020-01-01", "2024-01-01"),
        ("3105", "Sarpsborg", "2024-01-01", None),
    ],
}
# Synthetic changes: old code and name, new code and name, the day it took effect.
CHANGES: dict[str, list[tuple[str | None, str | None, str | None, str | None, str]]] = {
    "104": [
        ("01", "Østfold", "30", "Viken", "2020-01-01"),
        ("30", "Viken", "31", "Østfold", "2024-01-01"),
        ("30", "Viken", "32", "Akershus", "2024-01-01"),
        ("30", "Viken", "33", "Buskerud", "2024-01-01"),
    ],
    "131": [
        ("0105", "Sarpsborg", "3003", "Sarpsborg", "2020-01-01"),
        ("3003", "Sarpsborg", "3105", "Sarpsborg", "2024-01-01"),
        ("0301", "Oslo", "0301", "Oslo - Oslove", "2020-01-01"),  # a rename: same code
        (None, None, "9999", "Ny kommune", "2024-01-01"),  # started: no oldCode
    ],
}
CORRESPONDS = {("104", "131"): {"01": ["0105"], "03": ["0301"], "30": ["3003"], "31": ["3105"]}}


class FakeKlass:
    """The ASGI app; ``requests`` records (path, query, headers) of every request."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], dict[str, str]]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        query = {k: v[0] for k, v in parse_qs(scope["query_string"].decode()).items()}
        self.requests.append((scope["path"], query, headers))
        status, body = self.answer(scope["path"], query)
        if "application/json" in headers.get("accept", ""):
            await _send(send, status, "application/json;charset=UTF-8", json.dumps(body).encode())
        else:
            xml = f"<?xml version='1.0'?><result status='{status}'/>".encode()
            await _send(send, status, "application/xml;charset=UTF-8", xml)

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "classifications":
            return 404, _error(404, f"no resource {path}", path)
        _, cid, resource = parts
        if cid not in CODES:
            return 404, _error(404, f"Classification not found with id = {cid}", path)
        try:
            if resource == "codesAt":
                return 200, {"codes": _codes_at(cid, date.fromisoformat(query["date"]))}
            if resource == "changes":
                start, end = date.fromisoformat(query["from"]), date.fromisoformat(query["to"])
                return 200, {"codeChanges": _changes(cid, start, end)}
            if resource == "correspondsAt":
                target = query["targetClassificationId"]
                if (cid, target) not in CORRESPONDS:
                    return 404, _error(404, f"no correspondence {cid} -> {target}", path)
                return 200, {"correspondenceItems": _corresponds(cid, target)}
        except (KeyError, ValueError) as exc:
            return 400, _error(400, f"bad parameter: {exc}", path)
        return 404, _error(404, f"no resource {resource}", path)


def _error(status: int, message: str, path: str) -> dict[str, Any]:
    return {
        "error": "Not Found" if status == 404 else "Bad Request",
        "message": message,
        "path": path,
        "status": status,
    }


def _codes_at(cid: str, at: date) -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "parentCode": None,
            "level": "1",
            "name": name,
            "shortName": "",
            "presentationName": "",
            "validFrom": start,
            "validTo": end,
            "notes": "",
        }
        for code, name, start, end in CODES[cid]
        if date.fromisoformat(start) <= at and (end is None or at < date.fromisoformat(end))
    ]


def _changes(cid: str, start: date, end: date) -> list[dict[str, Any]]:
    out = []
    for old, old_name, new, new_name, when in CHANGES[cid]:
        if start <= date.fromisoformat(when) < end:
            item: dict[str, Any] = {"changeOccurred": when, "newShortName": "", "oldShortName": ""}
            if old is not None:
                item |= {"oldCode": old, "oldName": old_name}
            if new is not None:
                item |= {"newCode": new, "newName": new_name}
            out.append(item)
    return out


def _corresponds(source: str, target: str) -> list[dict[str, Any]]:
    names = {code: name for code, name, _, _ in CODES[source] + CODES[target]}
    return [
        {"sourceCode": s, "sourceName": names[s], "targetCode": t, "targetName": names[t]}
        for s, targets in CORRESPONDS[(source, target)].items()
        for t in targets
    ]


async def _send(send: Send, status: int, content_type: str, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
