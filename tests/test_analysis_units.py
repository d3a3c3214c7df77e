"""Unit tests of the analysis building blocks on tiny hand-made inputs with exact expected outputs."""
from __future__ import annotations

import inspect
import math
from dataclasses import fields

import numpy as np
import pytest

from analysis import analyser, columns, events, filters, geometry, results, thresholds, view
from analysis.steps import StepBuilder
from analysis.summary import summarise, symmetry_index_pct
from analysis.landmarks import LEFT_HIP, LEFT_SHOULDER, RIGHT_HIP, RIGHT_SHOULDER
from analysis.types import INITIAL_CONTACT, LEFT, RIGHT, TOE_OFF, GaitEvent, PoseFrame, View


# --- constants and contracts ------------------------------------------------------------------------------------

def test_result_dataclasses_have_exactly_the_export_columns():
    assert tuple(f.name for f in fields(results.FrameMetrics)) == columns.FRAME_GAIT_COLUMNS
    assert tuple(f.name for f in fields(results.StepMetrics)) == columns.STEP_COLUMNS
    assert tuple(f.name for f in fields(results.SummaryRow)) == columns.SUMMARY_COLUMNS
    for name in ("view", "knee_fppa_left_deg", "knee_fppa_right_deg", "knee_flexion_left_deg",
                 "knee_flexion_right_deg", "pelvic_obliquity_deg", "trunk_lean_deg"):
        assert name in columns.FRAME_GAIT_COLUMNS


def test_every_threshold_has_unit_and_source():
    assert len(thresholds.THRESHOLDS) >= 20
    for t in thresholds.THRESHOLDS.values():
        assert t.unit and len(t.source) > 10, t
        assert getattr(thresholds, t.name) == t.value


def test_every_public_parameter_is_documented():
    classes = [filters.OneEuroFilter, view.ViewClassifier, events.PeakFinder, events.EventDetector,
               StepBuilder, analyser.GaitAnalyser]
    functions = [filters.local_quadratic, filters.fill_short_gaps, filters.butterworth_zero_phase,
                 events.score_events, geometry.frame_features, geometry.event_signals, analyser.analyse_recording]
    for obj in classes + functions:
        sig = inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)
        doc = inspect.getdoc(obj) or ""
        for name in sig.parameters:
            if name in ("self",) or name in ("t_s", "x", "values", "t_eval_s", "detected", "truth", "kinds",
                                             "t_min_s", "t_max_s", "image_xy", "world", "views", "frames",
                                             "cutoff_hz", "order", "max_gap_s", "tolerance_s"):
                if name != "self" and name not in doc:
                    pytest.fail(f"{obj.__qualname__}: parameter {name} not documented")
                continue
            assert name in doc, f"{obj.__qualname__}: parameter {name} not documented"


# --- filters ------------------------------------------------------------------------------------------------------

def test_one_euro_first_sample_passes_and_constant_stays_constant():
    f = filters.OneEuroFilter(min_cutoff_hz=1.0, beta=0.0)
    assert f(0.0, np.array([3.0, -1.0])).tolist() == [3.0, -1.0]
    for i in range(1, 10):
        out = f(i / 30, np.array([3.0, -1.0]))
    assert out == pytest.approx([3.0, -1.0], abs=1e-12)


def test_one_euro_step_follows_exponential_smoothing_with_beta_zero():
    f = filters.OneEuroFilter(min_cutoff_hz=1.0, beta=0.0)
    f(0.0, np.array([0.0]))
    dt = 0.1
    tau = 1.0 / (2 * math.pi * 1.0)
    alpha = 1.0 / (1.0 + tau / dt)
    assert f(dt, np.array([1.0]))[0] == pytest.approx(alpha)
    assert f(2 * dt, np.array([1.0]))[0] == pytest.approx(alpha + (1 - alpha) * alpha)


def test_one_euro_nan_gives_nan_and_long_gap_restarts():
    f = filters.OneEuroFilter(min_cutoff_hz=1.0, beta=0.0, reset_after_s=0.12)
    f(0.0, np.array([0.0, 0.0]))
    out = f(0.033, np.array([np.nan, 1.0]))
    assert math.isnan(out[0]) and 0 < out[1] < 1
    out = f(0.5, np.array([5.0, 1.0]))  # element 0 missing for 0.5 s: restarts at its new value
    assert out[0] == 5.0


def test_one_euro_rejects_bad_parameters():
    with pytest.raises(ValueError, match="min_cutoff_hz"):
        filters.OneEuroFilter(min_cutoff_hz=0)
    with pytest.raises(ValueError, match="beta"):
        filters.OneEuroFilter(beta=-1)


def test_one_euro_same_result_with_per_element_beta_and_through_the_masked_path():
    rng = np.random.default_rng(1)
    t = np.cumsum(rng.uniform(0.02, 0.05, 40))  # uneven frame spacing
    x = np.cumsum(rng.normal(0, 3, (40, 2)), axis=0)
    both = filters.OneEuroFilter(min_cutoff_hz=1.5, beta=np.array([0.01, 3.0]))
    first, second = filters.OneEuroFilter(1.5, beta=0.01), filters.OneEuroFilter(1.5, beta=3.0)
    # A third element that is always missing sends every sample through the masked (general) path.
    masked = filters.OneEuroFilter(min_cutoff_hz=1.5, beta=np.array([0.01, 3.0, 0.0]))
    for ti, xi in zip(t, x):
        out = both(ti, xi)
        assert out[0] == first(ti, xi[:1])[0] and out[1] == second(ti, xi[1:])[0]
        out_masked = masked(ti, np.append(xi, np.nan))
        assert out_masked[:2].tolist() == out.tolist() and math.isnan(out_masked[2])


