"""Translation through gettext: a full round trip with a test language, and fail-closed rules."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import (
    LEAFLET_ID,
    REPO,
    TEST_LANG,
    fill,
    find_entry,
    pdf_text,
    pseudo,
    read_po,
    run_cli,
    squash,
    write_po,
)

from leaflet_gen import catalogs
from leaflet_gen.project import Project

RED_FLAGS = "Søg læge straks hvis du oplever"
INTRO = "Smerter i ballen og ned i benet er et almindeligt symptom"


def _set(project: Path, domain: str, text: str, *, fuzzy: bool = False, string=None) -> None:
    """Change the test language's entry whose Danish contains ``text``, as an editor would."""
    store = read_po(project, TEST_LANG, domain)
    entry = find_entry(store, text)
    if fuzzy:
        entry.markfuzzy(True)
    if string is not None:
        entry.target = string
    write_po(project, TEST_LANG, domain, store)


def _build(project: Path, out: Path, *extra: str) -> int:
    return run_cli("build", "--project", project, "--lang", TEST_LANG, "--out", out, *extra)


def _build_error(project: Path, tmp_path: Path, capsys, *extra: str) -> str:
    code = _build(project, tmp_path, "--draft", *extra)
    err = capsys.readouterr().err
    assert code == 1
    assert not list(tmp_path.glob("*.pdf"))
    return err


def test_round_trip_renders_the_translation_as_a_marked_draft(
    translated: Path, tmp_path: Path, capsys
) -> None:
    assert _build(translated, tmp_path) == 1  # nobody approved it
    assert "not approved by a reviewer" in capsys.readouterr().err
    assert run_cli("i18n", "compile", "--project", translated) == 0
    assert _build(translated, tmp_path, "--draft") == 0
    text = pdf_text(tmp_path / f"{LEAFLET_ID}.{TEST_LANG}.pdf")
    assert "SV Smerter i ballen og ned i benet" in text
    assert "SV Søg læge med det samme ved disse tegn".upper() in text.upper()
    assert "SV Side 1 af" in text
    # every page says it is a draft, in the patient's language and in Danish
    pages = text.split("SV Side ")
    assert all("SV UDKAST – oversættelsen er ikke godkendt" in page for page in pages[:-1])
    assert text.count("· UDKAST – oversættelsen er ikke godkendt") == len(pages) - 1


def test_approved_language_builds_without_draft_and_names_the_reviewer(
    translated: Path, tmp_path: Path, capsys
) -> None:
    total = sum(_stats(translated, capsys)["units"].values())
    args = ("i18n", "approve", "--project", translated, "--lang", TEST_LANG)
    assert run_cli(*args, "--by", "Karen Holm", "--date", "2026-11-30") == 0
    assert f"{total} unit(s) approved by Karen Holm" in capsys.readouterr().out
    assert _build(translated, tmp_path) == 0
    text = pdf_text(tmp_path / f"{LEAFLET_ID}.{TEST_LANG}.pdf")
    assert "UDKAST" not in text
    assert "SV Oversættelsen er gennemgået og godkendt af Karen Holm den" in text
    # a translation edited after the review is no longer approved: draft again
    _set(translated, LEAFLET_ID, INTRO, string="SV En ny oversættelse.")
    assert _build(translated, tmp_path) == 1
    assert re.search(r"\b1 of \d+ translation\(s\) not approved", capsys.readouterr().err)
    assert not (tmp_path / f"{LEAFLET_ID}.{TEST_LANG}.pdf").exists()  # withdrawn
    stats = _stats(translated, capsys)
    assert stats["approved"] == total - 1 and not stats["approved_complete"]


def test_approve_refuses_what_is_not_current(translated: Path, capsys) -> None:
    _set(translated, LEAFLET_ID, INTRO, fuzzy=True)
    args = ("i18n", "approve", "--project", translated, "--lang", TEST_LANG, "--by", "K")
    assert run_cli(*args) == 1
    assert "1 unit(s) not approved" in capsys.readouterr().err
    entry = find_entry(read_po(translated, TEST_LANG, LEAFLET_ID), INTRO)
    assert "approved:" not in "".join(entry.othercomments)


def test_extract_writes_contexts_comments_and_safety_marks(project: Path) -> None:
    assert run_cli("i18n", "extract", "--project", project) == 0
    pot = (project / "locales" / f"{LEAFLET_ID}.pot").read_text(encoding="utf-8")
    assert 'msgctxt "red_flags.heading"' in pot and 'msgctxt "red_flags.p.' in pot
    assert "#. SAFETY-CRITICAL" in pot
    assert f"#: leaflets/{LEAFLET_ID}.md:" in pot
    exercises = (project / "locales" / "exercises.pot").read_text(encoding="utf-8")
    assert 'msgctxt "glute-bridge.caution"' in exercises


