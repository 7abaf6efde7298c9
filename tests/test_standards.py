"""PDFs that pass the standards they claim (issue 15): one structure element per HTML element
across pages, a split table as one Table with its repeated header row an artifact, /Lang on
foreign text, a definition list as pairs, the Arabic text layer through poppler with its vowel
marks, a PDF/X-4 printing condition with marks in a slug, and `check` catching each failure.
The independent PyPI checker `outloud` gives a second opinion where installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
from conftest import LEAFLET_ID, REPO, by_pdfium, by_pdftotext, run_cli
from markupsafe import Markup

from leaflet_gen import prepress, tagging
from leaflet_gen.pdf import html_to_pdf
from leaflet_gen.readability import check_pdf, document_text, rules_for
from leaflet_gen.render import mark_latin_terms

CLINIC = REPO / "examples" / "clinic.toml"
HANDOUT = (
    "handout", LEAFLET_ID, "--project", REPO, "--clinic", CLINIC, "--draft",
    "--exercise", "glute-bridge:3x12", "--exercise", "piriformis-stretch:3x30s,2/day,left",
    "--patient", "Anna Jensen", "--therapist", "Jens Holm", "--date", "2026-11-27",
)  # fmt: skip
LAM_ALEF = re.compile("ل[\u064b-\u0652]*[اأإآ]")


def kids(element) -> list:
    found = element.get("/K")
    found = list(found) if isinstance(found, pikepdf.Array) else [found] if found else []
    return [k for k in found if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def elements(pdf: pikepdf.Pdf) -> list:
    """Every structure element, in document order."""
    found, pending = [], kids(pdf.Root.StructTreeRoot)
    while pending:
        element = pending.pop(0)
        found.append(element)
        pending[:0] = kids(element)
    return found


def of_kind(pdf: pikepdf.Pdf, kind: str) -> list:
    return [e for e in elements(pdf) if kind == e.S]


def page_mcids(pdf: pikepdf.Pdf, index: int) -> tuple[set[int], int]:
    """The MCIDs in one page's content, and its pagination artifacts."""
    mcids, artifacts = set(), 0
    for operands, operator in pikepdf.parse_content_stream(pdf.pages[index]):
        if operator == pikepdf.Operator("BDC") and isinstance(operands[1], pikepdf.Dictionary):
            if "/MCID" in operands[1]:
                mcids.add(int(operands[1].MCID))
            elif operands[0] == "/Artifact" and operands[1].get("/Type") == "/Pagination":
                artifacts += 1
    return mcids, artifacts


def words(text: str) -> Counter:
    """Letters with their combining marks, and digits; NFC, case folded."""
    kept = (c if unicodedata.category(c)[0] in "LMN" else " " for c in text)
    return Counter("".join(kept).casefold().split())


def recall(wanted: Counter, found: Counter) -> float:
    return (wanted & found).total() / max(wanted.total(), 1)


@pytest.fixture(scope="module")
def split(tmp_path_factory) -> Path:
    """A paragraph and a table, each running over several A6 pages, and a definition list."""
    rows = "".join(f"<tr><th scope='row'>Row {i}</th><td>value {i}</td></tr>" for i in range(60))
    html = (
        "<html lang='da'><head><title>t</title><style>@page { size: A6 }</style></head><body>"
        f"<main><section><h1>T</h1><p>{'ord ' * 500}slut.</p>"
        f"<table><thead><tr><th>Name</th><th>Value</th></tr></thead><tbody>{rows}</tbody></table>"
        "<p lang='en'>Piriformis</p><dl><dt>Til:</dt><dd>Anna</dd><dt>Dato:</dt><dd>i dag</dd>"
        "</dl></section></main></body></html>"
    )
    path = tmp_path_factory.mktemp("split") / "split.pdf"
    path.write_bytes(html_to_pdf(html, REPO, (REPO,), pdf_variant="pdf/ua-1"))
    return path


def test_one_element_per_html_element_across_pages(split: Path) -> None:
    with pikepdf.open(split) as pdf:
        assert len(pdf.pages) > 4
        for kind, count in (("/Part", 1), ("/Sect", 1), ("/P", 2), ("/Table", 1)):
            assert len(of_kind(pdf, kind)) == count, kind
        paragraph = of_kind(pdf, "/P")[0]
        pages = {span.Pg.objgen for span in kids(paragraph)}
        assert len(pages) > 1  # its spans point to their own pages


