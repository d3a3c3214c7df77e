"""The guided check-up's pure logic: the set-up check, the standing tests, the single-leg squat and the timed walk.

A check-up is a short series of tests a person can repeat and compare from one week to the next, the way a
physiotherapist would guide them over video (issue 14; the self-tests come from the user's seed articles):

1. **Set-up check** (``assess_setup``): is the whole body, feet included, in the picture; is the person at a
   good distance; is the camera at a good height and level; is there enough light; is the frame rate enough.
   Each item passes or says exactly what to change.
2. **Standing alignment, facing the camera** (the mirror test, ``standing_alignment``): standing still for a few
   seconds, each knee's frontal-plane projection angle (FPPA), each foot's toe-out, the pelvis and shoulders
   level.
3. **Standing posture, side-on** (the wall test, ``standing_posture``): the ear, shoulder, hip and ankle line
   seen from the side: trunk lean, head forward of the shoulder, hips forward of the ankles. One camera cannot
   see the pelvis's tilt or whether the feet are flat; the result says so.
4. **Single-leg squat, each leg** (``SquatCounter``, ``squat_results``): repetitions counted; the stance knee's
   peak FPPA per repetition and their median per leg, against the published bands for this task; a repetition
   too shallow, or where the other foot came down, is flagged and not scored.
5. **Timed walk** (``walk_results``): the walk's own figures (cadence, step-time symmetry with its interval, knee
   FPPA, pelvic drop) and the number of steps they rest on.

Every figure becomes a ``CheckupRow`` (``analysis.columns.CHECKUP_COLUMNS``): stored with the check-up session,
shown on its result card and exported as ``checkup.csv``.
"""
from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np

from analysis.columns import CHECKUP_COLUMNS
from analysis.geometry import F, frame_features, knee_fppa_deg
from analysis.landmarks import (
    LEFT_ANKLE, LEFT_EAR, LEFT_FOOT_INDEX, LEFT_HEEL, LEFT_HIP, LEFT_KNEE, LEFT_SHOULDER, NOSE, RIGHT_EAR,
    RIGHT_SHOULDER, NUM_LANDMARKS, PRESENCE, RIGHT_ANKLE,
    RIGHT_FOOT_INDEX, RIGHT_HEEL, RIGHT_HIP, RIGHT_KNEE, VISIBILITY, WHOLE_BODY_LANDMARKS, X_PX, Y_PX,
)
from analysis.results import SummaryRow, nan_median
from analysis.thresholds import (
    CADENCE_TYPICAL_MAX_STEPS_PER_MIN, CADENCE_TYPICAL_MIN_STEPS_PER_MIN, KNEE_FPPA_VALGUS_CUE_DEG,
    PELVIC_DROP_CUE_DEG, SYMMETRY_INDEX_NOTABLE_PCT, FOOT_PROGRESSION_NORMAL_MAX_DEG, FOOT_PROGRESSION_NORMAL_MIN_DEG, HEAD_FORWARD_MAX_DEG, LEG_LENGTH_PER_HEIGHT,
    LEVEL_NORMAL_MAX_DEG, PEAK_SMOOTHING_S, PLUMB_LINE_AHEAD_OF_ANKLE_CM, SQUAT_BOTTOM_FRACTION, SQUAT_FREE_FOOT_LIFT_LEG,
    SQUAT_KNEE_FPPA_NORMAL_MAX_DEG, SQUAT_KNEE_FPPA_WOMEN_MAX_DEG, SQUAT_MIN_DEPTH_LEG, SQUAT_MIN_SCORED_REPS, SQUAT_REP_START_LEG,
    SQUAT_MIN_STANDING_S, SQUAT_STANDING_MEMORY_S, SQUAT_TOUCH_DOWN_LEG, PLUMB_LINE_TOLERANCE_CM, POSTURE_TRUNK_LEAN_MAX_DEG,
    STANDING_KNEE_FPPA_NORMAL_MAX_DEG, STANDING_KNEE_FPPA_NORMAL_MIN_DEG, STANDING_MIN_STILL_S, MIN_VISIBILITY, SETUP_ASSUMED_HFOV_DEG, SETUP_BODY_HEIGHT_MAX, SETUP_BODY_HEIGHT_MIN, SETUP_BRIGHTNESS_MAX,
    SETUP_BRIGHTNESS_MIN, SETUP_CAMERA_HEIGHT_MAX_M, SETUP_CAMERA_LEVEL_DEG, SETUP_CAMERA_HEIGHT_MIN_M, SETUP_CAMERA_TILT_MAX_DEG,
    SETUP_EDGE_MARGIN, SETUP_HEAD_TOP_PER_NOSE, SETUP_MIN_FPS, SETUP_MIN_POSE_SHARE, SETUP_MIN_VISIBILITY,
    STANDING_STILL_SPEED_LEG_S,
)
from analysis.types import LEFT, RIGHT, PoseFrame, View
from analysis.view import body_yaw_deg, view_from_yaw

SETUP, STANDING_ALIGNMENT, STANDING_POSTURE, SINGLE_LEG_SQUAT, TIMED_WALK = (
    "setup", "standing_alignment", "standing_posture", "single_leg_squat", "timed_walk")
TESTS: tuple[str, ...] = (SETUP, STANDING_ALIGNMENT, STANDING_POSTURE, SINGLE_LEG_SQUAT, TIMED_WALK)
STILL_WINDOW_S = 1.0  # standing still is judged over this long around each frame
ASSUMED_HEIGHT_M = 1.70  # the person's height where it is not known (only distances in metres rest on it)


@dataclass(frozen=True)
class CheckupRow:
    """One figure of a check-up (a row of ``checkup.csv``); NaN where a cell does not apply.

    ``passed`` is True within the normal range (or a set-up item that is right), False outside it, None where the
    figure is not judged (no published range, or not enough data)."""

    test: str
    metric: str
    left: float
    right: float
    overall: float
    unit: str
    normal_low: float
    normal_high: float
    passed: bool | None


assert tuple(f.name for f in fields(CheckupRow)) == CHECKUP_COLUMNS


def judged(value: float, low: float, high: float) -> bool | None:
    """True when ``value`` lies in ``[low, high]`` (either end may be open: NaN), None when it is not known."""
    if not math.isfinite(value):
        return None
    return (not math.isfinite(low) or value >= low) and (not math.isfinite(high) or value <= high)


# ---------------------------------------------------------------------------------------------------------------
# Frames as arrays.

