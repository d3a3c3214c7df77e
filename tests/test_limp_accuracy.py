"""Limps read as limps (issue 8, item 3): a painful-side (antalgic) limp walked side-on, toward and away from the
camera, overground and on a treadmill, with MediaPipe's noise as measured on the annotated real clips
(``pose_noise="mediapipe"``: jitter, rounded heel stops, side-on leg-label swaps). The full table, with 15 % and
30 % limps and step-to gait, is ``benchmarks/limp_si.py``."""
from __future__ import annotations

import numpy as np
import pytest

from analysis.analyser import analyse_recording
from analysis.synthetic import WalkerSpec, generate
from analysis.types import INITIAL_CONTACT, LEFT, RIGHT

# (direction, treadmill, the views whose contacts are scored): overground walks turn at the end of each pass.
SETUPS = [("left", True, ("side_left",)), ("left", False, ("side_left", "side_right")),
          ("toward", True, ("facing",)), ("toward", False, ("facing",)),
          ("away", True, ("back",)), ("toward", False, ("back",))]


def _contacts_in(events, walk, views):
    t = walk.times_s
    return [e for e in events if e.kind == INITIAL_CONTACT and walk.views[int(np.argmin(np.abs(t - e.t_s)))] in views]


def signed_step_time_si_pct(contacts) -> tuple[float, int]:
    """Signed SI (left minus right over their mean) of the step times between consecutive contacts of different
    feet less than a second apart; and the fewer step times of the two sides."""
    times = {LEFT: [], RIGHT: []}
    for a, b in zip(contacts, contacts[1:]):
        if a.foot != b.foot and b.t_s - a.t_s < 1.0:
            times[b.foot].append(b.t_s - a.t_s)
    if not (times[LEFT] and times[RIGHT]):
        return float("nan"), 0
    left, right = np.mean(times[LEFT]), np.mean(times[RIGHT])
    return 200.0 * (left - right) / (left + right), min(len(times[LEFT]), len(times[RIGHT]))


@pytest.mark.parametrize(("direction", "treadmill", "views"), SETUPS, ids=lambda v: str(v))
def test_a_20_percent_antalgic_limp_reads_within_3_points_on_the_right_side(direction, treadmill, views):
    walk = generate(WalkerSpec(direction=direction, treadmill=treadmill, limp="antalgic", limp_side="right",
                               step_time_asymmetry_pct=-20.0, duration_s=40.0, seed=1, pose_noise="mediapipe"))
    found = analyse_recording(walk.frames, user_height_m=walk.spec.height_m)
    truth = _contacts_in(walk.events, walk, views)
    detected = _contacts_in(found.events, walk, views)
    true_si, _ = signed_step_time_si_pct(truth)
    si, per_side = signed_step_time_si_pct(detected)
    assert true_si == pytest.approx(-20.0, abs=0.5)
    assert per_side >= 8
    assert abs(si - true_si) <= 3.0, (si, true_si)  # the right side: the painful right foot's steps are longer
    hits = sum(any(d.foot == c.foot and abs(d.t_s - c.t_s) <= 2 / walk.spec.fps for d in detected) for c in truth)
    # On a treadmill every contact; overground each pass's first contact (its swing in the turn) may be missed.
    assert hits >= (0.95 if treadmill else 0.8) * len(truth), (hits, len(truth))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_step_to_limp_seen_side_on_has_its_painful_contacts(seed):
    """Step-to gait (the painful right foot lands level with the other, behind the pelvis), on a treadmill seen
    side-on with MediaPipe's noise: the front heel never peaks at those contacts; the back heel's peaks, where
    both feet then stand, find most of them (measured: 81-90 % of the painful foot's contacts within 2 frames,
    SI -21 to -23 for a true -20; the other views are in benchmarks/limp_si.py, less sure)."""
    walk = generate(WalkerSpec(direction="left", treadmill=True, limp="step_to", limp_side="right",
                               step_time_asymmetry_pct=-20.0, duration_s=40.0, seed=seed, pose_noise="mediapipe"))
    found = analyse_recording(walk.frames, user_height_m=walk.spec.height_m)
    truth = _contacts_in(walk.events, walk, ("side_left",))
    detected = _contacts_in(found.events, walk, ("side_left",))
    painful = [c for c in truth if c.foot == RIGHT]
    hits = [any(d.foot == c.foot and abs(d.t_s - c.t_s) <= 2 / walk.spec.fps for d in detected) for c in painful]
    assert sum(hits) >= 0.8 * len(painful), (sum(hits), len(painful))
    si, per_side = signed_step_time_si_pct(detected)
    assert per_side >= 25 and abs(si - signed_step_time_si_pct(truth)[0]) <= 4.0, si
