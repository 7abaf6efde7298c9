"""What WeasyPrint 70 leaves undone in a PDF, repaired while it writes (a ``write_pdf`` finisher
installed for every document).

- Right-to-left words are drawn in visual order, and poppler and PDFium reverse a lam-alef
  ligature's letters, PDFium the letters around a vowel mark: a word they would misread gets
  an ``/ActualText`` each of them turns back into the logical word.
- A word hyphenated at a line end is one word in the ``/ActualText`` of its first line.
- Margin boxes (running footer, page numbers, clinic header) are pagination artifacts, not
  marked content that no structure element owns.
- A glyph WeasyPrint maps to no text (one glyph of a multi-glyph cluster) maps to the
  characters the font draws with it.
- One structure element per HTML element: what WeasyPrint tags page by page (a <main> as one
  Part per page, a paragraph running onto the next page as a second P, a table broken across
  pages as two) is merged back, and a table's header row repeated on the next page is an
  artifact.
- Table header cells keep their scope, and their IDs are listed in an ``/IDTree``.
- An element in another language than the document carries its ``/Lang``; a definition list's
  term and value are one list item (``Lbl`` and ``LBody``), not two unpaired items; inline
  boxes without text (tick boxes) make no empty Span elements.
- The XMP DocumentID and InstanceID come from the content (the trailer /ID does already), so
  identical inputs give identical bytes.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import re
import unicodedata
import uuid
from contextlib import contextmanager
from functools import cache
from itertools import groupby, pairwise

import pydyf

_RIGHT_TO_LEFT = frozenset({"R", "AL"})
_XMP_IDS = re.compile(rb"<xmpMM:(?:DocumentID|InstanceID)>[^<]*</xmpMM:(?:DocumentID|InstanceID)>")


def install(weasyprint) -> None:
    """Make every PDF WeasyPrint writes in this process carry the repairs (once): its page
    streams note the box each marked-content sequence draws, and ``write_pdf`` runs
    :func:`finish` before any finisher of its caller."""
    stream_class = weasyprint.pdf.stream.Stream
    if getattr(stream_class, "remembers_boxes", False):
        return
    marked, write_pdf = stream_class.marked, weasyprint.Document.write_pdf
    tags = weasyprint.pdf.tags
    build_box_tree = tags._build_box_tree

    def remembering_sources(box, *args):
        for element in build_box_tree(box, *args):
            if not hasattr(element, "source"):  # the innermost call made it from this box
                _remember_source(element, getattr(box, "_box", box))
            yield element

    @contextmanager
    def remembering(self, box, tag):
        with marked(self, box, tag):
            if self._tags is not None:  # tagged: "/Tag <<MCID n>> BDC" was just written
                vars(self).setdefault("marked_boxes", []).append((len(self.stream) - 3, box))
            yield

    def repaired(self, target=None, zoom=1, finisher=None, **options):
        def finish_then(document, pdf):
            finish(document, pdf)
            if finisher:
                finisher(document, pdf)
            derive_identifiers(pdf)

        return write_pdf(self, target, zoom, finisher=finish_then, **options)

    stream_class.marked = remembering
    tags._build_box_tree = remembering_sources  # its recursive calls go through it too
    stream_class.remembers_boxes = True
    weasyprint.Document.write_pdf = repaired


def finish(document, pdf: pydyf.PDF) -> None:
    """Repair the PDF objects of a laid-out ``document`` before WeasyPrint writes them."""
    texts, margins = _plan(document)
    words: dict[int, dict[str, str]] = {}  # id of a box's properties -> its RTL words
    for stream in pdf.objects:
        for index, box in getattr(stream, "marked_boxes", ()):
            if box in margins:
                stream.stream[index : index + 2] = ["/Artifact", _pagination(margins[box])]
            elif box in texts:
                properties = stream.stream[index + 1]
                if texts[box] != box.text:
                    properties["ActualText"] = pydyf.String(texts[box])
                if _right_to_left(texts[box]):
                    words[id(properties)] = _words_by_skeleton(texts[box])
    if "StructTreeRoot" in pdf.catalog:
        _drop_unreachable_elements(pdf)
        _Merger(pdf).merge()
        _drop_empty_spans(pdf)
        _pair_definitions(pdf)
        _add_scopes_and_ids(document, pdf)
    _map_unmapped_glyphs(document, pdf)
    _spell_out_words(document, pdf, words)


# -- what each text box should read as ------------------------------------------------------


def _plan(document) -> tuple[dict, dict]:
    """What each text box in the flow reads as; margin boxes' contents with their subtype."""
    flow, margins = [], {}
    for page in document.pages:
        for child in page._page_box.children:
            boxes = list(child.descendants(placeholders=True))
            if type(child).__name__ == "MarginBox":
                subtype = "/Header" if child.at_keyword.startswith("@top") else "/Footer"
                margins.update(dict.fromkeys(boxes, subtype))
            else:
                flow += [box for box in boxes if type(box).__name__ == "TextBox"]
    return _joined_hyphenations(flow), margins