@dataclass(frozen=True)
class _Poses:
    """The frames with a pose, as arrays: times, image points (px), world points (m), visibility, image size."""

    t_s: np.ndarray  # (n,)
    xy: np.ndarray  # (n, 33, 2)
    world: np.ndarray  # (n, 33, 3)
    seen: np.ndarray  # (n, 33): min(visibility, presence)
    width_px: int
    height_px: int
    frame_count: int  # frames given, with or without a pose

    @classmethod
    def of(cls, frames: Sequence[PoseFrame]) -> _Poses:
        posed = [f for f in frames if f.image_landmarks is not None and f.world_landmarks is not None]
        width, height = (frames[0].image_width_px, frames[0].image_height_px) if frames else (0, 0)
        if not posed:
            return cls(np.zeros(0), np.zeros((0, NUM_LANDMARKS, 2)), np.zeros((0, NUM_LANDMARKS, 3)),
                       np.zeros((0, NUM_LANDMARKS)), width, height, len(frames))
        image = np.array([f.image_landmarks for f in posed])
        return cls(np.array([f.t_s for f in posed]), image[:, :, [X_PX, Y_PX]],
                   np.array([f.world_landmarks for f in posed]),
                   np.minimum(image[:, :, VISIBILITY], image[:, :, PRESENCE]), width, height, len(frames))

    def __len__(self) -> int:
        return len(self.t_s)

    def select(self, mask: np.ndarray) -> _Poses:
        return _Poses(self.t_s[mask], self.xy[mask], self.world[mask], self.seen[mask], self.width_px,
                      self.height_px, self.frame_count)

    def point(self, landmark: int) -> np.ndarray:
        """(n, 2) image points of a landmark, NaN where it is seen less than ``MIN_VISIBILITY``."""
        return np.where(self.seen[:, landmark, None] >= MIN_VISIBILITY, self.xy[:, landmark], np.nan)

    def leg_px(self) -> np.ndarray:
        """(n,) mean image length of the two legs (hip-knee-ankle), px."""
        lengths = [np.linalg.norm(self.point(hip) - self.point(knee), axis=1)
                   + np.linalg.norm(self.point(knee) - self.point(ankle), axis=1)
                   for hip, knee, ankle in ((LEFT_HIP, LEFT_KNEE, LEFT_ANKLE), (RIGHT_HIP, RIGHT_KNEE, RIGHT_ANKLE))]
        return _mean_rows(np.stack(lengths)) if len(self) else np.zeros(0)

    def views(self) -> list[str]:
        return [view_from_yaw(float(y)) for y in body_yaw_deg(self.world)] if len(self) else []

    def still(self) -> np.ndarray:
        """(n,) True where the hip centre and the ankles' centre moved less than ``STANDING_STILL_SPEED_LEG_S`` over the
        ``STILL_WINDOW_S`` around the frame (positions averaged over a third of it at each end: a frame-to-frame
        speed would measure the tracking's jitter)."""
        n = len(self)
        if n < 2:
            return np.zeros(n, dtype=bool)
        leg = nan_median(self.leg_px())
        half, end = 0.5 * STILL_WINDOW_S, STILL_WINDOW_S / 3.0
        fastest = np.zeros(n)
        # The hip and ankle centres, as tracked (side-on the far leg is seen poorly but still followed; MediaPipe now
        # and then swaps the legs' labels, which moves neither centre).
        for left, right in ((LEFT_HIP, RIGHT_HIP), (LEFT_ANKLE, RIGHT_ANKLE)):
            track = 0.5 * (self.xy[:, left] + self.xy[:, right])
            for i, t in enumerate(self.t_s):
                before = (self.t_s >= t - half) & (self.t_s < t - half + end)
                after = (self.t_s > t + half - end) & (self.t_s <= t + half)
                moved = np.linalg.norm(_mean_rows(track[after]) - _mean_rows(track[before]))
                # NaN (the window not covered, the point not seen): not known to be still
                fastest[i] = max(fastest[i], moved / (STILL_WINDOW_S - end) / leg) if moved == moved else math.inf
        return fastest < STANDING_STILL_SPEED_LEG_S


def _mean_rows(values: np.ndarray) -> np.ndarray:
    """The mean along the first axis of the finite values (NaN where there are none), without numpy's warning."""
    finite = np.isfinite(values)
    count = finite.sum(axis=0)
    total = np.where(finite, values, 0.0).sum(axis=0)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _row(test: str, metric: str, unit: str, left: float = math.nan, right: float = math.nan,
         overall: float = math.nan, low: float = math.nan, high: float = math.nan,
         passed: bool | None = None, judge: bool = True) -> CheckupRow:
    """A row; ``passed`` judged from the figures against ``[low, high]`` unless given (or ``judge`` is False)."""
    if passed is None and judge and (math.isfinite(low) or math.isfinite(high)):
        verdicts = [judged(v, low, high) for v in (left, right, overall) if math.isfinite(v)]
        passed = all(verdicts) if verdicts else None
    return CheckupRow(test, metric, float(left), float(right), float(overall), unit, float(low), float(high), passed)


# ---------------------------------------------------------------------------------------------------------------
# 1. The set-up check.

@dataclass(frozen=True)
class SetupItem:
    """One item of the set-up check: its figure, whether it is right, and (when not) what to change."""

    key: str  # the metric name in checkup.csv
    label: str  # what is checked, for the check-list
    figure: float
    unit: str
    low: float
    high: float
    passed: bool | None  # None: not judged (it cannot be, here), which does not hold the check-up up
    advice: str  # what to change, one sentence; "" when right or not judged

    def row(self) -> CheckupRow:
        return _row(SETUP, self.key, self.unit, overall=self.figure, low=self.low, high=self.high,
                    passed=self.passed)


def _round_half_m(metres: float) -> float:
    return max(0.5, round(abs(metres) * 2.0) / 2.0)


def _cm_10(metres: float) -> int:
    return max(10, int(round(abs(metres) * 10.0)) * 10)


