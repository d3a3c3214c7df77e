"""BlazePose landmark topology (33 points), shared by the pose worker, the analysis, export and the UI.

Conventions (the same as MediaPipe Pose Landmarker's output):

* ``left_*`` / ``right_*`` are the *person's* left and right, not the image's.
* Image landmarks are stored in pixels of the analysed frame: ``x_px`` to the right, ``y_px`` down; ``z`` is
  MediaPipe's relative depth (same scale as normalised x, smaller = nearer the camera, hip centre ~ 0).
* World landmarks are metres with the origin at the hip centre and camera-aligned axes: x to the image's right,
  y down, z away from the camera.
"""
from __future__ import annotations

LANDMARK_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner", "left_eye", "left_eye_outer",
    "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear",
    "mouth_left", "mouth_right",
    "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow",
    "left_wrist", "right_wrist",
    "left_pinky", "right_pinky",
    "left_index", "right_index",
    "left_thumb", "right_thumb",
    "left_hip", "right_hip",
    "left_knee", "right_knee",
    "left_ankle", "right_ankle",
    "left_heel", "right_heel",
    "left_foot_index", "right_foot_index",
)
NUM_LANDMARKS = len(LANDMARK_NAMES)  # 33
LANDMARK_INDEX: dict[str, int] = {name: i for i, name in enumerate(LANDMARK_NAMES)}

# Indices used all over the analysis (names as in MediaPipe's PoseLandmark enum).
NOSE = 0
LEFT_EAR, RIGHT_EAR = 7, 8
LEFT_SHOULDER, RIGHT_SHOULDER = 11, 12
LEFT_HIP, RIGHT_HIP = 23, 24
LEFT_KNEE, RIGHT_KNEE = 25, 26
LEFT_ANKLE, RIGHT_ANKLE = 27, 28
LEFT_HEEL, RIGHT_HEEL = 29, 30
LEFT_FOOT_INDEX, RIGHT_FOOT_INDEX = 31, 32  # the toe tip

# Columns of an image-landmark array of shape (33, 5).
IMAGE_COLUMNS: tuple[str, ...] = ("x_px", "y_px", "z", "visibility", "presence")
X_PX, Y_PX, Z, VISIBILITY, PRESENCE = range(5)

# Landmarks that must all be visible for "whole body in view" (face, trunk, legs and feet).
WHOLE_BODY_LANDMARKS: tuple[int, ...] = (
    NOSE, LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP, LEFT_KNEE, RIGHT_KNEE,
    LEFT_ANKLE, RIGHT_ANKLE, LEFT_HEEL, RIGHT_HEEL, LEFT_FOOT_INDEX, RIGHT_FOOT_INDEX,
)

# Skeleton edges for drawing (pairs of indices), limbs and trunk only: the face is drawn as the nose point.
SKELETON_EDGES: tuple[tuple[int, int], ...] = (
    (11, 12), (11, 13), (13, 15), (12, 14), (14, 16),
    (11, 23), (12, 24), (23, 24),
    (23, 25), (25, 27), (27, 29), (29, 31), (27, 31),
    (24, 26), (26, 28), (28, 30), (30, 32), (28, 32),
)