def _joined_hyphenations(flow: list) -> dict:
    """Each box's text, a hyphenated word whole on the line where it starts."""
    texts = {box: box.text for box in flow}
    for box, following in reversed(list(pairwise(flow))):  # a word may span three lines
        hyphen = box.style["hyphenate_character"]
        if hyphen and box.text.endswith(hyphen) and following.element is box.element:
            rest = re.match(r"\S*", texts[following]).group()
            texts[box] = texts[box][: -len(hyphen)] + rest
            texts[following] = texts[following][len(rest) :]
    return texts


def _right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in _RIGHT_TO_LEFT for char in text)


def _skeleton(word: str) -> str:
    """A word's letters without its marks (harakat, shadda), which fonts draw apart."""
    return "".join(c for c in word if unicodedata.category(c) != "Mn")


def _closest(skeleton: str, words: dict[str, str]) -> str | None:
    """The word with this skeleton, or with the most similar one (a mark's glyph may read as
    its letter too), if any is close."""
    if skeleton in words:
        return words[skeleton]
    close = difflib.get_close_matches(skeleton, words, n=1, cutoff=0.8)
    return words[close[0]] if close else None


def _words_by_skeleton(text: str) -> dict[str, str]:
    """The right-to-left words of a text (letters and their marks), by their skeleton."""
    words = []
    word = ""
    for char in text + " ":
        if _in_word(char):
            word += char
        elif word:
            words.append(word)
            word = ""
    return {_skeleton(word): word for word in words}


def _pagination(subtype: str) -> pydyf.Dictionary:
    return pydyf.Dictionary({"Type": "/Pagination", "Subtype": subtype})


# -- structure tree -------------------------------------------------------------------------


def _number(reference: bytes) -> int:
    return int(reference.split()[0])


def _object(pdf: pydyf.PDF, reference: bytes):
    return pdf.objects[_number(reference)]


def _is_element(item) -> bool:
    return isinstance(item, dict) and item.get("Type") == "/StructElem"


def _is_reference(item) -> bool:
    return isinstance(item, bytes) and item.endswith(b" R")


def _drop_unreachable_elements(pdf: pydyf.PDF) -> None:
    """Empty the structure elements WeasyPrint made for margin boxes but linked nowhere, and
    take them out of the parent tree."""
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    reachable, pending = set(), list(root["K"])
    while pending:
        element = _object(pdf, pending.pop())
        reachable.add(element.number)
        pending += [kid for kid in element.get("K", ()) if _is_reference(kid)]
    for item in pdf.objects:
        if _is_element(item) and item.number not in reachable:
            item.clear()
    nums = _object(pdf, root["ParentTree"])["Nums"]
    for mapping in nums[1::2]:
        if isinstance(mapping, list):
            mapping[:] = [ref if _number(ref) in reachable else b"null" for ref in mapping]
            while mapping and mapping[-1] == b"null":
                mapping.pop()


def _remember_source(element: pydyf.Dictionary, box) -> None:
    """Note the HTML element a structure element was made from, and its language if the
    element declares one (the document's own is the catalog's /Lang)."""
    source = box.element
    element.source = None if source is None else (source, box.element_tag)
    lang = None if source is None or box.element_tag == "html" else source.get("lang")
    if lang:
        element["Lang"] = pydyf.String(lang)