def assess_setup(frames: Sequence[PoseFrame], brightness: float, user_height_m: float | None = None
                 ) -> list[SetupItem]:
    """The set-up check over a few seconds of the person standing facing the camera.

    Parameters
    ----------
    frames
        The analysed frames (with or without a pose), in time order.
    brightness
        The pictures' mean grey level, 0-255 (NaN: not known, the light item then rests on the landmarks).
    user_height_m
        The person's height (None: 1.70 m is assumed for distances and the camera's height).

    Returns
    -------
    The items in the order they should be fixed (``SETUP_ITEMS``): the person found, the whole body in the
    picture, the distance, the camera's tilt and height, the light, the frame rate. When the person is not found,
    or not whole, or the camera is far from level, the list stops there: the later items cannot be judged yet.
    """
    poses = _Poses.of(frames)
    height_m = user_height_m or ASSUMED_HEIGHT_M
    items: list[SetupItem] = []
    found = len(poses) / poses.frame_count if poses.frame_count else 0.0
    items.append(SetupItem("person_found_pct", METRIC_LABELS["person_found_pct"], 100.0 * found, "%", 100.0 * SETUP_MIN_POSE_SHARE,
                           100.0, found >= SETUP_MIN_POSE_SHARE,
                           "" if found >= SETUP_MIN_POSE_SHARE else
                           "No one found: stand in front of the camera, facing it, with your whole body in view."))
    if not found >= SETUP_MIN_POSE_SHARE:
        return items  # the later items cannot be judged yet
    w, h = poses.width_px, poses.height_px
    # Whole body: every body landmark seen and inside the picture by a margin.
    body = list(WHOLE_BODY_LANDMARKS)
    xy, seen = poses.xy[:, body], poses.seen[:, body]
    margin = SETUP_EDGE_MARGIN * h
    inside = ((xy[..., 0] >= margin) & (xy[..., 0] <= w - margin) & (xy[..., 1] >= margin)
              & (xy[..., 1] <= h - margin) & (seen >= MIN_VISIBILITY))
    whole = float(np.mean(inside.all(axis=1)))
    advice = ""
    if whole < SETUP_MIN_POSE_SHARE:
        # Which part is missing most often: the feet (below the picture, or not seen), the head, or a side.
        feet = [body.index(i) for i in (LEFT_HEEL, RIGHT_HEEL, LEFT_FOOT_INDEX, RIGHT_FOOT_INDEX, LEFT_ANKLE,
                                         RIGHT_ANKLE)]
        low_feet = float(np.mean(~inside[:, feet].all(axis=1)
                                 & ~(xy[:, feet, 0] < margin).any(axis=1)
                                 & ~(xy[:, feet, 0] > w - margin).any(axis=1))) >= 0.5
        head_cut = float(np.mean(~inside[:, body.index(NOSE)] & (xy[:, body.index(NOSE), 1] < 0.5 * h))) >= 0.5
        centre_x = float(np.median(xy[..., 0]))
        if low_feet and head_cut:
            advice = "You are too close: step back about 1 m so your head and feet are both in the picture."
        elif low_feet:
            advice = ("Your feet are out of the picture: step back about half a metre, or tilt the screen back a "
                      "little so the camera sees the floor.")
        elif head_cut:
            advice = "Your head is out of the picture: step back about half a metre, or tilt the screen forward."
        elif centre_x < 0.35 * w or centre_x > 0.65 * w:
            # Facing the camera, the person's left is the picture's right.
            advice = (f"Move a step to your {'right' if centre_x < 0.5 * w else 'left'}: part of you is out of the "
                      "picture.")
        else:
            advice = ("Part of your body is hidden or out of the picture: clear the space between you and the "
                      "camera and stand where it sees you from head to feet.")
    items.append(SetupItem("whole_body_in_view_pct", METRIC_LABELS["whole_body_in_view_pct"], 100.0 * whole, "%",
                           100.0 * SETUP_MIN_POSE_SHARE, 100.0, not advice, advice))
    if advice:
        return items
    # Distance: the body's height in the picture (heel to the top of the head).
    heel_y = np.fmax(poses.point(LEFT_HEEL)[:, 1], poses.point(RIGHT_HEEL)[:, 1])  # the lower heel
    body_px = nan_median((heel_y - poses.point(NOSE)[:, 1]) * SETUP_HEAD_TOP_PER_NOSE)
    share = body_px / h
    focal_px = 0.5 * w / math.tan(math.radians(0.5 * SETUP_ASSUMED_HFOV_DEG))
    distance_m = focal_px * height_m / body_px
    target_m = focal_px * height_m / (0.5 * (SETUP_BODY_HEIGHT_MIN + SETUP_BODY_HEIGHT_MAX) * h)
    advice = ""
    if share < SETUP_BODY_HEIGHT_MIN:
        advice = f"You are far from the camera: come about {_round_half_m(distance_m - target_m):g} m closer."
    elif share > SETUP_BODY_HEIGHT_MAX:
        advice = f"You are close to the camera: step back about {_round_half_m(distance_m - target_m):g} m."
    items.append(SetupItem("body_height_in_picture_pct", METRIC_LABELS["body_height_in_picture_pct"], 100.0 * share, "%",
                           100.0 * SETUP_BODY_HEIGHT_MIN, 100.0 * SETUP_BODY_HEIGHT_MAX, not advice, advice))
    # Camera tilt from MediaPipe's world axes (they follow the camera: its pitch tilts the body's vertical into
    # depth); then, once it is level, its height from where the horizon crosses the body in the picture.
    hips = 0.5 * (poses.world[:, LEFT_HIP] + poses.world[:, RIGHT_HIP])
    ankles = 0.5 * (poses.world[:, LEFT_ANKLE] + poses.world[:, RIGHT_ANKLE])
    up = np.nanmean(hips - ankles, axis=0)
    tilt_deg = math.degrees(math.atan2(-up[2], -up[1]))  # positive: the camera looks down
    advice = ""
    if tilt_deg > SETUP_CAMERA_TILT_MAX_DEG:
        advice = "The camera looks down steeply: tilt the screen back until it is nearly upright."
    elif tilt_deg < -SETUP_CAMERA_TILT_MAX_DEG:
        advice = "The camera looks up steeply: tilt the screen forward until it is nearly upright."
    items.append(SetupItem("camera_tilt_deg", METRIC_LABELS["camera_tilt_deg"], tilt_deg, "deg", -SETUP_CAMERA_TILT_MAX_DEG,
                           SETUP_CAMERA_TILT_MAX_DEG, not advice, advice))
    if advice:
        return items  # the camera's height is judged once it is nearly level
    # A level camera's horizon crosses the picture's middle row, at the camera's height on the body (the tilt
    # measured from MediaPipe's axes is too rough to move it: 1 deg is ~2 % of the picture's height).
    head_y = nan_median(heel_y - (heel_y - poses.point(NOSE)[:, 1]) * SETUP_HEAD_TOP_PER_NOSE)
    camera_m = height_m * (nan_median(heel_y) - 0.5 * h) / (nan_median(heel_y) - head_y)
    advice, judged_height = "", abs(tilt_deg) <= SETUP_CAMERA_LEVEL_DEG
    if not judged_height:
        camera_m = math.nan  # not level enough to tell: not judged
    elif camera_m < SETUP_CAMERA_HEIGHT_MIN_M:
        advice = (f"The camera is low: raise the laptop by about {_cm_10(SETUP_CAMERA_HEIGHT_MIN_M + 0.2 - camera_m)}"
                  " cm (on a box or books), to about hip height.")
    elif camera_m > SETUP_CAMERA_HEIGHT_MAX_M:
        advice = (f"The camera is high: lower it by about {_cm_10(camera_m - SETUP_CAMERA_HEIGHT_MAX_M + 0.2)} cm, "
                  "to about hip height.")
    items.append(SetupItem("camera_height_m", METRIC_LABELS["camera_height_m"], camera_m, "m", SETUP_CAMERA_HEIGHT_MIN_M,
                           SETUP_CAMERA_HEIGHT_MAX_M, not advice if judged_height else None, advice))
    # Light: how sure MediaPipe is of the legs, and the picture's brightness.
    legs = [LEFT_HIP, RIGHT_HIP, LEFT_KNEE, RIGHT_KNEE, LEFT_ANKLE, RIGHT_ANKLE, LEFT_HEEL, RIGHT_HEEL]
    visibility = nan_median(poses.seen[:, legs])
    advice = ""
    if math.isfinite(brightness) and brightness < SETUP_BRIGHTNESS_MIN:
        advice = "The room is dark: turn on more light, in front of you or beside you."
    elif math.isfinite(brightness) and brightness > SETUP_BRIGHTNESS_MAX:
        advice = "The picture is washed out: turn away from a bright window or lamp behind you, or draw the curtain."
    elif visibility < SETUP_MIN_VISIBILITY:
        advice = ("Your legs are hard to see: light the room from the front, and wear clothes that show your knees "
                  "and ankles.")
    items.append(SetupItem("light_brightness", METRIC_LABELS["light_brightness"], brightness, "grey level", SETUP_BRIGHTNESS_MIN,
                           SETUP_BRIGHTNESS_MAX, not advice, advice))
    # Frame rate: frames analysed per second.
    duration_s = frames[-1].t_s - frames[0].t_s
    fps = (len(frames) - 1) / duration_s if duration_s > 0 else math.nan
    advice = "" if fps >= SETUP_MIN_FPS else (
        f"Only {fps:.0f} frames a second are analysed: close other programs, or choose the faster pose model in "
        "Settings.")
    items.append(SetupItem("frame_rate_fps", METRIC_LABELS["frame_rate_fps"], fps, "frames/s", SETUP_MIN_FPS, math.nan, not advice,
                           advice))
    return items


