"""Pose estimation with MediaPipe Pose Landmarker, following one chosen person at the cost of one pose.

Design (why it is cheap): asking MediaPipe for two poses on every frame nearly doubles inference. Instead,

* the **tracker** is a one-pose landmarker in VIDEO mode; everything outside a box around the chosen person
  is blanked before it sees the frame, so it cannot wander to someone else, and when it must re-detect it
  finds the chosen person again;
* the **scanner** is a multi-pose landmarker in IMAGE mode on its own thread (MediaPipe inference uses one
  core; these machines have two). A few times a second it looks at the frame with the chosen person
  blanked out, to count other people and to offer a better subject to :class:`SubjectSelector`. It is off
  the critical path: frames never wait for it.
"""
from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")  # MediaPipe's C++ start-up chatter
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import cv2  # noqa: E402
import mediapipe as mp  # noqa: E402
import numpy as np  # noqa: E402
from mediapipe.tasks.python import BaseOptions  # noqa: E402
from mediapipe.tasks.python import vision  # noqa: E402

from analysis.landmarks import NUM_LANDMARKS  # noqa: E402
from gaitcoach.mailbox import LatestMailbox, MailboxClosed  # noqa: E402
from gaitcoach.models import ModelError  # noqa: E402
from gaitcoach.offline import keep_mediapipe_offline  # noqa: E402
from gaitcoach.selection import Person, SubjectSelector  # noqa: E402
from gaitcoach.estimate import PoseEstimate  # noqa: E402

log = logging.getLogger(__name__)

PROCESSING_WIDTH_PX = 640  # frames are scaled to this width before inference (MediaPipe works at 256 px anyway)
SCAN_INTERVAL_MS = 200.0  # how often the scanner looks for other people while someone is followed
# Live, while the machine is busy (``busy``: frames were dropped lately), the scanner looks only this often, so that
# it competes less with the tracker for the CPU. (Scanning less while the picture around the subject stays still was
# tried: it saved 5 of 39 scans on side_walk_two_people.mp4 and chose the walker 2 frames later, past the 0.5 s the
# tests allow; so was scanning every 0.6 s while the subject walks and nobody else seems to: it halved the scans, but
# with half the frames dropped the man standing on the box was judged walking and the walker was chosen 0.8 s later.
# Each scan costs about 0.19 % of the tracker's frame rate, benchmarks/bench_pose_pipeline.py.)
SCAN_BUSY_INTERVAL_MS = 800.0
SCANNER_MAX_POSES = 3
# Reproducible mode: a scan's result is applied this many frames after the frame it scanned. The tracker works
# through them meanwhile (a scan costs about 1.6 tracker frames), so it rarely has to wait.
SCAN_RESULT_LAG_FRAMES = 3
SCAN_WAIT_TIMEOUT_S = 10.0  # a scan slower than this (a stalled machine) is not waited for
BLANK_VALUE = 128  # mid grey: what blanked-out areas are filled with


def _to_arrays(result, index: int) -> tuple[np.ndarray, np.ndarray]:
    image = np.array(
        [(p.x, p.y, p.z, p.visibility or 0.0, p.presence or 0.0) for p in result.pose_landmarks[index]],
        dtype=np.float64,
    )
    world = np.array([(p.x, p.y, p.z) for p in result.pose_world_landmarks[index]], dtype=np.float64)
    assert image.shape == (NUM_LANDMARKS, 5) and world.shape == (NUM_LANDMARKS, 3)
    return image, world


