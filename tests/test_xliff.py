"""XLIFF 1.2 export for translation agencies and the import of their delivery."""

from __future__ import annotations

import copy
from io import BytesIO
from pathlib import Path

import pytest
from lxml import etree

from leaflet_gen import lifecycle, pofiles
from leaflet_gen.catalogs import SAFETY_NOTE
from leaflet_gen.errors import TranslationError
from leaflet_gen.limits import MAX_XLIFF_BYTES as MAX_BYTES
from leaflet_gen.project import Project, catalog_path
from leaflet_gen.xliff import XLIFF_NS, export_xliff, import_xliff

LANG = "de"
NS = {"x": XLIFF_NS}
LEAFLET = "smerter-i-ballen-og-ned-i-benet"


def _catalogues(root: Path) -> list[Path]:
    return sorted((root / "locales" / LANG / "LC_MESSAGES").glob("*.po"))


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in (root / "locales").rglob("*.po")}


def _unit_ids(root: Path) -> list[str]:
    """The trans-unit ids an export must hold: msgctxt, or msgctxt[n] per plural form."""
    ids = []
    for path in _catalogues(root):
        for entry in pofiles.entries(pofiles.read(path)):
            context = entry.getcontext()
            forms = len(lifecycle.target_strings(entry))
            ids += [f"{context}[{n}]" for n in range(forms)] if entry.hasplural() else [context]
    return ids


def _xml(project: Path) -> etree._Element:
    return etree.fromstring(export_xliff(Project.at(project), LANG))


def _unit(root: etree._Element, uid: str) -> etree._Element:
    return root.find(f".//x:trans-unit[@id='{uid}']", NS)


def _first_plain(root: etree._Element, domain: str = LEAFLET) -> etree._Element:
    return root.find(f"x:file[@original='{domain}.po']/x:body/x:trans-unit", NS)


def _entry(project: Path, domain: str, context: str) -> pofiles.Entry:
    store = pofiles.read(catalog_path(project / "locales", LANG, domain))
    return next(e for e in pofiles.entries(store) if e.getcontext() == context)


def _import(project: Path, root: etree._Element) -> list[Path]:
    return import_xliff(Project.at(project), etree.tostring(root), "delivery.xlf")


def test_export_maps_every_live_entry_with_its_context(project):
    root = _xml(project)
    files = root.findall("x:file", NS)
    assert [f.get("original") for f in files] == [p.name for p in _catalogues(project)]
    assert {f.get("target-language") for f in files} == {LANG}
    units = root.findall(".//x:trans-unit", NS)
    assert [u.get("id") for u in units] == _unit_ids(project)
    for unit in units:
        entry = unit.getparent() if unit.getparent().tag == f"{{{XLIFF_NS}}}group" else unit
        assert entry.get("resname") == entry.get("id")
    entries = {
        e.getcontext(): e for p in _catalogues(project) for e in pofiles.entries(pofiles.read(p))
    }
    plain = root.findall("x:file/x:body/x:trans-unit", NS)
    groups = root.findall("x:file/x:body/x:group[@restype='x-gettext-plurals']", NS)
    assert sorted(u.get("id") for u in plain + groups) == sorted(entries)
    safety = [c for c, e in entries.items() if SAFETY_NOTE in e.getnotes("developer")]
    assert len(safety) > 10
    for context in safety:
        element = _unit(root, context)
        element = _unit(root, f"{context}[0]") if element is None else element
        notes = [n.text for n in element.findall("x:note[@from='developer']", NS)]
        assert SAFETY_NOTE in notes


def test_export_of_a_language_without_catalogues_is_refused(project):
    with pytest.raises(TranslationError, match="no catalogues for language 'sv'"):
        export_xliff(Project.at(project), "sv")


