"""Pose pipeline cost vs a bare MediaPipe loop, side by side in one run (run by hand, not a test).

    .venv/bin/python benchmarks/bench_pose_pipeline.py [--assets ../shared] [--rounds 3]

On the shared two-people video scaled to 640x360 (frames decoded beforehand, so decoding is not measured):

(a) bare:     one-pose VIDEO-mode PoseLandmarker over the frames, nothing else;
(b) two-pose: the same with num_poses=2 (the naive way to choose among people);
(c) pipeline: our PoseWorker (source thread, mailbox, masked one-pose tracker, background scanner, person
              selection, result objects), every frame processed;
(d) live run: the whole headless live run (``gaitcoach.live.LiveRun``: the pipeline plus the gait analysis and the
              coach on the pose thread), every frame processed;
(e) live:     our PoseWorker fed at 30 fps as if from a camera: latency from frame read to result emitted.

Rounds alternate (a), (b), (c), (d) so that machine noise hits all of them alike; medians over rounds are printed.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gaitcoach.live import LiveConfig, LiveRun, LiveUpdate, RunEnded  # noqa: E402
from gaitcoach.pose import _create_landmarker, _mp_image  # noqa: E402
from gaitcoach.sources import Frame, monotonic_ms, wait_until_due  # noqa: E402
from gaitcoach.worker import PoseWorker  # noqa: E402
from mediapipe.tasks.python import vision  # noqa: E402

SIZE_PX = (640, 360)


class MemorySource:
    """Pre-decoded frames, either as fast as the consumer takes them or paced at ``fps`` like a camera."""

    def __init__(self, images: list[np.ndarray], fps: float, live: bool) -> None:
        self.images, self.fps, self.live = images, fps, live
        self.description = self.origin = "memory"
        self.camera_index = None

    def frames(self):
        start_s = time.monotonic()
        for index, image in enumerate(self.images):
            t_ms = index * 1000.0 / self.fps
            if self.live:
                wait_until_due(start_s, t_ms)
            yield Frame(image, t_ms, index, monotonic_ms())

    def close(self) -> None:
        pass


def decode(path: Path) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(path))
    images = []
    while True:
        ok, image = capture.read()
        if not ok:
            break
        images.append(cv2.resize(image, SIZE_PX, interpolation=cv2.INTER_AREA))
    return images


def bare_loop_fps(images: list[np.ndarray], model: Path, num_poses: int) -> float:
    landmarker = _create_landmarker(model, vision.RunningMode.VIDEO, num_poses)
    rgb = [cv2.cvtColor(image, cv2.COLOR_BGR2RGB) for image in images]
    started = time.perf_counter()
    for index, frame in enumerate(rgb):
        landmarker.detect_for_video(_mp_image(frame), int(index * 1000 / 30) + 1)
    elapsed = time.perf_counter() - started
    landmarker.close()
    return len(rgb) / elapsed


def pipeline_run(images: list[np.ndarray], model: Path, live: bool):
    results = []
    done = threading.Event()
    worker = PoseWorker(MemorySource(images, 30.0, live), model, results.append, lambda error: done.set(),
                        keep_images=True, process_every_frame=not live)
    started = time.perf_counter()
    worker.start()
    done.wait()
    elapsed = time.perf_counter() - started
    worker.stop()
    return results, elapsed, worker


def live_run_fps(images: list[np.ndarray], model: Path) -> float:
    """Frames per second of the headless live run over every frame, from its first update to its last."""
    emitted_ms = []  # only the times: keeping every update (and its image) would measure page faults instead
    done = threading.Event()

    def report(item) -> None:
        if isinstance(item, LiveUpdate):
            emitted_ms.append(item.pose.emitted_monotonic_ms)
        elif isinstance(item, RunEnded):
            done.set()

    run = LiveRun(MemorySource(images, 30.0, live=False), model, "full", LiveConfig(), report)
    run.start()
    done.wait()
    run.stop()
    return (len(emitted_ms) - 1) / ((emitted_ms[-1] - emitted_ms[0]) / 1000.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    model = args.assets / "models" / "pose_landmarker_full.task"
    images = decode(args.assets / "testdata" / "side_walk_two_people.mp4")
    print(f"{len(images)} frames at {SIZE_PX[0]}x{SIZE_PX[1]}, {args.rounds} rounds")

    bare, two_pose, pipeline, live_run = [], [], [], []
    for round_index in range(args.rounds):
        bare.append(bare_loop_fps(images, model, 1))
        two_pose.append(bare_loop_fps(images, model, 2))
        results, elapsed, worker = pipeline_run(images, model, live=False)
        # The worker's threads start MediaPipe (about 0.3 s); count from the first result, as the bare loop does.
        first_ms = results[0].emitted_monotonic_ms
        span_s = (results[-1].emitted_monotonic_ms - first_ms) / 1000.0
        pipeline.append((len(results) - 1) / span_s)
        live_run.append(live_run_fps(images, model))
        print(f"round {round_index + 1}: bare {bare[-1]:.1f} fps, two-pose {two_pose[-1]:.1f} fps, "
              f"pipeline {pipeline[-1]:.1f} fps (scans {worker.scan_count}), live run {live_run[-1]:.1f} fps")

    bare_fps, two_fps, pipe_fps, run_fps = (statistics.median(v) for v in (bare, two_pose, pipeline, live_run))
    print(f"\nmedian fps: bare {bare_fps:.1f} | two-pose {two_fps:.1f} | pipeline {pipe_fps:.1f} | "
          f"live run {run_fps:.1f}")
    print(f"ratio pipeline/bare: {pipe_fps / bare_fps:.3f}   live run/bare: {run_fps / bare_fps:.3f}   "
          f"(two-pose/bare: {two_fps / bare_fps:.3f})")

    results, _, worker = pipeline_run(images, model, live=True)
    latency = np.array([r.latency_ms for r in results[10:]])
    inference = np.array([r.inference_ms for r in results[10:]])
    frame_period_ms = 1000.0 / 30.0
    print(f"\nlive at 30 fps: processed {len(results)}/{len(images)}, dropped {worker.dropped_frames}")
    print(f"latency read->emitted: median {np.median(latency):.1f} ms, p95 {np.percentile(latency, 95):.1f} ms")
    print(f"inference: median {np.median(inference):.1f} ms, p95 {np.percentile(inference, 95):.1f} ms; "
          f"aim: latency <= inference + one frame period = {np.median(inference) + frame_period_ms:.1f} ms")


if __name__ == "__main__":
    main()