def _blank_outside(image: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """``image`` itself, blanked outside ``box`` in place (four strips: no copy of a whole frame on every frame)."""
    height, width = image.shape[:2]
    x0, y0 = int(box[0] * width), int(box[1] * height)
    x1, y1 = int(np.ceil(box[2] * width)), int(np.ceil(box[3] * height))
    image[:max(y0, 0)] = BLANK_VALUE
    image[max(y1, 0):] = BLANK_VALUE
    image[:, :max(x0, 0)] = BLANK_VALUE
    image[:, max(x1, 0):] = BLANK_VALUE
    return image


def _blank_inside(image: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    height, width = image.shape[:2]
    out = image.copy()
    out[int(box[1] * height) : int(np.ceil(box[3] * height)), int(box[0] * width) : int(np.ceil(box[2] * width))] = (
        BLANK_VALUE
    )
    return out


_quiet_lock = threading.Lock()


@contextlib.contextmanager
def _quiet_native_stderr():
    """Hide MediaPipe's C++ start-up warnings (they bypass Python logging) while a landmarker is created."""
    if os.environ.get("GAITCOACH_DEBUG"):
        yield
        return
    with _quiet_lock:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
        except (OSError, ValueError):  # no real stderr (e.g. a GUI launcher): nothing to hide
            yield
            return
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


class _QuietUntilFirstPose:
    """MediaPipe prints a one-time projection warning with the first pose a landmarker finds (a blank warm-up frame
    finds none): native stderr stays hidden around its detections until then."""

    def __init__(self) -> None:
        self.pending = True

    def detect(self, detect, *args):
        if not self.pending:
            return detect(*args)
        with _quiet_native_stderr():
            result = detect(*args)
        self.pending = not result.pose_landmarks
        return result


def _close_quietly(landmarker) -> None:
    with _quiet_native_stderr():  # MediaPipe logs each accelerator it destroys
        landmarker.close()


def _create_landmarker(model_path: Path, mode, num_poses: int):
    keep_mediapipe_offline()
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model_path)), running_mode=mode, num_poses=num_poses
    )
    with _quiet_native_stderr():
        try:
            landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as error:
            raise ModelError(f"MediaPipe could not load the pose model {model_path}: {error}") from None
        # The first inference logs a one-time projection warning; run it here, on a blank frame.
        blank = _mp_image(np.full((64, 64, 3), BLANK_VALUE, np.uint8))
        if mode == vision.RunningMode.VIDEO:
            landmarker.detect_for_video(blank, 0)
        else:
            landmarker.detect(blank)
    return landmarker


def _mp_image(rgb: np.ndarray) -> mp.Image:
    return mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))


class _Scanner(threading.Thread):
    """Background multi-person scans; results are picked up by the estimator without waiting."""

    def __init__(self, model_path: Path) -> None:
        super().__init__(name="gaitcoach-pose-scanner", daemon=True)
        self._landmarker = _create_landmarker(model_path, vision.RunningMode.IMAGE, SCANNER_MAX_POSES)
        self._quiet = _QuietUntilFirstPose()
        self.inbox: LatestMailbox[tuple[np.ndarray, float]] = LatestMailbox()
        self._results_lock = threading.Lock()
        self._results: list[Person] | None = None
        self.idle = threading.Event()  # set: no scan asked for or running
        self.idle.set()
        self.scan_count = 0

    def request(self, rgb: np.ndarray, t_ms: float) -> None:
        """Scan this frame in the background (call only while idle)."""
        self.idle.clear()
        self.inbox.put((rgb, t_ms))

    def run(self) -> None:
        try:
            while True:
                try:
                    item = self.inbox.take()
                except MailboxClosed:
                    return
                if item is None:
                    continue
                rgb, t_ms = item
                result = self._quiet.detect(self._landmarker.detect, _mp_image(rgb))
                people = [Person(_to_arrays(result, i)[0], t_ms) for i in range(len(result.pose_landmarks))]
                with self._results_lock:
                    self._results = people
                self.scan_count += 1
                self.idle.set()
        finally:
            self.idle.set()  # nobody waits for a scanner that has stopped
            _close_quietly(self._landmarker)

    def take_results(self) -> list[Person] | None:
        with self._results_lock:
            results, self._results = self._results, None
        return results

    def stop(self) -> None:
        self.inbox.close()


