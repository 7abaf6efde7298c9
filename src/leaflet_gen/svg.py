"""Refuse SVG files that could run code or reach outside themselves."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .errors import SourceError

_FORBIDDEN_TAGS = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video"}
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def check_svg(path: Path, *, need_title: bool = False) -> ET.Element:
    """Parse an SVG and refuse scripts, event handlers, entities and external references."""
    data = path.read_bytes()
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise SourceError("SVG with a DOCTYPE or entity declarations is refused", path)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SourceError(f"not a well-formed SVG ({exc})", path) from None
    if _local(root.tag) != "svg":
        raise SourceError("not an SVG document (root element is not <svg>)", path)
    for element in root.iter():
        tag = _local(element.tag)
        if tag in _FORBIDDEN_TAGS:
            raise SourceError(f"SVG contains <{tag}>, which is refused", path)
        for name, value in element.attrib.items():
            attribute = _local(name)
            if attribute.lower().startswith("on"):
                raise SourceError(f"SVG has an event handler ({attribute}), which is refused", path)
            if attribute == "href" and not value.strip().startswith("#"):
                raise SourceError(f"SVG references an external resource ({value})", path)
            for target in _URL.findall(value):
                if not target.startswith("#"):
                    raise SourceError(f"SVG references an external resource ({target})", path)
        if tag == "style" and any(not t.startswith("#") for t in _URL.findall(element.text or "")):
            raise SourceError("SVG stylesheet references an external resource", path)
        if tag == "style" and "@import" in (element.text or ""):
            raise SourceError("SVG stylesheet imports another resource", path)
    if need_title and not any(_local(child.tag) == "title" for child in root):
        raise SourceError("SVG has no <title> (needed for accessibility)", path)
    return root
