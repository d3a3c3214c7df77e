"""Gait events on real video against the by-eye truth set (``tests/data/real_video_events/``): one table.

    .venv/bin/python benchmarks/real_video_events.py [--assets ../shared] [--model FILE]

For each annotated clip it runs what ``gaitcoach analyze`` runs (the real MediaPipe pose worker, then
``analysis.analyser.analyse_recording``) and prints, for initial contacts (IC) and toe offs (TO): the required
(unexcused) events found within 1 and 2 frames, the feet right among those found, the events missed and the false
ones; then the cadence and the step-time symmetry index (SI) against the annotation's. The figures are
deterministic on one machine (the pose worker is); nothing here is timed.
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from analysis.types import INITIAL_CONTACT, TOE_OFF  # noqa: E402
from gaitcoach.analyze import analyze_video  # noqa: E402
from gaitcoach.sources import VideoFileSource  # noqa: E402
from real_video_truth import (  # noqa: E402
    annotated_clips, score_kind, true_cadence_steps_per_min, true_events, true_step_time_si_pct,
)


def analyse_clip(clip: str, assets: Path, model: Path):
    """What ``gaitcoach analyze`` gives for one clip of ``assets/testdata`` (the real pose worker and analysis)."""
    with tempfile.TemporaryDirectory() as out:
        outcome = analyze_video(VideoFileSource(assets / "testdata" / clip), Path(out), model)
    if outcome.error is not None:
        raise SystemExit(f"{clip}: {outcome.error}")
    return outcome


def asset_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--assets", type=Path, default=REPO.parent / "shared", help="folder with testdata/, models/")
    parser.add_argument("--model", type=Path, default=None, help="pose model (default: the assets' full model)")


def clip_row(clip: str, assets: Path, model: Path) -> dict:
    outcome = analyse_clip(clip, assets, model)
    t0 = outcome.results[0].t_ms / 1000.0
    fps = (len(outcome.results) - 1) / (outcome.results[-1].t_ms / 1000.0 - t0)
    truth = true_events(clip)
    summary = {row.metric: row for row in outcome.gait.summary}
    row = {"clip": clip, "fps": fps}
    for kind in (INITIAL_CONTACT, TOE_OFF):
        row[kind] = score_kind(list(outcome.gait.events), truth, kind, lambda t: (t - t0) * fps)
    row["cadence"] = summary["cadence_steps_per_min"].overall
    row["true_cadence"] = true_cadence_steps_per_min(truth, fps)
    row["si"] = summary["step_time_s"].symmetry_index_pct
    row["true_si"] = true_step_time_si_pct(truth, fps)
    return row


def _cell(value: float, fmt: str = ".1f") -> str:
    return format(value, fmt) if math.isfinite(value) else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    asset_arguments(parser)
    args = parser.parse_args(argv)
    model = args.model or args.assets / "models" / "pose_landmarker_full.task"
    rows = [clip_row(clip, args.assets, model) for clip in annotated_clips()]
    header = (f"{'clip':34} {'kind':4} {'req':>4} {'<=1f':>5} {'<=2f':>5} {'feet':>5} {'miss':>5} {'false':>5} "
              f"{'bias f':>7}   {'cadence (truth)':>16} {'step-time SI % (truth)':>23}")
    print(header)
    print("-" * len(header))
    totals = {kind: [0, 0, 0, 0, 0, 0] for kind in (INITIAL_CONTACT, TOE_OFF)}
    for row in rows:
        for kind in (INITIAL_CONTACT, TOE_OFF):
            s = row[kind]
            bias = sum(s.errors_frames) / len(s.errors_frames) if s.errors_frames else math.nan
            extra = (f"   {_cell(row['cadence']):>7} ({_cell(row['true_cadence']):>6}) "
                     f"{_cell(row['si']):>12} ({_cell(row['true_si']):>6})") if kind == INITIAL_CONTACT else ""
            print(f"{row['clip']:34} {kind:4} {s.required:4d} {s.within_1:5d} {s.within_2:5d} {s.feet_right:5d} "
                  f"{s.missed:5d} {s.false:5d} {_cell(bias, '+.2f'):>7}{extra}")
            for i, v in enumerate((s.required, s.within_1, s.within_2, s.feet_right, s.missed, s.false)):
                totals[kind][i] += v
    print("-" * len(header))
    for kind, (req, w1, w2, feet, miss, false) in totals.items():
        share = (lambda n, d: f"{100.0 * n / d:.0f}%" if d else "-")
        print(f"{'all clips':34} {kind:4} {req:4d} {w1:5d} {w2:5d} {feet:5d} {miss:5d} {false:5d}   "
              f"within 1 frame {share(w1, req)}, within 2 {share(w2, req)}, feet right {share(feet, w2)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