class PoseEstimator:
    """Runs the tracker on each frame and the scanner in the background. Call from one thread only.

    ``reproducible``: each scan's result is applied ``SCAN_RESULT_LAG_FRAMES`` frames after the frame it scanned,
    waiting for it if need be, so that a video analysed frame by frame gives the same result every time, however
    busy the machine. Otherwise (live) a scan's result is applied whenever it arrives and never holds a frame up.
    """

    def __init__(self, model_path: str | os.PathLike[str], *, scan_interval_ms: float = SCAN_INTERVAL_MS,
                 reproducible: bool = False) -> None:
        self.model_path = Path(model_path)
        self.reproducible = reproducible
        self._tracker = _create_landmarker(self.model_path, vision.RunningMode.VIDEO, 1)
        try:
            self._scanner = _Scanner(self.model_path)
        except BaseException:
            _close_quietly(self._tracker)
            raise
        self._tracker_quiet = _QuietUntilFirstPose()
        self._scanner.start()
        self.selector = SubjectSelector()
        self.scan_interval_ms = scan_interval_ms
        self._last_scan_ms = -np.inf
        self._last_timestamp_ms = 0  # the warm-up frame used 0
        self._frame_count = 0
        self._scan_due_frame: int | None = None  # reproducible mode: when the pending scan's result is applied
        self.busy = False  # set by the pose thread: frames were dropped lately (never in reproducible mode)

    def process(self, image_bgr: np.ndarray, t_ms: float) -> PoseEstimate:
        started = time.perf_counter()
        rgb = self._prepare(image_bgr)
        selector = self.selector
        self._frame_count += 1
        changed = self._apply_scan_results()
        roi = selector.tracker_roi()
        tracker_input = rgb if roi is None else _blank_outside(rgb, roi)  # rgb is ours: blanked in place
        timestamp_ms = max(int(round(t_ms)), self._last_timestamp_ms + 1)  # VIDEO mode needs increasing stamps
        self._last_timestamp_ms = timestamp_ms
        result = self._tracker_quiet.detect(self._tracker.detect_for_video, _mp_image(tracker_input), timestamp_ms)
        landmarks = world = None
        person = None
        if result.pose_landmarks:
            landmarks, world = _to_arrays(result, 0)
            person = Person(landmarks, t_ms)
        person_id = selector.on_tracked(person, t_ms)
        if person_id is None:
            landmarks = world = None
        self._maybe_scan(image_bgr, rgb if roi is None else None, t_ms,
                         force=changed or selector.person_id is None or selector.wants_rescan)
        return PoseEstimate(
            landmarks, world, person_id, selector.other_people_count, (time.perf_counter() - started) * 1000.0
        )

    def _prepare(self, image_bgr: np.ndarray) -> np.ndarray:
        height, width = image_bgr.shape[:2]
        if width > PROCESSING_WIDTH_PX:
            scaled_height = int(round(height * PROCESSING_WIDTH_PX / width))
            image_bgr = cv2.resize(image_bgr, (PROCESSING_WIDTH_PX, scaled_height), interpolation=cv2.INTER_AREA)
        return cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)

    def _apply_scan_results(self) -> bool:
        if self.reproducible:
            if self._scan_due_frame is None or self._frame_count < self._scan_due_frame:
                return False
            self._scanner.idle.wait(SCAN_WAIT_TIMEOUT_S)
            self._scan_due_frame = None
        others = self._scanner.take_results()
        return others is not None and self.selector.on_scan(others)

    def _maybe_scan(self, image_bgr: np.ndarray, rgb: np.ndarray | None, t_ms: float, *, force: bool) -> None:
        """Scan this frame in the background if one is due; ``rgb``: the frame prepared for inference, unless the
        tracker's blanking changed it (prepared again here: scans are a few a second, frames many)."""
        pending = self._scan_due_frame is not None if self.reproducible else not self._scanner.idle.is_set()
        interval_ms = max(self.scan_interval_ms, SCAN_BUSY_INTERVAL_MS) if self.busy else self.scan_interval_ms
        if pending or (not force and t_ms - self._last_scan_ms < interval_ms):
            return
        mask = self.selector.scan_mask()
        if rgb is None:
            rgb = self._prepare(image_bgr)
        self._scanner.request(rgb if mask is None else _blank_inside(rgb, mask), t_ms)
        if self.reproducible:
            self._scan_due_frame = self._frame_count + SCAN_RESULT_LAG_FRAMES
        self._last_scan_ms = t_ms

    @property
    def scan_count(self) -> int:
        return self._scanner.scan_count

    def close(self) -> None:
        self._scanner.stop()
        self._scanner.join(timeout=2.0)
        _close_quietly(self._tracker)
