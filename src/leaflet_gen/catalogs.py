"""Catalogue management: extract templates, update, compile, stats and check.

The Danish sources are the single truth. ``extract`` writes one template per domain
(``locales/<domain>.pot``): one per leaflet (its id), ``exercises`` and ``ui`` (template and
program strings). ``update`` merges them into ``locales/<lang>/LC_MESSAGES/<domain>.po``.
Everything is read and written by Babel.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import write_po

from . import __version__, markdown
from .errors import TranslationError
from .exercises import load_library
from .load import load_leaflet
from .model import Unit, iter_units
from .project import (
    EXERCISES_DOMAIN,
    PACKAGE_DIR,
    UI_DOMAIN,
    Project,
    catalog_path,
)
from .translate import SAFETY_CONTEXT, _usable, read_catalog

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
PROJECT_NAME = "leaflet-gen"


# -- extract --------------------------------------------------------------------------------


def extract(project: Project) -> dict[str, Catalog]:
    """Templates (.pot catalogues) of every domain, from the current Danish sources."""
    templates = {}
    for path in project.leaflet_paths():
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


def _new_catalog(domain: str, locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale,
        domain=domain,
        project=PROJECT_NAME,
        version=__version__,
        fuzzy=False,
        copyright_holder="the clinic",
        charset="utf-8",
    )


def _units_template(domain: str, units) -> Catalog:
    catalog = _new_catalog(domain)
    for unit in units:
        catalog.add(
            unit.text,
            locations=[_location(unit)],
            context=unit.context,
            auto_comments=_notes(unit),
            flags=_flags(unit.text),
        )
    return catalog


def _location(unit: Unit) -> tuple[str, int | None]:
    path, _, line = unit.reference.partition(":")
    return path, int(line) if line else None


def _notes(unit: Unit) -> list[str]:
    notes = [_KIND_NOTES.get(unit.kind, unit.kind)]
    notes.append("Inline Markdown: keep **bold**, *italic* and [links](target) as they are.")
    if unit.safety:
        notes.append(SAFETY_NOTE)
    return notes


def _flags(text: str) -> list[str]:
    return ["no-python-format"] if "%" in text else []


def _ui_template() -> Catalog:
    catalog = _new_catalog(UI_DOMAIN)
    method_map = [("templates/**.j2", "jinja2.ext:babel_extract"), ("**.py", "python")]
    options = {"templates/**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    keywords = {
        "_": None,
        "gettext": None,
        "ngettext": (1, 2),
        "pgettext": ((1, "c"), 2),
        "npgettext": ((1, "c"), 2, 3),
    }
    for filename, line, message, comments, context in extract_from_dir(
        PACKAGE_DIR,
        method_map,
        options,
        keywords,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        notes = list(comments)
        if context and context.startswith(SAFETY_CONTEXT):
            notes.append(SAFETY_NOTE)
        location = (f"leaflet_gen/{filename}", line)
        existing = catalog.get(message, context=context)
        if existing:
            existing.locations.append(location)
            continue
        catalog.add(
            message,
            locations=[location],
            auto_comments=notes,
            context=context,
            flags=["python-format"] if "%(" in str(message) else [],
        )
    return catalog


def write_templates(project: Project) -> list[Path]:
    """Write ``locales/<domain>.pot`` for every domain; return the paths."""
    project.locales_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for domain, catalog in extract(project).items():
        path = project.locales_dir / f"{domain}.pot"
        write_catalog(catalog, path)
        written.append(path)
    return written


def write_catalog(catalog: Catalog, path: Path) -> None:
    """Write a catalogue the way Babel writes it (line width 88, previous msgids kept)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=88, sort_output=False, include_previous=True)
    path.write_bytes(buffer.getvalue())


# -- update ---------------------------------------------------------------------------------


def update(project: Project, langs: list[str] | None = None) -> list[Path]:
    """Merge the current templates into each language's catalogues (creating missing ones)."""
    templates = extract(project)
    written = []
    for lang in langs or project.languages():
        _check_locale(lang)
        for domain, template in templates.items():
            path = catalog_path(project.locales_dir, lang, domain)
            old = read_catalog(path, lang, domain) or _new_catalog(domain, lang)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_catalog(merge(old, template), path)
            written.append(path)
    return written


