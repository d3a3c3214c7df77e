"""Frame sources on real video files, and every bad-input path with its message."""
from __future__ import annotations

import time

import cv2
import numpy as np
import pytest

from gaitcoach.sources import (
    CameraDisconnectedError,
    CameraSource,
    CameraUnavailableError,
    NotAVideoError,
    TruncatedVideoError,
    VideoFileSource,
    VideoNotFoundError,
    list_cameras,
    open_source,
)
from video_files import write_video


def test_video_file_yields_every_frame_with_index_and_timeline(assets):
    source = VideoFileSource(assets.video("side_walk_two_people.mp4"))
    frames = list(source.frames())
    source.close()
    assert len(frames) == 230 == source.info.frame_count
    assert [f.index for f in frames] == list(range(230))
    assert frames[0].image_bgr.shape == (994, 1768, 3)
    t_ms = np.array([f.t_ms for f in frames])
    np.testing.assert_allclose(np.diff(t_ms), 1000 / 30, rtol=1e-6)


def test_paced_video_plays_at_its_own_frame_rate(assets):
    source = VideoFileSource(assets.video("side_walk_60fps_short.mp4"), paced=True)
    count, started = 0, None
    for _frame in source.frames():  # not kept: holding 30 full-HD frames timed the page faults, not the pacing
        started = started or time.monotonic()  # pacing is timed from the first frame (not the decoder's start-up)
        count += 1
        if count == 30:
            break
    elapsed_s = time.monotonic() - started
    source.close()
    assert source.live
    # 30 frames at 59.7 fps are 29 frame intervals, 0.49 s of video: paced playback takes that long, not less.
    assert 29 / 59.7 - 0.02 <= elapsed_s <= 29 / 59.7 + 0.25


@pytest.mark.faults
def test_missing_video_is_reported(tmp_path):
    with pytest.raises(VideoNotFoundError, match="Video not found: .*nope.mp4"):
        VideoFileSource(tmp_path / "nope.mp4")


def test_folder_is_not_a_video(tmp_path):
    with pytest.raises(NotAVideoError, match="it is a folder"):
        VideoFileSource(tmp_path)


def test_text_file_is_not_a_video(tmp_path):
    path = tmp_path / "notes.mp4"
    path.write_text("not a video at all")
    with pytest.raises(NotAVideoError, match="Not a readable video"):
        VideoFileSource(path)


def test_truncated_video_yields_what_it_has_then_says_so(assets, tmp_path):
    data = assets.video("side_walk_two_people.mp4").read_bytes()
    path = tmp_path / "cut.mp4"
    path.write_bytes(data[: len(data) // 2])
    source = VideoFileSource(path)
    seen = []
    with pytest.raises(TruncatedVideoError, match=r"ends early at frame \d+ of 230"):
        for frame in source.frames():
            seen.append(frame.index)
    assert 50 < len(seen) < 230 and seen == list(range(len(seen)))


@pytest.mark.faults
def test_camera_that_does_not_exist_is_reported_quickly():
    started = time.monotonic()
    with pytest.raises(CameraUnavailableError, match="Camera 57 could not be opened"):
        CameraSource(57)
    assert time.monotonic() - started < 5


@pytest.mark.faults
def test_camera_that_stops_delivering_raises_instead_of_hanging(assets):
    # A real VideoCapture that runs dry stands in for a camera being unplugged mid-stream.
    capture = cv2.VideoCapture(str(assets.video("side_walk_60fps_short.mp4")))
    source = CameraSource(0, capture=capture, give_up_s=0.3)
    count = 0
    started = time.monotonic()
    with pytest.raises(CameraDisconnectedError, match="stopped sending frames"):
        for _ in source.frames():
            count += 1
    assert count == 135 and time.monotonic() - started < 10
    source.close()


def test_list_cameras_returns_cameras_or_nothing_without_error():
    cameras = list_cameras()
    assert all(camera.index >= 0 and camera.name for camera in cameras)


def test_open_source_picks_camera_for_digits_and_file_otherwise(assets):
    with pytest.raises(CameraUnavailableError):
        open_source("57")
    source = open_source(str(assets.video("side_walk_60fps_short.mp4")))
    assert isinstance(source, VideoFileSource) and source.live
    source.close()


@pytest.mark.faults
def test_a_variable_frame_rate_video_keeps_each_frames_own_time(tmp_path):
    """Issue 10, item 5: a phone-like video, 30 frames at 30 fps then 30 at 15: each frame gets its own time from
    the container (index / the container's average fps would stretch the first half and squeeze the second), and
    the source says the rate varied."""
    times = [round(i * 1000 / 30) for i in range(30)] + [round(1000 + i * 1000 / 15) for i in range(30)]
    source = VideoFileSource(write_video(tmp_path / "phone.mp4", times))
    frames = list(source.frames())
    source.close()
    assert np.allclose([f.t_ms for f in frames], times, atol=1.0)
    assert source.irregular_timing
    steady = VideoFileSource(write_video(tmp_path / "steady.mp4", [round(i * 1000 / 30) for i in range(30)]))
    list(steady.frames())
    steady.close()
    assert not steady.irregular_timing