def test_export_states_notes_and_locations(project):
    root = _xml(project)
    assert {t.get("state") for t in root.iterfind(".//x:target", NS)} == {"translated"}
    notes = [n.text for n in root.iterfind(".//x:note[@from='translator']", NS)]
    assert not any(n.startswith("leaflet-gen ") for n in notes)
    step = _unit(root, "hamstring-stretch.step.14fbaa1a")
    source = (project / "leaflets" / "exercises" / "hamstring-stretch.md").read_text("utf-8")
    line = source.splitlines().index("1. Sid på forkanten af en stol.") + 1
    assert [c.text for c in step.iterfind("x:context-group/x:context", NS)] == [
        "leaflets/exercises/hamstring-stretch.md",
        str(line),
    ]


def test_round_trip_without_edits_changes_nothing(project):
    before = _snapshot(project)
    data = export_xliff(Project.at(project), LANG)
    assert import_xliff(Project.at(project), data, "delivery.xlf") == []
    assert _snapshot(project) == before


def test_agency_edits_are_imported(project):
    root = _xml(project)
    edited, review = root.findall(f"x:file[@original='{LEAFLET}.po']/x:body/x:trans-unit", NS)[:2]
    edited.find("x:target", NS).text = "Neu übersetzt."
    review.find("x:target", NS).set("state", "needs-review-translation")
    plural = _unit(root, "dosage.reps[1]").find("x:target", NS)
    plural.text = "%(num)s Wiederholungen (neu)"
    written = _import(project, root)
    leaflet_po = catalog_path(project / "locales", LANG, LEAFLET)
    assert sorted(written) == sorted([leaflet_po, catalog_path(project / "locales", LANG, "ui")])
    entry = _entry(project, LEAFLET, edited.get("id"))
    assert entry.target == "Neu übersetzt."
    assert lifecycle.state(entry) == lifecycle.CURRENT
    assert _entry(project, LEAFLET, review.get("id")).isfuzzy()
    reps = _entry(project, "ui", "dosage.reps")
    assert lifecycle.target_strings(reps) == (
        "%(num)s Wiederholung",
        "%(num)s Wiederholungen (neu)",
    )
    assert lifecycle.state(reps) == lifecycle.CURRENT


def _spoil(project: Path) -> list[str]:
    """Make the first three leaflet entries fuzzy, stale and empty; their contexts."""
    path = catalog_path(project / "locales", LANG, LEAFLET)
    store = pofiles.read(path)
    fuzzy, stale, empty = pofiles.entries(store)[:3]
    fuzzy.markfuzzy(True)
    stale.source = f"{stale.source} (rettet)"
    empty.target = ""
    pofiles.write(store, path)
    return [fuzzy.getcontext(), stale.getcontext(), empty.getcontext()]


def test_unfinished_entries_travel_and_come_back(project):
    contexts = _spoil(project)
    root = _xml(project)
    targets = [_unit(root, c).find("x:target", NS) for c in contexts]
    assert [t.get("state") for t in targets] == ["needs-review-translation"] * 2 + ["new"]
    before = _snapshot(project)
    assert _import(project, root) == []
    assert _snapshot(project) == before
    targets[0].set("state", "translated")  # the reviewer confirms the fuzzy one as it is
    targets[1].text, targets[2].text = "Überarbeitet.", "Neu."
    for target in targets[1:]:
        target.set("state", "translated")
    _import(project, root)
    for context in contexts:
        assert lifecycle.state(_entry(project, LEAFLET, context)) == lifecycle.CURRENT


def test_empty_target_leaves_the_translation(project):
    root = _xml(project)
    _first_plain(root).find("x:target", NS).text = ""
    before = _snapshot(project)
    assert _import(project, root) == []
    assert _snapshot(project) == before


def _remove_unit(root):
    unit = _first_plain(root)
    unit.getparent().remove(unit)


def _unknown_id(root):
    unit = copy.deepcopy(_first_plain(root))
    unit.set("id", "no-such.unit")
    _first_plain(root).getparent().append(unit)


def _changed_source(root):
    _first_plain(root).find("x:source", NS).text = "En anden dansk tekst."


def _no_language(root):
    del root.find("x:file", NS).attrib["target-language"]


def _unknown_language(root):
    root.find("x:file", NS).set("target-language", "sv")