def _source(pdf: pydyf.PDF, reference) -> tuple | None:
    return getattr(_object(pdf, reference), "source", None) if _is_reference(reference) else None


class _Merger:
    """Elements WeasyPrint made page by page for one HTML element, merged into the first."""

    def __init__(self, pdf: pydyf.PDF):
        self.pdf = pdf
        self.moved: dict[int, bytes] = {}  # merged element number -> the survivor's reference
        self.artifacts: dict[bytes, set[int]] = {}  # page reference -> MCIDs to unmark
        self.renamed: dict[str, str] = {}  # a repeated header cell's ID -> the first one's

    def merge(self) -> None:
        root = _object(self.pdf, self.pdf.catalog["StructTreeRoot"])
        pending = list(root["K"])
        while pending:
            element = _object(self.pdf, pending.pop())
            self._merge_kids(element)
            pending += [kid for kid in element.get("K", ()) if _is_reference(kid)]
        if self.moved or self.artifacts:
            self._repoint_parent_tree(_object(self.pdf, root["ParentTree"])["Nums"])
            self._unmark_artifacts()
        if self.renamed:
            self._rename_headers()

    def _merge_kids(self, element: pydyf.Dictionary) -> None:
        kids: list = []
        for kid in element.get("K", ()):
            if kids and self._continues(kids[-1], kid):
                self._absorb(_object(self.pdf, kids[-1]), _object(self.pdf, kid))
            else:
                kids.append(kid)
        if "K" in element:
            element["K"] = pydyf.Array(kids)

    def _continues(self, first, second) -> bool:
        """Whether ``second`` is the same HTML element as ``first``, on a later page."""
        source = _source(self.pdf, first)
        if source is None or source != _source(self.pdf, second):
            return False
        first, second = _object(self.pdf, first), _object(self.pdf, second)
        return first["S"] == second["S"] and first.get("Pg") != second.get("Pg")

    def _absorb(self, survivor: pydyf.Dictionary, part: pydyf.Dictionary) -> None:
        sources = {_source(self.pdf, kid) for kid in survivor["K"]} - {None}
        for kid in part["K"]:
            if _is_reference(kid):
                child = _object(self.pdf, kid)
                if child["S"] in ("/THead", "/TFoot") and _source(self.pdf, kid) in sources:
                    self._drop_repeated(child, survivor)  # a header row repeated on a new page
                    continue
                child["P"] = survivor.reference
            elif isinstance(kid, int):  # marked content of the part's own page
                kid = pydyf.Dictionary({"Type": "/MCR", "Pg": part["Pg"], "MCID": kid})
            survivor["K"].append(kid)
        self.moved[part.number] = survivor.reference
        part.clear()

    def _drop_repeated(self, element: pydyf.Dictionary, table: pydyf.Dictionary, page=None):
        page = element.get("Pg", page)
        if "ID" in element:  # WeasyPrint's IDs are "<table>-<row>-<column>"
            _, cell = element["ID"].string.split("-", 1)
            self.renamed[element["ID"].string] = f"{table.number}-{cell}"
        for kid in element.get("K", ()):
            if _is_reference(kid):
                self._drop_repeated(_object(self.pdf, kid), table, page)
            elif isinstance(kid, int):
                self.artifacts.setdefault(page, set()).add(kid)
            elif isinstance(kid, dict) and "MCID" in kid:
                self.artifacts.setdefault(kid["Pg"], set()).add(kid["MCID"])
        self.moved[element.number] = b"null"
        element.clear()

    def _repoint_parent_tree(self, nums: list) -> None:
        pages = {reference: index for index, reference in enumerate(self.pdf.page_references)}
        dropped = {pages[page]: mcids for page, mcids in self.artifacts.items()}
        for key, value in zip(nums[::2], nums[1::2], strict=True):
            if isinstance(value, list):
                value[:] = [
                    b"null" if mcid in dropped.get(key, ()) else self._survivor(reference)
                    for mcid, reference in enumerate(value)
                ]
        for index in range(1, len(nums), 2):
            if not isinstance(nums[index], list):
                nums[index] = self._survivor(nums[index])

    def _survivor(self, reference):
        while _is_reference(reference) and _number(reference) in self.moved:
            reference = self.moved[_number(reference)]
        return reference

    def _rename_headers(self) -> None:
        for item in self.pdf.objects:
            headers = item.get("A", {}).get("Headers") if _is_element(item) else None
            for index, header in enumerate(headers or ()):
                if header.string in self.renamed:
                    headers[index] = pydyf.String(self.renamed[header.string])

    def _unmark_artifacts(self) -> None:
        for page_reference, mcids in self.artifacts.items():
            stream = _object(self.pdf, _object(self.pdf, page_reference)["Contents"])
            for index, _box in getattr(stream, "marked_boxes", ()):
                properties = stream.stream[index + 1]
                if isinstance(properties, dict) and properties.get("MCID") in mcids:
                    stream.stream[index : index + 2] = ["/Artifact", _pagination("/Header")]


