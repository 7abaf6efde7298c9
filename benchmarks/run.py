"""leaflet-gen benchmark: medians over several runs, and ratios measured in the same run.

Run: .venv/bin/python benchmarks/run.py [--runs N]

(a) one warm render of the seed leaflet vs a naive weasyprint.HTML(...).write_pdf() of the
    same HTML with default options (system fonts not pinned, full variable font);
(b) a full catalogue build (process pool) vs a naive sequential loop over the same documents;
(c) a rebuild with nothing changed vs a full build;
(d) a cold `leaflet-gen handout` vs `python -c "import weasyprint"`;
(e) peak memory (max RSS of a cold build process) and PDF sizes;
(f) where Debian's chromium is installed, the same HTML printed by headless Chromium.
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
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LEAFLET = "smerter-i-ballen-og-ned-i-benet"
CLI = [sys.executable, "-m", "leaflet_gen"]


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO, **kwargs)


def peak_rss_mb(command: list[str]) -> tuple[float, float]:
    """Wall time and max RSS (MB) of a command, via GNU time when present, else resource."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=REPO)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(after, before) / 1024


def bench_render(runs: int, html_path: Path) -> None:
    from leaflet_gen.build import Options, make_html, prepare_leaflet
    from leaflet_gen.pdf import html_to_pdf, weasyprint_module
    from leaflet_gen.project import Project

    project = Project.at(REPO)
    leaflet = prepare_leaflet(project, project.find_leaflet(LEAFLET))
    html = make_html(project, leaflet, "da", Options())
    html_path.write_text(html, encoding="utf-8")
    weasyprint = weasyprint_module()
    ours = median_time(
        lambda: html_to_pdf(html, REPO, project.asset_roots(), pdf_variant="pdf/ua-1"), runs
    )
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
    naive = median_time(
        lambda: weasyprint.HTML(string=naive_html, base_url=str(REPO)).write_pdf(), runs
    )
    print(
        f"(a) warm render: leaflet-gen {ours:.2f} s, naive WeasyPrint {naive:.2f} s, "
        f"ratio {ours / naive:.2f}x (target <= 0.3x)"
    )


def bench_catalogue(runs: int) -> None:
    with tempfile.TemporaryDirectory() as out:

        def full() -> None:
            run([*CLI, "build", "--out", out, "--force"])

        def sequential() -> None:
            for lang in ("da", "en", "de", "pl", "uk", "tr", "ar"):
                run(
                    [*CLI, "build", LEAFLET, "--lang", lang, "--out", out, "--force", "--jobs", "1"]
                )

        pool = median_time(full, runs)
        naive = median_time(sequential, max(1, runs // 2))
        print(
            f"(b) catalogue (7 documents): pool {pool:.2f} s, naive sequential loop "
            f"{naive:.2f} s, speed-up {naive / pool:.2f}x on {os.cpu_count()} cores "
            f"(target >= 3x)"
        )
        run([*CLI, "build", "--out", out])
        nothing = median_time(lambda: run([*CLI, "build", "--out", out]), runs)
        print(
            f"(c) rebuild with nothing changed {nothing:.2f} s vs full build {pool:.2f} s, "
            f"ratio {nothing / pool:.3f}x (target <= 0.05x)"
        )
        sizes = {
            p.name.split(".")[1]: p.stat().st_size // 1024 for p in sorted(Path(out).glob("*.pdf"))
        }
        print(f"(e) PDF sizes (KB): {sizes} (target seed <= 200 KB)")


def bench_handout(runs: int) -> None:
    with tempfile.TemporaryDirectory() as out:
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
        elapsed, rss = peak_rss_mb(
            [*CLI, "build", LEAFLET, "--lang", "da", "--out", out, "--force", "--jobs", "1"]
        )
        print(
            f"(e) cold single build: {elapsed:.2f} s, peak memory {rss:.0f} MB "
            f"(target <= 300 MB per worker)"
        )


def bench_chromium(html_path: Path) -> None:
    chromium = shutil.which("chromium")
    if not chromium:
        print("(f) chromium not installed: skipped (apt-get install chromium to compare)")
        return
    with tempfile.TemporaryDirectory() as profile:
        target = Path(profile) / "chromium.pdf"
        elapsed, rss = peak_rss_mb(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}/data",
                f"--print-to-pdf={target}",
                html_path.as_uri(),
            ]
        )
        print(
            f"(f) headless Chromium on the same HTML: {elapsed:.2f} s, {rss:.0f} MB, "
            f"{target.stat().st_size // 1024} KB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        html_path = Path(scratch) / f"{LEAFLET}.da.html"
        bench_render(args.runs, html_path)
        bench_catalogue(args.runs)
        bench_handout(args.runs)
        bench_chromium(html_path)


if __name__ == "__main__":
    main()