def test_local_quadratic_matches_least_squares_on_noisy_data():
    rng = np.random.default_rng(2)
    t = np.sort(rng.uniform(0, 0.3, 8))
    y = rng.normal(size=(8, 5))
    a = np.stack([np.ones(8), t - t[5], (t - t[5]) ** 2], axis=1)
    expected = np.linalg.lstsq(a, y, rcond=None)[0][0]
    assert filters.local_quadratic(t, y, t[5]) == pytest.approx(expected, rel=1e-9, abs=1e-12)
    parabola = 2 + 3 * t - 5 * t**2
    assert filters.local_quadratic(t, parabola[:, None], 0.1)[0] == pytest.approx(2 + 0.3 - 0.05)


def test_local_quadratic_is_exact_for_a_parabola_with_uneven_times_and_nan():
    t = np.array([0.0, 0.03, 0.07, 0.1, 0.16])
    y = np.stack([2 + 3 * t - 5 * t**2, -t], axis=1)
    y[1, 1] = np.nan
    out = filters.local_quadratic(t, y, 0.07)
    assert out[0] == pytest.approx(2 + 3 * 0.07 - 5 * 0.07**2)
    assert out[1] == pytest.approx(-0.07)


def test_local_quadratic_does_not_extrapolate():
    t = np.array([0.0, 0.1, 0.2, 0.3])
    y = np.array([[1.0], [2.0], [np.nan], [np.nan]])
    assert math.isnan(filters.local_quadratic(t, y, 0.2)[0])


def test_fill_short_gaps_interpolates_short_and_keeps_long_gaps():
    t = np.arange(10) / 30
    x = np.arange(10, dtype=float)
    x[2] = np.nan  # 67 ms between neighbours: filled
    x[5:9] = np.nan  # 167 ms: honest gap
    out = filters.fill_short_gaps(t, x, max_gap_s=0.12)
    assert out[2] == pytest.approx(2.0)
    assert np.isnan(out[5:9]).all()
    assert out[9] == 9.0


def test_segments_split_at_long_gaps():
    t = np.array([0.0, 0.1, 0.2, 0.5, 0.6])
    assert filters.segments(t, np.ones(5, bool), max_gap_s=0.12) == [(0, 3), (3, 5)]


def test_butterworth_keeps_slow_signal_and_removes_fast_noise():
    t = np.arange(300) / 30
    slow = np.sin(2 * np.pi * 1.0 * t)
    fast = 0.5 * np.sin(2 * np.pi * 12.0 * t)
    out = filters.butterworth_zero_phase(t, slow + fast)
    inner = slice(30, -30)
    assert np.max(np.abs(out[inner] - slow[inner])) < 0.03
    # zero phase: the peaks stay where they were
    assert abs(np.argmax(out[30:60]) - np.argmax(slow[30:60])) == 0


def test_butterworth_handles_uneven_times_and_gaps():
    t = np.cumsum(np.r_[0, np.full(99, 1 / 30), 0.5, np.full(99, 1 / 30)])
    t[50] += 0.01
    x = np.cos(2 * np.pi * 0.8 * t)
    x[120] = np.nan  # short dropout: filled
    out = filters.butterworth_zero_phase(t, x)
    assert np.isfinite(out).all()
    assert np.max(np.abs(out - np.cos(2 * np.pi * 0.8 * t))) < 0.05


def test_butterworth_names_bad_argument():
    with pytest.raises(ValueError, match="cutoff_hz"):
        filters.butterworth_zero_phase(np.arange(5.0), np.zeros(5), cutoff_hz=-1)
    with pytest.raises(ValueError, match="t_s"):
        filters.butterworth_zero_phase(np.arange(5.0), np.zeros(4))


# --- view ---------------------------------------------------------------------------------------------------------

def _world_with_yaw(yaw_deg: float) -> np.ndarray:
    """Hips and shoulders of a person with the given yaw (left direction = (cos yaw, -sin yaw) in x-z)."""
    w = np.zeros((33, 3))
    left = np.array([math.cos(math.radians(yaw_deg)), 0.0, -math.sin(math.radians(yaw_deg))])
    w[LEFT_HIP], w[RIGHT_HIP] = 0.1 * left, -0.1 * left
    w[LEFT_SHOULDER], w[RIGHT_SHOULDER] = 0.18 * left + [0, -0.5, 0], -0.18 * left + [0, -0.5, 0]
    return w


@pytest.mark.parametrize("yaw, expected", [(0, View.FACING), (25, View.FACING), (-25, View.FACING),
                                           (180, View.BACK), (-160, View.BACK), (-90, View.SIDE_RIGHT),
                                           (90, View.SIDE_LEFT), (45, View.UNKNOWN), (-135, View.UNKNOWN)])
def test_yaw_and_view_sectors(yaw, expected):
    w = _world_with_yaw(yaw)
    measured = view.body_yaw_deg(w)
    assert ((measured - yaw + 180) % 360 - 180) == pytest.approx(0, abs=1e-9)
    assert view.view_from_yaw(measured) == expected


def test_facing_camera_means_left_hip_on_image_right():
    # The person's left appears on the image's right when they face the camera: left hip x > right hip x.
    w = np.zeros((33, 3))
    w[LEFT_HIP, 0], w[RIGHT_HIP, 0] = 0.1, -0.1
    w[LEFT_SHOULDER, 0], w[RIGHT_SHOULDER, 0] = 0.2, -0.2
    assert view.view_from_yaw(view.body_yaw_deg(w)) == View.FACING


def test_view_hysteresis_and_turning():
    assert view.view_from_yaw(31.0, previous=View.FACING) == View.FACING
    assert view.view_from_yaw(31.0, previous=View.UNKNOWN) == View.UNKNOWN
    vc = view.ViewClassifier(max_yaw_rate_deg_s=250.0, rate_window_s=0.2)
    views = [vc.update(i / 30, _world_with_yaw(i * 10.0)) for i in range(20)]  # 300 deg/s: a pivot
    assert all(v == View.UNKNOWN for v in views[5:])
    vc.reset()
    views = [vc.update(i / 30, _world_with_yaw(88.0 + (i % 2))) for i in range(20)]
    assert all(v == View.SIDE_LEFT for v in views)
    assert vc.update(1.0, None) == View.UNKNOWN


