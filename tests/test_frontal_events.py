"""Unit tests of the frontal views' event detection (analysis.events.SwingDetector, TravelMeter) on hand-made
foot tracks whose events are known exactly."""
from __future__ import annotations

import numpy as np

from analysis.events import SwingDetector, TravelMeter
from analysis.types import INITIAL_CONTACT, LEFT, RIGHT, TOE_OFF

FPS = 30.0
LEG_PX = 200.0
STEP_S = 0.55  # 109 steps/min
SWING_S = 0.40
STEP_PX = 60.0  # each step moves a foot this far down the picture (walking toward the camera)


def _feet_y_px(t_s: np.ndarray, first_foot: str = LEFT) -> dict[str, np.ndarray]:
    """Each foot's image y: still in stance, and in each swing a smooth (cosine-eased) move of two steps down the
    picture, feet alternating every STEP_S. Returns the tracks and the true events as (t, kind, foot)."""
    ys = {LEFT: np.zeros_like(t_s), RIGHT: np.full_like(t_s, STEP_PX)}
    events = []
    foot = first_foot
    for k in range(int(t_s[-1] / STEP_S) + 1):
        lift = 0.3 + k * STEP_S
        land = lift + SWING_S
        if land > t_s[-1] - 0.3:
            break
        u = np.clip((t_s - lift) / SWING_S, 0.0, 1.0)
        ys[foot] = ys[foot] + 2 * STEP_PX * (0.5 - 0.5 * np.cos(np.pi * u))
        events += [(lift, TOE_OFF, foot), (land, INITIAL_CONTACT, foot)]
        foot = RIGHT if foot == LEFT else LEFT
    return ys, sorted(events)


def _run(t_s, ys, jitter_px=0.0, seed=0):
    rng = np.random.default_rng(seed)
    detector = SwingDetector()
    found = []
    for i, t in enumerate(t_s):
        feet = {}
        for foot, x in ((LEFT, 700.0), (RIGHT, 640.0)):
            heel = (x, ys[foot][i] + 500.0) + rng.normal(0.0, jitter_px, 2)
            toe = (x, ys[foot][i] + 515.0) + rng.normal(0.0, jitter_px, 2)
            feet[foot] = (*heel, *toe)
        found += detector.push(float(t), feet, LEG_PX)
    return found


def test_swings_give_each_feet_toe_off_and_contact_near_their_true_times():
    t_s = np.arange(0.0, 6.0, 1.0 / FPS)
    ys, truth = _feet_y_px(t_s)
    for jitter_px in (0.0, 1.0):
        found = _run(t_s, ys, jitter_px)
        assert [(kind, foot) for _, kind, foot in found] == [(kind, foot) for _, kind, foot in truth], jitter_px
        errors = np.array([f[0] - t[0] for f, t in zip(found, truth)])
        # The toe off is found as the toe speeds up, the contact as the heel slows: both within the swing's
        # slow ends (a cosine ease reaches 30 % of its peak speed ~40 ms from each end).
        assert np.all(np.abs(errors) <= 0.08), errors
        kinds = np.array([kind for _, kind, _ in truth])
        assert np.all(errors[kinds == TOE_OFF] > 0) and np.all(errors[kinds == INITIAL_CONTACT] < 0)


def test_no_events_while_both_feet_stand_or_both_move_together():
    t_s = np.arange(0.0, 4.0, 1.0 / FPS)
    still = {LEFT: np.zeros_like(t_s), RIGHT: np.zeros_like(t_s)}
    assert _run(t_s, still, jitter_px=1.5) == []
    # The camera (or the whole body) moves: both feet sweep together, which is no step.
    pan = 40.0 * np.sin(2 * np.pi * t_s / 1.2)
    assert _run(t_s, {LEFT: pan, RIGHT: pan}) == []


def test_travel_meter_tells_walking_toward_the_camera_from_walking_in_place():
    t_s = np.arange(0.0, 3.0, 1.0 / FPS)
    meter = TravelMeter()
    walking = [meter.push(t, {LEFT: (700, 500 + 40 * t, 700, 515 + 40 * t),
                              RIGHT: (640, 500 + 40 * t, 640, 515 + 40 * t)}, LEG_PX) for t in t_s]
    assert walking[0] is None and all(walking[int(FPS):])  # 40 px/s = 0.2 leg lengths/s: travelling
    meter.reset()
    swing = 30.0 * np.sin(2 * np.pi * t_s / (2 * STEP_S))  # the feet swing back and forth about one spot
    in_place = [meter.push(t, {LEFT: (700, 500 + s, 700, 515 + s), RIGHT: (640, 500 - s, 640, 515 - s)}, LEG_PX)
                for t, s in zip(t_s, swing)]
    assert all(v is False for v in in_place[int(FPS):])
