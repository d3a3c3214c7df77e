"""Headless analysis of a video file: the same pipeline as the live app, every frame, as fast as possible."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis.analyser import RecordingAnalysis, analyse_recording
from analysis.quality import QualityRow, people_followed, recording_quality
from gaitcoach.export import frame_row, prepare_output_dir, write_analysis, write_quality
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
    gait: RecordingAnalysis | None = None
    written: list[Path] = field(default_factory=list)

    @property
    def frames_processed(self) -> int:
        return len(self.results)

    @property
    def frames_with_pose(self) -> int:
        return sum(result.pose_detected for result in self.results)

    @property
    def people_followed(self) -> int:
        return people_followed(result.person_id for result in self.results)

    def summary_text(self, *, model_label: str) -> str:
        processed = self.frames_processed
        found_pct = 100.0 * self.frames_with_pose / processed if processed else 0.0
        fps = processed / self.elapsed_s if self.elapsed_s > 0 else 0.0
        lines = [
            f"{self.video.name}: {processed} frames in {self.elapsed_s:.1f} s ({fps:.1f} fps, model {model_label})",
            f"  person found in {self.frames_with_pose} frames ({found_pct:.0f}%), "
            f"{self.people_followed} different {'person' if self.people_followed == 1 else 'people'} followed",
            *self._gait_lines(),
            *[f"  wrote {path}" for path in self.written],
        ]
        return "\n".join(lines)


    def quality(self) -> list[QualityRow]:
        """quality.csv's rows (empty without an analysis)."""
        if self.gait is None:
            return []
        return recording_quality(self.gait, self.frames_with_pose, [result.person_id for result in self.results])

    def _gait_lines(self) -> list[str]:
        if self.gait is None:
            return []
        rows = {row.metric: row for row in self.gait.summary}
        quality = {row.metric: row.value for row in self.quality()}
        lines = [
            f"  data quality: {quality['measured_pct']:.0f}% of frames measured "
            f"({quality['not_measured_feet_out_of_picture']} with feet out of the picture, "
            f"{quality['not_measured_not_upright']} not upright, {quality['not_measured_odd_proportions']} with odd "
            f"body proportions), {quality['people_measured']} "
            f"{'person' if quality['people_measured'] == 1 else 'people'} measured for a second or more; seen facing "
            f"{quality['view_facing_pct']:.0f}%, "
            f"back {quality['view_back_pct']:.0f}%, side-on {quality['view_side_pct']:.0f}%",
            f"  steps: {len(self.gait.steps)}" + (
                f" (and {quality['contacts_of_other_people_left_out']:.0f} "
                f"contact{'' if quality['contacts_of_other_people_left_out'] == 1 else 's'} of someone else left out)"
                if quality["contacts_of_other_people_left_out"] else ""),
        ]
        for metric, label in (
            ("cadence_steps_per_min", "cadence"),
            ("step_time_s", "step time"),
            ("knee_fppa_peak_deg", "knee FPPA peak"),
        ):
            row = rows.get(metric)
            if row is None or row.overall != row.overall:  # NaN: not measurable in this video's views
                continue
            per_foot = "" if row.left != row.left else f" (left {row.left:.2f}, right {row.right:.2f})"
            lines.append(f"  {label}: {row.overall:.2f} {row.unit}{per_foot}")
        return lines


def frame_rows(results: list[PoseResult], gait: RecordingAnalysis):
    for result, metrics in zip(results, gait.frames, strict=True):
        yield frame_row(result.frame_index, result.t_ms / 1000.0, result.image_landmarks, metrics)


def analyze_video(
    source: VideoFileSource,
    out_dir: Path,
    model_path: Path,
    *,
    progress: ProgressCallback | None = None,
    user_height_m: float | None = None,
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
    gait = analyse_recording([result.to_pose_frame() for result in results], user_height_m=user_height_m)
    outcome = AnalysisOutcome(
        source.path, out_dir, results, time.perf_counter() - started, source.info.frame_count, error, gait
    )
    outcome.written.extend(write_analysis(out_dir, frame_rows(results, gait), gait.steps, gait.summary))
    outcome.written.append(write_quality(out_dir, outcome.quality()))
    return outcome