def _drop_empty_spans(pdf: pydyf.PDF) -> None:
    """Take out the Span elements of inline boxes without text (a diary's tick boxes): an
    element with no content, alternate or actual text says nothing."""

    def empty(kid) -> bool:
        if not _is_reference(kid):
            return False
        element = _object(pdf, kid)
        return element.get("S") == "/Span" and not element.get("K") and "Alt" not in element

    for item in list(pdf.objects):
        if _is_element(item) and any(empty(kid) for kid in item.get("K", ())):
            dropped = [kid for kid in item["K"] if empty(kid)]
            item["K"] = pydyf.Array(kid for kid in item["K"] if not empty(kid))
            for kid in dropped:
                _object(pdf, kid).clear()


def _pair_definitions(pdf: pydyf.PDF) -> None:
    """A <dl>'s term and its value as one list item: LI with the term as Lbl, the value as
    LBody (WeasyPrint makes each an item of its own)."""
    for item in list(pdf.objects):
        source = getattr(item, "source", None)
        if not _is_element(item) or source is None or source[1] != "dl":
            continue
        kids, term = [], None
        for reference in item["K"]:
            entry = _object(pdf, reference)
            tag = (_source(pdf, reference) or (None, None))[1]
            bodies = [_object(pdf, kid) for kid in entry.get("K", ()) if _is_reference(kid)]
            if tag == "dt":
                for body in bodies:
                    body["S"] = "/Lbl"
                term = entry
                kids.append(reference)
            elif tag == "dd" and term is not None:
                for body in bodies:
                    body["P"] = term.reference
                term["K"].extend(body.reference for body in bodies)
                entry.clear()
            else:
                kids.append(reference)
        item["K"] = pydyf.Array(kids)


def _add_scopes_and_ids(document, pdf: pydyf.PDF) -> None:
    """TH cells say whether they head a column or a row; their IDs go into an /IDTree."""
    for page in document.pages:
        for box in page._page_box.descendants(placeholders=True):
            element = getattr(box, "mark", None)
            if _is_element(element) and box.element_tag == "th":
                scope = box.element.get("scope") == "row"
                element["A"]["Scope"] = "/Row" if scope else "/Column"
    named = sorted(
        (item["ID"].string, item.reference)
        for item in pdf.objects
        if _is_element(item) and "ID" in item
    )
    if named:
        root = _object(pdf, pdf.catalog["StructTreeRoot"])
        pairs = [value for key, reference in named for value in (pydyf.String(key), reference)]
        root["IDTree"] = pydyf.Dictionary({"Names": pydyf.Array(pairs)})


# -- glyphs without text --------------------------------------------------------------------