def _check_locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang)
    except (ValueError, TypeError):
        raise TranslationError(f"unknown language code '{lang}'") from None


def merge(old: Catalog, template: Catalog) -> Catalog:
    """The old catalogue brought up to date with the template.

    Unlike Babel's ``Catalog.update``, nothing is matched by similarity across units:

    1. same msgctxt and msgid: the translation is kept as it was;
    2. the same Danish text under another msgctxt (a unit that moved, e.g. a paragraph was
       inserted before it): its translation moves with it, flags included;
    3. same msgctxt, Danish text changed: the old translation is kept as *fuzzy* with the
       previous msgid (``#|``) for the translator, except for safety-critical units, which
       are emptied so they must be translated afresh.

    Unused entries become obsolete.
    """
    merged = _new_catalog(old.domain or template.domain or "", str(old.locale))
    merged.mime_headers = old.mime_headers
    merged.version = __version__
    merged.revision_date = old.revision_date
    merged.last_translator = old.last_translator
    merged.language_team = old.language_team
    entries = [_fresh(entry) for entry in template if entry.id]
    used: set = set()
    by_text = {m.id: m for m in old if m.id and m.string and not isinstance(m.id, tuple)}
    for message in entries:
        previous = old.get(message.id, context=message.context)
        if previous is not None:
            _carry(previous, message, fuzzy=previous.fuzzy)
            used.add(_key(previous))
    for message in entries:
        moved = by_text.get(message.id) if not message.string else None
        if moved is not None and not moved.fuzzy:
            _carry(moved, message, fuzzy=False)
            used.add(_key(moved))
    by_context = {m.context: m for m in old if m.id and m.context and _key(m) not in used}
    for message in entries:
        stale = by_context.get(message.context)
        if message.string or stale is None or isinstance(message.id, tuple):
            continue
        used.add(_key(stale))
        if SAFETY_NOTE not in message.auto_comments:
            _carry(stale, message, fuzzy=True)
            message.previous_id = stale.id
    for message in entries:
        if isinstance(message.id, tuple) and not message.string:
            message.string = ("",) * merged.num_plurals
        merged[message.id] = message
    for message in old:
        if message.id and _key(message) not in used and message.string:
            merged.obsolete[_key(message)] = message
    return merged


def _fresh(entry: Message) -> Message:
    return Message(
        entry.id,
        "",
        locations=entry.locations,
        flags=set(entry.flags),
        auto_comments=entry.auto_comments,
        context=entry.context,
    )


def _carry(previous: Message, message: Message, fuzzy: bool) -> None:
    message.string = previous.string
    message.user_comments = previous.user_comments
    message.previous_id = previous.previous_id
    if fuzzy:
        message.flags.add("fuzzy")


def _key(message: Message) -> str | tuple[str, str]:
    """How Babel keys a message in a catalogue."""
    singular = message.id[0] if isinstance(message.id, tuple) else message.id
    return (singular, message.context) if message.context else singular


# -- compile --------------------------------------------------------------------------------


def compile_all(project: Project) -> list[Path]:
    """Write a .mo beside every .po (fuzzy entries left out)."""
    written = []
    for lang in project.languages():
        for path in sorted((project.locales_dir / lang / "LC_MESSAGES").glob("*.po")):
            catalog = read_catalog(path, lang, path.stem)
            target = path.with_suffix(".mo")
            with target.open("wb") as stream:
                write_mo(stream, catalog, use_fuzzy=False)
            written.append(target)
    return written


# -- stats ----------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts for one language, by units and by words; safety units counted apart."""

    units: Counter = field(default_factory=Counter)
    words: Counter = field(default_factory=Counter)
    safety: Counter = field(default_factory=Counter)
    obsolete: int = 0

    @property
    def safety_complete(self) -> bool:
        return self.safety["translated"] == sum(self.safety.values())

    @property
    def complete(self) -> bool:
        return self.units["translated"] == sum(self.units.values())

    def as_dict(self) -> dict:
        return {
            "units": dict(self.units),
            "words": dict(self.words),
            "safety": dict(self.safety),
            "obsolete": self.obsolete,
            "complete": self.complete,
            "safety_complete": self.safety_complete,
        }


