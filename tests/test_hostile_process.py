"""Faults and interruptions: signals, broken catalogues, full disks, hostile cache folders,
closed streams and control characters. No traceback, no orphaned process, no silent change.

The signal tests start the real command line, wait until a pool worker exists, stop the
parent and look for any process left with the build's (unique) output folder on its
command line. Full disks are simulated with RLIMIT_FSIZE (any user); read-only folders with a
read-only bind mount as root, or by removing write permission otherwise.
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import stat
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import pytest
from conftest import LEAFLET_ID, REPO, run_cli

from leaflet_gen import fonts, startup

# -- helpers --------------------------------------------------------------------------------


def _cli(*args, env: dict | None = None, limit_bytes: int | None = None, close_stdout=False):
    """The command line in a fresh process (its signal handling and stream set-up included)."""

    def before_exec() -> None:
        if limit_bytes is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))
        if close_stdout:
            os.close(1)

    return subprocess.run(
        [sys.executable, "-m", "leaflet_gen", *map(str, args)],
        capture_output=not close_stdout,
        stderr=subprocess.PIPE if close_stdout else None,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
        preexec_fn=before_exec,
        timeout=120,
    )


def _one_error_line(err: bytes | str) -> str:
    text = err.decode() if isinstance(err, bytes) else err
    assert "Traceback" not in text, text
    lines = [line for line in text.splitlines() if line.startswith("leaflet-gen: error")]
    assert len(lines) == 1, text
    return lines[0]


def _processes_naming(marker: str) -> list[int]:
    """Live (not zombie) processes whose command line contains ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmdline and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with suppress(OSError):
            kids += [int(k) for k in (task / "children").read_text().split()]
    return kids


