"""The live video with the tracked skeleton drawn over it."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from analysis.landmarks import SKELETON_EDGES, VISIBILITY, X_PX, Y_PX

MIN_VISIBILITY_TO_DRAW = 0.5
SKELETON_COLOUR = QColor(255, 255, 255)
JOINT_COLOUR = QColor(0, 114, 178)  # Okabe-Ito blue: safe for colour-blind viewers


class VideoView(QWidget):
    """Paints the newest frame scaled to fit, mirrored on request (display only), with the skeleton on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self._image: QImage | None = None
        self._landmarks: np.ndarray | None = None
        self.mirrored = False
        self.placeholder_text = ""

    def show_frame(self, image_bgr: np.ndarray | None, landmarks_px: np.ndarray | None) -> None:
        if image_bgr is not None:
            height, width = image_bgr.shape[:2]
            # The QImage wraps the numpy buffer without a copy; keep the array alive alongside it.
            self._buffer = np.ascontiguousarray(image_bgr)
            self._image = QImage(self._buffer.data, width, height, 3 * width, QImage.Format.Format_BGR888)
        self._landmarks = landmarks_px
        self.update()

    def clear(self, placeholder_text: str = "") -> None:
        self._image = None
        self._landmarks = None
        self.placeholder_text = placeholder_text
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(20, 20, 20))
        if self._image is None:
            painter.setPen(QColor(230, 230, 230))
            font = QFont(self.font())
            font.setPointSizeF(max(14.0, self.height() / 22))
            painter.setFont(font)
            painter.drawText(self.rect().adjusted(20, 20, -20, -20), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.placeholder_text)
            return
        image_w, image_h = self._image.width(), self._image.height()
        scale = min(self.width() / image_w, self.height() / image_h)
        target = QRectF((self.width() - image_w * scale) / 2, (self.height() - image_h * scale) / 2,
                        image_w * scale, image_h * scale)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.save()
        if self.mirrored:
            painter.translate(target.center().x() * 2, 0)
            painter.scale(-1, 1)
        painter.drawImage(target, self._image)
        if self._landmarks is not None:
            self._draw_skeleton(painter, target, scale)
        painter.restore()

    def _draw_skeleton(self, painter: QPainter, target: QRectF, scale: float) -> None:
        landmarks = self._landmarks
        points = [QPointF(target.x() + x * scale, target.y() + y * scale) for x, y in landmarks[:, [X_PX, Y_PX]]]
        seen = landmarks[:, VISIBILITY] >= MIN_VISIBILITY_TO_DRAW
        line_width = max(3.0, target.height() / 120)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(SKELETON_COLOUR, line_width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        for start, end in SKELETON_EDGES:
            if seen[start] and seen[end]:
                painter.drawLine(points[start], points[end])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(JOINT_COLOUR)
        radius = line_width * 1.2
        for index in {i for edge in SKELETON_EDGES for i in edge}:
            if seen[index]:
                painter.drawEllipse(points[index], radius, radius)
