"""The pose pipeline: source thread -> one-slot mailbox -> pose thread -> results callback.

Live sources (a camera, a file played as if live) never wait: when inference is slower than the camera the
mailbox keeps only the newest frame and counts the dropped ones, so latency stays bounded. Offline analysis
waits instead, so that every frame of the file is processed in order.
"""
from __future__ import annotations

import logging
import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np

from analysis.landmarks import X_PX, Y_PX
from analysis.types import PoseFrame
from gaitcoach.estimate import PoseEstimatorLike
from gaitcoach.mailbox import LatestMailbox, MailboxClosed
from gaitcoach.sources import Frame, FrameSource, monotonic_ms

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 1.0
# The estimator is told the machine is busy (it then does less in the background) while more than BUSY_DROPPED_SHARE
# of the frames of the last BUSY_WINDOW_MS were dropped: a frame dropped now and then is timing jitter, not load.
BUSY_WINDOW_MS = 2000.0
BUSY_DROPPED_SHARE = 0.2


class RateMeter:
    """Events per second over the last ``window_s``, from a running count (e.g. frame indices)."""

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self._samples: deque[tuple[float, float]] = deque()

    def add(self, t_s: float, count: float) -> float:
        samples = self._samples
        samples.append((t_s, count))
        while len(samples) > 2 and samples[1][0] <= t_s - self.window_s:
            samples.popleft()
        t0, c0 = samples[0]
        return (count - c0) / (t_s - t0) if t_s > t0 else math.nan


class _DropShare:
    """Is the share of frames dropped over the last ``BUSY_WINDOW_MS`` above ``BUSY_DROPPED_SHARE``?"""

    def __init__(self) -> None:
        self._dropped, self._processed = RateMeter(BUSY_WINDOW_MS / 1000.0), RateMeter(BUSY_WINDOW_MS / 1000.0)

    def add(self, now_ms: float, processed: int, dropped: int) -> bool:
        dropped_per_s = self._dropped.add(now_ms / 1000.0, dropped)
        processed_per_s = self._processed.add(now_ms / 1000.0, processed)
        return dropped_per_s > BUSY_DROPPED_SHARE * (dropped_per_s + processed_per_s)  # False while NaN


def _mediapipe_estimator(model_path: Path | None, *, reproducible: bool = False) -> PoseEstimatorLike:
    from gaitcoach.pose import PoseEstimator  # MediaPipe loads here, on the pose thread

    if model_path is None:
        raise ValueError("the MediaPipe pose estimator needs a model path")
    return PoseEstimator(model_path, reproducible=reproducible)


@dataclass(frozen=True)
class PoseResult:
    """One processed frame: the chosen person's pose (or none) and how the pipeline is doing."""

    frame_index: int
    t_ms: float  # the frame's timestamp (camera clock or the video's own timeline)
    image_width_px: int
    image_height_px: int
    image_landmarks: np.ndarray | None  # (33, 5): x_px, y_px, z, visibility, presence in the source image
    world_landmarks: np.ndarray | None  # (33, 3) metres, hip-centred
    person_id: int | None  # which person is followed (changes when another person is chosen)
    other_people_count: int  # other people seen by the latest background scan
    inference_ms: float
    read_monotonic_ms: float  # when the source delivered the frame
    emitted_monotonic_ms: float  # when this result was handed on
    dropped_frames_total: int  # frames skipped so far because inference was busy
    image_bgr: np.ndarray | None = field(default=None, repr=False)  # the frame itself, for display

    @property
    def pose_detected(self) -> bool:
        return self.image_landmarks is not None

    @property
    def latency_ms(self) -> float:
        return self.emitted_monotonic_ms - self.read_monotonic_ms

    def to_pose_frame(self) -> PoseFrame:
        return PoseFrame(
            t_s=self.t_ms / 1000.0,
            frame_index=self.frame_index,
            image_width_px=self.image_width_px,
            image_height_px=self.image_height_px,
            image_landmarks=self.image_landmarks,
            world_landmarks=self.world_landmarks,
            person_id=self.person_id,
            other_people_count=self.other_people_count,
        )


