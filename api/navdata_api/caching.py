"""Conditional GET: strong ETags, 304 Not Modified, Cache-Control and Last-Modified.

Litestar can set an ETag header but never answers ``If-None-Match`` with 304, so the data routes
call :func:`not_modified` *before* reading any data: a revalidation then costs one manifest
lookup and a hash, not a Parquet scan. The ETag is strong and derived from the store manifest's
content hash plus the normalised query, so it changes exactly when the bytes we would send do.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from types import MappingProxyType
from typing import Any, Final, Generic, TypeVar

import anyio.to_thread
import msgspec
from litestar import Request, Response
from litestar.openapi.datastructures import ResponseSpec
from litestar.stores.base import Store
from litestar.types import Message, Scope

VARY: Final = "Accept, Accept-Encoding"

# Seconds a shared cache may reuse a response without asking again, by the series' frequency.
# Statistics are published on a calendar (monthly NAV tables, quarterly/annual SSB tables); the
# store can still be re-synced any day, so even yearly data is only fresh for a day and every
# reuse after that is a cheap 304 revalidation.
_MAX_AGE: Final = {
    "week": 3_600,
    "month": 6 * 3_600,
    "quarter": 12 * 3_600,
    "tertial": 12 * 3_600,
    "half": 24 * 3_600,
    "year": 24 * 3_600,
}
DEFAULT_MAX_AGE: Final = 3_600
STATIC_MAX_AGE: Final = 24 * 3_600


class Validators(msgspec.Struct, frozen=True):
    """What a client needs to cache a representation and to revalidate it."""

    etag: str
    last_modified: datetime | None = None
    max_age: int = DEFAULT_MAX_AGE


def max_age_for(frequency: str | None) -> int:
    """Freshness lifetime in seconds that fits a series published at ``frequency``."""
    return _MAX_AGE.get(frequency or "", DEFAULT_MAX_AGE)


def strong_etag(*parts: object) -> str:
    """A quoted strong entity tag over ``parts`` (content hash, route, normalised query ...)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(str(part).encode())
        digest.update(b"\x1f")
    return f'"{digest.hexdigest()[:32]}"'


#: What a content coding appends to a representation's entity tag (inside the quotes).
CODING_SUFFIXES: Final = {"gzip": "-gzip", "br": "-br", "deflate": "-deflate"}


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith(("W/", "w/")) else tag


def coded_etag(etag: str, coding: str) -> str:
    """The entity tag of ``etag``'s representation sent with content coding ``coding``.

    A gzip body is another representation than the identity one, so it must not share a strong
    entity tag (RFC 9110 8.8.3): ``"abc"`` becomes ``"abc-gzip"``.
    """
    suffix = CODING_SUFFIXES.get(coding.strip().lower())
    if suffix is None or not etag.endswith('"') or etag.endswith(f'{suffix}"'):
        return etag
    return f'{etag[:-1]}{suffix}"'


def matching_tag(if_none_match: str, etag: str) -> str | None:
    """The tag in ``If-None-Match`` that names ``etag`` in any content coding, else ``None``.

    RFC 9110 weak comparison; ``*`` matches any current representation (``etag`` itself). A
    304 sends back the matching tag, so a client holding the gzip copy keeps its tag.
    """
    header = if_none_match.strip()
    if header == "*":
        return etag
    ours = _opaque(etag)
    for candidate in header.split(","):
        theirs = _opaque(candidate)
        if theirs == ours or any(theirs == coded_etag(ours, coding) for coding in CODING_SUFFIXES):
            return theirs
    return None


