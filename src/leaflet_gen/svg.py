"""Refuse SVG files that could run code, reach outside themselves or blow up when drawn."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .errors import SourceError
from .limits import MAX_SVG_BYTES, MAX_SVG_ELEMENTS, read_bounded, size_text

_FORBIDDEN_TAGS = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video"}
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(r"<\?xml[^>]*encoding\s*=\s*['\"]([^'\"]*)", re.IGNORECASE)
_OTHER_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def check_svg(path: Path, *, need_title: bool = False) -> ET.Element:
    """Parse an SVG file and refuse what :func:`check_svg_bytes` refuses."""
    return check_svg_bytes(read_bounded(path, MAX_SVG_BYTES, "SVG"), "SVG", path, need_title)


def check_svg_bytes(
    data: bytes, what: str, where: Path | None, need_title: bool = False
) -> ET.Element:
    """Parse an SVG and refuse scripts, event handlers, entities, external references, text
    that is not UTF-8, and more than MAX_SVG_ELEMENTS elements once every ``<use>`` is
    expanded (a few nested ``<use>`` copies can make millions)."""
    if len(data) > MAX_SVG_BYTES:
        raise SourceError(f"{what} is larger than {size_text(MAX_SVG_BYTES)}", where)
    if data.startswith(_OTHER_BOMS):
        raise SourceError(f"{what} is not UTF-8 (SVGs are read in UTF-8 only)", where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{what} is not UTF-8 (byte {exc.start}; SVGs are read in UTF-8 only)", where
        ) from None
    if "\x00" in text:  # UTF-16 or UTF-32 without a byte-order mark
        raise SourceError(f"{what} is not UTF-8 (SVGs are read in UTF-8 only)", where)
    declared = _DECLARED_ENCODING.search(text[:200])
    if declared and declared[1].lower().replace("-", "") != "utf8":
        raise SourceError(f"{what} declares encoding {declared[1]} (only UTF-8 is read)", where)
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise SourceError(f"{what} with a DOCTYPE or entity declarations is refused", where)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SourceError(f"{what} is not a well-formed SVG ({exc})", where) from None
    if _local(root.tag) != "svg":
        raise SourceError(f"{what} is not an SVG document (root element is not <svg>)", where)
    for element in root.iter():
        _check_element(element, what, where)
    _check_expansion(root, what, where)
    if need_title and not any(_local(child.tag) == "title" for child in root):
        raise SourceError(f"{what} has no <title> (needed for accessibility)", where)
    return root


def _check_element(element: ET.Element, what: str, where: Path | None) -> None:
    tag = _local(element.tag)
    if tag in _FORBIDDEN_TAGS:
        raise SourceError(f"{what} contains <{tag}>, which is refused", where)
    for name, value in element.attrib.items():
        attribute = _local(name)
        if attribute.lower().startswith("on"):
            raise SourceError(f"{what} has an event handler ({attribute}), which is refused", where)
        if attribute == "href" and not value.strip().startswith("#"):
            raise SourceError(f"{what} references an external resource ({value})", where)
        for target in _URL.findall(value):
            if not target.startswith("#"):
                raise SourceError(f"{what} references an external resource ({target})", where)
    if tag == "style" and any(not t.startswith("#") for t in _URL.findall(element.text or "")):
        raise SourceError(f"{what} stylesheet references an external resource", where)
    if tag == "style" and "@import" in (element.text or ""):
        raise SourceError(f"{what} stylesheet imports another resource", where)


def _check_expansion(root: ET.Element, what: str, where: Path | None) -> None:
    """Count the elements a renderer draws, each ``<use>`` as the elements it copies."""
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    counts: dict[int, int] = {}
    open_now: set[int] = set()
    too_many = SourceError(
        f"{what} has more than {MAX_SVG_ELEMENTS} elements with every <use> expanded", where
    )

    def count(element: ET.Element) -> int:
        key = id(element)
        if key in counts:
            return counts[key]
        if key in open_now:
            raise SourceError(f"{what} has a <use> that refers to itself", where)
        open_now.add(key)
        total = 1 + sum(count(child) for child in element)
        if _local(element.tag) == "use":
            href = next((v for k, v in element.attrib.items() if _local(k) == "href"), "")
            target = by_id.get(href.strip().removeprefix("#"))
            total += count(target) if target is not None else 0
        open_now.discard(key)
        counts[key] = total
        if total > MAX_SVG_ELEMENTS:
            raise too_many
        return total

    try:
        count(root)
    except RecursionError:
        raise SourceError(f"{what} nests its elements too deeply", where) from None
