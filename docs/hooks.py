"""MkDocs hooks: pages generated at build time from navdata's own bundled data.

``<!-- navdata:catalogue -->`` becomes a table of every series in ``navdata.catalog()`` and
``<!-- navdata:timeline -->`` a table of every milestone, so the documentation cannot drift
from the catalogue and the timeline it describes.
"""

from __future__ import annotations

from typing import Any

from navdata import milestones as tl
from navdata.access import catalog

CATALOGUE_MARK = "<!-- navdata:catalogue -->"
TIMELINE_MARK = "<!-- navdata:timeline -->"


def _cell(text: object) -> str:
    """A table cell: pipes escaped, newlines flattened."""
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def catalogue_markdown() -> str:
    """Every catalogued series as a Markdown table (English titles)."""
    frame = catalog(lang="en")
    bundled = frame.filter(frame["source"] == "bundled").height
    lines = [
        (
            f"{frame.height} series: {bundled} bundled key figures (work offline) and the "
            "rest fetched from SSB and NAV with `navdata sync`."
        ),
        "",
        "| id | title | source | topic | frequency | unit | table | breaks |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in frame.iter_rows(named=True):
        table = _cell(row["table"])
        if row["source_url"]:
            table = f"[{table or 'source'}]({row['source_url']})"
        lines.append(
            f"| `{row['id']}` | {_cell(row['title'])} | {_cell(row['source'])} | "
            f"{_cell(row['topic'])} | {_cell(row['frequency'])} | {_cell(row['unit'])} | "
            f"{table} | {row['breaks']} |"
        )
    return "\n".join(lines)


def timeline_markdown() -> str:
    """Every milestone, oldest first, with its first source."""
    records = tl.load_milestones()
    lines = [
        f"{len(records)} milestones. Dates are shown only as precisely as they are known.",
        "",
        "| date | id | milestone | tags | source |",
        "|---|---|---|---|---|",
    ]
    for record in records:
        source = record.sources[0] if record.sources else None
        link = f"[{_cell(source.publisher)}]({source.url})" if source else ""
        lines.append(
            f"| {record.date_text} | `{record.id}` | {_cell(record.title('en'))} | "
            f"{', '.join(record.tags)} | {link} |"
        )
    return "\n".join(lines)


def on_page_markdown(markdown: str, **_: Any) -> str:
    """Replace the generation marks on any page."""
    if CATALOGUE_MARK in markdown:
        markdown = markdown.replace(CATALOGUE_MARK, catalogue_markdown())
    if TIMELINE_MARK in markdown:
        markdown = markdown.replace(TIMELINE_MARK, timeline_markdown())
    return markdown
