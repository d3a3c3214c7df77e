"""The guided check-up's pure logic (issue 14) against the synthetic walker extended to stand facing the camera and
side-on with a chosen alignment and posture, and to squat on one leg with a chosen valgus, with known truth: the
clean (noise-free) picture's own angles, read through MediaPipe-like noise."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from analysis import landmarks as lm
from analysis.analyser import analyse_recording
from analysis.checkup import (
    SETUP_ITEMS, SquatCounter, assess_setup, explain, setup_passed, squat_results, standing_alignment,
    standing_posture, walk_results,
)
from analysis.synthetic import (
    WalkerSpec, frontal_plane_projection_angle_deg, generate, pelvic_obliquity_deg, squat_reps,
)
from analysis.types import PoseFrame


def rows_by_metric(result) -> dict:
    return {row.metric: row for row in result.rows}


# --- Set-up check --------------------------------------------------------------------------------------------------

def setup_items(brightness: float = 120.0, **spec) -> dict:
    walk = generate(WalkerSpec(activity="stand", direction="toward", duration_s=3.0, pose_noise="mediapipe", **spec))
    return {item.key: item for item in assess_setup(walk.frames, brightness, 1.70)}


def test_a_good_set_up_passes_every_item():
    items = setup_items()
    assert list(items) == list(SETUP_ITEMS)
    assert all(item.passed and not item.advice for item in items.values()), items
    assert setup_passed(list(items.values()))
    assert items["camera_height_m"].figure == pytest.approx(0.9, abs=0.1)  # the synthetic camera's height
    assert abs(items["camera_tilt_deg"].figure) < 3.0


@pytest.mark.parametrize(("spec", "key", "says"), [
    ({"camera_distance_m": 1.5}, "whole_body_in_view_pct", "step back"),
    ({"camera_distance_m": 7.0}, "body_height_in_picture_pct", "closer"),
    ({"camera_height_m": 0.4}, "camera_height_m", "raise the laptop by about 50 cm"),
    ({"world_pitch_deg": 25.0}, "camera_tilt_deg", "tilt the screen back"),
    ({"fps": 12.0}, "frame_rate_fps", "12 frames a second"),
])
def test_each_set_up_problem_says_exactly_what_to_change(spec, key, says):
    items = setup_items(**spec)
    assert not items[key].passed and says in items[key].advice.lower() + items[key].advice, items[key]
    assert not setup_passed(list(items.values()))
    assert all(item.passed for item in items.values() if item.key != key)  # only the item that is wrong


def test_light_and_an_empty_room():
    assert "dark" in setup_items(brightness=20.0)["light_brightness"].advice
    assert "washed out" in setup_items(brightness=240.0)["light_brightness"].advice
    walk = generate(WalkerSpec(activity="stand", duration_s=2.0))
    empty = [PoseFrame(f.t_s, f.frame_index, f.image_width_px, f.image_height_px, None, None) for f in walk.frames]
    items = assess_setup(empty, 120.0)
    assert [item.key for item in items] == ["person_found_pct"] and not items[0].passed
    assert "No one found" in items[0].advice


# --- Standing alignment, facing the camera ---------------------------------------------------------------------------

def clean_alignment(walk) -> dict:
    """The clean picture's knee FPPA and pelvis tilt (medians), the truth the reading is judged against."""
    xy = np.array([f.image_landmarks[:, :2] for f in walk.clean_frames])
    fppa = {side: float(np.median(frontal_plane_projection_angle_deg(xy[:, hip], xy[:, knee], xy[:, ankle],
                                                                     xy[:, other])))
            for side, (hip, knee, ankle, other) in {
                "left": (lm.LEFT_HIP, lm.LEFT_KNEE, lm.LEFT_ANKLE, lm.RIGHT_HIP),
                "right": (lm.RIGHT_HIP, lm.RIGHT_KNEE, lm.RIGHT_ANKLE, lm.LEFT_HIP)}.items()}
    # pelvic_obliquity_deg is "the swing side low" positive; with the right hip as "stance": + = left hip low.
    tilt = -float(np.median(pelvic_obliquity_deg(xy[:, lm.RIGHT_HIP], xy[:, lm.LEFT_HIP])))
    return {"fppa": fppa, "pelvis_tilt_deg": tilt}


