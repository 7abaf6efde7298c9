"""The translation life cycle: Danish edits, standard tools, withdrawal of outdated output.

Each test reproduces one way outdated or misplaced medical text could reach a patient.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import (
    LEAFLET_ID,
    TEST_LANG,
    fill,
    find_entry,
    pdf_text,
    pseudo,
    read_po,
    run_cli,
    write_po,
)

from leaflet_gen import catalogs, lifecycle, pofiles
from leaflet_gen.project import Project

MSGMERGE = shutil.which("msgmerge")
needs_msgmerge = pytest.mark.skipif(MSGMERGE is None, reason="GNU gettext's msgmerge not installed")

HOME = "## Hvad kan jeg gøre derhjemme for hurtig lindring?"
DRUGS = "Let bevægelse og undgå langvarig immobilitet hjælper ofte."
RED_FLAGS = "Søg læge straks hvis du oplever"


def _source(project: Path) -> Path:
    return project / "leaflets" / f"{LEAFLET_ID}.md"


def _edit(project: Path, old: str, new: str) -> None:
    source = _source(project)
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    source.write_text(text.replace(old, new, 1), encoding="utf-8")


def _only_test_language(project: Path) -> None:
    for folder in (project / "locales").iterdir():
        if folder.is_dir() and folder.name != TEST_LANG:
            shutil.rmtree(folder)


# -- 1. withdrawn, not stale ------------------------------------------------------------------


def test_a_safety_edit_withdraws_the_old_pdf_and_fails_the_build(
    translated: Path, tmp_path: Path, capsys
) -> None:
    _only_test_language(translated)
    out = tmp_path / "dist"
    assert run_cli("build", "--project", translated, "--out", out, "--draft") == 0
    pdf = out / f"{LEAFLET_ID}.{TEST_LANG}.pdf"
    assert pdf.is_file()
    _edit(translated, "Søg læge straks", "Søg læge med det samme")
    capsys.readouterr()
    assert run_cli("build", "--project", translated, "--out", out, "--draft") == 1
    captured = capsys.readouterr()
    assert f"{LEAFLET_ID} [{TEST_LANG}]: withheld" in captured.err
    assert "red_flags.p." in captured.err and "Søg læge med det samme" in captured.err
    assert "1 withheld" in captured.out
    assert not pdf.exists()
    manifest = json.loads((out / ".leaflet-gen-manifest.json").read_text(encoding="utf-8"))
    assert set(manifest) == {f"{LEAFLET_ID}.da.pdf"}


def test_a_plain_edit_withdraws_the_old_pdf_with_a_notice(
    translated: Path, tmp_path: Path, capsys
) -> None:
    _only_test_language(translated)
    assert run_cli("build", "--project", translated, "--out", tmp_path, "--draft") == 0
    _edit(translated, "Tidsrammen varierer meget", "Tidsrammen varierer en del")
    capsys.readouterr()
    assert run_cli("build", "--project", translated, "--out", tmp_path, "--draft") == 0
    assert "skipped" in capsys.readouterr().err
    assert not (tmp_path / f"{LEAFLET_ID}.{TEST_LANG}.pdf").exists()
    assert (tmp_path / f"{LEAFLET_ID}.da.pdf").is_file()


def test_a_language_no_longer_built_is_withdrawn(translated: Path, tmp_path: Path) -> None:
    _only_test_language(translated)
    assert run_cli("build", "--project", translated, "--out", tmp_path, "--draft") == 0
    shutil.rmtree(translated / "locales" / TEST_LANG)
    assert run_cli("build", "--project", translated, "--out", tmp_path) == 0
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == [f"{LEAFLET_ID}.da.pdf"]


# -- 3. previous msgid --------------------------------------------------------------------------


def test_previous_msgid_is_whole_and_survives_gnu_tools(translated: Path) -> None:
    _edit(translated, "Tidsrammen varierer meget", "Tidsrammen varierer en del")
    catalogs.update(Project.at(translated))
    store = read_po(translated, TEST_LANG, LEAFLET_ID)
    entry = find_entry(store, "Tidsrammen varierer en del")
    assert entry.isfuzzy() and entry.prev_source.startswith("Tidsrammen varierer meget alt efter")
    assert len(entry.prev_source) > 400 and entry.target == pseudo(entry.prev_source)
    text = pofiles.catalog_text(store)
    assert '#| msgid ""\n#| "Tidsrammen varierer meget' in text
    if shutil.which("msgfmt"):
        path = translated / "locales" / TEST_LANG / "LC_MESSAGES" / f"{LEAFLET_ID}.po"
        result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", path], capture_output=True)
        assert result.returncode == 0, result.stderr


# -- 4. no wrong leg --------------------------------------------------------------------------

OLD_UI = """msgid ""
msgstr ""
"Language: de\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#. SAFETY-CRITICAL: must be translated exactly; a gap blocks this language.
msgctxt "side.left"
msgid "venstre ben"
msgstr "linkes Bein"