def _map_unmapped_glyphs(document, pdf: pydyf.PDF) -> None:
    """Give glyphs mapped to no text in a ToUnicode CMap the characters the font draws."""
    from weasyprint.text.fonts import get_hb_object_data

    to_unicode = {
        item["BaseFont"]: _object(pdf, item["ToUnicode"])
        for item in pdf.objects
        if isinstance(item, dict) and item.get("Type") == "/Font" and "ToUnicode" in item
    }
    for font in document.fonts.values():
        unmapped = [glyph for glyph, text in font.to_unicode.items() if not text]
        if not unmapped or font.name not in to_unicode:
            continue
        known = _glyph_texts(get_hb_object_data(font.hb_face), font.index)
        cmap = to_unicode[font.name]
        for glyph in unmapped:
            text = known.get(glyph, "")
            line = f"<{glyph:04x}> <>".encode()
            if text and line in cmap.stream:
                font.to_unicode[glyph] = text
                cmap.stream[cmap.stream.index(line)] = (
                    f"<{glyph:04x}> <{text.encode('utf-16-be').hex()}>".encode()
                )


@cache
def _glyph_texts(font_file: bytes, index: int) -> dict[int, str]:
    """Text of each glyph id the font draws from characters: its cmap, then its single and
    ligature substitutions; presentation forms read as the letters they show."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_file), fontNumber=index, lazy=True)
    texts = {name: chr(code) for code, name in sorted(font.getBestCmap().items(), reverse=True)}
    if "GSUB" in font:
        lookups = font["GSUB"].table.LookupList.Lookup
        while _substitute(lookups, texts):
            pass
    ids = {name: glyph for glyph, name in enumerate(font.getGlyphOrder())}
    return {ids[name]: unicodedata.normalize("NFKC", text) for name, text in texts.items()}


def _substitute(lookups, texts: dict[str, str]) -> bool:
    """One pass giving substituted glyphs the text of what they replace; True if any was new."""
    found = False
    for lookup in lookups:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)
            pairs = []
            if table.LookupType == 1:
                pairs = [((old,), new) for old, new in table.mapping.items()]
            elif table.LookupType == 4:
                pairs = [
                    ((first, *ligature.Component), ligature.LigGlyph)
                    for first, ligatures in table.ligatures.items()
                    for ligature in ligatures
                ]
            for parts, new in pairs:
                if new not in texts and all(part in texts for part in parts):
                    texts[new] = "".join(texts[part] for part in parts)
                    found = True
    return found


# -- right-to-left words -------------------------------------------------------------------

_TJ_PART = re.compile(rb"<([0-9a-f]*)>|(-?[0-9.]+)")  # glyphs (4 hex digits each) or a shift


def _spell_out_words(document, pdf: pydyf.PDF, words: dict[int, dict[str, str]]) -> None:
    """Give each right-to-left word a marked-content sequence of its own with an
    ``/ActualText`` poppler and PDFium read as the logical word.

    The glyphs are in visual order and both tools reverse what they map to: poppler the
    whole word, so a ligature (lam-alef) comes out backwards, and a word's glyphs that leave
    gaps (after a letter that does not join) come out as several words; PDFium reverses each
    run of letters between vowel marks, keeping the runs in order. So each word is a
    ``/Span`` whose ActualText is its characters in visual order, and a word with marks has
    a ``/ReversedChars`` sequence inside it with the order PDFium turns back
    (:func:`_pdfium_order`): poppler reads only ``/Span`` sequences, PDFium the innermost.
    The word comes from the text box (``words``: by the id of its marked content's
    properties), matched by its letters; the glyphs' own text where no word matches. pypdf
    ignores ActualText and reorders the ToUnicode map's (logical) text glyph by glyph.

    In a tagged PDF the text box's marked content is cut at each word, and every piece gets
    an MCID of the same structure element, on its innermost sequence: tools that read only
    the innermost one (pdfminer, outloud) find it.
    """
    from weasyprint.pdf.stream import Stream

    fonts = {font.hash: font for font in document.fonts.values()}
    texts = (text for font in fonts.values() for text in font.to_unicode.values())
    if not any(_right_to_left(text) for text in texts):
        return
    parents = _parent_arrays(pdf)
    for stream in pdf.objects:
        if isinstance(stream, Stream):
            items = _marks_after_ligature_words(stream.stream, fonts)
            words_of = _Words(fonts, words, pdf, parents.get(stream.number))
            stream.stream = words_of.wrapped(items)


def _marks_after_ligature_words(items: list, fonts: dict) -> list:
    """Content stream items in which a word that starts (in drawing order) with a raised vowel
    mark on a ligature (the tanween of لًا) is drawn first and the mark after it, at the same
    place: a word whose content starts with such a mark PDFium reads out of order, and a
    mark drawn after its letter reads as before it in pypdf, so other marks stay.

    WeasyPrint draws a raised mark as ``R Ts [S<mark>] TJ 0 Ts [K<letter>…] TJ``: the shift
    S to the mark, then the shift K back to the letter that follows.
    """
    output, font, previous = [], None, ""
    index = 0
    while index < len(items):
        item = items[index]
        if _font_name(item):
            font = fonts.get(_font_name(item))
        group = items[index : index + 4]
        if font and not _in_word(previous) and _starts_ligature_word(group, font.to_unicode):
            output += _mark_after_word(group, font)
            index += 4
            previous = ""
            continue
        if isinstance(item, bytes) and item.endswith(b"] TJ") and font:
            glyphs = [token for token in _tj_tokens(item) if _is_glyph(token)]
            previous = font.to_unicode.get(int(glyphs[-1], 16), "") if glyphs else previous
        output.append(item)
        index += 1
    return output


def _font_name(item) -> str | None:
    """The name of the font a content stream item (``/Name size Tf``) selects."""
    if isinstance(item, bytes) and item.endswith(b" Tf"):
        return item.split()[0][1:].decode()
    return None


def _starts_ligature_word(group: list, texts: dict[int, str]) -> bool:
    """Whether four content stream items draw a raised mark and then a ligature."""
    if len(group) < 4 or not all(isinstance(item, bytes) for item in group):
        return False
    rise, mark, reset, letters = group
    if not (rise.endswith(b" Ts") and rise != b"0 Ts" and reset == b"0 Ts"):
        return False
    if not (mark.endswith(b"] TJ") and letters.endswith(b"] TJ")):
        return False
    *shifts, glyph = _tj_tokens(mark) or [0.0]
    letter = next((token for token in _tj_tokens(letters) if _is_glyph(token)), None)
    if not _is_glyph(glyph) or letter is None or any(map(_is_glyph, shifts)):
        return False
    first = texts.get(int(letter, 16), "")
    return _is_mark(texts.get(int(glyph, 16), "")) and len(first) > 1 and _in_word(first)


def _is_glyph(token) -> bool:
    return isinstance(token, bytes)


def _mark_after_word(group: list, font) -> list[bytes]:
    """A raised mark, then a word and what follows it, redrawn as the word, the mark at its
    place, and what follows (shifts in thousandths of the font size; a number in a TJ array
    moves back)."""
    rise, mark, reset, letters = group
    *shifts, mark_glyph = _tj_tokens(mark)
    mark_at = -sum(shifts)
    mark_end = mark_at + font.widths.get(int(mark_glyph, 16), 0)
    tokens = _tj_tokens(letters)
    pen = mark_end
    while tokens and isinstance(tokens[0], float):
        pen -= tokens.pop(0)
    word_at, word = pen, []
    for token in tokens:
        if _is_glyph(token):
            if word and not _in_word(font.to_unicode.get(int(token, 16), "")):
                break
            pen += font.widths.get(int(token, 16), 0)
        else:
            pen -= token
        word.append(token)
    rest = tokens[len(word) :]
    return [
        _tj([-word_at, *word]), rise, _tj([pen - mark_at, mark_glyph]), reset,
        _tj([mark_end - pen, *rest]),
    ]  # fmt: skip


def _tj_tokens(item: bytes) -> list:
    """A TJ array's glyphs (4 hex digits, as bytes) and shifts (floats), in order."""
    tokens = []
    for glyphs, number in _TJ_PART.findall(item[1:-4]):
        if number:
            tokens.append(float(number))
        tokens += [glyphs[start : start + 4] for start in range(0, len(glyphs), 4)]
    return tokens


