"""How good a recording's data was (``quality.csv``): what share of it could be measured, why the rest could not,
who was followed and from where, and how many steps the figures rest on. Pure Python: ``gaitcoach analyze``
writes it, and a reader can tell a figure built on poor data from one built on a good walk.
"""
from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass

from analysis.analyser import FEET_OUT_OF_FRAME, NOT_UPRIGHT, ODD_PROPORTIONS, RecordingAnalysis
from analysis.thresholds import MIN_PERSON_MEASURED_S, QUALITY_MIN_PERSON_SEEN_PCT, QUALITY_MOSTLY_ONE_VIEW_PCT
from analysis.types import View

QUALITY_COLUMNS: tuple[str, ...] = ("metric", "value", "unit")


@dataclass(frozen=True)
class QualityRow:
    """One row of quality.csv."""

    metric: str
    value: float
    unit: str


def _pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else math.nan


def people_followed(person_ids) -> int:
    """How many different people were followed (``person_ids``: the pose worker's person per frame, None where
    nobody or unknown): every change of the followed person counts."""
    return len({pid for pid in person_ids if pid is not None})


def people_measured(recording: RecordingAnalysis, person_ids) -> int:
    """How many different people were measured for at least ``MIN_PERSON_MEASURED_S`` (``person_ids``: the pose
    worker's person per frame, None where unknown)."""
    t = recording.t_s
    frame_s = statistics.median(b - a for a, b in zip(t, t[1:])) if len(t) > 1 else math.nan
    frames = Counter(pid for pid, measured in zip(person_ids, recording.measured, strict=True)
                     if measured and pid is not None)
    return sum(count * frame_s >= MIN_PERSON_MEASURED_S for count in frames.values())


def recording_quality(recording: RecordingAnalysis, frames_with_pose: int, person_ids) -> list[QualityRow]:
    """The quality rows of one analysed recording.

    Parameters
    ----------
    recording
        ``analyse_recording``'s result (its frames, gated frames and steps).
    frames_with_pose, person_ids
        From the pose worker: frames in which a person was found, and the person followed in each frame (None
        where nobody or unknown).
    """
    frames = len(recording.frames)
    gated = recording.gated_frames
    measured = sum(recording.measured)
    views = [m.view for m in recording.frames]
    side = sum(v in View.SIDE for v in views)
    return [
        QualityRow("frames", frames, "frames"),
        QualityRow("person_found_pct", _pct(frames_with_pose, frames), "%"),
        QualityRow("measured_pct", _pct(measured, frames), "%"),
        QualityRow("not_measured_feet_out_of_picture", gated.get(FEET_OUT_OF_FRAME, 0), "frames"),
        QualityRow("not_measured_not_upright", gated.get(NOT_UPRIGHT, 0), "frames"),
        QualityRow("not_measured_odd_proportions", gated.get(ODD_PROPORTIONS, 0), "frames"),
        QualityRow("people_followed", people_followed(person_ids), "people"),
        QualityRow("people_measured", people_measured(recording, person_ids), "people"),
        QualityRow("contacts_of_other_people_left_out", recording.other_people_contacts, "contacts"),
        QualityRow("view_facing_pct", _pct(views.count(View.FACING), frames), "%"),
        QualityRow("view_back_pct", _pct(views.count(View.BACK), frames), "%"),
        QualityRow("view_side_pct", _pct(side, frames), "%"),
        QualityRow("steps", len(recording.steps), "steps"),
        QualityRow("steps_with_toe_off", sum(math.isfinite(s.to_t_s) for s in recording.steps), "steps"),
    ]


def data_notes(frames: int, frames_with_pose: int, facing: int, back: int, side: int, steps: int,
               has_symmetry: bool) -> tuple[str, ...]:
    """What a reader of a session's figures should know about its data, in a few words each (empty: nothing to
    say): ``frames`` in all, with a pose, and seen facing, from the back and side-on; ``steps`` counted; whether
    it has a step-time symmetry figure (``SYMMETRY_MIN_STEPS_PER_SIDE`` step times a side)."""
    notes = []
    seen_pct = _pct(frames_with_pose, frames)
    if seen_pct < QUALITY_MIN_PERSON_SEEN_PCT:  # (NaN without frames: nothing to say)
        notes.append(f"you were seen in {seen_pct:.0f} % of it")
    if not steps:
        notes.append("no steps")
    elif not has_symmetry:
        notes.append("few steps: no symmetry")
    if _pct(side, facing + back + side) >= QUALITY_MOSTLY_ONE_VIEW_PCT:
        notes.append("side-on: no knee figures")  # knee alignment, the coach's first figure, needs a frontal view
    return tuple(notes)
