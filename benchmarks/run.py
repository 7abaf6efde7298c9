"""leaflet-gen benchmark: medians over several runs, and ratios measured in the same run.

Run: .venv/bin/python benchmarks/run.py [--runs N] [--only PARTS]   (PARTS e.g. f or a,d)

(a) one warm render of the seed leaflet vs a naive weasyprint.HTML(...).write_pdf() of the
    same HTML with default options (system fonts not pinned, full variable font);
(b) a full catalogue build (process pool) vs a naive sequential loop over the same documents;
(c) a rebuild with nothing changed vs a full build;
(d) a cold `leaflet-gen handout` vs `python -c "import weasyprint"`;
(e) peak memory of a cold single build and of the pooled catalogue build (its largest worker),
    and PDF sizes;
(f) where Debian's chromium is installed, the same HTML printed by headless Chromium vs a cold
    `leaflet-gen build` of the seed leaflet;
(g) the exercise sheet (every picture in the library) with the drawn-figure cache emptied
    before each run vs kept, and the sizes of the drawn SVGs.

Peak memory is the peak of the summed RSS (VmRSS) of a command's whole process tree, sampled
every 10 ms from /proc until the command exits; processes that outlive their parent still count.
Summed RSS counts shared pages once per process, which inflates a multi-process browser, so (f)
also reports the summed PSS (proportional set size) from one extra, untimed run of each.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LEAFLET = "smerter-i-ballen-og-ned-i-benet"
CLI = [sys.executable, "-m", "leaflet_gen"]
PARTS = "abcdefg"
SAMPLE_SECONDS = 0.01
# The sample translations were never reviewed by a clinician: they build as marked drafts.
DRAFT = ("--draft",)


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO, **kwargs)


@dataclass
class Usage:
    """Wall time and memory of one command: its tree's peak and each process's own peak."""

    seconds: float
    peak_mb: float
    process_mb: dict[int, float]
    root: int

    @property
    def largest_child_mb(self) -> float:
        """The largest own peak among the processes the command started (0 if none)."""
        return max((mb for pid, mb in self.process_mb.items() if pid != self.root), default=0.0)


def _pids() -> set[int]:
    return {int(name) for name in os.listdir("/proc") if name.isdigit()}


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rpartition(")")[2].split()[1])  # the field after "pid (comm) state"


def _memory_kb(pid: int, pss: bool) -> int | None:
    """VmRSS (or Pss) of a live process in kB (0 for a zombie), None once it is gone."""
    source, key = ("smaps_rollup", "Pss") if pss else ("status", "VmRSS")
    try:
        text = Path(f"/proc/{pid}/{source}").read_text()
    except OSError:
        return None
    found = re.search(rf"^{key}:\s+(\d+) kB", text, re.MULTILINE)
    return int(found[1]) if found else 0


def _adopt(tree: set[int], known: set[int]) -> set[int]:
    """Add to ``tree`` the processes started since ``known`` by a member; return the pids now."""
    current = _pids()
    parents = {pid: _parent(pid) for pid in current - known}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return current


def measure(command: list[str], pss: bool = False) -> Usage:
    """Run a command; sample the summed RSS of it and all its descendants until it exits.

    /proc/<pid>/task/*/children is not available on every kernel, so descendants are found by
    the parent pid of each process that appeared since the previous sample. A member stays in
    the tree when its parent exits (Chromium's crashpad handler and zygote children outlive it).

    Summed RSS counts pages shared between processes (the Chromium binary, a forked worker's
    inherited heap) once per process. ``pss`` sums the proportional set size instead, which
    splits them; reading it is slow enough (tens of ms per sample) to slow the command down,
    so its wall time is then not worth reporting.
    """
    known = _pids()
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=errors)
        tree = {process.pid}
        own: dict[int, int] = {}
        peak = 0
        while True:
            known = _adopt(tree, known)
            total = 0
            for pid in list(tree):
                kb = _memory_kb(pid, pss)
                if kb is None:
                    tree.discard(pid)
                    continue
                total += kb
                own[pid] = max(own.get(pid, 0), kb)
            peak = max(peak, total)
            try:
                process.wait(timeout=SAMPLE_SECONDS)
                break
            except subprocess.TimeoutExpired:
                pass
        elapsed = time.perf_counter() - started
        if process.returncode:
            errors.seek(0)
            stderr = errors.read().decode(errors="replace")
            raise subprocess.CalledProcessError(process.returncode, command, stderr=stderr)
    return Usage(elapsed, peak / 1024, {pid: kb / 1024 for pid, kb in own.items()}, process.pid)


def seed_html() -> str:
    from leaflet_gen.build import Options, make_html, prepare_leaflet
    from leaflet_gen.project import Project

    project = Project.at(REPO)
    leaflet = prepare_leaflet(project, project.find_leaflet(LEAFLET))
    return make_html(project, leaflet, "da", Options())


def bench_render(runs: int, html: str) -> None:
    from leaflet_gen.pdf import html_to_pdf, weasyprint_module
    from leaflet_gen.project import Project

    project = Project.at(REPO)
    weasyprint = weasyprint_module()
    # naive: same HTML with the untouched variable Noto Sans and WeasyPrint's defaults
    import fontpkg_noto_sans

    naive_html = re.sub(
        r'src: url\("[^"]*LeafletSans-(\d+)-(\w+)\.ttf"\)',
        lambda m: (
            'src: url("'
            + (
                fontpkg_noto_sans.ROOT
                / "files"
                / (
                    "NotoSans-Italic[wdth,wght].ttf"
                    if m[2] == "italic"
                    else "NotoSans[wdth,wght].ttf"
                )
            ).as_uri()
            + '")'
        ),
        html,
    )
    def naive_render() -> bytes:
        return weasyprint.HTML(string=naive_html, base_url=str(REPO)).write_pdf()

    def warm_pair() -> tuple[float, float]:
        ours = median_time(
            lambda: html_to_pdf(html, REPO, project.asset_roots(), pdf_variant="pdf/ua-1"), runs
        )
        return ours, median_time(naive_render, runs)

    import weasyprint.pdf.fonts as pdf_fonts

    conditions = [("fontTools subsetting, as without libharfbuzz-subset0", None)]
    if pdf_fonts.harfbuzz_subset:
        harfbuzz = ("HarfBuzz subsetting (libharfbuzz-subset0)", pdf_fonts.harfbuzz_subset)
        conditions.insert(0, harfbuzz)
    for label, subsetter in conditions:
        saved, pdf_fonts.harfbuzz_subset = pdf_fonts.harfbuzz_subset, subsetter
        try:
            ours, naive = warm_pair()
        finally:
            pdf_fonts.harfbuzz_subset = saved
        print(
            f"(a) warm render, {label}: leaflet-gen {ours:.2f} s, naive WeasyPrint "
            f"{naive:.2f} s, ratio {ours / naive:.2f}x (target <= 0.3x)"
        )


def bench_catalogue(runs: int, parts: str) -> None:
    with tempfile.TemporaryDirectory() as out:

        def full() -> None:
            run([*CLI, "build", "--out", out, "--force", *DRAFT])

        pool = median_time(full, runs) if {"b", "c"} & set(parts) else 0.0
        if "b" in parts:

            def sequential() -> None:
                for lang in ("da", "en", "de", "pl", "uk", "tr", "ar"):
                    command = [*CLI, "build", LEAFLET, "--lang", lang, "--out", out, *DRAFT]
                    run([*command, "--force", "--jobs", "1"])

            naive = median_time(sequential, max(1, runs // 2))
            print(
                f"(b) catalogue (7 documents): pool {pool:.2f} s, naive sequential loop "
                f"{naive:.2f} s, speed-up {naive / pool:.2f}x on {os.cpu_count()} cores "
                f"(target >= 3x)"
            )
        if "c" in parts:
            run([*CLI, "build", "--out", out, *DRAFT])
            nothing = median_time(lambda: run([*CLI, "build", "--out", out, *DRAFT]), runs)
            print(
                f"(c) rebuild with nothing changed {nothing:.2f} s vs full build {pool:.2f} s, "
                f"ratio {nothing / pool:.3f}x (target <= 0.05x)"
            )
        if "e" in parts:
            usage = measure([*CLI, "build", "--out", out, "--force", *DRAFT])
            print(
                f"(e) pooled catalogue build: {usage.seconds:.2f} s, peak {usage.peak_mb:.0f} MB "
                f"summed RSS of the process tree, parent {usage.process_mb[usage.root]:.0f} MB, "
                f"largest worker {usage.largest_child_mb:.0f} MB (target <= 300 MB per worker)"
            )
            sizes = {
                p.name.split(".")[1]: p.stat().st_size // 1024
                for p in sorted(Path(out).glob("*.pdf"))
            }
            print(f"(e) PDF sizes (KB): {sizes} (target seed <= 200 KB)")


def bench_handout(runs: int, parts: str) -> None:
    with tempfile.TemporaryDirectory() as out:
        if "d" in parts:
            command = [
                *CLI,
                "handout",
                LEAFLET,
                "--lang",
                "da",
                "--clinic",
                "examples/clinic.toml",
                "--exercise",
                "glute-bridge:3x12",
                "--exercise",
                "piriformis-stretch:3x30s,2/day,left",
                "--patient",
                "Anna Jensen",
                "--out",
                f"{out}/h.pdf",
            ]
            handout = median_time(lambda: run(command), runs)
            importing = median_time(lambda: run([sys.executable, "-c", "import weasyprint"]), runs)
            print(
                f"(d) cold handout {handout:.2f} s vs import weasyprint {importing:.2f} s, "
                f"ratio {handout / importing:.2f}x (target <= 1.6x)"
            )
        if "e" in parts:
            usage = measure(single_build(Path(out), "--jobs", "1"))
            print(
                f"(e) cold single build: {usage.seconds:.2f} s, peak {usage.peak_mb:.0f} MB "
                f"summed RSS of the process tree, main process "
                f"{usage.process_mb[usage.root]:.0f} MB (target <= 300 MB per worker)"
            )


def single_build(out: Path, *options: str) -> list[str]:
    """A cold build of the seed in Danish (``--jobs 1``: one process; default: a helper
    process prepares the HTML while WeasyPrint loads)."""
    return [*CLI, "build", LEAFLET, "--lang", "da", "--force", *options, "--out", str(out)]


def chromium_command(chromium: str, html_path: Path, profile: Path, target: Path) -> list[str]:
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={target}",
        html_path.as_uri(),
    ]


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def check_pdf(path: Path, who: str) -> Path:
    """The PDF a command wrote, refusing a missing, empty or non-PDF file."""
    if not path.is_file() or path.stat().st_size == 0 or path.read_bytes()[:5] != b"%PDF-":
        raise SystemExit(f"(f) {who} did not write a PDF to {path}")
    return path


def bench_chromium(runs: int, html: str) -> None:
    chromium = shutil.which("chromium")
    if not chromium:
        print("(f) chromium not installed: skipped (apt-get install chromium to compare)")
        return
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        html_path = scratch / f"{LEAFLET}.da.html"
        # WeasyPrint resolves relative URLs against the repository: give Chromium the same base
        based = re.sub(r"<head[^>]*>", lambda m: f'{m[0]}\n<base href="{REPO.as_uri()}/">', html)
        html_path.write_text(based, encoding="utf-8")

        def chrome(index: int, pss: bool = False) -> tuple[Usage, Path]:
            target = scratch / f"chromium-{index}.pdf"
            profile = scratch / f"profile-{index}"  # a fresh profile: a cold start every time
            usage = measure(chromium_command(chromium, html_path, profile, target), pss)
            return usage, check_pdf(target, "Chromium")

        def ours(index: int, pss: bool = False) -> tuple[Usage, Path]:
            out = scratch / f"build-{index}"
            usage = measure(single_build(out), pss)
            return usage, check_pdf(out / f"{LEAFLET}.da.pdf", "leaflet-gen build")

        timed = [(chrome(index), ours(index)) for index in range(runs)]  # alternated: same load
        chrome_pss, ours_pss = chrome(runs, pss=True)[0].peak_mb, ours(runs, pss=True)[0].peak_mb
        lines = [summary([pair[side] for pair in timed]) for side in (0, 1)]
    print(f"(f) headless Chromium, cold print of the same HTML: {lines[0].text}")
    print(f"(f) leaflet-gen, cold `build` of one leaflet: {lines[1].text}")
    print(
        f"(f) peak summed PSS (shared pages split; one extra, untimed run each): Chromium "
        f"{chrome_pss:.0f} MB, leaflet-gen {ours_pss:.0f} MB"
    )
    time_ratio = lines[1].seconds / lines[0].seconds
    rss_ratio = lines[1].peak_mb / lines[0].peak_mb
    pss_ratio = ours_pss / chrome_pss
    print(
        f"(f) build vs Chromium: time {time_ratio:.2f}x (target < 1x: {verdict(time_ratio < 1)}), "
        f"memory {rss_ratio:.2f}x by summed RSS, {pss_ratio:.2f}x by summed PSS "
        f"(target <= 0.33x: {verdict(rss_ratio <= 1 / 3)} by RSS, "
        f"{verdict(pss_ratio <= 1 / 3)} by PSS) [medians of {runs} runs]"
    )


@dataclass
class Summary:
    seconds: float
    peak_mb: float
    text: str


def summary(results: list[tuple[Usage, Path]]) -> Summary:
    """Medians of cold runs that each wrote a PDF."""
    seconds = statistics.median(usage.seconds for usage, _ in results)
    peak = statistics.median(usage.peak_mb for usage, _ in results)
    largest = statistics.median(max(usage.process_mb.values()) for usage, _ in results)
    size = statistics.median(pdf.stat().st_size for _, pdf in results) / 1024
    text = (
        f"{seconds:.2f} s, peak {peak:.0f} MB summed RSS (largest process {largest:.0f} MB), "
        f"{size:.0f} KB, {pdf_pages(results[-1][1])} pages"
    )
    return Summary(seconds, peak, text)


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def bench_figures(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LEAFLET_GEN_CACHE": f"{tmp}/cache"}
        figures = Path(tmp) / "cache" / "figures"
        command = [*CLI, "exercises", "--sheet", f"{tmp}/sheet.pdf"]
        run(command, env=env)  # fonts and start-up caches warm, as on a used machine

        def drawn() -> None:
            shutil.rmtree(figures)
            run(command, env=env)

        cold = median_time(drawn, runs)
        warm = median_time(lambda: run(command, env=env), runs)
        sizes = sorted(path.stat().st_size / 1024 for path in figures.glob("*.svg"))
        print(
            f"(g) exercise sheet, {len(sizes) // 2} pictures: drawing them {cold:.2f} s vs from "
            f"the figure cache {warm:.2f} s, ratio {cold / warm:.2f}x; SVG median "
            f"{statistics.median(sizes):.1f} KB, largest {sizes[-1]:.1f} KB"
        )


def parse_parts(text: str) -> str:
    """``f``, ``a,d`` or ``ad`` → the parts to run, in order."""
    parts = set(re.sub(r"[,\s]", "", text.lower()))
    if not parts or not parts <= set(PARTS):
        raise argparse.ArgumentTypeError(f"expected parts from {','.join(PARTS)}, got {text!r}")
    return "".join(sorted(parts))


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return int(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=positive, default=5)
    parser.add_argument(
        "--only",
        type=parse_parts,
        default=PARTS,
        metavar="PARTS",
        help="comma-separated parts to run, e.g. f or a,d (default: all)",
    )
    args = parser.parse_args()
    parts = args.only
    html = seed_html() if {"a", "f"} & set(parts) else ""
    if "a" in parts:
        bench_render(args.runs, html)
    if {"b", "c", "e"} & set(parts):
        bench_catalogue(args.runs, parts)
    if {"d", "e"} & set(parts):
        bench_handout(args.runs, parts)
    if "f" in parts:
        bench_chromium(args.runs, html)
    if "g" in parts:
        bench_figures(args.runs)


if __name__ == "__main__":
    main()
