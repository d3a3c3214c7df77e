"""What the analysis produces, as frozen dataclasses with units in the names: ``FrameMetrics`` (one frame's
angles), ``StepMetrics`` (one step) and ``SummaryRow`` (one summary figure), and how measured values are combined.

The three types have exactly the fields named in ``analysis.columns``. A value that does not apply in the frame's
view, or could not be measured (missing or low-visibility landmarks), is NaN (``None`` never means zero, and zero
never means "unknown"); ``nan_mean`` and friends combine only what was measured.

Sign conventions (see ``analysis.thresholds.FORMULAS`` for the formulas and sources):

* knee FPPA: angle between thigh and shank in the image, + = knee medial of the hip-ankle line (valgus).
* knee flexion: angle between thigh and shank in the side-view image, + = flexed.
* pelvic obliquity: + = left hip higher than the right; pelvic drop: + = the swing side's hip lower.
* trunk lean: frontal view + = toward the person's right; side view + = forward (toward the walking direction).
* foot progression: + = toe out.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from analysis.columns import FRAME_GAIT_COLUMNS, STEP_COLUMNS, SUMMARY_COLUMNS


@dataclass(frozen=True)
class FrameMetrics:
    """Gait figures of one frame (the gait columns of frames.csv, ``analysis.columns.FRAME_GAIT_COLUMNS``).

    Attributes
    ----------
    view
        ``analysis.types.View`` of the frame; every other figure is valid for this view only.
    yaw_deg
        Body yaw, 0 = facing the camera, +90 = walking toward the image's left.
    knee_fppa_left_deg, knee_fppa_right_deg
        Frontal-plane projection angle (Munro et al. 2012), + = valgus; frontal views only.
    knee_flexion_left_deg, knee_flexion_right_deg
        Knee flexion, side views only.
    pelvic_obliquity_deg
        + = left hip higher; frontal views only.
    trunk_lean_deg
        Frontal: lateral lean, + = toward the person's right. Side: forward lean, + = forward.
    foot_progression_left_deg, foot_progression_right_deg
        Foot angle to the walking direction, + = toe out (meaningful while the foot is on the ground); frontal
        views only (from the world landmarks' depth, which MediaPipe does not get right side-on).
    cadence_steps_per_min
        Cadence over the last ``CADENCE_WINDOW_STEPS`` steps confirmed so far.
    """

    view: str
    yaw_deg: float
    knee_fppa_left_deg: float
    knee_fppa_right_deg: float
    knee_flexion_left_deg: float
    knee_flexion_right_deg: float
    pelvic_obliquity_deg: float
    trunk_lean_deg: float
    foot_progression_left_deg: float
    foot_progression_right_deg: float
    cadence_steps_per_min: float


@dataclass(frozen=True)
class StepMetrics:
    """One step: the swing of ``foot`` that ends in its initial contact, and the stance that follows, up to TO.

    Attributes
    ----------
    step
        0-based number of the step.
    foot
        ``"left"`` or ``"right"``.
    ic_frame, ic_t_s, to_frame, to_t_s
        Nearest frame index and sub-frame time of the initial contact and of the toe off ending the stance; the
        toe off's are NaN when it was not seen (e.g. it fell in a turn, or the bout ended first): such a step keeps
        its IC figures, and every figure of its stance is NaN.
    step_time_s
        Contralateral IC to this IC (left step time = right IC -> left IC); NaN at the start of a bout.
    stance_time_s, swing_time_s
        IC -> TO of this foot; this foot's previous TO -> this IC (NaN when that TO was not seen).
    step_length_leg, step_length_m
        Side view: heel-to-heel distance along the walking direction at IC, in leg lengths (hip-to-ankle) and in
        metres (``LEG_LENGTH_PER_HEIGHT * user_height_m`` per leg length; NaN when the height is unknown).
    knee_fppa_deg
        Frontal view: peak FPPA of this knee over mid-stance (the middle half of the stance), signed: the value of
        largest magnitude after a ``PEAK_SMOOTHING_S`` moving average (+ = valgus, - = varus).
    knee_flexion_ic_deg
        Side view: knee flexion at IC.
    pelvic_drop_deg
        Frontal view: peak drop of the swing-side hip during this foot's single support.
    foot_progression_deg
        Frontal view: median foot progression angle over mid-stance, + = toe out.
    view
        The view of the stance (a step never mixes views); the view at IC when the toe off was not seen.
    """

    step: int
    foot: str
    ic_frame: int
    ic_t_s: float
    to_frame: int | float  # NaN without a toe off
    to_t_s: float
    step_time_s: float
    stance_time_s: float
    swing_time_s: float
    step_length_leg: float
    step_length_m: float
    knee_fppa_deg: float
    knee_flexion_ic_deg: float
    pelvic_drop_deg: float
    foot_progression_deg: float
    view: str


@dataclass(frozen=True)
class SummaryRow:
    """One row of summary.csv (``analysis.columns.SUMMARY_COLUMNS``); NaN where a cell does not apply."""

    metric: str
    left: float
    right: float
    overall: float
    symmetry_index_pct: float
    symmetry_index_low_pct: float
    symmetry_index_high_pct: float
    unit: str

    @property
    def lr_ratio(self) -> float:
        """Signed left/right ratio (> 1: the left value is larger); NaN when undefined."""
        return lr_ratio(self.left, self.right)


assert tuple(f.name for f in fields(FrameMetrics)) == FRAME_GAIT_COLUMNS
assert tuple(f.name for f in fields(StepMetrics)) == STEP_COLUMNS
assert tuple(f.name for f in fields(SummaryRow)) == SUMMARY_COLUMNS


def lr_ratio(left: float, right: float) -> float:
    """``left / right``; NaN if either is NaN or ``right`` is 0."""
    if not (math.isfinite(left) and math.isfinite(right)) or right == 0:
        return math.nan
    return left / right


def nan_mean(values) -> float:
    """Mean of the finite values, NaN (silently) when there are none."""
    a = np.asarray(values, dtype=float)
    a = a[np.isfinite(a)]
    return float(a.mean()) if a.size else math.nan


def nan_max(a: np.ndarray) -> float:
    a = a[np.isfinite(a)]
    return float(a.max()) if a.size else math.nan


def nan_median(values) -> float:
    """Median of the finite values, NaN (silently) when there are none."""
    a = np.asarray(values, dtype=float)
    a = a[np.isfinite(a)]
    return float(np.median(a)) if a.size else math.nan