def test_split_table_repeats_its_header_as_an_artifact(split: Path) -> None:
    with pikepdf.open(split) as pdf:
        (table,) = of_kind(pdf, "/Table")
        assert [e.S for e in kids(table)].count("/THead") == 1
        names = pdf.Root.StructTreeRoot.IDTree.Names
        ids = {str(name) for name in names[0::2]}
        for cell in of_kind(pdf, "/TD"):
            assert {str(h) for h in cell.A.Headers} <= ids
        tree = {(span.Pg.objgen, int(mcid)) for span in elements(pdf) for mcid in
                [k for k in (span.K if isinstance(span.K, pikepdf.Array) else [span.K])
                 if isinstance(k, int)]}  # fmt: skip
        last = len(pdf.pages) - 1
        mcids, artifacts = page_mcids(pdf, last)
        assert artifacts >= 2  # "Name" and "Value" again, as pagination
        assert {(pdf.pages[last].objgen, m) for m in mcids} <= tree


def test_definition_list_pairs_and_foreign_language(split: Path) -> None:
    with pikepdf.open(split) as pdf:
        (listing,) = of_kind(pdf, "/L")
        items = kids(listing)
        assert [[k.S for k in kids(item)] for item in items] == [["/Lbl", "/LBody"]] * 2
        assert [str(p.Lang) for p in of_kind(pdf, "/P") if "/Lang" in p] == ["en"]


def test_leaflet_is_one_part_and_check_finds_no_split(built: Path) -> None:
    rules = rules_for("screen", large_print=False)
    for path in built.glob("*.pdf"):
        with pikepdf.open(path) as pdf:
            assert len(of_kind(pdf, "/Part")) == 1, path.name
        assert not check_pdf(path.read_bytes(), rules).kinds["split"], path.name


def test_latin_terms_and_clinic_name_carry_their_language(tmp_path: Path) -> None:
    out = tmp_path / "h.ar.pdf"
    assert run_cli(*HANDOUT, "--lang", "ar", "--out", out) == 0
    with pikepdf.open(out) as pdf:
        langs = Counter(str(e.Lang) for e in elements(pdf) if "/Lang" in e)
        items = [[k.S for k in kids(item)] for item in of_kind(pdf, "/LI")]
    assert langs["en"] >= 10 and langs["da"] >= 2  # Piriformis, MRI...; clinic name, address
    # the personal box's terms and values are pairs, like every other list item
    assert items and all(item == ["/Lbl", "/LBody"] for item in items)


def test_latin_terms_are_marked_but_character_references_are_not() -> None:
    html = Markup('يسأل &quot;هل&quot; (Piriformis) و MRI; &#x27;straight leg raise&#39;')
    assert str(mark_latin_terms(html)) == (
        'يسأل &quot;هل&quot; (<span lang="en">Piriformis</span>) و <span lang="en">MRI</span>; '
        '&#x27;<span lang="en">straight leg raise</span>&#39;'
    )


@pytest.fixture(scope="module")
def arabic_source(tmp_path_factory) -> Counter:
    """The Arabic leaflet's words, from its HTML."""
    html = tmp_path_factory.mktemp("html")
    assert run_cli("build", "--project", REPO, "--out", html, "--lang", "ar", "--draft",
                   "--format", "html") == 0  # fmt: skip
    return words(unicodedata.normalize("NFC", document_text(
        (html / f"{LEAFLET_ID}.ar.html").read_text())))  # fmt: skip


@pytest.mark.parametrize("extract", [by_pdftotext, by_pdfium])
def test_arabic_words_with_vowel_marks_extract_whole(
    built: Path, arabic_source: Counter, extract
) -> None:
    source = arabic_source
    found = words(unicodedata.normalize("NFC", extract(built / f"{LEAFLET_ID}.ar.pdf")))
    marked = Counter({w: n for w, n in source.items() if any(
        unicodedata.category(c) == "Mn" for c in w)})  # fmt: skip
    lam_alef = Counter({w: n for w, n in source.items() if LAM_ALEF.search(w)})
    assert marked.total() > 100 and lam_alef.total() > 100
    assert recall(marked, found) == 1.0
    assert recall(lam_alef, found) == 1.0
    assert recall(source, found) >= 0.99


def drawn(items: list, font) -> list[tuple]:
    """Each glyph a content stream draws, with where (thousandths of the font size) and the
    text rise, in drawing order."""
    glyphs, rise, pen = [], b"0", 0.0
    for item in items:
        if item.endswith(b" Ts"):
            rise = item.split()[0]
        elif item.endswith(b"] TJ"):
            for token in tagging._tj_tokens(item):
                if isinstance(token, float):
                    pen -= token
                else:
                    glyphs.append((token, round(pen, 6), rise))
                    pen += font.widths[int(token, 16)]
    return glyphs