def _tj(tokens: list) -> bytes:
    """A TJ array of glyphs and shifts (adjacent shifts added up, zero shifts left out)."""
    parts: list = []
    for token in tokens:
        if isinstance(token, float) and parts and isinstance(parts[-1], float):
            parts[-1] += token
        else:
            parts.append(token)
    written = (
        b"<" + part + b">" if isinstance(part, bytes) else _decimal(part).encode()
        for part in parts
        if part != 0.0
    )
    return b"[" + b" ".join(written) + b"] TJ"


def _decimal(number: float) -> str:
    return f"{number:.4f}".rstrip("0").rstrip(".")


def _parent_arrays(pdf: pydyf.PDF) -> dict[int, list]:
    """Each page content stream's (by object number) MCID-to-element array of the parent tree."""
    if "StructTreeRoot" not in pdf.catalog:
        return {}
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    nums = _object(pdf, root["ParentTree"])["Nums"]
    by_page = dict(zip(nums[::2], nums[1::2], strict=True))
    return {
        _number(_object(pdf, page)["Contents"]): by_page[index]
        for index, page in enumerate(pdf.page_references)
        if isinstance(by_page.get(index), list)
    }


def _in_word(text: str) -> bool:
    """Whether a glyph's text continues a right-to-left word (letters or marks)."""
    classes = {unicodedata.bidirectional(char) for char in text}
    return bool(classes) and classes <= _RIGHT_TO_LEFT | {"NSM"}


