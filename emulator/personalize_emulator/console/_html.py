"""Small HTML builders for the console: escaping by default, no template engine.

Why a ``str`` subclass: every value that reaches a page is escaped with :func:`html.escape` unless
it is already :class:`Html` (built by these helpers), so a resource name, a failure reason or a
hyperparameter can never inject markup, and nothing is escaped twice.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

__all__ = ["PREFIX", "Html", "badge", "esc", "join", "link", "page", "table", "timestamp", "url"]

#: Where the console lives on the emulator's port (no API route starts with an underscore).
PREFIX = "/_console"


class Html(str):
    """Markup that is already safe to emit."""

    __slots__ = ()


def esc(value: object) -> Html:
    """``value`` as safe markup: :class:`Html` passes through, anything else is escaped."""
    if isinstance(value, Html):
        return value
    return Html(html.escape("" if value is None else str(value), quote=True))


def join(parts: Iterable[object], separator: str = "") -> Html:
    return Html(separator.join(esc(part) for part in parts))


def url(page: str, **query: str) -> str:
    """A console URL, e.g. ``url("version", arn=...)``."""
    return f"{PREFIX}/{page}" + (f"?{urlencode(query)}" if query else "")


def link(href: str, text: object) -> Html:
    return Html(f'<a href="{esc(href)}">{esc(text)}</a>')


def badge(status: str | None) -> Html:
    """A status, coloured by what it means (done, failed, in flight)."""
    status = status or "-"
    tone = "ok" if status == "ACTIVE" else "bad" if "FAILED" in status else \
        "off" if "STOPPED" in status else "busy"
    return Html(f'<span class="badge {tone}">{esc(status)}</span>')


def timestamp(value: object) -> str:
    """An API timestamp (epoch seconds) as UTC text."""
    if not isinstance(value, int | float):
        return "" if value is None else str(value)
    moment = datetime.datetime.fromtimestamp(float(value), tz=datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def table(headings: Sequence[str], rows: Iterable[Sequence[object]], *, css: str = "",
          empty: str = "none") -> Html:
    body = "".join("<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    if not body:
        return Html(f'<p class="empty">{esc(empty)}</p>')
    head = "".join(f"<th>{esc(h)}</th>" for h in headings)
    return Html(f'<table class="{esc(css)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def page(title: str, body: Html, *, crumbs: Sequence[tuple[str, str]] = (), live: str = "") -> Html:
    """A whole page: the shared stylesheet and script, breadcrumbs, then ``body``.

    ``live`` is a console URL the script polls while something on the page is still in flight.
    """
    trail = join((link(href, text) for href, text in (("/_console/", "Dataset groups"), *crumbs)), " / ")
    live_attr = f' data-live="{esc(live)}"' if live else ""
    return Html(
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{esc(title)} - Personalize emulator</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="stylesheet" href="{PREFIX}/static/console.css"></head>'
        f'<body{live_attr}><header><span class="brand">Personalize emulator</span>'
        f'<nav>{trail}</nav></header><main><h1>{esc(title)}</h1>{body}</main>'
        f'<script src="{PREFIX}/static/console.js"></script></body></html>\n'
    )
