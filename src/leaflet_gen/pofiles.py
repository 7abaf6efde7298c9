"""Gettext catalogue files, read and written exactly as GNU gettext writes them.

translate-toolkit's PO store keeps what Babel's reader drops (previous msgids ``#|``, obsolete
entries ``#~`` with their comments) and wraps lines the way msgmerge and msgcat do, so a
catalogue that went through msgmerge, Poedit or Weblate comes back without churn.
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from pathlib import Path

from translate.storage import pypo

from . import __version__
from .errors import CatalogueError
from .limits import MAX_CATALOGUE_BYTES, read_bounded

PROJECT_NAME = "leaflet-gen"
Store = pypo.pofile
Entry = pypo.pounit


_CHARSET = re.compile(rb'"Content-Type:[^"]*charset=([^"\\\s;]*)', re.IGNORECASE)


def read(path: Path) -> Store | None:
    """A .po/.pot file, or None when it does not exist.

    Catalogues are UTF-8 (as leaflet-gen writes them) of at most MAX_CATALOGUE_BYTES. Another
    declared charset is refused by name: msgfmt, msgmerge and Poedit would read the bytes in
    that charset, so the msgids would no longer match the Danish.
    """
    if not path.exists():
        return None
    data = read_bounded(path, MAX_CATALOGUE_BYTES, "catalogue", CatalogueError)
    declared = _CHARSET.search(data[:4096])
    charset = declared[1].decode("ascii", "replace") if declared else "UTF-8"
    if charset.lower().replace("-", "") not in ("utf8", "charset"):
        raise CatalogueError(
            f"catalogue declares charset {charset}: catalogues must be UTF-8 "
            "(convert with: msgconv -t UTF-8)",
            path,
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogueError(f"line {line}: the catalogue is not valid UTF-8", path) from None
    try:
        store = pypo.pofile(data)
    except Exception as exc:  # the parser raises several types for broken files
        raise CatalogueError(f"cannot read catalogue ({exc})", path) from None
    store.filename = str(path)
    return store


def write(store: Store, path: Path) -> bool:
    """Write a catalogue (atomically); False when the file already holds exactly this."""
    from .pdf import write_atomically

    data = bytes(store)
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CatalogueError(f"cannot write catalogue ({exc.strerror})", path) from None
    write_atomically(data, path)  # a full disk never leaves a translator's file cut short
    return True


def new_store(domain: str, lang: str | None, plural_forms: str | None = None) -> Store:
    """An empty catalogue with the header xgettext and msginit write, in their order."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    fields = {
        "Project-Id-Version": f"{PROJECT_NAME} {__version__}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now,
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>" if lang is None else f"{lang} <LL@li.org>",
        "Language": lang or "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if plural_forms:
        fields["Plural-Forms"] = plural_forms
    store = pypo.pofile()
    header = store.create_unit()
    header.target = "".join(f"{name}: {value}\n" for name, value in fields.items())
    header.othercomments = [
        f"# {domain} catalogue of {PROJECT_NAME}: Danish patient information.\n",
        "# This file is distributed under the same license as the leaflet-gen project.\n",
        "#\n",
    ]
    header.markfuzzy(lang is None)
    store.units = [header]
    header._store = store
    return store


def entries(store: Store) -> list[Entry]:
    """The translatable entries (no header, no obsolete ones), in file order."""
    return list(store.unit_iter())


def key(entry: Entry) -> tuple[str, str]:
    """(msgctxt, msgid) — how gettext identifies an entry."""
    source = entry.source.strings[0] if entry.hasplural() else entry.source
    return entry.getcontext() or "", source


def index(store: Store | None) -> dict[tuple[str, str], Entry]:
    """The live entries by (msgctxt, msgid)."""
    return {key(e): e for e in entries(store)} if store is not None else {}


def header_field(store: Store, name: str) -> str:
    return str(store.parseheader().get(name, ""))


def pofile_copy(store: Store, units: bool = True) -> Store:
    """A copy of a catalogue (its header only, with ``units=False``)."""
    copy = pypo.pofile()
    copy.units = [u.copy() for u in store.units if units or u.isheader()]
    for unit in copy.units:
        unit._store = copy
    return copy


def set_header_field(store: Store, name: str, value: str) -> None:
    """Change one short header field in place, leaving every other line as it was wrapped."""
    if header_field(store, name) == value:
        return
    header = store.header()
    lines = header.msgstr
    for number, line in enumerate(lines):
        if line.startswith(f'"{name}: '):
            lines[number] = f'"{name}: {value}\\n"'
            header._invalidate_target_cache()
            return
    store.updateheader(add=True, **{name.replace("-", "_"): value})


def parse(data: bytes) -> Store:
    """A catalogue from bytes (see :func:`read`)."""
    return pypo.pofile(data)


def catalog_text(store: Store) -> str:
    """The catalogue as it would be written."""
    return bytes(store).decode("utf-8")


def copy_translation(source: Entry, target: Entry) -> None:
    """Give ``target`` the translation of ``source`` with its lines exactly as they are.

    Setting ``target.target`` would wrap the text again; copying the quoted lines keeps
    whatever wrapping msgmerge or an editor chose, so nothing moves that did not change.
    """
    target.msgstr = copy.deepcopy(source.msgstr)
    target._invalidate_target_cache()  # translate-toolkit caches the unquoted text
    target._msgstrlen_cache = None