@pytest.mark.parametrize("seed", [1, 2])
def test_standing_alignment_reads_each_knee_foot_and_the_levels(seed):
    spec = WalkerSpec(activity="stand", direction="toward", duration_s=6.0, pose_noise="mediapipe", seed=seed,
                      knee_valgus_left_deg=7.0, knee_valgus_right_deg=-2.0, toe_out_left_deg=22.0,
                      toe_out_right_deg=6.0, pelvis_obliquity_deg=4.0, shoulder_tilt_deg=-5.0)
    walk = generate(spec)
    result = standing_alignment(walk.frames)
    assert result.measured and result.used_s >= 4.0
    rows = rows_by_metric(result)
    truth = clean_alignment(walk)
    assert rows["knee_fppa_deg"].left == pytest.approx(truth["fppa"]["left"], abs=1.5)
    assert rows["knee_fppa_deg"].right == pytest.approx(truth["fppa"]["right"], abs=1.5)
    assert truth["fppa"]["left"] > 4.0 and rows["knee_fppa_deg"].passed is False  # the left knee sits inward
    assert rows["toe_out_deg"].left == pytest.approx(22.0, abs=3.0)
    assert rows["toe_out_deg"].right == pytest.approx(6.0, abs=3.0)
    assert rows["toe_out_deg"].passed is False  # 22 deg is beyond Staheli's +20
    assert rows["pelvis_tilt_deg"].overall == pytest.approx(truth["pelvis_tilt_deg"], abs=1.5)
    assert rows["pelvis_tilt_deg"].overall > 2.0  # the left hip higher reads positive
    assert rows["shoulder_tilt_deg"].overall == pytest.approx(-5.0, abs=1.0)
    assert rows["shoulder_tilt_deg"].passed is False


def test_a_straight_stance_passes_and_walking_is_not_standing_still():
    walk = generate(WalkerSpec(activity="stand", direction="toward", duration_s=6.0, pose_noise="mediapipe", seed=3))
    rows = rows_by_metric(standing_alignment(walk.frames))
    assert all(row.passed for row in rows.values()), rows
    walking = generate(WalkerSpec(direction="toward", duration_s=6.0, seed=3))
    result = standing_alignment(walking.frames)
    assert not result.measured and result.rows == () and "Stand still" in result.reason
    side_on = generate(WalkerSpec(activity="stand", direction="left", duration_s=6.0, seed=3))
    assert not standing_alignment(side_on.frames).measured  # the mirror test needs you facing the camera


# --- Standing posture, side-on ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("direction", ["left", "right"])
def test_side_on_posture_sees_a_forward_head_and_a_leaning_trunk(direction):
    neutral = generate(WalkerSpec(activity="stand", direction=direction, duration_s=6.0, pose_noise="mediapipe"))
    slumped_spec = WalkerSpec(activity="stand", direction=direction, duration_s=6.0, pose_noise="mediapipe",
                              head_forward_deg=35.0, trunk_lean_forward_deg=9.0)
    slumped = generate(slumped_spec)
    upright, forward = (rows_by_metric(standing_posture(w.frames, 1.70)) for w in (neutral, slumped))
    assert all(row.passed for row in upright.values()), upright
    truth = rows_by_metric(standing_posture(slumped.clean_frames, 1.70))
    for metric, row in forward.items():
        assert row.overall == pytest.approx(truth[metric].overall, abs=2.0), metric
    assert forward["trunk_lean_forward_deg"].overall == pytest.approx(9.0, abs=1.5)
    assert forward["trunk_lean_forward_deg"].passed is False
    assert forward["head_forward_deg"].passed is False and forward["ear_ahead_of_plumb_line_cm"].passed is False
    assert forward["ear_ahead_of_plumb_line_cm"].overall > upright["ear_ahead_of_plumb_line_cm"].overall + 10.0
    assert "cannot see the pelvis" in explain(forward["head_forward_deg"])


# --- Single-leg squat ------------------------------------------------------------------------------------------------

def squat_walk(leg: str, valgus_deg: float, seed: int = 1, **extra):
    spec = WalkerSpec(activity="single_leg_squat", direction="toward", duration_s=20.0, squat_leg=leg,
                      pose_noise="mediapipe", seed=seed, **{f"knee_valgus_{leg}_deg": valgus_deg}, **extra)
    return spec, generate(spec)


