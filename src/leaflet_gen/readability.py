"""Readability measured in a finished PDF: type sizes, contrast in colour and greyscale,
alt text on figures, tags and the text layer; in the print-shop edition, the printing
condition and the slug.

Sizes and colours come from the PDF's text objects (pdfplumber); the background behind each
run of text is sampled from the page rendered to pixels (pdfium), so coloured boxes, borders
and images under text are all measured the same way. Body text is told apart from headings
by the structure tree of a tagged PDF, or, in an untagged one, as the most common size.
"""

from __future__ import annotations

import io
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby, pairwise
from typing import TYPE_CHECKING

from .colour import MIN_CONTRAST, RGB, contrast, grey
from .errors import RenderError
from .limits import MAX_IMAGE_PIXELS, MAX_PDF_DECODED_BYTES, MAX_PDF_PAGES, size_text

if TYPE_CHECKING:
    import pdfplumber

MIN_TEXT_PT = 9.0
MIN_BODY_PT = 12.0
MIN_BODY_LARGE_PRINT_PT = 16.0
INSIDE_TRIM_MM = 5.0  # a guillotine cuts within about 1 mm; text keeps well clear of the edge
MM = 72 / 25.4
RENDER_SCALE = 2.0  # 144 dpi: a 9 pt line is 18 pixels high
HEADINGS = frozenset({"H", "H1", "H2", "H3", "H4", "H5", "H6"})
_SIZE_TOLERANCE = 0.05  # pt, for rounding in text matrices
_PER_KIND = 4
MIN_EXTRACTION_AGREEMENT = 0.85  # PDFium drops some Arabic marks' words; reversed words: ~70%
# Word recall of each extractor against the document's own text (when it is known): poppler
# and PDFium read /ActualText (whole hyphenated words, right-to-left words in logical order,
# vowel marks included); pypdf ignores /ActualText, so a hyphenated word is two.
MIN_RECALL = {"pdftotext": 0.99, "PDFium": 0.99, "pypdf": 0.97}
TERMINAL = ".!?:;…؟»)\"”"  # a paragraph that ends without one of these continues
SPLIT_KINDS = frozenset({"Part", "Sect", "Table", "P"})


@dataclass(frozen=True)
class Rules:
    """What a document must meet."""

    min_text_pt: float = MIN_TEXT_PT
    min_body_pt: float = MIN_BODY_PT
    min_contrast: float = MIN_CONTRAST
    tagged: bool = True
    inside_trim_mm: float | None = None  # print shop: text this far inside the trim box
    prepress: bool = False  # print shop: a printing condition, a slug for the marks


@dataclass(frozen=True)
class Run:
    """Consecutive characters on one line in one size and colour."""

    page: int
    text: str
    size: float
    colour: RGB
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in pt from the page's top left
    body: bool | None  # None: an artifact (running header or footer)