def _start_build(out: Path) -> subprocess.Popen:
    """A build of every language in two workers; returns once a worker exists."""
    process = subprocess.Popen(
        [sys.executable, "-m", "leaflet_gen", "build", "--project", REPO, "--out", out]
        + ["--draft", "--force", "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not _children(process.pid):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the build started no worker")
        time.sleep(0.02)
    time.sleep(0.3)  # the workers are at work
    return process


def _finish(process: subprocess.Popen, marker: str) -> tuple[bytes, bytes]:
    """Wait for the parent, then read its output (orphaned workers would keep the pipes open:
    they are killed first, after being counted by the caller's ``_none_left``)."""
    process.wait(timeout=120)
    left = _none_left(marker)
    stdout, err = process.communicate()
    assert left == [], f"{len(left)} process(es) outlived the build"
    return stdout, err


def _none_left(marker: str, seconds: float = 10.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while _processes_naming(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _processes_naming(marker)
    for pid in left:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    return left


needs_proc = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to find the workers"
)


@pytest.fixture
def read_only():
    """Make a folder read-only: a read-only bind mount as root, permissions otherwise."""
    mounted: list[Path] = []
    chmodded: list[Path] = []

    def make(folder: Path) -> None:
        if os.geteuid() == 0:
            bind = subprocess.run(["mount", "--bind", folder, folder], capture_output=True)
            if bind.returncode != 0:
                pytest.skip("root without permission to mount: cannot make a read-only folder")
            mounted.append(folder)
            subprocess.run(["mount", "-o", "remount,bind,ro", folder], check=True)
        else:
            for path in [folder, *folder.rglob("*")]:
                if path.is_dir():
                    path.chmod(0o555)
                    chmodded.append(path)

    yield make
    for folder in mounted:
        subprocess.run(["umount", folder], check=True)
    for path in chmodded:
        path.chmod(0o755)


def _html_build(project: Path, out: Path, *extra: str) -> int:
    return run_cli(
        "build", "--project", project, "--out", out, "--format", "html", "--draft", *extra
    )


def _ui_po(project: Path, lang: str = "de") -> Path:
    return project / "locales" / lang / "LC_MESSAGES" / "ui.po"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- 1. workers die with their parent; SIGTERM and Ctrl-C stop cleanly -----------------------


@needs_proc
def test_sigkill_of_the_build_leaves_no_worker_running(tmp_path: Path) -> None:
    out = tmp_path / "out-sigkill"
    process = _start_build(out)
    process.kill()
    process.wait()
    assert _none_left(str(out)) == []


@needs_proc
def test_sigterm_stops_the_build_and_its_workers_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out-sigterm"
    process = _start_build(out)
    process.terminate()
    _, err = _finish(process, str(out))
    assert process.returncode == 128 + signal.SIGTERM
    assert err.decode().strip() == "leaflet-gen: interrupted"
    assert not list(out.glob(".*.part"))


@needs_proc
def test_ctrl_c_stops_the_build_at_once_with_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "out-sigint"
    process = _start_build(out)
    os.killpg(process.pid, signal.SIGINT)  # what the terminal sends to the whole group
    _, err = _finish(process, str(out))
    assert process.returncode == 128 + signal.SIGINT
    assert err.decode().strip() == "leaflet-gen: interrupted"
    assert len(list(out.glob("*.pdf"))) < 7  # the queued documents were not built after all
    assert not list(out.glob(".*.part"))


@needs_proc
def test_a_killed_worker_fails_its_documents_without_a_traceback(tmp_path: Path) -> None:
    out = tmp_path / "out-worker"
    process = _start_build(out)
    os.kill(_children(process.pid)[0], signal.SIGKILL)
    stdout, err = _finish(process, str(out))
    assert process.returncode == 1
    assert "Traceback" not in err.decode()
    assert "a worker process ended abruptly" in err.decode()
    assert "failed" in stdout.decode().splitlines()[-1]


# -- 2. tracebacks become one-line errors; one bad catalogue fails alone ---------------------


def test_unknown_lang_in_a_multi_document_build_is_one_usage_error(tmp_path, capsys) -> None:
    code = _html_build(REPO, tmp_path, "--lang", "xx", "--lang", "da")
    assert code == 2
    assert "unknown language code 'xx'" in _one_error_line(capsys.readouterr().err)


def test_unknown_lang_alone_is_a_usage_error_too(tmp_path: Path, capsys) -> None:
    assert _html_build(REPO, tmp_path, "--lang", "xx") == 2
    assert "'xx'" in _one_error_line(capsys.readouterr().err)


def test_unknown_lang_in_i18n_update_is_one_line(project: Path, capsys) -> None:
    assert run_cli("i18n", "update", "--project", project, "--lang", "xx") == 1
    assert "unknown language code 'xx'" in _one_error_line(capsys.readouterr().err)
    assert not (project / "locales" / "xx").exists()


def test_unknown_lang_in_check_is_one_usage_error(capsys) -> None:
    assert run_cli("check", LEAFLET_ID, "--project", REPO, "--lang", "xx") == 2
    assert "'xx'" in _one_error_line(capsys.readouterr().err)


def test_broken_plural_forms_fails_its_language_alone(project: Path, tmp_path, capsys) -> None:
    _replace(_ui_po(project), "plural=(n != 1);", "plural=(n != 1;")
    assert _html_build(project, tmp_path, "--jobs", "2") == 1
    captured = capsys.readouterr()
    line = _one_error_line(captured.err)
    assert "ui.po" in line and "Plural-Forms" in line
    assert captured.out.splitlines()[-1].startswith("6 built")
    assert not (tmp_path / f"{LEAFLET_ID}.de.html").exists()


def test_plural_forms_choosing_a_missing_form_fails_alone(project: Path, tmp_path, capsys) -> None:
    _replace(_ui_po(project), "plural=(n != 1);", "plural=(n + 5);")
    assert _html_build(project, tmp_path, "--jobs", "2") == 1
    captured = capsys.readouterr()
    assert "chooses form" in _one_error_line(captured.err)
    assert captured.out.splitlines()[-1].startswith("6 built")


def test_broken_placeholder_without_its_flag_fails_alone(project: Path, tmp_path, capsys) -> None:
    po = _ui_po(project)
    _replace(po, '#, python-format\nmsgctxt "dosage.reps"', 'msgctxt "dosage.reps"')
    _replace(po, 'msgstr[0] "%(num)s Wiederholung"', 'msgstr[0] "%(num)s Wiederholung %(x"')
    _replace(po, 'msgstr[1] "%(num)s Wiederholungen"', 'msgstr[1] "%(num)s Wiederholungen %(x"')
    assert _html_build(project, tmp_path, "--jobs", "2") == 1
    captured = capsys.readouterr()
    assert "broken placeholder" in _one_error_line(captured.err)
    assert captured.out.splitlines()[-1].startswith("6 built")


def test_an_unreadable_catalogue_fails_not_skipped(project: Path, tmp_path, capsys) -> None:
    _ui_po(project).write_bytes(b'msgid "a\nmsgstr "\x00\xff')
    assert _html_build(project, tmp_path, "--jobs", "2") == 1
    assert "1 failed" in capsys.readouterr().out


def test_an_unexpected_fault_in_one_document_stops_no_other(
    project: Path, tmp_path, capsys, monkeypatch
) -> None:
    from leaflet_gen import build

    original = build.prepare_document

    def faulty(project, leaflet, lang, options):
        if lang == "pl":
            raise RuntimeError("simulated fault")
        return original(project, leaflet, lang, options)

    monkeypatch.setattr(build, "prepare_document", faulty)  # forked workers inherit it
    assert _html_build(project, tmp_path, "--jobs", "2") == 1
    captured = capsys.readouterr()
    assert "RuntimeError: simulated fault" in _one_error_line(captured.err)
    assert captured.out.splitlines()[-1].startswith("6 built")


def test_full_disk_while_rendering_is_one_line(tmp_path: Path) -> None:
    done = _cli(
        *("build", LEAFLET_ID, "--project", REPO, "--lang", "da", "--jobs", "1", "--force"),
        *("--out", tmp_path),
        limit_bytes=20_000,  # WeasyPrint's temporary font copies are larger
    )
    assert done.returncode == 1
    assert "cannot" in _one_error_line(done.stderr)
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*.part"))


def test_read_only_locales_in_i18n_compile_is_one_line(project: Path, read_only, capsys) -> None:
    read_only(project / "locales")
    assert run_cli("i18n", "compile", "--project", project) == 1
    assert "Read-only" in _one_error_line(capsys.readouterr().err) or os.geteuid() != 0


def test_read_only_locales_for_a_new_language_is_one_line(project, read_only, capsys) -> None:
    read_only(project / "locales")
    assert run_cli("i18n", "update", "--project", project, "--lang", "fr") == 1
    assert "fr" in _one_error_line(capsys.readouterr().err)


def test_cache_folder_that_is_a_file_costs_a_warning_not_the_build(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.write_text("not a folder")
    done = _cli(
        *("build", LEAFLET_ID, "--project", REPO, "--lang", "da", "--format", "html"),
        *("--jobs", "1", "--out", tmp_path / "out"),
        env={"LEAFLET_GEN_CACHE": str(cache)},
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    assert b"warning: cache folder" in done.stderr
    assert (tmp_path / "out" / f"{LEAFLET_ID}.da.html").is_file()


def test_read_only_empty_cache_folder_costs_a_warning_not_the_build(tmp_path, read_only) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    read_only(cache)
    done = _cli(
        *("build", LEAFLET_ID, "--project", REPO, "--lang", "da", "--format", "html"),
        *("--jobs", "1", "--out", tmp_path / "out"),
        env={"LEAFLET_GEN_CACHE": str(cache)},
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"warning: cache folder" in done.stderr and b"Traceback" not in done.stderr
    assert not list(cache.iterdir())


# -- 3. --edition bogus: one usage error ----------------------------------------------------


def test_unknown_edition_is_one_usage_error_not_one_per_document(tmp_path, capsys) -> None:
    assert _html_build(REPO, tmp_path, "--edition", "bogus") == 2
    assert "unknown edition 'bogus'" in _one_error_line(capsys.readouterr().err)


def test_unknown_edition_in_check_is_one_usage_error(capsys) -> None:
    assert run_cli("check", "--project", REPO, "--edition", "bogus") == 2
    assert "unknown edition 'bogus'" in _one_error_line(capsys.readouterr().err)


def test_unknown_edition_in_handout_is_a_usage_error(tmp_path: Path, capsys) -> None:
    code = run_cli(
        *("handout", LEAFLET_ID, "--project", REPO, "--exercise", "glute-bridge"),
        *("--patient", "A", "--edition", "bogus", "--out", tmp_path / "h.pdf"),
    )
    assert code == 2
    assert "unknown edition" in _one_error_line(capsys.readouterr().err)


# -- 4. catalogue writes are atomic ---------------------------------------------------------


def test_i18n_compile_on_a_full_disk_leaves_the_mo_files_whole(project: Path) -> None:
    assert run_cli("i18n", "compile", "--project", project) == 0
    mo = project / "locales" / "de" / "LC_MESSAGES" / "ui.mo"
    before = mo.read_bytes()
    assert len(before) > 2000
    done = _cli("i18n", "compile", "--project", project, limit_bytes=2000)
    assert done.returncode == 1
    _one_error_line(done.stderr)
    assert mo.read_bytes() == before
    assert not list(mo.parent.glob(".*.part"))


# -- 5. outputs verified against the manifest -----------------------------------------------


def _built_once(tmp_path: Path) -> Path:
    assert _html_build(REPO, tmp_path, LEAFLET_ID, "--lang", "da") == 0
    return tmp_path / f"{LEAFLET_ID}.da.html"


def test_a_damaged_output_is_rebuilt_not_unchanged(tmp_path: Path, capsys) -> None:
    output = _built_once(tmp_path)
    good = output.read_bytes()
    output.write_bytes(good[: len(good) // 2])
    capsys.readouterr()
    assert _html_build(REPO, tmp_path, LEAFLET_ID, "--lang", "da") == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("1 built")
    assert output.read_bytes() == good


def test_an_output_changed_at_the_same_size_is_rebuilt(tmp_path: Path, capsys) -> None:
    output = _built_once(tmp_path)
    good = output.read_bytes()
    output.write_bytes(good.replace(b"Smerter", b"Glaeder", 1))
    assert output.stat().st_size == len(good)
    capsys.readouterr()
    assert _html_build(REPO, tmp_path, LEAFLET_ID, "--lang", "da") == 0
    assert output.read_bytes() == good


def test_the_manifest_records_size_and_hash_of_each_output(tmp_path: Path) -> None:
    output = _built_once(tmp_path)
    entry = json.loads((tmp_path / ".leaflet-gen-manifest.json").read_text())[output.name]
    import hashlib

    assert entry["bytes"] == output.stat().st_size
    assert entry["sha256"] == hashlib.sha256(output.read_bytes()).hexdigest()


# -- 6. a moved cache folder -----------------------------------------------------------------


def test_a_moved_cache_folder_repoints_fontconfig(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FONTCONFIG_FILE", "unchanged")
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    fonts.pin_fontconfig(fonts.FontSet(old, ()))
    old.rename(new)
    fonts.pin_fontconfig(fonts.FontSet(new, ()))
    config = (new / "fonts.conf").read_text(encoding="utf-8")
    assert f"<dir>{new}</dir>" in config and str(old) not in config


# -- 7. nothing executable from a folder another user could have written ---------------------


def _cache_root_for(folder: Path, monkeypatch) -> Path:
    monkeypatch.setenv("LEAFLET_GEN_CACHE", str(folder))
    return fonts.cache_root()


def test_a_cache_folder_others_can_write_is_not_used(tmp_path: Path, monkeypatch, capsys):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    assert _cache_root_for(shared, monkeypatch) != shared
    assert "writable by other users" in capsys.readouterr().err


def test_a_cache_folder_inside_a_folder_others_can_change_is_not_used(
    tmp_path: Path, monkeypatch, capsys
):
    parent = tmp_path / "open"
    (parent / "cache").mkdir(parents=True, mode=0o700)
    parent.chmod(0o777)  # not sticky: anyone may swap the cache folder for their own
    assert _cache_root_for(parent / "cache", monkeypatch) != parent / "cache"
    assert "other users can change" in capsys.readouterr().err


def test_a_sticky_world_writable_parent_like_tmp_is_fine(tmp_path: Path, monkeypatch) -> None:
    parent = tmp_path / "sticky"
    parent.mkdir()
    parent.chmod(0o1777)
    assert _cache_root_for(parent / "cache", monkeypatch) == parent / "cache"
    assert stat.S_IMODE((parent / "cache").stat().st_mode) == 0o700  # made private


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_cache_folder_of_another_user_is_not_used(tmp_path: Path, monkeypatch, capsys):
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    os.chown(theirs, 65534, 65534)
    assert _cache_root_for(theirs, monkeypatch) != theirs
    assert "belongs to another user" in capsys.readouterr().err


def _planted(tmp_path: Path, monkeypatch, code_at_end: bool) -> Path:
    """A stored cffi module with code added; returns the file the code would create."""
    monkeypatch.setattr(startup, "cache_root", lambda: tmp_path)
    startup._out_of_line_ffi("int leaflet_gen_probe(int);", {})
    (stored,) = (tmp_path / "cffi").glob("ffi_*.py")
    marker = tmp_path / "planted-code-ran"
    run = f"open({str(marker)!r}, 'w').close()"
    text = stored.read_text(encoding="utf-8")
    if code_at_end:
        text += f"\n{run}\n"
    else:
        text = text.replace("_version = ", f"_version = ({run}, 0x2601)[1] or ", 1)
    stored.write_text(text, encoding="utf-8")
    return marker


@pytest.mark.parametrize("code_at_end", [True, False], ids=["statement", "in-the-call"])
def test_a_stored_cffi_module_is_read_as_data_never_run(tmp_path, monkeypatch, code_at_end):
    marker = _planted(tmp_path, monkeypatch, code_at_end)
    ffi = startup._out_of_line_ffi("int leaflet_gen_probe(int);", {})
    assert ffi.sizeof("int") == 4
    assert not marker.exists()


# -- 8. control characters from files never reach the terminal -------------------------------

_RAW = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xe2\x80\xae")


def _clinic(tmp_path: Path, website: str) -> Path:
    profile = tmp_path / "clinic.toml"
    profile.write_text(f'name = "Klinik"\nwebsite = "{website}"\n', encoding="utf-8")
    return profile


@pytest.mark.parametrize(
    "website",
    [r"\u001b]0;owned\u0007x", r"\u001b[2J\u001b[31mx", r"\u009b31mx", r"\u202e84 x"],
    ids=["osc-title", "clear-screen", "c1-csi", "bidi-override"],
)
def test_control_characters_from_a_clinic_profile_are_escaped(tmp_path: Path, website) -> None:
    done = _cli(
        *("build", LEAFLET_ID, "--project", REPO, "--lang", "da", "--format", "html"),
        *("--clinic", _clinic(tmp_path, website), "--out", tmp_path),
    )
    assert done.returncode == 1
    line = _one_error_line(done.stderr)
    assert not _RAW.search(done.stderr) and not _RAW.search(done.stdout)
    # escaped, or (since the profile's fields are checked) named by its code point
    assert "\\x" in line or "\\u" in line or re.search(r"U\+[0-9A-F]{4}", line)


def test_control_characters_in_a_catalogue_header_are_escaped(project, tmp_path) -> None:
    _replace(_ui_po(project), "plural=(n != 1);", "plural=(n != 1;\x1b[2J")
    done = _cli(
        *("build", LEAFLET_ID, "--project", project, "--lang", "de", "--draft"),
        *("--format", "html", "--out", tmp_path),
    )
    assert "Plural-Forms" in _one_error_line(done.stderr)
    assert not _RAW.search(done.stderr)


def test_status_lines_escape_control_characters(tmp_path: Path) -> None:
    done = _cli(
        *("build", LEAFLET_ID, "--project", REPO, "--lang", "da", "--format", "html"),
        *("--jobs", "1", "--out", tmp_path / "out\x1b[8m"),
    )
    assert done.returncode == 0
    assert b"built: " in done.stdout and not _RAW.search(done.stdout)


# -- stdout closed early ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("exercises",), ("i18n", "stats"), ("build", LEAFLET_ID, "--format", "html")],
    ids=["exercises", "stats", "build"],
)
def test_a_closed_stdout_is_no_traceback(tmp_path: Path, args) -> None:
    extra = ("--lang", "da", "--out", tmp_path) if args[0] == "build" else ()
    done = _cli(*args, "--project", REPO, *extra, close_stdout=True)
    assert b"Traceback" not in done.stderr, done.stderr.decode()
    assert done.returncode in (0, 1)


def test_stdout_read_by_head_does_not_stop_the_build(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "leaflet_gen", "build", "--project", REPO, "--draft"]
        + ["--format", "html", "--jobs", "1", "--out", tmp_path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.readline()
    process.stdout.close()  # `| head -1`
    err = process.stderr.read()
    assert process.wait(timeout=120) == 0
    assert b"Traceback" not in err
    assert len(list(tmp_path.glob("*.html"))) == 7
