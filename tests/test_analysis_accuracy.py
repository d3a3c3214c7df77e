"""Accuracy of the gait analyser against the synthetic walker's exact truth (issue targets, item 7)."""
from __future__ import annotations

import functools
import math
from dataclasses import replace

import numpy as np
import pytest

from analysis.analyser import GaitAnalyser, analyse_recording
from analysis.events import score_events
from analysis.synthetic import WalkerSpec, generate
from analysis.types import INITIAL_CONTACT, TOE_OFF

HEIGHT_M = 1.70


@functools.lru_cache(maxsize=None)
def _walk(**kw):
    spec = WalkerSpec(height_m=HEIGHT_M, duration_s=kw.pop("duration_s", 10.0), seed=kw.pop("seed", 1), **kw)
    walk = generate(spec)
    offline = analyse_recording(walk.frames, user_height_m=HEIGHT_M)
    live = GaitAnalyser(user_height_m=HEIGHT_M)
    latencies = []
    for frame in walk.frames:
        live.update(frame)
        latencies += [frame.t_s - e.t_s for e in live.new_events_]
    live.finish()
    return walk, offline, live, latencies


def _stable_window(walk):
    """Score only inside the recording, away from its first and last half second."""
    return dict(t_min_s=0.5, t_max_s=walk.frames[-1].t_s - 0.5)


def _rows(analysis):
    return {r.metric: r for r in analysis.summary}


TREADMILL_CASES = [dict(direction="left", treadmill=True), dict(direction="right", treadmill=True),
                   dict(direction="toward", treadmill=True), dict(direction="away", treadmill=True)]


@pytest.mark.parametrize("case", TREADMILL_CASES, ids=lambda c: c["direction"])
def test_toe_off_within_one_frame_at_30_fps(case):
    walk, offline, _, _ = _walk(**case)
    score = score_events(offline.events, walk.events, 0.15, kinds=(TOE_OFF,), **_stable_window(walk))
    assert score.misses == 0 and score.false_events == 0
    assert score.mean_abs_error_frames(30.0) <= 1.0


@pytest.mark.parametrize("case", TREADMILL_CASES, ids=lambda c: c["direction"])
def test_initial_contact_within_one_frame_at_30_fps(case):
    walk, offline, _, _ = _walk(**case)
    score = score_events(offline.events, walk.events, 0.15, kinds=(INITIAL_CONTACT,), **_stable_window(walk))
    assert score.mean_abs_error_frames(30.0) <= 1.0


@pytest.mark.parametrize("case", TREADMILL_CASES, ids=lambda c: c["direction"])
def test_initial_contact_found_every_time_within_two_frames(case):
    walk, offline, _, _ = _walk(**case)
    score = score_events(offline.events, walk.events, 0.15, kinds=(INITIAL_CONTACT,), **_stable_window(walk))
    assert score.misses == 0 and score.false_events <= 1
    assert score.mean_abs_error_frames(30.0) <= 1.5


AGREE_CASES = [dict(direction="right", treadmill=True), dict(direction="toward", treadmill=True),
               dict(direction="away", treadmill=True), dict(direction="left", treadmill=True),
               dict(direction="left", treadmill=True, fps=60.0)]


@pytest.mark.parametrize("case", AGREE_CASES, ids=lambda c: f"{c['direction']}-{c.get('fps', 30)}")
def test_live_and_offline_events_agree_within_one_frame(case):
    walk, offline, live, _ = _walk(**case)
    fps = walk.spec.fps
    score = score_events(live.events_, offline.events, tolerance_s=1.0 / fps, **_stable_window(walk))
    assert score.misses == 0 and score.false_events <= 1


@pytest.mark.parametrize("case", TREADMILL_CASES, ids=lambda c: c["direction"])
def test_live_events_confirmed_within_150_ms(case):
    *_, latencies = _walk(**case)
    assert latencies and max(latencies) <= 0.150