def test_a_raised_mark_on_a_ligature_is_drawn_after_its_word_at_the_same_place() -> None:
    """What WeasyPrint draws for «احتمالًا هنا» (the tanween of لًا raised): the word's
    content starts with the mark, which PDFium reads out of order."""
    font = SimpleNamespace(
        to_unicode={0x64E: "\u064b", 0x42A: "لا", 0x125: "م", 0x3: " ", 0x394: "ه"},
        widths={0x64E: 0, 0x42A: 518, 0x125: 441, 0x3: 236, 0x394: 400},
    )
    items = [b"/F 16 Tf", b"[<0003>0] TJ", b"7.389 Ts", b"[-302.0625<064e>] TJ", b"0 Ts",
             b"[<>302<042a>0<0125>0<0003>0<0394>] TJ", b"ET"]  # fmt: skip
    rewritten = tagging._marks_after_ligature_words(items, {"F": font})
    before, after = drawn(items, font), drawn(rewritten, font)
    assert sorted(before) == sorted(after)  # every glyph at the same place and height
    assert [glyph for glyph, *_ in after] == [b"0003", b"042a", b"0125", b"064e", b"0003", b"0394"]
    assert tagging._marks_after_ligature_words(rewritten, {"F": font}) == rewritten


def test_pdfium_order_reverses_runs_between_marks_in_place() -> None:
    word = "يُشخَّص"  # ya damma shin kha fatha shadda sad
    drawn = tagging._pdfium_order(word)
    assert drawn == "يُ" + "خش" + "\u0651\u064e" + "ص"
    assert tagging._pdfium_order(drawn) == word  # what PDFium reads from it
    assert tagging._pdfium_order("العلاج") == "العلاج"[::-1]  # no mark: one run


def test_a_word_pdfium_would_misread_carries_its_own_reading_innermost(built: Path) -> None:
    """poppler reads the /Span's ActualText, PDFium the innermost sequence's: the marked
    word's MCID is on the innermost, where tools that read only that one find it."""
    with pikepdf.open(built / f"{LEAFLET_ID}.ar.pdf") as pdf:
        stack, nested = [], []
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
            if operator == pikepdf.Operator("BMC"):
                stack.append((str(operands[0]), pikepdf.Dictionary()))
            elif operator == pikepdf.Operator("BDC"):
                stack.append((str(operands[0]), operands[1]))
                if stack[-1][0] == "/ReversedChars":
                    nested.append(stack[-2:])
            elif operator == pikepdf.Operator("EMC"):
                stack.pop()
    assert len(nested) > 10
    for (outer_tag, outer), (_, inner) in nested:
        assert outer_tag == "/Span" and "/MCID" not in outer and "/MCID" in inner
        visual, pdfium = str(outer.ActualText), str(inner.ActualText)
        assert visual != pdfium
        assert unicodedata.normalize("NFC", visual[::-1]) == unicodedata.normalize(
            "NFC", tagging._pdfium_order(pdfium))


