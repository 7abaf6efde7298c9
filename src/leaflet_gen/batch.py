"""Build many documents: a process pool, incremental rebuilds and a progress report.

A document is rebuilt only when the fingerprint of everything it is made from changed: its
source, the catalogues of its language, the exercise library, templates, stylesheet, fonts,
options and the program version. Fingerprints live in ``<out>/.leaflet-gen-manifest.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import CatalogueError, LeafletError, SafetyGapError, TranslationError
from .fonts import prepare_fonts
from .illustrations import renderer_fingerprint
from .load import leaflet_id
from .model import Options
from .project import EXERCISES_DOMAIN, PACKAGE_DIR, SOURCE_LANG, UI_DOMAIN, Project, catalog_path

MANIFEST = ".leaflet-gen-manifest.json"


@dataclass(frozen=True)
class Job:
    """One document: a leaflet in one language."""

    source: Path
    leaflet_id: str
    lang: str
    explicit_lang: bool  # asked for by name: an incomplete catalogue is then an error

    @property
    def name(self) -> str:
        return f"{self.leaflet_id}.{self.lang}"


@dataclass
class Outcome:
    job: Job
    status: str  # built, unchanged, skipped, withheld (a safety gap), failed
    message: str = ""
    seconds: float = 0.0
    written: dict = field(default_factory=dict)  # of a built file: its size and SHA-256
    no_catalogue: bool = False  # skipped because the leaflet has no catalogue in the language


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> bool:
        return self.count("failed") + self.count("withheld") > 0

    def no_catalogue(self) -> dict[Path, list[str]]:
        """Leaflets skipped in languages where they have no catalogue yet, with those languages."""
        found: dict[Path, list[str]] = {}
        for outcome in self.outcomes:
            if outcome.no_catalogue:
                found.setdefault(outcome.job.source, []).append(outcome.job.lang)
        return found

    def line(self) -> str:
        return (
            f"{self.count('built')} built, {self.count('unchanged')} unchanged, "
            f"{self.count('skipped')} skipped (translation incomplete or unapproved), "
            f"{self.count('withheld')} withheld (safety text not translated), "
            f"{self.count('failed')} failed in {self.seconds:.1f} s"
        )


def fingerprints(project: Project, jobs: list[Job], options: Options) -> dict[Job, str]:
    """A hash of every input of each document; the files all documents share are read once."""
    shared = hashlib.sha256(f"{__version__}|{options!r}".encode())
    files = sorted(project.exercises_dir.glob("*"))
    files += sorted(p for p in PACKAGE_DIR.rglob("*") if p.suffix in {".j2", ".css", ".svg"})
    if options.clinic and options.clinic.logo:
        files.append(options.clinic.logo)
    _hash_files(shared, files)
    shared.update(prepare_fonts().folder.name.encode())
    shared.update(renderer_fingerprint().encode())
    stamps = {}
    for job in jobs:
        digest = shared.copy()
        digest.update(f"|{job.lang}|".encode())
        domains = (job.leaflet_id, EXERCISES_DOMAIN, UI_DOMAIN)
        catalogues = [catalog_path(project.locales_dir, job.lang, d) for d in domains]
        _hash_files(digest, [job.source, *catalogues])
        stamps[job] = digest.hexdigest()
    return stamps


def _hash_files(digest, files: list[Path]) -> None:
    for path in files:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes() if path.is_file() else b"<absent>")


def _pool_worker_start(parent: int) -> None:
    """A pool worker: ends with its parent (even a killed one), then pays the fixed costs."""
    from .children import become_child

    become_child(parent)
    _worker_start()


def _worker_start() -> None:
    """Pay the fixed costs once per worker: fonts, fontconfig, importing WeasyPrint."""
    import gc
    from multiprocessing.util import Finalize

    from . import build  # noqa: F401  (the whole pipeline, imported once per worker)
    from .pdf import release, weasyprint_module

    weasyprint_module()
    # A worker ends without running atexit handlers: clean up WeasyPrint's font copies here.
    Finalize(None, release, exitpriority=10)
    # The imported modules live as long as the worker: keep the collector from rescanning them.
    gc.freeze()


def _run(
    project: Project, job: Job, out: Path, options: Options, cold_start: bool = False
) -> Outcome:
    """Build one document; with ``cold_start``, its HTML is prepared while WeasyPrint loads."""
    from .coldstart import prepare_while_importing
    from .pdf import finish_document, write_atomically

    def prepare():  # in a forked child on a cold start: the parent never imports Jinja, Babel…
        from .build import prepare_document, prepare_leaflet

        leaflet = prepare_leaflet(project, job.source)
        return prepare_document(project, leaflet, job.lang, options)

    started = time.perf_counter()
    try:
        prepared = prepare_while_importing(prepare) if cold_start else prepare()
        target = _target(out, job, options)
        data = finish_document(prepared, project.root)
        write_atomically(data, target)
        seconds = time.perf_counter() - started
        return Outcome(job, "built", str(target), seconds, _file_record(data))
    except SafetyGapError as exc:
        return Outcome(job, "withheld", str(exc), time.perf_counter() - started)
    except TranslationError as exc:
        broken = isinstance(exc, CatalogueError)
        status = "failed" if job.explicit_lang or broken else "skipped"
        return Outcome(job, status, str(exc), time.perf_counter() - started)
    except LeafletError as exc:
        return Outcome(job, "failed", str(exc), time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - a fault in one document must not stop the others
        message = f"{job.name}: unexpected error ({exc.__class__.__name__}: {exc})"
        return Outcome(job, "failed", message, time.perf_counter() - started)


def _file_record(data: bytes) -> dict:
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _intact(target: Path, entry: dict) -> bool:
    """True when ``target`` is still the file this manifest entry recorded (size and hash)."""
    try:
        if target.stat().st_size != entry.get("bytes"):
            return False
        return _file_record(target.read_bytes()) == {k: entry.get(k) for k in ("bytes", "sha256")}
    except OSError:
        return False


def build_many(
    project: Project,
    jobs: list[Job],
    out: Path,
    options: Options,
    *,
    workers: int | None = None,
    force: bool = False,
    report: Callable[[Outcome, int, int], None] | None = None,
    complete: bool = False,
) -> Summary:
    """Build every job not already up to date, in parallel; one failure stops nothing.

    A document that is not built this time (translation gap, unapproved, failed) is withdrawn:
    its earlier file is deleted and the manifest forgets it, so no outdated copy is left for
    anyone to print. With ``complete`` (every leaflet in every language), outputs the
    manifest knows that this build no longer makes go too.
    """
    started = time.perf_counter()
    manifest_path = out / MANIFEST
    manifest = _read_manifest(manifest_path)
    summary = Summary()
    known = dict(manifest)
    # No catalogue for the leaflet in a language: nothing to try. Asked for by name, that is a
    # failure; otherwise it is told once for all (Summary.no_catalogue), not once per language.
    uncatalogued = [job for job in dict.fromkeys(jobs) if _no_catalogue(project, job)]
    for job in uncatalogued:
        _withdraw(_target(out, job, options), manifest)
        if not job.explicit_lang:
            summary.outcomes.append(Outcome(job, "skipped", no_catalogue=True))
    jobs = [job for job in jobs if job not in uncatalogued or job.explicit_lang]
    stamps = fingerprints(project, jobs, options)  # a job named twice is built once
    total = len(stamps)
    last_seconds: dict[Job, float] = {}  # of the jobs to build
    for job, stamp in stamps.items():
        target = _target(out, job, options)
        entry = manifest.get(target.name, {})
        if job in uncatalogued:
            message = no_catalogue_message(project, job.source, [job.lang])
            summary.outcomes.append(Outcome(job, "failed", f"{job.name}: {message}"))
            _report(report, summary.outcomes[-1], summary, total)
        elif not force and entry.get("inputs") == stamp and _intact(target, entry):
            summary.outcomes.append(Outcome(job, "unchanged", str(target)))
            _report(report, summary.outcomes[-1], summary, total)
        else:
            seconds = entry.get("seconds")
            last_seconds[job] = seconds if isinstance(seconds, int | float) else 0.0
    # Longest first (by the last build's times), so no worker is left alone with a long one.
    todo = sorted(last_seconds, key=lambda job: -last_seconds[job])
    try:  # an interrupted build still records the documents it finished
        with closing(_execute(project, todo, out, options, workers)) as outcomes:
            for outcome in outcomes:
                summary.outcomes.append(outcome)
                target = _target(out, outcome.job, options)
                if outcome.status == "built":
                    manifest[target.name] = {
                        "inputs": stamps[outcome.job],
                        "seconds": round(outcome.seconds, 2),
                        **outcome.written,
                    }
                else:
                    _withdraw(target, manifest)
                _report(report, outcome, summary, total)
        if complete:
            made = {_target(out, job, options).name for job in stamps}
            for name in set(manifest) - made:
                if name.endswith(f".{options.format}"):  # other formats are other builds
                    _withdraw(out / name, manifest)
    finally:
        if manifest != known:
            _write_manifest(manifest_path, manifest)
    summary.seconds = time.perf_counter() - started
    return summary


def _no_catalogue(project: Project, job: Job) -> bool:
    return job.lang != SOURCE_LANG and not catalog_path(
        project.locales_dir, job.lang, job.leaflet_id
    ).is_file()


def no_catalogue_notices(project: Project, summary: Summary) -> list[str]:
    """One line for the leaflets skipped in languages they have no catalogue in (one line per
    set of languages), instead of one per document."""
    by_languages: dict[tuple[str, ...], list[Path]] = {}
    for source, langs in summary.no_catalogue().items():
        by_languages.setdefault(tuple(sorted(langs)), []).append(source)
    return [
        f"{', '.join(leaflet_id(source) for source in sources)}: "
        + no_catalogue_message(project, sources[0], list(langs))
        for langs, sources in by_languages.items()
    ]


def no_catalogue_message(project: Project, source: Path, langs: list[str]) -> str:
    """Which languages have no catalogue for a leaflet yet, and how to start them."""
    new = [lang for lang in langs if lang not in project.languages()]
    start = "leaflet-gen i18n update" + "".join(f" --lang {lang}" for lang in new)
    how = (
        f"`{start}` starts {'it' if len(langs) == 1 else 'them'}"
        if source.parent == project.leaflets_dir
        else f"to translate it, put it in {project.leaflets_dir} and run `{start}`"
    )
    return f"no catalogue in {', '.join(langs)} yet ({how})"


def _withdraw(target: Path, manifest: dict[str, dict]) -> None:
    """Delete an output this build did not make, and forget it."""
    manifest.pop(target.name, None)
    try:
        target.unlink(missing_ok=True)
    except OSError as exc:
        raise LeafletError(f"cannot withdraw an outdated file ({exc.strerror})", target) from None


def _target(out: Path, job: Job, options: Options) -> Path:
    return out / f"{job.name}.{options.format}"


def _report(report, outcome: Outcome, summary: Summary, total: int) -> None:
    if report:
        done = sum(1 for o in summary.outcomes if not o.no_catalogue)
        report(outcome, done, total)


def _execute(
    project: Project, jobs: list[Job], out: Path, options: Options, workers: int | None
) -> Iterable[Outcome]:
    allowed = workers or os.cpu_count() or 1
    if len(jobs) == 1 and allowed > 1 and options.format == "pdf":
        # one document from a cold start: a second process prepares its HTML meanwhile
        yield _run(project, jobs[0], out, options, cold_start=True)
        return
    count = min(allowed, len(jobs))
    if count <= 1:
        if jobs:
            _worker_start()
        for job in jobs:
            yield _run(project, job, out, options)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    prepare_fonts()  # build the font cache once, before the workers race for it
    # fork: a worker starts from this process as it is (spawn would import everything again);
    # named because Python 3.14 makes forkserver the default on Linux.
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        count, context, initializer=_pool_worker_start, initargs=(os.getpid(),)
    )
    try:
        futures = {pool.submit(_run, project, job, out, options): job for job in jobs}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:  # a worker was killed (out of memory…)
                outcome = Outcome(futures[future], "failed", "a worker process ended abruptly")
            yield outcome
    except BaseException:  # interrupted (Ctrl-C, SIGTERM): stop the workers, do not wait
        _stop_workers(context)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _stop_workers(context) -> None:
    """Send SIGTERM to every worker (each deletes its unfinished file) and wait for them."""
    workers = context.active_children()
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(timeout=5)


def _read_manifest(path: Path) -> dict[str, dict]:
    """Per output file: the fingerprint of its inputs and how long it took to build."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {name: entry for name, entry in data.items() if isinstance(entry, dict)}


def _write_manifest(path: Path, manifest: dict[str, dict]) -> None:
    from .pdf import write_atomically

    try:
        write_atomically(json.dumps(manifest, indent=1, sort_keys=True).encode(), path)
    except LeafletError as exc:
        print(f"leaflet-gen: warning: cannot save the manifest: {exc}", file=sys.stderr)