# --- events -------------------------------------------------------------------------------------------------------

def test_parabola_vertex_is_exact():
    t = (0.0, 0.1, 0.25)
    y = tuple(-(x - 0.12) ** 2 for x in t)
    assert events.parabola_vertex(t, y) == pytest.approx(0.12)
    assert events.parabola_vertex((0.0, 1.0, 2.0), (0.0, 1.0, 2.0)) == 1.0  # collinear: middle


def test_peak_finder_needs_prominence_and_level():
    pf = events.PeakFinder(min_prominence=1.0, min_level=0.5)
    signal_ = [0.0, 0.5, 1.2, 0.7, 0.9, 0.8, -0.5, 0.2, 0.4, 0.3]
    found = [(i, pf.push(i * 1.0, y)) for i, y in enumerate(signal_)]
    times = [(i, t) for i, t in found if t is not None]
    # Only the max at index 2 qualifies (0.9 at 4 rises only 0.2 from 0.7; 0.4 at 8 is below the level).
    assert len(times) == 1 and times[0][0] == 3
    assert 1.5 < times[0][1] < 2.5
    pf.reset()
    assert pf.push(0.0, float("nan")) is None


def _ev(t, foot, kind):
    return GaitEvent(t, foot, kind)


def test_peak_finder_needs_its_rise_seen_over_min_rise_s():
    pf = events.PeakFinder(min_prominence=0.2, min_rise_s=0.1)
    # A rise of 0.5 over 2 samples (67 ms) right after a reset: not trusted.
    found = [pf.push(i / 30, y) for i, y in enumerate([0.0, 0.3, 0.5, 0.4, 0.3])]
    assert all(f is None for f in found)
    pf.reset()
    found = [pf.push(i / 30, y) for i, y in enumerate([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.4, 0.3])]
    assert [f is not None for f in found] == [False] * 6 + [True, False]


def _walk_signals(t, step_s=0.5, lift=0.3):
    """Hand-made label-free signals of a walk: the front heel peaks (IC) every step, the back toe bottoms out
    (TO) 0.1 s after each IC; the left foot lands at 0, 2 * step_s, ... (its heel is lifted in the step before)."""
    phase = 2 * np.pi * t / step_s
    heel_front = 0.1 + 0.3 * np.cos(phase)  # max at 0, step_s, 2 step_s, ...
    toe_back = -0.1 - 0.3 * np.cos(phase - 2 * np.pi * 0.1 / step_s)  # min 0.1 s after each IC
    left_lands_next = np.mod(t, 2 * step_s) > step_s  # the left foot swings in the step before 2 step_s, 4 step_s..
    heel_lift_left = np.where(left_lands_next, lift, -lift) * np.abs(np.sin(phase / 2))
    return heel_front, toe_back, heel_lift_left


def test_event_detector_finds_label_free_contacts_and_alternates_feet():
    det = events.EventDetector()
    labeller = events.FootLabeller()
    t = np.arange(0, 3.2, 1 / 30)
    heel_front, toe_back, lift = _walk_signals(t)
    contacts = []
    for i in range(t.size):
        contacts += det.push(t[i], heel_front[i], toe_back[i], lift[i], math.nan, side_view=True)
    ics = [c for c in contacts if c.kind == INITIAL_CONTACT]
    tos = [c for c in contacts if c.kind == TOE_OFF]
    assert [round(c.t_s, 3) for c in ics] == pytest.approx([0.5, 1.0, 1.5, 2.0, 2.5, 3.0], abs=0.003)
    assert [c.index for c in ics] == [0, 1, 2, 3, 4, 5] and len({c.run for c in ics}) == 1
    assert [round(c.t_s, 3) for c in tos] == pytest.approx([0.6, 1.1, 1.6, 2.1, 2.6, 3.1], abs=0.003)
    assert [c.index for c in tos] == [1, 2, 3, 4, 5, 6]  # the foot of the next contact leaves the ground
    assert det.rejected_ == 0
    # The left heel is lifted before the contacts at 1.0, 2.0, 3.0 s: those are left.
    feet = [labeller.label(c)[0] for c in contacts]
    assert [(round(e.t_s, 1), e.foot) for e in feet if e.kind == INITIAL_CONTACT] == [
        (0.5, RIGHT), (1.0, LEFT), (1.5, RIGHT), (2.0, LEFT), (2.5, RIGHT), (3.0, LEFT)]
    assert [e.foot for e in feet if e.kind == TOE_OFF] == [LEFT, RIGHT, LEFT, RIGHT, LEFT, RIGHT]
    assert events.run_phase(contacts) == {ics[0].run: -1} and labeller.phase_flips_ == 0


def test_event_detector_rejects_too_close_contacts_and_splits_runs_at_pauses():
    det = events.EventDetector()
    ev = det._offer_ic
    assert ev(0.0).index == 0
    assert ev(0.1) is None  # 100 ms after the last contact: too close
    assert ev(0.55).index == 1 and ev(1.1).index == 2 and ev(1.65).index == 3
    c = ev(2.75)  # two steps later: the other foot's contact was missed, the same foot lands again
    assert c.index == 5 and c.run == 0
    c = ev(5.0)  # a pause longer than MAX_STEP_TIME_S: a new run
    assert c.index == 0 and c.run == 1
    assert det.rejected_ == 0  # (rejections are counted by push)