@functools.lru_cache(maxsize=1024)
def http_date(moment: datetime) -> str:
    """An IMF-fixdate (``Tue, 05 Mar 2024 10:00:00 GMT``) of a timezone-aware or UTC time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def parse_http_date(text: str) -> datetime | None:
    """Parse an HTTP date; ``None`` when it is malformed (RFC 9110 says: ignore the header)."""
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@functools.lru_cache(maxsize=4096)
def cache_headers(validators: Validators) -> Mapping[str, str]:
    """Headers every cacheable response (200 and 304 alike) carries (read-only, kept per tag)."""
    headers = {
        "ETag": validators.etag,
        "Cache-Control": (
            f"public, max-age={validators.max_age}, "
            f"stale-while-revalidate={validators.max_age // 2}"
        ),
        "Vary": VARY,
    }
    if validators.last_modified is not None:
        headers["Last-Modified"] = http_date(validators.last_modified)
    return MappingProxyType(headers)


def not_modified(request: Request[Any, Any, Any], validators: Validators) -> Response[Any] | None:
    """A 304 response when the client's copy is current, else ``None``.

    ``If-None-Match`` wins over ``If-Modified-Since`` (RFC 9110 13.2.2): the date is only
    consulted when the client sent no entity tags.
    """
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        matched = matching_tag(if_none_match, validators.etag)
        if matched is None:
            return None
        validators = msgspec.structs.replace(validators, etag=matched)
    else:
        since = request.headers.get("if-modified-since")
        parsed = parse_http_date(since) if since else None
        last = validators.last_modified
        if parsed is None or last is None:
            return None
        if last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        if last.replace(microsecond=0) > parsed:
            return None
    return Response(content=b"", status_code=304, headers=cache_headers(validators))


def latest(moments: Iterable[datetime | None]) -> datetime | None:
    """The latest of several optional times (``Last-Modified`` of a composite resource)."""
    known = [m if m.tzinfo else m.replace(tzinfo=UTC) for m in moments if m is not None]
    return max(known) if known else None


async def dedupe_vary(message: Message, scope: Scope) -> None:
    """``before_send`` hook: the gzip middleware appends ``Accept-Encoding`` to our ``Vary``.

    Duplicated tokens are harmless to caches but read like a bug, so they are merged here.
    """
    if message["type"] != "http.response.start":
        return
    headers = message.get("headers")
    if not headers:
        return
    for index, (name, value) in enumerate(headers):
        if name.lower() == b"vary" and b"," in value:
            tokens: list[bytes] = []
            for token in value.split(b","):
                clean = token.strip()
                if clean and clean.lower() not in {t.lower() for t in tokens}:
                    tokens.append(clean)
            headers[index] = (name, b", ".join(tokens))  # type: ignore[index]


def revalidation_specs() -> dict[int, ResponseSpec]:
    """OpenAPI entry for the 304 a cacheable route gives on a matching ``If-None-Match``."""
    return {
        304: ResponseSpec(
            data_container=None,
            description="Not Modified: the client's copy (If-None-Match) is current",
            generate_examples=False,
        )
    }


class CachedBody(msgspec.Struct, frozen=True):
    """An encoded response body and the headers that belong to it."""

    content: bytes
    media_type: str
    headers: dict[str, str]


#: Encoded bodies larger than this stay out of the shared store (one Redis value each).
SHARED_BODY_MAX: Final = 4 << 20
#: Seconds a body stays in the shared store. Its key is its ETag, which changes with the data,
#: so this only bounds memory; a re-sync makes old keys unreachable, never wrong.
SHARED_BODY_TTL: Final = 6 * 3_600
_encode_body = msgspec.msgpack.Encoder().encode
_decode_body = msgspec.msgpack.Decoder(CachedBody).decode


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ByteLRU(Generic[K, V]):
    """A least-recently-used map bounded by the bytes its values take (``size_of``).

    A value that alone would take more than a quarter of the budget is not kept: one large
    answer must not evict everything else.
    """

    def __init__(self, max_bytes: int, size_of: Callable[[V], int]) -> None:
        self.max_bytes = max_bytes
        self._size_of = size_of
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The kept value, marking it recently used."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: K, value: V) -> None:
        """Keep ``value``, evicting the least recently used values beyond the budget."""
        size = self._size_of(value)
        if size * 4 > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= self._size_of(old)
            self._entries[key] = value
            self._size += size
            while self._size > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._size -= self._size_of(evicted)


class BodyCache(ByteLRU[str, CachedBody]):
    """Encoded bodies keyed by ETag: a byte-bounded LRU in this process, then a shared store.

    The ETag already covers the stored content hash and the normalised query, so an entry can
    never be served for other data; a re-sync simply makes old keys unreachable until evicted.
    With a ``shared`` store (Redis, ``NAVDATA_API_REDIS_URL``) a body rendered by one worker or
    instance is reused by all; the store degrades to a miss, never an error, when Redis is down.
    """

    def __init__(self, max_bytes: int, shared: Store | None = None) -> None:
        super().__init__(max_bytes, _content_size)
        self.shared = shared if max_bytes > 0 else None

    async def fetch(self, key: str) -> CachedBody | None:
        """The body from this process, else from the shared store (then kept here too)."""
        found = self.get(key)
        if found is None and self.shared is not None:
            raw = await self.shared.get(key)
            if raw is not None:
                found = _decode_body(raw)
                self.put(key, found)
        return found

    async def keep(self, key: str, body: CachedBody) -> None:
        """Keep ``body`` here and, when it is not too large, in the shared store."""
        self.put(key, body)
        if self.shared is not None and len(body.content) <= SHARED_BODY_MAX:
            await self.shared.set(key, _encode_body(body), expires_in=SHARED_BODY_TTL)


def _content_size(body: CachedBody) -> int:
    return len(body.content)


async def cached_body(
    bodies: BodyCache, etag: str, render: Callable[[], CachedBody], *, in_thread: bool = False
) -> CachedBody:
    """The body under ``etag`` from the body cache, else ``render()``, kept for next time.

    ``in_thread`` for renders that take real time (filter + encode, drawing a chart): only a
    miss does that work, and meanwhile cached answers and 304s keep flowing on the event loop.
    """
    keeping = bodies.max_bytes > 0  # NAVDATA_API_CACHE_MB=0: nothing to look up or keep
    hit = await bodies.fetch(etag) if keeping else None
    if hit is None:
        hit = await anyio.to_thread.run_sync(render) if in_thread else render()
        if keeping:
            await bodies.keep(etag, hit)
    return hit


def body_response(
    body: CachedBody, validators: Validators, headers: Mapping[str, str] | None = None
) -> Response[Any]:
    """A 200 with ``body``, its own headers, the cache headers and any route ``headers``."""
    return Response(
        content=body.content,
        media_type=body.media_type,
        headers={**cache_headers(validators), **body.headers, **(headers or {})},
    )
