"""SSB's KLASS API: region codes valid at a date, their changes, and fylke<->kommune correspondence.

KLASS answers XML unless asked otherwise, so every request sends ``Accept: application/json``
(the ``.json`` URL suffix is deprecated). All traffic goes through :class:`navdata.http.HttpClient`,
so KLASS shares SSB's per-host rate limit, retries and disk cache with the PxWebApi client.
Ids: 131 kommune, 104 fylke, 103 bydel (``reference/ssb-api.md`` section 5.2).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Self, TypeVar

import msgspec

from navdata.config import KLASS_BASE_URL as DEFAULT_BASE_URL
from navdata.errors import InvalidArgumentError, UnknownClassificationError, UpstreamError
from navdata.http import HttpClient, Response

__all__ = ["DEFAULT_BASE_URL", "CodeChange", "Correspondence", "KlassClient", "KlassCode"]

JSON = "application/json"
_T = TypeVar("_T")


class KlassCode(msgspec.Struct, frozen=True, rename="camel"):
    """One code of a classification version (``codesAt`` item)."""

    code: str
    name: str
    level: str = ""
    parent_code: str | None = None
    short_name: str = ""
    valid_from: date | None = None
    valid_to: date | None = None


class CodeChange(msgspec.Struct, frozen=True):
    """One hop of ``changes``: no ``old_code`` = a code started; no ``new_code`` = it ceased."""

    old_code: str
    new_code: str
    changed: date
    old_name: str = ""
    new_name: str = ""


class Correspondence(msgspec.Struct, frozen=True, rename="camel"):
    """One ``correspondenceItems`` row (e.g. fylke 104 -> kommune 131)."""

    source_code: str
    target_code: str
    source_name: str = ""
    target_name: str = ""


class _Codes(msgspec.Struct):
    codes: list[KlassCode]


class _Change(msgspec.Struct, rename="camel"):
    change_occurred: date
    old_code: str | None = None
    new_code: str | None = None
    old_name: str | None = None
    new_name: str | None = None


class _Changes(msgspec.Struct, rename="camel"):
    code_changes: list[_Change]


class _Corresponds(msgspec.Struct, rename="camel"):
    correspondence_items: list[Correspondence]


class KlassClient:
    """Client of ``https://data.ssb.no/api/klass/v1`` built on the shared HTTP layer."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        cache_dir: Path | str | bool | None = None,
        offline: bool = False,
        rate: tuple[int, float] | None = (30, 60.0),
        language: str = "nb",
        http: HttpClient | None = None,
        **http_options: Any,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.language = language
        self._owns_http = http is None
        self.http = http or HttpClient(
            rate=rate, cache_dir=cache_dir, offline=offline, **http_options
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_http:
            self.http.close()

    # --- resources ------------------------------------------------------------------------------

    def codes_at(self, classification_id: int | str, at: date) -> list[KlassCode]:
        """The codes of a classification valid on ``at`` (``/classifications/{id}/codesAt``)."""
        path = f"classifications/{classification_id}/codesAt"
        body = self._get(path, {"date": at.isoformat()})
        return self._decode(body, _Codes, path).codes

    def changes(
        self, classification_id: int | str, from_date: date, to_date: date
    ) -> list[CodeChange]:
        """Code changes from ``from_date`` (inclusive) to ``to_date`` (``codeChanges``), per hop."""
        if to_date < from_date:
            msg = f"to_date {to_date} is before from_date {from_date}; swap them"
            raise InvalidArgumentError(msg)
        path = f"classifications/{classification_id}/changes"
        body = self._get(path, {"from": from_date.isoformat(), "to": to_date.isoformat()})
        items = self._decode(body, _Changes, path).code_changes
        return [
            CodeChange(
                old_code=item.old_code or "",
                new_code=item.new_code or "",
                changed=item.change_occurred,
                old_name=item.old_name or "",
                new_name=item.new_name or "",
            )
            for item in items
        ]

    def corresponds_at(
        self, source_id: int | str, target_id: int | str, at: date
    ) -> list[Correspondence]:
        """Correspondence between two classifications on ``at`` (e.g. 104 fylke -> 131 kommune)."""
        path = f"classifications/{source_id}/correspondsAt"
        params = {"targetClassificationId": str(target_id), "date": at.isoformat()}
        body = self._get(path, params)
        return self._decode(body, _Corresponds, path).correspondence_items

    # --- plumbing -------------------------------------------------------------------------------

    def _get(self, path: str, params: Mapping[str, str]) -> Response:
        url = f"{self.base_url}/{path}"
        query = {**params, "language": self.language}
        response = self.http.get(url, params=query, headers={"Accept": JSON}, validate=_is_json)
        if response.ok:
            return response
        detail = _error_detail(response)
        if response.status == 404:
            raise UnknownClassificationError(
                f"KLASS has no {path} (404: {detail}); check the classification id "
                "(131 kommune, 104 fylke, 103 bydel) and, for correspondences, the date",
                status=404,
                url=response.url,
            )
        raise UpstreamError(
            f"KLASS refused {path} with {response.status}: {detail}; check the parameters "
            f"{dict(query)}",
            status=response.status,
            url=response.url,
        )

    @staticmethod
    def _decode(response: Response, kind: type[_T], path: str) -> _T:
        try:
            return msgspec.json.decode(response.content, type=kind)
        except msgspec.ValidationError as exc:
            raise UpstreamError(
                f"KLASS answered {path} with JSON of an unexpected shape ({exc}); the API may "
                "have changed: report it with the URL",
                status=response.status,
                url=response.url,
            ) from exc


def _is_json(response: Response) -> None:
    """Reject a 2xx body that is not JSON (XML when the Accept header was lost, or truncated)."""
    content_type = response.headers.get("content-type", "")
    if "json" not in content_type:
        raise ValueError(f"KLASS answered {content_type or 'no content type'}, not JSON")
    response.json()


def _error_detail(response: Response) -> str:
    """The message of a KLASS error body, or the start of the raw body."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or "empty body"
    if isinstance(body, dict):
        for key in ("message", "error", "title", "detail"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
    return response.text[:200]
