"""Which way the person faces: body yaw from the world hip and shoulder lines, classified into ``View`` values.

Yaw convention (degrees, in (-180, 180]): 0 = facing the camera, +90 = side-on walking toward the image's left,
-90 = walking toward the image's right, 180 = back to the camera (the synthetic walker's convention).
"""
from __future__ import annotations

import math
from collections import deque

import numpy as np

from analysis.landmarks import LEFT_ANKLE, LEFT_HIP, LEFT_SHOULDER, RIGHT_ANKLE, RIGHT_HIP, RIGHT_SHOULDER
from analysis.thresholds import (
    FRONTAL_MAX_YAW_DEG,
    SIDE_MAX_YAW_DEG,
    SIDE_MIN_YAW_DEG,
    VERTICAL_WINDOW_S,
    VIEW_HYSTERESIS_DEG,
    VIEW_MAX_YAW_RATE_DEG_S,
)
from analysis.types import View

_LINE_POINTS = [LEFT_HIP, RIGHT_HIP, LEFT_SHOULDER, RIGHT_SHOULDER]  # the hip and shoulder lines, left point first


def left_direction_xz(hip_left, hip_right, shoulder_left, shoulder_right) -> tuple[float, float]:
    """The person's left direction ``l`` on the ground plane, ``(l_x, l_z)``, from world points ``(x, y, z)``: the
    sum of the right-to-left hip and shoulder directions, each normalised on the ground plane. NaN when a line has
    zero length or a point is missing."""
    hip_x, hip_z = hip_left[0] - hip_right[0], hip_left[2] - hip_right[2]
    sho_x, sho_z = shoulder_left[0] - shoulder_right[0], shoulder_left[2] - shoulder_right[2]
    hip_n, sho_n = math.hypot(hip_x, hip_z), math.hypot(sho_x, sho_z)
    if not (hip_n > 0 and sho_n > 0):
        return math.nan, math.nan
    return hip_x / hip_n + sho_x / sho_n, hip_z / hip_n + sho_z / sho_n


def body_yaw_deg(world_landmarks: np.ndarray) -> np.ndarray | float:
    """Body yaw from world landmarks ``(..., 33, 3)``: the mean of the hip and shoulder lines' directions.

    The person's left direction ``l`` (``left_direction_xz``) gives the forward direction ``(l_z, -l_x)``;
    yaw = ``atan2(-l_z, l_x)``. NaN when a line has zero length.
    """
    lines = np.asarray(world_landmarks, dtype=float)[..., _LINE_POINTS, :]
    if lines.ndim == 2:  # one frame (the live path): plain floats are several times faster than numpy here
        return _yaw_deg(*lines.tolist())
    yaws = [_yaw_deg(*points) for points in lines.reshape(-1, len(_LINE_POINTS), 3).tolist()]
    return np.array(yaws).reshape(lines.shape[:-2])


def _yaw_deg(hip_left, hip_right, shoulder_left, shoulder_right) -> float:
    lx, lz = left_direction_xz(hip_left, hip_right, shoulder_left, shoulder_right)
    return math.degrees(math.atan2(-lz, lx))


def view_from_yaw(yaw_deg: float, previous: str = View.UNKNOWN, hysteresis_deg: float = VIEW_HYSTERESIS_DEG) -> str:
    """Sector classification of one yaw; the ``previous`` view's sector is widened by ``hysteresis_deg``."""
    if not math.isfinite(yaw_deg):
        return View.UNKNOWN
    a = abs(yaw_deg)

    def sector(view: str, margin: float) -> bool:
        if view == View.FACING:
            return a <= FRONTAL_MAX_YAW_DEG + margin
        if view == View.BACK:
            return a >= 180.0 - FRONTAL_MAX_YAW_DEG - margin
        if view == View.SIDE_LEFT:
            return SIDE_MIN_YAW_DEG - margin <= yaw_deg <= SIDE_MAX_YAW_DEG + margin
        if view == View.SIDE_RIGHT:
            return -SIDE_MAX_YAW_DEG - margin <= yaw_deg <= -SIDE_MIN_YAW_DEG + margin
        return False

    if previous != View.UNKNOWN and sector(previous, hysteresis_deg):
        return previous
    for view in (View.FACING, View.BACK, View.SIDE_RIGHT, View.SIDE_LEFT):
        if sector(view, 0.0):
            return view
    return View.UNKNOWN


