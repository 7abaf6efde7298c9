"""Catalogue management: extract templates, update, approve, compile, stats and check.

The Danish sources are the single truth. ``extract`` writes one template per domain
(``locales/<domain>.pot``): one per leaflet (its id), ``exercises`` and ``ui`` (template and
program strings). ``update`` merges them into ``locales/<lang>/LC_MESSAGES/<domain>.po`` the
way GNU msgmerge does, so the two can follow each other without a diff, but it never offers a
translation of one unit as a suggestion for another. Every catalogue leaflet-gen writes is
*sealed* (see :mod:`leaflet_gen.lifecycle`).
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from translate.misc.multistring import multistring

from . import lifecycle, pofiles
from .errors import TranslationError
from .exercises import load_library
from .load import leaflet_ids, load_leaflet
from .model import iter_units
from .pofiles import Entry, Store
from .project import EXERCISES_DOMAIN, PACKAGE_DIR, UI_DOMAIN, Project, catalog_path
from .translate import is_safety_context, parse_locale

SAFETY_NOTE = "SAFETY-CRITICAL: must be translated exactly; a gap blocks this language."
_KIND_NOTES = {
    "title": "Leaflet title.",
    "heading": "Section heading.",
    "paragraph": "Paragraph.",
    "list-item": "List item.",
    "table-cell": "Table cell.",
    "faq-question": "FAQ question.",
    "exercise-title": "Exercise name.",
    "exercise-purpose": "Exercise: one-line purpose.",
    "exercise-step": "Exercise: one numbered step.",
    "exercise-caution": "Exercise: stop-if caution.",
    "exercise-alt": "Exercise: alt text describing the illustration (read by screen readers).",
}
_MARKDOWN_NOTE = "Inline Markdown: keep **bold**, *italic* and [links](target) as they are."
_SIMILAR = 0.6  # how alike an edited unit must be to its old text to inherit a suggestion


# -- extract --------------------------------------------------------------------------------


def extract(project: Project) -> dict[str, Store]:
    """Templates (.pot catalogues) of every domain, from the current Danish sources."""
    templates = {}
    for path in leaflet_ids(project.leaflet_paths()):
        leaflet = load_leaflet(path)
        templates[leaflet.id] = _units_template(
            leaflet.id, iter_units((leaflet.title, leaflet.intro, leaflet.sections))
        )
    exercises = load_library(project.exercises_dir)
    templates[EXERCISES_DOMAIN] = _units_template(
        EXERCISES_DOMAIN, (u for e in exercises.values() for u in iter_units(e))
    )
    templates[UI_DOMAIN] = _ui_template()
    return templates


def _units_template(domain: str, units) -> Store:
    store = pofiles.new_store(domain, None)
    found: dict[tuple[str, str], Entry] = {}
    for unit in units:
        entry = found.get((unit.context, unit.text))
        if entry is None:
            entry = found[(unit.context, unit.text)] = _template_entry(
                store, unit.context, unit.text, [_KIND_NOTES.get(unit.kind, unit.kind)]
            )
            entry.addnote(_MARKDOWN_NOTE, origin="developer")
            if "%" in unit.text:
                entry.settypecomment("no-python-format")
        if unit.safety and SAFETY_NOTE not in entry.getnotes("developer"):
            entry.addnote(SAFETY_NOTE, origin="developer")
        entry.addlocation(unit.reference)
    for entry in found.values():
        entry.sourcecomments = _reference_lines(entry.getlocations())
    return store


def _template_entry(store: Store, context: str | None, source, notes: list[str]) -> Entry:
    entry = store.addsourceunit(source)
    if isinstance(source, multistring):
        entry.target = multistring(["", ""])
    if context:
        entry.setcontext(context)
    for note in notes:
        entry.addnote(note, origin="developer")
    return entry


def _ui_template() -> Store:
    store = pofiles.new_store(UI_DOMAIN, None)
    method_map = [("templates/**.j2", "jinja2.ext:babel_extract"), ("**.py", "python")]
    options = {"templates/**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    keywords = {"pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}
    found: dict[tuple[str, str], Entry] = {}
    for filename, line, message, comments, context in extract_from_dir(
        PACKAGE_DIR,
        method_map,
        options,
        keywords,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        if not context:
            raise TranslationError(f"leaflet_gen/{filename}:{line}: a UI string needs a context")
        source = multistring(list(message)) if isinstance(message, tuple) else message
        singular = message[0] if isinstance(message, tuple) else message
        entry = found.get((context, singular))
        if entry is None:
            notes = list(comments) + ([SAFETY_NOTE] if is_safety_context(context) else [])
            entry = found[(context, singular)] = _template_entry(store, context, source, notes)
            if "%(" in singular:
                entry.settypecomment("python-format")
        entry.addlocation(f"leaflet_gen/{filename}:{line}")
    for entry in found.values():
        entry.sourcecomments = _reference_lines(entry.getlocations())
    return store


def _reference_lines(references: list[str], width: int = 79) -> list[str]:
    """``#:`` lines filled up to the width, as GNU xgettext and msgmerge write them."""
    lines = ["#:"]
    for reference in references:
        if len(lines[-1]) + 1 + len(reference) > width and lines[-1] != "#:":
            lines.append("#:")
        lines[-1] += f" {reference}"
    return [f"{line}\n" for line in lines]