def setup_passed(items: Sequence[SetupItem]) -> bool:
    """Every item of the set-up check is right (and none is missing)."""
    return len(items) == len(SETUP_ITEMS) and all(item.passed is not False for item in items)


SETUP_ITEMS: tuple[str, ...] = ("person_found_pct", "whole_body_in_view_pct", "body_height_in_picture_pct",
                                "camera_tilt_deg", "camera_height_m", "light_brightness", "frame_rate_fps")


# ---------------------------------------------------------------------------------------------------------------
# 2-3. The standing tests.

@dataclass(frozen=True)
class TestResult:
    """A test's figures, or why there are none (``reason``: one sentence saying what to do)."""

    test: str
    rows: tuple[CheckupRow, ...]
    reason: str = ""
    used_s: float = 0.0  # how many seconds of the frames the figures rest on

    @property
    def measured(self) -> bool:
        return not self.reason


def _still_in_view(poses: _Poses, views: tuple[str, ...]) -> _Poses:
    """The frames where the person stands still, seen in one of ``views``."""
    if not len(poses):
        return poses
    seen_as = np.array([v in views for v in poses.views()])
    return poses.select(seen_as & poses.still())


def _span_s(poses: _Poses) -> float:
    """Seconds covered by the frames (each frame counting the typical frame interval)."""
    if len(poses) < 2:
        return 0.0
    return float(len(poses) * np.median(np.diff(poses.t_s)))


def standing_alignment(frames: Sequence[PoseFrame]) -> TestResult:
    """The mirror test: standing still facing the camera, each knee's alignment (static FPPA, + = the knee inside
    the hip-ankle line), each foot's toe-out, the pelvis and shoulders level (+ = the left side higher).

    The figures are medians over the frames in which the person stands still, facing the camera; fewer than
    ``STANDING_MIN_STILL_S`` of them give no figures and a reason."""
    still = _still_in_view(_Poses.of(frames), (View.FACING,))
    used_s = _span_s(still)
    if used_s < STANDING_MIN_STILL_S:
        return TestResult(STANDING_ALIGNMENT, (), "Stand still, facing the camera, feet hip-width apart, for 5 "
                          "seconds.", used_s)
    views = [View.FACING] * len(still)
    seen = still.seen
    features = frame_features(still.xy, still.world, views, seen)
    shoulders = still.point(LEFT_SHOULDER) - still.point(RIGHT_SHOULDER)
    shoulder_tilt = np.degrees(np.arctan2(-shoulders[:, 1], np.abs(shoulders[:, 0])))
    rows = (
        _row(STANDING_ALIGNMENT, "knee_fppa_deg", "deg", left=nan_median(features[:, F["knee_fppa_left_deg"]]),
             right=nan_median(features[:, F["knee_fppa_right_deg"]]), low=STANDING_KNEE_FPPA_NORMAL_MIN_DEG,
             high=STANDING_KNEE_FPPA_NORMAL_MAX_DEG),
        _row(STANDING_ALIGNMENT, "toe_out_deg", "deg", left=nan_median(features[:, F["foot_progression_left_deg"]]),
             right=nan_median(features[:, F["foot_progression_right_deg"]]), low=FOOT_PROGRESSION_NORMAL_MIN_DEG,
             high=FOOT_PROGRESSION_NORMAL_MAX_DEG),
        _row(STANDING_ALIGNMENT, "pelvis_tilt_deg", "deg", overall=nan_median(features[:, F["pelvic_obliquity_deg"]]),
             low=-LEVEL_NORMAL_MAX_DEG, high=LEVEL_NORMAL_MAX_DEG),
        _row(STANDING_ALIGNMENT, "shoulder_tilt_deg", "deg", overall=nan_median(shoulder_tilt),
             low=-LEVEL_NORMAL_MAX_DEG, high=LEVEL_NORMAL_MAX_DEG),
    )
    return TestResult(STANDING_ALIGNMENT, rows, "", used_s)


