"""Fill a catalogue from a JSON file of translations (for bulk translation work).

Usage: python tools/apply_translations.py LANG DOMAIN translations.json [--project DIR]

The JSON maps a msgctxt (leaflet and exercise units) or a msgid (template strings; for a
plural entry use the singular msgid and give a list with one string per plural form) to its
translation. The catalogue is read and written by Babel; entries filled here lose their fuzzy
flag, so only apply translations that a translator has checked.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from leaflet_gen.catalogs import write_catalog
from leaflet_gen.project import catalog_path
from leaflet_gen.translate import read_catalog


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lang")
    parser.add_argument("domain")
    parser.add_argument("translations", type=Path)
    parser.add_argument("--project", type=Path, default=Path("."))
    args = parser.parse_args()
    path = catalog_path(args.project / "locales", args.lang, args.domain)
    catalog = read_catalog(path, args.lang, args.domain)
    if catalog is None:
        sys.exit(f"{path}: no catalogue (run leaflet-gen i18n update --lang {args.lang})")
    given = json.loads(args.translations.read_text(encoding="utf-8"))
    used = set()
    for message in catalog:
        if not message.id:
            continue
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        key = message.context if message.context in given else singular
        if key not in given:
            continue
        value = given[key]
        message.string = tuple(value) if isinstance(message.id, tuple) else value
        message.flags.discard("fuzzy")
        message.previous_id = ()
        used.add(key)
    write_catalog(catalog, path)
    unused = sorted(set(given) - used)
    missing = [m.context or m.id for m in catalog if m.id and not m.string]
    print(f"{path}: filled {len(used)}, unused keys {unused}, still empty {len(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