def write_templates(project: Project) -> list[Path]:
    """Write ``locales/<domain>.pot`` for every domain and seal the catalogues; the paths."""
    return [path for path, _ in _write_templates(project)] + seal_all(project)


def _write_templates(project: Project) -> list[tuple[Path, Store]]:
    """Templates on disk; a template whose entries did not change keeps its creation date."""
    written = []
    for domain, template in extract(project).items():
        path = project.locales_dir / f"{domain}.pot"
        previous = pofiles.read(path)
        if previous is not None and bytes(_without_date(previous)) == bytes(
            _without_date(template)
        ):
            template = previous
        pofiles.write(template, path)
        written.append((path, template))
    return written


def _without_date(store: Store) -> Store:
    copy = pofiles.pofile_copy(store)
    copy.updateheader(POT_Creation_Date="")
    return copy


def seal_all(project: Project) -> list[Path]:
    """Seal every current translation to the Danish text it stands under (changed files).

    Run before the templates reach msgmerge, so that a translation edited since the last seal
    is tied to the text it was edited for, not to the next one.
    """
    written = []
    for lang in project.languages():
        for path in _catalogue_paths(project, lang):
            store = pofiles.read(path)
            if store is not None and any([lifecycle.seal(e) for e in pofiles.entries(store)]):
                pofiles.write(store, path)
                written.append(path)
    return written


def _catalogue_paths(project: Project, lang: str) -> list[Path]:
    return sorted((project.locales_dir / lang / "LC_MESSAGES").glob("*.po"))


# -- update ---------------------------------------------------------------------------------


def update(project: Project, langs: list[str] | None = None) -> list[Path]:
    """Merge the current templates into each language's catalogues (creating missing ones)."""
    for lang in langs or []:
        parse_locale(lang)
    templates = _write_templates(project)
    written = []
    for lang in langs or project.languages():
        for pot_path, template in templates:
            domain = pot_path.stem
            path = catalog_path(project.locales_dir, lang, domain)
            old = pofiles.read(path) or _new_catalog(domain, lang)
            if pofiles.write(merge(old, template), path):
                written.append(path)
    return written


def _new_catalog(domain: str, lang: str) -> Store:
    parse_locale(lang)  # also a language folder created by hand
    plural = get_plural(lang)
    forms = f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"
    return pofiles.new_store(domain, lang, forms)