def standing_posture(frames: Sequence[PoseFrame], user_height_m: float | None = None) -> TestResult:
    """The wall test, seen side-on: how far the ear, shoulder and hip are ahead of Kendall's plumb line (a point
    ``PLUMB_LINE_AHEAD_OF_ANKLE_CM`` in front of the ankle), in cm; the trunk's forward lean (hip to shoulder) and
    the head's (shoulder to ear) from vertical, in degrees, + = forward.

    The side nearer the camera (the better seen ear, shoulder, hip and ankle) is used; centimetres come from the
    leg's length in the picture and the person's height (1.70 m if not known). One camera cannot see the
    pelvis's tilt (the wall test's "tuck") or whether the feet are flat."""
    still = _still_in_view(_Poses.of(frames), View.SIDE)
    used_s = _span_s(still)
    if used_s < STANDING_MIN_STILL_S:
        return TestResult(STANDING_POSTURE, (), "Stand still, side-on to the camera, arms relaxed, for 5 seconds.",
                          used_s)
    near = max((LEFT, RIGHT), key=lambda side: float(np.nanmean(still.seen[:, _SIDE_POINTS[side]])))
    ear, shoulder, hip, ankle = (still.point(i) for i in _SIDE_POINTS[near])
    facing = np.array([1.0 if v == View.SIDE_RIGHT else -1.0 for v in still.views()])  # + = facing image-right
    cm_per_px = 100.0 * LEG_LENGTH_PER_HEIGHT * (user_height_m or ASSUMED_HEIGHT_M) / still.leg_px()
    plumb_x = ankle[:, 0] + facing * PLUMB_LINE_AHEAD_OF_ANKLE_CM / cm_per_px

    def ahead_cm(point: np.ndarray) -> float:
        return nan_median(facing * (point[:, 0] - plumb_x) * cm_per_px)

    def lean_deg(lower: np.ndarray, upper: np.ndarray) -> float:
        d = upper - lower
        return nan_median(np.degrees(np.arctan2(facing * d[:, 0], -d[:, 1])))

    tol = PLUMB_LINE_TOLERANCE_CM
    rows = tuple(_row(STANDING_POSTURE, f"{name}_ahead_of_plumb_line_cm", "cm", overall=ahead_cm(point), low=-tol,
                      high=tol) for name, point in (("ear", ear), ("shoulder", shoulder), ("hip", hip))) + (
        _row(STANDING_POSTURE, "trunk_lean_forward_deg", "deg", overall=lean_deg(hip, shoulder),
             low=-POSTURE_TRUNK_LEAN_MAX_DEG, high=POSTURE_TRUNK_LEAN_MAX_DEG),
        _row(STANDING_POSTURE, "head_forward_deg", "deg", overall=lean_deg(shoulder, ear), high=HEAD_FORWARD_MAX_DEG),
    )
    return TestResult(STANDING_POSTURE, rows, "", used_s)


_SIDE_POINTS = {LEFT: (LEFT_EAR, LEFT_SHOULDER, LEFT_HIP, LEFT_ANKLE),
                RIGHT: (RIGHT_EAR, RIGHT_SHOULDER, RIGHT_HIP, RIGHT_ANKLE)}


# ---------------------------------------------------------------------------------------------------------------
# 4. The single-leg squat.

@dataclass(frozen=True)
class SquatRep:
    """One repetition of a single-leg squat on ``leg``: its times, depth (the hip's drop below standing, in leg
    lengths), the stance knee's peak FPPA (+ = valgus) and why it is not scored (``too_shallow``: shallower than
    ``SQUAT_MIN_DEPTH_LEG``; ``touched_down``: the free foot came down)."""

    leg: str
    start_s: float
    bottom_s: float
    end_s: float
    depth_leg: float
    knee_fppa_peak_deg: float
    too_shallow: bool
    touched_down: bool

    @property
    def scored(self) -> bool:
        return not (self.too_shallow or self.touched_down) and math.isfinite(self.knee_fppa_peak_deg)