@pytest.mark.parametrize("case", [dict(direction="left", treadmill=True), dict(direction="toward", treadmill=True),
                                  dict(direction="left", treadmill=True, fps=60.0)],
                         ids=lambda c: f"{c['direction']}-{c.get('fps', 30)}")
def test_cadence_within_one_step_per_min(case):
    walk, offline, _, _ = _walk(**case)
    assert abs(_rows(offline)["cadence_steps_per_min"].overall - walk.truth.cadence_steps_per_min) <= 1.0


SI_SEEDS = (1, 2, 3, 4, 5)  # fixed: the first five seeds, every one must pass
SI_WALK_S = 120.0


@pytest.mark.parametrize("seed", SI_SEEDS)
@pytest.mark.parametrize("asym", [0.0, 10.0, -15.0])
def test_step_time_symmetry_index_within_two_points(asym, seed):
    """Step-time symmetry index (SI) within 2 percentage points of the truth over a 2-minute treadmill walk.

    SI is a session figure (clinical SI uses >= 10-20 strides; users walk minutes): the test walks 120 s (~110
    strides) facing the camera at 0, 10 and -15 % asymmetry with seeds 1-5 (fixed), and every case must be within 2
    points. Measured (SI error, points; sd over seeds): 120 s, seeds 1-10: sd 0.26 / 0.40 / 0.70 at 0 / 10 / -15 %,
    largest error 1.38 (a ~3-sigma check; side-on treadmill, seeds 1-5, at 30 and 60 fps: all within 1.93;
    overground with U-turns, seeds 1-3: side-on within 1.78, facing up to 3.75 off at 0 % and 3.49 at -15 %, seed
    2: shorter straight passes and turn contacts, so not tested here). 60 s, seeds 1-10: sd 0.6 / 1.6 /
    1.1, and seed 1 reads 2.15 and 3.48 points off at 0 and 10 % (its jitter makes one foot's contacts look ~7 ms
    late over the whole minute, for the old estimator too): a 60 s test would be a ~2-sigma check. 10 s (~8
    contacts per foot), seeds 1-20: sd 1.7 / 3.1 / 3.0 (a walk's first contacts also keep the smoothed peak's time
    until the contact timer knows the walker's feet): a 1-sigma check, so no 10 s case. Before the contact timer
    (analysis.events.ContactTimer) the same 120 s walks read 2.5-5.1 points low at 10 % and 4.8-6.8 low at -15 %
    (a 10 % limp read ~6 %): the smoothed peak's slope-dependent bias.
    """
    walk, offline, _, _ = _walk(direction="toward", treadmill=True, step_time_asymmetry_pct=asym,
                                duration_s=SI_WALK_S, seed=seed)
    si = _rows(offline)["step_time_s"].symmetry_index_pct
    assert abs(si - walk.truth.step_time_si_pct) <= 2.0


def test_frontal_knee_pelvis_and_foot_figures():
    walk, offline, _, _ = _walk(direction="toward", treadmill=True, knee_valgus_left_deg=10.0,
                                knee_valgus_right_deg=-4.0, pelvic_drop_deg=5.0, toe_out_left_deg=15.0,
                                toe_out_right_deg=2.0)
    rows, truth = _rows(offline), walk.truth
    assert abs(rows["knee_fppa_peak_deg"].left - truth.knee_fppa_peak_left_deg) <= 2.0
    assert abs(rows["knee_fppa_peak_deg"].right - truth.knee_fppa_peak_right_deg) <= 2.0
    assert abs(rows["pelvic_drop_deg"].overall - truth.pelvic_drop_deg) <= 1.5
    assert abs(rows["foot_progression_deg"].left - truth.foot_progression_left_deg) <= 3.0
    assert abs(rows["foot_progression_deg"].right - truth.foot_progression_right_deg) <= 3.0
    for step in offline.steps:
        assert step.view == "facing"