def test_toe_off_rules_walking_and_running():
    det = events.EventDetector()
    assert det._offer_to(0.0) is None  # before any contact of the run: its foot is unknown
    det._offer_ic(0.0)
    assert det._offer_to(0.1).index == 1  # walking: the trailing foot (it lands next) leaves
    assert det._offer_to(0.15) is None  # one toe off per step
    det._offer_ic(0.5)
    c = det._offer_to(0.6)
    assert c.index == 2  # stance of the foot that landed at 0.0: 0.6 s
    det2 = events.EventDetector()
    for t in (0.0, 0.36, 0.72):
        det2._offer_ic(t)
    c = det2._offer_to(0.72 + 0.25)  # 70% of a step after the contact: the landing foot's own toe off (running)
    assert c.index == 2


def test_foot_labeller_follows_evidence_and_reports_phase_flips():
    lab = events.FootLabeller()
    mk = lambda t, i, ev: events.Contact(t, INITIAL_CONTACT, 0, i, ev)
    e0, flip0 = lab.label(mk(0.0, 0, 0.2))  # evidence: left
    e1, _ = lab.label(mk(0.5, 1, 0.0))
    assert (e0.foot, e1.foot, flip0) == (LEFT, RIGHT, False)
    e2, flip2 = lab.label(mk(1.0, 2, -0.5))  # strong evidence the other way: the run's phase flips
    assert e2.foot == RIGHT and flip2 and lab.phase_flips_ == 1
    assert events.foot_of(3, -1) == LEFT and events.foot_of(4, 1) == LEFT


def test_event_detector_ignores_small_sway():
    det = events.EventDetector()
    t = np.arange(0, 5, 1 / 30)
    sway = 0.08 * np.sin(2 * np.pi * 0.5 * t)  # both feet move together relative to the pelvis
    found = []
    for i in range(t.size):
        found += det.push(t[i], sway[i], sway[i])
    assert found == []


def test_event_signals_are_label_free_envelopes():
    img = np.full((1, 33, 2), np.nan)
    # Side view walking toward the image's left (forward = -x); hips at x = 500, legs 2 x 100 px long.
    for hip, knee, ankle in ((LEFT_HIP, 25, 27), (RIGHT_HIP, 26, 28)):
        img[0, hip], img[0, knee], img[0, ankle] = (500, 300), (500, 400), (500, 500)
    img[0, 29], img[0, 30] = (420, 480), (600, 500)  # left heel 80 px ahead and 20 px higher, right 100 px behind
    img[0, 31], img[0, 32] = (380, 500), (560, 490)  # toes
    sig = geometry.event_signals(img, np.zeros((1, 33, 3)), [View.SIDE_LEFT])[0]
    ev = geometry.EV
    assert sig[ev["heel_front"]] == pytest.approx(80 / 200)
    assert sig[ev["toe_back"]] == pytest.approx(-60 / 200)
    assert sig[ev["heel_lift_left"]] == pytest.approx(20 / 200)
    assert sig[ev["heel_lead_left"]] == pytest.approx(180 / 200)
    assert sig[ev["heel_spread_visible"]] == pytest.approx(180 / 200)
    # The same frame with the leg labels swapped gives the same envelopes.
    swapped = img.copy()
    swapped[0, [29, 30, 31, 32]] = img[0, [30, 29, 32, 31]]
    sig2 = geometry.event_signals(swapped, np.zeros((1, 33, 3)), [View.SIDE_LEFT])[0]
    assert sig2[ev["heel_front"]] == sig[ev["heel_front"]] and sig2[ev["toe_back"]] == sig[ev["toe_back"]]
    assert sig2[ev["heel_lead_left"]] == pytest.approx(-sig[ev["heel_lead_left"]])


def test_front_heel_glitches_are_dropped_but_real_motion_kept():
    pre = analyser._Preprocessor(0.5)
    # 60 fps, as MediaPipe gave on side_walk_60fps_short.mp4 frames 61-68: 62, 64 and 65 lost the front foot.
    front = [0.38, 0.24, 0.45, 0.14, 0.18, 0.41, 0.42, 0.39]
    out = [pre._deglitch(60.0 + i / 60, View.SIDE_LEFT, v) for i, v in enumerate(front)]
    assert [math.isnan(v) for v in out] == [False, True, False, True, True, False, False, False]
    assert pre.glitches_ == 3
    # A stance foot moving back at walking speed (1.5 leg lengths/s) and a fast forward swing are kept.
    pre = analyser._Preprocessor(0.5)
    real = [0.4 - 1.5 * i / 30 for i in range(8)] + [0.05 + 0.12 * i for i in range(4)]
    assert all(pre._deglitch(i / 30, View.SIDE_RIGHT, v) == v for i, v in enumerate(real))


def test_walking_backward_blanks_events_but_forward_and_treadmill_do_not():
    for speed_legs_per_s, expected in ((-1.5, True), (1.5, False), (0.0, False), (-0.2, False)):
        pre = analyser._Preprocessor(0.5)
        # Facing the image's left: forward is -x; 200 px legs.
        flags = [pre._walking_backward(i / 30, View.SIDE_LEFT, 800 - 200 * speed_legs_per_s * i / 30, 200.0)
                 for i in range(45)]
        assert flags[-1] is expected and not any(flags[:14])  # needs half a window of history first


def test_brief_unknown_view_does_not_end_the_bout():
    core = analyser._Core(None, 0.12)
    feats = np.full(len(geometry.FEATURES), np.nan)
    views = [View.SIDE_LEFT] * 5 + [View.UNKNOWN] * 3 + [View.SIDE_LEFT] * 5 + [View.SIDE_RIGHT] * 2
    bouts = [core.detect(i / 30, v, feats)[0] for i, v in enumerate(views)]
    assert [i for i, b in enumerate(bouts) if b] == [0, 13]  # start, and the change to another known view


