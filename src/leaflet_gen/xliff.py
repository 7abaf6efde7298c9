"""XLIFF 1.2 for translation agencies: one file out per language, its delivery back in.

The document holds one ``<file>`` per catalogue of the language; each live PO entry becomes
a ``<trans-unit>`` whose id is its msgctxt (a plural entry a group with one unit per form)::

    <xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
      <file original="ui.po" source-language="da" target-language="de" datatype="po">
        <body>
          <trans-unit id="CTX" resname="CTX" xml:space="preserve" approved="yes">
            <source xml:lang="da">msgid</source>
            <target xml:lang="de" state="translated">msgstr</target>
            <note from="developer">#. line</note>
            <note from="translator"># line (leaflet-gen seals left out)</note>
            <context-group name="po-reference" purpose="location">
              <context context-type="sourcefile">leaflets/x.md</context>
              <context context-type="linenumber">12</context>
            </context-group>
          </trans-unit>
          <group id="CTX" resname="CTX" restype="x-gettext-plurals">
            <trans-unit id="CTX[0]" ...>msgid / msgstr[0]</trans-unit>
            <trans-unit id="CTX[1]" ...>msgid_plural / msgstr[1]</trans-unit>
          </group>

``state`` is translated (current), needs-review-translation (fuzzy or stale) or new (empty);
``approved="yes"`` marks a valid leaflet-gen approval and is not read back. The import refuses
the whole delivery unless it maps every unit of each catalogue it names onto today's Danish text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from translate.misc.multistring import multistring

from . import lifecycle, pofiles
from .catalogs import _catalogue_paths
from .errors import TranslationError
from .limits import MAX_XLIFF_BYTES, size_text
from .pofiles import Entry
from .project import SOURCE_LANG, Project

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
PLURALS = "x-gettext-plurals"
_X = f"{{{XLIFF_NS}}}"
_XML = "{http://www.w3.org/XML/1998/namespace}"
_REVIEW = "needs-review-translation"
_STATES = {lifecycle.CURRENT: "translated", lifecycle.EMPTY: "new"}  # else _REVIEW
_SEAL = "leaflet-gen "
_FORM = re.compile(r"^(.*)\[(\d+)\]$")


# -- export ---------------------------------------------------------------------------------


def export_xliff(project: Project, lang: str) -> bytes:
    """The catalogues of one language as an XLIFF 1.2 document (UTF-8)."""
    root = etree.Element(_X + "xliff", nsmap={None: XLIFF_NS}, version="1.2")
    for domain, path in _catalogues(project, lang).items():
        attributes = {"source-language": SOURCE_LANG, "target-language": lang, "datatype": "po"}
        file = etree.SubElement(root, _X + "file", original=f"{domain}.po", **attributes)
        body = etree.SubElement(file, _X + "body")
        for entry in pofiles.entries(pofiles.read(path)):
            _add_entry(body, entry, lang)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)


def _catalogues(project: Project, lang: str) -> dict[str, Path]:
    """The .po files of a language by domain; an error when it has none."""
    paths = _catalogue_paths(project, lang) if lang in project.languages() else []
    if not paths:
        raise TranslationError(f"no catalogues for language '{lang}' (i18n update --lang)")
    return {path.stem: path for path in paths}


def _add_entry(body: etree._Element, entry: Entry, lang: str) -> None:
    context = entry.getcontext()
    forms = list(zip(*_forms(entry), strict=True))
    if not entry.hasplural():
        _add_unit(body, context, *forms[0], entry, lang)
        return
    group = etree.SubElement(body, _X + "group", id=context, resname=context, restype=PLURALS)
    for number, (source, target) in enumerate(forms):
        _add_unit(group, f"{context}[{number}]", source, target, entry, lang)


def _forms(entry: Entry) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(sources, targets), one of each per form: a plural's later forms stand under msgid_plural."""
    sources, targets = lifecycle.source_strings(entry), lifecycle.target_strings(entry)
    if entry.hasplural():
        sources = (sources[0],) + (sources[-1],) * (len(targets) - 1)
    return sources, targets


