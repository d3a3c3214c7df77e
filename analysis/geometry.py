"""Per-frame geometry: the landmarks the analysis reads, laid out as one flat sample per frame, and the angles
and event signals computed from a sample (knee FPPA and flexion, pelvic obliquity, trunk lean, foot progression,
the heels and toes relative to the pelvis), in plain floats so that one live frame costs microseconds.

``FEATURES`` names each value of a frame's feature row (``F`` maps a name to its index): the event signals
(computed from the raw landmarks and smoothed as signals, ``EVENT_SIGNALS``/``EV``) and the figures. Sign
conventions: ``analysis.results``.
"""
from __future__ import annotations

import math

import numpy as np

from analysis.landmarks import (
    LEFT_ANKLE, LEFT_FOOT_INDEX, LEFT_HEEL, LEFT_HIP, LEFT_KNEE, LEFT_SHOULDER,
    RIGHT_ANKLE, RIGHT_FOOT_INDEX, RIGHT_HEEL, RIGHT_HIP, RIGHT_KNEE, RIGHT_SHOULDER,
)
from analysis.thresholds import LEG_LENGTH_PER_HEIGHT, MIN_VISIBILITY, check_user_height_m
from analysis.types import LEFT, RIGHT, View
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


def leg_length_m(user_height_m: float | None) -> float:
    """Hip-to-ankle leg length from body height (Winter 2009); NaN when the height is unknown."""
    if check_user_height_m(user_height_m) is None:
        return math.nan
    return LEG_LENGTH_PER_HEIGHT * user_height_m


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
