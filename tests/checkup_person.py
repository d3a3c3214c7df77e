"""A synthetic person for the check-up tests: for each step, a clip of what its instruction asks (stand facing the
camera with one knee inward, stand side-on with a forward head, squat on each leg with the right knee collapsing,
walk with a limp), with MediaPipe-like noise."""
from __future__ import annotations

from analysis.synthetic import WalkerSpec, generate

CHECKUP_FPS = 30.0


def clip(**spec) -> list:
    return generate(WalkerSpec(fps=CHECKUP_FPS, pose_noise="mediapipe", **spec)).frames


def person_clips() -> dict[str, list]:
    """Step key (gaitcoach.checkup_flow.STEPS) -> the frames played from the step's start."""
    return {
        "setup": clip(activity="stand", direction="toward", duration_s=20.0),
        "standing_alignment": clip(activity="stand", direction="toward", duration_s=20.0, knee_valgus_left_deg=8.0),
        "standing_posture": clip(activity="stand", direction="left", duration_s=20.0, head_forward_deg=35.0),
        "squat_right": clip(activity="single_leg_squat", direction="toward", duration_s=45.0, squat_leg="right",
                            knee_valgus_right_deg=15.0, seed=2),
        "squat_left": clip(activity="single_leg_squat", direction="toward", duration_s=45.0, squat_leg="left",
                           seed=3),
        "timed_walk": clip(direction="toward", duration_s=80.0, limp="antalgic", step_time_asymmetry_pct=-25.0,
                           seed=4),
    }
