"""The benchmark stays runnable: a quick pass prints its figures (it asserts no timings)."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO


def test_benchmark_runs_and_prints_ratios() -> None:
    done = subprocess.run(
        [sys.executable, REPO / "benchmarks" / "run.py", "--runs", "1", "--only", "c,d,g"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    number = r"\d+\.\d+"
    assert re.search(
        rf"^\(c\) rebuild with nothing changed {number} s .* ratio {number}x", done.stdout, re.M
    )
    assert re.search(rf"^\(d\) cold handout {number} s .* ratio {number}x", done.stdout, re.M)
    assert re.search(rf"^\(g\) exercise sheet, \d+ pictures: drawing them {number} s", done.stdout,
                     re.M)