@pytest.fixture(scope="module")
def print_shop(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("print")
    args = ("--lang", "da", "--lang", "ar", "--edition", "print-shop", "--draft")
    assert run_cli("build", "--project", REPO, "--out", out, *args) == 0
    return out


def test_print_shop_output_intent_is_a_printing_condition(print_shop: Path) -> None:
    with pikepdf.open(print_shop / f"{LEAFLET_ID}.da.pdf") as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert str(intent.RegistryName) == "http://www.color.org"
        profile = intent.DestOutputProfile.read_bytes()
        assert profile[12:20] == b"prtrCMYK" and intent.DestOutputProfile.N == 4
    assert profile == prepress.PROFILE.read_bytes()
    assert (prepress.PROFILE.parent / "README").read_text().count("Zlib") >= 2


def _marks(page) -> list[tuple[float, float]]:
    """The points the printer's marks are drawn through (inside /Artifact <</Type /Page>>)."""
    points, inside = [], False
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "BDC" and operands[0] == "/Artifact" and operands[1].get("/Type") == "/Page":
            inside = True
        elif name == "EMC":
            inside = False
        elif inside and name in ("m", "l", "c"):
            values = [float(v) for v in operands]
            points += list(zip(values[0::2], values[1::2], strict=True))
    return points


def test_print_shop_marks_lie_in_a_slug_outside_the_bleed(print_shop: Path) -> None:
    with pikepdf.open(print_shop / f"{LEAFLET_ID}.ar.pdf") as pdf:
        for page in pdf.pages:
            media, bleed, trim = ([float(v) for v in box] for box in
                                  (page.MediaBox, page.BleedBox, page.TrimBox))  # fmt: skip
            assert media[0] < bleed[0] < trim[0] and media[2] > bleed[2] > trim[2]
            assert bleed[0] == pytest.approx(trim[0] - 3 * 72 / 25.4, abs=0.1)
            points = _marks(page)
            assert len(points) > 16  # 8 crop marks, 4 registration targets
            for x, y in points:
                outside = x <= bleed[0] + 0.01 or x >= bleed[2] - 0.01
                outside |= y <= bleed[1] + 0.01 or y >= bleed[3] - 0.01
                inside_media = media[0] <= x <= media[2] and media[1] <= y <= media[3]
                assert outside and inside_media, (x, y)


def test_screen_and_print_shop_ids_come_from_the_content(tmp_path: Path) -> None:
    for edition in ("screen", "print-shop"):
        args = ("--project", REPO, "--lang", "ar", "--draft", "--edition", edition, "--force")
        assert run_cli("build", "--out", tmp_path / edition / "a", *args) == 0
        assert run_cli("build", "--out", tmp_path / edition / "b", *args) == 0
        first, second = (tmp_path / edition / r / f"{LEAFLET_ID}.ar.pdf" for r in "ab")
        assert first.read_bytes() == second.read_bytes()
        with pikepdf.open(first) as pdf:
            xmp = pdf.Root.Metadata.read_bytes()
            assert b"<xmpMM:DocumentID>xmp.did:" in xmp
            assert b"<xmpMM:InstanceID>xmp.iid:" in xmp
            assert len(pdf.trailer.ID) == 2


@pytest.fixture(scope="module")
def as_on_main(tmp_path_factory) -> Path:
    """Files made without this issue's repairs, as the main branch made them: per-page
    elements, random ids, WeasyPrint's sRGB intent and marks inside the bleed."""
    out = tmp_path_factory.mktemp("main")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tagging._Merger, "merge", lambda self: None)
        patch.setattr(tagging, "derive_identifiers", lambda pdf: None)
        patch.setattr(prepress, "finish", lambda document, pdf: None)
        for edition in ("screen", "print-shop"):
            args = ("--lang", "da", "--edition", edition, "--out", out / edition)
            assert run_cli("build", "--project", REPO, *args) == 0
    return out


def test_check_fails_files_without_the_repairs(as_on_main: Path, built: Path) -> None:
    name = f"{LEAFLET_ID}.da.pdf"
    screen = check_pdf((as_on_main / "screen" / name).read_bytes(), rules_for("screen", False))
    assert screen.kinds["split"] and screen.kinds["ids"]
    rules = rules_for("print-shop", False)
    shop = check_pdf((as_on_main / "print-shop" / name).read_bytes(), rules)
    assert shop.kinds["prepress"] and any("mntr" in f for f in shop.findings)
    assert check_pdf((built / name).read_bytes(), rules_for("screen", False)).passed


def test_check_compares_each_extractor_with_the_source(built: Path) -> None:
    rules = rules_for("screen", large_print=False)
    data = (built / f"{LEAFLET_ID}.da.pdf").read_bytes()
    assert check_pdf(data, rules, "Smerter i ballen").passed
    report = check_pdf(data, rules, "Smerter i ballen og ord som ingen PDF har qwxz")
    assert sum("of the words" in f for f in report.findings) >= 2


def test_outloud_finds_no_empty_elements_in_a_handout(tmp_path: Path) -> None:
    """outloud (PyPI, test extra) as a second opinion: no error, and no empty structure
    elements (the diary's tick boxes made 42)."""
    outloud = shutil.which("outloud", path=str(Path(sys.executable).parent))
    if not outloud:
        pytest.skip("outloud is not installed (pip install '.[test]')")
    out = tmp_path / "h.da.pdf"
    assert run_cli(*HANDOUT, "--lang", "da", "--out", out) == 0
    command = [outloud, "--json", "-", "--fail-on", "error", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:]
    (report,) = json.loads(result.stdout)["results"]
    assert not [f for f in report["findings"] if f["rule"] == "TAG-020"]
