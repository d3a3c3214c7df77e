"""Per-frame angles, per-step metrics and the session summary, as frozen dataclasses with units in the names.

``FrameMetrics``, ``StepMetrics`` and ``SummaryRow`` have exactly the fields named in ``analysis.columns``. A value
that does not apply in the frame's view, or could not be measured (missing or low-visibility landmarks), is NaN
(``None`` never means zero, and zero never means "unknown").

Sign conventions (see ``analysis.thresholds.FORMULAS`` for the formulas and sources):

* knee FPPA: angle between thigh and shank in the image, + = knee medial of the hip-ankle line (valgus).
* knee flexion: angle between thigh and shank in the side-view image, + = flexed.
* pelvic obliquity: + = left hip higher than the right; pelvic drop: + = the swing side's hip lower.
* trunk lean: frontal view + = toward the person's right; side view + = forward (toward the walking direction).
* foot progression: + = toe out.
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np
from scipy.special import stdtrit

from analysis.columns import FRAME_GAIT_COLUMNS, STEP_COLUMNS, SUMMARY_COLUMNS, SUMMARY_METRICS, SYMMETRY_METRICS
from analysis.events import other_foot
from analysis.landmarks import (
    LEFT_ANKLE, LEFT_FOOT_INDEX, LEFT_HEEL, LEFT_HIP, LEFT_KNEE, LEFT_SHOULDER,
    RIGHT_ANKLE, RIGHT_FOOT_INDEX, RIGHT_HEEL, RIGHT_HIP, RIGHT_KNEE, RIGHT_SHOULDER,
)
from analysis.thresholds import (
    MIN_VISIBILITY,
    CADENCE_WINDOW_STEPS,
    LEG_LENGTH_PER_HEIGHT,
    MAX_STEP_TIME_S,
    KNEE_NEAR_EXTENSION_DEG,
    MAX_STANCE_STEP_TIMES,
    MIDSTANCE_FRACTION,
    PEAK_SMOOTHING_S,
    SYMMETRY_CONFIDENCE,
    SYMMETRY_MIN_STEPS_PER_SIDE,
    check_user_height_m,
)
from analysis.types import INITIAL_CONTACT, LEFT, RIGHT, GaitEvent, View
from analysis.view import left_direction_xz

# Landmarks the analysis uses (the others are never smoothed nor read).
USED_LANDMARKS: tuple[int, ...] = (
    LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP, LEFT_KNEE, RIGHT_KNEE,
    LEFT_ANKLE, RIGHT_ANKLE, LEFT_HEEL, RIGHT_HEEL, LEFT_FOOT_INDEX, RIGHT_FOOT_INDEX,
)

# Per-frame event signals, computed from each frame's *raw* landmarks (``event_signals``) and smoothed as signals:
# smoothing a labelled heel track across one of MediaPipe's left/right leg swaps would blend both feet, whereas
# "the more forward heel" does not care which label it has.
EVENT_SIGNALS: tuple[str, ...] = (
    "heel_front",  # the more forward heel, pelvis-relative along the walking direction, leg lengths
    "toe_back",  # the more backward toe, same units
    "heel_lift_left",  # side view: left heel height minus right heel height in the image, leg lengths
    "heel_lead_left",  # left heel ahead of the right one along the walking direction, leg lengths
    "heel_spread_visible",  # side view: |heel to heel| along the walking direction (both visible), leg lengths
    "knee_flexion_front_deg",  # side view: knee flexion of the leg whose heel is in front
    "knee_flexion_max_deg",  # side view: the more flexed knee
    # Frontal views: each labelled foot's heel and toe in the image (px) and the leg length in the image (px), for
    # contacts from a foot standing still in the picture (``analysis.events.SwingDetector``).
    "heel_left_x_px", "heel_left_y_px", "heel_right_x_px", "heel_right_y_px",
    "toe_left_x_px", "toe_left_y_px", "toe_right_x_px", "toe_right_y_px",
    "leg_px",
)
# The frontal views' foot signals, (heel x, heel y, toe x, toe y) per foot.
FOOT_IMAGE_SIGNALS: dict[str, tuple[str, str, str, str]] = {
    foot: (f"heel_{foot}_x_px", f"heel_{foot}_y_px", f"toe_{foot}_x_px", f"toe_{foot}_y_px") for foot in ("left", "right")}
# Per-sample features, in this order (the rows analysis.analyser feeds to StepBuilder).
FEATURES: tuple[str, ...] = EVENT_SIGNALS + (
    "knee_fppa_left_deg", "knee_fppa_right_deg", "knee_flexion_left_deg", "knee_flexion_right_deg",
    "pelvic_obliquity_deg", "trunk_lean_deg", "foot_progression_left_deg", "foot_progression_right_deg",
    "yaw_deg",
    # Frontal views: the knee's bend in MediaPipe's 3-D world landmarks (not a figure: its depth is too noisy; it
    # only tells a straight knee from a bent one, for the FPPA).
    "knee_bend_world_left_deg", "knee_bend_world_right_deg",
)
F = {name: i for i, name in enumerate(FEATURES)}
EV = {name: i for i, name in enumerate(EVENT_SIGNALS)}


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


# --- Formulas -------------------------------------------------------------------------------------------------

def symmetry_index_pct(left: float, right: float) -> float:
    """Robinson et al. 1987: ``100 * |L - R| / (0.5 * (L + R))`` of two positive quantities; NaN if either is NaN
    or not positive (a percentage of a signed angle's near-zero mean means nothing)."""
    if not (math.isfinite(left) and math.isfinite(right)) or left <= 0 or right <= 0:
        return math.nan
    return 100.0 * abs(left - right) / (0.5 * (left + right))


class SymmetryIndex(NamedTuple):
    """A symmetry index with its confidence interval, all in % and >= 0; NaN where it is not stated."""

    si_pct: float
    low_pct: float
    high_pct: float

    def text(self, fmt: str = ".0f", missing: str = "\u2013") -> str:
        """``"14 % (9-19)"``: the SI and its interval as people read them (``missing`` without an SI; the SI
        alone without an interval, e.g. a session stored before GaitCoach gave one)."""
        if not math.isfinite(self.si_pct):
            return missing
        return f"{self.si_pct:{fmt}} % {self.interval_text(fmt)}".rstrip()

    def interval_text(self, fmt: str = ".0f") -> str:
        """``"(9-19)"``, or ``""`` without an interval."""
        if not (math.isfinite(self.low_pct) and math.isfinite(self.high_pct)):
            return ""
        return f"({self.low_pct:{fmt}}-{self.high_pct:{fmt}})"


NO_SYMMETRY = SymmetryIndex(math.nan, math.nan, math.nan)


def symmetry_index_interval(values, feet, min_per_side: int = SYMMETRY_MIN_STEPS_PER_SIDE,
                            confidence: float = SYMMETRY_CONFIDENCE) -> SymmetryIndex:
    """Symmetry index of the left and right means of per-step ``values``, with its ``confidence`` interval.

    Parameters
    ----------
    values, feet
        One value (a positive quantity: a time, a length) and its foot (``LEFT``/``RIGHT``) per step, in step
        order; NaN values are left out and break the pairing of their neighbours.
    min_per_side
        Fewer finite values on either side: no SI at all (``NO_SYMMETRY``).

    Notes
    -----
    With ``r = ln(L / R)`` of the two means, the signed SI is ``200 (L - R) / (L + R) = 200 tanh(r / 2)``. The
    interval is a t interval on ``r`` (delta method: relative variances, Welch-Satterthwaite degrees of freedom)
    mapped through ``200 tanh(r / 2)``, which keeps it inside (-200, 200) and exact at the ends, then folded onto
    ``|SI|``: 0 to the larger magnitude when it spans 0, else from the smaller to the larger magnitude.

    Neighbouring steps share an event: a left step time ends at the contact that starts the next right one, so
    an error in that contact lengthens one and shortens the other. Their covariance is negative and makes the
    two means' difference vary more (about twice as much for pure contact jitter) than independent samples
    would: the variance adds ``-2 cov(mean_L, mean_R)``, estimated from the products of neighbouring
    opposite-foot residuals. Only a negative sum is used, so the interval is never narrower than Welch's.

    Coverage of the true SI (``benchmarks/si_interval.py``, 200 walks a case, 4-12 step times a side): contacts
    with 0.5-1 frame of jitter at 30 fps, 89-98 % (Welch alone 80-92 %); the analyser on the synthetic walker
    (step-time jitter 0.6 frames, neighbour correlation -0.52 as pure contact jitter gives), 88-94 % for even
    walks and 82-86 % for a 15 % limp, which it reads as about 13.5 %: a bias no spread estimate can see.
    Cost: a few vector operations over the window, fine per step.
    """
    v = np.asarray(values, dtype=float)
    is_left = np.array([f == LEFT for f in feet], dtype=bool)
    is_right = np.array([f == RIGHT for f in feet], dtype=bool)
    ok = np.isfinite(v)
    left, right = v[ok & is_left], v[ok & is_right]
    n_l, n_r = left.size, right.size
    if min(n_l, n_r) < max(2, min_per_side):
        return NO_SYMMETRY
    mean_l, mean_r = float(left.mean()), float(right.mean())
    if mean_l <= 0 or mean_r <= 0:
        return NO_SYMMETRY
    rel = np.where(is_left, v / mean_l - 1.0, v / mean_r - 1.0)  # relative residuals; NaN where not measured
    a_l, a_r = float(rel[ok & is_left].var(ddof=1)) / n_l, float(rel[ok & is_right].var(ddof=1)) / n_r
    neighbours = np.isfinite(rel[:-1]) & np.isfinite(rel[1:]) & (is_left[:-1] != is_left[1:])
    cross = min(0.0, float(np.sum(rel[:-1][neighbours] * rel[1:][neighbours]))) / (n_l * n_r)
    var_r = a_l + a_r - 2.0 * cross
    r = math.log(mean_l / mean_r)
    si = 200.0 * math.tanh(0.5 * r)
    if var_r <= 0:  # identical values on each side: no spread to speak of
        return SymmetryIndex(abs(si), abs(si), abs(si))
    dof = (a_l + a_r) ** 2 / (a_l ** 2 / (n_l - 1) + a_r ** 2 / (n_r - 1))  # Welch-Satterthwaite
    half = float(stdtrit(dof, 0.5 + 0.5 * confidence)) * math.sqrt(var_r)
    ends = 200.0 * math.tanh(0.5 * (r - half)), 200.0 * math.tanh(0.5 * (r + half))
    low = 0.0 if ends[0] <= 0.0 <= ends[1] else min(abs(ends[0]), abs(ends[1]))
    return SymmetryIndex(abs(si), low, max(abs(ends[0]), abs(ends[1])))


def lr_ratio(left: float, right: float) -> float:
    """``left / right``; NaN if either is NaN or ``right`` is 0."""
    if not (math.isfinite(left) and math.isfinite(right)) or right == 0:
        return math.nan
    return left / right


def leg_length_m(user_height_m: float | None) -> float:
    """Hip-to-ankle leg length from body height (Winter 2009); NaN when the height is unknown."""
    if check_user_height_m(user_height_m) is None:
        return math.nan
    return LEG_LENGTH_PER_HEIGHT * user_height_m


def nan_mean(values) -> float:
    """Mean of the finite values, NaN (silently) when there are none."""
    a = np.asarray(values, dtype=float)
    a = a[np.isfinite(a)]
    return float(a.mean()) if a.size else math.nan


def _nan_max(a: np.ndarray) -> float:
    a = a[np.isfinite(a)]
    return float(a.max()) if a.size else math.nan


def _smoothed_peak(t: np.ndarray, a: np.ndarray, window_s: float = PEAK_SMOOTHING_S) -> float:
    """Largest value of ``a`` after a centred moving average over ``window_s`` (NaN ignored): a peak that
    landmark jitter does not inflate (the maximum of raw noisy samples is biased upward)."""
    ok = np.isfinite(a)
    if not ok.any():
        return math.nan
    t, a = t[ok], a[ok]
    csum = np.concatenate([[0.0], np.cumsum(a)])
    lo = np.searchsorted(t, t - 0.5 * window_s, side="left")
    hi = np.searchsorted(t, t + 0.5 * window_s, side="right")
    return float(np.max((csum[hi] - csum[lo]) / (hi - lo)))


def _smoothed_signed_peak(t: np.ndarray, a: np.ndarray, window_s: float = PEAK_SMOOTHING_S) -> float:
    """The value of largest magnitude, with its sign, of ``a`` after the same centred moving average as
    ``_smoothed_peak`` (NaN ignored): a varus knee (negative FPPA) peaks negative."""
    ok = np.isfinite(a)
    if not ok.any():
        return math.nan
    t, a = t[ok], a[ok]
    csum = np.concatenate([[0.0], np.cumsum(a)])
    lo = np.searchsorted(t, t - 0.5 * window_s, side="left")
    hi = np.searchsorted(t, t + 0.5 * window_s, side="right")
    smooth = (csum[hi] - csum[lo]) / (hi - lo)
    return float(smooth[np.argmax(np.abs(smooth))])


def _nan_median(a: np.ndarray) -> float:
    a = a[np.isfinite(a)]
    return float(np.median(a)) if a.size else math.nan


# --- Per-frame features: one sample at a time, in plain floats ------------------------------------------------------
# A sample is one frame as a flat vector (``SAMPLE_LEN`` values): image x, y (px) of the used landmarks
# (``USED_LANDMARKS`` order), then their world x, y, z (m), then their visibility, then the frame's event signals
# (``EVENT_SIGNALS`` order). The analyser smooths whole samples as vectors (One Euro, local fit, Butterworth); every
# feature comes from one sample. The formulas use Python floats and ``math``: for the few numbers of one frame that
# is several times faster than numpy, whose per-call overhead dominates on arrays of 2-3 elements.
N_USED = len(USED_LANDMARKS)
SAMPLE_LANDMARKS_LEN = 6 * N_USED  # the landmark part of a sample (before the event signals)
SAMPLE_LEN = SAMPLE_LANDMARKS_LEN + len(EVENT_SIGNALS)
SAMPLE_IMAGE_WORLD_LEN = 5 * N_USED  # image then world coordinates: the part the live display smooths

_POS = {landmark: i for i, landmark in enumerate(USED_LANDMARKS)}  # landmark -> position in a sample's lists
_SHOULDER_L, _SHOULDER_R, _HIP_L, _HIP_R = (_POS[i] for i in (LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP))
_LEG = {LEFT: tuple(_POS[i] for i in (LEFT_HIP, LEFT_KNEE, LEFT_ANKLE, LEFT_HEEL, LEFT_FOOT_INDEX)),
        RIGHT: tuple(_POS[i] for i in (RIGHT_HIP, RIGHT_KNEE, RIGHT_ANKLE, RIGHT_HEEL, RIGHT_FOOT_INDEX))}
_HIP, _KNEE, _ANKLE, _HEEL, _TOE = range(5)  # positions in a _LEG entry
_SIDE_DIR = {View.SIDE_RIGHT: 1.0, View.SIDE_LEFT: -1.0}  # side views: image x sign of the walking direction
_DEPTH_DIR = {View.FACING: -1.0, View.BACK: 1.0}  # frontal views: world z sign of the walking direction
_NAN_2D, _NAN_3D = (math.nan, math.nan), (math.nan, math.nan, math.nan)


def landmark_fields(landmark: int) -> tuple[int, int, int, int, int, int]:
    """Where one used landmark's values sit in a sample: image x, y, world x, y, z, visibility."""
    i, n = _POS[landmark], N_USED
    return 2 * i, 2 * i + 1, 2 * n + 3 * i, 2 * n + 3 * i + 1, 2 * n + 3 * i + 2, 5 * n + i


def sample_landmarks(image_xy: np.ndarray, world: np.ndarray, visibility: np.ndarray) -> np.ndarray:
    """The landmark part of samples (``SAMPLE_LANDMARKS_LEN`` values each) from full landmark arrays
    ``(..., 33, 2)`` (px), ``(..., 33, 3)`` (m) and ``(..., 33)`` visibility."""
    image_xy, world, visibility = (np.asarray(a, dtype=float) for a in (image_xy, world, visibility))
    lead = visibility.shape[:-1]
    return np.concatenate([image_xy[..., USED_LANDMARKS, :].reshape(*lead, 2 * N_USED),
                           world[..., USED_LANDMARKS, :].reshape(*lead, 3 * N_USED),
                           visibility[..., USED_LANDMARKS]], axis=-1)


def _sign(x: float) -> float:
    """-1, 0 or +1 (NaN stays NaN), as ``np.sign``."""
    return 1.0 if x > 0.0 else -1.0 if x < 0.0 else x  # x: 0 or NaN


def _nan_max2(a: float, b: float) -> float:
    """The larger of two values, NaN if either is NaN (as ``np.maximum``)."""
    return a if a >= b else b if b > a else math.nan


def _nan_min2(a: float, b: float) -> float:
    """The smaller of two values, NaN if either is NaN (as ``np.minimum``)."""
    return a if a <= b else b if b < a else math.nan


def _mean2(a: float, b: float) -> float:
    """Mean of two values ignoring NaN."""
    return b if a != a else a if b != b else 0.5 * (a + b)


def _ratio(a: float, b: float) -> float:
    """``a / b``, NaN when ``b`` is 0 (a degenerate leg length) or NaN."""
    return a / b if b != 0.0 else math.nan


def _angle_between_deg(ux: float, uy: float, vx: float, vy: float) -> float:
    """Unsigned angle between 2-D vectors in degrees (0 = same direction)."""
    return math.degrees(math.atan2(abs(ux * vy - uy * vx), ux * vx + uy * vy))


def knee_fppa_deg(hip, knee, ankle, other_hip) -> float:
    """Frontal-plane projection angle (Munro et al. 2012) from image points ``(x, y)``.

    The angle between thigh (hip->knee) and shank (knee->ankle), positive when the knee lies on the medial side
    of the hip-ankle line (the side of ``other_hip``): valgus. Works facing or back to the camera.
    """
    hx, hy = hip[0], hip[1]
    nx, ny = hy - ankle[1], ankle[0] - hx  # normal of the hip-ankle line
    medial = _sign(nx * (other_hip[0] - hx) + ny * (other_hip[1] - hy))
    side = _sign(nx * (knee[0] - hx) + ny * (knee[1] - hy))
    angle = _angle_between_deg(knee[0] - hx, knee[1] - hy, ankle[0] - knee[0], ankle[1] - knee[1])
    return side * medial * angle


def _bend_deg(a, b, c) -> float:
    """How far the path a -> b -> c turns at b (0 = straight), from 3-D points; NaN if any is missing."""
    u = (b[0] - a[0], b[1] - a[1], b[2] - a[2])
    v = (c[0] - b[0], c[1] - b[1], c[2] - b[2])
    nu, nv = math.sqrt(sum(x * x for x in u)), math.sqrt(sum(x * x for x in v))
    if not (nu > 0 and nv > 0):
        return math.nan
    return math.degrees(math.acos(max(-1.0, min(1.0, sum(x * y for x, y in zip(u, v)) / (nu * nv)))))


def knee_flexion_deg(hip, knee, ankle, direction: float) -> float:
    """Sagittal knee flexion from side-view image points ``(x, y)``; ``direction`` +1 walking image-right, -1 left.

    Positive when the shank points backward relative to the thigh (flexion), negative for hyperextension.
    """
    ux, uy = knee[0] - hip[0], knee[1] - hip[1]
    vx, vy = ankle[0] - knee[0], ankle[1] - knee[1]
    return direction * math.degrees(math.atan2(ux * vy - uy * vx, ux * vx + uy * vy))


class SampleGeometry:
    """One sample's landmarks ready for the formulas: image and world points as tracked (event envelopes, leg
    lengths, hip centres) and metric-grade (NaN where less visible than ``min_visibility``: angles and lengths),
    the view's walking-direction signs, leg lengths and hip centres.

    Parameters
    ----------
    sample
        One sample (a list is fastest), or only its landmark part for ``event_signals``.
    view
        The frame's ``View``.
    min_visibility
        Visibility a landmark needs to become a metric.
    """

    __slots__ = ("sample", "img", "world", "img_m", "world_m", "view", "side_dir", "depth_dir", "side", "frontal",
                 "leg_px", "leg_m", "hip_img", "hip_w")

    def __init__(self, sample, view: str, min_visibility: float = MIN_VISIBILITY) -> None:
        n = N_USED
        self.sample = sample
        self.img = img = list(zip(sample[0:2 * n:2], sample[1:2 * n:2]))
        self.world = world = list(zip(sample[2 * n:5 * n:3], sample[2 * n + 1:5 * n:3], sample[2 * n + 2:5 * n:3]))
        seen = sample[5 * n:6 * n]
        self.img_m = [p if v >= min_visibility else _NAN_2D for p, v in zip(img, seen)]
        self.world_m = [p if v >= min_visibility else _NAN_3D for p, v in zip(world, seen)]
        self.view = view
        self.side_dir = _SIDE_DIR.get(view, math.nan)
        self.depth_dir = _DEPTH_DIR.get(view, math.nan)
        self.side, self.frontal = view in _SIDE_DIR, view in _DEPTH_DIR
        self.leg_px = _mean2(self._leg_length(img, LEFT), self._leg_length(img, RIGHT))
        self.leg_m = _mean2(self._leg_length(world, LEFT), self._leg_length(world, RIGHT))
        self.hip_img = [0.5 * (a + b) for a, b in zip(img[_HIP_L], img[_HIP_R])]
        self.hip_w = [0.5 * (a + b) for a, b in zip(world[_HIP_L], world[_HIP_R])]

    @staticmethod
    def _leg_length(points, foot: str) -> float:
        hip, knee, ankle = _LEG[foot][:3]
        return math.dist(points[knee], points[hip]) + math.dist(points[ankle], points[knee])

    def along(self, pos: int, metric: bool = False) -> float:
        """Landmark ``pos`` relative to the pelvis along the walking direction, in leg lengths: image x in side
        views, world depth in frontal views, NaN in others."""
        if self.side:
            x = (self.img_m if metric else self.img)[pos][0]
            return _ratio(self.side_dir * (x - self.hip_img[0]), self.leg_px)
        z = (self.world_m if metric else self.world)[pos][2]
        return _ratio(self.depth_dir * (z - self.hip_w[2]), self.leg_m)

    def knee_flexion_deg(self, foot: str) -> float:
        if not self.side:
            return math.nan
        hip, knee, ankle = (self.img_m[i] for i in _LEG[foot][:3])
        return knee_flexion_deg(hip, knee, ankle, self.side_dir)

    def event_signals(self) -> list[float]:
        """The event signals (``EVENT_SIGNALS`` order) of these landmarks (see ``event_signals``)."""
        heel_l, heel_r = self.along(_LEG[LEFT][_HEEL]), self.along(_LEG[RIGHT][_HEEL])
        toe_l, toe_r = self.along(_LEG[LEFT][_TOE]), self.along(_LEG[RIGHT][_TOE])
        out = [math.nan] * len(EVENT_SIGNALS)
        out[EV["heel_front"]] = _nan_max2(heel_l, heel_r)
        out[EV["toe_back"]] = _nan_min2(toe_l, toe_r)
        out[EV["heel_lead_left"]] = heel_l - heel_r
        if self.side:
            lift_px = self.img[_LEG[RIGHT][_HEEL]][1] - self.img[_LEG[LEFT][_HEEL]][1]
            out[EV["heel_lift_left"]] = _ratio(lift_px, self.leg_px)
            spread = self.along(_LEG[LEFT][_HEEL], metric=True) - self.along(_LEG[RIGHT][_HEEL], metric=True)
            out[EV["heel_spread_visible"]] = abs(spread)
            flex_l, flex_r = self.knee_flexion_deg(LEFT), self.knee_flexion_deg(RIGHT)
            if heel_l == heel_l and heel_r == heel_r:  # both heels tracked
                out[EV["knee_flexion_front_deg"]] = flex_l if heel_l >= heel_r else flex_r
            out[EV["knee_flexion_max_deg"]] = _nan_max2(flex_l, flex_r)
        elif self.frontal:
            for foot, names in FOOT_IMAGE_SIGNALS.items():
                heel, toe = self.img[_LEG[foot][_HEEL]], self.img[_LEG[foot][_TOE]]
                for name, value in zip(names, (*heel, *toe)):
                    out[EV[name]] = value
            out[EV["leg_px"]] = self.leg_px
        return out

    def features(self) -> list[float]:
        """Features (``FEATURES`` order): the sample's event signals as they are, then the angles of its
        metric-grade landmarks; a feature not valid in the view is NaN (see ``frame_features``)."""
        img, w, view = self.img_m, self.world_m, self.view
        out = list(self.sample[SAMPLE_LANDMARKS_LEN:SAMPLE_LEN]) + [math.nan] * (len(FEATURES) - len(EVENT_SIGNALS))
        for foot, other in ((LEFT, RIGHT), (RIGHT, LEFT)):
            if self.frontal:
                hip, knee, ankle = (img[i] for i in _LEG[foot][:3])
                out[F[f"knee_fppa_{foot}_deg"]] = knee_fppa_deg(hip, knee, ankle, img[_LEG[other][_HIP]])
                out[F[f"knee_bend_world_{foot}_deg"]] = _bend_deg(*(w[i] for i in _LEG[foot][:3]))
            out[F[f"knee_flexion_{foot}_deg"]] = self.knee_flexion_deg(foot)
        if self.frontal:
            dx, dy = img[_HIP_L][0] - img[_HIP_R][0], img[_HIP_L][1] - img[_HIP_R][1]
            out[F["pelvic_obliquity_deg"]] = math.degrees(math.atan2(-dy, abs(dx)))
        trunk_x = 0.5 * (img[_SHOULDER_L][0] + img[_SHOULDER_R][0]) - self.hip_img[0]
        trunk_y = 0.5 * (img[_SHOULDER_L][1] + img[_SHOULDER_R][1]) - self.hip_img[1]
        if self.frontal:
            # The person's right is image-left when facing the camera, image-right from behind.
            right_sign = 1.0 if view == View.BACK else -1.0
            out[F["trunk_lean_deg"]] = math.degrees(math.atan2(right_sign * trunk_x, -trunk_y))
        elif self.side:
            out[F["trunk_lean_deg"]] = math.degrees(math.atan2(self.side_dir * trunk_x, -trunk_y))
        # Foot progression on the ground plane (world x, z) against the body's heading.
        lx, lz = left_direction_xz(w[_HIP_L], w[_HIP_R], w[_SHOULDER_L], w[_SHOULDER_R])
        yaw = math.atan2(lz, lx)
        out[F["yaw_deg"]] = -math.degrees(yaw)  # analysis.view convention: +90 = walking toward the image's left
        if self.frontal:
            # Frontal views only: seen from the side, MediaPipe's world depth of heel and toe (the axis that
            # carries the toe-out there) is unreliable: +39 / -18 deg per foot on side_walk_two_people.mp4 for a
            # normal walker.
            left_x, left_z = math.cos(yaw), math.sin(yaw)  # the person's left on the ground plane
            fwd_x, fwd_z = left_z, -left_x
            for foot, lateral_sign in ((LEFT, 1.0), (RIGHT, -1.0)):
                heel, toe = w[_LEG[foot][_HEEL]], w[_LEG[foot][_TOE]]
                fx, fz = toe[0] - heel[0], toe[2] - heel[2]
                out[F[f"foot_progression_{foot}_deg"]] = math.degrees(
                    math.atan2(lateral_sign * (fx * left_x + fz * left_z), fx * fwd_x + fz * fwd_z))
        return out


def sample_features(sample, view: str, min_visibility: float = MIN_VISIBILITY) -> list[float]:
    """Features (``FEATURES`` order) of one sample (``SampleGeometry.features``)."""
    return SampleGeometry(sample, view, min_visibility).features()


def event_signals(image_xy: np.ndarray, world: np.ndarray, views, visibility: np.ndarray | None = None,
                  min_visibility: float = MIN_VISIBILITY) -> np.ndarray:
    """Event signals of ``n`` frames (``EVENT_SIGNALS`` order) from each frame's raw landmarks.

    Parameters
    ----------
    image_xy
        ``(n, 33, 2)`` image landmarks in pixels, NaN where missing (or too poorly tracked even for events).
    world
        ``(n, 33, 3)`` world landmarks in metres, NaN where missing.
    views
        ``n`` view strings: side views use image x (and image y for heel lift), frontal views world depth z; NaN
        in other views.
    visibility
        ``(n, 33)`` landmark visibility (None: all visible): the envelopes use every tracked landmark, the heel
        spread and knee flexions only landmarks with ``visibility >= min_visibility``.
    min_visibility
        Visibility a landmark needs to become a metric.

    Returns
    -------
    ``(n, len(EVENT_SIGNALS))`` array. ``heel_front`` / ``toe_back`` are the larger heel / smaller toe signal of
    the two feet, NaN unless both are tracked (with one foot missing the other might not be the front one).
    """
    samples = _samples(image_xy, world, visibility)
    rows = [SampleGeometry(s, v, min_visibility).event_signals() for s, v in zip(samples.tolist(), views, strict=True)]
    return np.array(rows, dtype=float).reshape(len(samples), len(EVENT_SIGNALS))


def frame_features(image_xy: np.ndarray, world: np.ndarray, views, visibility: np.ndarray | None = None,
                   min_visibility: float = MIN_VISIBILITY, signals: np.ndarray | None = None) -> np.ndarray:
    """Features of ``n`` frames (``FEATURES`` order) from masked, possibly smoothed landmarks.

    Parameters
    ----------
    image_xy
        ``(n, 33, 2)`` image landmarks in pixels, NaN where missing (or too poorly tracked even for events).
    world
        ``(n, 33, 3)`` world landmarks in metres, NaN where missing.
    views
        ``n`` view strings; features that are not valid in a frame's view are NaN.
    visibility
        ``(n, 33)`` landmark visibility (None: all visible). The heel/toe event signals use every tracked
        landmark; angles and lengths only landmarks with ``visibility >= min_visibility``.
    min_visibility
        Visibility a landmark needs to become a metric.
    signals
        ``(n, len(EVENT_SIGNALS))`` event signals to use (the analyser smooths them from raw frames); None:
        computed from these landmarks with ``event_signals``.

    Returns
    -------
    ``(n, len(FEATURES))`` array.
    """
    views = list(views)
    samples = _samples(image_xy, world, visibility)
    if signals is None:
        signals = event_signals(image_xy, world, views, visibility, min_visibility)
    samples = np.concatenate([samples, np.asarray(signals, dtype=float).reshape(len(samples), -1)], axis=1)
    rows = [sample_features(s, v, min_visibility) for s, v in zip(samples.tolist(), views, strict=True)]
    return np.array(rows, dtype=float).reshape(len(samples), len(FEATURES))


def _samples(image_xy, world, visibility) -> np.ndarray:
    """The landmark part of ``n`` frames' samples; visibility None: all visible."""
    image_xy = np.asarray(image_xy, dtype=float)
    if visibility is None:
        visibility = np.ones(image_xy.shape[:-1])
    return sample_landmarks(image_xy, world, visibility).reshape(image_xy.shape[0], SAMPLE_LANDMARKS_LEN)


# --- Steps --------------------------------------------------------------------------------------------------------

@dataclass
class _Pending:
    """A foot's contact, waiting for its toe off to become a step."""

    ic: GaitEvent
    ic_frame: int
    ic_view: str
    step_time_s: float
    stride_time_s: float
    swing_time_s: float
    step_length_leg: float
    knee_flexion_ic_deg: float
    knee_flexion_swing_peak_deg: float
    double_support_time_s: float = math.nan


class StepBuilder:
    """Turns accepted events plus the per-sample features around them into ``StepMetrics``.

    Parameters
    ----------
    user_height_m
        Body height; when given, step lengths are also reported in metres.
    history_s
        How much feature history is kept (must cover a stride).

    Attributes
    ----------
    steps_
        All completed steps.
    events_
        All accepted events.
    extras_
        Per step (same order as ``steps_``): dict with ``stride_time_s``, ``double_support_time_s`` and
        ``knee_flexion_swing_peak_deg`` (summary figures that are not steps.csv columns).
    ic_step_times_
        ``(t_s, foot, step_time_s)`` for every accepted IC with a valid step time (for cadence).
    contacts_without_step_
        Accepted ICs that made no step (dropped by a reversal of the feet, see the notes).

    Notes
    -----
    Every accepted IC becomes a step, in IC order. Normally the step is completed at the foot's toe off; when that
    toe off can no longer come (the same foot lands again, the other foot's later stance ends first, the bout
    ends, e.g. at a turn, or the recording ends) the step is completed without it: its IC figures (step time,
    swing, step length, knee flexion at IC) are kept and its stance figures are NaN. Only a reversal of the feet
    (``break_bout(keep=False)``, counted in ``contacts_without_step_``) drops the steps still waiting, whose feet
    are then in doubt.
    """

    def __init__(self, user_height_m: float | None = None, history_s: float = 4.0) -> None:
        self.leg_length_m = leg_length_m(user_height_m)
        if not history_s >= 2 * MAX_STEP_TIME_S:
            raise ValueError(f"history_s must cover a stride (>= {2 * MAX_STEP_TIME_S} s), got {history_s!r}")
        self.history_s = history_s
        self._samples: deque[tuple[float, int, str, np.ndarray]] = deque()
        self.steps_: list[StepMetrics] = []
        self.events_: list[GaitEvent] = []
        self.extras_: list[dict[str, float]] = []
        self.ic_step_times_: list[tuple[float, str, float]] = []
        self._trunk: dict[str, list[float]] = {"frontal": [0.0, 0], "side": [0.0, 0]}
        self.contacts_without_step_ = 0
        self.break_bout()

    def break_bout(self, keep: bool = True) -> list[StepMetrics]:
        """Forget the current bout (gap, change of view, end of the recording): no step spans a break.

        Returns the steps still waiting for their toe off, completed without it (in IC order); with ``keep`` False
        (the feet so far were wrongly labelled) they are dropped instead.
        """
        waiting = getattr(self, "_pending", {}).values()  # (none yet when called from __init__)
        pending = sorted((p for p in waiting if p is not None), key=lambda p: p.ic.t_s)
        steps = [self._complete(p, None) for p in pending] if keep else []
        self.contacts_without_step_ += 0 if keep else len(pending)
        self._pending: dict[str, _Pending | None] = {LEFT: None, RIGHT: None}
        self._last_ic: GaitEvent | None = None
        self._last_ic_of: dict[str, GaitEvent | None] = {LEFT: None, RIGHT: None}
        self._last_to_of: dict[str, GaitEvent | None] = {LEFT: None, RIGHT: None}
        return steps

    def add_sample(self, t_s: float, frame_index: int, view: str, features: np.ndarray) -> None:
        """Append one (smoothed) sample; samples must come in time order."""
        self._samples.append((t_s, frame_index, view, features))
        while self._samples and t_s - self._samples[0][0] > self.history_s:
            self._samples.popleft()
        lean = features[F["trunk_lean_deg"]]
        if math.isfinite(lean):
            acc = self._trunk["frontal" if view in View.FRONTAL else "side"]
            acc[0] += lean
            acc[1] += 1

    def trunk_lean_mean_deg(self, kind: str) -> float:
        """Mean trunk lean over all ``"frontal"`` (lateral) or ``"side"`` (forward) samples so far."""
        total, count = self._trunk[kind]
        return total / count if count else math.nan

    def _window(self, t0: float, t1: float) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
        rows = [s for s in self._samples if t0 <= s[0] <= t1]
        if not rows:
            return np.empty(0), np.empty(0, dtype=int), [], np.empty((0, len(FEATURES)))
        return (np.array([r[0] for r in rows]), np.array([r[1] for r in rows]), [r[2] for r in rows],
                np.array([r[3] for r in rows]))

    def _at(self, t_s: float, feature: str) -> tuple[float, int, str]:
        """Feature linearly interpolated at ``t_s`` between the samples around it (within 0.5 s); nearest frame;
        its view. Only the two samples around ``t_s`` are read: events are recent, so the search from the newest
        sample is short."""
        before = after = None  # the last sample before t_s, the first at or after it
        for sample in reversed(self._samples):
            if sample[0] > t_s + 0.5:
                continue
            if sample[0] < t_s:
                if sample[0] >= t_s - 0.5:
                    before = sample
                break
            after = sample
        if before is None and after is None:
            return math.nan, -1, View.UNKNOWN
        col = F[feature]
        if before is not None and after is not None:
            a = (t_s - before[0]) / (after[0] - before[0])
            value = float((1 - a) * before[3][col] + a * after[3][col])
            nearest = before if t_s - before[0] <= after[0] - t_s else after
        else:
            nearest = before if after is None else after
            value = float(nearest[3][col])
        return value, int(nearest[1]), nearest[2]

    def add_event(self, event: GaitEvent) -> list[StepMetrics]:
        """Record one accepted event; returns the steps it completes (in IC order): at a toe off, that foot's
        step; any step whose toe off can no longer come, without it (see the class notes)."""
        self.events_.append(event)
        if event.kind == INITIAL_CONTACT:
            return self._on_ic(event, event.foot, other_foot(event.foot))
        return self._on_to(event, event.foot, other_foot(event.foot))

    def _on_ic(self, e: GaitEvent, foot: str, other: str) -> list[StepMetrics]:
        # The foot lands again: its previous contact's toe off was missed.
        done = []
        if self._pending[foot] is not None:
            done.append(self._complete(self._pending[foot], None))
        last = self._last_ic
        step_time = stride = math.nan
        if last is not None and last.foot == other and e.t_s - last.t_s <= MAX_STEP_TIME_S:
            step_time = e.t_s - last.t_s
            self.ic_step_times_.append((e.t_s, foot, step_time))
            prev_own = self._last_ic_of[foot]
            if prev_own is not None and last.t_s - prev_own.t_s <= MAX_STEP_TIME_S:
                stride = e.t_s - prev_own.t_s
        prev_to = self._last_to_of[foot]
        prev_ic = self._last_ic_of[foot]
        swing = swing_peak = math.nan
        if prev_to is not None and (prev_ic is None or prev_to.t_s > prev_ic.t_s) \
                and e.t_s - prev_to.t_s <= MAX_STEP_TIME_S:
            swing = e.t_s - prev_to.t_s
            _, _, _, x = self._window(prev_to.t_s, e.t_s)
            # The swinging knee is the more flexed one (~60 deg against < 20 deg in stance): no leg labels needed.
            swing_peak = _nan_max(x[:, F["knee_flexion_max_deg"]])
        # At contact the landing foot is the front one: heel-to-heel spread and the front leg's knee, label-free.
        spread, ic_frame, view = self._at(e.t_s, "heel_spread_visible")
        step_length = spread if view in View.SIDE else math.nan
        flex_ic, _, _ = self._at(e.t_s, "knee_flexion_front_deg")
        self._pending[foot] = _Pending(e, ic_frame, view, step_time, stride, swing, step_length, flex_ic, swing_peak)
        self._last_ic = e
        self._last_ic_of[foot] = e
        return done

    def _on_to(self, e: GaitEvent, foot: str, other: str) -> list[StepMetrics]:
        self._last_to_of[foot] = e
        pend_other = self._pending[other]
        if pend_other is not None and pend_other.ic.t_s < e.t_s:
            pend_other.double_support_time_s = e.t_s - pend_other.ic.t_s  # other foot's IC -> this TO
        p = self._pending[foot]
        self._pending[foot] = None
        if p is None:
            return []
        done = []
        if pend_other is not None and pend_other.ic.t_s < p.ic.t_s:
            # The other foot landed before this one and has not left the ground since: its toe off was missed
            # (in walking it comes before this foot's). Complete it first, so that steps stay in IC order.
            self._pending[other] = None
            done.append(self._complete(pend_other, None))
        done.append(self._complete(p, e))
        return done

    def _complete(self, p: _Pending, to: GaitEvent | None) -> StepMetrics:
        """The step of the pending contact ``p``, ended by its toe off ``to`` (None: not seen, so its stance
        figures are NaN and its view is the view at IC)."""
        foot, other = p.ic.foot, other_foot(p.ic.foot)
        to_t_s = stance = fppa = drop = fpa = math.nan
        to_frame: int | float = math.nan
        view = p.ic_view
        if to is not None:
            to_t_s = to.t_s
            t, _, views, x = self._window(p.ic.t_s, to_t_s)
            _, to_frame, _ = self._at(to_t_s, "toe_back")
            stance = to_t_s - p.ic.t_s
            view = max(set(views), key=views.count) if views else View.UNKNOWN
        if to is not None and not stance > MAX_STANCE_STEP_TIMES * p.step_time_s:  # (NaN step time: not judged)
            # FPPA peak over mid-stance (the middle half, where the collapse peaks and the knee is nearly
            # straight), signed: the value of largest magnitude, as the synthetic walker's truth defines it.
            margin = 0.5 * (1.0 - MIDSTANCE_FRACTION) * stance
            mid = (t >= p.ic.t_s + margin) & (t <= to_t_s - margin)
            # ... with the knee near extension: a bent knee's projection is no alignment (where it is known).
            mid &= ~(x[:, F[f"knee_bend_world_{foot}_deg"]] > KNEE_NEAR_EXTENSION_DEG)
            fppa = _smoothed_signed_peak(t[mid], x[mid, F[f"knee_fppa_{foot}_deg"]])
            # Single support of this foot: the other foot's TO (after this IC) to the other foot's next IC.
            to_other, ic_other = self._last_to_of[other], self._last_ic_of[other]
            if to_other is not None and ic_other is not None and p.ic.t_s < to_other.t_s < ic_other.t_s < to_t_s:
                ss = (t >= to_other.t_s) & (t <= ic_other.t_s)
                sign = 1.0 if foot == LEFT else -1.0  # left stance: right (swing) hip lower = + obliquity
                drop = _smoothed_peak(t[ss], sign * x[ss, F["pelvic_obliquity_deg"]])
            fpa = _nan_median(x[mid, F[f"foot_progression_{foot}_deg"]])
        step = StepMetrics(
            step=len(self.steps_), foot=foot, ic_frame=p.ic_frame, ic_t_s=p.ic.t_s, to_frame=to_frame,
            to_t_s=to_t_s, step_time_s=p.step_time_s, stance_time_s=stance, swing_time_s=p.swing_time_s,
            step_length_leg=p.step_length_leg, step_length_m=p.step_length_leg * self.leg_length_m,
            knee_fppa_deg=fppa, knee_flexion_ic_deg=p.knee_flexion_ic_deg, pelvic_drop_deg=drop,
            foot_progression_deg=fpa, view=view,
        )
        self.steps_.append(step)
        self.extras_.append({"stride_time_s": p.stride_time_s, "double_support_time_s": p.double_support_time_s,
                             "knee_flexion_swing_peak_deg": p.knee_flexion_swing_peak_deg})
        return step


# --- Summary ------------------------------------------------------------------------------------------------------

def cadence_steps_per_min(step_times_s) -> float:
    """``60 / mean(step time)``; NaN without step times."""
    m = nan_mean(step_times_s)
    return 60.0 / m if math.isfinite(m) and m > 0 else math.nan


def summarise(builder: StepBuilder, since_t_s: float = -math.inf) -> list[SummaryRow]:
    """Summary rows (``analysis.columns.SUMMARY_METRICS`` order) over the steps whose IC is at or after
    ``since_t_s``. Per-foot figures are means over that foot's steps; NaN where nothing was measured. The
    ``SYMMETRY_METRICS`` get a symmetry index with its interval from their per-step values
    (:func:`symmetry_index_interval`)."""
    idx = [i for i, s in enumerate(builder.steps_) if s.ic_t_s >= since_t_s]
    steps = [builder.steps_[i] for i in idx]
    extras = [builder.extras_[i] for i in idx]
    ic_times = [(t, f, st) for t, f, st in builder.ic_step_times_ if t >= since_t_s]
    feet = [s.foot for s in steps]
    # Per-step values and their feet, in step order (for the symmetry interval).
    series: dict[str, tuple[list[float], list[str]]] = {}

    def per_foot(metric: str, getter) -> tuple[float, float, float]:
        values = [getter(s, x) for s, x in zip(steps, extras)]
        series[metric] = (values, feet)
        left = nan_mean([v for v, f in zip(values, feet) if f == LEFT])
        right = nan_mean([v for v, f in zip(values, feet) if f == RIGHT])
        return left, right, nan_mean(values)

    values: dict[str, tuple[float, float, float]] = {}
    n_left = sum(1 for s in steps if s.foot == LEFT)
    values["step_count"] = (float(n_left), float(len(steps) - n_left), float(len(steps)))
    values["cadence_steps_per_min"] = (math.nan, math.nan, cadence_steps_per_min([st for _, _, st in ic_times]))
    last = [st for _, _, st in ic_times[-int(CADENCE_WINDOW_STEPS):]]
    values["cadence_last_10_steps_per_min"] = (math.nan, math.nan, cadence_steps_per_min(last))
    # Step time from every IC pair (also those whose toe off was missed), the rest from completed steps.
    series["step_time_s"] = ([st for _, _, st in ic_times], [f for _, f, _ in ic_times])
    st_l = nan_mean([st for _, f, st in ic_times if f == LEFT])
    st_r = nan_mean([st for _, f, st in ic_times if f == RIGHT])
    values["step_time_s"] = (st_l, st_r, nan_mean([st for _, _, st in ic_times]))
    values["stride_time_s"] = per_foot("stride_time_s", lambda s, x: x["stride_time_s"])
    values["stance_time_s"] = per_foot("stance_time_s", lambda s, x: s.stance_time_s)
    values["swing_time_s"] = per_foot("swing_time_s", lambda s, x: s.swing_time_s)
    values["double_support_time_s"] = per_foot("double_support_time_s", lambda s, x: x["double_support_time_s"])
    values["step_length_leg"] = per_foot("step_length_leg", lambda s, x: s.step_length_leg)
    values["step_length_m"] = per_foot("step_length_m", lambda s, x: s.step_length_m)
    values["knee_fppa_peak_deg"] = per_foot("knee_fppa_peak_deg", lambda s, x: s.knee_fppa_deg)
    values["knee_flexion_ic_deg"] = per_foot("knee_flexion_ic_deg", lambda s, x: s.knee_flexion_ic_deg)
    values["knee_flexion_swing_peak_deg"] = per_foot("knee_flexion_swing_peak_deg",
                                                     lambda s, x: x["knee_flexion_swing_peak_deg"])
    values["pelvic_drop_deg"] = per_foot("pelvic_drop_deg", lambda s, x: s.pelvic_drop_deg)
    values["trunk_lean_lateral_deg"] = (math.nan, math.nan, builder.trunk_lean_mean_deg("frontal"))
    values["trunk_lean_forward_deg"] = (math.nan, math.nan, builder.trunk_lean_mean_deg("side"))
    values["foot_progression_deg"] = per_foot("foot_progression_deg", lambda s, x: s.foot_progression_deg)
    rows = []
    for metric, unit, _ in SUMMARY_METRICS:
        left, right, overall = values[metric]
        si = symmetry_index_interval(*series[metric]) if metric in SYMMETRY_METRICS else NO_SYMMETRY
        rows.append(SummaryRow(metric, left, right, overall, *si, unit))
    return rows
