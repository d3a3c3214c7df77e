"""Frame sources: a camera by index, or a video file played as if live or as fast as possible.

Every source yields :class:`Frame` objects (BGR image, timestamp in ms, frame index) and raises a specific
:class:`SourceError` subclass with a message meant for the user when something is wrong.
"""
from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# Quiet FFmpeg's own console chatter ("moov atom not found"): our exceptions say it better.
os.environ.setdefault("OPENCV_LOG_LEVEL", "FATAL")
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")

import cv2  # noqa: E402
import numpy as np  # noqa: E402

DEFAULT_CAMERA_WIDTH_PX = 1280
DEFAULT_CAMERA_HEIGHT_PX = 720
DEFAULT_CAMERA_FPS = 30.0
CAMERA_READ_GIVE_UP_S = 2.0  # a camera that delivers nothing for this long is treated as gone
FALLBACK_VIDEO_FPS = 30.0  # for files whose header has no usable frame rate
TRUNCATION_TOLERANCE_FRAMES = 3  # container frame counts are often off by a frame or two


class SourceError(Exception):
    """A frame source cannot deliver; the message is written for the user."""


class CameraUnavailableError(SourceError):
    pass


class CameraDisconnectedError(SourceError):
    pass


class VideoNotFoundError(SourceError):
    pass


class NotAVideoError(SourceError):
    pass


class TruncatedVideoError(SourceError):
    pass


@dataclass(frozen=True)
class Frame:
    image_bgr: np.ndarray
    t_ms: float  # capture time: monotonic clock for a camera, the video's own timeline for a file
    index: int  # 0-based index in the source
    read_monotonic_ms: float  # when the frame was read (for latency)


class FrameSource(Protocol):
    """What the pose worker reads: a camera, a video file, or the demo walker."""

    live: bool  # True: frames come at their own pace and stale ones may be dropped
    description: str  # for the status bar, e.g. "camera 0" or the file name
    origin: str  # what a stored session names as its source: "camera 0", the demo, a video's absolute path
    fps: float  # the frame rate the source delivers (what a saved video is written at)
    camera_index: int | None  # the camera's index; None for a video file or the demo walker

    def frames(self) -> Iterator[Frame]: ...

    def close(self) -> None: ...


def monotonic_ms() -> float:
    return time.monotonic() * 1000.0


def wait_until_due(start_s: float, t_ms: float) -> None:
    """Sleep until ``t_ms`` after ``start_s`` (time.monotonic seconds): plays recorded frames as if live."""
    delay_s = start_s + t_ms / 1000.0 - time.monotonic()
    if delay_s > 0:
        time.sleep(delay_s)


@dataclass(frozen=True)
class CameraInfo:
    index: int
    name: str

    def __str__(self) -> str:
        return f"{self.index}: {self.name}"


def list_cameras(max_index: int = 8) -> list[CameraInfo]:
    """Cameras the user can pick from. On Linux from sysfs (instant, no device is opened); elsewhere by probing."""
    sysfs = Path("/sys/class/video4linux")
    if sys.platform.startswith("linux"):
        cameras = []
        for device in sorted(sysfs.glob("video*"), key=lambda p: int(p.name[5:]) if p.name[5:].isdigit() else 1 << 30):
            if not device.name[5:].isdigit():
                continue
            # Each physical camera exposes several nodes; node index 0 is the capture stream.
            node_index = (device / "index").read_text().strip() if (device / "index").exists() else "0"
            if node_index != "0":
                continue
            name = (device / "name").read_text().strip() if (device / "name").exists() else device.name
            cameras.append(CameraInfo(int(device.name[5:]), name))
        return cameras
    cameras = []
    for index in range(max_index):
        capture = cv2.VideoCapture(index)
        try:
            if capture.isOpened():
                cameras.append(CameraInfo(index, f"Camera {index}"))
        finally:
            capture.release()
    return cameras


class CameraSource:
    """A webcam by index. Asks for MJPG (most webcams only reach 30 fps at 720p compressed)."""

    live = True

    def __init__(
        self,
        index: int,
        width_px: int = DEFAULT_CAMERA_WIDTH_PX,
        height_px: int = DEFAULT_CAMERA_HEIGHT_PX,
        fps: float = DEFAULT_CAMERA_FPS,
        *,
        capture: cv2.VideoCapture | None = None,
        give_up_s: float = CAMERA_READ_GIVE_UP_S,
    ) -> None:
        """``capture`` replaces the device (tests play a file through it); ``give_up_s``: see frames()."""
        if index < 0:
            raise ValueError(f"camera index must be >= 0, got {index}")
        self.camera_index = index
        self.description = self.origin = f"camera {index}"
        self.give_up_s = give_up_s
        self._capture = capture if capture is not None else cv2.VideoCapture(index)
        if not self._capture.isOpened():
            self._capture.release()
            raise CameraUnavailableError(
                f"Camera {index} could not be opened: check it is connected and not in use by another app."
            )
        self._capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
        self._capture.set(cv2.CAP_PROP_FRAME_WIDTH, width_px)
        self._capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height_px)
        self._capture.set(cv2.CAP_PROP_FPS, fps)
        reported_fps = self._capture.get(cv2.CAP_PROP_FPS)
        self.fps = reported_fps if reported_fps and math.isfinite(reported_fps) and reported_fps > 0 else fps

    def frames(self) -> Iterator[Frame]:
        index = 0
        last_frame_s = time.monotonic()
        while True:
            ok, image = self._capture.read()
            now_ms = monotonic_ms()
            if not ok or image is None:
                if time.monotonic() - last_frame_s > self.give_up_s:
                    raise CameraDisconnectedError(
                        f"Camera {self.camera_index} stopped sending frames: was it unplugged or taken by another app?"
                    )
                time.sleep(0.01)
                continue
            last_frame_s = time.monotonic()
            yield Frame(image, now_ms, index, now_ms)
            index += 1

    def close(self) -> None:
        self._capture.release()


