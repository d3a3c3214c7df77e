"""Live figures with frames dropped (issue 13): the annotated real clips and the synthetic walker, every frame vs
30 % and 50 % of the frames dropped (regular and random patterns, ``tests/frame_drops.py``). Run by hand:

    .venv/bin/python benchmarks/dropped_frames.py [--assets ../shared] [--model FILE] [--synthetic-only]

Real clips: the pose pipeline sees only the kept frames, each with its own capture time (as live, when the pose
thread is busy), and the live analyser runs over them; contacts (IC) and toe offs (TO) are scored against the by-eye
truth (``tests/data/real_video_events/``) in frames of the clip, as ``benchmarks/real_video_events.py`` does.
Synthetic: ``pose_noise="mediapipe"`` walks (side-on on a treadmill, toward and away from the camera, 20 s), scored
against the walker's true events. Deterministic: the same figures every run.
"""
from __future__ import annotations

import argparse
import math
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from analysis.synthetic import WalkerSpec, generate  # noqa: E402
from analysis.types import INITIAL_CONTACT, TOE_OFF  # noqa: E402
from frame_drops import DROP_PATTERNS, KeptFrames, live_analysis  # noqa: E402
from gaitcoach.sources import VideoFileSource  # noqa: E402
from gaitcoach.worker import PoseWorker  # noqa: E402
from real_video_truth import (  # noqa: E402
    TrueEvent, annotated_clips, score_kind, true_cadence_steps_per_min, true_events,
)

SYNTHETIC_WALKS = {
    "synthetic side treadmill": dict(direction="left", treadmill=True),
    "synthetic toward camera": dict(direction="toward"),
    "synthetic away from camera": dict(direction="away"),
}
SYNTHETIC_DURATION_S = 20.0


def pose_frames(video: Path, model: Path, pattern) -> list:
    """The pose pipeline over the kept frames of ``video`` (every kept frame processed, reproducibly)."""
    source = VideoFileSource(video)
    keep = pattern.kept(max(source.info.frame_count, 1) + 8)
    results, done = [], threading.Event()
    worker = PoseWorker(KeptFrames(source, keep), model, results.append, lambda error: done.set(),
                        keep_images=False, process_every_frame=True)
    worker.start()
    done.wait()
    worker.stop()
    return [result.to_pose_frame() for result in results]


def cadence(analyser) -> float:
    return {row.metric: row for row in analyser.summary()}["cadence_steps_per_min"].overall


def _cell(value: float, fmt: str = ".1f") -> str:
    return format(value, fmt) if math.isfinite(value) else "-"


def bias_frames(score) -> float:
    """Mean signed error (detected - true) of the contacts found, in frames of the clip."""
    return sum(score.errors_frames) / len(score.errors_frames) if score.errors_frames else math.nan


HEADER = (f"{'walk':30} {'frames':14} {'IC req':>6} {'<=1f':>5} {'<=2f':>5} {'feet':>5} {'false':>5} "
          f"{'bias f':>6} {'TO <=2f':>8} {'cadence (truth)':>16}")


def print_row(name: str, pattern, analyser, truth, fps: float, frame_of_t) -> None:
    events = list(analyser.events_)
    ic = score_kind(events, truth, INITIAL_CONTACT, frame_of_t)
    to = score_kind(events, truth, TOE_OFF, frame_of_t)
    print(f"{name:30} {pattern.label:14} {ic.required:6d} {ic.within_1:5d} {ic.within_2:5d} "
          f"{ic.feet_right:5d} {ic.false:5d} {_cell(bias_frames(ic), '+.1f'):>6} {to.within_2:4d}/{to.required:<3d} "
          f"{_cell(cadence(analyser)):>7} ({_cell(true_cadence_steps_per_min(truth, fps)):>6})", flush=True)


def real_rows(assets: Path, model: Path) -> None:
    for clip in annotated_clips():
        truth = true_events(clip)
        for pattern in DROP_PATTERNS:
            frames = pose_frames(assets / "testdata" / clip, model, pattern)
            t0 = frames[0].t_s
            fps = VideoFileSource(assets / "testdata" / clip).fps
            print_row(clip[:30], pattern, live_analysis(frames), truth, fps, lambda t: (t - t0) * fps)


def synthetic_truth(walk) -> list[TrueEvent]:
    """The walker's true events as by-eye annotations are held: (fractional) frame numbers of the walk."""
    return [TrueEvent(e.t_s * walk.spec.fps, e.foot, e.kind, "") for e in walk.events]


def synthetic_rows() -> None:
    for name, kwargs in SYNTHETIC_WALKS.items():
        walk = generate(WalkerSpec(duration_s=SYNTHETIC_DURATION_S, pose_noise="mediapipe", **kwargs))
        truth = synthetic_truth(walk)
        fps = walk.spec.fps
        for pattern in DROP_PATTERNS:
            keep = pattern.kept(len(walk.frames))
            analyser = live_analysis([f for f, k in zip(walk.frames, keep) if k], walk.spec.height_m)
            print_row(name, pattern, analyser, truth, fps, lambda t: t * fps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--synthetic-only", action="store_true")
    args = parser.parse_args(argv)
    print(HEADER)
    print("-" * len(HEADER))
    synthetic_rows()
    if not args.synthetic_only:
        real_rows(args.assets, args.model or args.assets / "models" / "pose_landmarker_full.task")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