class SquatCounter:
    """Counts single-leg squat repetitions frame by frame (the live check-up counts them aloud) and measures each.

    Standing on one leg = one ankle clearly higher in the picture than the other (``SQUAT_FREE_FOOT_LIFT_LEG``);
    the stance leg is the lower one. A repetition starts when the hip centre drops ``SQUAT_REP_START_LEG`` below
    its standing height on that leg (its median over the last ``SQUAT_STANDING_MEMORY_S``, outside
    repetitions, after at least ``SQUAT_MIN_STANDING_S`` on it) and ends when it is back within half of that. Its
    knee FPPA is the stance knee's at the bottom, as screening protocols measure it: its mean over the frames at
    least ``SQUAT_BOTTOM_FRACTION`` as deep as the deepest (each a ``PEAK_SMOOTHING_S`` moving average; the
    signed extreme of a bent knee's noisy angle would read it ~40 % high on the synthetic walker); the free ankle
    back within ``SQUAT_TOUCH_DOWN_LEG`` of the stance ankle's height at any time in it means the balance was lost.
    """

    def __init__(self) -> None:
        self.reps: list[SquatRep] = []
        self._stance: str | None = None
        self._standing: deque[tuple[float, float, float]] = deque()  # (t, hip y, leg length) standing, px
        self._rep: list[tuple[float, float, float, bool]] | None = None  # (t, depth, fppa, touched) in this rep
        self._recent: deque[tuple[float, float, float]] = deque()  # (t, fppa, hip y) for the moving averages

    def push(self, frame: PoseFrame) -> SquatRep | None:
        """Add a frame; return the repetition it completes, if any."""
        if frame.image_landmarks is None:
            return None
        image = frame.image_landmarks
        seen = np.minimum(image[:, VISIBILITY], image[:, PRESENCE]) >= MIN_VISIBILITY
        needed = [LEFT_HIP, RIGHT_HIP, LEFT_KNEE, RIGHT_KNEE, LEFT_ANKLE, RIGHT_ANKLE]
        if not seen[needed].all():
            return None
        xy = image[:, :2]
        legs_px = {leg: float(np.linalg.norm(xy[h] - xy[k]) + np.linalg.norm(xy[k] - xy[a]))
                   for leg, (h, k, a) in _LEG_POINTS.items()}
        # The longer leg in the picture: the straight one (standing) or the stance one (the free knee is bent).
        leg_px = max(legs_px.values())
        lift = (xy[LEFT_ANKLE, 1] - xy[RIGHT_ANKLE, 1]) / leg_px  # + = the right ankle higher (the left stands)
        t = frame.t_s
        stance = LEFT if lift > SQUAT_FREE_FOOT_LIFT_LEG else RIGHT if lift < -SQUAT_FREE_FOOT_LIFT_LEG else None
        if self._rep is None and stance != self._stance:
            self._stance = stance  # a new leg (or both feet down): its standing height is learnt afresh
            self._standing.clear()
            self._recent.clear()
        leg = self._stance
        if leg is None:
            return None
        other = RIGHT if leg == LEFT else LEFT
        hip, knee, ankle = _LEG_POINTS[leg]
        # The knee's angle and the hip's height (px), averaged over PEAK_SMOOTHING_S: jitter neither starts a
        # repetition nor inflates a peak.
        self._recent.append((t, knee_fppa_deg(xy[hip], xy[knee], xy[ankle], xy[_LEG_POINTS[other][0]]),
                             0.5 * (xy[LEFT_HIP, 1] + xy[RIGHT_HIP, 1])))
        while t - self._recent[0][0] > PEAK_SMOOTHING_S:
            self._recent.popleft()
        fppa_smooth = float(np.mean([v for _, v, _ in self._recent]))
        hip_y = float(np.mean([y for _, _, y in self._recent]))
        touched = abs(lift) < SQUAT_TOUCH_DOWN_LEG
        if self._rep is None:
            self._standing.append((t, hip_y, legs_px[leg]))
            while t - self._standing[0][0] > SQUAT_STANDING_MEMORY_S:
                self._standing.popleft()
        # Depth in leg lengths of the stance leg standing straight (bent, its picture shortens).
        standing_y = float(np.median([y for _, y, _ in self._standing]))
        depth = (hip_y - standing_y) / float(np.median([length for _, _, length in self._standing]))
        if self._rep is None:
            standing_s = self._standing[-1][0] - self._standing[0][0]
            if depth >= SQUAT_REP_START_LEG and stance == leg and standing_s >= SQUAT_MIN_STANDING_S:
                self._rep = [(t, depth, fppa_smooth, touched)]
            return None
        self._rep.append((t, depth, fppa_smooth, touched))
        if depth > 0.5 * SQUAT_REP_START_LEG:
            return None
        done = self._finish(leg)
        self._rep = None
        self._standing.clear()
        self._standing.append((t, hip_y, legs_px[leg]))
        return done

    def _finish(self, leg: str) -> SquatRep:
        times, depths, fppas, touched = (np.array(column) for column in zip(*self._rep))
        bottom = int(np.argmax(depths))
        deep = depths >= SQUAT_BOTTOM_FRACTION * depths[bottom]
        peak = float(np.mean(fppas[deep]))
        rep = SquatRep(leg, float(times[0]), float(times[bottom]), float(times[-1]), float(depths[bottom]),
                       float(peak), bool(depths[bottom] < SQUAT_MIN_DEPTH_LEG), bool(touched.any()))
        self.reps.append(rep)
        return rep


def squat_results(reps: Sequence[SquatRep], legs: tuple[str, ...] = (LEFT, RIGHT)) -> TestResult:
    """Per leg of ``legs`` (the others' cells empty): repetitions counted and scored, the median of the scored
    repetitions' knee FPPA at the bottom (no figure below ``SQUAT_MIN_SCORED_REPS``), against the published band
    for this task."""
    counted = {leg: [r for r in reps if r.leg == leg] for leg in (LEFT, RIGHT)}
    scored = {leg: [r for r in counted[leg] if r.scored] for leg in (LEFT, RIGHT)}
    medians = {leg: nan_median([r.knee_fppa_peak_deg for r in scored[leg]])
               if len(scored[leg]) >= SQUAT_MIN_SCORED_REPS else math.nan for leg in (LEFT, RIGHT)}

    def per_leg(metric: str, figure, **judging) -> CheckupRow:
        cells = {leg: float(figure(leg)) if leg in legs else math.nan for leg in (LEFT, RIGHT)}
        return _row(SINGLE_LEG_SQUAT, metric, "deg" if metric == "knee_fppa_peak_deg" else "repetitions",
                    left=cells[LEFT], right=cells[RIGHT], **judging)

    rows = (
        per_leg("repetitions_counted", lambda leg: len(counted[leg]), judge=False),
        per_leg("repetitions_scored", lambda leg: len(scored[leg]), low=SQUAT_MIN_SCORED_REPS),
        per_leg("too_shallow", lambda leg: sum(r.too_shallow for r in counted[leg]), judge=False),
        per_leg("balance_lost", lambda leg: sum(r.touched_down for r in counted[leg]), judge=False),
        per_leg("knee_fppa_peak_deg", lambda leg: medians[leg], high=SQUAT_KNEE_FPPA_NORMAL_MAX_DEG),
    )
    reason = "" if any(scored.values()) else (
        "No repetition could be scored: stand on one leg, the other foot off the floor, and bend the standing knee "
        "to at least 45 degrees, 5 times on each leg.")
    return TestResult(SINGLE_LEG_SQUAT, rows, reason)


_LEG_POINTS = {LEFT: (LEFT_HIP, LEFT_KNEE, LEFT_ANKLE), RIGHT: (RIGHT_HIP, RIGHT_KNEE, RIGHT_ANKLE)}


# ---------------------------------------------------------------------------------------------------------------
# 5. The timed walk.