#. SAFETY-CRITICAL: must be translated exactly; a gap blocks this language.
msgctxt "side.right"
msgid "højre ben"
msgstr "rechtes Bein"

msgctxt "handout.patient"
msgid "Til:"
msgstr "Für:"
"""
NEW_UI = """msgid ""
msgstr ""

#. SAFETY-CRITICAL: must be translated exactly; a gap blocks this language.
msgctxt "side.left"
msgid "venstre side"
msgstr ""

#. SAFETY-CRITICAL: must be translated exactly; a gap blocks this language.
msgctxt "side.right"
msgid "højre side"
msgstr ""

msgctxt "handout.patient"
msgid "Til patient:"
msgstr ""
"""


def test_renamed_side_labels_never_inherit_another_sides_translation() -> None:
    merged = catalogs.merge(pofiles.parse(OLD_UI.encode()), pofiles.parse(NEW_UI.encode()))
    found = {e.getcontext(): e for e in pofiles.entries(merged)}
    assert found["side.left"].target == "" and not found["side.left"].isfuzzy()
    assert found["side.right"].target == "" and not found["side.right"].isfuzzy()
    # a non-safety label is offered its own old translation, as a fuzzy suggestion only
    assert found["handout.patient"].target == "Für:" and found["handout.patient"].isfuzzy()


# -- 5. identity survives editing ---------------------------------------------------------------

EDITS = {
    "insert a sentence": (HOME, f"{HOME}\n\nEn ny første sætning om hjemmeråd.", {}),
    "insert and edit below": (
        f"{HOME}\n\n{DRUGS}",
        f"{HOME}\n\nEn ny første sætning om hjemmeråd.\n\n{DRUGS.replace('ofte', 'tit')}",
        {DRUGS.replace("ofte", "tit"): DRUGS},  # new text starts so: old text started so
    ),
    "delete a paragraph": (
        "Tidsrammen varierer meget alt efter årsagen.",
        "XDELETE",
        {},
    ),
    "split a paragraph": (
        "hjælper ofte. Varme kan",
        "hjælper ofte.\n\nVarme kan",
        {"Varme kan løsne spændte muskler": DRUGS},
    ),
    "edit a heading": (
        "## Hvor lang tid tager det at komme sig?",
        "## Hvor længe tager det at komme sig?",
        {"Hvor længe tager det at komme sig?": "Hvor lang tid tager det at komme sig?"},
    ),
    "edit the red-flag heading": (
        "## Hvornår skal jeg søge læge eller akut hjælp?",
        "## Hvornår skal jeg søge læge eller ringe 112?",
        {},
    ),
}


def _apply(project: Path, old: str, new: str) -> None:
    if new == "XDELETE":  # the whole paragraph that starts with ``old``
        text = _source(project).read_text(encoding="utf-8")
        paragraph = next(p for p in text.split("\n\n") if p.startswith(old))
        _edit(project, f"{paragraph}\n\n", "")
    else:
        _edit(project, old, new)


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_edit_matrix_never_attaches_a_translation_to_another_unit(
    translated: Path, edit: str
) -> None:
    old, new, suggested = EDITS[edit]
    if edit == "edit the red-flag heading":
        _edit(translated, "red_flags: " + '"Hvornår skal jeg søge læge eller akut hjælp?"', "XX")
        _edit(translated, "XX", 'red_flags: "Hvornår skal jeg søge læge eller ringe 112?"')
    _apply(translated, old, new)
    before = {pofiles.key(e) for e in pofiles.entries(read_po(translated, TEST_LANG, LEAFLET_ID))}
    catalogs.update(Project.at(translated))
    store = read_po(translated, TEST_LANG, LEAFLET_ID)
    fuzzy = {}
    for entry in pofiles.entries(store):
        text = pofiles.key(entry)[1]
        if entry.isfuzzy():
            fuzzy[text] = entry.prev_source
            assert entry.target == pseudo(entry.prev_source), text
        elif entry.target:
            assert entry.target == pseudo(text), f"{text[:40]} carries another unit's text"
        else:
            assert pofiles.key(entry) not in before  # only new units are empty
    # each suggestion comes from the edited unit's own old text, and only where expected
    assert len(fuzzy) == len(suggested)
    for new_start, old_start in suggested.items():
        text = next(t for t in fuzzy if t.startswith(new_start))
        assert fuzzy[text].startswith(old_start), (text[:40], fuzzy[text][:40])
    if edit == "delete a paragraph":
        assert "#~ msgid" in pofiles.catalog_text(store)


# -- 6. standard tools cannot resurrect a stale safety text --------------------------------------


def _clear_fuzzy(project: Path, text: str) -> None:
    """What one 'approve' click in Poedit or Weblate does: the fuzzy flag goes, nothing else."""
    store = read_po(project, TEST_LANG, LEAFLET_ID)
    entry = find_entry(store, text)
    assert entry.isfuzzy()
    entry.markfuzzy(False)
    write_po(project, TEST_LANG, LEAFLET_ID, store)


@needs_msgmerge
def test_msgmerge_then_a_cleared_fuzzy_flag_is_stale(
    translated: Path, tmp_path: Path, capsys
) -> None:
    _edit(translated, "Søg læge straks", "Søg læge med det samme")
    assert run_cli("i18n", "extract", "--project", translated) == 0
    po = translated / "locales" / TEST_LANG / "LC_MESSAGES" / f"{LEAFLET_ID}.po"
    pot = translated / "locales" / f"{LEAFLET_ID}.pot"
    subprocess.run([MSGMERGE, "-q", "--backup=none", "--update", po, pot], check=True)
    entry = find_entry(read_po(translated, TEST_LANG, LEAFLET_ID), "Søg læge med det samme")
    assert entry.target.startswith("SV Søg læge straks")  # msgmerge's own fuzzy suggestion
    _clear_fuzzy(translated, "Søg læge med det samme")
    args = ("build", "--project", translated, "--lang", TEST_LANG, "--out", tmp_path, "--draft")
    assert run_cli(*args, "--allow-partial") == 1
    assert "stale (Danish text changed)" in capsys.readouterr().err
    assert run_cli("i18n", "update", "--project", translated) == 0  # shows it as fuzzy again
    assert find_entry(read_po(translated, TEST_LANG, LEAFLET_ID), "Søg læge med det").isfuzzy()
    # the translator revises it: current again
    store = read_po(translated, TEST_LANG, LEAFLET_ID)
    entry = find_entry(store, "Søg læge med det samme")
    entry.target = pseudo(pofiles.key(entry)[1])
    entry.markfuzzy(False)
    write_po(translated, TEST_LANG, LEAFLET_ID, store)
    assert run_cli(*args) == 0
    assert "SV Søg læge med det samme" in pdf_text(tmp_path / f"{LEAFLET_ID}.{TEST_LANG}.pdf")


def test_pybabel_update_then_a_cleared_fuzzy_flag_is_stale(translated: Path) -> None:
    from babel.messages.pofile import read_po as babel_read
    from babel.messages.pofile import write_po as babel_write

    _edit(translated, "Søg læge straks", "Søg læge med det samme")
    assert run_cli("i18n", "extract", "--project", translated) == 0
    po = translated / "locales" / TEST_LANG / "LC_MESSAGES" / f"{LEAFLET_ID}.po"
    pot = translated / "locales" / f"{LEAFLET_ID}.pot"
    with po.open("rb") as stream:
        catalog = babel_read(stream, locale=TEST_LANG)
    with pot.open("rb") as stream:
        catalog.update(babel_read(stream))  # what `pybabel update` does
    buffer = io.BytesIO()
    babel_write(buffer, catalog)
    po.write_bytes(buffer.getvalue())
    _clear_fuzzy(translated, "Søg læge med det samme")
    entry = find_entry(read_po(translated, TEST_LANG, LEAFLET_ID), "Søg læge med det samme")
    assert entry.target.startswith("SV Søg læge straks")
    assert lifecycle.state(entry) == lifecycle.STALE


def test_a_translation_edited_before_the_danish_changed_stays_stale(translated: Path) -> None:
    """extract seals first, so an earlier edit cannot pass for a revision of the new text."""
    store = read_po(translated, TEST_LANG, LEAFLET_ID)
    find_entry(store, RED_FLAGS).target = "SV En rettet oversættelse."
    write_po(translated, TEST_LANG, LEAFLET_ID, store)
    _edit(translated, "Søg læge straks", "Søg læge med det samme")
    assert run_cli("i18n", "extract", "--project", translated) == 0
    po = translated / "locales" / TEST_LANG / "LC_MESSAGES" / f"{LEAFLET_ID}.po"
    store = read_po(translated, TEST_LANG, LEAFLET_ID)
    old = find_entry(store, RED_FLAGS)  # what msgmerge would do: new msgid, same comments
    old.source = old.source.replace("Søg læge straks", "Søg læge med det samme")
    po.write_bytes(bytes(store))
    entry = find_entry(read_po(translated, TEST_LANG, LEAFLET_ID), "Søg læge med det samme")
    assert lifecycle.state(entry) == lifecycle.STALE


# -- 8. obsolete entries, and an update that changes nothing -----------------------------------


def test_obsolete_entries_are_kept_and_restored(translated: Path) -> None:
    source = _source(translated)
    original = source.read_text(encoding="utf-8")
    _apply(translated, "Tidsrammen varierer meget alt efter årsagen.", "XDELETE")
    catalogs.update(Project.at(translated))
    text = pofiles.catalog_text(read_po(translated, TEST_LANG, LEAFLET_ID))
    assert '#~ "Tidsrammen varierer meget' in text or '#~ msgid "Tidsrammen' in text
    source.write_text(original, encoding="utf-8")
    catalogs.update(Project.at(translated))
    store = read_po(translated, TEST_LANG, LEAFLET_ID)
    entry = find_entry(store, "Tidsrammen varierer meget")
    assert not entry.isfuzzy() and entry.target == pseudo(pofiles.key(entry)[1])
    assert "#~" not in pofiles.catalog_text(store)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_update_on_a_clean_checkout_changes_nothing(project: Path) -> None:
    before = _snapshot(project / "locales")
    assert run_cli("i18n", "update", "--project", project) == 0
    assert run_cli("i18n", "extract", "--project", project) == 0
    assert _snapshot(project / "locales") == before


# -- 9. GNU msgmerge and leaflet-gen follow each other without a diff ---------------------------


def _msgmerge_all(project: Path, *flags: str) -> None:
    for po in sorted((project / "locales").glob("*/LC_MESSAGES/*.po")):
        pot = project / "locales" / f"{po.stem}.pot"
        subprocess.run([MSGMERGE, "-q", *flags, "--backup=none", "--update", po, pot], check=True)


@needs_msgmerge
@pytest.mark.parametrize("flags", [(), ("--previous",)], ids=["msgmerge", "msgmerge-previous"])
def test_msgmerge_and_update_leave_no_diff(project: Path, flags: tuple[str, ...]) -> None:
    before = _snapshot(project / "locales")
    _msgmerge_all(project, *flags)
    assert _snapshot(project / "locales") == before
    assert run_cli("i18n", "update", "--project", project) == 0
    assert _snapshot(project / "locales") == before


@needs_msgmerge
def test_a_fuzzy_suggestion_survives_msgmerge_previous(translated: Path) -> None:
    _edit(translated, "Tidsrammen varierer meget", "Tidsrammen varierer en del")
    catalogs.update(Project.at(translated))
    before = _snapshot(translated / "locales")
    _msgmerge_all(translated, "--previous")
    assert _snapshot(translated / "locales") == before


# -- 7. XLIFF through the command line ----------------------------------------------------------


def test_xliff_round_trip_through_the_command_line(translated: Path, tmp_path: Path) -> None:
    xliff = tmp_path / "sv.xliff"
    args = ("--project", translated)
    assert run_cli("i18n", "export", *args, "--lang", TEST_LANG, "--out", xliff) == 0
    text = xliff.read_text(encoding="utf-8")
    assert text.count("SAFETY-CRITICAL") > 10 and 'id="glute-bridge.caution"' in text
    xliff.write_text(text.replace("SV Søg læge straks", "SV Søg straks læge"), encoding="utf-8")
    assert run_cli("i18n", "import", *args, xliff) == 0
    entry = find_entry(read_po(translated, TEST_LANG, LEAFLET_ID), RED_FLAGS)
    assert entry.target.startswith("SV Søg straks læge")
    assert lifecycle.state(entry) == lifecycle.CURRENT
    xliff.write_text(text.replace("Søg læge straks hvis", "Søg læge hvis"), encoding="utf-8")
    assert run_cli("i18n", "import", *args, xliff) == 1


def test_fill_helper_is_what_the_fixture_uses(translated: Path) -> None:
    """The pseudo-translation covers every unit, so the tests above start from 'complete'."""
    for path in (translated / "locales" / TEST_LANG / "LC_MESSAGES").glob("*.po"):
        store = pofiles.read(path)
        assert all(lifecycle.state(e) == lifecycle.CURRENT for e in pofiles.entries(store))
    fill(translated, TEST_LANG)  # idempotent


def test_a_poedit_style_save_loses_nothing(project: Path) -> None:
    """polib writes PO files the way Poedit does (its own line wrapping, comments kept)."""
    polib = pytest.importorskip("polib")
    before = _snapshot(project / "locales")
    states = _states(project)
    for path in (project / "locales").glob("*/LC_MESSAGES/*.po"):
        polib.pofile(str(path), wrapwidth=79).save(str(path))
    assert _states(project) == states  # same seals, same translations, nothing stale
    assert run_cli("i18n", "update", "--project", project) == 0
    assert _states(project) == states
    msgcat = shutil.which("msgcat")
    if msgcat:  # and GNU's own writer brings back the very same bytes
        for path in (project / "locales").glob("*/LC_MESSAGES/*.po"):
            subprocess.run([msgcat, "-o", path, path], check=True)
        assert _snapshot(project / "locales") == before


def _states(project: Path) -> dict:
    found = {}
    for path in sorted((project / "locales").glob("*/LC_MESSAGES/*.po")):
        for entry in pofiles.entries(pofiles.read(path)):
            seal = [c for c in entry.othercomments if c.startswith("# leaflet-gen")]
            found[(path.name, pofiles.key(entry))] = (
                lifecycle.state(entry),
                lifecycle.target_strings(entry),
                seal,
            )
    return found
