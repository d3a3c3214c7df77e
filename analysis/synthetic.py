"""Synthetic walker: BlazePose-shaped landmark streams of a person walking, with exact ground truth.

Part of the product: the app's demo mode plays these walks, and the accuracy tests of the gait analyser score
it against :class:`WalkTruth`. Pure Python + numpy/scipy.

How a walk is made (all in a *scene* frame: metres, x = image right, y = down, z = away from the camera,
ground at y = 0, camera at ``(0, -camera_height_m, 0)`` looking along +z):

1. **Footprints.** Initial contacts (IC) alternate left/right with the spec's step times; each toe off (TO)
   follows the next contralateral IC by one double-support period. Each foot is placed so that its ankle is
   under the pelvis path at its mid-stance, half a step width from the walking line, rotated by its toe-out.
2. **Feet.** A stance foot never slides: it rotates about the heel from IC to foot flat (heel rocker), lies
   flat, then rotates about the toe tip from heel off to TO (forefoot rocker). The swing ankle follows a cubic
   Hermite from its TO state to its IC state (velocities match at TO; at IC the foot still moves forward), with
   its progress advanced and a dip in terminal swing so the knee extends before IC; the swing foot's pitch
   follows the shank, the ankle reaching neutral by mid-swing, and dorsiflexes when needed for toe clearance.
3. **Pelvis.** Passes over each stance ankle at mid-stance (a spline, which gives the lateral sway), with
   transverse rotation and frontal obliquity (pelvic drop); its height is the highest that keeps each loaded
   knee at least as flexed as a normal knee-flexion curve (plus any valgus), blended by a soft minimum. The
   vertical bob (two per stride) follows from this geometry instead of being imposed.
4. **Knees** by two-link inverse kinematics in the plane of the hip-ankle line and the walking direction,
   swung medially to give the requested frontal-plane projection angle (valgus). Segment lengths never change.
5. **Upper body**: trunk with lean, counter-rotating shoulders, arms swinging opposite to the legs, head.
6. **Camera**: pinhole projection, MediaPipe-like depth, visibility, correlated jitter and detection dropouts.

Overground walks that would leave the picture follow a "stadium" loop (straight pass, walking U-turn, straight
pass back, ...), so a ``"toward"`` walk alternates facing and back passes and a ``"left"`` walk alternates left
and right passes; ``views`` tells which is which. A treadmill walk stays in one place and one view.

Pose noise
----------
``pose_noise="mediapipe"`` reproduces MediaPipe's noise as measured by :func:`measure_pose_noise` on its cached
poses of the annotated real clips (``tests/data/real_video_events/``; ``benchmarks/pose_noise.py`` prints the
table). Jitter and depth: median frame-to-frame step of a flat stance foot (heel, ankle, toe; world ``z`` of
the heel), as a fraction of the leg length. Creep: heel travel in the 67 ms after IC over the hip's
(0 = a sharp corner). Swaps: share of judged single-support frames whose leg labels are swapped, mean run.

==============================  ====  =========  ========  ======  =======  ==========
clip                            fps   view       jitter    depth   creep    swaps, run
==============================  ====  =========  ========  ======  =======  ==========
side_walk_60fps_short           60    side       1.30 %    0.51 %  (-1.0)   21.8 %, 5.7
side_walk_back_and_forth        30    side       4.72 %    1.96 %  0.18     14.9 %, 1.4
side_walk_two_people            30    side       2.17 %    1.51 %  0.63     1.3 %, 1.0
frontal_walk_toward_outdoor     30    facing     0.59 %    1.44 %
back_walk_away_warehouse        15    back       2.87 %    2.74 %
**preset target** (30 fps)            side       2.2 %     1.5 %   0.23     12 %, 1-4 frames
**preset target** (30 fps)            frontal    1.3 %     2.0 %
==============================  ====  =========  ========  ======  =======  ==========

The creep of side_walk_60fps_short (-1.0) rests on two contacts, one during a label swap: no rounding figure.
side_walk_two_people's creep read 0.28 when first measured and 0.63 since the walker is followed from her first
whole-body frames (more contacts, some at the frame's edge): the preset keeps 0.23, between the two clips'
readings at the time, so its rounding may be kinder than MediaPipe's. The swaps exchange the legs below the hips
only: the body's yaw from the hip and shoulder lines moves by at most 2-4 deg from frame to frame (90th
percentile) on the real side clips, through every swap (swapping the hips too flipped it by ~80 deg, 90th
percentile, and made a third of side-on frames read as no view).
The jitter in px follows the person's size (the crop MediaPipe works on): the plain ``noise_px`` jitter of
1.5 px is 1.4 % of a leg of 110 px at 3.5 m but 2.7 % at 7 m (the preset's stays the same). Left out:
MediaPipe's lag (its filter is causal; the rounding here is centred, so event times stay unbiased),
view-dependent dropouts, and the slow drift of a hand-held camera.

References
----------
* Winter DA (2009). *Biomechanics and Motor Control of Human Movement*, 4th ed., Fig. 4.1: segment lengths as
  fractions of body height.
* Perry J, Burnfield JM (2010). *Gait Analysis: Normal and Pathological Function*, 2nd ed.: gait phases
  (stance 60 %, double support 10 % each, heel off ~31 %), knee flexion ~15-20 deg in loading response and
  ~60 deg in initial swing, pelvic rotation ~+-4 deg and obliquity ~+-4 deg.
* Bazarevsky V et al. (2020). *BlazePose: On-device Real-time Body Pose tracking*: the 33-landmark topology.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.interpolate import CubicSpline, PchipInterpolator
from scipy.ndimage import gaussian_filter1d
from scipy.special import logsumexp

from analysis import landmarks as lm
from analysis.thresholds import USER_HEIGHT_MAX_M, USER_HEIGHT_MIN_M
from analysis.types import INITIAL_CONTACT, LEFT, RIGHT, TOE_OFF, GaitEvent, PoseFrame, View

DIRECTIONS = ("toward", "away", "left", "right")
ACTIVITIES = ("walk", "stand", "sway", "turn", "single_leg_squat")
LIMPS = ("none", "step_to", "antalgic", "cane")
POSE_NOISE = ("plain", "mediapipe")

# Heading ("yaw") of each direction: 0 = facing the camera, +90 = walking to the image's left, 180 = back.
DIRECTION_YAW_DEG = {"toward": 0.0, "away": 180.0, "left": 90.0, "right": -90.0}
VIEW_TOLERANCE_DEG = 30.0  # a view is true within this many degrees of its canonical heading

_UP = np.array([0.0, -1.0, 0.0])  # scene y points down
_FOOT_SIGN = {LEFT: 1.0, RIGHT: -1.0}  # + = the person's left (lateral axis of the body)

# Gait timing as fractions of the stride (Perry & Burnfield 2010).
_DOUBLE_SUPPORT_FRACTION = 0.10  # each of the two double-support periods
_HEEL_ROCKER_FRACTION = 0.07  # IC to foot flat
_FOREFOOT_ROCKER_FRACTION = 0.25  # heel off (~35 % of the cycle) to TO (60 %)
_FOOT_PITCH_IC_DEG = 18.0  # foot toe-up angle to the ground at heel strike
_FOOT_PITCH_TO_DEG = 55.0  # foot toe-down angle to the ground at toe off
_ANKLE_SWING_DORSIFLEXION_DEG = 0.0  # ankle angle from mid-swing (0 = foot square to the shank)
_KNEE_MIN_FLEXION_DEG = 4.0  # a loaded knee is never fully straight
# Single-leg squat: the weight shifts over the stance foot and the other foot lifts in the first second, then each
# repetition goes down and up (a cosine bell) with a pause standing between repetitions.
_SQUAT_LEAD_IN_S = 1.5
_SQUAT_FREE_FOOT_LIFT_M = 0.20  # the free ankle's height above its standing height (at 1.70 m; scaled with height)
_SQUAT_FREE_FOOT_BACK_M = 0.10  # and how far behind the stance foot it is held
_SQUAT_SHALLOW_FRACTION = 0.5  # a "shallow" repetition reaches this fraction of the depth
_KNEE_LOADING_FLEXION_DEG = 14.0  # extra flexion, peaking at ~15 % of the cycle (loading response)
_KNEE_PRESWING_FLEXION_DEG = 30.0  # extra flexion reached at TO (the knee is at ~35-40 deg at TO)
_PELVIC_ROTATION_DEG = 4.0  # transverse rotation: the hip of the leading leg goes forward
_ANKLE_UNDER_PELVIS_FRACTION = 0.20  # of the stride after IC: when the stance ankle is right under the pelvis
_PELVIS_SWAY_M = 0.022  # lateral pelvis excursion toward the stance side (about 4.5 cm peak to peak)
_HEEL_STRIKE_SPEED_FRACTION = 0.4  # forward speed of the ankle at IC, as a fraction of walking speed
_SWING_ADVANCE = 1.0  # forward progress of the swing foot ahead of a plain Hermite (0..3.4 keeps it monotone)
_SWING_DESCENT_ADVANCE = 3.3  # the same for its height
_SWING_DIP_M = 0.025  # how much lower than the Hermite the ankle passes in terminal swing
_TOE_CLEARANCE_M = 0.012  # least toe (and heel) height in mid-swing (Winter: ~1-2 cm)  # extra ankle lift in swing for toe clearance (at 1.70 m; scaled with height)
_ARM_SWING_DEG_PER_M = 40.0  # shoulder flexion per metre of contralateral ankle ahead of the pelvis
_SOFT_MIN_SHARPNESS_PER_M = 400.0  # pelvis height soft minimum: within log(2)/400 = 1.7 mm of the hard one
_UTURN_RADIUS_M = 0.35  # walking U-turn at the end of an overground pass (a tight, pivoting turn)
_FRAME_MARGIN = 0.03  # keep landmarks this fraction of the image size inside its border
# Step-to gait: the affected heel lands this far behind the hip centre (the acted limp on real video: 0.08-0.13).
_STEP_TO_HEEL_BEHIND_PELVIS_LEG = 0.105
_STEP_TO_SOUND_HEEL_AHEAD_LEG = (0.0, 0.6)  # plausible range of the sound heel ahead of the pelvis at its IC
_CANE_HAND_FORWARD_GAIN = 0.6  # the cane hand moves forward this fraction of the painful ankle's excursion
_CANE_TIP_LATERAL_M = 0.12  # the cane tip lands this far outside the sound foot (at 1.70 m; scaled with height)


@dataclass(frozen=True)
class WalkerSpec:
    """What to synthesise. Every field has a default; angles in degrees, lengths in metres.

    Parameters
    ----------
    direction
        ``"toward"`` (facing the camera, walking toward it), ``"away"`` (back to the camera), ``"left"``
        (side-on, walking to the image's left) or ``"right"``. For standing activities: which way the person
        faces. Overground walks turn around at the end of each pass (see the module notes).
    activity
        ``"walk"``; ``"stand"`` (still, with slight postural sway); ``"sway"`` (standing, shifting weight from
        side to side); ``"turn"`` (turning on the spot through full circles, no steps); ``"single_leg_squat"``
        (on ``squat_leg``, the other foot lifted, repetitions of ``squat_depth_deg``: see :func:`squat_reps`).
    treadmill
        Walk in place: the pelvis stays at ``camera_distance_m`` and the stance foot slides back at belt speed.
    cadence_steps_per_min
        Steps per minute (two steps per stride).
    step_time_asymmetry_pct
        Signed symmetry index of step time, ``100 * (L - R) / (0.5 * (L + R))``; positive = left steps longer.
        "Left step time" is the time from a right IC to the next left IC (the step that ends with a left IC).
        It is also the size of a limp (below): the truth's signed SI equals it for every ``limp``.
    limp
        Gait pattern of a painful ``limp_side``. ``"none"``. ``"step_to"``: the affected foot lands level with
        or behind the other one (step length ``affected_step_length_m``), its heel about 0.1 leg lengths behind
        the hip centre at IC (as an acted limp on real video, 0.08-0.13), and the sound foot steps past it; the
        timing is ``step_time_asymmetry_pct`` (either sign). ``"antalgic"``: short stance on the painful side,
        the sound foot landing sooner: ``step_time_asymmetry_pct`` must make the sound side's step the short
        one (negative for a painful right side); the painful stance is then shorter than the sound one by
        ``|SI| / 100`` mean step times. ``"cane"``: antalgic timing (usually milder: a real walker with a cane
        had SI 12.8 %) with a cane in the hand opposite the painful side, landing with the painful foot: that
        arm stops swinging, its wrist and hand come down to hip height and move forward and back with the
        painful foot (the cane itself is no landmark; a pose model can mistake it for a leg only through them).
    limp_side
        ``"left"`` or ``"right"``: the painful (affected) side of a ``limp``.
    affected_step_length_m
        ``"step_to"`` only: heel-to-heel length, along the walk, of the step that ends with the affected foot's
        IC (0 = lands level with the other foot, negative = behind it). ``step_length_m`` stays the mean of the
        two steps; by default the sound step is then the normal step length for the height and cadence.
    step_length_m
        Heel-to-heel distance along the walking direction; ``None``: a realistic value for the height and
        cadence (``height * (0.24 + 0.0016 * cadence)``, 0.71 m for 1.70 m at 110 steps/min).
    knee_valgus_left_deg, knee_valgus_right_deg
        Peak frontal-plane projection angle of that knee in stance, reached at mid-stance (positive = knee
        medial of the hip-ankle line = valgus; negative = varus). Standing keeps the knee at this angle; a
        single-leg squat's stance knee reaches it at the bottom of each full repetition (in proportion to the
        depth on the way).
    pelvic_drop_deg
        Peak pelvic obliquity in single support, the swing side low (normal gait: about 4-5 deg).
    trunk_lean_lateral_deg
        Constant lateral trunk lean, positive toward the person's right.
    trunk_lean_forward_deg
        Constant forward trunk lean.
    toe_out_left_deg, toe_out_right_deg
        Foot progression angle, positive = toe out.
    pelvis_obliquity_deg
        Standing activities: a constant pelvic obliquity, positive = the left hip higher.
    shoulder_tilt_deg
        A constant tilt of the shoulder line within the trunk, positive = the left shoulder higher.
    head_forward_deg
        The neck's forward inclination from the trunk's line (a forward head posture), positive = forward.
    pelvis_ahead_m
        Standing activities: the pelvis this far ahead of the point between the ankles (a sway-back posture;
        the trunk stays upright above it unless ``trunk_lean_forward_deg`` says otherwise).
    squat_leg
        ``"single_leg_squat"``: the stance leg (the other foot is held up and behind).
    squat_depth_deg
        Knee flexion added at the bottom of a full repetition (published protocols ask for at least 45 deg).
    squat_period_s, squat_pause_s
        Time down and up of one repetition, and the pause standing between repetitions.
    squat_shallow_reps
        0-based repetitions that reach only half of the depth.
    squat_touch_down_reps
        0-based repetitions in which the free foot comes down to the floor at the bottom (balance lost).
    height_m
        Body height; segment lengths follow Winter (2009).
    camera_distance_m
        Distance from the camera to the walking line (side walks), the walking area's centre (frontal walks,
        moved back if needed to keep the whole body in frame) or the person (treadmill and standing).
    camera_height_m
        Height of the camera's optical centre; the camera looks horizontally.
    image_width_px, image_height_px
        Size of the analysed image.
    horizontal_fov_deg
        Horizontal field of view of the pinhole camera (square pixels).
    world_pitch_deg
        MediaPipe's world landmarks come in the camera's axes, so they lean with a camera pitched down (positive)
        or up: the body's vertical tilts into depth (measured on the annotated real clips: 7 deg side-on, 14 deg
        walking toward a hand-held camera, 32 deg walking away from a high one). Only the world landmarks lean:
        the image stays that of the level camera.
    fps
        Frame rate; frames are evenly spaced from t = 0.
    duration_s
        Length of the walk.
    noise_px
        ``pose_noise="plain"``: standard deviation of the image-landmark jitter; world jitter is the same at the
        hip's depth (and twice that along the depth axis, which monocular pose estimates know least).
    pose_noise
        ``"plain"``: jitter of ``noise_px``. ``"mediapipe"``: noise as bad as MediaPipe's on the annotated real
        clips (see :data:`MEDIAPIPE_NOISE` and the "Pose noise" notes): jitter and depth noise in proportion
        to the leg's size in the image, rounded heel and toe paths at contact, and leg-label swaps side-on;
        ``noise_px`` is then unused.
    dropout_rate
        Fraction of frames without a pose, in bursts of 1-4 frames.
    far_leg_low_visibility
        In side views the far leg gets visibility 0.2-0.5 and three times the jitter, as MediaPipe does.
    walk_length_m
        Length of one straight overground pass; ``None``: 3 m for frontal walks, and the width that keeps the
        whole body in frame for side walks.
    sway_amplitude_m, sway_period_s
        Lateral pelvis excursion and period of the ``"sway"`` activity.
    turn_speed_deg_per_s
        Turning speed of the ``"turn"`` activity (positive: toward the person's right, so the heading goes from
        facing to walking toward the image's left); ``None``: one circle per duration.
    seed
        Seed of the random generator (jitter, visibility, dropouts); the clean motion does not depend on it.
    """

    direction: str = "toward"
    activity: str = "walk"
    treadmill: bool = False
    cadence_steps_per_min: float = 110.0
    step_time_asymmetry_pct: float = 0.0
    limp: str = "none"
    limp_side: str = "right"
    affected_step_length_m: float = 0.0
    step_length_m: float | None = None
    knee_valgus_left_deg: float = 0.0
    knee_valgus_right_deg: float = 0.0
    pelvic_drop_deg: float = 0.0
    trunk_lean_lateral_deg: float = 0.0
    trunk_lean_forward_deg: float = 0.0
    toe_out_left_deg: float = 7.0
    toe_out_right_deg: float = 7.0
    pelvis_obliquity_deg: float = 0.0
    shoulder_tilt_deg: float = 0.0
    head_forward_deg: float = 0.0
    pelvis_ahead_m: float = 0.0
    squat_leg: str = "right"
    squat_depth_deg: float = 60.0
    squat_period_s: float = 2.5
    squat_pause_s: float = 1.0
    squat_shallow_reps: tuple[int, ...] = ()
    squat_touch_down_reps: tuple[int, ...] = ()
    height_m: float = 1.70
    camera_distance_m: float = 3.5
    camera_height_m: float = 0.9
    image_width_px: int = 640
    image_height_px: int = 360
    horizontal_fov_deg: float = 70.0
    world_pitch_deg: float = 0.0
    fps: float = 30.0
    duration_s: float = 10.0
    noise_px: float = 1.5
    pose_noise: str = "plain"
    dropout_rate: float = 0.0
    far_leg_low_visibility: bool = True
    walk_length_m: float | None = None
    sway_amplitude_m: float = 0.05
    sway_period_s: float = 3.0
    turn_speed_deg_per_s: float | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        _check_choice("direction", self.direction, DIRECTIONS)
        _check_choice("activity", self.activity, ACTIVITIES)
        _check_range("cadence_steps_per_min", self.cadence_steps_per_min, 40.0, 180.0)
        # Beyond +-60 % one step would be shorter than a double support plus the foot's rockers.
        _check_range("step_time_asymmetry_pct", self.step_time_asymmetry_pct, -60.0, 60.0)
        _check_choice("limp", self.limp, LIMPS)
        _check_choice("limp_side", self.limp_side, (LEFT, RIGHT))
        _check_range("affected_step_length_m", self.affected_step_length_m, -0.4, 0.0)
        if self.limp in ("antalgic", "cane") and self.step_time_asymmetry_pct * _FOOT_SIGN[self.limp_side] < 0:
            raise ValueError(
                f"step_time_asymmetry_pct={self.step_time_asymmetry_pct} makes the painful {self.limp_side} side's "
                f"step the short one; a {self.limp} limp shortens the sound side's step (use the other sign)")
        if self.limp == "step_to" and self.activity == "walk":
            leg_m = BodyDimensions.from_height(self.height_m).leg_m
            low, high = _STEP_TO_SOUND_HEEL_AHEAD_LEG
            ahead_leg = self.step_to_sound_heel_ahead_m / leg_m
            if not low <= ahead_leg <= high:
                raise ValueError(
                    f"step_to with step_time_asymmetry_pct={self.step_time_asymmetry_pct} and "
                    f"affected_step_length_m={self.affected_step_length_m} puts the sound heel {ahead_leg:.2f} leg "
                    f"lengths ahead of the pelvis at its IC (must be {low}-{high}): change either")
        if self.step_length_m is not None:
            _check_range("step_length_m", self.step_length_m, 0.1, 1.2)
        _check_range("knee_valgus_left_deg", self.knee_valgus_left_deg, -25.0, 25.0)
        _check_range("knee_valgus_right_deg", self.knee_valgus_right_deg, -25.0, 25.0)
        _check_range("pelvic_drop_deg", self.pelvic_drop_deg, -20.0, 20.0)
        _check_range("trunk_lean_lateral_deg", self.trunk_lean_lateral_deg, -45.0, 45.0)
        _check_range("trunk_lean_forward_deg", self.trunk_lean_forward_deg, -30.0, 60.0)
        _check_range("toe_out_left_deg", self.toe_out_left_deg, -40.0, 40.0)
        _check_range("toe_out_right_deg", self.toe_out_right_deg, -40.0, 40.0)
        _check_range("pelvis_obliquity_deg", self.pelvis_obliquity_deg, -15.0, 15.0)
        _check_range("shoulder_tilt_deg", self.shoulder_tilt_deg, -15.0, 15.0)
        _check_range("head_forward_deg", self.head_forward_deg, -20.0, 60.0)
        _check_range("pelvis_ahead_m", self.pelvis_ahead_m, -0.15, 0.15)
        _check_choice("squat_leg", self.squat_leg, (LEFT, RIGHT))
        _check_range("squat_depth_deg", self.squat_depth_deg, 0.0, 100.0)
        _check_range("squat_period_s", self.squat_period_s, 0.5, 10.0)
        _check_range("squat_pause_s", self.squat_pause_s, 0.0, 10.0)
        _check_range("height_m", self.height_m, USER_HEIGHT_MIN_M, USER_HEIGHT_MAX_M)
        _check_range("camera_distance_m", self.camera_distance_m, 1.0, 30.0)
        _check_range("camera_height_m", self.camera_height_m, 0.1, 3.0)
        _check_range("world_pitch_deg", self.world_pitch_deg, -60.0, 60.0)
        _check_range("image_width_px", self.image_width_px, 64, 10000)
        _check_range("image_height_px", self.image_height_px, 64, 10000)
        _check_range("horizontal_fov_deg", self.horizontal_fov_deg, 20.0, 150.0)
        _check_range("fps", self.fps, 1.0, 1000.0)
        _check_range("duration_s", self.duration_s, 0.1, 3600.0)
        _check_range("noise_px", self.noise_px, 0.0, 100.0)
        _check_choice("pose_noise", self.pose_noise, POSE_NOISE)
        _check_range("dropout_rate", self.dropout_rate, 0.0, 0.5)
        if self.walk_length_m is not None:
            _check_range("walk_length_m", self.walk_length_m, 0.5, 100.0)
        _check_range("sway_amplitude_m", self.sway_amplitude_m, 0.0, 0.2)
        _check_range("sway_period_s", self.sway_period_s, 0.2, 60.0)
        if self.turn_speed_deg_per_s is not None:
            _check_range("turn_speed_deg_per_s", self.turn_speed_deg_per_s, -720.0, 720.0)
        if self.duration_s * self.fps < 2:
            raise ValueError(f"duration_s={self.duration_s} at fps={self.fps} gives fewer than 2 frames")

    @property
    def stride_time_s(self) -> float:
        return 120.0 / self.cadence_steps_per_min

    @property
    def step_times_s(self) -> tuple[float, float]:
        """(left, right) step times: left = right IC to the next left IC."""
        left_s = 0.5 * self.stride_time_s * (1.0 + self.step_time_asymmetry_pct / 200.0)
        return left_s, self.stride_time_s - left_s

    @property
    def effective_step_length_m(self) -> float:
        if self.step_length_m is not None:
            return self.step_length_m
        normal_m = self.height_m * (0.24 + 0.0016 * self.cadence_steps_per_min)
        if self.limp == "step_to":  # a normal sound step past an affected foot that stays level or behind
            return 0.5 * (normal_m + self.affected_step_length_m)
        return normal_m

    @property
    def step_to_sound_heel_ahead_m(self) -> float:
        """Step-to gait: how far the sound heel lands ahead of the pelvis, so that the affected step (landing
        ``_STEP_TO_HEEL_BEHIND_PELVIS_LEG`` behind the pelvis after one affected step time) has its length."""
        left_s, right_s = self.step_times_s
        affected_s = right_s if self.limp_side == RIGHT else left_s
        behind_m = _STEP_TO_HEEL_BEHIND_PELVIS_LEG * BodyDimensions.from_height(self.height_m).leg_m
        return self.walking_speed_m_per_s * affected_s - behind_m - self.affected_step_length_m

    @property
    def walking_speed_m_per_s(self) -> float:
        return 2.0 * self.effective_step_length_m / self.stride_time_s


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high):
        raise ValueError(f"{name} must be a number in [{low}, {high}], got {value!r}")


@dataclass(frozen=True)
class BodyDimensions:
    """Segment lengths for a body height (Winter 2009, Fig. 4.1, as fractions of height H).

    Attributes
    ----------
    thigh_m, shank_m
        Hip joint to knee (0.245 H) and knee to ankle (0.246 H).
    foot_length_m
        Heel to toe tip (0.152 H).
    ankle_height_m
        Ankle (malleolus) above the ground with the foot flat (0.039 H).
    ankle_from_heel_m
        Ankle ahead of the back of the heel (0.22 of the foot length).
    hip_width_m
        Between the hip joint centres (0.12 H; Winter's 0.191 H is across the trochanters).
    shoulder_width_m
        Between the shoulder landmarks (0.22 H, bi-acromial; Winter's 0.259 H includes the deltoids).
    trunk_m
        Hip centre to shoulder centre (0.818 H - 0.530 H).
    neck_m
        Shoulder centre to the midpoint between the ears (0.925 H - 0.818 H).
    upper_arm_m, forearm_m
        Shoulder to elbow (0.186 H) and elbow to wrist (0.146 H).
    hand_m
        Wrist to fingertip (0.108 H).
    step_width_m
        Lateral distance between the feet's centre lines in walking (0.05 H, about 8.5 cm).
    stance_width_m
        The same when standing (0.10 H).
    """

    height_m: float
    thigh_m: float
    shank_m: float
    foot_length_m: float
    ankle_height_m: float
    ankle_from_heel_m: float
    hip_width_m: float
    shoulder_width_m: float
    trunk_m: float
    neck_m: float
    upper_arm_m: float
    forearm_m: float
    hand_m: float
    step_width_m: float
    stance_width_m: float

    @classmethod
    def from_height(cls, height_m: float) -> BodyDimensions:
        h = height_m
        return cls(
            height_m=h, thigh_m=0.245 * h, shank_m=0.246 * h, foot_length_m=0.152 * h,
            ankle_height_m=0.039 * h, ankle_from_heel_m=0.22 * 0.152 * h, hip_width_m=0.12 * h,
            shoulder_width_m=0.22 * h, trunk_m=(0.818 - 0.530) * h, neck_m=(0.925 - 0.818) * h,
            upper_arm_m=0.186 * h, forearm_m=0.146 * h, hand_m=0.108 * h, step_width_m=0.05 * h,
            stance_width_m=0.10 * h,
        )

    @property
    def leg_m(self) -> float:
        """Hip joint to ankle with the knee straight."""
        return self.thigh_m + self.shank_m


@dataclass(frozen=True)
class WalkTruth:
    """The true metrics of a synthetic walk, computed from its exact events and clean landmarks.

    Only complete intervals inside ``[0, last frame time]`` count. ``nan`` where a metric does not apply (no
    steps; frontal metrics of a walk never seen from the front).

    Attributes
    ----------
    cadence_steps_per_min
        ``120 / (step_time_left_s + step_time_right_s)``: two steps per mean stride.
    walking_speed_m_per_s
        Mean speed of the pelvis over the ground (on a treadmill: the belt speed).
    step_time_left_s, step_time_right_s
        Mean step time; a left step runs from a right IC to the next left IC (it ends with a left IC).
    step_time_si_pct
        ``100 * |L - R| / (0.5 * (L + R))`` of the two mean step times.
    stance_time_left_s, stance_time_right_s
        Mean time from IC to the same foot's TO.
    step_length_m, step_length_left_m, step_length_right_m
        Heel-to-heel distance along the walking direction at IC (a left step ends with the left heel ahead),
        over steps on straight passes; on a treadmill measured on the belt.
    knee_fppa_peak_left_deg, knee_fppa_peak_right_deg
        Mean over that leg's stances of the peak frontal-plane projection angle in the clean image during
        mid-stance (the middle half of stance, where the collapse peaks and the knee is nearly straight; the
        value of largest magnitude, so a varus knee peaks negative), see
        :func:`frontal_plane_projection_angle_deg`. Only stances seen exactly from the front or back (heading
        within 1 deg) count: in a U-turn the knee's forward bend would show as a sideways one. Perspective
        still adds a little (the knee's forward bend seen slightly from the side), most on an off-axis pass.
    pelvic_drop_deg
        Mean over single-support periods (seen exactly from the front or back) of the peak pelvic obliquity in
        the clean image, swing-side hip low positive, see :func:`pelvic_obliquity_deg`.
    trunk_lean_lateral_deg, trunk_lean_forward_deg
        Mean angle of hip centre -> shoulder centre from vertical in the clean world landmarks, projected on the
        body's frontal plane (positive toward the person's right) and sagittal plane (positive forward).
    foot_progression_left_deg, foot_progression_right_deg
        Angle between heel -> toe and the walking direction in the ground plane at mid-stance, from the clean
        world landmarks, toe out positive, over stances on straight passes.
    """

    cadence_steps_per_min: float
    walking_speed_m_per_s: float
    step_time_left_s: float
    step_time_right_s: float
    step_time_si_pct: float
    stance_time_left_s: float
    stance_time_right_s: float
    step_length_m: float
    step_length_left_m: float
    step_length_right_m: float
    knee_fppa_peak_left_deg: float
    knee_fppa_peak_right_deg: float
    pelvic_drop_deg: float
    trunk_lean_lateral_deg: float
    trunk_lean_forward_deg: float
    foot_progression_left_deg: float
    foot_progression_right_deg: float


@dataclass(frozen=True)
class SyntheticWalk:
    """A generated walk.

    Attributes
    ----------
    spec
        What was asked for.
    frames
        What the pose estimator would give: jittered, with dropouts (``image_landmarks`` and
        ``world_landmarks`` ``None``).
    clean_frames
        The same frames without jitter or dropouts (same visibility and presence as ``frames``).
    events
        True IC and TO of each foot at their exact (sub-frame) times, sorted by time.
    views
        True :class:`~analysis.types.View` of each frame, from the heading: within 30 deg of facing the camera,
        of the back, or of side-on (walking toward the image's left / right); ``UNKNOWN`` in between.
    yaw_deg
        Heading of each frame: 0 = facing the camera, 90 = walking toward the image's left, +-180 = back.
    truth
        The true metrics.
    body
        The segment lengths used.
    """

    spec: WalkerSpec
    frames: list[PoseFrame]
    clean_frames: list[PoseFrame]
    events: list[GaitEvent]
    views: list[str]
    yaw_deg: np.ndarray
    truth: WalkTruth
    body: BodyDimensions

    @property
    def times_s(self) -> np.ndarray:
        return np.array([f.t_s for f in self.clean_frames])


# ---------------------------------------------------------------------------------------------------------
# Public helpers that define the truth (the analyser may use them too).


def frontal_plane_projection_angle_deg(
    hip_xy: np.ndarray, knee_xy: np.ndarray, ankle_xy: np.ndarray, other_hip_xy: np.ndarray
) -> np.ndarray:
    """Frontal-plane projection angle (FPPA) of a knee from 2-D image points, ``(..., 2)`` arrays.

    The angle between the thigh (hip -> knee) and the shank (knee -> ankle): 0 when the knee is on the
    hip-ankle line, positive when the knee lies on the medial side of that line (toward ``other_hip_xy``, the
    other leg's hip) = valgus, negative = varus.
    """
    thigh = knee_xy - hip_xy
    shank = ankle_xy - knee_xy
    cross = thigh[..., 0] * shank[..., 1] - thigh[..., 1] * shank[..., 0]
    dot = np.sum(thigh * shank, axis=-1)
    magnitude = np.degrees(np.abs(np.arctan2(cross, dot)))
    line = ankle_xy - hip_xy
    # Sides of the hip-ankle line: the knee's and the other hip's (medial).
    knee_side = line[..., 0] * (knee_xy - hip_xy)[..., 1] - line[..., 1] * (knee_xy - hip_xy)[..., 0]
    medial_side = line[..., 0] * (other_hip_xy - hip_xy)[..., 1] - line[..., 1] * (other_hip_xy - hip_xy)[..., 0]
    return np.where(knee_side * medial_side >= 0.0, magnitude, -magnitude)


def pelvic_obliquity_deg(stance_hip_xy: np.ndarray, swing_hip_xy: np.ndarray) -> np.ndarray:
    """Pelvic obliquity in an image (``y`` down), positive when the swing-side hip is lower (pelvic drop)."""
    d = swing_hip_xy - stance_hip_xy
    return np.degrees(np.arctan2(d[..., 1], np.abs(d[..., 0])))


@dataclass(frozen=True)
class SquatRep:
    """One repetition of a synthetic single-leg squat: its times, its depth (fraction of ``squat_depth_deg``) and
    whether the free foot came down to the floor at its bottom."""

    start_s: float
    bottom_s: float
    end_s: float
    depth_fraction: float
    touch_down: bool


def squat_reps(spec: WalkerSpec) -> list[SquatRep]:
    """The repetitions of a ``"single_leg_squat"`` that end within its duration (none for other activities)."""
    if spec.activity != "single_leg_squat":
        return []
    reps, start, i = [], _SQUAT_LEAD_IN_S, 0
    while start + spec.squat_period_s <= spec.duration_s:
        depth = _SQUAT_SHALLOW_FRACTION if i in spec.squat_shallow_reps else 1.0
        reps.append(SquatRep(start, start + 0.5 * spec.squat_period_s, start + spec.squat_period_s, depth,
                             i in spec.squat_touch_down_reps))
        start += spec.squat_period_s + spec.squat_pause_s
        i += 1
    return reps


def squat_depth_fraction(spec: WalkerSpec, t_s: np.ndarray) -> np.ndarray:
    """How deep a single-leg squat is at times ``t_s``: 0 standing, 1 at the bottom of a full repetition."""
    t_s = np.asarray(t_s, dtype=float)
    depth = np.zeros(t_s.shape)
    for rep in squat_reps(spec):
        inside = (t_s >= rep.start_s) & (t_s <= rep.end_s)
        phase = (t_s[inside] - rep.start_s) / (rep.end_s - rep.start_s)
        depth[inside] = rep.depth_fraction * 0.5 * (1.0 - np.cos(2.0 * np.pi * phase))
    return depth


def _squat_weight_shift(t_s: np.ndarray) -> np.ndarray:
    """0 -> 1 over the first half of the lead-in: the pelvis moves over the stance foot."""
    return _smoothstep(np.clip(t_s / (0.5 * _SQUAT_LEAD_IN_S), 0.0, 1.0))


def _squat_free_foot_lift(spec: WalkerSpec, t_s: np.ndarray) -> np.ndarray:
    """0 -> 1 over the second half of the lead-in (the free foot lifts), back to 0 around the bottom of each
    repetition whose free foot comes down."""
    lift = _smoothstep(np.clip((t_s - 0.5 * _SQUAT_LEAD_IN_S) / (0.5 * _SQUAT_LEAD_IN_S), 0.0, 1.0))
    for rep in squat_reps(spec):
        if rep.touch_down:
            quarter = 0.25 * (rep.end_s - rep.start_s)
            away = np.clip(np.abs(t_s - rep.bottom_s) / quarter, 0.0, 1.0)
            lift = np.minimum(lift, _smoothstep(away))
    return lift


def stance_intervals(events: list[GaitEvent], foot: str) -> list[tuple[float, float]]:
    """Complete stances ``(IC time, TO time)`` of one foot, in time order."""
    intervals = []
    ic_s = None
    for event in sorted(events):
        if event.foot != foot:
            continue
        if event.kind == INITIAL_CONTACT:
            ic_s = event.t_s
        elif ic_s is not None:
            intervals.append((ic_s, event.t_s))
            ic_s = None
    return intervals


def view_from_yaw(yaw_deg: np.ndarray) -> list[str]:
    """True view for each heading (see :attr:`SyntheticWalk.views`)."""
    yaw = _wrap_deg(np.asarray(yaw_deg, dtype=float))
    views = np.full(yaw.shape, View.UNKNOWN, dtype=object)
    views[np.abs(yaw) < VIEW_TOLERANCE_DEG] = View.FACING
    views[np.abs(yaw) > 180.0 - VIEW_TOLERANCE_DEG] = View.BACK
    views[np.abs(yaw - 90.0) < VIEW_TOLERANCE_DEG] = View.SIDE_LEFT
    views[np.abs(yaw + 90.0) < VIEW_TOLERANCE_DEG] = View.SIDE_RIGHT
    return list(views)


# ---------------------------------------------------------------------------------------------------------
# Geometry helpers. Ground-plane vectors are 3-D with y = 0; "heading" vectors are unit and horizontal.


def _wrap_deg(angle_deg: np.ndarray) -> np.ndarray:
    return (angle_deg + 180.0) % 360.0 - 180.0


def _forward_from_yaw(yaw_rad: np.ndarray) -> np.ndarray:
    yaw_rad = np.asarray(yaw_rad, dtype=float)
    return np.stack([-np.sin(yaw_rad), np.zeros_like(yaw_rad), -np.cos(yaw_rad)], axis=-1)


def _yaw_from_forward(forward: np.ndarray) -> np.ndarray:
    return np.arctan2(-forward[..., 0], -forward[..., 2])


def _left_of(forward: np.ndarray) -> np.ndarray:
    """The person's left for a horizontal forward vector (up x forward, with up = -y)."""
    return np.stack([-forward[..., 2], np.zeros(forward.shape[:-1]), forward[..., 0]], axis=-1)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=-1)


def _rotate_about_vertical(points: np.ndarray, centre: np.ndarray, angle_rad: np.ndarray) -> np.ndarray:
    """Rotate ``(n, k, 3)`` points about the vertical through ``(n, 3)`` centres so headings gain ``angle``."""
    c = np.cos(angle_rad)[:, None]
    s = np.sin(angle_rad)[:, None]
    rel = points - centre[:, None, :]
    x = rel[..., 0] * c + rel[..., 2] * s
    z = -rel[..., 0] * s + rel[..., 2] * c
    return np.stack([x, rel[..., 1], z], axis=-1) + centre[:, None, :]


def _in_foot_plane(heading: np.ndarray, along_m: np.ndarray, up_m: np.ndarray) -> np.ndarray:
    return along_m[..., None] * heading + up_m[..., None] * _UP


def _pitch(along_m: float, up_m: float, pitch_rad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rotate a foot-frame vector (along, up) by pitch (positive = toe up)."""
    c, s = np.cos(pitch_rad), np.sin(pitch_rad)
    return along_m * c - up_m * s, along_m * s + up_m * c


def _smoothstep(u: np.ndarray) -> np.ndarray:
    return u * u * (3.0 - 2.0 * u)


def _hermite(u: np.ndarray, duration: np.ndarray, x0: np.ndarray, v0: np.ndarray, x1: np.ndarray,
             v1: np.ndarray) -> np.ndarray:
    """Cubic Hermite from (x0, v0) to (x1, v1) over ``duration``, at fractions ``u`` (rows match)."""
    h00, h10 = 2 * u**3 - 3 * u**2 + 1, u**3 - 2 * u**2 + u
    h01, h11 = -2 * u**3 + 3 * u**2, u**3 - u**2
    if x0.ndim == 2:
        h00, h10, h01, h11, duration = (a[:, None] for a in (h00, h10, h01, h11, duration))
    return h00 * x0 + h10 * duration * v0 + h01 * x1 + h11 * duration * v1


# ---------------------------------------------------------------------------------------------------------
# Walking path.


@dataclass(frozen=True)
class _Path:
    """Where the pelvis goes: a straight line, or a stadium loop (pass, U-turn, pass back, U-turn)."""

    start: np.ndarray  # (3,) ground point at s = 0
    forward: np.ndarray  # (3,) heading of the first pass
    turn_side: np.ndarray  # (3,) unit, toward the side the first U-turn goes
    straight_m: float  # math.inf: no loop
    radius_m: float = _UTURN_RADIUS_M

    def at(self, s_m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Ground point, heading and "on a straight pass" flag at arc lengths ``s_m`` (any shape)."""
        s_m = np.asarray(s_m, dtype=float)
        u, w, r, length = self.forward, self.turn_side, self.radius_m, self.straight_m
        flat = s_m.reshape(-1)
        if not math.isfinite(length):
            pos = self.start + flat[:, None] * u
            fwd = np.broadcast_to(u, pos.shape).copy()
            straight = np.ones(flat.shape, dtype=bool)
        else:
            perimeter = 2.0 * length + 2.0 * math.pi * r
            # Before s = 0 the first pass extends straight back (the walker arrives from there).
            q = np.where(flat < 0.0, flat, np.mod(flat, perimeter))
            pos = np.empty(flat.shape + (3,))
            fwd = np.empty(flat.shape + (3,))
            seg1 = q < length
            seg2 = (q >= length) & (q < length + math.pi * r)
            seg3 = (q >= length + math.pi * r) & (q < 2.0 * length + math.pi * r)
            seg4 = q >= 2.0 * length + math.pi * r
            pos[seg1] = self.start + q[seg1, None] * u
            fwd[seg1] = u
            th = (q[seg2, None] - length) / r
            pos[seg2] = self.start + length * u + r * w + r * (-w * np.cos(th) + u * np.sin(th))
            fwd[seg2] = w * np.sin(th) + u * np.cos(th)
            back = q[seg3, None] - length - math.pi * r
            pos[seg3] = self.start + length * u + 2.0 * r * w - back * u
            fwd[seg3] = -u
            th = (q[seg4, None] - 2.0 * length - math.pi * r) / r
            pos[seg4] = self.start + r * w + r * (w * np.cos(th) - u * np.sin(th))
            fwd[seg4] = -w * np.sin(th) - u * np.cos(th)
            straight = seg1 | seg3
        shape = s_m.shape
        return pos.reshape(shape + (3,)), fwd.reshape(shape + (3,)), straight.reshape(shape)


# ---------------------------------------------------------------------------------------------------------
# Camera.


@dataclass(frozen=True)
class _Camera:
    width_px: int
    height_px: int
    focal_px: float
    height_m: float

    @classmethod
    def from_spec(cls, spec: WalkerSpec) -> _Camera:
        focal = 0.5 * spec.image_width_px / math.tan(math.radians(0.5 * spec.horizontal_fov_deg))
        return cls(spec.image_width_px, spec.image_height_px, focal, spec.camera_height_m)

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pixel coordinates ``(..., 2)`` and depth ``(...)`` of scene points ``(..., 3)``."""
        depth = points[..., 2]
        x = 0.5 * self.width_px + self.focal_px * points[..., 0] / depth
        y = 0.5 * self.height_px + self.focal_px * (points[..., 1] + self.height_m) / depth
        return np.stack([x, y], axis=-1), depth

    def nearest_whole_body_m(self, height_m: float, reach_m: float) -> float:
        """Nearest distance of the pelvis at which feet ``reach_m`` nearer and the head top stay in frame."""
        usable_below = (0.5 - _FRAME_MARGIN) * self.height_px
        feet = reach_m + self.focal_px * self.height_m / usable_below
        head = self.focal_px * max(height_m - self.height_m, 0.0) / usable_below
        return max(feet, head)

    def half_width_m(self, distance_m: float) -> float:
        return distance_m * (0.5 - _FRAME_MARGIN) * self.width_px / self.focal_px


# ---------------------------------------------------------------------------------------------------------
# Footprints and feet.


@dataclass(frozen=True)
class _Footprints:
    """One foot's stances in time order (belt frame on a treadmill)."""

    ic_s: np.ndarray  # (m,)
    to_s: np.ndarray  # (m,)
    heel: np.ndarray  # (m, 3) heel on the ground
    heading: np.ndarray  # (m, 3) heel -> toe direction (toe-out applied)
    walk_forward: np.ndarray  # (m, 3) walking direction at mid-stance
    straight: np.ndarray  # (m,) on a straight pass

    @property
    def mid_s(self) -> np.ndarray:
        return 0.5 * (self.ic_s + self.to_s)


class _FootModel:
    """Pose of one foot at any time: rockers in stance, a Hermite swing in between (see module notes)."""

    def __init__(self, prints: _Footprints, body: BodyDimensions, stride_s: float,
                 walking_speed_m_per_s: float) -> None:
        self.prints = prints
        self.walking_speed_m_per_s = walking_speed_m_per_s
        self.body = body
        self.stride_s = stride_s
        self.heel_rocker_s = _HEEL_ROCKER_FRACTION * stride_s
        self.forefoot_rocker_s = _FOREFOOT_ROCKER_FRACTION * stride_s

    def stance_state(self, k: np.ndarray, t_s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Ankle ``(n, 3)``, pitch ``(n,)`` and heading ``(n, 3)`` of stance ``k`` at times ``t_s``."""
        p, b = self.prints, self.body
        heel, heading = p.heel[k], p.heading[k]
        heel_rocker = np.clip((t_s - p.ic_s[k]) / self.heel_rocker_s, 0.0, 1.0)
        forefoot = np.clip((t_s - (p.to_s[k] - self.forefoot_rocker_s)) / self.forefoot_rocker_s, 0.0, 1.0)
        # Quadratic profiles: the foot slaps down fastest at IC and lifts fastest at TO (continuous into swing).
        pitch = (np.radians(_FOOT_PITCH_IC_DEG) * (1.0 - heel_rocker) ** 2
                 - np.radians(_FOOT_PITCH_TO_DEG) * forefoot ** 2)
        about_heel = heel + _in_foot_plane(heading, *_pitch(b.ankle_from_heel_m, b.ankle_height_m, pitch))
        toe = heel + b.foot_length_m * heading
        about_toe = toe + _in_foot_plane(
            heading, *_pitch(b.ankle_from_heel_m - b.foot_length_m, b.ankle_height_m, pitch))
        ankle = np.where((forefoot > 0.0)[:, None], about_toe, about_heel)
        return ankle, pitch, heading

    def state(self, t_s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Ankle, pitch, heading, index of the current/last stance and the in-stance flag at times ``t_s``."""
        p = self.prints
        k = np.searchsorted(p.ic_s, t_s, side="right") - 1
        if np.any(k < 0) or np.any((t_s >= p.to_s[k]) & (k + 1 >= len(p.ic_s))):
            raise AssertionError("footprints do not cover the requested times")
        in_stance = t_s < p.to_s[k]
        ankle, pitch, heading = self.stance_state(k, t_s)
        swing = ~in_stance
        if np.any(swing):
            ks, ts = k[swing], t_s[swing]
            ankle[swing], pitch[swing], heading[swing] = self._swing_state(ks, ts)
        return ankle, pitch, heading, k, in_stance

    def _swing_state(self, k: np.ndarray, t_s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p, eps = self.prints, 1e-4
        t0, t1 = p.to_s[k], p.ic_s[k + 1]
        duration = t1 - t0
        a0, p0, h0 = self.stance_state(k, t0)
        a0_before, p0_before, _ = self.stance_state(k, t0 - eps)
        a1, p1, h1 = self.stance_state(k + 1, t1)
        a1_after, p1_after, _ = self.stance_state(k + 1, t1 + eps)
        u = (t_s - t0) / duration
        va0, va1 = (a0 - a0_before) / eps, (a1_after - a1) / eps
        # The foot still moves forward when the heel strikes (it stops within a few ms of contact).
        va1 = va1 + _HEEL_STRIKE_SPEED_FRACTION * self.walking_speed_m_per_s * p.walk_forward[k + 1]
        # Progress along the Hermite is advanced (end velocities kept), more for the height: the foot comes
        # down early and travels low in terminal swing while the knee extends.
        ankle = _hermite(u + _SWING_ADVANCE * u**2 * (1.0 - u) ** 2, duration, a0, va0, a1, va1)
        low = _hermite(u + _SWING_DESCENT_ADVANCE * u**2 * (1.0 - u) ** 2, duration, a0, va0, a1, va1)
        ankle[:, 1] = low[:, 1]
        # In terminal swing the foot skims low while the knee extends (peak of the dip at 3/4 of swing).
        dip = u**6 * (1.0 - u) ** 2 / (0.75**6 * 0.25**2)
        ankle = ankle - (_SWING_DIP_M * self.body.height_m / 1.70 * dip)[:, None] * _UP
        vp0, vp1 = (p0 - p0_before) / eps, (p1_after - p1) / eps
        pitch = _hermite(u, duration, p0, vp0, p1, vp1)
        yaw0, yaw1 = _yaw_from_forward(h0), _yaw_from_forward(h1)
        dyaw = np.radians(_wrap_deg(np.degrees(yaw1 - yaw0)))
        heading = _forward_from_yaw(yaw0 + dyaw * _smoothstep(u))
        return ankle, pitch, heading

    def points(self, ankle: np.ndarray, pitch: np.ndarray, heading: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Heel and toe tip for ankle poses."""
        b = self.body
        heel = ankle + _in_foot_plane(heading, *_pitch(-b.ankle_from_heel_m, -b.ankle_height_m, pitch))
        toe = ankle + _in_foot_plane(
            heading, *_pitch(b.foot_length_m - b.ankle_from_heel_m, -b.ankle_height_m, pitch))
        return heel, toe


# ---------------------------------------------------------------------------------------------------------
# Knee geometry.


class _Knee:
    """Two-link leg: relation between knee bend, hip-ankle distance and the knee's offset from that line."""

    def __init__(self, thigh_m: float, shank_m: float) -> None:
        self.thigh_m, self.shank_m = thigh_m, shank_m
        self._bend_rad = np.radians(np.linspace(0.0, 120.0, 1201))
        self._distance_m = np.sqrt(thigh_m**2 + shank_m**2 + 2 * thigh_m * shank_m * np.cos(self._bend_rad))
        self._offset_m = thigh_m * shank_m * np.sin(self._bend_rad) / self._distance_m

    def offset_m(self, bend_deg: np.ndarray) -> np.ndarray:
        return np.interp(np.radians(bend_deg), self._bend_rad, self._offset_m)

    def distance_for_offset_m(self, offset_m: np.ndarray) -> np.ndarray:
        return np.interp(offset_m, self._offset_m, self._distance_m)

    def medial_offset_m(self, fppa_deg: np.ndarray, upper_m: np.ndarray, lower_m: np.ndarray) -> np.ndarray:
        """Offset ``e`` off the line with ``atan(e / upper) + atan(e / lower) = fppa`` (closed form)."""
        tan_f = np.tan(np.radians(fppa_deg))
        total = upper_m + lower_m
        safe = np.where(np.abs(tan_f) > 1e-12, tan_f, 1.0)
        e = (-total + np.sqrt(total**2 + 4.0 * tan_f**2 * upper_m * lower_m)) / (2.0 * safe)
        return np.where(np.abs(tan_f) > 1e-12, e, 0.0)

    def solve(self, hip: np.ndarray, ankle: np.ndarray, forward: np.ndarray, medial: np.ndarray,
              fppa_deg: np.ndarray) -> np.ndarray:
        """Knee positions: bend toward ``forward``, swung toward ``medial`` to make the frontal ``fppa_deg``."""
        t, s = self.thigh_m, self.shank_m
        line = ankle - hip
        d = np.minimum(np.linalg.norm(line, axis=-1), t + s - 1e-9)
        u = line / d[:, None]
        a = (t**2 - s**2 + d**2) / (2.0 * d)
        r = np.sqrt(np.maximum(t**2 - a**2, 0.0))
        n_fwd = _unit(forward - _dot(forward, u)[:, None] * u)
        n_med = np.cross(u, n_fwd)
        n_med *= np.sign(_dot(n_med, medial))[:, None]
        frontal_scale = np.sqrt(np.maximum(1.0 - _dot(u, forward) ** 2, 1e-6))
        e = np.clip(self.medial_offset_m(fppa_deg, a * frontal_scale, (d - a) * frontal_scale), -r, r)
        r_fwd = np.sqrt(np.maximum(r**2 - e**2, 0.0))
        return hip + a[:, None] * u + r_fwd[:, None] * n_fwd + e[:, None] * n_med


# ---------------------------------------------------------------------------------------------------------
# The motion.


@dataclass(frozen=True)
class _Motion:
    points: np.ndarray  # (n, 33, 3) clean scene coordinates
    yaw_deg: np.ndarray  # (n,) heading
    walk_forward: np.ndarray  # (n, 3) walking direction (body frame for truth)
    feet: dict[str, _Footprints]  # belt frame
    foot_models: dict[str, _FootModel]
    belt_speed_m_per_s: float  # 0 overground


def _gait_footprints(spec: WalkerSpec, body: BodyDimensions, path: _Path, t_end_s: float) -> dict[str, _Footprints]:
    stride = spec.stride_time_s
    _, right_step = spec.step_times_s
    double_support = _DOUBLE_SUPPORT_FRACTION * stride
    speed = spec.walking_speed_m_per_s
    # A left IC at -0.3 stride so t = 0 falls in mid-stride; three strides of margin at each end.
    first = -0.3 * stride - 3 * stride
    count = int(math.ceil((t_end_s - first) / stride)) + 4
    lefts = first + stride * np.arange(count)
    ics = np.empty(2 * count)
    ics[0::2], ics[1::2] = lefts, lefts + right_step
    feet = np.array([LEFT, RIGHT] * count)
    tos = ics[1:] + double_support  # TO follows the next contralateral IC by one double support
    ics, feet = ics[:-1], feet[:-1]
    # How far each ankle lands ahead of the pelvis (arc length): normally it is under it at 20 % of the stride.
    ahead = np.full(len(ics), speed * _ANKLE_UNDER_PELVIS_FRACTION * stride)
    if spec.limp == "step_to":
        heel_ahead = np.where(feet == spec.limp_side, -_STEP_TO_HEEL_BEHIND_PELVIS_LEG * body.leg_m,
                              spec.step_to_sound_heel_ahead_m)
        ahead = heel_ahead + body.ankle_from_heel_m
    ground, forward, straight = path.at(speed * ics + ahead)
    sign = np.array([_FOOT_SIGN[f] for f in feet])
    toe_out = np.where(feet == LEFT, spec.toe_out_left_deg, spec.toe_out_right_deg)
    ankle_ground = ground + (sign * 0.5 * body.step_width_m)[:, None] * _left_of(forward)
    heading = _forward_from_yaw(_yaw_from_forward(forward) - np.radians(sign * toe_out))
    heel = ankle_ground - body.ankle_from_heel_m * heading
    return {
        f: _Footprints(ics[feet == f], tos[feet == f], heel[feet == f], heading[feet == f],
                       forward[feet == f], straight[feet == f])
        for f in (LEFT, RIGHT)
    }


def _standing_footprints(spec: WalkerSpec, body: BodyDimensions, centre: np.ndarray,
                         forward: np.ndarray) -> dict[str, _Footprints]:
    prints = {}
    for foot, sign in _FOOT_SIGN.items():
        toe_out = spec.toe_out_left_deg if foot == LEFT else spec.toe_out_right_deg
        heading = _forward_from_yaw(_yaw_from_forward(forward) - np.radians(sign * toe_out))
        ankle = centre + sign * 0.5 * body.stance_width_m * _left_of(forward)
        # Large finite contact times instead of infinities keep every formula finite.
        prints[foot] = _Footprints(np.array([-1e6]), np.array([1e6]),
                                   (ankle - body.ankle_from_heel_m * heading)[None],
                                   heading[None], forward[None], np.array([True]))
    return prints


def _make_path(spec: WalkerSpec, camera: _Camera, body: BodyDimensions) -> _Path:
    forward = _forward_from_yaw(math.radians(DIRECTION_YAW_DEG[spec.direction]))
    if spec.treadmill or spec.activity != "walk":
        return _Path(np.array([0.0, 0.0, spec.camera_distance_m]), forward, _left_of(forward), math.inf)
    reach = 0.3 * body.height_m  # the feet and hands reach this far from the pelvis along the walk
    if spec.direction in ("toward", "away"):
        length = spec.walk_length_m if spec.walk_length_m is not None else 3.0
        near = max(spec.camera_distance_m - 0.5 * length, camera.nearest_whole_body_m(body.height_m, reach))
        start_z = near + length if spec.direction == "toward" else near
        return _Path(np.array([0.0, 0.0, start_z]), forward, np.array([1.0, 0.0, 0.0]), length)
    # Side walks: U-turn away from the camera so the return pass stays in frame.
    if spec.walk_length_m is not None:
        length = spec.walk_length_m
    else:
        length = 2.0 * (camera.half_width_m(spec.camera_distance_m) - reach - _UTURN_RADIUS_M)
        if length < 0.5:
            raise ValueError(
                f"camera_distance_m={spec.camera_distance_m} is too close for a side walk in this field of view")
    start = np.array([0.0, 0.0, spec.camera_distance_m]) - 0.5 * length * forward
    return _Path(start, forward, np.array([0.0, 0.0, 1.0]), length)


class _Legs:
    """Pelvis and legs at any times (the lower body is computed again at exact event times for the swing)."""

    def __init__(self, spec: WalkerSpec, body: BodyDimensions, path: _Path, t_end_s: float) -> None:
        self.spec, self.body, self.path = spec, body, path
        self.walking = spec.activity == "walk"
        self.stride_s = spec.stride_time_s if self.walking else 1.0
        self.knee = _Knee(body.thigh_m, body.shank_m)
        if self.walking:
            self.feet = _gait_footprints(spec, body, path, t_end_s)
            f = self.feet
            # The pelvis keeps the walking speed along the path, swaying toward the stance foot (for normal
            # footprints it passes over each stance ankle at 20 % of the stride).
            times = np.concatenate([f[s].ic_s + _ANKLE_UNDER_PELVIS_FRACTION * self.stride_s for s in (LEFT, RIGHT)])
            ground, walk_forward, _ = path.at(spec.walking_speed_m_per_s * times)
            sides = np.concatenate([np.full(len(f[s].ic_s), _FOOT_SIGN[s]) for s in (LEFT, RIGHT)])
            targets = ground + (sides * _PELVIS_SWAY_M)[:, None] * _left_of(walk_forward)
            o = np.argsort(times)
            self._pelvis_spline = CubicSpline(times[o], targets[o], axis=0)
            # Transverse rotation: the leading leg's hip is forward at its IC.
            ics = np.concatenate([f[LEFT].ic_s, f[RIGHT].ic_s])
            signs = np.concatenate([np.ones(len(f[LEFT].ic_s)), -np.ones(len(f[RIGHT].ic_s))])
            o = np.argsort(ics)
            self._rotation = PchipInterpolator(ics[o], np.radians(_PELVIC_ROTATION_DEG) * signs[o])
            # Obliquity: swing-side hip lowest at mid-stance, level half way between mid-stances. PCHIP keeps the
            # extremes exactly at the knots.
            mids = np.concatenate([f[LEFT].mid_s, f[RIGHT].mid_s])
            signs = np.concatenate([np.ones(len(f[LEFT].mid_s)), -np.ones(len(f[RIGHT].mid_s))])
            o = np.argsort(mids)
            mids, signs = mids[o], signs[o]
            knots = np.concatenate([mids, 0.5 * (mids[1:] + mids[:-1])])
            values = np.concatenate([signs, np.zeros(len(mids) - 1)])
            o = np.argsort(knots)
            self._obliquity = PchipInterpolator(knots[o], np.radians(spec.pelvic_drop_deg) * values[o])
        else:
            self.feet = _standing_footprints(spec, body, path.start, path.forward)
        speed = spec.walking_speed_m_per_s if self.walking else 0.0
        self.foot_models = {s: _FootModel(self.feet[s], body, self.stride_s, speed) for s in (LEFT, RIGHT)}

    def _pelvis_ground(self, t_s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Pelvis over the ground, walking direction, transverse rotation and obliquity."""
        n = len(t_s)
        if self.walking:
            ground = self._pelvis_spline(t_s)
            ground[:, 1] = 0.0
            _, forward, _ = self.path.at(self.spec.walking_speed_m_per_s * t_s)
            return ground, forward, self._rotation(t_s), self._obliquity(t_s)
        forward = np.broadcast_to(self.path.forward, (n, 3)).copy()
        # Slight postural sway (a few mm) so a standing person is never perfectly still.
        lateral = 0.003 * np.sin(2 * np.pi * 0.23 * t_s) + 0.002 * np.sin(2 * np.pi * 0.61 * t_s + 1.0)
        if self.spec.activity == "sway":
            lateral = lateral + self.spec.sway_amplitude_m * np.sin(2 * np.pi * t_s / self.spec.sway_period_s)
        ahead = 0.002 * np.sin(2 * np.pi * 0.17 * t_s) + self.spec.pelvis_ahead_m
        if self.spec.activity == "single_leg_squat":  # the weight over the stance foot
            lateral = lateral + (_FOOT_SIGN[self.spec.squat_leg] * 0.5 * self.body.stance_width_m
                                 * _squat_weight_shift(t_s))
        ground = self.path.start + lateral[:, None] * _left_of(forward) + ahead[:, None] * forward
        return ground, forward, np.zeros(n), np.full(n, math.radians(self.spec.pelvis_obliquity_deg))

    def at(self, t_s: np.ndarray) -> dict:
        """Lower body at times ``t_s``: pelvis, frame, and per foot hip, knee, ankle, pitch, heading, stance."""
        spec, body, knee, stride = self.spec, self.body, self.knee, self.stride_s
        n = len(t_s)
        ground, forward, rotation, obliquity = self._pelvis_ground(t_s)
        left = _left_of(forward)
        pelvis_left = np.cos(rotation)[:, None] * left + np.sin(rotation)[:, None] * forward
        hip_axis = np.cos(obliquity)[:, None] * pelvis_left + np.sin(obliquity)[:, None] * _UP
        out = {"forward": forward, "walk_left": left, "rotation": rotation}
        heights = []
        squat = spec.activity == "single_leg_squat"
        depth, lifted = (squat_depth_fraction(spec, t_s), _squat_free_foot_lift(spec, t_s)) if squat else (0.0, 0.0)
        for f in (LEFT, RIGHT):
            ankle, pitch, heading, k, in_stance = self.foot_models[f].state(t_s)
            p = self.feet[f]
            peak = spec.knee_valgus_left_deg if f == LEFT else spec.knee_valgus_right_deg
            stance_phase = np.clip((t_s - p.ic_s[k]) / (p.to_s[k] - p.ic_s[k]), 0.0, 1.0)
            fppa = np.where(in_stance, peak * np.sin(np.pi * stance_phase) ** 2, 0.0)
            free = squat and f != spec.squat_leg
            if squat:  # the stance knee bends and collapses with the depth; the free foot is held up behind
                fppa = np.zeros(n) if free else peak * depth
                if free:
                    scale = body.height_m / 1.70
                    ankle = (ankle + (lifted * _SQUAT_FREE_FOOT_LIFT_M * scale)[:, None] * _UP
                             - (lifted * _SQUAT_FREE_FOOT_BACK_M * scale)[:, None] * forward)
            # Least knee flexion of a loaded leg: a loading-response peak, then flexing from heel off to TO.
            since_ic = np.clip((t_s - p.ic_s[k]) / (0.3 * stride), 0.0, 1.0)
            heel_off = np.clip((t_s - (p.to_s[k] - _FOREFOOT_ROCKER_FRACTION * stride))
                               / (_FOREFOOT_ROCKER_FRACTION * stride), 0.0, 1.0)
            bend = _KNEE_MIN_FLEXION_DEG + np.where(
                in_stance, _KNEE_LOADING_FLEXION_DEG * np.sin(np.pi * since_ic) ** 2
                + _KNEE_PRESWING_FLEXION_DEG * heel_off**2, 0.0)
            if squat and not free:
                bend = bend + spec.squat_depth_deg * depth
            medial_m = knee.medial_offset_m(fppa, np.full(n, body.thigh_m), np.full(n, body.shank_m))
            distance = knee.distance_for_offset_m(np.hypot(knee.offset_m(bend), medial_m))
            hip_offset = _FOOT_SIGN[f] * 0.5 * body.hip_width_m * hip_axis
            to_ankle = ankle - (ground + hip_offset)
            horizontal = np.hypot(to_ankle[:, 0], to_ankle[:, 2])
            height = -ankle[:, 1] + hip_offset[:, 1] + np.sqrt(np.maximum(distance**2 - horizontal**2, 1e-6))
            # A swinging leg joins over the last 15 % of the stride before its IC and leaves over the first 30 %
            # of its swing (never letting the pelvis rise out of its reach), so the pelvis height never jumps.
            next_ic = p.ic_s[np.minimum(k + 1, len(p.ic_s) - 1)]
            engage = np.clip((next_ic - t_s) / (0.15 * stride), 0.0, 1.0)
            leave = np.clip((t_s - p.to_s[k]) / (0.3 * (next_ic - p.to_s[k])), 0.0, 1.0)
            # Whatever the ramps, no leg is ever stretched beyond its length.
            reach = np.sqrt(np.maximum((knee.distance_for_offset_m(np.zeros(n)) - 1e-4) ** 2 - horizontal**2, 1e-6))
            if not free:  # a lifted foot carries no weight: the stance leg alone sets the pelvis's height
                heights.append(height + np.where(in_stance, 0.0, np.minimum(engage, leave) ** 2))
                heights.append(-ankle[:, 1] + hip_offset[:, 1] + reach)
            out[f] = {"ankle": ankle, "pitch": pitch, "heading": heading, "k": k, "in_stance": in_stance,
                      "fppa": fppa, "hip_offset": hip_offset}
        height = -logsumexp(-_SOFT_MIN_SHARPNESS_PER_M * np.stack(heights), axis=0) / _SOFT_MIN_SHARPNESS_PER_M
        out["pelvis"] = ground + height[:, None] * _UP
        for f in (LEFT, RIGHT):
            leg = out[f]
            leg["hip"] = out["pelvis"] + leg["hip_offset"]
            leg["knee"] = knee.solve(leg["hip"], leg["ankle"], forward, -_FOOT_SIGN[f] * left, leg["fppa"])
        return out

    def swing_pitch(self, legs: dict, foot: str, t_s: np.ndarray) -> np.ndarray:
        """Foot pitch in swing: the shank's inclination plus an ankle angle going from its TO value to neutral
        by mid-swing, then to its IC value (Perry: the ankle is near neutral from mid-swing on)."""
        leg, p = legs[foot], self.feet[foot]
        swing = ~leg["in_stance"]
        pitch = leg["pitch"].copy()
        if not swing.any():
            return pitch
        k = leg["k"][swing]
        t0, t1 = p.to_s[k], p.ic_s[k + 1]

        def ankle_angle(at_s: np.ndarray, stance: np.ndarray) -> np.ndarray:
            at = self.at(at_s)[foot]
            _, stance_pitch, _ = self.foot_models[foot].stance_state(stance, at_s)
            return stance_pitch - _shank_pitch(at["knee"], at["ankle"], at["heading"])

        a0, a1 = ankle_angle(t0, k), ankle_angle(t1, k + 1)
        u = (t_s[swing] - t0) / (t1 - t0)
        neutral = np.radians(_ANKLE_SWING_DORSIFLEXION_DEG)
        angle = np.where(u < 0.5, a0 + (neutral - a0) * _smoothstep(np.clip(u / 0.5, 0.0, 1.0)),
                         neutral + (a1 - neutral) * _smoothstep(np.clip((u - 0.5) / 0.5, 0.0, 1.0)))
        pitch[swing] = _shank_pitch(leg["knee"][swing], leg["ankle"][swing], leg["heading"][swing]) + angle
        # Dorsiflex (or plantarflex) just enough that toe and heel clear the ground in mid-swing.
        b = self.body
        clearance = _TOE_CLEARANCE_M * b.height_m / 1.70 * np.sin(np.pi * u)
        ankle_height = -leg["ankle"][swing, 1]
        front, back = b.foot_length_m - b.ankle_from_heel_m, b.ankle_from_heel_m
        lowest = (np.arctan2(b.ankle_height_m, front)
                  + np.arcsin(np.clip((clearance - ankle_height) / np.hypot(front, b.ankle_height_m), -1.0, 1.0)))
        highest = (np.arcsin(np.clip((ankle_height - clearance) / np.hypot(back, b.ankle_height_m), -1.0, 1.0))
                   - np.arctan2(b.ankle_height_m, back))
        pitch[swing] = np.minimum(np.maximum(pitch[swing], lowest), np.maximum(highest, lowest))
        return pitch


def _shank_pitch(knee: np.ndarray, ankle: np.ndarray, heading: np.ndarray) -> np.ndarray:
    """Inclination of the shank in the foot's sagittal plane: 0 vertical, positive with the ankle ahead."""
    shank = ankle - knee
    return np.arctan2(_dot(shank, heading), -_dot(shank, _UP))


def _simulate(spec: WalkerSpec, body: BodyDimensions, camera: _Camera, t_s: np.ndarray) -> _Motion:
    n = len(t_s)
    path = _make_path(spec, camera, body)
    model = _Legs(spec, body, path, float(t_s[-1]))
    legs = model.at(t_s)
    pts = np.zeros((n, lm.NUM_LANDMARKS, 3))
    for f, (hip_i, knee_i, ankle_i, heel_i, toe_i) in {
        LEFT: (lm.LEFT_HIP, lm.LEFT_KNEE, lm.LEFT_ANKLE, lm.LEFT_HEEL, lm.LEFT_FOOT_INDEX),
        RIGHT: (lm.RIGHT_HIP, lm.RIGHT_KNEE, lm.RIGHT_ANKLE, lm.RIGHT_HEEL, lm.RIGHT_FOOT_INDEX),
    }.items():
        leg = legs[f]
        heel, toe = model.foot_models[f].points(leg["ankle"], model.swing_pitch(legs, f, t_s), leg["heading"])
        pts[:, hip_i], pts[:, knee_i], pts[:, ankle_i] = leg["hip"], leg["knee"], leg["ankle"]
        pts[:, heel_i], pts[:, toe_i] = heel, toe
    walk_forward = legs["forward"]
    _upper_body(spec, body, pts, legs["pelvis"], walk_forward, legs["walk_left"], legs["rotation"],
                {f: legs[f]["ankle"] for f in (LEFT, RIGHT)})

    yaw = _yaw_from_forward(walk_forward)
    belt = 0.0
    if model.walking and spec.treadmill:
        belt = spec.walking_speed_m_per_s
        pts = pts - (belt * t_s)[:, None, None] * walk_forward[:, None, :]
    if spec.activity == "turn":
        speed_deg = spec.turn_speed_deg_per_s if spec.turn_speed_deg_per_s is not None else 360.0 / spec.duration_s
        turn = np.radians(speed_deg) * t_s
        pts = _rotate_about_vertical(pts, legs["pelvis"] * np.array([1.0, 0.0, 1.0]), turn)
        yaw = yaw + turn
        walk_forward = _forward_from_yaw(yaw)
    return _Motion(pts, _wrap_deg(np.degrees(yaw)), walk_forward, model.feet, model.foot_models, belt)


def _upper_body(spec: WalkerSpec, body: BodyDimensions, pts: np.ndarray, pelvis: np.ndarray,
                forward: np.ndarray, left: np.ndarray, pelvic_rotation: np.ndarray, foot_state: dict) -> None:
    """Trunk, head, arms and hands, written into ``pts``."""
    scale = body.height_m / 1.70
    trunk_up = _unit(np.tan(np.radians(spec.trunk_lean_forward_deg)) * forward
                     - np.tan(np.radians(spec.trunk_lean_lateral_deg)) * left + _UP)
    shoulder_centre = pelvis + body.trunk_m * trunk_up
    # The thorax counter-rotates against the pelvis.
    thorax = -1.5 * pelvic_rotation
    shoulder_axis = np.cos(thorax)[:, None] * left + np.sin(thorax)[:, None] * forward
    shoulder_axis = _unit(shoulder_axis - _dot(shoulder_axis, trunk_up)[:, None] * trunk_up)
    trunk_forward = _unit(np.cross(shoulder_axis, trunk_up))  # left x up = forward
    tilt = math.radians(spec.shoulder_tilt_deg)  # within the trunk's plane: the left shoulder up
    shoulder_axis = math.cos(tilt) * shoulder_axis + math.sin(tilt) * trunk_up
    for name, sign in (("left", 1.0), ("right", -1.0)):
        pts[:, lm.LANDMARK_INDEX[f"{name}_shoulder"]] = shoulder_centre + sign * 0.5 * body.shoulder_width_m * shoulder_axis

    # Head: faces the walking direction (gaze is stabilised against the trunk's rotation).
    head_forward = _unit(forward - _dot(forward, trunk_up)[:, None] * trunk_up)
    head_left = np.cross(trunk_up, head_forward)
    neck = math.radians(spec.head_forward_deg)
    ear_centre = (shoulder_centre + body.neck_m * (math.cos(neck) * trunk_up + math.sin(neck) * head_forward)
                  + 0.01 * scale * head_forward)
    face = {  # (forward, left, up) in metres at 1.70 m, from the midpoint between the ears
        "nose": (0.105, 0.0, -0.005),
        "left_eye_inner": (0.088, 0.017, 0.025), "left_eye": (0.085, 0.032, 0.027),
        "left_eye_outer": (0.078, 0.046, 0.025),
        "right_eye_inner": (0.088, -0.017, 0.025), "right_eye": (0.085, -0.032, 0.027),
        "right_eye_outer": (0.078, -0.046, 0.025),
        "left_ear": (0.0, 0.075, 0.0), "right_ear": (0.0, -0.075, 0.0),
        "mouth_left": (0.092, 0.025, -0.045), "mouth_right": (0.092, -0.025, -0.045),
    }
    for name, (fw, lf, up) in face.items():
        pts[:, lm.LANDMARK_INDEX[name]] = ear_centre + scale * (fw * head_forward + lf * head_left + up * trunk_up)

    # Arms swing opposite to the legs: each shoulder flexes as the other foot's ankle moves ahead of the pelvis.
    # A cane hand (opposite the painful side) instead holds the handle at hip height, outside the sound foot,
    # going forward and back with the painful foot as the cane lands with it.
    cane_side = {LEFT: RIGHT, RIGHT: LEFT}[spec.limp_side] if spec.limp == "cane" else None
    for name, sign, other in (("left", 1.0, RIGHT), ("right", -1.0, LEFT)):
        shoulder = pts[:, lm.LANDMARK_INDEX[f"{name}_shoulder"]]
        if name == cane_side:
            painful_ahead = _dot(foot_state[other] - pelvis, forward)
            handle = (pelvis + (sign * (0.5 * body.hip_width_m + _CANE_TIP_LATERAL_M * scale)) * left
                      + (_CANE_HAND_FORWARD_GAIN * painful_ahead)[:, None] * forward)
            reach = 0.98 * (body.upper_arm_m + body.forearm_m)
            to_handle = handle - shoulder
            wrist = shoulder + to_handle * np.minimum(1.0, reach / np.linalg.norm(to_handle, axis=-1))[:, None]
            # The elbow bends back and out, as the knee bends forward (the same two-link solution).
            elbow = _Knee(body.upper_arm_m, body.forearm_m).solve(
                shoulder, wrist, -trunk_forward, sign * shoulder_axis, np.zeros(len(wrist)))
            fore_dir = _unit(wrist - elbow)
        else:
            ankle_ahead = _dot(foot_state[other] - pelvis, forward)
            swing = np.radians(3.0 + _ARM_SWING_DEG_PER_M * ankle_ahead)
            elbow_flex = np.radians(15.0) + 0.5 * np.maximum(swing, 0.0)
            abduction = np.radians(7.0)
            hang = -math.cos(abduction) * trunk_up + math.sin(abduction) * sign * shoulder_axis
            upper_dir = np.cos(swing)[:, None] * hang + np.sin(swing)[:, None] * trunk_forward
            fore_dir = (np.cos(swing + elbow_flex)[:, None] * hang
                        + np.sin(swing + elbow_flex)[:, None] * trunk_forward)
            elbow = shoulder + body.upper_arm_m * upper_dir
            wrist = elbow + body.forearm_m * fore_dir
        # Palm faces the thigh: the thumb side points forward.
        thumb_side = _unit(np.cross(shoulder_axis, fore_dir))
        thumb_side *= np.sign(_dot(thumb_side, trunk_forward))[:, None]
        medial = -sign * shoulder_axis
        pts[:, lm.LANDMARK_INDEX[f"{name}_elbow"]] = elbow
        pts[:, lm.LANDMARK_INDEX[f"{name}_wrist"]] = wrist
        hand = body.hand_m
        pts[:, lm.LANDMARK_INDEX[f"{name}_index"]] = wrist + 0.75 * hand * fore_dir + 0.12 * hand * thumb_side
        pts[:, lm.LANDMARK_INDEX[f"{name}_pinky"]] = wrist + 0.65 * hand * fore_dir - 0.15 * hand * thumb_side
        pts[:, lm.LANDMARK_INDEX[f"{name}_thumb"]] = (wrist + 0.40 * hand * fore_dir + 0.25 * hand * thumb_side
                                                      + 0.08 * hand * medial)


# ---------------------------------------------------------------------------------------------------------
# Camera output: image landmarks, visibility, jitter, dropouts.

@dataclass(frozen=True)
class PoseNoiseFigures:
    """How noisy a pose stream is, judged against known gait events (see :func:`measure_pose_noise`).

    Attributes
    ----------
    jitter_leg_fraction
        Median frame-to-frame image displacement of a flat stance foot's heel, ankle and toe (after removing
        the window's mean motion), over the leg length in the image (hip-knee plus knee-ankle, px).
    depth_jitter_leg_fraction
        The same for the world ``z`` of the stance heel over the world leg length.
    heel_creep_fraction
        Side views: median forward travel of the heel in the image from its IC frame to two frames later, over
        the hip centre's travel then (0 = the heel stops dead at IC, a sharp corner; the more, the rounder);
        "two frames" at 30 fps, the same 67 ms at other frame rates.
    swapped_frame_fraction
        Side views: of the single-support frames whose feet are apart, the fraction with the leg labels swapped
        (the labelled stance heel farther from its footprint than the other labelled heel).
    swap_run_frames
        Mean length of a run of swapped frames.
    """

    jitter_leg_fraction: float
    depth_jitter_leg_fraction: float
    heel_creep_fraction: float
    swapped_frame_fraction: float
    swap_run_frames: float


_FAR_LEG = {LEFT: (lm.LEFT_KNEE, lm.LEFT_ANKLE, lm.LEFT_HEEL, lm.LEFT_FOOT_INDEX),
            RIGHT: (lm.RIGHT_KNEE, lm.RIGHT_ANKLE, lm.RIGHT_HEEL, lm.RIGHT_FOOT_INDEX)}
_SIDE_OF_LANDMARK = np.array([
    1.0 if name.startswith("left") or name == "mouth_left" else -1.0 if name.startswith("right") or name == "mouth_right"
    else 0.0 for name in lm.LANDMARK_NAMES])
_FACE = np.array([i for i, name in enumerate(lm.LANDMARK_NAMES)
                  if name == "nose" or "eye" in name or "mouth" in name])
_FEET = [i for f in (LEFT, RIGHT) for i in _FAR_LEG[f][1:]]  # ankles, heels, toes
# The legs below the hips: the hips keep their labels (on the annotated side clips the body's yaw from the hip and
# shoulder lines moves by at most ~4 deg from frame to frame, 90th percentile, through every leg swap).
_LEG_SWAP = (np.array([lm.LEFT_KNEE, lm.LEFT_ANKLE, lm.LEFT_HEEL, lm.LEFT_FOOT_INDEX]),
             np.array([lm.RIGHT_KNEE, lm.RIGHT_ANKLE, lm.RIGHT_HEEL, lm.RIGHT_FOOT_INDEX]))
# pose_noise="mediapipe", calibrated so that measure_pose_noise gives MEDIAPIPE_NOISE: per-axis jitter and depth
# noise (std, fractions of the leg length, frontal -> side-on), the foot paths' rounding and the leg-swap share.
MEDIAPIPE_NOISE = {  # the preset's targets (module notes), as measure_pose_noise gives them at 30 fps
    "side": PoseNoiseFigures(jitter_leg_fraction=0.022, depth_jitter_leg_fraction=0.015, heel_creep_fraction=0.23,
                             swapped_frame_fraction=0.12, swap_run_frames=2.5),
    "frontal": PoseNoiseFigures(jitter_leg_fraction=0.013, depth_jitter_leg_fraction=0.020,
                                heel_creep_fraction=math.nan, swapped_frame_fraction=math.nan,
                                swap_run_frames=math.nan),
}
_MEDIAPIPE_JITTER_LEG = (0.0075, 0.006)
_MEDIAPIPE_DEPTH_LEG = (0.0225, 0.0095)
_MEDIAPIPE_FOOT_ROUNDING_S = 0.045  # std of the Gaussian the ankle, heel and toe paths are smoothed with
_MEDIAPIPE_SWAP_FRACTION = 0.12  # of side-on frames, in bursts of 1-4 frames
_NOISE_WHITE_FRACTION = 0.8  # jitter = white (80 % of the std) + slowly wandering AR(1) part (60 %)
_NOISE_AR_COEFFICIENT = 0.85


def _smooth_random(rng: np.random.Generator, shape: tuple[int, ...], coefficient: float) -> np.ndarray:
    """Unit-variance AR(1) noise along axis 0 (stationary from the first sample)."""
    out = np.empty(shape)
    out[0] = rng.standard_normal(shape[1:])
    innovation = math.sqrt(1.0 - coefficient**2) * rng.standard_normal(shape)
    for i in range(1, shape[0]):
        out[i] = coefficient * out[i - 1] + innovation[i]
    return out


def _jitter(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    ar_fraction = math.sqrt(1.0 - _NOISE_WHITE_FRACTION**2)
    return (_NOISE_WHITE_FRACTION * rng.standard_normal(shape)
            + ar_fraction * _smooth_random(rng, shape, _NOISE_AR_COEFFICIENT))


def _far_side_weight(motion: _Motion, camera: _Camera) -> np.ndarray:
    """``(n, 33)`` in [0, 1]: 1 when the landmark's side of the body faces straight away from the camera."""
    hip_centre = 0.5 * (motion.points[:, lm.LEFT_HIP] + motion.points[:, lm.RIGHT_HIP])
    to_camera = np.array([0.0, -camera.height_m, 0.0]) - hip_centre
    to_camera[:, 1] = 0.0
    left_facing = _dot(_left_of(motion.walk_forward), _unit(to_camera))  # +1: the left side faces the camera
    return np.clip(-_SIDE_OF_LANDMARK[None, :] * left_facing[:, None], 0.0, 1.0)


def _visibility(spec: WalkerSpec, motion: _Motion, camera: _Camera, xy: np.ndarray,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Visibility, presence and the jitter multiplier of each landmark ``(n, 33)``."""
    n = len(xy)
    base = 0.97 + 0.025 * np.tanh(_smooth_random(rng, (n, lm.NUM_LANDMARKS), 0.9))
    far = _far_side_weight(motion, camera)
    far_level = 0.65 + 0.15 * np.tanh(_smooth_random(rng, (n, lm.NUM_LANDMARKS), 0.9))
    noise_gain = np.ones((n, lm.NUM_LANDMARKS))
    if spec.far_leg_low_visibility:
        legs = list(_FAR_LEG[LEFT] + _FAR_LEG[RIGHT])
        far_level[:, legs] = 0.35 + 0.15 * np.tanh(_smooth_random(rng, (n, len(legs)), 0.9))
        noise_gain[:, legs] += 2.0 * far[:, legs]
    else:
        far_level[:, list(_FAR_LEG[LEFT] + _FAR_LEG[RIGHT])] = base[:, list(_FAR_LEG[LEFT] + _FAR_LEG[RIGHT])]
    visibility = (1.0 - far) * base + far * far_level
    # Seen from behind, the face is guessed rather than seen.
    behind = np.clip(-np.cos(np.radians(motion.yaw_deg)), 0.0, 1.0)
    visibility[:, _FACE] = (1.0 - 0.35 * behind[:, None]) * visibility[:, _FACE]
    inside = np.all((xy >= 0.0) & (xy <= np.array([camera.width_px, camera.height_px])), axis=-1)
    visibility = np.where(inside, visibility, 0.05 + 0.1 * rng.random((n, lm.NUM_LANDMARKS)))
    presence = np.where(inside, 0.99 + 0.01 * rng.random((n, lm.NUM_LANDMARKS)), 0.3)
    return visibility, presence, noise_gain


def _dropout_mask(n: int, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Frames without a pose: ``round(rate * n)`` frames in separate bursts of 1-4 frames."""
    dropped = np.zeros(n, dtype=bool)
    target = int(round(rate * n))
    for _ in range(100 * n):
        missing = target - int(dropped.sum())
        if missing <= 0:
            break
        length = min(int(rng.integers(1, 5)), missing)
        start = int(rng.integers(0, n - length + 1))
        if not dropped[max(start - 1, 0):start + length + 1].any():
            dropped[start:start + length] = True
    return dropped


# ---------------------------------------------------------------------------------------------------------
# Generation and truth.


def generate(spec: WalkerSpec) -> SyntheticWalk:
    """Synthesise a walk (see the module notes for the model).

    Parameters
    ----------
    spec
        What to synthesise.

    Returns
    -------
    SyntheticWalk
        Noisy and clean frames, true events, views and metrics.

    Examples
    --------
    >>> walk = generate(WalkerSpec(direction="left", treadmill=True, duration_s=4.0))
    >>> round(walk.truth.cadence_steps_per_min)
    110
    """
    rng = np.random.default_rng(spec.seed)
    body = BodyDimensions.from_height(spec.height_m)
    camera = _Camera.from_spec(spec)
    n = int(round(spec.duration_s * spec.fps))
    t_s = np.arange(n) / spec.fps
    motion = _simulate(spec, body, camera, t_s)

    xy, z_rel, world, hip_depth = _camera_view(camera, motion.points)
    visibility, presence, noise_gain = _visibility(spec, motion, camera, xy, rng)

    metres_per_px = (hip_depth / camera.focal_px)[:, None, None]
    mediapipe = spec.pose_noise == "mediapipe"
    if mediapipe:
        # MediaPipe works on a crop around the person: its jitter scales with the person's size in the image.
        sideways = np.abs(np.sin(np.radians(motion.yaw_deg)))
        leg_m = body.leg_m
        jitter_px = _blend(_MEDIAPIPE_JITTER_LEG, sideways) * leg_m / metres_per_px[:, 0, 0]
        depth_std_m = _blend(_MEDIAPIPE_DEPTH_LEG, sideways) * leg_m
        # Its feet round their corners: smoothed paths (the clean frames keep the exact ones).
        points = motion.points.copy()
        points[:, _FEET] = gaussian_filter1d(points[:, _FEET], _MEDIAPIPE_FOOT_ROUNDING_S * spec.fps, axis=0,
                                             mode="nearest")
        base_xy, base_z, base_world, _ = _camera_view(camera, points)
    else:
        jitter_px = np.full(n, spec.noise_px)
        depth_std_m = 2.0 * spec.noise_px * metres_per_px[:, 0, 0]
        base_xy, base_z, base_world = xy, z_rel, world
    noise_xy = jitter_px[:, None, None] * noise_gain[..., None] * _jitter(rng, (n, lm.NUM_LANDMARKS, 2))
    noise_depth_m = depth_std_m[:, None] * noise_gain * _jitter(rng, (n, lm.NUM_LANDMARKS))
    noisy_world = base_world + np.concatenate([noise_xy * metres_per_px, noise_depth_m[..., None]], axis=-1)
    noisy_z = base_z + camera.focal_px * noise_depth_m / (hip_depth[:, None] * camera.width_px)
    noisy_image = np.concatenate([base_xy + noise_xy, noisy_z[..., None], visibility[..., None],
                                  presence[..., None]], axis=-1)
    if mediapipe:
        # Side-on, MediaPipe now and then gives the near leg the far leg's labels, for a few frames.
        side_on = np.isin(view_from_yaw(motion.yaw_deg), (View.SIDE_LEFT, View.SIDE_RIGHT))
        swapped = _dropout_mask(n, _MEDIAPIPE_SWAP_FRACTION, rng) & side_on
        left, right = _LEG_SWAP
        for arr in (noisy_image, noisy_world):
            arr[np.ix_(swapped, np.concatenate([left, right]))] = arr[np.ix_(swapped, np.concatenate([right, left]))]
    dropped = _dropout_mask(n, spec.dropout_rate, rng)
    camera_world, noisy_world = _pitched(world, spec.world_pitch_deg), _pitched(noisy_world, spec.world_pitch_deg)

    frames, clean_frames = [], []
    for i in range(n):
        clean_image = np.column_stack([xy[i], z_rel[i], visibility[i], presence[i]])
        clean_frames.append(PoseFrame(float(t_s[i]), i, spec.image_width_px, spec.image_height_px,
                                      clean_image, camera_world[i].copy()))
        if dropped[i]:
            frames.append(PoseFrame(float(t_s[i]), i, spec.image_width_px, spec.image_height_px, None, None))
        else:
            frames.append(PoseFrame(float(t_s[i]), i, spec.image_width_px, spec.image_height_px,
                                    noisy_image[i], noisy_world[i]))

    events = _events(spec, motion, float(t_s[-1]))
    views = view_from_yaw(motion.yaw_deg)
    truth = _truth(spec, motion, events, views, xy, world, t_s)
    return SyntheticWalk(spec, frames, clean_frames, events, views, motion.yaw_deg, truth, body)


def _camera_view(camera: _Camera, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Image xy, MediaPipe's image z, hip-centred world landmarks and the hips' depth of scene points."""
    xy, depth = camera.project(points)
    hip_mid = 0.5 * (points[:, lm.LEFT_HIP] + points[:, lm.RIGHT_HIP])
    hip_depth = 0.5 * (depth[:, lm.LEFT_HIP] + depth[:, lm.RIGHT_HIP])
    # MediaPipe's image z: depth relative to the hips, on the scale of x normalised by the image width.
    z_rel = camera.focal_px * (depth - hip_depth[:, None]) / (hip_depth[:, None] * camera.width_px)
    return xy, z_rel, points - hip_mid[:, None, :], hip_depth


def _pitched(world: np.ndarray, pitch_deg: float) -> np.ndarray:
    """World points ``(..., 3)`` (x right, y down, z away) in the axes of a camera pitched down by ``pitch_deg``."""
    c, s = math.cos(math.radians(pitch_deg)), math.sin(math.radians(pitch_deg))
    pitched = world.copy()
    pitched[..., 1] = c * world[..., 1] - s * world[..., 2]
    pitched[..., 2] = s * world[..., 1] + c * world[..., 2]
    return pitched


def _blend(frontal_side: tuple[float, float], sideways: np.ndarray) -> np.ndarray:
    """A figure going from its frontal value (``sideways`` 0) to its side-on value (1)."""
    frontal, side = frontal_side
    return frontal + (side - frontal) * sideways


def _events(spec: WalkerSpec, motion: _Motion, t_end_s: float) -> list[GaitEvent]:
    if spec.activity != "walk":
        return []
    events = []
    for foot, prints in motion.feet.items():
        events += [GaitEvent(float(t), foot, INITIAL_CONTACT) for t in prints.ic_s if 0.0 <= t <= t_end_s]
        events += [GaitEvent(float(t), foot, TOE_OFF) for t in prints.to_s if 0.0 <= t <= t_end_s]
    return sorted(events)


def _mean(values: list[float] | np.ndarray) -> float:
    """Mean, ``nan`` for no values (without numpy's empty-mean warning)."""
    values = np.asarray(values, dtype=float)
    return float(values.mean()) if values.size else math.nan


def _truth(spec: WalkerSpec, motion: _Motion, events: list[GaitEvent], views: list[str], xy: np.ndarray,
           world: np.ndarray, t_s: np.ndarray) -> WalkTruth:
    ics = [e for e in events if e.kind == INITIAL_CONTACT]
    step_times = {LEFT: [], RIGHT: []}
    for before, after in zip(ics[:-1], ics[1:]):
        if before.foot != after.foot:
            step_times[after.foot].append(after.t_s - before.t_s)
    step_left, step_right = _mean(step_times[LEFT]), _mean(step_times[RIGHT])
    stride = step_left + step_right
    si = 100.0 * abs(step_left - step_right) / (0.5 * stride) if stride > 0 else math.nan

    # Step lengths on the ground (belt) from consecutive footprints on the same straight pass.
    lengths = {LEFT: [], RIGHT: []}
    progression = {LEFT: [], RIGHT: []}
    if spec.activity == "walk":
        t_end = float(t_s[-1])
        merged = sorted((float(p.ic_s[k]), f, k) for f, p in motion.feet.items() for k in range(len(p.ic_s)))
        for (t0, f0, k0), (t1, f1, k1) in zip(merged[:-1], merged[1:]):
            p0, p1 = motion.feet[f0], motion.feet[f1]
            same_pass = p0.straight[k0] and p1.straight[k1] and _dot(p0.walk_forward[k0], p1.walk_forward[k1]) > 0.9999
            if 0.0 <= t0 and t1 <= t_end and same_pass:
                lengths[f1].append(float(_dot(p1.heel[k1] - p0.heel[k0], p1.walk_forward[k1])))
        for f, p in motion.feet.items():
            inside = (p.ic_s >= 0.0) & (p.to_s <= t_end) & p.straight
            k = np.flatnonzero(inside)
            if k.size:
                ankle, pitch, heading = motion.foot_models[f].stance_state(k, p.mid_s[k])
                heel, toe = motion.foot_models[f].points(ankle, pitch, heading)
                foot_axis = toe - heel
                angle = np.degrees(np.arctan2(_dot(foot_axis, _left_of(p.walk_forward[k])),
                                              _dot(foot_axis, p.walk_forward[k])))
                progression[f] = list(_FOOT_SIGN[f] * angle)

    # Frontal metrics only where the walker is exactly frontal (not in the oblique ends of a U-turn).
    frontal = np.minimum(np.abs(motion.yaw_deg), 180.0 - np.abs(motion.yaw_deg)) < 1.0
    fppa_peaks = {LEFT: [], RIGHT: []}
    drop_peaks = []
    indices = {LEFT: (lm.LEFT_HIP, lm.LEFT_KNEE, lm.LEFT_ANKLE), RIGHT: (lm.RIGHT_HIP, lm.RIGHT_KNEE, lm.RIGHT_ANKLE)}
    for foot in (LEFT, RIGHT):
        other = RIGHT if foot == LEFT else LEFT
        hip, knee_i, ankle = indices[foot]
        for ic, to in stance_intervals(events, foot):
            sel = (t_s >= ic + 0.25 * (to - ic)) & (t_s <= to - 0.25 * (to - ic))
            if sel.any() and frontal[sel].all():
                fppa = frontal_plane_projection_angle_deg(xy[sel, hip], xy[sel, knee_i], xy[sel, ankle],
                                                          xy[sel, indices[other][0]])
                fppa_peaks[foot].append(float(fppa[np.argmax(np.abs(fppa))]))  # signed: varus peaks negative
        # Single support of `foot` = swing of the other foot (its TO to its next IC).
        swings = [(to, ic) for (_, to), (ic, _) in zip(stance_intervals(events, other)[:-1],
                                                       stance_intervals(events, other)[1:])]
        for to, ic in swings:
            sel = (t_s >= to) & (t_s <= ic)
            if sel.any() and frontal[sel].all():
                drop_peaks.append(float(pelvic_obliquity_deg(xy[sel, hip], xy[sel, indices[other][0]]).max()))

    trunk = 0.5 * (world[:, lm.LEFT_SHOULDER] + world[:, lm.RIGHT_SHOULDER]) - 0.5 * (
        world[:, lm.LEFT_HIP] + world[:, lm.RIGHT_HIP])
    up = _dot(trunk, _UP)
    lateral = np.degrees(np.arctan2(-_dot(trunk, _left_of(motion.walk_forward)), up))
    forward = np.degrees(np.arctan2(_dot(trunk, motion.walk_forward), up))

    walking = spec.activity == "walk"
    return WalkTruth(
        cadence_steps_per_min=120.0 / stride if stride > 0 else math.nan,
        walking_speed_m_per_s=spec.walking_speed_m_per_s if walking else 0.0,
        step_time_left_s=step_left,
        step_time_right_s=step_right,
        step_time_si_pct=si,
        stance_time_left_s=_mean([to - ic for ic, to in stance_intervals(events, LEFT)]),
        stance_time_right_s=_mean([to - ic for ic, to in stance_intervals(events, RIGHT)]),
        step_length_m=_mean(lengths[LEFT] + lengths[RIGHT]),
        step_length_left_m=_mean(lengths[LEFT]),
        step_length_right_m=_mean(lengths[RIGHT]),
        knee_fppa_peak_left_deg=_mean(fppa_peaks[LEFT]),
        knee_fppa_peak_right_deg=_mean(fppa_peaks[RIGHT]),
        pelvic_drop_deg=_mean(drop_peaks),
        trunk_lean_lateral_deg=_mean(lateral),
        trunk_lean_forward_deg=_mean(forward),
        foot_progression_left_deg=_mean(progression[LEFT]),
        foot_progression_right_deg=_mean(progression[RIGHT]),
    )


# ---------------------------------------------------------------------------------------------------------
# Pose noise, measured the same way on real clips (cached MediaPipe poses) and on synthetic walks.

_LEG = {LEFT: (lm.LEFT_HIP, lm.LEFT_KNEE, lm.LEFT_ANKLE, lm.LEFT_HEEL, lm.LEFT_FOOT_INDEX),
        RIGHT: (lm.RIGHT_HIP, lm.RIGHT_KNEE, lm.RIGHT_ANKLE, lm.RIGHT_HEEL, lm.RIGHT_FOOT_INDEX)}
_FLAT_FOOT_STANCE = (0.15, 0.5)  # fractions of stance when heel, ankle and toe all stand still (before heel off)
_SWAP_MIN_HEEL_GAP_LEG = 0.15  # feet closer than this (leg lengths) in the image: labels cannot be judged
_HEEL_CREEP_WINDOW_S = 2.0 / 30.0  # heel travel after IC is measured over this time (two frames at 30 fps)


def _event_stances(events: list[tuple[int, str, str]], foot: str) -> list[tuple[int, int]]:
    ordered = sorted((frame, kind) for frame, f, kind in events if f == foot)
    return [(f0, f1) for (f0, k0), (f1, k1) in zip(ordered[:-1], ordered[1:])
            if k0 == INITIAL_CONTACT and k1 == TOE_OFF]


def measure_pose_noise(frames: list[PoseFrame], events: list[tuple[int, str, str]],
                       side_view: bool) -> PoseNoiseFigures:
    """Measure :class:`PoseNoiseFigures` of ``frames`` (indexed by ``frame_index``) against gait events.

    Parameters
    ----------
    frames
        The pose stream; frames without a pose count as missing.
    events
        ``(frame index, foot, kind)`` of the true IC and TO (kind :data:`~analysis.types.INITIAL_CONTACT` or
        :data:`~analysis.types.TOE_OFF`); the stances are the IC -> next TO pairs of each foot.
    side_view
        Whether the walker is seen side-on with a still camera (heel creep and label swaps are measured only
        then; ``nan`` otherwise).
    """
    n = max(f.frame_index for f in frames) + 1
    image = np.full((n, lm.NUM_LANDMARKS, 2), np.nan)
    world = np.full((n, lm.NUM_LANDMARKS, 3), np.nan)
    for f in frames:
        if f.image_landmarks is not None:
            image[f.frame_index] = f.image_landmarks[:, :2]
            world[f.frame_index] = f.world_landmarks
    hip_centre = 0.5 * (image[:, lm.LEFT_HIP] + image[:, lm.RIGHT_HIP])
    times = sorted(f.t_s for f in frames)
    frame_period_s = float(np.median(np.diff(times))) if len(times) > 1 else math.inf
    creep_frames = max(1, int(round(_HEEL_CREEP_WINDOW_S / frame_period_s)))

    def leg_length(points: np.ndarray, foot: str, sl: slice) -> float:
        hip, knee, ankle = _LEG[foot][:3]
        lengths = (np.linalg.norm(points[sl, hip] - points[sl, knee], axis=-1)
                   + np.linalg.norm(points[sl, knee] - points[sl, ankle], axis=-1))
        return float(np.nanmedian(lengths)) if np.isfinite(lengths).any() else math.nan

    def detrended_steps(track: np.ndarray) -> np.ndarray:
        """Frame-to-frame steps minus their mean (a still camera's drift or the hip's passing)."""
        steps = np.diff(track, axis=0)
        steps = steps[np.all(np.isfinite(steps.reshape(len(steps), -1)), axis=1)]
        return steps - steps.mean(axis=0) if len(steps) >= 2 else steps[:0]

    jitter, depth, creep, swapped = [], [], [], []
    for foot in (LEFT, RIGHT):
        other = RIGHT if foot == LEFT else LEFT
        _, _, ankle, heel, toe = _LEG[foot]
        for ic, to in _event_stances(events, foot):
            lo, hi = _FLAT_FOOT_STANCE
            flat = slice(int(math.ceil(ic + lo * (to - ic))), int(math.floor(ic + hi * (to - ic))) + 1)
            leg_px, leg_m = leg_length(image, foot, flat), leg_length(world, foot, flat)
            for i in (heel, ankle, toe):
                jitter += list(np.linalg.norm(detrended_steps(image[flat, i]), axis=-1) / leg_px)
            depth += list(np.abs(detrended_steps(world[flat, heel, 2])) / leg_m)
            k = creep_frames
            if not side_view or ic < k or ic + k >= n:
                continue
            forward = np.sign(hip_centre[ic + k, 0] - hip_centre[ic - k, 0])
            hip_travel = forward * (hip_centre[ic + k, 0] - hip_centre[ic, 0])
            heel_travel = forward * (image[ic + k, heel, 0] - image[ic, heel, 0])
            if np.isfinite(heel_travel) and hip_travel > 0:
                creep.append(heel_travel / hip_travel)
        if not side_view:
            continue
        # Single support of `foot` = from the other foot's TO to its next IC.
        other_events = sorted((fr, k) for fr, f, k in events if f == other)
        for (f0, k0), (f1, k1) in zip(other_events[:-1], other_events[1:]):
            if not (k0 == TOE_OFF and k1 == INITIAL_CONTACT):
                continue
            window = np.arange(f0, f1 + 1)
            window = window[window < n]
            own, theirs = image[window, heel], image[window, _LEG[other][3]]
            footprint = np.nanmedian(own, axis=0)
            leg_px = leg_length(image, foot, slice(f0, f1 + 1))
            apart = np.linalg.norm(own - theirs, axis=-1) > _SWAP_MIN_HEEL_GAP_LEG * leg_px
            swap = np.linalg.norm(own - footprint, axis=-1) > np.linalg.norm(theirs - footprint, axis=-1)
            swapped.append(np.where(apart, swap.astype(float), np.nan))
    runs = []
    for flags in swapped:
        padded = np.concatenate([[0.0], np.nan_to_num(flags), [0.0]])
        edges = np.diff(padded)
        runs += list(np.flatnonzero(edges < 0) - np.flatnonzero(edges > 0))
    judged = np.concatenate(swapped) if swapped else np.array([])
    judged = judged[np.isfinite(judged)]
    return PoseNoiseFigures(
        jitter_leg_fraction=float(np.median(jitter)) if jitter else math.nan,
        depth_jitter_leg_fraction=float(np.median(depth)) if depth else math.nan,
        heel_creep_fraction=float(np.median(creep)) if creep else math.nan,
        swapped_frame_fraction=_mean(judged),
        swap_run_frames=_mean(runs),
    )
