"""A fake nav.no (ASGI) for end-to-end tests: statistics pages with attachment links, and files.

SYNTHETIC: the pages are minimal HTML in nav.no's server-rendered shape (relative
``/_/attachment/download|inline/<uuid>:<hash>/<name>`` links), or, with ``next_data=True``, a
Next.js page that carries its links only in the embedded ``__NEXT_DATA__`` JSON (as nav.no's
PST302 page does; the JSON's inner field names here are made up, navdata reads any shape); the
files are whatever the test publishes (synthetic workbooks from ``tests/nav_workbooks.py``).
``publish`` replaces a page, as a new NAV release does; ``requests`` records every path asked for.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote, unquote

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]


def attachment_path(file_name: str, content: bytes, form: str = "download") -> str:
    """A nav.no-style attachment path whose hash changes with the content, as on nav.no."""
    digest = hashlib.sha1(content, usedforsecurity=False).hexdigest()
    uuid = "9d4a48b2-3f8a-4bff-aee6-" + digest[:12]
    return f"/_/attachment/{form}/{uuid}:{digest}/{quote(file_name)}"


def page_html(links: list[tuple[str, str]]) -> str:
    """A statistics page with one ``<a>`` per (href, text)."""
    anchors = "\n".join(f'<li><a class="aksel-link" href="{h}">{t}</a></li>' for h, t in links)
    head = "<!DOCTYPE html><html><body><main><h1>Statistikk (syntetisk)</h1>"
    return f"{head}<ul>{anchors}</ul></main></body></html>"


def next_data_html(links: list[tuple[str, str]]) -> str:
    """A Next.js page whose attachment links live only in ``__NEXT_DATA__`` (SYNTHETIC shape)."""
    data = {
        "props": {
            "pageProps": {
                "content": {
                    "displayName": "Statistikk (syntetisk)",
                    "data": {"attachments": [{"text": t, "url": h} for h, t in links]},
                }
            }
        },
        "page": "/[[...pathRouter]]",
    }
    script = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return (
        '<!DOCTYPE html><html><body><div id="__next"><main><h1>Statistikk (syntetisk)</h1>'
        '</main></div><script id="__NEXT_DATA__" type="application/json">'
        f"{script}</script></body></html>"
    )


class FakeNav:
    """Serve pages (HTML) and files (bytes) by path; 404 for anything else."""

    # ``requests`` holds raw (percent-encoded) paths, the form ``publish`` returns.

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.files: dict[str, bytes] = {}
        self.requests: list[str] = []

    def publish(
        self,
        page: str,
        files: list[tuple[str, bytes, str]],
        *,
        form: str = "download",
        next_data: bool = False,
    ) -> list[str]:
        """Put files (name, content, link text) on ``page``, replacing what it linked before."""
        links = []
        for name, content, text in files:
            path = attachment_path(name, content, form)
            self.files[path] = content
            links.append((path, text))
        self.pages[page] = next_data_html(links) if next_data else page_html(links)
        return [path for path, _ in links]

    async def __call__(
        self,
        scope: Scope,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        assert scope["type"] == "http"
        path = unquote(scope["path"])
        raw_path = scope.get("raw_path", b"").decode() or path
        self.requests.append(raw_path)  # as sent: percent-encoded, like the published links
        if path in self.pages:
            body, kind = self.pages[path].encode(), b"text/html; charset=utf-8"
        elif raw_path in self.files or quote(path) in self.files:
            body = self.files.get(raw_path) or self.files[quote(path)]
            kind = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            body, kind = b"not found", b"text/plain"
            await send(
                {"type": "http.response.start", "status": 404, "headers": [(b"content-type", kind)]}
            )
            await send({"type": "http.response.body", "body": body})
            return
        headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