def merge(old: Store, template: Store) -> Store:
    """The old catalogue brought up to date with the template, as msgmerge would, except:

    - nothing is fuzzy-matched across units by similarity alone: an edited unit (new context,
      content-anchored) inherits a suggestion only from a vanished unit of the same kind whose
      text it closely resembles, and that both pick as their best match;
    - safety-critical units never inherit a suggestion: they are translated afresh;
    - a translation left unchanged since its Danish text changed is marked fuzzy (stale).

    Obsolete entries are kept (``#~``) and brought back when their text returns.
    """
    for entry in pofiles.entries(old):
        lifecycle.seal(entry)
    merged = pofiles.pofile_copy(old, units=False)
    created = pofiles.header_field(template, "POT-Creation-Date")
    pofiles.set_header_field(merged, "POT-Creation-Date", created)
    live = pofiles.index(old)
    obsolete = {pofiles.key(e): e for e in old.units if e.isobsolete()}
    used: set[int] = set()
    pending: list[Entry] = []
    for entry in pofiles.entries(template):
        new = _from_template(entry)
        previous = live.get(pofiles.key(new)) or obsolete.get(pofiles.key(new))
        if previous is not None:
            _carry(previous, new, fuzzy=previous.isfuzzy(), keep_previous=True)
            used.add(id(previous))
        else:
            pending.append(new)
        merged.addunit(new)
    _suggest(pending, [e for e in live.values() if id(e) not in used], used)
    for entry in pofiles.entries(merged):
        if lifecycle.state(entry) == lifecycle.STALE:
            entry.markfuzzy(True)
        lifecycle.seal(entry)
    for entry in old.units:
        if entry.isheader() or id(entry) in used:
            continue
        if entry.isobsolete() or any(lifecycle.target_strings(entry)):
            gone = entry.copy()
            gone.makeobsolete()
            merged.addunit(gone)
    return merged


def _from_template(entry: Entry) -> Entry:
    new = entry.copy()
    new.othercomments = []
    return new


def _carry(previous: Entry, new: Entry, fuzzy: bool, keep_previous: bool) -> None:
    pofiles.copy_translation(previous, new)
    new.othercomments = list(previous.othercomments)
    if keep_previous:
        new.prev_msgctxt = list(previous.prev_msgctxt)
        new.prev_msgid = list(previous.prev_msgid)
        new.prev_msgid_plural = list(previous.prev_msgid_plural)
    else:
        new.prev_msgctxt = list(previous.msgctxt) if previous.msgctxt != new.msgctxt else []
        new.prev_msgid = list(previous.msgid)
        new.prev_msgid_plural = list(previous.msgid_plural)
    new.markfuzzy(fuzzy)


def _suggest(pending: list[Entry], vanished: list[Entry], used: set[int]) -> None:
    """Give new entries the translation of the vanished entry they replace, if any."""
    translated = [e for e in vanished if all(lifecycle.target_strings(e))]
    by_text: dict[str, list[Entry]] = {}
    for entry in translated:
        if not entry.isfuzzy():
            by_text.setdefault(pofiles.key(entry)[1], []).append(entry)
    for new in pending:
        same_text = by_text.get(pofiles.key(new)[1])
        if same_text:  # the same Danish text under another context: moved
            _carry(same_text[0], new, fuzzy=False, keep_previous=True)
            used.update(id(e) for e in same_text)
    for new in pending:
        if new.istranslated() or _is_safety(new):
            continue
        old = _predecessor(new, [e for e in translated if id(e) not in used], pending)
        if old is not None:
            _carry(old, new, fuzzy=True, keep_previous=False)
            used.add(id(old))


def _predecessor(new: Entry, candidates: list[Entry], pending: list[Entry]) -> Entry | None:
    """The vanished entry this new one edits: same field, or same kind and mutually most alike."""
    same_field = [e for e in candidates if e.getcontext() == new.getcontext()]
    if same_field:
        return same_field[0]
    kind = _kind(new)
    alike = [e for e in candidates if _kind(e) == kind and not _field_context(e)]
    if _field_context(new) or not alike:
        return None
    best = max(alike, key=lambda e: _similarity(e, new))
    if _similarity(best, new) < _SIMILAR:
        return None
    rivals = [p for p in pending if p is not new and _kind(p) == kind and not p.istranslated()]
    if any(_similarity(best, p) > _similarity(best, new) for p in rivals):
        return None
    return best