class PoseWorker:
    """Runs a frame source and pose estimation on two threads of their own.

    Parameters
    ----------
    source
        An opened frame source; the worker closes it when done.
    model_path
        The Pose Landmarker bundle (None for an estimator that needs none).
    on_result
        Called on the pose thread with each :class:`PoseResult`. Must be quick (hand the result on).
    on_finished
        Called once on the pose thread when the pipeline ends, with the error that ended it or None.
    keep_images
        Attach each frame to its result (for display). Off for headless analysis.
    process_every_frame
        Wait instead of dropping frames (offline analysis); the default estimator is then also reproducible
        (``PoseEstimator(reproducible=True)``). Defaults to ``not source.live``.
    estimator_factory
        Makes the estimator on the pose thread from ``model_path``; default: MediaPipe's
        :class:`gaitcoach.pose.PoseEstimator`. The demo walker passes one that needs no model.
    """

    def __init__(
        self,
        source: FrameSource,
        model_path: str | Path | None,
        on_result: Callable[[PoseResult], None],
        on_finished: Callable[[BaseException | None], None] | None = None,
        *,
        keep_images: bool = True,
        process_every_frame: bool | None = None,
        estimator_factory: Callable[[Path | None], PoseEstimatorLike] | None = None,
    ) -> None:
        self.source = source
        self.model_path = None if model_path is None else Path(model_path)
        self.process_every_frame = (not source.live) if process_every_frame is None else process_every_frame
        # Every frame analysed (a file): the same video gives the same result at any speed and load.
        self._estimator_factory = estimator_factory or partial(_mediapipe_estimator,
                                                               reproducible=self.process_every_frame)
        self._on_result = on_result
        self._on_finished = on_finished
        self.keep_images = keep_images
        self.mailbox: LatestMailbox[Frame] = LatestMailbox()
        self._stop = threading.Event()
        self._source_error: BaseException | None = None
        self._capture_thread = threading.Thread(target=self._capture_loop, name="gaitcoach-capture", daemon=True)
        self._pose_thread = threading.Thread(target=self._pose_loop, name="gaitcoach-pose", daemon=True)
        self.frames_read = 0
        self.frames_processed = 0
        self.scan_count = 0

    @property
    def dropped_frames(self) -> int:
        return self.mailbox.dropped_count

    def start(self) -> None:
        self._capture_thread.start()
        self._pose_thread.start()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        """Ask both threads to end and wait for them; True if they ended within ``timeout_s``."""
        self._stop.set()
        self.mailbox.close()
        return self.join(timeout_s)

    def join(self, timeout_s: float | None = None) -> bool:
        deadline = None if timeout_s is None else monotonic_ms() + timeout_s * 1000.0
        for thread in (self._capture_thread, self._pose_thread):
            if thread.is_alive():
                remaining = None if deadline is None else max(0.0, (deadline - monotonic_ms()) / 1000.0)
                thread.join(remaining)
        return not (self._capture_thread.is_alive() or self._pose_thread.is_alive())

    @property
    def running(self) -> bool:
        return self._capture_thread.is_alive() or self._pose_thread.is_alive()

    def _capture_loop(self) -> None:
        try:
            for frame in self.source.frames():
                if self._stop.is_set():
                    break
                self.frames_read += 1
                while not self.mailbox.put(frame, wait=self.process_every_frame, timeout_s=0.1):
                    if self._stop.is_set() or self.mailbox.closed:
                        return
        except BaseException as error:  # noqa: BLE001 - reported to the pose thread, then to the caller
            self._source_error = error
        finally:
            self.source.close()
            self.mailbox.close()

    def _pose_loop(self) -> None:
        error: BaseException | None = None
        estimator = None
        try:
            estimator = self._estimator_factory(self.model_path)
            load = _DropShare()
            while not self._stop.is_set():
                try:
                    frame = self.mailbox.take()
                except MailboxClosed:
                    break
                if frame is None:
                    continue
                estimator.busy = load.add(monotonic_ms(), self.frames_processed, self.mailbox.dropped_count)
                self._on_result(self._process(estimator, frame))
                self.frames_processed += 1
            error = self._source_error
        except BaseException as failure:  # noqa: BLE001 - handed to on_finished
            error = failure
            self._stop.set()
            self.mailbox.close()
        finally:
            if estimator is not None:
                self.scan_count = estimator.scan_count
                estimator.close()
            if self._on_finished is not None:
                self._on_finished(error)

    def _process(self, estimator: PoseEstimatorLike, frame: Frame) -> PoseResult:
        height_px, width_px = frame.image_bgr.shape[:2]
        estimate = estimator.process(frame.image_bgr, frame.t_ms)
        image_landmarks = None
        if estimate.landmarks is not None:
            image_landmarks = estimate.landmarks.copy()
            image_landmarks[:, X_PX] *= width_px
            image_landmarks[:, Y_PX] *= height_px
        return PoseResult(
            frame_index=frame.index,
            t_ms=frame.t_ms,
            image_width_px=width_px,
            image_height_px=height_px,
            image_landmarks=image_landmarks,
            world_landmarks=estimate.world_landmarks,
            person_id=estimate.person_id,
            other_people_count=estimate.other_people_count,
            inference_ms=estimate.inference_ms,
            read_monotonic_ms=frame.read_monotonic_ms,
            emitted_monotonic_ms=monotonic_ms(),
            dropped_frames_total=self.mailbox.dropped_count,
            image_bgr=frame.image_bgr if self.keep_images else None,
        )