class ViewClassifier:
    """Streaming view classifier: yaw sectors with hysteresis; a fast body rotation is a turn (unknown).

    Parameters
    ----------
    max_yaw_rate_deg_s
        Yaw change faster than this, measured over ``rate_window_s``, makes the view ``View.UNKNOWN`` (turning).
    rate_window_s
        Baseline of the yaw-rate estimate (long enough that landmark noise does not look like turning).

    Attributes
    ----------
    yaw_deg_
        Yaw of the last frame (NaN without a pose).
    view_
        View of the last frame.
    """

    def __init__(self, max_yaw_rate_deg_s: float = VIEW_MAX_YAW_RATE_DEG_S, rate_window_s: float = 0.2) -> None:
        if not max_yaw_rate_deg_s > 0:
            raise ValueError(f"max_yaw_rate_deg_s must be > 0, got {max_yaw_rate_deg_s!r}")
        if not rate_window_s > 0:
            raise ValueError(f"rate_window_s must be > 0, got {rate_window_s!r}")
        self.max_yaw_rate_deg_s = max_yaw_rate_deg_s
        self.rate_window_s = rate_window_s
        self.reset()

    def reset(self) -> None:
        self._history: deque[tuple[float, float]] = deque()  # (t_s, unwrapped yaw)
        self.yaw_deg_ = math.nan
        self.view_ = View.UNKNOWN

    def update(self, t_s: float, world_landmarks: np.ndarray | None) -> str:
        """Classify one frame; ``world_landmarks`` None (no pose) gives ``View.UNKNOWN``."""
        yaw = math.nan if world_landmarks is None else body_yaw_deg(world_landmarks)
        self.yaw_deg_ = yaw
        if not math.isfinite(yaw):
            self._history.clear()
            self.view_ = View.UNKNOWN
            return self.view_
        if self._history:
            last = self._history[-1][1]
            unwrapped = last + ((yaw - last + 180.0) % 360.0 - 180.0)
        else:
            unwrapped = yaw
        self._history.append((t_s, unwrapped))
        while len(self._history) > 2 and t_s - self._history[1][0] >= self.rate_window_s:
            self._history.popleft()
        t0, y0 = self._history[0]
        turning = False
        if t_s - t0 >= 0.5 * self.rate_window_s:
            turning = abs(unwrapped - y0) / (t_s - t0) > self.max_yaw_rate_deg_s
        previous = View.UNKNOWN if turning else self.view_
        self.view_ = View.UNKNOWN if turning else view_from_yaw(yaw, previous)
        return self.view_


class BodyVertical:
    """Levels MediaPipe's world landmarks: their axes follow the camera, so a camera pitched down (a high camera) or
    up (a laptop on a low table) tilts the body's vertical into the depth axis.

    Measured on the annotated real clips: the hips-to-ankles direction leans 7 deg (side view), 14 deg (walking
    toward a hand-held camera) and 32 deg (walking away from a high camera) into depth. Depth then mixes in
    height: the feet sit "ahead of" the pelvis whatever they do, and a heel lifting in swing moves in depth. The
    vertical is the mean hip-minus-ankle direction over the last ``VERTICAL_WINDOW_S`` (the feet swing fore and aft
    of the pelvis and average out under it), from upright frames with the hips and ankles in view; the landmarks are
    rotated about the camera's x axis so that it is straight up. Only the pitch is undone: a sideways roll does not
    move depth.
    """

    _ENDS = [LEFT_HIP, RIGHT_HIP, LEFT_ANKLE, RIGHT_ANKLE]

    def __init__(self, window_s: float = VERTICAL_WINDOW_S) -> None:
        self.window_s = window_s
        self.reset()

    def reset(self) -> None:
        self._legs: deque[tuple[float, float, float]] = deque()  # (t_s, hip-minus-ankle y, z), metres
        self._sum_y = self._sum_z = 0.0
        self.pitch_deg_ = math.nan  # the camera pitch last undone, degrees, positive looking down (NaN: none yet)

    def learn(self, t_s: float, world_landmarks: np.ndarray, seen: np.ndarray, min_visibility: float) -> None:
        """Add an upright frame's hips-to-ankles direction (as MediaPipe gives it) to the estimate, if its hips and
        ankles are seen at least ``min_visibility`` (a foot guessed beyond the picture's edge says nothing of the
        camera's pitch; a seated person's ankles are not below their hips)."""
        hip_l, hip_r, ankle_l, ankle_r = world_landmarks[self._ENDS, :].tolist()
        if min(seen[self._ENDS].tolist()) >= min_visibility:
            up_y = 0.5 * (hip_l[1] + hip_r[1] - ankle_l[1] - ankle_r[1])
            up_z = 0.5 * (hip_l[2] + hip_r[2] - ankle_l[2] - ankle_r[2])
            if math.isfinite(up_y) and math.isfinite(up_z):
                self._legs.append((t_s, up_y, up_z))
                self._sum_y += up_y
                self._sum_z += up_z
        while self._legs and t_s - self._legs[0][0] > self.window_s:
            _, old_y, old_z = self._legs.popleft()
            self._sum_y -= old_y
            self._sum_z -= old_z

    def level(self, world_landmarks: np.ndarray) -> np.ndarray:
        """The world landmarks rotated so that the vertical learnt so far is straight up (unchanged until known)."""
        if not self._legs or not self._sum_y < 0:  # image y points down: "up" has a negative y
            return world_landmarks
        # The rotation about x that turns (y, z) = (sum_y, sum_z) into (-|sum|, 0).
        angle = math.atan2(-self._sum_z, -self._sum_y)
        self.pitch_deg_ = math.degrees(angle)
        c, s = math.cos(angle), math.sin(angle)
        # Row vectors times the transposed rotation: y' = c y + s z, z' = c z - s y.
        return world_landmarks @ np.array(((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c)))
