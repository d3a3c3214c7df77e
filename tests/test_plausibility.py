"""Plausibility gates (issue 9, item 2): a frame whose pose cannot be a person standing or walking in the picture is
a gap, never a figure."""
from __future__ import annotations

import dataclasses

import numpy as np

from analysis.analyser import FEET_OUT_OF_FRAME, NOT_UPRIGHT, ODD_PROPORTIONS, analyse_recording, implausible_pose
from analysis.landmarks import LEFT_ANKLE, LEFT_HEEL, LEFT_HIP, LEFT_KNEE, RIGHT_ANKLE, RIGHT_HIP, RIGHT_KNEE
from analysis.synthetic import WalkerSpec, generate

SPEC = WalkerSpec(direction="left", treadmill=True, duration_s=8.0, seed=2)


def _xy(frame) -> np.ndarray:
    return frame.image_landmarks[:, :2].copy()


def test_a_walker_and_a_standing_person_are_plausible_in_every_frame():
    for spec in (SPEC, WalkerSpec(direction="toward", treadmill=True, duration_s=4.0),
                 WalkerSpec(direction="toward", activity="stand", duration_s=2.0)):
        for frame in generate(spec).frames:
            if frame.image_landmarks is not None:
                assert implausible_pose(_xy(frame), frame.image_width_px, frame.image_height_px) is None


def test_sitting_garbage_and_feet_outside_the_picture_are_gated():
    frame = generate(WalkerSpec(direction="toward", activity="stand", duration_s=1.0)).frames[0]
    w, h = frame.image_width_px, frame.image_height_px
    xy = _xy(frame)
    hips_y = 0.5 * (xy[LEFT_HIP, 1] + xy[RIGHT_HIP, 1])
    sitting = xy.copy()  # thighs level: knees at hip height, shanks hanging
    shank = xy[LEFT_ANKLE, 1] - xy[LEFT_KNEE, 1]
    sitting[[LEFT_KNEE, RIGHT_KNEE], 1] = hips_y
    sitting[[LEFT_ANKLE, RIGHT_ANKLE], 1] = hips_y + shank
    assert implausible_pose(sitting, w, h) == NOT_UPRIGHT
    garbage = xy.copy()  # a knee above the hip (a walker half hidden behind a table)
    garbage[LEFT_KNEE, 1] = hips_y - 40.0
    garbage[RIGHT_KNEE, 1] = hips_y - 30.0
    assert implausible_pose(garbage, w, h) == NOT_UPRIGHT
    out = xy.copy()
    out[LEFT_HEEL, 1] = h + 5.0  # a heel guessed below the picture's edge
    assert implausible_pose(out, w, h) == FEET_OUT_OF_FRAME


def test_garbage_frames_give_no_figures():
    """A second of landmarks with the knees above the hips in the middle of a side-on walk: without the gate its
    knee flexions would be ~180 deg; with it those frames are a gap, and every step's figure stays a walker's."""
    walk = generate(SPEC)
    frames = list(walk.frames)
    for i in range(90, 120):
        xy = frames[i].image_landmarks.copy()
        hips_y = 0.5 * (xy[LEFT_HIP, 1] + xy[RIGHT_HIP, 1])
        xy[[LEFT_KNEE, RIGHT_KNEE], 1] = hips_y - 30.0
        frames[i] = dataclasses.replace(frames[i], image_landmarks=xy)
    gated = analyse_recording(frames, user_height_m=SPEC.height_m)
    flexions = [s.knee_flexion_ic_deg for s in gated.steps if np.isfinite(s.knee_flexion_ic_deg)]
    assert flexions and max(flexions) < 40.0, flexions
    assert not any(90 / 30 < s.ic_t_s < 120 / 30 for s in gated.steps), [round(s.ic_t_s, 2) for s in gated.steps]
    assert all(np.isnan(m.knee_flexion_left_deg) for m in gated.frames[90:120])


def test_frames_with_odd_body_proportions_are_gaps():
    """A pose fitted to something else for a third of a second (its 3-D shank twice as long as the person's over the
    last seconds, the picture's landmarks still upright): those frames are gaps, counted by reason; the person's
    own frames around them are measured. A walker's own frames never are (synthetic, and every real walking clip,
    measured for SEGMENT_LENGTH_MAX_RATIO)."""
    walk = generate(SPEC)
    frames = list(walk.frames)
    assert analyse_recording(frames, user_height_m=SPEC.height_m).gated_frames == {}
    for i in range(90, 100):
        world = frames[i].world_landmarks.copy()
        world[LEFT_ANKLE] = world[LEFT_KNEE] + 2.0 * (world[LEFT_ANKLE] - world[LEFT_KNEE])
        frames[i] = dataclasses.replace(frames[i], world_landmarks=world)
    gated = analyse_recording(frames, user_height_m=SPEC.height_m)
    assert gated.gated_frames == {ODD_PROPORTIONS: 10}
    assert not any(gated.measured[90:100]) and all(gated.measured[60:90]) and all(gated.measured[100:130])