def stats(project: Project) -> dict[str, Tally]:
    """Per language: translated, fuzzy, untranslated, obsolete (against the current sources)."""
    templates = extract(project)
    result = {}
    for lang in project.languages():
        tally = Tally()
        for domain, template in templates.items():
            catalog = read_catalog(catalog_path(project.locales_dir, lang, domain), lang, domain)
            tally.obsolete += len(catalog.obsolete) if catalog else 0
            for entry in template:
                if entry.id:
                    _count(tally, entry, catalog)
        result[lang] = tally
    return result


def _status(entry: Message, catalog: Catalog | None) -> str:
    found = catalog.get(entry.id, context=entry.context) if catalog else None
    if found is None:
        return "untranslated"
    if found.fuzzy:
        return "fuzzy"
    return "translated" if _usable(found)[0] is not None else "untranslated"


def _count(tally: Tally, entry: Message, catalog: Catalog | None) -> None:
    status = _status(entry, catalog)
    source = entry.id[0] if isinstance(entry.id, tuple) else entry.id
    for counter in (tally.units, tally.words, tally.safety):
        counter.setdefault(status, 0)
    tally.units[status] += 1
    tally.words[status] += len(source.split())
    if SAFETY_NOTE in entry.auto_comments:
        tally.safety[status] += 1


# -- check ----------------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\d*\}|\{\w+\}")
_LEFTOVER = re.compile(r"\b(TODO|FIXME|XXX)\b|\{\d+\}")


def check(project: Project) -> list[str]:
    """Every problem found in the shipped catalogues, one line each (empty when all is well)."""
    problems = []
    for lang in project.languages():
        for path in sorted((project.locales_dir / lang / "LC_MESSAGES").glob("*.po")):
            catalog = read_catalog(path, lang, path.stem)
            problems += [f"{path}: {p}" for p in _check_headers(catalog, lang)]
            for message in catalog:
                if message.id and not message.fuzzy and _usable(message)[0] is not None:
                    problems += [f"{path}:{message.lineno}: {p}" for p in check_message(message)]
    return problems


def _check_headers(catalog: Catalog, lang: str) -> list[str]:
    headers = dict(catalog.mime_headers)
    problems = []
    if headers.get("Language") != lang:
        problems.append(f"Language header is '{headers.get('Language')}', expected '{lang}'")
    plural = get_plural(lang)
    expected = f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"
    if headers.get("Plural-Forms", "").replace(" ", "") != expected.replace(" ", ""):
        problems.append(f"Plural-Forms is '{headers.get('Plural-Forms')}', expected '{expected}'")
    return problems


def check_message(message: Message) -> list[str]:
    """Problems of one translation against its Danish source."""
    sources = message.id if isinstance(message.id, tuple) else (message.id,)
    targets = message.string if isinstance(message.string, tuple) else (message.string,)
    name = message.context or sources[0][:30]
    problems = []
    for target in targets:
        source = sources[0] if len(sources) == 1 else sources[-1]
        if _numbers(source) != _numbers(target) and not _plural_number_ok(sources, target):
            problems.append(
                f"{name}: numbers differ ({sorted(_numbers(source))} → {sorted(_numbers(target))})"
            )
        if _markup(source) != _markup(target):
            problems.append(
                f"{name}: inline markup differs ({_markup(source)} → {_markup(target)})"
            )
        if _links(source) != _links(target):
            problems.append(f"{name}: link targets differ")
        if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(target)):
            problems.append(f"{name}: placeholders differ")
        if _LEFTOVER.search(target) and not _LEFTOVER.search(source):
            problems.append(f"{name}: leftover placeholder or TODO in the translation")
    return problems


def _plural_number_ok(sources: tuple[str, ...], target: str) -> bool:
    return len(sources) > 1 and any(_numbers(s) == _numbers(target) for s in sources)


def _numbers(text: str) -> Counter:
    digits = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)
    return Counter(n.replace(",", ".") for n in _NUMBER.findall(digits))


def _markup(text: str) -> Counter:
    kinds = Counter()
    for token in markdown.inline_tokens(text):
        if token.type.endswith("_open") or token.type in ("code_inline", "image"):
            kinds[token.type] += 1
    return kinds


def _links(text: str) -> list[str]:
    return sorted(
        str(t.attrs.get("href", "")) for t in markdown.inline_tokens(text) if t.type == "link_open"
    )
