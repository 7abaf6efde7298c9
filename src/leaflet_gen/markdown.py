"""The one Markdown dialect of the project: CommonMark + tables, raw HTML off."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markupsafe import Markup

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_SPACE = re.compile(r"\s+")


def parse(text: str):
    """Block tokens of a Markdown document."""
    return _MD.parse(text)


def normalise(text: str) -> str:
    """Collapse runs of whitespace (line breaks included) into single spaces."""
    return _SPACE.sub(" ", text).strip()


def inline_html(text: str) -> Markup:
    """Inline Markdown to safe HTML (any HTML in the text is escaped, never interpreted)."""
    return Markup(_MD.renderInline(text))


def inline_tokens(text: str):
    """Inline tokens of one text unit (for checking markup and links)."""
    return _MD.parseInline(text)[0].children or []


def slugify(text: str) -> str:
    """A lower-case ASCII-ish slug for ids and message contexts."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})
    slug = re.sub(r"[^a-z0-9]+", "-", text.translate(table).lower())
    return slug.strip("-")