def test_score_events_counts_hits_misses_and_false_events():
    truth = [_ev(1.0, LEFT, INITIAL_CONTACT), _ev(2.0, LEFT, INITIAL_CONTACT), _ev(1.5, RIGHT, TOE_OFF)]
    detected = [_ev(1.02, LEFT, INITIAL_CONTACT), _ev(2.5, LEFT, INITIAL_CONTACT), _ev(1.49, RIGHT, TOE_OFF),
                _ev(1.5, LEFT, TOE_OFF)]
    s = events.score_events(detected, truth, tolerance_s=0.1)
    assert (s.hits, s.misses, s.false_events) == (2, 1, 2)
    assert s.mean_abs_error_s == pytest.approx(0.015)
    with pytest.raises(ValueError, match="tolerance_s"):
        events.score_events(detected, truth, tolerance_s=0)


# --- metrics ------------------------------------------------------------------------------------------------------

def test_symmetry_index_and_ratio():
    assert symmetry_index_pct(0.6, 0.5) == pytest.approx(100 * 0.1 / 0.55)
    assert results.lr_ratio(0.6, 0.5) == pytest.approx(1.2)
    assert math.isnan(symmetry_index_pct(math.nan, 0.5))
    assert math.isnan(results.lr_ratio(1.0, 0.0))


def test_knee_fppa_sign_is_valgus_positive_both_legs_and_views():
    # Facing the camera: left leg on image right (x = 110), right leg on image left (x = 90). y down.
    hip_l, hip_r = np.array([110.0, 100.0]), np.array([90.0, 100.0])
    knee_in_l = np.array([110.0 - 10.0, 150.0])  # knee moved toward the midline: valgus
    ankle_l = np.array([110.0, 200.0])
    expected = 2 * math.degrees(math.atan2(10, 50))
    assert geometry.knee_fppa_deg(hip_l, knee_in_l, ankle_l, hip_r) == pytest.approx(expected)
    knee_out_l = np.array([120.0, 150.0])
    assert geometry.knee_fppa_deg(hip_l, knee_out_l, ankle_l, hip_r) == pytest.approx(-expected)
    knee_in_r = np.array([100.0, 150.0])
    assert geometry.knee_fppa_deg(hip_r, knee_in_r, np.array([90.0, 200.0]), hip_l) == pytest.approx(expected)
    straight = geometry.knee_fppa_deg(hip_l, np.array([110.0, 150.0]), ankle_l, hip_r)
    assert straight == pytest.approx(0.0)


def test_knee_flexion_sign():
    hip, knee = np.array([0.0, 0.0]), np.array([0.0, 50.0])
    ankle_back = np.array([-25.0, 50.0 + 25.0 * math.sqrt(3)])  # shank 30 deg behind, walking image-right
    assert geometry.knee_flexion_deg(hip, knee, ankle_back, 1.0) == pytest.approx(30.0)
    assert geometry.knee_flexion_deg(hip, knee, ankle_back, -1.0) == pytest.approx(-30.0)


def test_leg_length_from_height():
    assert geometry.leg_length_m(1.8) == pytest.approx(0.491 * 1.8)
    assert math.isnan(geometry.leg_length_m(None))
    with pytest.raises(ValueError, match="between 1 and 2.3 m"):
        geometry.leg_length_m(18.0)


def test_nan_mean_is_silent():
    assert math.isnan(results.nan_mean([]))
    assert math.isnan(results.nan_mean([math.nan]))
    assert results.nan_mean([1.0, math.nan, 3.0]) == 2.0


def _step_builder_with_samples(view: str, frames: int) -> StepBuilder:
    """A StepBuilder that has seen ``frames`` samples at 30 fps in ``view`` (no figures: times only)."""
    builder = StepBuilder()
    no_figures = np.full(len(geometry.FEATURES), np.nan)
    for i in range(frames):
        builder.add_sample(i / 30, i, view, no_figures)
    return builder


def test_step_builder_times_from_hand_made_events():
    b = _step_builder_with_samples(View.SIDE_RIGHT, frames=90)
    seq = [_ev(0.0, LEFT, INITIAL_CONTACT), _ev(0.1, RIGHT, TOE_OFF), _ev(0.5, RIGHT, INITIAL_CONTACT),
           _ev(0.62, LEFT, TOE_OFF), _ev(1.06, LEFT, INITIAL_CONTACT), _ev(1.15, RIGHT, TOE_OFF),
           _ev(1.6, RIGHT, INITIAL_CONTACT), _ev(1.7, LEFT, TOE_OFF)]
    steps = [s for e in seq for s in b.add_event(e)]
    assert [s.foot for s in steps] == [LEFT, RIGHT, LEFT]
    first_left, right, left = steps
    assert math.isnan(first_left.step_time_s) and first_left.stance_time_s == pytest.approx(0.62)
    assert right.step_time_s == pytest.approx(0.5) and right.stance_time_s == pytest.approx(0.65)
    assert right.swing_time_s == pytest.approx(0.4)
    assert left.step_time_s == pytest.approx(0.56) and left.swing_time_s == pytest.approx(0.44)
    assert left.ic_frame == 32 and left.to_frame == 51
    assert math.isnan(left.knee_fppa_deg) and math.isnan(left.step_length_m)
    assert b.extras_[2]["stride_time_s"] == pytest.approx(1.06)
    assert b.extras_[1]["double_support_time_s"] == pytest.approx(0.12)  # right IC 0.5 -> left TO 0.62
    rows = {r.metric: r for r in summarise(b)}
    assert rows["step_time_s"].left == pytest.approx(0.56) and rows["step_time_s"].right == pytest.approx(0.52)
    assert rows["cadence_steps_per_min"].overall == pytest.approx(60 / np.mean([0.5, 0.56, 0.54]))
    assert rows["step_count"].overall == 3
    assert math.isnan(rows["knee_fppa_peak_deg"].left)