def test_every_ui_string_has_its_own_context_and_side_and_dosage_are_safety(
    project: Path,
) -> None:
    template = catalogs.extract(Project.at(project))["ui"]
    contexts = [e.getcontext() for e in template.unit_iter()]
    assert all(contexts) and len(contexts) == len(set(contexts))
    for entry in template.unit_iter():
        context = entry.getcontext()
        safety = catalogs.SAFETY_NOTE in entry.getnotes("developer")
        assert safety == context.startswith(("safety.", "side.", "dosage.")), context
    assert {"side.left", "side.right", "side.both", "dosage.label"} <= set(contexts)


def test_fuzzy_entry_is_not_rendered(translated: Path, tmp_path: Path, capsys) -> None:
    _set(translated, LEAFLET_ID, INTRO, fuzzy=True)
    err = _build_error(translated, tmp_path, capsys)
    assert "fuzzy" in err and INTRO[:30] in err
    assert _build(translated, tmp_path, "--draft", "--allow-partial") == 0
    text = pdf_text(tmp_path / f"{LEAFLET_ID}.{TEST_LANG}.pdf")
    assert f"SV {INTRO}" not in text
    assert INTRO in text  # Danish stands in
    assert "SV Dele af denne folder er endnu ikke oversat" in text


def test_missing_safety_unit_blocks_even_partial_and_draft(
    translated: Path, tmp_path: Path, capsys
) -> None:
    _set(translated, LEAFLET_ID, RED_FLAGS, string="")
    err = _build_error(translated, tmp_path, capsys, "--allow-partial")
    assert "safety-critical" in err and "red_flags.p." in err and "Søg læge straks" in err


def test_missing_exercise_caution_blocks(translated: Path, tmp_path: Path, capsys) -> None:
    store = read_po(translated, TEST_LANG, "exercises")
    entry = next(e for e in store.unit_iter() if e.getcontext() == "glute-bridge.caution")
    entry.target = ""
    write_po(translated, TEST_LANG, "exercises", store)
    err = _build_error(translated, tmp_path, capsys, "--allow-partial")
    assert "glute-bridge.caution" in err


def test_ui_gap_names_the_string(translated: Path, tmp_path: Path, capsys) -> None:
    store = read_po(translated, TEST_LANG, "ui")
    entry = next(e for e in store.unit_iter() if e.getcontext() == "safety.stop")
    entry.target = ""
    write_po(translated, TEST_LANG, "ui", store)
    err = _build_error(translated, tmp_path, capsys)
    assert "ui:safety.stop «Stop:» empty" in err
    assert err.count("safety.stop") == 1  # named once, however often the label is used


def test_edited_source_makes_translation_stale(translated: Path, tmp_path: Path, capsys) -> None:
    source = translated / "leaflets" / f"{LEAFLET_ID}.md"
    old = source.read_text(encoding="utf-8")
    source.write_text(old.replace("over 4–6 uger", "over 6–8 uger"), encoding="utf-8")
    err = _build_error(translated, tmp_path, capsys)
    assert "missing" in err or "stale" in err
    # update offers the old translation as fuzzy, with the whole previous msgid (#|)
    assert run_cli("i18n", "update", "--project", translated) == 0
    entry = find_entry(read_po(translated, TEST_LANG, LEAFLET_ID), "over 6–8 uger")
    assert entry.isfuzzy()
    previous = next(p for p in old.split("\n\n") if "over 4–6 uger" in p)
    assert entry.prev_source == " ".join(previous.split())
    assert entry.target == pseudo(entry.prev_source)
    _build_error(translated, tmp_path, capsys)


def test_changed_safety_unit_is_never_suggested(translated: Path) -> None:
    store = _edit_source_and_update(
        translated, lambda text: text.replace("Søg læge straks", "Søg ikke læge straks")
    )
    entry = find_entry(store, "Søg ikke læge straks")
    assert entry.target == "" and not entry.isfuzzy()


def test_no_fuzzy_match_across_unrelated_units(translated: Path) -> None:
    """Babel's Catalog.update would reuse a similar msgid of another unit; we never do."""
    store = _edit_source_and_update(
        translated,
        lambda text: text.replace(
            "## Hvor lang tid tager det at komme sig?",
            "## Hvor lang tid tager det at komme sig?\n\n"
            "Hvor lang tid tager det at komme sig igen?",
        ),
    )
    entry = find_entry(store, "Hvor lang tid tager det at komme sig igen?")
    assert entry.target == "" and not entry.isfuzzy()