def test_side_view_gives_no_frontal_metrics_and_step_length_when_far_leg_visible():
    walk, offline, _, _ = _walk(direction="left", treadmill=True, far_leg_low_visibility=False)
    rows = _rows(offline)
    assert np.isnan(rows["knee_fppa_peak_deg"].overall) and np.isnan(rows["pelvic_drop_deg"].overall)
    assert abs(rows["step_length_m"].overall - walk.truth.step_length_m) <= 0.1 * walk.truth.step_length_m


@pytest.mark.parametrize("case", [dict(direction="toward"), dict(direction="left"),
                                  dict(direction="toward", treadmill=True), dict(direction="right", treadmill=True)],
                         ids=lambda c: f"{c['direction']}-{'treadmill' if c.get('treadmill') else 'overground'}")
def test_view_right_on_95_percent_of_frames(case):
    walk, offline, _, _ = _walk(**case)
    views = [m.view for m in offline.frames]
    assert np.mean([a == b for a, b in zip(views, walk.views)]) >= 0.95


@pytest.mark.parametrize("activity, direction", [
    ("stand", "toward"), ("sway", "toward"), ("turn", "toward"), ("stand", "left"), ("sway", "left"),
    ("turn", "left")])
def test_no_steps_without_walking(activity, direction):
    walk, offline, live, _ = _walk(direction=direction, activity=activity)
    assert offline.events == () and offline.steps == ()
    assert live.events_ == []


def _steps_spanning(steps, t_s: float) -> list:
    """Steps whose intervals (previous contralateral IC or own TO -> IC -> TO) contain ``t_s``."""
    spanning = []
    for step in steps:
        starts = [step.ic_t_s - d for d in (0.0, step.step_time_s, step.swing_time_s) if math.isfinite(d)]
        start = min(starts)
        if start < t_s < step.to_t_s:
            spanning.append(step)
    return spanning


def test_a_change_of_person_ends_the_walking_bout():
    # The pose worker switches from one walker to another between two frames, without a gap in time.
    first = generate(WalkerSpec(direction="left", treadmill=True, height_m=HEIGHT_M, seed=1))
    second = generate(WalkerSpec(direction="left", treadmill=True, height_m=1.85, cadence_steps_per_min=95, seed=2))
    switch_s = 5.0
    frames = ([replace(f, person_id=1) for f in first.frames if f.t_s < switch_s]
              + [replace(f, person_id=2) for f in second.frames if f.t_s >= switch_s])

    def live_run(frames):
        analyser = GaitAnalyser(user_height_m=HEIGHT_M)
        for frame in frames:
            analyser.update(frame)
        analyser.finish()
        return analyser

    def frames_feet_kinds(events, lo_s, hi_s):
        return [(round(e.t_s * 30), e.foot, e.kind) for e in events if lo_s <= e.t_s <= hi_s]

    live, offline = live_run(frames), analyse_recording(frames, user_height_m=HEIGHT_M)
    assert _steps_spanning(live.steps_, switch_s) == [] and _steps_spanning(offline.steps, switch_s) == []
    # The same events on both paths (the feet of a run's first contacts may differ: live knows less evidence).
    assert [(round(e.t_s * 30), e.kind) for e in live.events_] == [(round(e.t_s * 30), e.kind) for e in offline.events]
    # Away from the switch (the first walker's last contacts cannot all be confirmed, a new bout needs a few
    # frames to start) each walker's events are those it gives alone. The second walker's: the same feet and kinds,
    # the same toe offs, and contacts within two frames (the accuracy tests' "every contact" tolerance): the
    # contact timer (analysis.events.ContactTimer) learns each person's stance speed and heel-corner shape over
    # their last STANCE_SLOPE_CONTACTS contacts, and until it has (a few seconds) contacts keep the smoothed
    # peak's time, a frame or two from where the timer puts them.
    alone_first, alone_second = live_run(first.frames), live_run(second.frames)
    assert frames_feet_kinds(live.events_, 0, switch_s - 0.5) == frames_feet_kinds(alone_first.events_, 0,
                                                                                   switch_s - 0.5)
    after, alone = (frames_feet_kinds(e, switch_s + 1, 99) for e in (live.events_, alone_second.events_))
    assert [x[1:] for x in after] == [x[1:] for x in alone]
    assert all(a[0] == b[0] if a[2] == TOE_OFF else abs(a[0] - b[0]) <= 2 for a, b in zip(after, alone))
    # Without the person ids the same frames join the two walkers' steps: what the bout end prevents.
    anonymous = live_run([replace(f, person_id=None) for f in frames])
    assert _steps_spanning(anonymous.steps_, switch_s)