def _add_unit(parent, uid: str, source: str, target: str, entry: Entry, lang: str) -> None:
    unit = etree.SubElement(parent, _X + "trans-unit", id=uid, resname=uid)
    unit.set(_XML + "space", "preserve")
    if lifecycle.approval(entry) is not None:
        unit.set("approved", "yes")
    _child(unit, "source", source, {_XML + "lang": SOURCE_LANG})
    _child(unit, "target", target, {_XML + "lang": lang, "state": _state(entry)})
    for origin, line in _notes(entry):
        _child(unit, "note", line, {"from": origin})
    for location in entry.getlocations():
        _add_location(unit, location)


def _child(parent, tag: str, text: str, attributes: dict[str, str]) -> None:
    etree.SubElement(parent, _X + tag, attributes).text = text


def _state(entry: Entry) -> str:
    return _STATES.get(lifecycle.state(entry), _REVIEW)


def _notes(entry: Entry) -> list[tuple[str, str]]:
    """(from, line) of every developer comment and every translator comment but the seals."""
    developer = entry.getnotes("developer").splitlines()
    translator = entry.getnotes("translator").splitlines()
    return [("developer", line) for line in developer if line.strip()] + [
        ("translator", line) for line in translator if line.strip() and not line.startswith(_SEAL)
    ]


def _add_location(unit: etree._Element, location: str) -> None:
    filename, colon, line = location.rpartition(":")
    if not (colon and line.isdigit()):
        filename, line = location, ""
    group = etree.SubElement(unit, _X + "context-group", name="po-reference", purpose="location")
    _child(group, "context", filename, {"context-type": "sourcefile"})
    if line:
        _child(group, "context", line, {"context-type": "linenumber"})


# -- import ---------------------------------------------------------------------------------


@dataclass
class _Delivered:
    """One entry as the agency sent it back: a text and a state per (plural) form."""

    plural: bool
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)


def import_xliff(project: Project, data: bytes, source_name: str) -> list[Path]:
    """Write the targets of an XLIFF delivery into the catalogues; the paths written.

    All or nothing: any mismatch with today's catalogues refuses the whole delivery.
    """
    files = _parse(data, source_name).findall(_X + "file")
    if not files:
        raise TranslationError("the XLIFF document holds no <file>", source_name)
    plans: dict[Path, pofiles.Store | None] = {}
    for file in files:
        path, store = _apply_file(project, file, source_name)
        if path in plans:
            raise TranslationError(f"{file.get('original')} appears twice", source_name)
        plans[path] = store
    return [
        path for path, store in plans.items() if store is not None and pofiles.write(store, path)
    ]


def _parse(data: bytes, where: str) -> etree._Element:
    """The root of a well-formed XLIFF 1.2 document without DTD or entities."""
    if len(data) > MAX_XLIFF_BYTES:
        raise TranslationError(f"larger than {size_text(MAX_XLIFF_BYTES)}: refused", where)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
    )
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        raise TranslationError(f"not well-formed XML ({exc.msg})", where) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise TranslationError("a DOCTYPE (DTD, entities) is not allowed in XLIFF", where)
    root = tree.getroot()
    if root.tag != _X + "xliff" or root.get("version") != "1.2":
        raise TranslationError("not an XLIFF 1.2 document", where)
    return root