def _edit_source_and_update(project: Path, edit):
    """Change the Danish source with ``edit``, run update, return the test language's catalogue."""
    source = project / "leaflets" / f"{LEAFLET_ID}.md"
    source.write_text(edit(source.read_text(encoding="utf-8")), encoding="utf-8")
    catalogs.update(Project.at(project))
    return read_po(project, TEST_LANG, LEAFLET_ID)


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda t: t.replace("4–6", "4–7"), "numbers differ"),
        (lambda t: t.replace("4–6", "٤–٨"), "numbers differ"),
        (lambda t: t.replace("4–6", "٤–٦"), None),  # Arabic-Indic digits of the same numbers
        (lambda t: t.replace("**", ""), "inline markup differs"),
        (
            lambda t: t.replace("(https://example.org/a)", "(https://evil.example/)"),
            "link targets differ",
        ),
        (lambda t: t + " {1}", "leftover placeholder"),
    ],
)
def test_check_catches_broken_translations_and_the_build_refuses_them(
    translated: Path, tmp_path: Path, change, problem: str | None, capsys
) -> None:
    source = translated / "leaflets" / f"{LEAFLET_ID}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("over 4–6 uger", "over **4–6 uger** ([se](https://example.org/a))"),
        encoding="utf-8",
    )
    catalogs.update(Project.at(translated))
    fill(translated, TEST_LANG)
    assert run_cli("i18n", "check", "--project", translated) == 0
    fill(
        translated,
        TEST_LANG,
        change=lambda t: change(pseudo(t)),
        skip=lambda entry: "4–6" not in entry.source,
    )
    if problem is None:
        assert run_cli("i18n", "check", "--project", translated) == 0
        return
    assert run_cli("i18n", "check", "--project", translated) == 1
    assert problem in capsys.readouterr().err
    err = _build_error(translated, tmp_path, capsys)
    assert "check failed: " in err and problem in err
    assert _build(translated, tmp_path, "--draft", "--allow-partial") == 0
    text = squash(pdf_text(tmp_path / f"{LEAFLET_ID}.{TEST_LANG}.pdf"))
    assert squash("forbedres ofte over 4–6 uger (se)") in text  # the Danish stands in


def test_spelled_out_numbers_fail_the_check(project: Path, tmp_path: Path, capsys) -> None:
    store = read_po(project, "de", LEAFLET_ID)
    entry = find_entry(store, "forbedres ofte over 4–6 uger")
    entry.target = entry.target.replace("4–6", "vier bis sechs")
    write_po(project, "de", LEAFLET_ID, store)
    assert run_cli("i18n", "check", "--project", project) == 1
    assert "numbers differ" in capsys.readouterr().err
    args = ("--lang", "de", "--draft", "--out", tmp_path)
    assert run_cli("build", "--project", project, *args) == 1
    assert "check failed: numbers differ" in capsys.readouterr().err


def _stats(project: Path, capsys) -> dict:
    capsys.readouterr()
    run_cli("i18n", "stats", "--json", "--project", project)
    return json.loads(capsys.readouterr().out)[TEST_LANG]


def test_stats_json_and_exit_code(translated: Path, capsys) -> None:
    assert run_cli("i18n", "stats", "--json", "--project", translated) == 0
    _set(translated, LEAFLET_ID, "Hvornår skal jeg søge læge eller akut hjælp?", fuzzy=True)
    assert run_cli("i18n", "stats", "--json", "--project", translated) == 1
    data = _stats(translated, capsys)
    assert data["units"]["fuzzy"] == 1 and data["safety"]["fuzzy"] == 1
    assert data["words"]["translated"] > 1000 and data["approved"] == 0


def test_stats_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    command = f"'{REPO}/.venv/bin/leaflet-gen' i18n stats --project '{REPO}' | head -c 10"
    if not (REPO / ".venv" / "bin" / "leaflet-gen").exists():
        pytest.skip("needs the installed command (make install)")
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    assert result.stdout == "lang   tra" and "Traceback" not in result.stderr


def test_shipped_catalogues_pass_check(capsys) -> None:
    assert run_cli("i18n", "check", "--project", REPO) == 0, capsys.readouterr().err


def test_shipped_catalogues_are_unapproved_drafts(capsys) -> None:
    """Nobody clinical reviewed the sample translations: nothing may claim otherwise."""
    run_cli("i18n", "stats", "--json", "--project", REPO)
    stats = json.loads(capsys.readouterr().out)
    assert stats and all(s["approved"] == 0 for s in stats.values())
    assert "approved:" not in "".join(
        p.read_text(encoding="utf-8") for p in (REPO / "locales").rglob("*.po")
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt not installed")
def test_shipped_catalogues_pass_msgfmt() -> None:
    for po in sorted((REPO / "locales").glob("*/LC_MESSAGES/*.po")):
        result = subprocess.run(
            ["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True
        )
        assert result.returncode == 0, f"{po}: {result.stderr}"


def test_check_reports_units_missing_against_the_template(translated: Path, capsys) -> None:
    """What GNU msgcmp reports: a unit of the template that the catalogue lacks."""
    store = read_po(translated, TEST_LANG, LEAFLET_ID)
    entry = find_entry(store, INTRO)
    store.units.remove(entry)
    write_po(translated, TEST_LANG, LEAFLET_ID, store)
    assert run_cli("i18n", "check", "--project", translated) == 1
    err = capsys.readouterr().err
    assert "missing from the catalogue" in err and INTRO[:30] in err