def test_a_recording_keeps_its_walker_and_leaves_out_someone_else_who_was_in_the_picture():
    """Two walkers one after the other (issue 9, item 1). If the first walked alone, the second "person" may well be
    them back in the picture: every step is kept (never joined across the change). If someone else was in the
    picture while the first walked, the second is taken for that someone else: only the walker's steps (the
    person with the most contacts) are kept, and the others' contacts are counted."""
    first = generate(WalkerSpec(direction="left", treadmill=True, height_m=HEIGHT_M, seed=1, duration_s=8.0))
    second = generate(WalkerSpec(direction="left", treadmill=True, height_m=1.85, seed=2, duration_s=10.0))
    switch_s = 6.0

    def recording(others_beside_first: int):
        return analyse_recording(
            [replace(f, person_id=1, other_people_count=others_beside_first) for f in first.frames if f.t_s < switch_s]
            + [replace(f, person_id=2) for f in second.frames if f.t_s >= switch_s], user_height_m=HEIGHT_M)

    alone, beside = recording(0), recording(1)
    assert alone.other_people_contacts == 0
    assert any(s.ic_t_s < switch_s for s in alone.steps) and any(s.ic_t_s > switch_s for s in alone.steps)
    assert beside.other_people_contacts >= 3
    assert beside.steps and all(s.ic_t_s < switch_s for s in beside.steps)
    assert [s.ic_t_s for s in beside.steps] == [s.ic_t_s for s in alone.steps if s.ic_t_s < switch_s]
    assert {r.metric: r for r in beside.summary}["step_count"].overall == len(beside.steps)


# --- Walking toward and away from the camera with U-turns (the demo walker) -------------------------------------

# The demo walker (gaitcoach.demo.demo_spec), the same walk at the default picture size, and another seed.
DEMO_CASE = dict(direction="toward", duration_s=30.0, seed=1, image_width_px=1280, image_height_px=720,
                 horizontal_fov_deg=45.0)
TURN_CASES = [DEMO_CASE, dict(direction="toward", duration_s=30.0, seed=1),
              dict(direction="toward", duration_s=20.0, seed=0)]


def _turn_id(case):
    return f"{'demo' if case is DEMO_CASE else 'seed' + str(case['seed'])}-{case['duration_s']:.0f}s"


def _straight_passes(walk):
    """The true initial contacts of each straight pass: runs of contacts made while heading straight toward or
    away from the camera (yaw within 1 deg of 0 or 180), the turns between them left out."""
    t = walk.times_s
    passes, current, heading = [], [], None
    for e in walk.events:
        if e.kind != INITIAL_CONTACT:
            continue
        yaw = abs(float(walk.yaw_deg[int(np.argmin(np.abs(t - e.t_s)))]))
        straight = "facing" if yaw < 1.0 else "back" if yaw > 179.0 else None
        if straight != heading and current:
            passes.append(current)
            current = []
        heading = straight
        if straight is not None:
            current.append(e)
    if current:
        passes.append(current)
    return passes


def _row_of(steps, contact, tolerance_s=0.1):
    return [s for s in steps if s.foot == contact.foot and abs(s.ic_t_s - contact.t_s) <= tolerance_s]


