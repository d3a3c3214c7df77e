"""``gaitcoach analyze VIDEO [VIDEO ...] [--jobs N]``: each video analysed by :func:`analyze_one`, several at once in
worker processes (MediaPipe's inference of one video keeps about one core busy), with one progress line per file.

A video's output does not depend on how it was run: the pose worker processes every frame reproducibly, so the
files are byte for byte those of one-at-a-time analysis. A bad video is reported and the others are still done;
the exit code combines them (``EXIT_BAD_INPUT`` if any input was bad).
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gaitcoach.analyze import ProgressCallback

EXIT_OK = 0
EXIT_INTERNAL_ERROR = 1
EXIT_BAD_INPUT = 2


@dataclass(frozen=True)
class AnalyzeJob:
    """One video to analyse and what to do with it (everything already checked by the command line)."""

    video: Path
    out_dir: Path
    model_path: Path
    model_label: str
    user_height_m: float | None = None
    person: str | None = None
    save: bool = False


@dataclass(frozen=True)
class JobResult:
    exit_code: int
    text: str  # what the analysis says (stdout)
    error: str = ""  # one line for stderr, or ""


def output_dirs(videos: list[Path], out: str | None) -> list[Path]:
    """Where each video's files go: ``--out`` itself for one video; otherwise ``<out or .>/<stem>-gaitcoach``.
    Raises ValueError when two videos would share a folder."""
    if len(videos) == 1 and out:
        return [Path(out)]
    parent = Path(out) if out else Path.cwd()
    dirs = [parent / f"{video.stem}-gaitcoach" for video in videos]
    seen: dict[Path, Path] = {}
    for video, folder in zip(videos, dirs):
        if folder in seen:
            raise ValueError(f"{seen[folder]} and {video} would both write to {folder}: analyse them separately, "
                             f"each with its own --out")
        seen[folder] = video
    return dirs


def analyze_one(job: AnalyzeJob, progress: ProgressCallback | None = None) -> JobResult:
    """Analyse one video (and store it with ``job.save``); errors become a one-line message and an exit code."""
    from gaitcoach.analyze import analyze_video
    from gaitcoach.export import ExportError
    from gaitcoach.models import ModelError
    from gaitcoach.sources import SourceError, VideoFileSource
    from gaitcoach.store import StoreError

    try:
        outcome = analyze_video(VideoFileSource(job.video, paced=False), job.out_dir, job.model_path,
                                user_height_m=job.user_height_m, progress=progress)
        text = outcome.summary_text(model_label=job.model_label)
        if job.save:
            from gaitcoach.sessions_cli import save_analysis

            text += "\n" + save_analysis(outcome, job.model_label, job.user_height_m, job.person)
    except (SourceError, ExportError, ModelError, StoreError) as error:
        return JobResult(EXIT_BAD_INPUT, "", str(error))
    if outcome.error is not None:
        return JobResult(EXIT_BAD_INPUT, text, f"{outcome.error} (the {outcome.frames_processed} frames before it "
                                               f"were analysed and written)")
    return JobResult(EXIT_OK, text)


def combined_exit_code(codes: list[int]) -> int:
    """Bad input anywhere: ``EXIT_BAD_INPUT``; else an internal error anywhere: ``EXIT_INTERNAL_ERROR``; else 0."""
    if EXIT_BAD_INPUT in codes:
        return EXIT_BAD_INPUT
    return EXIT_INTERNAL_ERROR if any(codes) else EXIT_OK


# --- several videos at once --------------------------------------------------------------------------------------

_progress_queue = None  # in a worker process: where progress goes


def _init_worker(queue) -> None:
    global _progress_queue
    _progress_queue = queue


def _run_in_worker(index: int, job: AnalyzeJob) -> JobResult:
    last_sent = [0.0]

    def progress(done: int, total: int | None, fps: float) -> None:
        now = time.monotonic()
        if now - last_sent[0] >= 0.2 or (total and done >= total):
            last_sent[0] = now
            _progress_queue.put((index, done, total, fps))

    try:
        return analyze_one(job, progress)
    except Exception as error:  # noqa: BLE001 - reported for this file; the others go on
        return JobResult(EXIT_INTERNAL_ERROR, "", f"internal error: {type(error).__name__}: {error}")


class ProgressLines:
    """One line per file on a terminal, redrawn in place (at most 5 times a second); nothing elsewhere."""

    def __init__(self, names: list[str], stream=None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.lines = [f"{name}: waiting" for name in names]
        self.names = names
        self._drawn = False
        self._last_draw_s = 0.0

    def update(self, index: int, text: str, *, force: bool = False) -> None:
        self.lines[index] = f"{self.names[index]}: {text}"
        now = time.monotonic()
        if self.enabled and (force or now - self._last_draw_s >= 0.2):
            self._last_draw_s = now
            self._draw()

    def _draw(self) -> None:
        up = f"\033[{len(self.lines)}F" if self._drawn else ""
        self.stream.write(up + "".join(f"{line}\033[K\n" for line in self.lines))
        self.stream.flush()
        self._drawn = True

    def finish(self) -> None:
        if self.enabled:
            self._draw()


def _progress_text(done: int, total: int | None, fps: float) -> str:
    share = f" ({100.0 * min(1.0, done / total):.0f}%)" if total else ""
    return f"{done}/{total or '?'} frames{share}, {fps:.0f} fps"


def run_jobs(jobs: list[AnalyzeJob], workers: int, out=None, err=None) -> int:
    """Analyse every job, ``workers`` at a time in separate processes; print each file's text (in input order, as
    soon as it and the ones before it are done) and errors; return the combined exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    names = [job.video.name for job in jobs]
    lines = ProgressLines(names, err)
    context = multiprocessing.get_context("spawn")  # MediaPipe's threads do not survive a fork
    queue = context.Queue()
    results: list[JobResult | None] = [None] * len(jobs)
    printed = 0
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                             initargs=(queue,)) as pool:
        futures = [pool.submit(_run_in_worker, index, job) for index, job in enumerate(jobs)]
        while printed < len(jobs):
            while not queue.empty():
                index, done, total, fps = queue.get()
                lines.update(index, _progress_text(done, total, fps))
            for index, future in enumerate(futures):
                if results[index] is None and future.done():
                    try:
                        results[index] = future.result()
                    except Exception as error:  # noqa: BLE001 - a worker process died
                        results[index] = JobResult(EXIT_INTERNAL_ERROR, "", f"internal error: {error}")
                    lines.update(index, "done" if results[index].exit_code == EXIT_OK else "failed", force=True)
            while printed < len(jobs) and results[printed] is not None:
                result = results[printed]
                if not lines.enabled:
                    report(result, names[printed], out, err)
                printed += 1
            time.sleep(0.05)
    lines.finish()
    if lines.enabled:  # the progress block stayed in place; the reports follow it
        for name, result in zip(names, results):
            report(result, name, out, err)
    return combined_exit_code([result.exit_code for result in results])


def report(result: JobResult, name: str | None, out, err) -> None:
    """Print a file's text and its error (named when several files are analysed)."""
    if result.text:
        print(result.text, file=out, flush=True)
    if result.error:
        print(f"gaitcoach: {name + ': ' if name else ''}{result.error}", file=err, flush=True)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