class _Words:
    """Content stream items rewritten with a marked-content sequence for each RTL word."""

    def __init__(self, fonts, words: dict[int, dict[str, str]], pdf: pydyf.PDF, parents):
        self.fonts = fonts
        self.words = words
        self.pdf = pdf
        self.parents: list | None = parents  # MCID -> element, of this page
        self.known: dict[str, str] = {}  # the words of the text box being drawn
        self.texts: dict[int, str] = {}
        self.output: list = []
        self.word: pydyf.Dictionary | None = None  # the open span's properties
        self.marked: tuple | None = None  # (tag, properties) of the text box's sequence
        self.cut = False  # the text box's sequence is closed at a word: reopen before more
        self.shown: list[bytes] = []  # TJ parts not yet written
        self.drawn: list[str] = []  # the text of the open word's glyphs, in visual order
        self.opened = 0  # where the open word's content starts in the output

    def wrapped(self, items: list) -> list:
        for item in items:
            if isinstance(item, bytes) and item.endswith(b"] TJ"):
                self.show(item[1:-4])
                continue
            self.flush()
            if item in (b"ET", b"EMC", b"Q"):
                self.close()
                if item == b"EMC":
                    self.known, self.marked = {}, None
                    if self.cut:  # the sequence ended with a word
                        self.cut = False
                        continue
            elif isinstance(item, dict):
                self.known = self.words.get(id(item), {})
                if "MCID" in item and "ActualText" not in item and self.parents is not None:
                    self.marked = (self.output[-1], item)
            elif _font_name(item):
                font = self.fonts.get(_font_name(item))
                self.texts = font.to_unicode if font else {}
            self.output.append(item)
        self.close()
        return self.output

    def show(self, array: bytes) -> None:
        for match in _TJ_PART.finditer(array):
            glyphs = match.group(1)
            if not glyphs:  # a shift: apart from a shift before it (of another array)
                space = b" " if self.shown and not self.shown[-1].endswith(b">") else b""
                self.shown.append(space + match.group())
                continue
            for start in range(0, len(glyphs), 4):
                glyph = glyphs[start : start + 4]
                self.glyph(glyph, self.texts.get(int(glyph, 16), ""))

    def glyph(self, glyph: bytes, text: str) -> None:
        if self.word is not None and not _in_word(text):
            self.close()
        if self.word is None and (_right_to_left(text) or (self.known and _in_word(text))):
            self.flush()
            self.open_word()
        elif self.word is None and self.cut:
            self.output += [self.marked[0], self.sequence(), b"BDC"]
            self.cut = False
        if self.word is not None:
            self.drawn.append(text)
        self.shown.append(b"<" + glyph + b">")

    def open_word(self) -> None:
        self.word, self.drawn = pydyf.Dictionary(), []
        if self.marked is None:
            self.output += [b"/Span", self.word, b"BDC"]
        elif self.output[-3:] == [*self.marked, b"BDC"]:  # the text box starts with it
            self.word = self.marked[1]
        else:
            if not self.cut:
                self.output.append(b"EMC")
            self.word = self.sequence(self.word)
            self.output += [self.marked[0], self.word, b"BDC"]
            self.cut = False
        self.opened = len(self.output)

    def sequence(self, properties: pydyf.Dictionary | None = None) -> pydyf.Dictionary:
        """Properties with a new MCID of the text box's structure element."""
        properties = properties if properties is not None else pydyf.Dictionary()
        owner = self.parents[self.marked[1]["MCID"]]
        properties["MCID"] = len(self.parents)
        self.parents.append(owner)
        if _is_reference(owner):
            _object(self.pdf, owner)["K"].append(properties["MCID"])
        return properties

    def flush(self) -> None:
        if self.shown:
            self.output.append(b"[" + b"".join(self.shown) + b"] TJ")
            self.shown = []

    def close(self) -> None:
        if self.word is not None:
            self.flush()
            glyphs_read = "".join(reversed(self.drawn))
            word = _closest(_skeleton(glyphs_read), self.known) or glyphs_read
            self.word["ActualText"] = pydyf.String(word[::-1])
            if _nfc(_pdfium_order(word[::-1])) != _nfc(word):
                inner = pydyf.Dictionary({"ActualText": pydyf.String(_pdfium_order(word))})
                if "MCID" in self.word:  # tools that read the innermost sequence find it
                    inner["MCID"] = self.word.pop("MCID")
                self.output[self.opened : self.opened] = [b"/ReversedChars", inner, b"BDC"]
                self.output.append(b"EMC")
            self.output.append(b"EMC")
            self.word = None
            self.cut = self.marked is not None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _is_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.category(char) == "Mn" for char in text)


