"""The check-up's set-up check on real video, through real MediaPipe (issue 14): what a camera set up as in these
clips would be told, against what the frames show (seen by eye: ``tests/data/real_video_events/*.md`` and the
frames themselves). The standing and squat tests have no real clip yet (the test videos show walking): their
figures rest on the synthetic walker (tests/test_checkup_analysis.py)."""
from __future__ import annotations

import cv2
import pytest

from analysis.checkup import assess_setup
from gaitcoach.analyze import analyze_video
from gaitcoach.live import image_brightness
from gaitcoach.sources import VideoFileSource


def poses_and_light(assets, tmp_path_factory, clip: str):
    outcome = analyze_video(VideoFileSource(assets.video(clip)), tmp_path_factory.mktemp(clip.split(".")[0]),
                            assets.model_path)
    assert outcome.error is None
    capture = cv2.VideoCapture(str(assets.video(clip)))
    ok, image = capture.read()
    capture.release()
    assert ok
    return [result.to_pose_frame() for result in outcome.results], image_brightness(image)


@pytest.fixture(scope="module")
def high_camera(assets, tmp_path_factory):
    return poses_and_light(assets, tmp_path_factory, "back_walk_away_warehouse.mp4")


@pytest.fixture(scope="module")
def level_camera(assets, tmp_path_factory):
    return poses_and_light(assets, tmp_path_factory, "side_walk_back_and_forth.mp4")


def items(frames, brightness) -> dict:
    return {item.key: item for item in assess_setup(frames, brightness)}


def test_feet_below_the_picture_then_a_camera_looking_steeply_down(high_camera):
    """back_walk_away_warehouse.mp4 (15 fps): his feet are below the picture's bottom edge until frames 19 (left)
    and 24 (right) (its notes); the camera is high and looks down on the warehouse floor (MediaPipe's axes lean
    32 deg, README "Treadmill facing the camera")."""
    frames, light = high_camera
    first = items(frames[:45], light)
    assert first["whole_body_in_view_pct"].passed is False
    assert first["whole_body_in_view_pct"].advice.startswith("Your feet are out of the picture")
    later = items(frames[30:], light)
    assert later["whole_body_in_view_pct"].passed
    assert later["camera_tilt_deg"].passed is False and later["camera_tilt_deg"].figure > 20.0
    assert "tilt the screen back" in later["camera_tilt_deg"].advice
    assert "camera_height_m" not in later  # judged once the camera is nearly level


def test_a_level_camera_at_about_hip_to_chest_height_passes(level_camera):
    """side_walk_back_and_forth.mp4: a level camera (the wall's courses run straight across), the walker whole in
    the picture away from its edges; by eye the camera is at ~1.1 m (the person's hips are just below the
    middle row)."""
    frames, light = level_camera
    for start in (30, 210, 240):  # 3-s stretches with the walker whole in the picture
        found = items(frames[start:start + 90], light)
        assert all(item.passed is not False for item in found.values()), found
        assert abs(found["camera_tilt_deg"].figure) < 8.0
        assert 1.0 <= found["camera_height_m"].figure <= 1.4
    assert light > 100  # a well-lit gym