def _unknown_domain(root):
    root.find("x:file", NS).set("original", "../../evil.po")


def _repeated_unit(root):
    _first_plain(root).getparent().append(copy.deepcopy(_first_plain(root)))


def _inline_markup(root):
    target = _first_plain(root).find("x:target", NS)
    etree.SubElement(target, f"{{{XLIFF_NS}}}x", id="1")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_remove_unit, "does not map every unit"),
        (_unknown_id, "unknown trans-unit id 'no-such.unit'"),
        (_changed_source, "Danish source text changed for"),
        (_no_language, "has no target-language"),
        (_unknown_language, "no catalogues for language 'sv'"),
        (_unknown_domain, "no catalogue '../../evil.po'"),
        (_repeated_unit, "repeated or misplaced"),
        (_inline_markup, "plain text only"),
    ],
)
def test_refused_deliveries_change_nothing(project, change, message):
    root = _xml(project)
    _first_plain(root).find("x:target", NS).text = "Eine Änderung, die nicht ankommen darf."
    change(root)
    before = _snapshot(project)
    with pytest.raises(TranslationError, match=message):
        _import(project, root)
    assert _snapshot(project) == before


_DOCTYPES = [
    b'<!DOCTYPE xliff [<!ENTITY boom "BOOM">]>',
    b'<!DOCTYPE xliff [<!ENTITY boom SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE xliff SYSTEM "http://example.invalid/xliff.dtd">',
]


@pytest.mark.parametrize("doctype", _DOCTYPES)
def test_doctype_and_entities_are_refused(project, doctype):
    root = _xml(project)
    body = etree.tostring(root).replace(b"</target>", b"&amp;boom;</target>", 1)
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + doctype + b"\n" + body
    before = _snapshot(project)
    with pytest.raises(TranslationError, match="DOCTYPE"):
        import_xliff(Project.at(project), data.replace(b"&amp;boom;", b"&boom;"), "x.xlf")
    assert _snapshot(project) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\xff garbage \x89PNG", "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b'<xliff version="1.2"/>', "not an XLIFF 1.2 document"),
        (f'<xliff xmlns="{XLIFF_NS}" version="1.2"/>'.encode(), "no <file>"),
        (b" " * (MAX_BYTES + 1), "larger than 20 MB"),
    ],
)
def test_garbage_is_refused(project, data, message):
    before = _snapshot(project)
    with pytest.raises(TranslationError, match=message):
        import_xliff(Project.at(project), data, "x.xlf")
    assert _snapshot(project) == before


def test_translate_toolkit_reads_every_unit_with_its_id(project):
    """An agency tool sees every entry under its msgctxt, a plural as one unit with its forms."""
    from translate.storage import xliff

    store = xliff.xlifffile.parsestring(export_xliff(Project.at(project), LANG))
    entries = [e for p in _catalogues(project) for e in pofiles.entries(pofiles.read(p))]
    assert [u.getid().rpartition(xliff.ID_SEPARATOR)[2] for u in store.units] == [
        e.getcontext() for e in entries
    ]
    for unit, entry in zip(store.units, entries, strict=True):
        assert unit.hasplural() == entry.hasplural()
        assert tuple(lifecycle.target_strings(unit)) == lifecycle.target_strings(entry)


def test_po2xliff_loses_the_contexts_we_keep(project):
    po2xliff = pytest.importorskip("translate.convert.po2xliff")
    from translate.storage import xliff

    contexts = {i.partition("[")[0] for i in _unit_ids(project)}
    theirs = set()
    for path in _catalogues(project):
        out = BytesIO()
        po2xliff.convertpo(BytesIO(path.read_bytes()), out, None)
        theirs |= {
            u.xmlelement.get("id") for u in xliff.xlifffile.parsestring(out.getvalue()).units
        }
    assert not contexts & theirs
    ours = xliff.xlifffile.parsestring(export_xliff(Project.at(project), LANG))
    assert {u.xmlelement.get("id").partition("[")[0] for u in ours.units} == contexts