def walk_results(summary: Sequence[SummaryRow]) -> TestResult:
    """The timed walk's figures from its summary (``GaitAnalyser.summary``): the steps they rest on, cadence,
    step-time symmetry with its 95 % interval, each knee's FPPA and each side's pelvic drop and toe-out. The
    symmetry passes unless its whole interval is above ``SYMMETRY_INDEX_NOTABLE_PCT`` (as the limp cue)."""
    by_metric = {row.metric: row for row in summary}
    nan_row = SummaryRow("", *(math.nan,) * 6, "")

    def get(metric: str) -> SummaryRow:
        return by_metric.get(metric, nan_row)

    steps, cadence, step_time = get("step_count"), get("cadence_steps_per_min"), get("step_time_s")
    si, low, high = step_time.symmetry_index_pct, step_time.symmetry_index_low_pct, step_time.symmetry_index_high_pct
    si_passed = None if not math.isfinite(si) else not (math.isfinite(low) and low > SYMMETRY_INDEX_NOTABLE_PCT)
    rows = (
        _row(TIMED_WALK, "steps_measured", "steps", left=steps.left, right=steps.right, overall=steps.overall,
             judge=False),
        _row(TIMED_WALK, "cadence_steps_per_min", "steps/min", overall=cadence.overall,
             low=CADENCE_TYPICAL_MIN_STEPS_PER_MIN, high=CADENCE_TYPICAL_MAX_STEPS_PER_MIN),
        _row(TIMED_WALK, "step_time_symmetry_index_pct", "%", overall=si, high=SYMMETRY_INDEX_NOTABLE_PCT,
             passed=si_passed),
        _row(TIMED_WALK, "step_time_symmetry_index_low_pct", "%", overall=low, judge=False),
        _row(TIMED_WALK, "step_time_symmetry_index_high_pct", "%", overall=high, judge=False),
        _row(TIMED_WALK, "knee_fppa_peak_deg", "deg", left=get("knee_fppa_peak_deg").left,
             right=get("knee_fppa_peak_deg").right, high=KNEE_FPPA_VALGUS_CUE_DEG),
        _row(TIMED_WALK, "pelvic_drop_deg", "deg", left=get("pelvic_drop_deg").left,
             right=get("pelvic_drop_deg").right, high=PELVIC_DROP_CUE_DEG),
        _row(TIMED_WALK, "foot_progression_deg", "deg", left=get("foot_progression_deg").left,
             right=get("foot_progression_deg").right, low=FOOT_PROGRESSION_NORMAL_MIN_DEG,
             high=FOOT_PROGRESSION_NORMAL_MAX_DEG),
    )
    reason = "" if steps.overall > 0 else (
        "No steps were found: walk toward the camera and back, turning around away from it, for the whole minute.")
    return TestResult(TIMED_WALK, rows, reason)


# ---------------------------------------------------------------------------------------------------------------
# What a figure means, in plain words (the result cards).

def _side_words(value: float, positive: str, negative: str, level: float, straight: str = "about straight") -> str:
    if not math.isfinite(value):
        return "not measured"
    if abs(value) < level:
        return straight
    return f"{abs(value):.0f}\u00b0 {positive if value > 0 else negative}".rstrip()


def explain(row: CheckupRow) -> str:
    """One or two sentences saying what ``row`` means for the person (coaching, not a diagnosis)."""
    key = (row.test, row.metric)
    ok = {True: "within the usual range.", False: "outside the usual range.", None: "not judged."}[row.passed]
    if key == (STANDING_ALIGNMENT, "knee_fppa_deg"):
        return (f"Seen from the front, against the straight line from hip to ankle: left knee "
                f"{_side_words(row.left, 'inside it', 'outside it', 2)}, right knee "
                f"{_side_words(row.right, 'inside it', 'outside it', 2)}; {ok} A knee that sits inside the line "
                "(knock-kneed) loads the inside of the knee.")
    if key == (STANDING_ALIGNMENT, "toe_out_deg"):
        return (f"Feet: the left points {_side_words(row.left, 'out', 'in', 3)}, the right "
                f"{_side_words(row.right, 'out', 'in', 3)}; {ok} Compare the two: does the one that hurts point "
                "more out?")
    if key in ((STANDING_ALIGNMENT, "pelvis_tilt_deg"), (STANDING_ALIGNMENT, "shoulder_tilt_deg")):
        part = "Pelvis" if row.metric.startswith("pelvis") else "Shoulders"
        return f"{part}: {_side_words(row.overall, 'higher on the left', 'higher on the right', 1, 'level')}; {ok}"
    if row.test == STANDING_POSTURE and row.metric.endswith("_ahead_of_plumb_line_cm"):
        part = row.metric.split("_")[0]
        where = ("over the line" if abs(row.overall) < 2 else
                 f"{abs(row.overall):.0f} cm {'in front of' if row.overall > 0 else 'behind'} the line")
        return (f"Side-on, your {part} is {where} (a plumb line just in front of the ankle); {ok}"
                if math.isfinite(row.overall) else f"Your {part} could not be seen side-on.")
    if key == (STANDING_POSTURE, "trunk_lean_forward_deg"):
        return f"Trunk: {_side_words(row.overall, 'leaning forward', 'leaning back', 2, 'upright')}; {ok}"
    if key == (STANDING_POSTURE, "head_forward_deg"):
        return (f"Head: the shoulder-to-ear line is "
                f"{_side_words(row.overall, 'forward', 'back', 5, 'upright (the ear over the shoulder)')}; {ok} One "
                "camera cannot see the pelvis's tilt or whether the feet are flat: the wall and floor tests in your "
                "notes check those.")
    if key == (SINGLE_LEG_SQUAT, "knee_fppa_peak_deg"):
        legs = ", ".join(f"{name} leg {_side_words(value, 'inside it', 'outside it', 2)}"
                         for name, value in (("left", row.left), ("right", row.right)) if math.isfinite(value))
        return (f"At the bottom of the squat, the knee against the hip-to-ankle line: {legs or 'not measured'}; "
                f"{ok} Published ranges for this squat: about 3-8\u00b0 in men, "
                f"7-{SQUAT_KNEE_FPPA_WOMEN_MAX_DEG:.0f}\u00b0 in women.")
    if key == (SINGLE_LEG_SQUAT, "repetitions_scored"):
        return (f"Repetitions measured: {SQUAT_MIN_SCORED_REPS:g} or more on a leg give its figure (too shallow ones, "
                "or with the other foot down, are not measured).")
    if key == (SINGLE_LEG_SQUAT, "too_shallow"):
        return "Too shallow to measure: bend the standing knee to at least 45\u00b0."
    if key == (SINGLE_LEG_SQUAT, "balance_lost"):
        return "The other foot came down: not measured. Hold on to a chair back with one hand if you need to."
    if key == (TIMED_WALK, "cadence_steps_per_min"):
        return f"Steps a minute: {row.overall:.0f}; {ok}" if math.isfinite(row.overall) else "Cadence: not measured."
    if key == (TIMED_WALK, "step_time_symmetry_index_pct"):
        if not math.isfinite(row.overall):
            return "Step evenness: more steps needed."
        return (f"Your left and right steps differ by about {row.overall:.0f} % in time; "
                + ("they are surely uneven: a limp." if row.passed is False else "no clear limp."))
    if key == (TIMED_WALK, "knee_fppa_peak_deg"):
        return (f"Walking, each knee against its hip-to-ankle line: left {_side_words(row.left, 'inside', 'outside', 2)}"
                f", right {_side_words(row.right, 'inside', 'outside', 2)}; {ok}")
    if key == (TIMED_WALK, "pelvic_drop_deg"):
        return (f"Walking, how far the other hip sinks while you stand on each leg: left leg "
                f"{_side_words(row.left, '', '(it rises)', 1, 'level')}, right leg "
                f"{_side_words(row.right, '', '(it rises)', 1, 'level')}; {ok}")
    if key == (TIMED_WALK, "foot_progression_deg"):
        return (f"Walking, the feet point: left {_side_words(row.left, 'out', 'in', 3)}, right "
                f"{_side_words(row.right, 'out', 'in', 3)}; {ok}")
    if key == (TIMED_WALK, "steps_measured"):
        return "Steps the walk's figures rest on (more steps, surer figures)."
    return f"{metric_label(row)}: {ok}"


