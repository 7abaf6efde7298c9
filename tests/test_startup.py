"""WeasyPrint's C declarations are parsed once per machine and the PDFs stay the same."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LEAFLET_ID, REPO

# Builds the Danish seed in a fresh process, with the startup cache in a folder of the test's
# own; "inline" leaves cffi alone (WeasyPrint's own way), to compare against.
SCRIPT = """
import contextlib, json, sys
from pathlib import Path
from leaflet_gen import startup
from leaflet_gen.cli import main

mode, cache, out, project, leaflet = sys.argv[1:]
startup.cache_root = lambda: Path(cache)
if mode == "inline":
    startup._precompiled_declarations = contextlib.nullcontext
code = main(["build", "--project", project, leaflet, "--lang", "da",
             "--jobs", "1", "--force", "--out", out])
print(json.dumps({"code": code, "parsed_c": "pycparser" in sys.modules}))
"""


def _build(mode: str, cache: Path, out: Path) -> tuple[dict, bytes]:
    out.mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode, str(cache), str(out), str(REPO), LEAFLET_ID],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["code"] == 0, done.stderr
    return report, (out / f"{LEAFLET_ID}.da.pdf").read_bytes()


@pytest.fixture(scope="module")
def inline_pdf(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("inline")
    report, pdf = _build("inline", folder / "cache", folder / "out")
    assert report["parsed_c"]
    return pdf


def test_declarations_are_parsed_once_and_the_pdf_is_unchanged(inline_pdf, tmp_path) -> None:
    cache = tmp_path / "cache"
    first, first_pdf = _build("precompiled", cache, tmp_path / "first")
    second, second_pdf = _build("precompiled", cache, tmp_path / "second")
    assert len(list((cache / "cffi").glob("ffi_*.py"))) == 1
    assert first["parsed_c"]  # making the module parses the C once
    assert not second["parsed_c"]  # later processes load it without pycparser
    assert first_pdf == second_pdf == inline_pdf


def test_damaged_cache_falls_back_to_parsing_and_is_mended(inline_pdf, tmp_path) -> None:
    cache = tmp_path / "cache"
    _build("precompiled", cache, tmp_path / "first")
    (stored,) = (cache / "cffi").glob("ffi_*.py")
    stored.write_text("ffi = undefined_name\n", encoding="utf-8")
    report, pdf = _build("precompiled", cache, tmp_path / "second")
    assert report["parsed_c"]
    assert pdf == inline_pdf
    assert "undefined_name" not in stored.read_text(encoding="utf-8")  # stored afresh
