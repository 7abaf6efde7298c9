"""Apply the lib-lower translations (.i18n-lib-lower.json) to the catalogues.

Usage: .venv/bin/python .i18n-lib-lower-apply.py   (then: .venv/bin/leaflet-gen i18n update)
Fills only units whose msgctxt is in the JSON and whose Danish text is current; never approves.
"""

import json
import subprocess
from pathlib import Path

import polib

ROOT = Path(__file__).parent
for rel, units in json.loads((ROOT / ".i18n-lib-lower.json").read_text("utf-8")).items():
    po = polib.pofile(str(ROOT / rel), wrapwidth=79)
    changed = 0
    for entry in po:
        if entry.obsolete or entry.msgctxt not in units:
            continue
        if entry.msgstr != units[entry.msgctxt] or "fuzzy" in entry.flags:
            entry.msgstr = units[entry.msgctxt]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgctxt = None
            changed += 1
    po.save()
    subprocess.run(["msgcat", "-o", str(ROOT / rel), str(ROOT / rel)], check=True)
    print(f"{rel}: {changed} units")
