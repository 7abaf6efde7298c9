"""Catalogue builds: incremental, byte-identical, one failure does not stop the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import LEAFLET_ID, run_cli


def _build(project: Path, out: Path, *extra: str) -> int:
    return run_cli(
        "build",
        "--project",
        project,
        "--out",
        out,
        "--lang",
        "da",
        "--lang",
        "en",
        "--draft",
        *extra,
    )


def test_second_build_builds_nothing(project: Path, tmp_path: Path, capsys) -> None:
    assert _build(project, tmp_path) == 0
    assert "2 built" in capsys.readouterr().out
    assert _build(project, tmp_path) == 0
    assert "0 built, 2 unchanged" in capsys.readouterr().out


def test_changed_catalogue_rebuilds_only_its_language(
    project: Path, tmp_path: Path, capsys
) -> None:
    assert _build(project, tmp_path) == 0
    po = project / "locales" / "en" / "LC_MESSAGES" / f"{LEAFLET_ID}.po"
    po.write_text(po.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    capsys.readouterr()
    assert _build(project, tmp_path) == 0
    out = capsys.readouterr().out
    assert "1 built, 1 unchanged" in out and f"{LEAFLET_ID}.en.pdf" in out


def test_two_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert _build(project, first, "--jobs", "2") == 0
    assert _build(project, second, "--jobs", "1") == 0
    for pdf in first.glob("*.pdf"):
        assert pdf.read_bytes() == (second / pdf.name).read_bytes(), pdf.name


def test_failing_document_reported_and_rest_built(project: Path, tmp_path: Path, capsys) -> None:
    broken = project / "leaflets" / "broken.md"
    shutil.copy(project / "leaflets" / f"{LEAFLET_ID}.md", broken)
    broken.write_text(
        broken.read_text(encoding="utf-8")
        .replace(f"id: {LEAFLET_ID}", "id: broken")
        .replace("  - glute-bridge\n", "  - no-such\n"),
        encoding="utf-8",
    )
    code = run_cli("build", "--project", project, "--out", tmp_path, "--lang", "da")
    captured = capsys.readouterr()
    assert code == 1
    assert "unknown exercise 'no-such'" in captured.err
    assert (tmp_path / f"{LEAFLET_ID}.da.pdf").is_file()
    assert not (tmp_path / "broken.da.pdf").exists()
