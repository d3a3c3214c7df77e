"""Headless analysis of a video file: the same pipeline as the live app, every frame, as fast as possible."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis.analyser import RecordingAnalysis, analyse_recording
from analysis.quality import QualityRow, people_followed, recording_quality
from analysis.thresholds import MIN_RECORDING_S, MIN_VIDEO_FPS
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
    frame_intervals_ms: tuple[float, float] | None = None  # the shortest and longest, where the rate varied

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
            f"{self.video.name}: {processed} frame{'' if processed == 1 else 's'} in {self.elapsed_s:.1f} s "
            f"({fps:.1f} fps, model {model_label})",
            f"  person found in {self.frames_with_pose} frames ({found_pct:.0f}%), "
            f"{self.people_followed} different {'person' if self.people_followed == 1 else 'people'} followed",
            *self._timing_lines(),
            *self._gait_lines(),
            *[f"  wrote {path}" for path in self.written],
        ]
        return "\n".join(lines)


    def _timing_lines(self) -> list[str]:
        if self.frame_intervals_ms is None:
            return []
        shortest, longest = self.frame_intervals_ms
        return [f"  note: the frame rate varies ({1000.0 / longest:.0f}-{1000.0 / shortest:.0f} fps); each frame's own "
                f"time in the video is used"]

    def no_steps_reason(self) -> str | None:
        """Why no step was found (None: some were, or there was no analysis)."""
        if self.gait is None or self.gait.steps:
            return None
        t = [result.t_ms / 1000.0 for result in self.results]
        duration_s = t[-1] - t[0] if len(t) > 1 else 0.0
        if duration_s < MIN_RECORDING_S:
            return (f"the video is too short: {len(t)} frame{'' if len(t) == 1 else 's'}, {duration_s:.1f} s (a few "
                    f"steps need at least {MIN_RECORDING_S:g} s)")
        fps = (len(t) - 1) / duration_s
        if fps < MIN_VIDEO_FPS:
            return f"too few frames per second: {fps:.0f} (steps need at least {MIN_VIDEO_FPS:g})"
        if not self.frames_with_pose:
            return "nobody was found in the picture"
        return "nobody walked with the whole body in view (feet included)"

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
            f"  steps: {len(self.gait.steps)}" + (f": {self.no_steps_reason()}" if not self.gait.steps else "") + (
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
        source.path, out_dir, results, time.perf_counter() - started, source.info.frame_count, error, gait,
        frame_intervals_ms=source.frame_intervals_ms if source.irregular_timing else None,
    )
    outcome.written.extend(write_analysis(out_dir, frame_rows(results, gait), gait.steps, gait.summary))
    outcome.written.append(write_quality(out_dir, outcome.quality()))
    return outcome