def test_step_builder_keeps_a_step_whose_toe_off_is_not_seen():
    # A pass ends in a turn: the last two contacts' toe offs fall in it (no valid view), then the bout ends.
    b = _step_builder_with_samples(View.FACING, frames=90)
    seq = [_ev(0.0, LEFT, INITIAL_CONTACT), _ev(0.1, RIGHT, TOE_OFF), _ev(0.5, RIGHT, INITIAL_CONTACT),
           _ev(0.62, LEFT, TOE_OFF), _ev(1.06, LEFT, INITIAL_CONTACT), _ev(1.15, RIGHT, TOE_OFF),
           _ev(1.6, RIGHT, INITIAL_CONTACT)]  # left TO ~1.7 and right TO ~2.2 fall in the turn
    steps = [s for e in seq for s in b.add_event(e)]
    assert [(s.foot, s.ic_t_s) for s in steps] == [(LEFT, 0.0), (RIGHT, 0.5)]
    steps += b.break_bout()
    assert [(s.foot, s.ic_t_s) for s in steps] == [(LEFT, 0.0), (RIGHT, 0.5), (LEFT, 1.06), (RIGHT, 1.6)]
    assert [s.step for s in steps] == [0, 1, 2, 3] and b.steps_ == steps
    for s in steps[2:]:
        assert math.isnan(s.to_t_s) and math.isnan(s.to_frame) and math.isnan(s.stance_time_s)
        assert math.isnan(s.knee_fppa_deg) and math.isnan(s.pelvic_drop_deg) and s.view == View.FACING
    assert steps[2].step_time_s == pytest.approx(0.56) and steps[2].swing_time_s == pytest.approx(0.44)
    assert steps[3].step_time_s == pytest.approx(0.54) and steps[3].swing_time_s == pytest.approx(0.45)
    assert b.break_bout() == []  # nothing waits any more
    rows = {r.metric: r for r in summarise(b)}
    assert rows["step_count"].overall == 4 and rows["stance_time_s"].left == pytest.approx(0.62)
    assert rows["step_time_s"].overall == pytest.approx(np.mean([0.5, 0.56, 0.54]))


def test_step_builder_keeps_ic_order_when_a_toe_off_is_missed_mid_bout():
    b = _step_builder_with_samples(View.SIDE_LEFT, frames=120)
    # The left TO at ~1.17 is missed: the left foot landing again at 1.6 completes its 0.5 step without it.
    seq = [_ev(0.0, RIGHT, INITIAL_CONTACT), _ev(0.1, LEFT, TOE_OFF), _ev(0.5, LEFT, INITIAL_CONTACT),
           _ev(0.62, RIGHT, TOE_OFF), _ev(1.06, RIGHT, INITIAL_CONTACT), _ev(1.6, LEFT, INITIAL_CONTACT)]
    steps = [s for e in seq for s in b.add_event(e)]
    assert [(s.foot, s.ic_t_s, math.isfinite(s.to_t_s)) for s in steps] == [(RIGHT, 0.0, True), (LEFT, 0.5, False)]
    assert steps[1].step_time_s == pytest.approx(0.5) and math.isnan(steps[1].stance_time_s)
    # The right TO at 1.7 ends the 1.06 stance; then the left TO (~2.25) and the left IC (~2.7) are missed: the
    # right TO at 2.8 shows that the left foot, which landed at 1.6 before the right one, has left the ground
    # too. Its step comes first, without a toe off.
    steps = [s for e in (_ev(1.7, RIGHT, TOE_OFF), _ev(2.15, RIGHT, INITIAL_CONTACT), _ev(2.8, RIGHT, TOE_OFF))
             for s in b.add_event(e)]
    assert [(s.foot, s.ic_t_s, math.isfinite(s.to_t_s)) for s in steps] == [
        (RIGHT, 1.06, True), (LEFT, 1.6, False), (RIGHT, 2.15, True)]
    assert [s.step for s in b.steps_] == [0, 1, 2, 3, 4]
    # A reversal of the feet drops the steps still waiting (their feet are in doubt).
    b.add_event(_ev(3.2, LEFT, INITIAL_CONTACT))
    assert b.break_bout(keep=False) == [] and len(b.steps_) == 5 and b.contacts_without_step_ == 1


def test_analyser_validates_arguments():
    with pytest.raises(ValueError, match="height must be between 1 and 2.3 m"):
        analyser.GaitAnalyser(user_height_m=170)
    with pytest.raises(TypeError, match="frame"):
        analyser.GaitAnalyser().update("not a frame")
    with pytest.raises(ValueError, match="t_s"):
        analyser.analyse_recording([PoseFrame(1.0, 0, 10, 10, None, None), PoseFrame(0.5, 1, 10, 10, None, None)])


def test_analyser_survives_frames_without_pose():
    a = analyser.GaitAnalyser()
    for i in range(10):
        m = a.update(PoseFrame(i / 30, i, 640, 480, None, None))
    assert m.view == View.UNKNOWN and math.isnan(m.knee_fppa_left_deg)
    assert a.events_ == [] and a.frames_without_pose_ == 10
    result = analyser.analyse_recording([PoseFrame(i / 30, i, 640, 480, None, None) for i in range(10)])
    assert result.events == () and len(result.frames) == 10


def _corner_path(t, c, approach, stance, radius=0.0):
    """A front-heel path: slope ``approach`` before ``c``, ``-stance`` after, joined by a hyperbola of ``radius``."""
    u = t - c
    h = np.sqrt(u * u + radius * radius)
    return 0.3 + approach * (u - h) / 2 - stance * (u + h) / 2


def test_fit_corner_finds_sharp_and_rounded_corners_whatever_the_approach_slope_and_flags_rounded_ones():
    t = np.arange(-4, 4) / 30.0 + 1.0
    radii = np.arange(0, 0.081, 0.01)
    for approach in (0.2, 0.6, 1.2):  # slow and fast approaches: the smoothed peak's bias differs, the corner not
        for c in (0.991, 1.0, 1.013):
            sharp, rounded, ratio = events.fit_corner(t, _corner_path(t, c, approach, 1.5), 1.5, radii)
            assert sharp == pytest.approx(c, abs=0.0011) and rounded == sharp and ratio == pytest.approx(1.0)
            # Rounded as MediaPipe's tracking rounds a heel's stop: where the two lines meet, not the round peak.
            _, rounded, ratio = events.fit_corner(t, _corner_path(t, c, approach, 1.5, radius=0.05), 1.5, radii)
            assert rounded == pytest.approx(c, abs=0.0011) and ratio > thresholds.CONTACT_ROUNDED_RSS_RATIO
    falling = 0.3 - 1.5 * (t - 1.0)  # no rising approach: no corner
    assert math.isnan(events.fit_corner(t, falling, 1.5, (0.0,))[0])


