"""MediaPipe's pose noise on the annotated real clips, measured as the synthetic walker's ``"mediapipe"`` preset
is checked (:func:`analysis.synthetic.measure_pose_noise`): one row per clip.

    .venv/bin/python benchmarks/pose_noise.py [--assets ../shared] [--model FILE]

Each annotated clip goes through the real pose worker (what ``gaitcoach analyze`` runs); the gait events are the
by-eye annotation (``tests/data/real_video_events/``).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "benchmarks")]

from analysis.synthetic import measure_pose_noise  # noqa: E402
from real_video_events import analyse_clip, asset_arguments  # noqa: E402
from real_video_truth import annotated_clips, true_events  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    asset_arguments(parser)
    args = parser.parse_args(argv)
    model = args.model or args.assets / "models" / "pose_landmarker_full.task"
    print(f"{'clip':30} {'fps':>5} {'jitter':>7} {'depth':>7} {'creep':>6} {'swapped':>8} {'run':>5}")
    for clip in annotated_clips():
        frames = [result.to_pose_frame() for result in analyse_clip(clip, args.assets, model).results]
        events = [(e.frame, e.foot, e.kind) for e in true_events(clip)]
        figures = measure_pose_noise(frames, events, side_view=clip.startswith("side_"))
        fps = (len(frames) - 1) / (frames[-1].t_s - frames[0].t_s)
        print(f"{Path(clip).stem:30} {fps:5.1f} {100 * figures.jitter_leg_fraction:6.2f}% "
              f"{100 * figures.depth_jitter_leg_fraction:6.2f}% {figures.heel_creep_fraction:6.2f} "
              f"{100 * figures.swapped_frame_fraction:7.1f}% {figures.swap_run_frames:5.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