def _kind(entry: Entry) -> str:
    return (entry.getcontext() or "").rpartition(".")[0]


def _field_context(entry: Entry) -> bool:
    """A context named after a field (``red_flags.heading``, ``side.left``), not content."""
    suffix = (entry.getcontext() or "").rpartition(".")[2]
    return not (len(suffix) == 8 and all(c in "0123456789abcdef" for c in suffix))


def _similarity(a: Entry, b: Entry) -> float:
    return difflib.SequenceMatcher(None, pofiles.key(a)[1], pofiles.key(b)[1]).ratio()


def _is_safety(entry: Entry) -> bool:
    return SAFETY_NOTE in entry.getnotes("developer")


# -- approve --------------------------------------------------------------------------------


def approve(project: Project, lang: str, by: str, day: date) -> tuple[int, int]:
    """Record ``by``'s approval of every current, check-passing translation of ``lang``.

    Returns (units approved now, units that could not be approved: untranslated, fuzzy,
    stale or failing a check).
    """
    if not by.strip():
        raise TranslationError("--by: give the reviewer's name")
    if lang not in project.languages():
        raise TranslationError(f"no catalogues for language '{lang}' (i18n update --lang)")
    approved = refused = 0
    for path in _catalogue_paths(project, lang):
        store = pofiles.read(path)
        changed = False
        for entry in pofiles.entries(store):
            if _status(entry, lang) != "translated":
                refused += 1
            elif lifecycle.approve(entry, by.strip(), day):
                approved += 1
                changed = True
        if changed:
            pofiles.write(store, path)
    return approved, refused


# -- compile --------------------------------------------------------------------------------


def compile_all(project: Project) -> list[Path]:
    """Write a .mo beside every .po (only current, check-passing translations)."""
    from translate.storage import mo

    from .pdf import write_atomically

    written = []
    for lang in project.languages():
        for path in _catalogue_paths(project, lang):
            store = pofiles.read(path)
            compiled = mo.mofile()
            compiled.updateheader(add=True, **_mo_header(store))
            for entry in pofiles.entries(store):
                if _status(entry, lang) == "translated":
                    unit = compiled.addsourceunit(entry.source)
                    unit.target = entry.target
                    unit.setcontext(entry.getcontext())
            target = path.with_suffix(".mo")
            write_atomically(bytes(compiled), target)
            written.append(target)
    return written


def _mo_header(store: Store) -> dict[str, str]:
    fields = ("Language", "Plural-Forms", "Content-Type")
    return {f.replace("-", "_"): pofiles.header_field(store, f) for f in fields}


# -- stats ----------------------------------------------------------------------------------

STATUSES = ("translated", "fuzzy", "stale", "failing", "untranslated")


@dataclass
class Tally:
    """Counts for one language, by units and by words; safety and approved units apart."""

    units: Counter = field(default_factory=lambda: Counter(dict.fromkeys(STATUSES, 0)))
    words: Counter = field(default_factory=lambda: Counter(dict.fromkeys(STATUSES, 0)))
    safety: Counter = field(default_factory=lambda: Counter(dict.fromkeys(STATUSES, 0)))
    approved: int = 0
    obsolete: int = 0

    @property
    def safety_complete(self) -> bool:
        return self.safety["translated"] == sum(self.safety.values())

    @property
    def complete(self) -> bool:
        return self.units["translated"] == sum(self.units.values())

    @property
    def fully_approved(self) -> bool:
        return self.approved == sum(self.units.values())

    def as_dict(self) -> dict:
        return {
            "units": dict(self.units),
            "words": dict(self.words),
            "safety": dict(self.safety),
            "approved": self.approved,
            "obsolete": self.obsolete,
            "complete": self.complete,
            "safety_complete": self.safety_complete,
            "approved_complete": self.fully_approved,
        }


