"""The synthetic walker knows its truth exactly: these tests check that the truth is what the landmarks show."""
from __future__ import annotations

import dataclasses
import math
from functools import lru_cache

import numpy as np
import pytest

from analysis import landmarks as lm
from analysis.synthetic import (
    MEDIAPIPE_NOISE,
    BodyDimensions,
    WalkerSpec,
    frontal_plane_projection_angle_deg,
    generate,
    measure_pose_noise,
    stance_intervals,
    view_from_yaw,
)
from analysis.types import INITIAL_CONTACT, LEFT, RIGHT, TOE_OFF, View

HEEL = {LEFT: lm.LEFT_HEEL, RIGHT: lm.RIGHT_HEEL}
TOE = {LEFT: lm.LEFT_FOOT_INDEX, RIGHT: lm.RIGHT_FOOT_INDEX}


@lru_cache(maxsize=None)
def walk(**kwargs):
    return generate(WalkerSpec(**kwargs))


def clean_world(w) -> np.ndarray:
    return np.stack([f.world_landmarks for f in w.clean_frames])


def clean_image(w) -> np.ndarray:
    return np.stack([f.image_landmarks for f in w.clean_frames])


def scene_points(w) -> np.ndarray:
    """Clean landmarks in the camera's frame (metres; y down from the camera, ground at camera height).

    World landmarks are hip-centred; the hip centre's camera position follows exactly from the pinhole model:
    ``(x_px - cx) * (Zh + wz) = f * (Xh + wx)`` for every landmark, linear least squares in (Xh, Yh, Zh).
    """
    world = clean_world(w)
    image = clean_image(w)
    spec = w.spec
    focal = 0.5 * spec.image_width_px / math.tan(math.radians(0.5 * spec.horizontal_fov_deg))
    centre = np.empty((len(world), 3))
    for i in range(len(world)):
        u = image[i, :, 0] - 0.5 * spec.image_width_px
        v = image[i, :, 1] - 0.5 * spec.image_height_px
        zeros = np.zeros_like(u)
        a = np.block([[-focal + zeros[:, None], zeros[:, None], u[:, None]],
                      [zeros[:, None], -focal + zeros[:, None], v[:, None]]])
        b = np.concatenate([focal * world[i, :, 0] - u * world[i, :, 2], focal * world[i, :, 1] - v * world[i, :, 2]])
        centre[i] = np.linalg.lstsq(a, b, rcond=None)[0]
    return world + centre[:, None, :]


def ground_height_m(w) -> np.ndarray:
    """Height of every clean landmark above the ground."""
    return w.spec.camera_height_m - scene_points(w)[..., 1]