def _apply_file(
    project: Project, file: etree._Element, where: str
) -> tuple[Path, pofiles.Store | None]:
    """(path, store) of one <file> checked against its catalogue; store None when unchanged."""
    lang, original = file.get("target-language"), file.get("original") or ""
    if not lang:
        raise TranslationError(f"<file original='{original}'> has no target-language", where)
    domain = original.removesuffix(".po") if original.endswith(".po") else None
    path = _catalogues(project, lang).get(domain)
    if path is None:
        raise TranslationError(f"no catalogue '{original}' for language '{lang}'", where)
    store = pofiles.read(path)
    live = {entry.getcontext(): entry for entry in pofiles.entries(store)}
    delivered = _delivered(file, where)
    _check_mapping(live, delivered, original, where)
    changed = {id(entry) for uid, entry in live.items() if _apply(entry, delivered[uid])}
    if not changed:
        return path, None
    for entry in live.values():
        if id(entry) not in changed:
            lifecycle.seal(entry)
    return path, store


def _delivered(file: etree._Element, where: str) -> dict[str, _Delivered]:
    """Every trans-unit of a <file> by entry id, plural forms gathered in order."""
    found: dict[str, _Delivered] = {}
    for unit in file.iter(_X + "trans-unit"):
        uid, plural = _entry_id(unit, where)
        entry = found.setdefault(uid, _Delivered(plural))
        expected = f"{uid}[{len(entry.sources)}]" if plural else uid
        if entry.plural != plural or unit.get("id") != expected or (entry.sources and not plural):
            raise TranslationError(f"trans-unit '{unit.get('id')}' repeated or misplaced", where)
        target = unit.find(_X + "target")
        entry.sources.append(_text(unit.find(_X + "source"), expected, where))
        entry.targets.append(_text(target, expected, where))
        entry.states.append(target.get("state", "") if target is not None else "")
    return found


def _entry_id(unit: etree._Element, where: str) -> tuple[str, bool]:
    """(msgctxt, is a plural form) of a trans-unit."""
    uid, group = unit.get("id"), unit.getparent()
    if not uid:
        raise TranslationError("a trans-unit has no id", where)
    if group.tag == _X + "group" and group.get("restype") == PLURALS:
        return group.get("id") or "", True
    return uid, False


def _text(element: etree._Element | None, uid: str, where: str) -> str:
    """Plain text of a <source>/<target> (absent: empty); other markup than <mrk> refused."""
    if element is None:
        return ""
    if any(node.tag != _X + "mrk" for node in element.iterdescendants()):
        raise TranslationError(
            f"markup or comments inside the text of {uid}: plain text only", where
        )
    return "".join(element.itertext())


def _check_mapping(
    live: dict[str, Entry], delivered: dict[str, _Delivered], original: str, where: str
) -> None:
    """Refuse a file that does not map one to one onto the catalogue's live entries."""
    if unknown := sorted(delivered.keys() - live.keys()):
        raise TranslationError(f"unknown trans-unit id '{unknown[0]}' in {original}", where)
    if missing := sorted(live.keys() - delivered.keys()):
        raise TranslationError(
            f"{original} does not map every unit ({len(missing)} missing, first "
            f"'{missing[0]}'); export again",
            where,
        )
    for uid, entry in live.items():
        sources = list(_forms(entry)[0])
        if delivered[uid].plural != entry.hasplural() or delivered[uid].sources != sources:
            raise TranslationError(f"Danish source text changed for {uid}; export again", where)


def _apply(entry: Entry, delivered: _Delivered) -> bool:
    """Take over a delivered translation and its state; True when the entry changed."""
    old, was_fuzzy = lifecycle.target_strings(entry), entry.isfuzzy()
    new = tuple(text or kept for text, kept in zip(delivered.targets, old, strict=True))
    states = [state for state in delivered.states if state]
    fuzzy = any(_needs_work(state) for state in states)
    if new != old:
        entry.target = multistring(list(new)) if entry.hasplural() else new[0]
        entry.markfuzzy(fuzzy)
    elif states and fuzzy != _needs_work(_state(entry)):
        entry.markfuzzy(fuzzy)
    return new != old or entry.isfuzzy() != was_fuzzy


def _needs_work(state: str) -> bool:
    return state == "new" or state.startswith("needs-")