def stats(project: Project) -> dict[str, Tally]:
    """Per language: translated, fuzzy, stale, failing, untranslated (against the sources)."""
    templates = extract(project)
    result = {}
    for lang in project.languages():
        tally = Tally()
        for domain, template in templates.items():
            store = pofiles.read(catalog_path(project.locales_dir, lang, domain))
            tally.obsolete += sum(1 for e in store.units if e.isobsolete()) if store else 0
            found = pofiles.index(store)
            for entry in pofiles.entries(template):
                _count(tally, entry, found.get(pofiles.key(entry)), lang)
        result[lang] = tally
    return result


def _status(entry: Entry | None, lang: str) -> str:
    """translated, fuzzy, stale, failing or untranslated."""
    if entry is None:
        return "untranslated"
    state = lifecycle.state(entry)
    if state != lifecycle.CURRENT:
        return {lifecycle.FUZZY: "fuzzy", lifecycle.STALE: "stale"}.get(state, "untranslated")
    return "failing" if lifecycle.problems(entry, lang) else "translated"


def _count(tally: Tally, template: Entry, entry: Entry | None, lang: str) -> None:
    status = _status(entry, lang)
    tally.units[status] += 1
    tally.words[status] += len(pofiles.key(template)[1].split())
    if _is_safety(template):
        tally.safety[status] += 1
    if status == "translated" and lifecycle.approval(entry) is not None:
        tally.approved += 1


# -- check ----------------------------------------------------------------------------------


def check(project: Project) -> list[str]:
    """Every problem found in the catalogues, one line each (empty when all is well)."""
    templates = extract(project)
    problems = []
    for lang in project.languages():
        for domain, template in templates.items():
            path = catalog_path(project.locales_dir, lang, domain)
            store = pofiles.read(path)
            if store is None:
                problems.append(f"{path}: missing (leaflet-gen i18n update --lang {lang})")
                continue
            problems += [f"{path}: {p}" for p in _check_headers(store, lang)]
            problems += [f"{path}: {p}" for p in _check_against_template(store, template)]
            for entry in pofiles.entries(store):
                problems += [f"{path}: {p}" for p in _check_entry(entry, lang)]
    return problems


def _check_headers(store: Store, lang: str) -> list[str]:
    problems = []
    language = pofiles.header_field(store, "Language")
    if language != lang:
        problems.append(f"Language header is '{language}', expected '{lang}'")
    plural = get_plural(lang)
    expected = f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"
    forms = pofiles.header_field(store, "Plural-Forms")
    if forms.replace(" ", "") != expected.replace(" ", ""):
        problems.append(f"Plural-Forms is '{forms}', expected '{expected}'")
    return problems


def _check_against_template(store: Store, template: Store) -> list[str]:
    """What msgcmp reports: template units the catalogue lacks."""
    found = pofiles.index(store)
    return [
        f"{_name(entry)}: missing from the catalogue (leaflet-gen i18n update)"
        for entry in pofiles.entries(template)
        if pofiles.key(entry) not in found
    ]


def _check_entry(entry: Entry, lang: str) -> list[str]:
    state = lifecycle.state(entry)
    if state == lifecycle.STALE:
        return [f"{_name(entry)}: translation is {state}: revise it"]
    if state != lifecycle.CURRENT:
        return []
    return [f"{_name(entry)}: {p}" for p in lifecycle.problems(entry, lang)]


def _name(entry: Entry) -> str:
    where = entry.getlocations()
    text = pofiles.key(entry)[1]
    short = text if len(text) <= 40 else f"{text[:39]}…"
    at = f" ({where[0]})" if where else ""
    return f"{entry.getcontext()} «{short}»{at}"