def _pdfium_order(text: str) -> str:
    """What PDFium reads from characters drawn in this order in a right-to-left word (an
    involution): it cuts them into runs by :func:`_pdfium_direction` (a vowel mark is
    neutral), keeps the runs in order and reverses each right-to-left run, and each
    neutral run in right-to-left text."""
    read, rightward = [], True
    for direction, run in groupby(text, _pdfium_direction):
        run = "".join(run)
        if direction == "R" or (direction == "N" and rightward):
            read.append(run[::-1])
            rightward = True
        else:
            read.append(run)
            rightward = rightward and direction != "L"
    return "".join(read)


def _pdfium_direction(char: str) -> str:
    """PDFium's class of a character: right-to-left, left-to-right, weak (digits), neutral."""
    direction = unicodedata.bidirectional(char)
    if direction in _RIGHT_TO_LEFT:
        return "R"
    return {"L": "L", "AN": "W", "EN": "W"}.get(direction, "N")


# -- identifiers ----------------------------------------------------------------------------


def derive_identifiers(pdf: pydyf.PDF) -> None:
    """Give the XMP metadata a DocumentID and an InstanceID hashed from the contents (in place
    of WeasyPrint's random DocumentID), so identical inputs give identical bytes."""
    if "Metadata" not in pdf.catalog:
        return
    metadata = _object(pdf, pdf.catalog["Metadata"])
    xmp = _XMP_IDS.sub(b"", b"".join(metadata.stream))
    digest = hashlib.sha256(xmp)
    for item in pdf.objects:
        if isinstance(item, pydyf.Stream) and item is not metadata:
            digest.update(b"\n".join(_serialised(part) for part in item.stream))
    hashed = digest.digest()
    document = uuid.UUID(bytes=hashed[:16], version=4)
    instance = uuid.UUID(bytes=hashed[16:], version=4)
    ids = (
        f'<rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">'
        f"<xmpMM:DocumentID>xmp.did:{document}</xmpMM:DocumentID>"
        f"<xmpMM:InstanceID>xmp.iid:{instance}</xmpMM:InstanceID></rdf:Description></rdf:RDF>"
    )
    metadata.stream = [xmp.replace(b"</rdf:RDF>", ids.encode(), 1)]


def _serialised(part) -> bytes:
    if isinstance(part, bytes):
        return part
    if isinstance(part, pydyf.Object):
        return part.data
    return str(part).encode()
