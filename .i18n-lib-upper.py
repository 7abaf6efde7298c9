"""Re-apply lib-upper's draft translations (.i18n-lib-upper.json) to the .po files.

Run after `leaflet-gen i18n update` (e.g. after a merge): `.venv/bin/python .i18n-lib-upper.py`.
Fills msgstr by msgctxt, drops the fuzzy flag (the entries stay unapproved drafts) and restores
GNU wrapping with msgcat.
"""

import json
import subprocess
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent
for name, texts in json.loads((ROOT / ".i18n-lib-upper.json").read_text("utf-8")).items():
    po = polib.pofile(str(ROOT / name), wrapwidth=79)
    missing = set(texts)
    for entry in po:
        if entry.msgctxt in texts and not entry.obsolete:
            entry.msgstr = texts[entry.msgctxt]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgctxt = None
            missing.discard(entry.msgctxt)
    po.save()
    subprocess.run(["msgcat", "-o", str(ROOT / name), str(ROOT / name)], check=True)
    print(f"{name}: {len(texts) - len(missing)} applied" + (f", {len(missing)} not in the catalogue"
                                                           if missing else ""))