def _timed_contacts(radius, approach=(0.6, 0.6), peak_early_s=(0.02, 0.02), step_s=0.55, fps=30.0, n_steps=10):
    """Feed a ContactTimer a walk of corners (a contact every step) as the detector would: raw samples in time
    order, each contact timed from a smoothed peak ``peak_early_s`` early (per foot: alternate contacts, with
    approach slopes ``approach``) once the look-ahead (3 frames) has been pushed."""
    timer = events.ContactTimer()
    contacts = [0.5 + k * step_s for k in range(n_steps)]
    t = np.arange(0.0, contacts[-1] + 0.3, 1.0 / fps)
    y = np.full_like(t, np.nan)
    for k, c in enumerate(contacts):
        span = (t > c - 0.5 * step_s) & (t <= c + 0.5 * step_s)
        y[span] = _corner_path(t[span], c, approach[k % 2], 1.5, radius)
    timed, next_contact = [], 0
    for i in range(t.size):
        timer.push(t[i], y[i])
        if next_contact < len(contacts) and t[i] >= contacts[next_contact] + 3.4 / fps:
            found = timer.time(contacts[next_contact] - peak_early_s[next_contact % 2], (LEFT, RIGHT)[next_contact % 2])
            timer.accepted(found, step_s)
            timed.append(found - contacts[next_contact])
            next_contact += 1
    return timed


@pytest.mark.parametrize("radius", [0.0, 0.05])
def test_contact_timer_times_sharp_and_rounded_corners(radius):
    timed = _timed_contacts(radius=radius)
    assert timed[:2] == pytest.approx([-0.02, -0.02])  # no stance slope known yet: the smoothed peak's time
    # Then the peak moved by each foot's corner offset: the corner (within 4 ms: a rounded corner's fit grid is 2 ms
    # by 10 ms of radius).
    assert np.abs(timed[-4:]).max() <= 0.004
    timer = events.ContactTimer()
    assert timer.time(1.0, LEFT) == 1.0  # nothing known: the peak
    # A limp: the feet approach differently, so the smoothing (and MediaPipe's rounding) moves their peaks by
    # different amounts; each foot's own offset puts both on their corners.
    limp = _timed_contacts(radius=radius, approach=(0.2, 1.2), peak_early_s=(0.03, 0.012))
    assert np.abs(limp[-4:]).max() <= 0.004


def test_contact_timer_forgets_a_person():
    timer = events.ContactTimer()
    for i in range(60):
        timer.push(i / 30.0, 0.1)
    timer.new_person()
    assert timer.time(1.0, RIGHT) == 1.0 and not timer._slopes and not timer._raw


def test_knee_alignment_only_from_a_stance_that_can_be_one():
    """A 'stance' longer than two step times took in a swing (a missed toe off, a pause): its mid-stance figures
    are not given; a walking stance keeps them (issue 9, item 3)."""
    b = StepBuilder()
    seq = [_ev(0.0, LEFT, INITIAL_CONTACT), _ev(0.1, RIGHT, TOE_OFF), _ev(0.5, RIGHT, INITIAL_CONTACT),
           _ev(0.62, LEFT, TOE_OFF), _ev(1.06, LEFT, INITIAL_CONTACT), _ev(1.15, RIGHT, TOE_OFF),
           _ev(1.6, RIGHT, INITIAL_CONTACT), _ev(4.4, LEFT, TOE_OFF)]  # the left "stance" from 1.06 lasts 3.3 s
    steps = []
    for i in range(150):  # samples and events in time order, as the analyser feeds them
        t = i / 30
        features = np.full(len(geometry.FEATURES), np.nan)
        features[geometry.F["knee_fppa_left_deg"]] = 3.0 if t < 1.7 else 25.0  # swing-like angles later on
        features[geometry.F["knee_fppa_right_deg"]] = 2.0
        b.add_sample(t, i, View.FACING, features)
        while seq and seq[0].t_s <= t:
            steps += b.add_event(seq.pop(0))
    normal_left, right, long_left = steps
    assert normal_left.knee_fppa_deg == pytest.approx(3.0) and right.knee_fppa_deg == pytest.approx(2.0)
    assert long_left.stance_time_s == pytest.approx(3.34) and long_left.step_time_s == pytest.approx(0.56)
    assert math.isnan(long_left.knee_fppa_deg) and math.isnan(long_left.foot_progression_deg)


def test_knee_alignment_only_where_the_knee_is_near_extension():
    """Within mid-stance, frames whose knee is bent (MediaPipe's 3-D world knee over KNEE_NEAR_EXTENSION_DEG) do
    not count: a bent knee's projection shows the bend, not the alignment (issue 9, item 3)."""
    b = StepBuilder()
    seq = [_ev(0.0, LEFT, INITIAL_CONTACT), _ev(0.1, RIGHT, TOE_OFF), _ev(0.55, RIGHT, INITIAL_CONTACT),
           _ev(0.65, LEFT, TOE_OFF)]
    steps = []
    for i in range(40):
        t = i / 30
        bent = 0.25 <= t <= 0.3  # a bent knee for two frames of the left mid-stance, reading 25 deg "valgus"
        features = np.full(len(geometry.FEATURES), np.nan)
        features[geometry.F["knee_fppa_left_deg"]] = 25.0 if bent else 3.0
        features[geometry.F["knee_bend_world_left_deg"]] = thresholds.KNEE_NEAR_EXTENSION_DEG + (10.0 if bent else -15.0)
        b.add_sample(t, i, View.FACING, features)
        while seq and seq[0].t_s <= t:
            steps += b.add_event(seq.pop(0))
    (left,) = [s for s in steps if s.foot == LEFT]
    assert left.knee_fppa_deg == pytest.approx(3.0)