@dataclass
class Report:
    """What was measured in one PDF, and what falls short of the rules."""

    pages: int = 0
    smallest_pt: float = 0.0
    smallest_body_pt: float = 0.0
    lowest_contrast: float = 21.0
    lowest_grey_contrast: float = 21.0
    figures: int | None = None  # figures with alt text; None where the edition is untagged
    findings: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)  # small, body, contrast, greyscale...

    @property
    def passed(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        figures = "untagged" if self.figures is None else f"{self.figures} figures with alt text"
        return (
            f"{self.pages} pages, smallest text {self.smallest_pt:g} pt, body text "
            f">= {self.smallest_body_pt:g} pt, lowest contrast {self.lowest_contrast:.1f}:1 "
            f"(greyscale {self.lowest_grey_contrast:.1f}:1), {figures}"
        )


def rules_for(edition: str, large_print: bool) -> Rules:
    """The rules of an edition: only the screen edition is tagged (print editions are not)."""
    return Rules(
        min_body_pt=MIN_BODY_LARGE_PRINT_PT if large_print else MIN_BODY_PT,
        tagged=edition == "screen",
        inside_trim_mm=INSIDE_TRIM_MM if edition == "print-shop" else None,
        prepress=edition == "print-shop",
    )


def check_pdf(data: bytes, rules: Rules, source: str | None = None) -> Report:
    """Measure a PDF against the readability rules (``source``: the document's text, which
    each extractor must find in it)."""
    import pdfplumber  # imported here: the other commands start faster without it

    try:
        _check_decoded_size(data)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return _measured(pdf, rules, source)
    except RenderError:
        raise
    except Exception as exc:  # pdfminer and pdfium raise a zoo of errors on damaged files
        raise RenderError(f"not a readable PDF ({exc.__class__.__name__})") from None


def _check_decoded_size(data: bytes) -> None:
    """Refuse a PDF whose streams decode to more than MAX_PDF_DECODED_BYTES, or that holds a
    picture of more than MAX_IMAGE_PIXELS pixels, before anything parses or draws them.

    Flate streams (what WeasyPrint writes, and what a "zip bomb" uses) are inflated in
    pieces and never beyond the budget; other filters through pypdf, which caps each stream.
    """
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject, StreamObject

    reader = PdfReader(io.BytesIO(data))
    if len(reader.pages) > MAX_PDF_PAGES:
        raise RenderError(f"{len(reader.pages)} pages is more than the limit of {MAX_PDF_PAGES}")
    budget = MAX_PDF_DECODED_BYTES
    numbers = {(n, g) for g, objects in reader.xref.items() for n in objects}
    numbers |= {(n, 0) for n in reader.xref_objStm}
    for number, generation in sorted(numbers):
        stream = reader.get_object(IndirectObject(number, generation, reader))
        if not isinstance(stream, StreamObject):
            continue
        if stream.get("/Subtype") == "/Image":
            width, height = (stream.get(key) for key in ("/Width", "/Height"))
            pixels = int(width.get_object() if width else 0) * int(
                height.get_object() if height else 0
            )
            if pixels > MAX_IMAGE_PIXELS:
                raise RenderError(
                    f"a picture of {pixels / 1e6:g} million pixels is more than the limit of "
                    f"{MAX_IMAGE_PIXELS / 1e6:g} million"
                )
        budget -= _decoded_length(stream, budget)
        if budget < 0:
            raise RenderError(
                f"its streams decode to more than {size_text(MAX_PDF_DECODED_BYTES)} "
                "(a leaflet needs well under 1 MB)"
            )


def _decoded_length(stream, budget: int) -> int:
    """The decoded size of one stream, counted up to ``budget + 1`` bytes."""
    filters = stream.get("/Filter")
    if filters == "/FlateDecode" or filters == ["/FlateDecode"]:
        inflate = zlib.decompressobj()
        size, pending = 0, stream._data
        while pending and size <= budget:
            size += len(inflate.decompress(pending, 64 * 1024))
            pending = inflate.unconsumed_tail
        return size
    if filters in (None, "/DCTDecode", "/JPXDecode", ["/DCTDecode"], ["/JPXDecode"]):
        return len(stream._data)
    return len(stream.get_data())


def _measured(pdf: pdfplumber.PDF, rules: Rules, source: str | None) -> Report:
    report = Report(pages=len(pdf.pages))
    findings: list[tuple[str, str]] = []
    tags = _structure(pdf) if rules.tagged else None
    if rules.tagged:
        findings += _tagging_findings(pdf, tags) + _orphan_findings(pdf, tags)
        findings += _table_findings(pdf) + _split_findings(pdf)
        findings += _text_layer_findings(pdf, source)
    if rules.tagged or rules.prepress:
        findings += _identifier_findings(pdf)
    if rules.prepress:
        findings += _prepress_findings(pdf)
    runs = [run for page in pdf.pages for run in _runs(page, tags)]
    if not runs:
        findings.append(("text", "no text found"))
    else:
        findings += _size_findings(runs, rules, report)
        if rules.inside_trim_mm is not None:
            findings += _trim_findings(pdf, runs, rules.inside_trim_mm)
        findings += _off_page_findings(pdf, runs)
        findings += _contrast_findings(pdf, runs, rules, report)
    report.figures = tags.figures if tags else None
    report.findings = _condensed(findings)
    report.kinds = Counter(kind for kind, _ in findings)
    return report


# -- structure ------------------------------------------------------------------------------


@dataclass
class _Structure:
    kinds: dict[tuple[int, int], str]  # (page number, marked-content id) -> element type
    figures: int
    figures_without_alt: list[int]  # page numbers
    headings: list[tuple[int, int]]  # (level, page number) in reading order


def _structure(pdf: pdfplumber.PDF) -> _Structure:
    kinds: dict[tuple[int, int], str] = {}
    structure = _Structure(kinds, 0, [], [])

    def walk(elements: list[dict], enclosing: str | None) -> None:
        for element in elements:
            kind = element.get("type")
            own = enclosing if kind in ("Span", None) else kind
            if kind == "Figure":
                structure.figures += 1
                if not (element.get("alt_text") or "").strip():
                    structure.figures_without_alt.append(element.get("page_number") or 0)
            if kind in HEADINGS and kind != "H":
                structure.headings.append((int(kind[1:]), element.get("page_number") or 0))
            for mcid in element.get("mcids", ()):
                kinds[(element.get("page_number"), mcid)] = own
            walk(element.get("children", []), own)

    walk(pdf.structure_tree, None)  # [] when untagged: reported by _tagging_findings
    return structure


def _tagging_findings(pdf: pdfplumber.PDF, tags: _Structure) -> list[tuple[str, str]]:
    from pdfminer.pdftypes import resolve1

    catalog = pdf.doc.catalog
    findings = []
    marked = resolve1(resolve1(catalog.get("MarkInfo") or {}).get("Marked"))
    if "StructTreeRoot" not in catalog or not marked:
        findings.append(("tags", "the PDF is not tagged (no structure tree or not /Marked)"))
    if not resolve1(catalog.get("Lang")):
        findings.append(("tags", "the PDF declares no language (/Lang)"))
    for page in tags.figures_without_alt:
        findings.append(("alt", f"page {page}: a figure has no alt text"))
    return findings + _heading_findings(tags.headings)


def _heading_findings(headings: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """Headings start at H1 and never skip a level on the way down."""
    findings = []
    previous = 0
    for level, page in headings:
        if level > previous + 1:
            findings.append(("headings", f"page {page}: H{level} follows H{previous or '-'}"))
        previous = level
    return findings


def _orphan_findings(pdf: pdfplumber.PDF, tags: _Structure) -> list[tuple[str, str]]:
    """Marked content no structure element owns: a page artifact (running footer, page
    number) must be marked as one, not left as content that assistive technology cannot
    place."""
    orphans = Counter(
        char["page_number"]
        for page in pdf.pages
        for char in page.chars
        if char.get("mcid") is not None and (char["page_number"], char["mcid"]) not in tags.kinds
    )
    return [
        ("tags", f"page {page}: {count} characters are marked content outside the structure tree")
        for page, count in sorted(orphans.items())
    ]


def _elements(pdf: pdfplumber.PDF):
    """Every structure element's dictionary (pdfminer), in document order."""
    from pdfminer.pdftypes import resolve1

    root = resolve1(pdf.doc.catalog.get("StructTreeRoot"))
    pending = [root] if isinstance(root, dict) else []
    while pending:
        element = pending.pop(0)
        kids = resolve1(element.get("K"))
        kids = kids if isinstance(kids, list) else [kids]
        found = [resolve1(kid) for kid in kids]
        found = [kid for kid in found if isinstance(kid, dict) and "S" in kid]
        yield element
        pending[:0] = found


def _table_findings(pdf: pdfplumber.PDF) -> list[tuple[str, str]]:
    """Header cells say what they head (/Scope), and the IDs cells point to are listed."""
    from pdfminer.pdftypes import resolve1

    without_scope = uses_ids = 0
    for element in _elements(pdf):
        kind = getattr(resolve1(element.get("S")), "name", "")
        attributes = resolve1(element.get("A"))
        attributes = attributes if isinstance(attributes, list) else [attributes]
        attributes = [resolve1(a) for a in attributes if isinstance(resolve1(a), dict)]
        if kind == "TH" and not any("Scope" in a for a in attributes):
            without_scope += 1
        uses_ids += any("Headers" in a for a in attributes)
    findings = []
    if without_scope:
        findings.append(("tables", f"{without_scope} table header cells have no /Scope"))
    root = resolve1(pdf.doc.catalog.get("StructTreeRoot")) or {}
    if uses_ids and "IDTree" not in root:
        findings.append(("tables", "cells point to header IDs but there is no /IDTree"))
    return findings


def _split_findings(pdf: pdfplumber.PDF) -> list[tuple[str, str]]:
    """An HTML element tagged once per page: two sibling elements of one kind, the second
    beginning on the page after the first ends, that read as one (a <main> is one Part, a
    section goes on without a heading with more of what the first ended with, a table repeats
    its header row, a paragraph stops mid-sentence)."""
    texts = {
        (char["page_number"], char["mcid"]): char["text"]
        for page in pdf.pages
        for char in page.chars
        if char.get("mcid") is not None
    }
    texts = _joined(texts)
    findings = []

    def visit(elements: list[dict]) -> None:
        for first, second in pairwise(elements):
            kind = first.get("type")
            if kind in SPLIT_KINDS and kind == second.get("type"):
                end, start = max(_pages(first)), min(_pages(second))
                if start == end + 1 and _continues(kind, first, second, texts):
                    findings.append(
                        ("split", f"page {start}: a {kind} continues from page {end} as another")
                    )
        for element in elements:
            visit(element.get("children", []))

    visit(pdf.structure_tree)
    return findings


def _joined(chars: dict[tuple[int, int], str]) -> dict[tuple[int, int], str]:
    joined: dict[tuple[int, int], str] = {}
    for key, text in chars.items():
        joined[key] = joined.get(key, "") + text
    return joined


def _pages(element: dict) -> set[int]:
    pages = {element["page_number"]} if element.get("page_number") else set()
    for child in element.get("children", []):
        pages |= _pages(child)
    return pages or {0}


def _text(element: dict, texts: dict[tuple[int, int], str]) -> str:
    own = "".join(texts.get((element.get("page_number"), m), "") for m in element.get("mcids", []))
    return own + "".join(_text(child, texts) for child in element.get("children", []))


def _continues(kind: str, first: dict, second: dict, texts: dict) -> bool:
    if kind == "Part":  # a document has one <main>
        return True
    children = second.get("children", [])
    if kind == "Sect":  # no heading of its own, and more of what the first ended with
        before = first.get("children") or [{}]
        return (
            bool(children)
            and not any(child.get("type") in HEADINGS for child in children)
            and children[0].get("type") == before[-1].get("type")
        )
    if kind == "Table":
        heads = [_text((e.get("children") or [{}])[0], texts) for e in (first, second)]
        return bool(heads[0].strip()) and heads[0] == heads[1]
    return not _text(first, texts).rstrip().endswith(tuple(TERMINAL))


def _identifier_findings(pdf: pdfplumber.PDF) -> list[tuple[str, str]]:
    """In a PDF that claims a standard in its XMP metadata: a trailer /ID and XMP DocumentID
    and InstanceID (made from the content, so a rebuild of the same inputs gives the same
    bytes)."""
    from pdfminer.pdftypes import resolve1

    metadata = resolve1(pdf.doc.catalog.get("Metadata"))
    if metadata is None:
        return []
    findings = []
    if not pdf.doc.xrefs or not any(x.get_trailer().get("ID") for x in pdf.doc.xrefs):
        findings.append(("ids", "the trailer has no /ID"))
    xmp = metadata.get_data()
    for name in (b"DocumentID", b"InstanceID"):
        if b"<xmpMM:" + name + b">" not in xmp:
            findings.append(("ids", f"the XMP metadata has no {name.decode()}"))
    return findings


def _prepress_findings(pdf: pdfplumber.PDF) -> list[tuple[str, str]]:
    """PDF/X: a printing condition (an output ICC profile of class 'prtr', CMYK) as output
    intent, and crop marks outside the bleed: a media box larger than the bleed box."""
    from pdfminer.pdftypes import resolve1

    findings = []
    intents = resolve1(pdf.doc.catalog.get("OutputIntents")) or []
    profiles = [resolve1(resolve1(i).get("DestOutputProfile")) for i in intents]
    headers = [p.get_data()[12:20] for p in profiles if p is not None]
    if not any(header == b"prtrCMYK" for header in headers):
        found = ", ".join(h[:4].decode("latin-1") for h in headers) or "none"
        findings.append(("prepress", f"no printing condition as output intent (profile: {found})"))
    for page in pdf.pages:
        attrs = page.page_obj.attrs
        media = [float(resolve1(v)) for v in resolve1(attrs.get("MediaBox"))]
        bleed = [float(resolve1(v)) for v in resolve1(attrs.get("BleedBox") or media)]
        if not (media[0] < bleed[0] and media[1] < bleed[1] and media[2] > bleed[2]):
            findings.append(("prepress", f"page {page.page_number}: no slug outside the bleed"))
    return findings


# -- text layer -----------------------------------------------------------------------------


def _text_layer_findings(pdf: pdfplumber.PDF, source: str | None) -> list[tuple[str, str]]:
    """Every glyph maps to text; each extractor finds the document's words (``source``), or,
    where the source is not known, right-to-left text extracts the same through PDFium
    (Chrome's viewer) as through pypdf (which reorders glyph by glyph). Only the screen edition
    is read on screens: the print editions (two pages side by side in a booklet) are not."""
    findings = [
        ("text", f"page {char['page_number']}: a glyph maps to no text ({char['fontname']})")
        for page in pdf.pages
        for char in page.chars
        if not char["text"] or char["text"].startswith("(cid:")
    ]
    if source is not None:
        return findings + _recall_findings(pdf, source)
    if any(_right_to_left(char["text"]) for page in pdf.pages for char in page.chars):
        agreement = _extractors_agree(pdf)
        if agreement < MIN_EXTRACTION_AGREEMENT:
            findings.append(
                ("text", f"PDFium and pypdf extract only {agreement:.0%} of the words alike")
            )
    return findings


def _extractors_agree(pdf: pdfplumber.PDF) -> float:
    """Share of words (marks and case aside) PDFium and pypdf extract alike."""
    from pypdf import PdfReader

    stream = pdf.stream
    stream.seek(0)
    by_pypdf = Counter(_words(page.extract_text() for page in PdfReader(stream).pages))
    by_pdfium = Counter(_words(page.get_textpage().get_text_range() for page in _pdfium_pages(pdf)))
    alike = sum((by_pypdf & by_pdfium).values())
    return alike / max(by_pypdf.total(), by_pdfium.total(), 1)


def document_text(html: str) -> str:
    """The text a reader should find in the PDF of an HTML document: its body, without styles
    and pictures (whose text is their alt text, not page text)."""
    import lxml.html

    body = lxml.html.fromstring(html).find("body")
    if body is None:
        return ""
    for hidden in body.xpath(".//style|.//script|.//*[local-name()='svg']"):
        hidden.drop_tree()
    return " ".join(body.itertext())


def _recall_findings(pdf: pdfplumber.PDF, source: str) -> list[tuple[str, str]]:
    """Share of the source's words each extractor finds, against ``MIN_RECALL``."""
    from pypdf import PdfReader

    pdf.stream.seek(0)
    data = pdf.stream.read()
    extracted = {
        "PDFium": "\n".join(p.get_textpage().get_text_range() for p in _pdfium_pages(pdf)),
        "pypdf": "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages),
    }
    poppler = _pdftotext(data)
    if poppler is not None:
        extracted["pdftotext"] = poppler
    wanted = Counter(_words([source], marks=True))
    findings = []
    for name, text in extracted.items():
        found = sum((wanted & Counter(_words([text], marks=True))).values())
        share = found / max(wanted.total(), 1)
        if share < MIN_RECALL[name]:
            findings.append(
                ("text", f"{name} extracts {share:.1%} of the words (at least "
                 f"{MIN_RECALL[name]:.0%})")
            )
    return findings


def _pdftotext(data: bytes) -> str | None:
    """The text poppler's pdftotext extracts, or None where it is not installed."""
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        return None
    command = ["pdftotext", "-enc", "UTF-8", "-", "-"]
    return subprocess.run(command, input=data, capture_output=True, check=False).stdout.decode()


def _pdfium_pages(pdf: pdfplumber.PDF):
    import pypdfium2

    pdf.stream.seek(0)
    document = pypdfium2.PdfDocument(pdf.stream.read())
    return [document[index] for index in range(len(document))]


def _words(texts, marks: bool = False) -> list[str]:
    """Words: letters and digits (and combining marks, if ``marks``), case folded."""
    kept = []
    for char in unicodedata.normalize("NFC", "\n".join(texts)):
        category = unicodedata.category(char)
        if category != "Mn":
            kept.append(char if category[0] in "LN" else " ")
        elif marks:
            kept.append(char)
    return "".join(kept).casefold().split()


def _right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


# -- text runs ------------------------------------------------------------------------------


def _runs(page, tags: _Structure | None) -> list[Run]:
    """The page's characters grouped into runs of one line, size, colour and kind."""

    def key(char: dict) -> tuple:
        return (
            round(char["top"], 1),
            round(char["size"], 2),
            _rgb(char["non_stroking_color"]),
            _is_body(char, tags),
        )

    runs = []
    chars = [c for c in page.chars if c["text"].strip()]
    for (_, size, colour, body), group in groupby(chars, key=key):
        group = list(group)
        box = (
            min(c["x0"] for c in group),
            min(c["top"] for c in group),
            max(c["x1"] for c in group),
            max(c["bottom"] for c in group),
        )
        text = _spaced(group)
        runs.append(Run(page.page_number, text, size, colour, box, body))
    return runs


def _spaced(chars: list[dict]) -> str:
    """The characters' text, with a space where the gap between two is a word space."""
    text = chars[0]["text"]
    for before, char in pairwise(chars):
        gap = min(abs(char["x0"] - before["x1"]), abs(before["x0"] - char["x1"]))
        text += (" " if gap > 0.15 * char["size"] else "") + char["text"]
    return text


def _is_body(char: dict, tags: _Structure | None) -> bool | None:
    """True for body text, False for headings, None for artifacts (running header, footer)."""
    if tags is None:
        return True
    kind = tags.kinds.get((char["page_number"], char.get("mcid")))
    if kind is None:
        return None
    return kind not in HEADINGS


def _rgb(colour) -> RGB:
    """A PDF fill colour (grey, RGB or CMYK components) as RGB in 0..1."""
    values = tuple(float(v) for v in colour or (0,) if isinstance(v, int | float))
    if len(values) == 1:
        return (values[0],) * 3
    if len(values) == 3:
        return values
    if len(values) == 4:
        c, m, y, k = values
        return tuple((1 - x) * (1 - k) for x in (c, m, y))
    return (0.0, 0.0, 0.0)


# -- sizes ----------------------------------------------------------------------------------


def _size_findings(runs: list[Run], rules: Rules, report: Report) -> list[tuple[str, str]]:
    report.smallest_pt = min(run.size for run in runs)
    if rules.tagged:
        is_body = [bool(run.body) for run in runs]
    else:  # untagged: body text is the most common size
        common = Counter(run.size for run in runs for _ in run.text).most_common(1)[0][0]
        is_body = [run.size == common for run in runs]
    body_sizes = [run.size for run, body in zip(runs, is_body, strict=True) if body]
    report.smallest_body_pt = min(body_sizes, default=0.0)
    findings = []
    for run, body in zip(runs, is_body, strict=True):
        if run.size < rules.min_text_pt - _SIZE_TOLERANCE:
            findings.append(
                ("small", _at(run, f"text {run.size:g} pt is below {rules.min_text_pt:g} pt"))
            )
        elif body and run.size < rules.min_body_pt - _SIZE_TOLERANCE:
            findings.append(
                ("body", _at(run, f"body text {run.size:g} pt is below {rules.min_body_pt:g} pt"))
            )
    return findings


# -- page box -------------------------------------------------------------------------------


def _off_page_findings(pdf: pdfplumber.PDF, runs: list[Run]) -> list[tuple[str, str]]:
    """Text must lie inside the page (its crop box): a long word or a wide table can push it
    past the edge, where it is cut off on paper and on screen."""
    findings = []
    for run in runs:
        x0, top, x1, bottom = pdf.pages[run.page - 1].bbox
        left, run_top, right, run_bottom = run.box
        if left < x0 - 0.5 or right > x1 + 0.5 or run_top < top - 0.5 or run_bottom > bottom + 0.5:
            findings.append(("page", _at(run, "text runs off the page")))
    return findings


# -- trim -----------------------------------------------------------------------------------


def _trim_findings(pdf: pdfplumber.PDF, runs: list[Run], margin_mm: float) -> list[tuple[str, str]]:
    """Text must stay ``margin_mm`` inside each page's trim box."""
    from pdfminer.pdftypes import resolve1

    findings = []
    for page_number, page_runs in groupby(runs, key=lambda run: run.page):
        page = pdf.pages[page_number - 1]
        trim = resolve1(page.page_obj.attrs.get("TrimBox"))
        if not trim:
            findings.append(("trim", f"page {page_number}: no trim box"))
            continue
        x0, y0, x1, y1 = (float(resolve1(v)) for v in trim)
        height = float(page.height)  # pdfplumber measures ``top`` as height minus PDF y
        safe = (x0 + margin_mm * MM, height - y1 + margin_mm * MM)
        safe += (x1 - margin_mm * MM, height - y0 - margin_mm * MM)
        for run in page_runs:
            left, top, right, bottom = run.box
            if left < safe[0] or top < safe[1] or right > safe[2] or bottom > safe[3]:
                findings.append(("trim", _at(run, f"text is within {margin_mm:g} mm of the trim")))
    return findings


# -- contrast -------------------------------------------------------------------------------


def _contrast_findings(
    pdf: pdfplumber.PDF, runs: list[Run], rules: Rules, report: Report
) -> list[tuple[str, str]]:
    findings = []
    for page_number, page_runs in groupby(runs, key=lambda run: run.page):
        image = _rendered(pdf, page_number)
        for run in page_runs:
            background = _background(image, run)
            in_colour = contrast(run.colour, background)
            in_grey = contrast(grey(run.colour), grey(background))
            report.lowest_contrast = min(report.lowest_contrast, in_colour)
            report.lowest_grey_contrast = min(report.lowest_grey_contrast, in_grey)
            if in_colour < rules.min_contrast:
                findings.append(("contrast", _at(run, f"contrast {in_colour:.1f}:1 is too low")))
            elif in_grey < rules.min_contrast:
                findings.append(
                    ("greyscale", _at(run, f"contrast in greyscale {in_grey:.1f}:1 is too low"))
                )
    return findings


def _rendered(pdf: pdfplumber.PDF, page_number: int):
    """The page as an RGB picture, RENDER_SCALE pixels per point, origin at the top left."""
    page = pdf.pages[page_number - 1]
    picture = page.to_image(resolution=72 * RENDER_SCALE, antialias=True).original
    return picture.convert("RGB"), page.bbox


def _background(rendered, run: Run) -> RGB:
    """The most common colour behind a run of text, its own ink left out."""
    image, (left, top, _, _) = rendered
    x0, y0, x1, y1 = (
        round((value - origin) * RENDER_SCALE)
        for value, origin in zip(run.box, (left, top, left, top), strict=True)
    )
    region = image.crop((x0, y0, max(x1, x0 + 1), max(y1, y0 + 1)))
    ink = tuple(round(v * 255) for v in run.colour)
    counts = region.getcolors(region.width * region.height) or []
    paper = [
        (count, pixel)
        for count, pixel in counts
        if max(abs(p - i) for p, i in zip(pixel, ink, strict=True)) > 24
    ]
    if not paper:
        return run.colour
    _, pixel = max(paper)
    return tuple(v / 255 for v in pixel)


# -- reporting ------------------------------------------------------------------------------


def _at(run: Run, problem: str) -> str:
    sample = run.text if len(run.text) <= 30 else run.text[:29] + "…"
    return f"page {run.page}: {problem}: {sample!r}"


def _condensed(findings: list[tuple[str, str]]) -> list[str]:
    """At most _PER_KIND messages of each kind, and a count of the rest."""
    messages = []
    for kind in dict.fromkeys(kind for kind, _ in findings):
        of_kind = list(dict.fromkeys(message for k, message in findings if k == kind))
        messages += of_kind[:_PER_KIND]
        if len(of_kind) > _PER_KIND:
            messages.append(f"… and {len(of_kind) - _PER_KIND} more like that ({kind})")
    return messages