def true_bottom_fppa(spec, walk) -> list[float]:
    """The clean picture's stance-knee FPPA at the bottom of each repetition."""
    xy = np.array([f.image_landmarks[:, :2] for f in walk.clean_frames])
    hip, knee, ankle, other = ((lm.LEFT_HIP, lm.LEFT_KNEE, lm.LEFT_ANKLE, lm.RIGHT_HIP) if spec.squat_leg == "left"
                               else (lm.RIGHT_HIP, lm.RIGHT_KNEE, lm.RIGHT_ANKLE, lm.LEFT_HIP))
    fppa = frontal_plane_projection_angle_deg(xy[:, hip], xy[:, knee], xy[:, ankle], xy[:, other])
    return [float(fppa[int(np.argmin(np.abs(walk.times_s - rep.bottom_s)))]) for rep in squat_reps(spec)]


@pytest.mark.parametrize(("leg", "valgus_deg"), [("right", 14.0), ("left", 14.0), ("right", 0.0)])
def test_squat_repetitions_are_counted_flagged_and_measured(leg, valgus_deg):
    spec, walk = squat_walk(leg, valgus_deg, squat_shallow_reps=(2,), squat_touch_down_reps=(3,))
    counter = SquatCounter()
    done = [rep for rep in (counter.push(frame) for frame in walk.frames) if rep is not None]
    assert done == counter.reps and len(done) == len(squat_reps(spec)) == 5
    assert all(rep.leg == leg for rep in done)
    for found, true in zip(done, squat_reps(spec)):
        assert abs(found.bottom_s - true.bottom_s) < 0.25
    assert [rep.too_shallow for rep in done] == [False, False, True, False, False]
    assert [rep.touched_down for rep in done] == [False, False, False, True, False]
    truth = true_bottom_fppa(spec, walk)
    rows = rows_by_metric(squat_results(done))
    read = getattr(rows["knee_fppa_peak_deg"], leg)
    scored_truth = float(np.median([t for t, rep in zip(truth, done) if rep.scored]))
    assert read == pytest.approx(scored_truth, abs=2.5)
    assert getattr(rows["repetitions_scored"], leg) == 3 and getattr(rows["too_shallow"], leg) == 1
    assert getattr(rows["balance_lost"], leg) == 1
    assert rows["knee_fppa_peak_deg"].passed is (scored_truth <= 8.0)
    assert (scored_truth > 8.0) == (valgus_deg > 0)  # the chosen valgus shows in the picture


def test_both_legs_in_one_stream_and_too_few_good_repetitions():
    _, right = squat_walk("right", 14.0, seed=4)
    _, left = squat_walk("left", 0.0, seed=5, squat_touch_down_reps=(0, 1, 2))
    offset = right.frames[-1].t_s + 1.0
    frames = right.frames + [dataclasses.replace(f, t_s=f.t_s + offset) for f in left.frames]
    counter = SquatCounter()
    for frame in frames:
        counter.push(frame)
    rows = rows_by_metric(squat_results(counter.reps))
    assert (rows["repetitions_counted"].left, rows["repetitions_counted"].right) == (5, 5)
    assert rows["repetitions_scored"].left == 2 and math.isnan(rows["knee_fppa_peak_deg"].left)  # fewer than 3
    assert rows["knee_fppa_peak_deg"].right > 8.0 and rows["knee_fppa_peak_deg"].passed is False
    assert squat_results([]).reason.startswith("No repetition")


# --- Timed walk ------------------------------------------------------------------------------------------------------

def test_the_timed_walk_judges_the_limp_by_its_interval():
    limp = analyse_recording(generate(WalkerSpec(direction="toward", duration_s=60.0, limp="antalgic",
                                                 step_time_asymmetry_pct=-20.0, seed=2)).frames, 1.70)
    even = analyse_recording(generate(WalkerSpec(direction="toward", duration_s=60.0, seed=2)).frames, 1.70)
    limp_rows, even_rows = rows_by_metric(walk_results(limp.summary)), rows_by_metric(walk_results(even.summary))
    assert limp_rows["steps_measured"].overall >= 40
    assert limp_rows["step_time_symmetry_index_pct"].passed is False
    assert limp_rows["step_time_symmetry_index_low_pct"].overall > 10.0
    assert even_rows["step_time_symmetry_index_pct"].passed is True
    assert even_rows["cadence_steps_per_min"].overall == pytest.approx(110.0, abs=3.0)
    short = analyse_recording(generate(WalkerSpec(direction="toward", duration_s=3.0, seed=2)).frames, 1.70)
    short_si = rows_by_metric(walk_results(short.summary))["step_time_symmetry_index_pct"]
    assert math.isnan(short_si.overall) and short_si.passed is None  # too few steps: empty, not judged
    assert explain(short_si) == "Step evenness: more steps needed."