def test_data_notes_say_what_a_sessions_figures_rest_on():
    """The review's "Data" column (issue 9, item 4): nothing to say about a good walk; otherwise a few words."""
    from analysis.quality import data_notes

    assert data_notes(frames=900, frames_with_pose=880, facing=700, back=100, side=50, steps=40,
                      has_symmetry=True) == ()
    assert data_notes(900, 300, 200, 0, 50, 40, True) == ("you were seen in 33 % of it",)
    assert data_notes(900, 880, 10, 0, 800, 40, True) == ("side-on: no knee figures",)
    assert data_notes(900, 880, 700, 100, 50, 18, False) == ("few steps: no symmetry",)
    assert data_notes(0, 0, 0, 0, 0, 0, False) == ("no steps",)


def _standing_world(pitch_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """A standing person's world landmarks (feet under the hips) in the axes of a camera pitched down by
    ``pitch_deg``, and their visibilities."""
    from analysis.synthetic import WalkerSpec, generate
    walk = generate(WalkerSpec(activity="stand", duration_s=1.0, world_pitch_deg=pitch_deg))
    frame = walk.clean_frames[0]
    return frame.world_landmarks, frame.image_landmarks[:, 3]


@pytest.mark.parametrize("pitch_deg", [30.0, -15.0])
def test_body_vertical_levels_a_pitched_camera_world_frame(pitch_deg):
    world, seen = _standing_world(pitch_deg)
    ankle_below_hip_z = lambda w: 0.5 * (w[27, 2] + w[28, 2] - w[23, 2] - w[24, 2])  # noqa: E731
    assert abs(ankle_below_hip_z(world)) > 0.15  # tilted: the feet sit "ahead of" (or behind) the pelvis in depth
    vertical = view.BodyVertical()
    vertical.learn(0.0, world, seen, 0.5)
    levelled = vertical.level(world)
    assert abs(ankle_below_hip_z(levelled)) < 0.02
    assert vertical.pitch_deg_ == pytest.approx(pitch_deg, abs=2.0)
    assert np.allclose(np.linalg.norm(levelled - levelled[23], axis=1), np.linalg.norm(world - world[23], axis=1))


def test_body_vertical_ignores_frames_whose_feet_are_not_seen():
    world, seen = _standing_world(30.0)
    unseen = seen.copy()
    unseen[[27, 28]] = 0.0  # feet beyond the picture's edge: MediaPipe guesses them
    vertical = view.BodyVertical()
    vertical.learn(0.0, world, unseen, 0.5)
    assert vertical.level(world) is world and math.isnan(vertical.pitch_deg_)
    vertical.learn(0.1, world, seen, 0.5)
    vertical.level(world)
    assert vertical.pitch_deg_ == pytest.approx(30.0, abs=2.0)


def _seated_copy(frame: PoseFrame) -> PoseFrame:
    """A standing frame whose 3-D thighs are turned level toward the camera (seated), the shanks and feet hanging
    below the knees; the picture is kept as it was (a camera looking down sees a seated person's knees below the
    hips, so the picture's order alone does not tell)."""
    world = frame.world_landmarks.copy()
    for hip, knee, below in ((23, 25, [27, 29, 31]), (24, 26, [28, 30, 32])):
        thigh = np.linalg.norm(world[knee] - world[hip])
        new_knee = world[hip] + np.array([0.0, 0.0, -thigh])
        world[below] += new_knee - world[knee]
        world[knee] = new_knee
    return PoseFrame(frame.t_s, frame.frame_index, frame.image_width_px, frame.image_height_px,
                     frame.image_landmarks, world)


def test_a_seated_person_is_not_measured_even_where_the_picture_looks_upright():
    """Issue 9, item 2: both 3-D thighs across the trunk's line (sitting) make a frame a gap: no steps, no knee
    figures, and the live set-up cue asks to stand up (``implausible_reason_``); standing, nothing is gated."""
    from analysis.synthetic import WalkerSpec, generate
    walk = generate(WalkerSpec(activity="sway", duration_s=4.0, seed=2, pose_noise="mediapipe"))
    assert analyser.seated(walk.frames[10].world_landmarks) is None
    live = analyser.GaitAnalyser()
    for frame in walk.frames:
        if frame.world_landmarks is not None:
            live.update(_seated_copy(frame))
            assert live.implausible_reason_ == analyser.NOT_UPRIGHT
    live.finish()
    assert not live.events_ and not live.steps_
    offline = analyser.analyse_recording([_seated_copy(f) if f.world_landmarks is not None else f
                                          for f in walk.frames])
    assert offline.gated_frames.get(analyser.NOT_UPRIGHT, 0) >= 0.9 * len(walk.frames)
    assert all(math.isnan(f.knee_fppa_left_deg) and math.isnan(f.knee_fppa_right_deg) for f in offline.frames)


def test_a_contact_too_soon_for_the_walkers_steps_is_not_a_step():
    """Once two step times are known, a contact sooner than MIN_STEP_TYPICAL_RATIO of the typical one after the last
    is rejected (a false contact mid-step), and the real one after it still counts."""
    detector = events.EventDetector()
    accepted = [detector._offer_ic(t, foot) for t, foot in ((0.0, LEFT), (0.55, RIGHT), (1.10, LEFT))]
    assert all(c is not None for c in accepted)
    assert detector._offer_ic(1.10 + 0.55 * thresholds.MIN_STEP_TYPICAL_RATIO - 0.02, RIGHT) is None
    late = detector._offer_ic(1.65, RIGHT)
    assert late is not None and late.index == 3
