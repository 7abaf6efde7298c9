"""The one Markdown dialect of the project: CommonMark + tables, raw HTML off."""

from __future__ import annotations

import re
from functools import cache

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


def inline_html(text: str) -> Markup:
    """Inline Markdown to safe HTML (any HTML in the text is escaped, never interpreted)."""
    return Markup(_md().renderInline(text))


def inline_tokens(text: str):
    """Inline tokens of one text unit (for checking markup and links)."""
    return _md().parseInline(text)[0].children or []


def slugify(text: str) -> str:
    """A lower-case ASCII-ish slug for ids and message contexts."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})
    slug = re.sub(r"[^a-z0-9]+", "-", text.translate(table).lower())
    return slug.strip("-")
