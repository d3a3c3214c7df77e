"""`gaitcoach analyze`: real runs in a subprocess (real exit codes), frames.csv schema, every bad input."""
from __future__ import annotations

import csv
import errno
import os
import subprocess
import sys
import zipfile

import pytest

from analysis.columns import FRAME_GAIT_COLUMNS, STEP_COLUMNS
from analysis.landmarks import LANDMARK_NAMES
from analysis.types import View
from gaitcoach import cli
from gaitcoach.export import ExportError, write_csv
from video_files import write_video


def gaitcoach(*args, env_extra=None, cwd=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "gaitcoach.cli", *map(str, args)], capture_output=True, text=True, env=env, cwd=cwd,
        timeout=300,
    )


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def analysed_60fps(assets, tmp_path_factory):
    out = tmp_path_factory.mktemp("analysed")
    result = gaitcoach("analyze", assets.video("side_walk_60fps_short.mp4"), "--out", out, "--model", assets.model_path)
    return result, out


def test_analyze_writes_one_frames_row_per_frame(analysed_60fps):
    result, out = analysed_60fps
    assert result.returncode == 0, result.stderr
    assert "135 frames" in result.stdout and "frames.csv" in result.stdout
    assert result.stderr == ""  # MediaPipe's native start-up, first-pose and shut-down log lines stay hidden
    rows = read_csv(out / "frames.csv")
    assert len(rows) == 135
    header = list(rows[0].keys())
    assert header[:3] == ["frame", "t_s", "pose_detected"]
    assert header[3:7] == ["nose_x_px", "nose_y_px", "nose_z", "nose_visibility"]
    for name in LANDMARK_NAMES:
        assert f"{name}_x_px" in header and f"{name}_visibility" in header
    assert [int(r["frame"]) for r in rows] == list(range(135))
    detected = [r for r in rows if r["pose_detected"] == "1"]
    assert len(detected) >= 120  # one man walking across the whole clip
    assert 0 < float(detected[0]["left_knee_x_px"]) < 1920 and 0 < float(detected[0]["left_knee_y_px"]) < 1080
    missing = [r for r in rows if r["pose_detected"] == "0"]
    assert all(r["left_knee_x_px"] == "" for r in missing)  # empty cells, never a fake 0
    assert abs(float(rows[60]["t_s"]) - 60 / 59.7015) < 1e-3
    assert header[-len(FRAME_GAIT_COLUMNS):] == list(FRAME_GAIT_COLUMNS)
    assert {r["view"] for r in detected} <= set(View.ALL)
    side_rows = [r for r in detected if r["view"] in View.SIDE]
    assert len(side_rows) > 60  # he walks across the camera's view
    assert all(r["knee_fppa_left_deg"] == "" for r in side_rows)  # FPPA is a frontal-view figure only


def test_analyze_writes_steps_and_summary(analysed_60fps):
    result, out = analysed_60fps
    steps = read_csv(out / "steps.csv")
    assert list(steps[0].keys()) == list(STEP_COLUMNS)
    assert len(steps) >= 2  # (step accuracy on real video is checked against hand annotations separately)
    feet = [s["foot"] for s in steps]
    assert all(a != b for a, b in zip(feet, feet[1:]))  # left and right alternate
    assert all(s["knee_fppa_deg"] == "" for s in steps)  # side view: no FPPA, and no fake 0
    summary = read_csv(out / "summary.csv")
    assert list(summary[0].keys()) == ["metric", "left", "right", "overall", "symmetry_index_pct",
                                       "symmetry_index_low_pct", "symmetry_index_high_pct", "unit"]
    assert {"cadence_steps_per_min", "step_time_s", "knee_fppa_peak_deg"} <= {row["metric"] for row in summary}
    (count,) = [row for row in summary if row["metric"] == "step_count"]
    assert count["overall"] == str(len(steps)) and count["left"].isdigit()  # "12", never "12.0000"


def test_analyze_writes_the_data_quality(analysed_60fps):
    """quality.csv (issue 9, item 4): one man walking across, whole body in view: a person in nearly every frame,
    measured nearly everywhere, one person followed, seen side-on, the steps counted as in steps.csv."""
    result, out = analysed_60fps
    rows = read_csv(out / "quality.csv")
    assert list(rows[0].keys()) == ["metric", "value", "unit"]
    quality = {row["metric"]: float(row["value"]) for row in rows}
    assert quality["frames"] == 135 and quality["people_followed"] == 1
    assert quality["person_found_pct"] >= 90 and quality["measured_pct"] >= 85
    assert quality["not_measured_feet_out_of_picture"] + quality["not_measured_not_upright"] <= 0.15 * 135
    assert quality["view_side_pct"] >= 50 and quality["view_facing_pct"] == 0
    assert quality["steps"] == len(read_csv(out / "steps.csv"))
    assert "data quality:" in result.stdout and "quality.csv" in result.stdout


