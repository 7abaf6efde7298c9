"""The one Markdown dialect of the project: CommonMark + tables, raw HTML off."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from markupsafe import Markup

_SPACE = re.compile(r"\s+")


@cache
def _md():
    from markdown_it import MarkdownIt  # imported on first use: `build` with nothing to do skips it

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def parse(text: str):
    """Block tokens of a Markdown document."""
    return _md().parse(text)


def normalise(text: str) -> str:
    """Collapse runs of whitespace (line breaks included) into single spaces."""
    return _SPACE.sub(" ", text).strip()


def inline_html(text: str, folder: Path | None = None) -> Markup:
    """Inline Markdown to safe HTML (any HTML in the text is escaped, never interpreted).

    A relative image path is made absolute against ``folder`` (the Markdown file's folder).
    """
    if folder is None or "![" not in text:
        return Markup(_md().renderInline(text))
    tokens = _md().parseInline(text)
    for token in tokens[0].children or []:
        src = str(token.attrs.get("src", "")) if token.type == "image" else ""
        if src and not urlparse(src).scheme and not src.startswith("/"):
            token.attrs["src"] = (folder / unquote(src)).resolve().as_uri()
    return Markup(_md().renderer.render(tokens, _md().options, {}))


def inline_tokens(text: str):
    """Inline tokens of one text unit (for checking markup and links)."""
    return _md().parseInline(text)[0].children or []


def slugify(text: str) -> str:
    """A lower-case ASCII-ish slug for ids and message contexts."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})
    slug = re.sub(r"[^a-z0-9]+", "-", text.translate(table).lower())
    return slug.strip("-")
