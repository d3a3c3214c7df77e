"""The landmark codec: a frame's landmarks as float16 values, many frames' values as one compressed chunk.

Landmarks (33 image landmarks: x/width, y/height, z, visibility, presence; 33 world landmarks in m) are kept as
float16, one compressed chunk per commit (``landmark_chunks``: about 250-350 bytes a frame instead of 528). float16
keeps about 3 significant digits: a relative error of at most 2^-11, i.e. at most 0.5 px for a point inside a
1920-px-wide picture. Every other value is stored exactly, so a session exported to CSV equals what
``gaitcoach analyze`` wrote, except the landmark cells, which agree within that rounding.
"""
from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Sequence

import numpy as np

from analysis.landmarks import NUM_LANDMARKS, X_PX, Y_PX

# Landmark blob: little-endian float16, 33 x 5 image values then 33 x 3 world values.
LANDMARK_DTYPE = np.dtype("<f2")
_IMAGE_VALUES = NUM_LANDMARKS * 5
LANDMARK_VALUES = _IMAGE_VALUES + NUM_LANDMARKS * 3  # 264 float16 values (528 bytes) per frame before compression
CHUNK_FORMAT = 1  # first byte of a landmark chunk: 1 = float16, value-major, byte planes, zlib
CHUNK_ZLIB_LEVEL = 6
_ZLIB_HEADER_BYTE = 0x78  # the first byte of every zlib stream written with the default window (RFC 1950)
LANDMARK_RELATIVE_ERROR = 2.0 ** -11  # float16 rounding: |stored - value| <= this * |value| (normal range)


def landmark_values(image_landmarks: np.ndarray | None, world_landmarks: np.ndarray | None,
                    image_width_px: int, image_height_px: int) -> np.ndarray:
    """One frame's landmarks as the ``LANDMARK_VALUES`` float16 values stored for it (all NaN: no pose).

    Image landmarks ``(33, 5)`` in px with x and y divided by the image size (so float16 keeps sub-pixel precision),
    then world landmarks ``(33, 3)`` in m (NaN when missing).
    """
    if image_landmarks is None:
        return np.full(LANDMARK_VALUES, np.nan, dtype=LANDMARK_DTYPE)
    image = np.array(image_landmarks, dtype=float)
    image[:, X_PX] /= image_width_px
    image[:, Y_PX] /= image_height_px
    world = (np.full((NUM_LANDMARKS, 3), np.nan) if world_landmarks is None
             else np.asarray(world_landmarks, dtype=float))
    return np.concatenate([image.ravel(), world.ravel()]).astype(LANDMARK_DTYPE)


def landmarks_from_values(values: np.ndarray, image_width_px: int, image_height_px: int
                          ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The inverse of :func:`landmark_values`: image landmarks in px ``(33, 5)`` and world landmarks ``(33, 3)``."""
    values = values.astype(float)
    if np.isnan(values[:_IMAGE_VALUES]).all():
        return None, None
    image = values[:_IMAGE_VALUES].reshape(NUM_LANDMARKS, 5)
    image[:, X_PX] *= image_width_px
    image[:, Y_PX] *= image_height_px
    world = values[_IMAGE_VALUES:].reshape(NUM_LANDMARKS, 3)
    return image, (None if np.isnan(world).all() else world)


def encode_landmark_chunk(frames: Sequence[np.ndarray]) -> bytes:
    """Several frames' landmark values -> one compressed chunk (lossless for the float16 values).

    Each value's run over the frames is laid out together, high bytes before low bytes, so that what changes
    little from frame to frame (signs, exponents) compresses to almost nothing; then zlib. A leading format byte
    (``CHUNK_FORMAT``) lets another codec come later without a schema change.
    """
    table = np.asarray(frames, dtype=LANDMARK_DTYPE).reshape(len(frames), LANDMARK_VALUES)
    by_value = np.ascontiguousarray(table.T).view(np.uint8).reshape(LANDMARK_VALUES, len(frames), 2)
    planes = np.concatenate([by_value[..., 1].ravel(), by_value[..., 0].ravel()])
    return bytes([CHUNK_FORMAT]) + zlib.compress(planes.tobytes(), CHUNK_ZLIB_LEVEL)


def decode_landmark_chunk(data: bytes, frame_count: int) -> np.ndarray:
    """The inverse of :func:`encode_landmark_chunk`: ``(frame_count, LANDMARK_VALUES)`` float16 values."""
    if not data or data[0] != CHUNK_FORMAT:
        raise sqlite3.DatabaseError(f"landmark chunk format {data[:1].hex() or 'empty'} unknown (corrupt)")
    try:
        planes = np.frombuffer(zlib.decompress(data[1:]), dtype=np.uint8)
    except zlib.error as error:
        raise sqlite3.DatabaseError(f"landmark chunk cannot be decompressed: {error} (corrupt)") from None
    size = LANDMARK_VALUES * frame_count
    if planes.size != 2 * size:
        raise sqlite3.DatabaseError("landmark chunk has the wrong size (corrupt)")
    by_value = np.empty((LANDMARK_VALUES, frame_count, 2), dtype=np.uint8)
    by_value[..., 1] = planes[:size].reshape(LANDMARK_VALUES, frame_count)
    by_value[..., 0] = planes[size:].reshape(LANDMARK_VALUES, frame_count)
    return by_value.view("<f2")[..., 0].T
