"""Small video files written for a test: a given frame timeline (PyAV writes each frame's own presentation time,
so the frame rate can vary, as a phone records it)."""
from __future__ import annotations

import fractions
from pathlib import Path

import numpy as np


def write_video(path: Path, times_ms, size=(320, 240)) -> Path:
    """An H.264 MP4 with one grey frame (shade changing) at each of ``times_ms`` (whole milliseconds)."""
    import av

    width, height = size
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = fractions.Fraction(1, 1000)
        for i, t_ms in enumerate(times_ms):
            frame = av.VideoFrame.from_ndarray(np.full((height, width, 3), (40 + 7 * i) % 256, np.uint8),
                                               format="rgb24")
            frame.pts, frame.time_base = int(round(t_ms)), fractions.Fraction(1, 1000)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path