@pytest.mark.parametrize("case", TURN_CASES, ids=_turn_id)
def test_every_straight_step_before_a_turn_is_a_step_row(case):
    # Each pass's last steps have their toe offs in the U-turn, where no view is valid: they used to be dropped
    # with their bout (about a third of each pass). Every straight contact the detector confirmed must be a step
    # row, on both paths; on the demo walker that is every straight contact but a pass's first (whose swing was
    # in the turn, so its heel excursion is not seen).
    walk, offline, live, _ = _walk(**case)
    passes = _straight_passes(walk)
    assert len(passes) >= 5
    for events, steps in ((offline.events, offline.steps), (live.events_, live.steps_)):
        for contacts in passes:
            found = [bool(_row_of(steps, c)) for c in contacts]
            confirmed = [any(e.kind == INITIAL_CONTACT and e.foot == c.foot and abs(e.t_s - c.t_s) <= 0.1
                             for e in events) for c in contacts]
            where = [(round(c.t_s, 2), c.foot, f) for c, f in zip(contacts, found)]
            assert all(f for f, ok in zip(found, confirmed) if ok), where
            if case is DEMO_CASE:
                assert all(found[1:]), where
        for step in steps:  # stance figures only with a toe off; a step time only with the previous contact
            if not math.isfinite(step.to_t_s):
                assert math.isnan(step.stance_time_s) and math.isnan(step.knee_fppa_deg)
                assert math.isnan(step.pelvic_drop_deg) and math.isnan(step.foot_progression_deg)
            else:
                assert 0.2 <= step.stance_time_s <= 2.0


@pytest.mark.parametrize("case", TURN_CASES, ids=_turn_id)
def test_step_count_with_turns_counts_the_straight_steps(case):
    # The session's step count (summary "step_count", the review's "Steps") is every straight-walking contact
    # but at most the first of each pass, plus the few turn contacts the detector confirms in a known view; no
    # step is made up (each row is a true contact of its foot).
    walk, offline, live, _ = _walk(**case)
    passes = _straight_passes(walk)
    straight = sum(len(p) for p in passes)
    true_ics = [e for e in walk.events if e.kind == INITIAL_CONTACT]
    for steps, summary in ((offline.steps, offline.summary), (live.steps_, live.summary())):
        count = {r.metric: r for r in summary}["step_count"].overall
        assert count == len(steps)
        assert straight - len(passes) <= count <= len(true_ics)
        assert all(any(c.foot == s.foot and abs(c.t_s - s.ic_t_s) <= 0.1 for c in true_ics) for s in steps)
        ics = [s.ic_t_s for s in steps]
        assert ics == sorted(ics) and [s.step for s in steps] == list(range(len(steps)))


@pytest.mark.parametrize("case", TURN_CASES, ids=_turn_id)
def test_with_turns_live_and_offline_steps_agree_and_cadence_holds(case):
    walk, offline, live, latencies = _walk(**case)
    assert [(s.foot, round(s.ic_t_s * 30)) for s in live.steps_] == [(s.foot, round(s.ic_t_s * 30))
                                                                      for s in offline.steps]
    assert max(latencies) <= 0.15
    assert abs(_rows(offline)["cadence_steps_per_min"].overall - walk.truth.cadence_steps_per_min) <= 2.0


@pytest.mark.parametrize("pitch_deg", [25.0, -15.0])
@pytest.mark.parametrize("direction", ["toward", "away"])
def test_contacts_in_place_hold_when_the_camera_is_pitched(direction, pitch_deg):
    """MediaPipe's world axes follow the camera (7-32 deg on the real clips): a pitched camera tilts the body's
    vertical into depth, which the depth rule reads. Levelled, every contact is found."""
    walk, offline, _, _ = _walk(direction=direction, treadmill=True, world_pitch_deg=pitch_deg, duration_s=12.0)
    score = score_events(offline.events, walk.events, 2.0 / 30.0, kinds=(INITIAL_CONTACT,), **_stable_window(walk))
    assert score.hits >= 10 and score.misses == 0 and score.false_events == 0  # matched per foot: feet right too
