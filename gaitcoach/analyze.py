"""Headless analysis of a video file: the same pipeline as the live app, every frame, as fast as possible."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gaitcoach.export import (
    FRAME_BASE_COLUMNS,
    FRAMES_CSV,
    LANDMARK_COLUMNS,
    format_cell,
    landmark_cells,
    prepare_output_dir,
    write_csv,
)
from gaitcoach.sources import SourceError, VideoFileSource
from gaitcoach.worker import PoseResult, PoseWorker

ProgressCallback = Callable[[int, int | None, float], None]  # frames done, frames expected, fps so far


@dataclass
class AnalysisOutcome:
    video: Path
    out_dir: Path
    results: list[PoseResult]
    elapsed_s: float
    frames_expected: int
    error: SourceError | None = None  # a fault that ended the video early (frames before it were kept)
    written: list[Path] = field(default_factory=list)

    @property
    def frames_processed(self) -> int:
        return len(self.results)

    @property
    def frames_with_pose(self) -> int:
        return sum(result.pose_detected for result in self.results)

    @property
    def people_followed(self) -> int:
        return len({result.person_id for result in self.results if result.person_id is not None})

    def summary_text(self, *, model_label: str) -> str:
        processed = self.frames_processed
        found_pct = 100.0 * self.frames_with_pose / processed if processed else 0.0
        fps = processed / self.elapsed_s if self.elapsed_s > 0 else 0.0
        lines = [
            f"{self.video.name}: {processed} frames in {self.elapsed_s:.1f} s ({fps:.1f} fps, model {model_label})",
            f"  person found in {self.frames_with_pose} frames ({found_pct:.0f}%), "
            f"{self.people_followed} different {'person' if self.people_followed == 1 else 'people'} followed",
            *[f"  wrote {path}" for path in self.written],
        ]
        return "\n".join(lines)


def frame_rows(results: list[PoseResult]):
    for result in results:
        yield [
            format_cell(result.frame_index),
            format_cell(result.t_ms / 1000.0, 4),
            format_cell(result.pose_detected),
            *landmark_cells(result.image_landmarks),
        ]


def analyze_video(
    source: VideoFileSource,
    out_dir: Path,
    model_path: Path,
    *,
    progress: ProgressCallback | None = None,
) -> AnalysisOutcome:
    """Run pose estimation over every frame of ``source`` (closed when done) and write CSV files into ``out_dir``.

    Raises ExportError (output folder) before any work starts. A video that ends early (truncated) is analysed
    up to the damage; the outcome's ``error`` says so.
    """
    try:
        prepare_output_dir(out_dir)
    except Exception:
        source.close()
        raise
    results: list[PoseResult] = []
    finished = threading.Event()
    failure: list[BaseException | None] = [None]
    started = time.perf_counter()

    def on_result(result: PoseResult) -> None:
        results.append(result)
        if progress:
            elapsed = time.perf_counter() - started
            progress(len(results), source.info.frame_count or None, len(results) / elapsed if elapsed > 0 else 0.0)

    def on_finished(error: BaseException | None) -> None:
        failure[0] = error
        finished.set()

    worker = PoseWorker(source, model_path, on_result, on_finished, keep_images=False, process_every_frame=True)
    worker.start()
    try:
        finished.wait()
    finally:
        worker.stop()
    error = failure[0]
    if error is not None and not isinstance(error, SourceError):
        raise error
    outcome = AnalysisOutcome(source.path, out_dir, results, time.perf_counter() - started, source.info.frame_count, error)
    outcome.written.append(
        write_csv(out_dir / FRAMES_CSV, (*FRAME_BASE_COLUMNS, *LANDMARK_COLUMNS), frame_rows(results))
    )
    return outcome