# ---------------------------------------------------------------------------------------------------------------
# Lines to draw on the person's own picture (the result cards' snapshot; also for a printed report).

@dataclass(frozen=True)
class Guide:
    """A line to draw over the picture, in its pixels: a limb or body line as measured (``role`` ``"left"`` or
    ``"right"``: that side's; ``"body"``: the trunk's, hips' or shoulders') or where the straight, level or
    plumb line would be (``"reference"``, drawn dashed)."""

    start: tuple[float, float]
    end: tuple[float, float]
    role: str


def _xy(image_landmarks, index: int) -> tuple[float, float]:
    return float(image_landmarks[index, X_PX]), float(image_landmarks[index, Y_PX])


def _leg_guides(image_landmarks, side: str) -> list[Guide]:
    hip, knee, ankle = (_xy(image_landmarks, i) for i in _LEG_POINTS[side])
    return [Guide(hip, knee, side), Guide(knee, ankle, side), Guide(hip, ankle, "reference")]


def _level_guides(image_landmarks, left: int, right: int) -> list[Guide]:
    a, b = _xy(image_landmarks, left), _xy(image_landmarks, right)
    centre_y = 0.5 * (a[1] + b[1])
    return [Guide(a, b, "body"), Guide((a[0], centre_y), (b[0], centre_y), "reference")]


def alignment_guides(image_landmarks) -> list[Guide]:
    """The mirror test's lines: each leg hip-knee-ankle and its straight hip-ankle line, the hip and shoulder
    lines and a level line through each."""
    return (_leg_guides(image_landmarks, LEFT) + _leg_guides(image_landmarks, RIGHT)
            + _level_guides(image_landmarks, LEFT_HIP, RIGHT_HIP)
            + _level_guides(image_landmarks, LEFT_SHOULDER, RIGHT_SHOULDER))


def squat_guides(image_landmarks, leg: str) -> list[Guide]:
    """The squat's lines: the stance leg hip-knee-ankle and its straight hip-ankle line."""
    return _leg_guides(image_landmarks, leg)


def posture_guides(image_landmarks, view: str, user_height_m: float | None = None) -> list[Guide]:
    """The wall test's lines, side-on: the nearer side's ankle-hip-shoulder-ear line and the plumb line
    ``PLUMB_LINE_AHEAD_OF_ANKLE_CM`` in front of its ankle, from the ankle to the top of the head."""
    seen = np.minimum(image_landmarks[:, VISIBILITY], image_landmarks[:, PRESENCE])
    near = max((LEFT, RIGHT), key=lambda side: float(np.mean(seen[list(_SIDE_POINTS[side])])))
    ear, shoulder, hip, ankle = (_xy(image_landmarks, i) for i in _SIDE_POINTS[near])
    hip_l, knee_l, ankle_l = (_xy(image_landmarks, i) for i in _LEG_POINTS[near])
    leg_px = math.dist(hip_l, knee_l) + math.dist(knee_l, ankle_l)
    cm_per_px = 100.0 * LEG_LENGTH_PER_HEIGHT * (user_height_m or ASSUMED_HEIGHT_M) / leg_px
    facing = 1.0 if view == View.SIDE_RIGHT else -1.0
    plumb_x = ankle[0] + facing * PLUMB_LINE_AHEAD_OF_ANKLE_CM / cm_per_px
    top_y = ear[1] - 0.1 * (ankle[1] - ear[1])
    return [Guide((plumb_x, ankle[1]), (plumb_x, top_y), "reference"), Guide(ankle, hip, "body"),
            Guide(hip, shoulder, "body"), Guide(shoulder, ear, "body")]


# What each figure is called on a result card.
METRIC_LABELS: dict[str, str] = {
    "person_found_pct": "Person found", "whole_body_in_view_pct": "Whole body in the picture, feet included",
    "body_height_in_picture_pct": "Distance from the camera", "camera_tilt_deg": "Camera level",
    "camera_height_m": "Camera height", "light_brightness": "Light", "frame_rate_fps": "Frame rate",
    "knee_fppa_deg": "Knee alignment", "toe_out_deg": "Feet (toe-out)", "pelvis_tilt_deg": "Pelvis level",
    "shoulder_tilt_deg": "Shoulders level", "ear_ahead_of_plumb_line_cm": "Ear and the plumb line",
    "shoulder_ahead_of_plumb_line_cm": "Shoulder and the plumb line", "hip_ahead_of_plumb_line_cm":
    "Hip and the plumb line", "trunk_lean_forward_deg": "Trunk lean", "head_forward_deg": "Head position",
    "repetitions_counted": "Repetitions", "repetitions_scored": "Repetitions measured",
    "too_shallow": "Too shallow", "balance_lost": "Other foot came down", "knee_fppa_peak_deg": "Knee at the bottom",
    "steps_measured": "Steps measured", "cadence_steps_per_min": "Cadence",
    "step_time_symmetry_index_pct": "Step evenness (symmetry index)", "step_time_symmetry_index_low_pct":
    "Symmetry index, low end", "step_time_symmetry_index_high_pct": "Symmetry index, high end",
    "pelvic_drop_deg": "Pelvic drop", "foot_progression_deg": "Feet (toe-out) walking",
}


def metric_label(row: CheckupRow) -> str:
    """What ``row`` is called on a card (``SetupItem.label`` for a set-up item)."""
    if row.test == TIMED_WALK and row.metric == "knee_fppa_peak_deg":
        return "Knee alignment walking"
    return METRIC_LABELS.get(row.metric, row.metric.replace("_", " ").capitalize())
