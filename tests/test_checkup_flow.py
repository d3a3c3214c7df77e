"""The guided check-up's flow (issue 14), headless: a synthetic person who does what each instruction asks (stands,
turns side-on, squats on each leg, walks), played as a live stream through ``CheckupFlow``."""
from __future__ import annotations

import dataclasses
import math

import pytest

from analysis.checkup import SETUP, SINGLE_LEG_SQUAT, STANDING_ALIGNMENT, STANDING_POSTURE, TIMED_WALK
from checkup_person import CHECKUP_FPS, clip, person_clips
from gaitcoach.checkup_flow import DONE, MEASURING, STEPS, CheckupFlow

FPS = CHECKUP_FPS


@pytest.fixture(scope="module")
def person():
    return person_clips()


def play(flow: CheckupFlow, person: dict, first: dict | None = None, limit_s: float = 400.0) -> list:
    """Feed the flow frames of whatever the current step asks for (``first``: a clip played before a step's the
    first time); return every state."""
    states, t, playing, k, played = [flow.state], 0.0, None, 0, set()  # the first instruction is said at once
    while not flow.done and t < limit_s:
        key = STEPS[flow.state.step][0]
        if key != playing:
            playing, k = key, 0
            # The first time, an overriding clip, then what the step asks for (the person puts it right).
            frames = ((first or {}).get(key, []) if key not in played else []) + person[key]
            played.add(key)
        frame = frames[min(k, len(frames) - 1)]
        k += 1
        states.append(flow.add(dataclasses.replace(frame, t_s=t, frame_index=len(states)), 120.0))
        t += 1.0 / FPS
    return states


def test_a_whole_check_up_guides_through_every_test_and_measures_each(person):
    flow = CheckupFlow(user_height_m=1.70)
    states = play(flow, person)
    assert flow.done and states[-1].phase == DONE
    said = [line for state in states for line in state.speech]
    for _, _, _, instruction in STEPS:
        assert instruction in said  # every instruction is spoken
    assert said.count("Five") >= 2  # the repetitions are counted aloud on each leg
    walking = [s.detail for s in states if s.phase == MEASURING and s.title == STEPS[-1][2]]
    assert walking[0].endswith("0 steps") and int(walking[-1].split()[-2]) >= 40  # the steps so far, live
    # Each test in order, and the set-up passed before any test began.
    assert [s.step for s in states] == sorted(s.step for s in states)
    first_measuring = next(i for i, s in enumerate(states) if s.phase == MEASURING)
    assert all(item.passed for item in states[first_measuring].setup_items)
    rows = flow.rows()
    assert [r.test for r in rows] == sorted((r.test for r in rows), key=[SETUP, STANDING_ALIGNMENT, STANDING_POSTURE,
                                                                         SINGLE_LEG_SQUAT, TIMED_WALK].index)
    by = {(r.test, r.metric): r for r in rows}
    assert all(r.passed for r in rows if r.test == SETUP)
    assert by[STANDING_ALIGNMENT, "knee_fppa_deg"].left > 4.0 and by[STANDING_ALIGNMENT, "knee_fppa_deg"].passed is False
    assert by[STANDING_POSTURE, "head_forward_deg"].passed is False
    squat = by[SINGLE_LEG_SQUAT, "knee_fppa_peak_deg"]
    assert squat.right > 8.0 and abs(squat.left) < 5.0 and squat.passed is False  # the right knee collapses
    assert (by[SINGLE_LEG_SQUAT, "repetitions_counted"].left, by[SINGLE_LEG_SQUAT, "repetitions_counted"].right) == (5, 5)
    assert by[TIMED_WALK, "steps_measured"].overall >= 40
    assert by[TIMED_WALK, "step_time_symmetry_index_pct"].passed is False  # the limp, surely
    assert by[TIMED_WALK, "cadence_steps_per_min"].overall == pytest.approx(110.0, abs=5.0)


def test_the_set_up_check_waits_and_says_what_to_change_until_it_is_right(person):
    too_far = clip(activity="stand", direction="toward", duration_s=8.0, camera_distance_m=7.0)
    flow = CheckupFlow(user_height_m=1.70)
    states = play(flow, person, first={"setup": too_far}, limit_s=30.0)
    said = [line for state in states for line in state.speech]
    assert any("come about" in line and "closer" in line for line in said)
    during = [s for s in states if s.step == 0 and s.setup_items]
    assert during and not all(item.passed for item in during[0].setup_items)
    assert "closer" in during[0].detail
    assert any(s.step >= 1 for s in states)  # once the person stands right, the check-up goes on


def test_a_skipped_test_leaves_its_figures_empty(person):
    flow = CheckupFlow(user_height_m=1.70)
    t = 0.0
    frames = person["setup"]
    while flow.state.step == 0:
        flow.add(dataclasses.replace(frames[int(t * FPS)], t_s=t), 120.0)
        t += 1.0 / FPS
    flow.skip()  # standing alignment
    assert flow.state.step == 2
    assert not any(r.test == STANDING_ALIGNMENT for r in flow.rows())
    assert all(math.isfinite(r.overall) for r in flow.rows() if r.test == SETUP)


def test_a_test_can_be_repeated_and_its_new_result_replaces_the_old(person):
    from gaitcoach.checkup_flow import GET_READY, RESULT

    flow = CheckupFlow(user_height_m=1.70)
    t, frames = 0.0, {key: iter(clip_frames) for key, clip_frames in person.items()}

    def feed_until(done) -> None:
        nonlocal t
        while not done():
            key = STEPS[flow.state.step][0]
            flow.add(dataclasses.replace(next(frames[key]), t_s=t), 120.0)
            t += 1.0 / FPS

    feed_until(lambda: flow.state.step == 1 and flow.state.phase == RESULT)
    first = flow.results["standing_alignment"]
    flow.repeat()
    assert flow.state.phase == GET_READY and "standing_alignment" not in flow.results
    assert STEPS[1][3] in flow.state.speech  # the instruction again
    frames["standing_alignment"] = iter(person["standing_alignment"][200:])  # standing on, a little later
    feed_until(lambda: flow.state.phase == RESULT)
    again = flow.results["standing_alignment"]
    assert again is not first and again.measured and flow.state.step == 1