@pytest.mark.faults
def test_analyze_missing_video_exits_2_with_one_line(tmp_path):
    result = gaitcoach("analyze", tmp_path / "missing.mp4")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"gaitcoach: Video not found: {tmp_path / 'missing.mp4'}"]


def test_analyze_not_a_video_exits_2(tmp_path, assets):
    path = tmp_path / "essay.mp4"
    path.write_text("words")
    result = gaitcoach("analyze", path, "--model", assets.model_path)
    assert result.returncode == 2 and "Not a readable video" in result.stderr


def test_analyze_truncated_video_keeps_what_it_read_and_exits_2(tmp_path, assets):
    data = assets.video("side_walk_two_people.mp4").read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    result = gaitcoach("analyze", cut, "--out", tmp_path / "out", "--model", assets.model_path)
    assert result.returncode == 2 and "truncated" in result.stderr
    rows = read_csv(tmp_path / "out" / "frames.csv")
    assert 50 < len(rows) < 230


def test_analyze_bad_model_path_exits_2(tmp_path, assets):
    result = gaitcoach("analyze", assets.video("side_walk_60fps_short.mp4"), "--model", tmp_path / "none.task")
    assert result.returncode == 2 and "pose model not found" in result.stderr


@pytest.mark.faults
def test_analyze_corrupt_model_exits_2(tmp_path, assets):
    bad = tmp_path / "bad.task"
    with zipfile.ZipFile(bad, "w") as bundle:
        bundle.writestr("pose_detector.tflite", b"x")
        bundle.writestr("pose_landmarks_detector.tflite", b"x")
    result = gaitcoach("analyze", assets.video("side_walk_60fps_short.mp4"), "--out", tmp_path / "o", "--model", bad)
    assert result.returncode == 2 and "could not load the pose model" in result.stderr


@pytest.mark.faults
def test_analyze_without_model_and_network_says_what_to_download(tmp_path, assets):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "GAITCOACH_MODEL": ""}
    # No --model, no GAITCOACH_MODEL, empty cache, and no network on these machines (nor in this test's DNS).
    result = gaitcoach("analyze", assets.video("side_walk_60fps_short.mp4"), env_extra=env, cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "pose_landmarker_full.task" in line and str(tmp_path / "cache") in line and "Traceback" not in line


def test_analyze_model_from_environment(tmp_path, assets):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "GAITCOACH_MODEL": str(assets.model_path)}
    result = gaitcoach("analyze", assets.video("side_walk_60fps_short.mp4"), "--out", tmp_path / "o", env_extra=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "o" / "frames.csv").is_file()


@pytest.mark.faults
def test_analyze_into_read_only_folder_exits_2(read_only_dir, assets):
    result = gaitcoach("analyze", assets.video("side_walk_60fps_short.mp4"), "--out", read_only_dir / "out",
                       "--model", assets.model_path)
    assert result.returncode == 2 and "output folder" in result.stderr


@pytest.mark.faults
def test_analyze_onto_a_full_disk_exits_2_and_leaves_no_partial_file(full_disk_dir, assets):
    result = gaitcoach("analyze", assets.video("side_walk_60fps_short.mp4"), "--out", full_disk_dir,
                       "--model", assets.model_path)
    assert result.returncode == 2 and "No space left on device" in result.stderr
    assert list(full_disk_dir.iterdir()) == []


@pytest.mark.faults
def test_write_csv_removes_the_parts_a_killed_export_left(tmp_path):
    """Issue 10, item 7: a run killed while writing frames.csv left its ".part"; the next write of that file
    removes it (a fresh one, maybe another run's, is left alone)."""
    stale = tmp_path / ".frames.csv.abc123.part"
    stale.write_text("x" * 1000)
    os.utime(stale, (1.0, 1.0))
    fresh = tmp_path / ".frames.csv.def456.part"
    fresh.write_text("y")
    write_csv(tmp_path / "frames.csv", ["a"], [["1"]])
    assert not stale.exists() and fresh.exists() and (tmp_path / "frames.csv").exists()


@pytest.mark.faults
def test_write_csv_disk_full_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "frames.csv"
    target.write_text("previous export\n")

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(ExportError, match="No space left on device"):
        write_csv(target, ["a"], [["1"]])
    assert target.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["frames.csv"]


def test_internal_error_exits_1_with_one_line(monkeypatch, capsys, assets):
    import gaitcoach.analyze

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(gaitcoach.analyze, "analyze_video", broken)
    code = cli.main(["analyze", str(assets.video("side_walk_60fps_short.mp4")), "--model", str(assets.model_path)])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["gaitcoach: internal error: RuntimeError: boom (run with --debug for details)"]