@dataclass(frozen=True)
class VideoInfo:
    path: Path
    fps: float
    frame_count: int  # from the container header; may be 0 when unknown
    width_px: int
    height_px: int

    @property
    def duration_s(self) -> float:
        return self.frame_count / self.fps if self.frame_count else math.nan


IRREGULAR_INTERVAL_RATIO = 1.5  # a frame interval 1.5x another: the frame rate varies (not timestamp rounding)


class VideoFileSource:
    """A video file, paced at its own frame rate as if live (``paced=True``) or as fast as possible.

    Timestamps follow the video's own timeline: each frame's presentation time from the container (phones record
    at a frame rate that varies; frame index / nominal fps would stretch or squeeze time), or index / fps where
    the container gives none. So analysis results do not depend on how fast the machine decodes.
    ``frame_intervals_ms`` holds the shortest and longest interval seen. Raises VideoNotFoundError,
    NotAVideoError or (after the last good frame) TruncatedVideoError.
    """

    camera_index = None

    def __init__(self, path: str | os.PathLike[str], *, paced: bool = False) -> None:
        self.path = Path(path)
        self.live = paced
        self.description = self.path.name
        self.origin = str(self.path.resolve())
        if not self.path.exists():
            raise VideoNotFoundError(f"Video not found: {self.path}")
        if not self.path.is_file():
            raise NotAVideoError(f"Not a video file (it is a folder): {self.path}")
        try:
            with self.path.open("rb") as handle:
                handle.read(1)
        except OSError as error:
            raise NotAVideoError(f"Cannot read {self.path}: {error.strerror or error}") from None
        self._capture = cv2.VideoCapture(str(self.path))
        first_ok, self._first_image = self._capture.read() if self._capture.isOpened() else (False, None)
        if not first_ok or self._first_image is None:
            self._capture.release()
            raise NotAVideoError(f"Not a readable video: {self.path} (OpenCV/FFmpeg cannot decode it)")
        self._first_t_ms = self._capture.get(cv2.CAP_PROP_POS_MSEC)
        fps = self._capture.get(cv2.CAP_PROP_FPS)
        self.fps = fps if fps and math.isfinite(fps) and 1.0 <= fps <= 1000.0 else FALLBACK_VIDEO_FPS
        self.frame_intervals_ms = (math.inf, 0.0)
        count = self._capture.get(cv2.CAP_PROP_FRAME_COUNT)
        height_px, width_px = self._first_image.shape[:2]
        self.info = VideoInfo(
            self.path, self.fps, int(count) if count and math.isfinite(count) and count > 0 else 0, width_px, height_px
        )

    def frames(self) -> Iterator[Frame]:
        start_s = time.monotonic()
        index = 0
        image = self._first_image
        self._first_image = None
        t0_ms = self._first_t_ms if math.isfinite(self._first_t_ms) else 0.0
        t_ms = t0_ms
        while image is not None:
            if self.live:
                wait_until_due(start_s, t_ms - t0_ms)
            yield Frame(image, t_ms, index, monotonic_ms())
            index += 1
            ok, image = self._capture.read()
            if not ok:
                image = None
            else:
                t_ms = self._next_t_ms(t_ms)
        expected = self.info.frame_count
        if expected and index < expected - TRUNCATION_TOLERANCE_FRAMES:
            raise TruncatedVideoError(
                f"Video ends early at frame {index} of {expected}: {self.path.name} looks truncated or damaged."
            )

    def _next_t_ms(self, previous_ms: float) -> float:
        """The frame just read's time: the container's, if it moves on; else one nominal frame on."""
        t_ms = self._capture.get(cv2.CAP_PROP_POS_MSEC)
        if not (math.isfinite(t_ms) and t_ms > previous_ms):
            t_ms = previous_ms + 1000.0 / self.fps
        shortest, longest = self.frame_intervals_ms
        self.frame_intervals_ms = (min(shortest, t_ms - previous_ms), max(longest, t_ms - previous_ms))
        return t_ms

    @property
    def irregular_timing(self) -> bool:
        """Did the frame rate vary (the longest interval more than ``IRREGULAR_INTERVAL_RATIO`` times the
        shortest)?"""
        shortest, longest = self.frame_intervals_ms
        return math.isfinite(shortest) and longest > IRREGULAR_INTERVAL_RATIO * shortest

    def close(self) -> None:
        self._capture.release()


def open_source(spec: str | int, *, paced: bool = True) -> CameraSource | VideoFileSource:
    """``0``, ``1``, ... opens that camera; anything else is a video file path."""
    if isinstance(spec, int) or (isinstance(spec, str) and spec.strip().isdigit()):
        return CameraSource(int(spec))
    return VideoFileSource(spec, paced=paced)