# --- timing --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cadence", [90.0, 110.0, 128.0])
def test_cadence_from_true_events_equals_spec(cadence):
    w = walk(direction="left", treadmill=True, cadence_steps_per_min=cadence, duration_s=6.0, noise_px=0.0)
    ics = np.array([e.t_s for e in w.events if e.kind == INITIAL_CONTACT])
    assert len(ics) >= 8
    steps = np.diff(ics)
    # Pairs of consecutive steps make one stride whatever the asymmetry.
    strides = steps[: 2 * (len(steps) // 2)].reshape(-1, 2).sum(axis=1)
    assert 120.0 / strides.mean() == pytest.approx(cadence, abs=1e-6)
    assert w.truth.cadence_steps_per_min == pytest.approx(cadence, abs=1e-6)


@pytest.mark.parametrize("si", [-20.0, 0.0, 12.0, 30.0])
def test_step_time_asymmetry_matches_spec(si):
    w = walk(direction="toward", treadmill=True, step_time_asymmetry_pct=si, duration_s=6.0)
    ics = [e for e in w.events if e.kind == INITIAL_CONTACT]
    left = [b.t_s - a.t_s for a, b in zip(ics[:-1], ics[1:]) if b.foot == LEFT]
    right = [b.t_s - a.t_s for a, b in zip(ics[:-1], ics[1:]) if b.foot == RIGHT]
    signed = 100.0 * (np.mean(left) - np.mean(right)) / (0.5 * (np.mean(left) + np.mean(right)))
    assert signed == pytest.approx(si, abs=0.5)
    assert w.truth.step_time_si_pct == pytest.approx(abs(si), abs=0.5)
    if si > 0:
        assert w.truth.step_time_left_s > w.truth.step_time_right_s


def test_events_alternate_feet_and_kinds():
    w = walk(direction="away", step_time_asymmetry_pct=25.0, duration_s=8.0)
    ics = [e for e in w.events if e.kind == INITIAL_CONTACT]
    assert all(a.foot != b.foot for a, b in zip(ics[:-1], ics[1:]))
    for foot in (LEFT, RIGHT):
        kinds = [e.kind for e in w.events if e.foot == foot]
        assert all(a != b for a, b in zip(kinds[:-1], kinds[1:])), f"{foot} IC/TO do not alternate"
        for ic, to in stance_intervals(w.events, foot):
            assert 0.45 * w.spec.stride_time_s < to - ic < 0.75 * w.spec.stride_time_s
    # Each TO falls in the double support after the other foot's IC.
    for e in w.events:
        if e.kind == TOE_OFF:
            previous_ic = [c for c in ics if c.t_s < e.t_s][-1:]
            if previous_ic:
                assert previous_ic[0].foot != e.foot
                assert e.t_s - previous_ic[0].t_s == pytest.approx(0.1 * w.spec.stride_time_s, abs=1e-9)
    # Events are sub-frame: not all on the frame grid.
    assert any(abs(e.t_s * w.spec.fps - round(e.t_s * w.spec.fps)) > 0.05 for e in w.events)


def test_default_stance_is_sixty_percent():
    w = walk(direction="left", treadmill=True, duration_s=6.0)
    assert w.truth.stance_time_left_s == pytest.approx(0.6 * w.spec.stride_time_s, rel=1e-6)
    assert w.truth.stance_time_right_s == pytest.approx(0.6 * w.spec.stride_time_s, rel=1e-6)


@pytest.mark.parametrize("activity", ["stand", "sway", "turn"])
def test_standing_activities_have_no_events(activity):
    w = walk(activity=activity, duration_s=4.0)
    assert w.events == []
    assert math.isnan(w.truth.cadence_steps_per_min)


# --- contacts and geometry -----------------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["left", "toward"])
def test_heel_touches_ground_at_ic_and_toe_leaves_at_to(direction):
    w = walk(direction=direction, duration_s=6.0, fps=240.0, noise_px=0.0)
    height = ground_height_m(w)
    t = w.times_s
    for e in w.events:
        i = int(np.argmin(np.abs(t - e.t_s)))
        if abs(t[i] - e.t_s) > 0.5 / w.spec.fps:
            continue
        if e.kind == INITIAL_CONTACT:
            assert height[i, HEEL[e.foot]] == pytest.approx(0.0, abs=0.005)
            assert height[i, TOE[e.foot]] > 0.03  # the toe is still up at heel strike
        else:
            assert height[i, TOE[e.foot]] == pytest.approx(0.0, abs=0.005)
            assert height[i, HEEL[e.foot]] > 0.08  # the heel rose before toe off


def test_heel_rises_before_toe_off_and_foot_clears_ground_in_swing():
    w = walk(direction="left", duration_s=6.0, fps=120.0)
    height = ground_height_m(w)
    t = w.times_s
    stride = w.spec.stride_time_s
    for foot in (LEFT, RIGHT):
        stances = stance_intervals(w.events, foot)
        for (ic, to), (next_ic, _) in zip(stances[:-1], stances[1:]):
            heel_off = (t > ic + 0.1 * stride) & (t < to - 0.3 * stride)
            assert np.all(height[heel_off, HEEL[foot]] < 0.003)
            rising = (t > to - 0.05 * stride) & (t < to)
            assert np.all(height[rising, HEEL[foot]] > 0.03)
            mid_swing = (t > to + 0.2 * (next_ic - to)) & (t < next_ic - 0.2 * (next_ic - to))
            assert np.all(height[mid_swing, TOE[foot]] > 0.005)
            assert np.all(height[mid_swing, HEEL[foot]] > 0.005)


def test_stance_foot_does_not_slide_overground():
    w = walk(direction="left", duration_s=5.0, fps=60.0, noise_px=0.0)
    scene = scene_points(w)
    t = w.times_s
    for foot in (LEFT, RIGHT):
        for ic, to in stance_intervals(w.events, foot):
            flat = (t > ic + 0.08 * w.spec.stride_time_s) & (t < to - 0.26 * w.spec.stride_time_s)
            if flat.sum() < 3:
                continue
            heel = scene[flat, HEEL[foot]][:, [0, 2]]
            assert np.ptp(heel, axis=0).max() < 0.01


def test_treadmill_keeps_pelvis_in_place_and_stance_foot_moves_at_belt_speed():
    w = walk(direction="right", treadmill=True, duration_s=5.0, fps=60.0, noise_px=0.0)
    scene = scene_points(w)
    pelvis = 0.5 * (scene[:, lm.LEFT_HIP] + scene[:, lm.RIGHT_HIP])
    assert np.ptp(pelvis[:, 0]) < 0.08  # only the walking-direction wobble, no progression
    assert np.ptp(pelvis[:, 2]) < 0.08
    t = w.times_s
    speed = w.truth.walking_speed_m_per_s
    ic, to = stance_intervals(w.events, LEFT)[1]
    flat = (t > ic + 0.08 * w.spec.stride_time_s) & (t < to - 0.26 * w.spec.stride_time_s)
    heel_x = scene[flat, lm.LEFT_HEEL, 0]
    velocity = np.polyfit(t[flat], heel_x, 1)[0]
    assert velocity == pytest.approx(-speed, rel=0.01)  # walking to the image's right: belt runs left


def test_segment_lengths_are_constant():
    w = walk(direction="toward", knee_valgus_left_deg=12.0, pelvic_drop_deg=6.0, duration_s=6.0)
    world = clean_world(w)
    body = BodyDimensions.from_height(w.spec.height_m)
    expected = {
        (lm.LEFT_HIP, lm.LEFT_KNEE): body.thigh_m, (lm.RIGHT_HIP, lm.RIGHT_KNEE): body.thigh_m,
        (lm.LEFT_KNEE, lm.LEFT_ANKLE): body.shank_m, (lm.RIGHT_KNEE, lm.RIGHT_ANKLE): body.shank_m,
        (lm.LEFT_HIP, lm.RIGHT_HIP): body.hip_width_m, (lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER): body.shoulder_width_m,
        (lm.LEFT_HEEL, lm.LEFT_FOOT_INDEX): body.foot_length_m,
        (13, 15): body.forearm_m, (11, 13): body.upper_arm_m,
    }
    for (a, b), length in expected.items():
        d = np.linalg.norm(world[:, a] - world[:, b], axis=-1)
        assert d == pytest.approx(np.full_like(d, length), abs=1e-6), (lm.LANDMARK_NAMES[a], lm.LANDMARK_NAMES[b])


def test_knee_flexion_follows_normal_gait():
    w = walk(direction="left", treadmill=True, duration_s=4.0, fps=120.0, noise_px=0.0)
    world = clean_world(w)
    thigh = world[:, lm.LEFT_KNEE] - world[:, lm.LEFT_HIP]
    shank = world[:, lm.LEFT_ANKLE] - world[:, lm.LEFT_KNEE]
    cos = np.sum(thigh * shank, axis=-1) / np.linalg.norm(thigh, axis=-1) / np.linalg.norm(shank, axis=-1)
    flexion = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    t = w.times_s
    ic, to = stance_intervals(w.events, LEFT)[1]
    stride = w.spec.stride_time_s
    loading = (t > ic) & (t < ic + 0.25 * stride)
    swing = (t > to) & (t < ic + stride)
    assert 12.0 < flexion[loading].max() < 25.0
    assert 50.0 < flexion[swing].max() < 72.0
    peak_phase = (t[swing][np.argmax(flexion[swing])] - ic) / stride
    assert 0.65 < peak_phase < 0.80  # initial swing (Perry: ~73 % of the cycle)
    assert flexion[np.argmin(np.abs(t - (ic + 0.95 * stride)))] < 25.0  # extended for the next contact
    assert flexion.min() > 0.0
    # No leg is ever longer than thigh + shank.
    reach = np.linalg.norm(world[:, lm.LEFT_ANKLE] - world[:, lm.LEFT_HIP], axis=-1)
    body = BodyDimensions.from_height(w.spec.height_m)
    assert reach.max() < body.thigh_m + body.shank_m


# --- frontal-plane truths --------------------------------------------------------------------------------


@pytest.mark.parametrize(("direction", "treadmill"), [("toward", True), ("toward", False), ("away", True)])
def test_clean_fppa_peak_matches_valgus_spec(direction, treadmill):
    w = walk(direction=direction, treadmill=treadmill, knee_valgus_left_deg=10.0, knee_valgus_right_deg=5.0,
             duration_s=6.0)
    image = clean_image(w)
    t = w.times_s
    peaks = []
    for foot, (hip, knee, ankle, other) in {
        LEFT: (lm.LEFT_HIP, lm.LEFT_KNEE, lm.LEFT_ANKLE, lm.RIGHT_HIP),
        RIGHT: (lm.RIGHT_HIP, lm.RIGHT_KNEE, lm.RIGHT_ANKLE, lm.LEFT_HIP),
    }.items():
        fppa = frontal_plane_projection_angle_deg(image[:, hip, :2], image[:, knee, :2], image[:, ankle, :2],
                                                  image[:, other, :2])
        # Straight passes on the camera's axis only: in a U-turn, or off to the side (the return pass of an
        # overground walk), perspective shows some of the knee's forward bend as a sideways one.
        off_frontal = np.minimum(np.abs(w.yaw_deg), 180.0 - np.abs(w.yaw_deg))
        if not treadmill:
            off_frontal = np.abs(w.yaw_deg)
        stance_peaks = [fppa[(t >= ic) & (t <= to)].max() for ic, to in stance_intervals(w.events, foot)
                        if np.all(off_frontal[(t >= ic) & (t <= to)] < 1.0)]
        peaks.append(np.median(stance_peaks))
    assert peaks[0] == pytest.approx(10.0, abs=1.0)
    assert peaks[1] == pytest.approx(5.0, abs=1.0)
    # The truth also counts the off-axis return pass of an overground walk, and only mid-stance.
    assert w.truth.knee_fppa_peak_left_deg == pytest.approx(10.0, abs=1.0)
    assert w.truth.knee_fppa_peak_right_deg == pytest.approx(5.0, abs=1.0)


def test_varus_knee_peaks_negative():
    w = walk(direction="toward", treadmill=True, knee_valgus_left_deg=-6.0, duration_s=4.0)
    assert w.truth.knee_fppa_peak_left_deg == pytest.approx(-6.0, abs=1.0)


def test_no_valgus_gives_small_fppa():
    w = walk(direction="toward", treadmill=True, duration_s=4.0)
    assert abs(w.truth.knee_fppa_peak_left_deg) < 1.0
    assert abs(w.truth.knee_fppa_peak_right_deg) < 1.0


def test_fppa_sign_convention():
    hip, other = np.array([0.0, 0.0]), np.array([-1.0, 0.0])  # the other hip is to the left: medial = -x
    ankle = np.array([0.0, 2.0])
    assert frontal_plane_projection_angle_deg(hip, np.array([-0.1, 1.0]), ankle, other) > 5.0
    assert frontal_plane_projection_angle_deg(hip, np.array([0.1, 1.0]), ankle, other) < -5.0
    assert frontal_plane_projection_angle_deg(hip, np.array([0.0, 1.0]), ankle, other) == pytest.approx(0.0)


@pytest.mark.parametrize("drop", [0.0, 5.0, 9.0])
def test_pelvic_drop_truth_matches_spec(drop):
    w = walk(direction="toward", treadmill=True, pelvic_drop_deg=drop, duration_s=4.0)
    assert w.truth.pelvic_drop_deg == pytest.approx(drop, abs=0.5)


def test_trunk_lean_truth_and_world_landmarks():
    w = walk(direction="left", treadmill=True, trunk_lean_lateral_deg=8.0, trunk_lean_forward_deg=12.0,
             duration_s=3.0)
    assert w.truth.trunk_lean_lateral_deg == pytest.approx(8.0, abs=0.1)
    assert w.truth.trunk_lean_forward_deg == pytest.approx(12.0, abs=0.1)
    # Walking to the image's left the person's right is away from the camera (+z) and forward is -x.
    world = clean_world(w)
    trunk = 0.5 * (world[:, lm.LEFT_SHOULDER] + world[:, lm.RIGHT_SHOULDER])
    assert np.mean(trunk[:, 2]) > 0.03 and np.mean(trunk[:, 0]) < -0.05


@pytest.mark.parametrize(("left", "right"), [(7.0, 7.0), (15.0, -5.0)])
def test_foot_progression_from_world_landmarks_equals_toe_out(left, right):
    w = walk(direction="toward", treadmill=True, toe_out_left_deg=left, toe_out_right_deg=right, duration_s=4.0)
    world = clean_world(w)
    t = w.times_s
    for foot, expected, lateral_sign in ((LEFT, left, 1.0), (RIGHT, right, -1.0)):
        angles = []
        for ic, to in stance_intervals(w.events, foot):
            i = int(np.argmin(np.abs(t - 0.5 * (ic + to))))
            axis = world[i, TOE[foot]] - world[i, HEEL[foot]]
            # Facing the camera: walking direction -z, the person's left is +x.
            angles.append(math.degrees(math.atan2(lateral_sign * axis[0], -axis[2])))
        assert np.mean(angles) == pytest.approx(expected, abs=0.1)
    assert w.truth.foot_progression_left_deg == pytest.approx(left, abs=1e-6)
    assert w.truth.foot_progression_right_deg == pytest.approx(right, abs=1e-6)


def test_step_length_default_and_spec():
    w = walk(direction="left", duration_s=6.0)
    assert 0.6 < w.truth.step_length_m < 0.8
    w = walk(direction="left", step_length_m=0.55, duration_s=6.0)
    assert w.truth.step_length_left_m == pytest.approx(0.55, abs=1e-6)
    assert w.truth.step_length_right_m == pytest.approx(0.55, abs=1e-6)


# --- camera ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["toward", "away", "left", "right"])
@pytest.mark.parametrize("activity", ["walk", "turn"])
def test_default_setups_keep_the_whole_body_in_frame(direction, activity):
    w = walk(direction=direction, activity=activity)
    image = clean_image(w)
    xy = image[:, :, :2]
    assert np.all(xy[..., 0] > 0) and np.all(xy[..., 0] < w.spec.image_width_px)
    assert np.all(xy[..., 1] > 0) and np.all(xy[..., 1] < w.spec.image_height_px)
    # MediaPipe-like z: hips near 0, nose nearer than the hips when facing the camera.
    assert np.all(np.abs(image[:, lm.LEFT_HIP, 2] + image[:, lm.RIGHT_HIP, 2]) < 1e-9)


def test_frontal_walk_covers_the_room_and_turns():
    w = walk(direction="toward")
    views = w.views
    assert views[0] == View.FACING
    assert View.BACK in views and View.UNKNOWN in views
    world = clean_world(w)
    image = clean_image(w)
    height_px = image[:, lm.LEFT_HEEL, 1] - image[:, lm.NOSE, 1]
    assert height_px.max() > 1.8 * height_px.min()  # from far to near


def test_far_leg_has_low_visibility_in_side_view():
    w = walk(direction="left", treadmill=True, duration_s=3.0)
    image = np.stack([f.image_landmarks for f in w.frames])
    # Walking to the image's left, the person's left side faces the camera.
    far = image[:, [lm.RIGHT_KNEE, lm.RIGHT_ANKLE, lm.RIGHT_HEEL, lm.RIGHT_FOOT_INDEX], 3]
    near = image[:, [lm.LEFT_KNEE, lm.LEFT_ANKLE, lm.LEFT_HEEL, lm.LEFT_FOOT_INDEX], 3]
    assert 0.2 <= far.min() and far.max() <= 0.5
    assert near.min() > 0.9
    w = walk(direction="left", treadmill=True, duration_s=3.0, far_leg_low_visibility=False)
    image = np.stack([f.image_landmarks for f in w.frames])
    assert image[:, lm.RIGHT_KNEE, 3].min() > 0.9


def test_views_follow_heading():
    assert view_from_yaw(np.array([0.0, 25.0, 45.0, 90.0, 119.0, 170.0, -90.0, -135.0])) == [
        View.FACING, View.FACING, View.UNKNOWN, View.SIDE_LEFT, View.SIDE_LEFT, View.BACK, View.SIDE_RIGHT,
        View.UNKNOWN]
    assert set(walk(direction="right", treadmill=True, duration_s=2.0).views) == {View.SIDE_RIGHT}
    assert set(walk(direction="away", activity="stand", duration_s=2.0).views) == {View.BACK}
    turn = walk(activity="turn", duration_s=8.0)
    counts = {v: turn.views.count(v) for v in View.ALL}
    # A full circle: each view for 60 deg of 360, unknown for the 4 x 30 deg in between.
    for view in (View.FACING, View.BACK, View.SIDE_LEFT, View.SIDE_RIGHT):
        assert counts[view] == pytest.approx(len(turn.views) / 6, abs=2)
    assert counts[View.UNKNOWN] == pytest.approx(len(turn.views) / 3, abs=8)


def test_sway_moves_pelvis_sideways_without_steps():
    w = walk(activity="sway", duration_s=6.0, sway_amplitude_m=0.05)
    scene = scene_points(w)
    pelvis_x = 0.5 * (scene[:, lm.LEFT_HIP, 0] + scene[:, lm.RIGHT_HIP, 0])
    assert 0.08 < np.ptp(pelvis_x) < 0.12
    feet = scene[:, [lm.LEFT_HEEL, lm.RIGHT_HEEL], 0]
    assert np.ptp(feet, axis=0).max() < 1e-6


# --- noise, dropouts, seeds ----------------------------------------------------------------------------------


def test_noise_level_matches_spec():
    w = walk(direction="toward", treadmill=True, noise_px=2.0, duration_s=10.0)
    noisy = np.stack([f.image_landmarks[:, :2] for f in w.frames])
    clean = clean_image(w)[:, :, :2]
    error = (noisy - clean)[:, [lm.NOSE, lm.LEFT_HIP, lm.RIGHT_KNEE]]
    assert np.std(error) == pytest.approx(2.0, rel=0.15)


@pytest.mark.parametrize("rate", [0.0, 0.05, 0.2])
def test_dropout_fraction_and_bursts(rate):
    w = walk(direction="left", dropout_rate=rate, duration_s=10.0)
    dropped = np.array([not f.pose_detected for f in w.frames])
    assert dropped.mean() == pytest.approx(rate, abs=0.01)
    assert all(f.world_landmarks is None for f, d in zip(w.frames, dropped) if d)
    assert all(f.pose_detected for f in w.clean_frames)
    runs = np.diff(np.flatnonzero(np.diff(np.concatenate([[0], dropped.astype(int), [0]]))))[::2]
    assert np.all(runs <= 4)


def test_same_seed_same_output_other_seed_other_noise():
    a = generate(WalkerSpec(direction="left", duration_s=2.0, dropout_rate=0.1, seed=3))
    b = generate(WalkerSpec(direction="left", duration_s=2.0, dropout_rate=0.1, seed=3))
    c = generate(WalkerSpec(direction="left", duration_s=2.0, dropout_rate=0.1, seed=4))
    for fa, fb in zip(a.frames, b.frames):
        assert (fa.image_landmarks is None) == (fb.image_landmarks is None)
        if fa.image_landmarks is not None:
            assert np.array_equal(fa.image_landmarks, fb.image_landmarks)
            assert np.array_equal(fa.world_landmarks, fb.world_landmarks)
    shared = [i for i, (fa, fc) in enumerate(zip(a.frames, c.frames)) if fa.pose_detected and fc.pose_detected]
    assert not np.allclose(a.frames[shared[0]].image_landmarks, c.frames[shared[0]].image_landmarks)
    # The motion itself does not depend on the seed.
    assert np.array_equal(a.clean_frames[5].world_landmarks, c.clean_frames[5].world_landmarks)
    assert a.events == c.events


def test_frame_shapes_and_times():
    w = walk(direction="right", fps=60.0, duration_s=2.0)
    assert len(w.frames) == len(w.clean_frames) == len(w.views) == 120
    assert w.frames[7].t_s == pytest.approx(7 / 60.0)
    assert w.frames[7].frame_index == 7
    assert w.frames[7].image_landmarks.shape == (33, 5)
    assert w.frames[7].world_landmarks.shape == (33, 3)


@pytest.mark.parametrize(("field", "value"), [
    ("direction", "up"), ("activity", "run"), ("cadence_steps_per_min", 0.0), ("step_time_asymmetry_pct", 90.0),
    ("fps", -1.0), ("dropout_rate", 0.9), ("height_m", float("nan")), ("image_width_px", 10),
    ("limp", "hop"), ("limp_side", "middle"), ("affected_step_length_m", 0.3), ("pose_noise", "openpose"),
])
def test_bad_spec_names_the_argument(field, value):
    with pytest.raises(ValueError, match=field):
        WalkerSpec(**{field: value})


def test_spec_fields_are_documented():
    doc = WalkerSpec.__doc__
    for f in dataclasses.fields(WalkerSpec):
        assert f.name in doc, f"{f.name} is not documented"


# --- limps ------------------------------------------------------------------------------------------------

LIMP_SI = {"step_to": -20.0, "antalgic": -25.0, "cane": -12.8}  # painful right side: the left (sound) step is short
VIEWS = [("left", False), ("toward", False), ("away", False), ("right", True), ("toward", True)]


def signed_si_pct(truth) -> float:
    left, right = truth.step_time_left_s, truth.step_time_right_s
    return 100.0 * (left - right) / (0.5 * (left + right))


@pytest.mark.parametrize("limp", sorted(LIMP_SI))
@pytest.mark.parametrize(("direction", "treadmill"), VIEWS)
def test_limp_truth_has_the_requested_signed_step_time_si(limp, direction, treadmill):
    w = walk(direction=direction, treadmill=treadmill, limp=limp, step_time_asymmetry_pct=LIMP_SI[limp],
             duration_s=8.0)
    assert signed_si_pct(w.truth) == pytest.approx(LIMP_SI[limp], abs=0.5)
    ics = [e for e in w.events if e.kind == INITIAL_CONTACT]
    assert len(ics) >= 10
    # Contacts alternate feet, and each stance ends with its own foot's TO.
    assert all(a.foot != b.foot for a, b in zip(ics[:-1], ics[1:]))
    for foot in (LEFT, RIGHT):
        assert all(ic < to for ic, to in stance_intervals(w.events, foot))


def test_left_limp_mirrors_the_right_one():
    right = walk(direction="left", limp="antalgic", step_time_asymmetry_pct=-25.0, duration_s=8.0)
    left = walk(direction="left", limp="antalgic", limp_side=LEFT, step_time_asymmetry_pct=25.0, duration_s=8.0)
    assert right.truth.stance_time_right_s < right.truth.stance_time_left_s
    assert left.truth.stance_time_left_s == pytest.approx(right.truth.stance_time_right_s, abs=1e-9)


def world_forward_m(w, index: int) -> np.ndarray:
    """Clean world landmark ``index`` ahead of the hip centre along the walking direction, per frame."""
    forward = np.stack([-np.sin(np.radians(w.yaw_deg)), np.zeros(len(w.yaw_deg)), -np.cos(np.radians(w.yaw_deg))], 1)
    return np.sum(clean_world(w)[:, index] * forward, axis=1)


@pytest.mark.parametrize(("si", "affected_step_m"), [(0.0, 0.0), (-20.0, 0.0), (15.0, -0.1)])
@pytest.mark.parametrize("treadmill", [False, True])
def test_step_to_affected_heel_lands_level_with_or_behind_the_other_and_behind_the_pelvis(
        si, affected_step_m, treadmill):
    w = walk(direction="left", treadmill=treadmill, limp="step_to", step_time_asymmetry_pct=si,
             affected_step_length_m=affected_step_m, duration_s=8.0, fps=120.0, noise_px=0.0)
    assert w.truth.step_length_right_m == pytest.approx(affected_step_m, abs=1e-6)
    assert w.truth.step_length_left_m > 0.6  # the sound foot steps past the affected one
    leg_m = w.body.leg_m
    right_heel, left_heel = world_forward_m(w, HEEL[RIGHT]), world_forward_m(w, HEEL[LEFT])
    straight = np.abs(np.abs(w.yaw_deg) - 90.0) < 1.0
    checked = 0
    for e in w.events:
        i = int(round(e.t_s * w.spec.fps))
        if e.foot != RIGHT or e.kind != INITIAL_CONTACT or i >= len(w.frames) or not straight[i]:
            continue
        # As the acted step-to limp on real video: the heel 0.08-0.13 leg lengths behind the hip centre.
        assert -0.13 <= right_heel[i] / leg_m <= -0.08
        assert right_heel[i] <= left_heel[i] + affected_step_m + 0.01
        checked += 1
    assert checked >= 3


def test_step_to_spec_refuses_a_sound_heel_out_of_reach():
    with pytest.raises(ValueError, match="step_time_asymmetry_pct"):
        WalkerSpec(limp="step_to", step_time_asymmetry_pct=-60.0, affected_step_length_m=-0.4)


@pytest.mark.parametrize("limp", ["antalgic", "cane"])
def test_antalgic_and_cane_refuse_a_short_step_on_the_painful_side(limp):
    with pytest.raises(ValueError, match="step_time_asymmetry_pct"):
        WalkerSpec(limp=limp, limp_side=RIGHT, step_time_asymmetry_pct=10.0)


@pytest.mark.parametrize("si", [-10.0, -30.0])
def test_antalgic_painful_stance_is_shorter_by_the_requested_amount(si):
    w = walk(direction="toward", limp="antalgic", step_time_asymmetry_pct=si, duration_s=10.0)
    t = w.truth
    mean_step_s = 0.5 * (t.step_time_left_s + t.step_time_right_s)
    assert t.stance_time_right_s - t.stance_time_left_s == pytest.approx(si / 100.0 * mean_step_s, abs=1e-6)
    # Less single support on the painful side: the sound foot's swing (= painful single support) is shorter.
    sound_swing = np.mean([ic - to for (_, to), (ic, _) in zip(stance_intervals(w.events, LEFT)[:-1],
                                                               stance_intervals(w.events, LEFT)[1:])])
    painful_swing = np.mean([ic - to for (_, to), (ic, _) in zip(stance_intervals(w.events, RIGHT)[:-1],
                                                                 stance_intervals(w.events, RIGHT)[1:])])
    assert sound_swing < painful_swing


def test_cane_hand_comes_down_to_hip_height_and_moves_with_the_painful_foot():
    w = walk(direction="left", limp="cane", step_time_asymmetry_pct=-12.8, duration_s=8.0, noise_px=0.0)
    cane_wrist = lm.LANDMARK_INDEX["left_wrist"]
    world = clean_world(w)
    straight = np.abs(np.abs(w.yaw_deg) - 90.0) < 1.0
    # World landmarks are hip-centred, y down: the cane hand is at hip height, outside the sound (left) hip.
    assert np.all(np.abs(world[straight, cane_wrist, 1]) < 0.05)
    hip_m = np.linalg.norm(world[straight, lm.LEFT_HIP][:, [0, 2]], axis=1)
    assert np.all(np.linalg.norm(world[straight, cane_wrist][:, [0, 2]], axis=1) > hip_m + 0.1)
    cane_ahead = world_forward_m(w, cane_wrist)[straight]
    painful_ahead = world_forward_m(w, lm.RIGHT_ANKLE)[straight]
    assert np.corrcoef(cane_ahead, painful_ahead)[0, 1] > 0.95
    assert np.ptp(cane_ahead) > 0.25
    # The arm keeps its length.
    elbow = world[:, lm.LANDMARK_INDEX["left_elbow"]]
    forearm = np.linalg.norm(world[:, cane_wrist] - elbow, axis=1)
    assert np.ptp(forearm) < 1e-6 and forearm[0] == pytest.approx(w.body.forearm_m)


# --- MediaPipe-like noise ---------------------------------------------------------------------------------


def noise_figures(**kwargs):
    """measure_pose_noise on a synthetic walk, with its true events on the frames, only where seen as asked."""
    w = walk(duration_s=30.0, **kwargs)
    side = w.spec.direction in ("left", "right")
    views = (View.SIDE_LEFT, View.SIDE_RIGHT) if side else (View.FACING, View.BACK)
    events = [(int(math.ceil(e.t_s * w.spec.fps - 1e-9)), e.foot, e.kind) for e in w.events]
    events = [e for e in events if e[0] < len(w.views) and w.views[e[0]] in views]
    return measure_pose_noise(w.frames, events, side_view=side)


FIGURES = ["jitter_leg_fraction", "depth_jitter_leg_fraction", "heel_creep_fraction", "swapped_frame_fraction"]


@pytest.mark.parametrize(("direction", "view"), [("left", "side"), ("toward", "frontal")])
def test_mediapipe_noise_matches_the_real_clips_within_a_factor_of_1_5(direction, view):
    measured = noise_figures(direction=direction, pose_noise="mediapipe")
    real = MEDIAPIPE_NOISE[view]
    for name in FIGURES:
        target = getattr(real, name)
        if math.isnan(target):
            continue
        assert target / 1.5 <= getattr(measured, name) <= target * 1.5, name
    if view == "side":
        assert 1.0 <= measured.swap_run_frames <= 4.0


def test_plain_noise_has_sharp_heels_and_no_swaps():
    # The measure can tell: without the preset the heel stops dead and the labels never swap.
    measured = noise_figures(direction="left", noise_px=0.5)
    assert abs(measured.heel_creep_fraction) < 0.05
    assert measured.swapped_frame_fraction == 0.0


def test_mediapipe_jitter_scales_with_the_person_and_plain_jitter_does_not():
    def jitter(distance_m, **kwargs):
        return noise_figures(direction="toward", treadmill=True, camera_distance_m=distance_m,
                             **kwargs).jitter_leg_fraction

    assert jitter(7.0, pose_noise="mediapipe") == pytest.approx(jitter(3.5, pose_noise="mediapipe"), rel=0.2)
    assert jitter(7.0) > 1.6 * jitter(3.5)