@pytest.mark.parametrize(("name", "times_ms", "reason"), [
    ("one_frame.mp4", [0], "the video is too short: 1 frame"),
    ("five_fps.mp4", [200 * i for i in range(30)], "too few frames per second: 5"),
    ("nobody.mp4", [round(i * 1000 / 30) for i in range(90)], "nobody was found in the picture"),
])
@pytest.mark.faults
def test_analyze_says_why_it_found_no_step(tmp_path, assets, name, times_ms, reason):
    """Issue 10, item 5: a video too short, too coarse or without anybody is analysed (exit 0) and says why there
    is no step."""
    video = write_video(tmp_path / name, times_ms)
    result = gaitcoach("analyze", video, "--out", tmp_path / "out", "--model", assets.model_path)
    assert result.returncode == 0, result.stderr
    assert f"steps: 0: {reason}" in result.stdout, result.stdout


@pytest.mark.faults
def test_analyze_of_a_png_renamed_mp4_says_it_is_too_short(tmp_path, assets):
    import cv2
    import numpy as np

    png = tmp_path / "photo.png"
    cv2.imwrite(str(png), np.full((240, 320, 3), 128, np.uint8))
    video = png.rename(tmp_path / "photo.mp4")
    result = gaitcoach("analyze", video, "--out", tmp_path / "out", "--model", assets.model_path)
    assert result.returncode == 0, result.stderr  # OpenCV reads a picture as a video of one frame
    assert "steps: 0: the video is too short: 1 frame," in result.stdout, result.stdout


@pytest.mark.faults
def test_analyze_of_a_variable_frame_rate_video_says_so(tmp_path, assets):
    times = [round(i * 1000 / 30) for i in range(30)] + [round(1000 + i * 1000 / 15) for i in range(30)]
    result = gaitcoach("analyze", write_video(tmp_path / "phone.mp4", times), "--out", tmp_path / "out",
                       "--model", assets.model_path)
    assert result.returncode == 0, result.stderr
    assert "the frame rate varies (15-30 fps)" in result.stdout, result.stdout
    rows = read_csv(tmp_path / "out" / "frames.csv")
    assert abs(float(rows[-1]["t_s"]) - times[-1] / 1000) < 0.002


def _files(folder):
    return {path.relative_to(folder): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_analyze_several_videos_in_parallel_writes_what_one_at_a_time_writes(tmp_path, assets):
    """Issue 13, item 5: two videos in two processes give byte-identical files to one at a time, one folder each;
    a bad input among them is reported, the others are done, and the exit code is 2."""
    videos = [assets.video("frontal_walk_toward_outdoor.mp4"), assets.video("back_walk_away_warehouse.mp4")]
    bad = tmp_path / "notes.mp4"
    bad.write_text("not a video")
    one_at_a_time = gaitcoach("analyze", *videos, "--out", tmp_path / "one", "--jobs", 1, "--model",
                              assets.model_path)
    parallel = gaitcoach("analyze", videos[0], bad, videos[1], "--out", tmp_path / "two", "--jobs", 2, "--model",
                         assets.model_path)
    assert one_at_a_time.returncode == 0, one_at_a_time.stderr
    assert parallel.returncode == 2
    assert parallel.stderr.strip().splitlines() == [f"gaitcoach: Not a readable video: {bad} (OpenCV/FFmpeg cannot "
                                                    f"decode it)"]
    written = _files(tmp_path / "one")
    assert {path.parent.name for path in written} == {"frontal_walk_toward_outdoor-gaitcoach",
                                                      "back_walk_away_warehouse-gaitcoach"}
    assert len(written) == 8 and _files(tmp_path / "two") == written
    # Each file's report, in the order given.
    assert parallel.stdout.index("frontal_walk_toward_outdoor.mp4:") < parallel.stdout.index(
        "back_walk_away_warehouse.mp4:")


def test_analyze_refuses_two_videos_that_would_share_a_folder_and_a_bad_jobs_count(tmp_path, assets):
    (tmp_path / "a").mkdir()
    twin = tmp_path / "a" / "side_walk_60fps_short.mp4"
    twin.write_bytes(assets.video("side_walk_60fps_short.mp4").read_bytes())
    result = gaitcoach("analyze", assets.video("side_walk_60fps_short.mp4"), twin, "--out", tmp_path / "out")
    assert result.returncode == 2 and "would both write to" in result.stderr and not (tmp_path / "out").exists()
    result = gaitcoach("analyze", twin, "--jobs", 0)
    assert result.returncode == 2 and result.stderr.strip() == "gaitcoach: --jobs must be 1 or more, got 0"
