"""The live video with the tracked skeleton drawn over it, and each knee marked by its alignment state."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from analysis.coaching import STATE_FAULT, STATE_OK, STATE_UNKNOWN, STATE_WATCH
from analysis.landmarks import (
    LEFT_HIP, LEFT_KNEE, LEFT_SHOULDER, NOSE, RIGHT_HIP, RIGHT_KNEE, RIGHT_SHOULDER, SKELETON_EDGES, VISIBILITY,
    X_PX, Y_PX,
)
from analysis.types import LEFT, RIGHT
from ui.palette import BACKGROUND, BLUE, FOOT_COLOUR, FOOT_LETTER, STATE_STYLES, VERMILLION, WHITE, YELLOW

MIN_VISIBILITY_TO_DRAW = 0.5
SKELETON_COLOUR = QColor(255, 255, 255, 230)
JOINT_COLOUR = BLUE
KNEE_WORDS = {STATE_OK: "OK", STATE_FAULT: "IN", STATE_WATCH: "WATCH", STATE_UNKNOWN: ""}  # knee in = valgus
_KNEES = ((LEFT, LEFT_KNEE), (RIGHT, RIGHT_KNEE))
# Bytes per pixel -> format (4-byte BGRx is QImage's RGB32 in a little-endian machine's memory).
_FORMATS = {3: QImage.Format.Format_BGR888, 4: QImage.Format.Format_RGB32}
_JOINTS = sorted({i for edge in SKELETON_EDGES for i in edge} - {LEFT_KNEE, RIGHT_KNEE})


def knee_label_sides(knees_x: Mapping[str, float], hips_x: float) -> dict[str, float]:
    """On which side of its knee each label goes (-1: left, +1: right), so that the two never cover each other:
    outward of the pair (the knee further left on screen gets its label on the left), or, for a lone knee,
    away from the middle of the hips."""
    if len(knees_x) == 2:
        left_most = min(knees_x, key=lambda foot: (knees_x[foot], foot != LEFT))
        return {foot: -1.0 if foot == left_most else 1.0 for foot in knees_x}
    return {foot: -1.0 if x < hips_x else 1.0 for foot, x in knees_x.items()}


class VideoView(QWidget):
    """Paints the newest frame scaled to fit, mirrored on request (display only), with the skeleton on top.

    Landmarks stay in the image's own pixels and the person's own left/right; mirroring flips only where things
    are drawn, so the knee labels still name the person's left and right, and text is never mirrored.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._image: QImage | None = None
        self._buffer: np.ndarray | None = None
        self._landmarks: np.ndarray | None = None
        self._knee_states: Mapping[str, str] = {}
        self.mirrored = False
        self.placeholder_text = ""
        self.badge_text = ""  # e.g. "DEMO"; drawn top left, never mirrored
        self.session_text = ""  # e.g. "● SESSION 1:23"; drawn top right while a session runs
        self._label_fonts: dict[int, tuple[QFont, QFontMetricsF]] = {}
        self.min_label_px = 0  # coach mode: the knee labels and badges at a reading size (ui.reading)
        self.guides: list = []  # analysis.checkup.Guide lines drawn over the picture (a check-up's snapshot)

    @property
    def has_frame(self) -> bool:
        return self._image is not None

    @property
    def landmarks(self) -> np.ndarray | None:
        return self._landmarks

    @property
    def knee_states(self) -> Mapping[str, str]:
        """Foot -> coaching state of the knee markers now shown (empty: plain markers)."""
        return self._knee_states

    def show_frame(self, image: np.ndarray | None, landmarks_px: np.ndarray | None, *, mirrored: bool = False,
                   knee_states: Mapping[str, str] | None = None) -> None:
        """Show a frame with its landmarks; ``knee_states``: foot -> coaching state.

        ``image``: BGRx (4 bytes a pixel, fastest to paint) or BGR; wrapped, never copied.
        """
        if image is not None and image is not self._buffer:
            height, width, channels = image.shape
            # The QImage wraps the numpy buffer without a copy; keep the array alive alongside it.
            self._buffer = np.ascontiguousarray(image)
            image_format = _FORMATS[channels]
            self._image = QImage(self._buffer.data, width, height, channels * width, image_format)
        self._landmarks = landmarks_px
        self.mirrored = mirrored
        self._knee_states = knee_states or {}
        self.update()

    def clear(self, placeholder_text: str = "") -> None:
        self._image = None
        self._buffer = None
        self._landmarks = None
        self.placeholder_text = placeholder_text
        self.update()

    # --- painting ------------------------------------------------------------------------------------------
    def image_rect(self) -> QRectF:
        """Where the image is drawn (scaled to fit, centred)."""
        image_w, image_h = self._image.width(), self._image.height()
        scale = min(self.width() / image_w, self.height() / image_h)
        return QRectF((self.width() - image_w * scale) / 2, (self.height() - image_h * scale) / 2,
                      image_w * scale, image_h * scale)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        if self._image is None:
            painter.setPen(QColor(230, 230, 230))
            font = QFont(self.font())
            font.setPixelSize(int(max(18.0, self.height() / 16)))
            painter.setFont(font)
            painter.drawText(self.rect().adjusted(20, 20, -20, -20),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder_text)
            return
        target = self.image_rect()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if self.mirrored:
            painter.save()
            painter.translate(target.center().x() * 2, 0)
            painter.scale(-1, 1)
            painter.drawImage(target, self._image)
            painter.restore()
        else:
            painter.drawImage(target, self._image)
        if self._landmarks is not None:
            self._draw_skeleton(painter, target)
        if self.guides:
            self._draw_guides(painter, target)
        badge_px = max(16.0, target.height() / 24, self.min_label_px)
        if self.badge_text:
            self._draw_label(painter, QPointF(target.x() + 12, target.y() + 12), self.badge_text, WHITE, badge_px,
                             Qt.AlignmentFlag.AlignLeft)
        if self.session_text:
            self._draw_label(painter, QPointF(target.right() - 12, target.y() + 12), self.session_text, VERMILLION,
                             badge_px, Qt.AlignmentFlag.AlignRight)

    def _display_points(self, target: QRectF) -> np.ndarray:
        """Landmarks in widget pixels, ``(33, 2)``, flipped left-right when mirrored."""
        return self._to_widget(self._landmarks[:, [X_PX, Y_PX]], target)

    def _to_widget(self, xy_px: np.ndarray, target: QRectF) -> np.ndarray:
        """Image points ``(n, 2)`` in widget pixels (the image drawn in ``target``), flipped when mirrored."""
        xy = np.array(xy_px, dtype=float) * (target.width() / self._image.width())
        if self.mirrored:
            xy[:, 0] = target.width() - xy[:, 0]
        xy[:, 0] += target.x()
        xy[:, 1] += target.y()
        return xy

    def _draw_skeleton(self, painter: QPainter, target: QRectF) -> None:
        landmarks = self._landmarks
        xy = self._display_points(target)
        points = [QPointF(x, y) for x, y in xy]
        seen = landmarks[:, VISIBILITY] >= MIN_VISIBILITY_TO_DRAW
        line_width = max(3.0, target.height() / 110)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Flat caps: antialiased round caps cost ~8x more to draw; the joint dots cover the line ends anyway.
        painter.setPen(QPen(SKELETON_COLOUR, line_width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        painter.drawLines([QLineF(points[a], points[b]) for a, b in SKELETON_EDGES if seen[a] and seen[b]])
        self._draw_head(painter, xy, seen, line_width)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(JOINT_COLOUR)
        radius = line_width * 1.1
        for index in _JOINTS:  # the knees get their own markers
            if seen[index]:
                painter.drawEllipse(points[index], radius, radius)
        knees_x = {foot: float(xy[index, 0]) for foot, index in _KNEES if seen[index]}
        sides = knee_label_sides(knees_x, float(np.mean(xy[[LEFT_HIP, RIGHT_HIP], 0])))
        for foot, index in _KNEES:
            if foot in sides:
                self._draw_knee(painter, points[index], foot, self._knee_states.get(foot, STATE_UNKNOWN),
                                line_width, sides[foot])

    def _draw_guides(self, painter: QPainter, target: QRectF) -> None:
        """The check-up's lines: limbs in their side's colour, body lines white, reference lines dashed yellow."""
        width = max(3.0, target.height() / 90)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for guide in self.guides:
            colour = FOOT_COLOUR.get(guide.role, WHITE) if guide.role != "reference" else YELLOW
            style = Qt.PenStyle.DashLine if guide.role == "reference" else Qt.PenStyle.SolidLine
            painter.setPen(QPen(colour, width * (0.7 if guide.role == "reference" else 1.0), style,
                                Qt.PenCapStyle.RoundCap))
            (x0, y0), (x1, y1) = self._to_widget([guide.start, guide.end], target)
            painter.drawLine(QPointF(x0, y0), QPointF(x1, y1))

    def _draw_head(self, painter: QPainter, xy: np.ndarray, seen: np.ndarray, line_width: float) -> None:
        """A circle around the nose, sized from the trunk (so the stick figure has a head)."""
        if not (seen[NOSE] and seen[LEFT_SHOULDER] and seen[RIGHT_SHOULDER]):
            return
        shoulders = xy[[LEFT_SHOULDER, RIGHT_SHOULDER]].mean(axis=0)
        radius = 0.45 * float(np.hypot(*(xy[NOSE] - shoulders)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(*xy[NOSE]), radius, radius)

    def _draw_knee(self, painter: QPainter, at: QPointF, foot: str, state: str, line_width: float,
                   outward: float) -> None:
        """Circle (OK or unknown) or triangle (knee in), in the state's colour, with "L IN" / "R OK" beside it."""
        style = STATE_STYLES[state]
        size = line_width * 2.4
        painter.setPen(QPen(QColor(0, 0, 0), max(2.0, line_width / 2)))
        painter.setBrush(style.colour)
        if state == STATE_FAULT:
            path = QPainterPath(QPointF(at.x(), at.y() - size * 1.2))
            path.lineTo(at.x() + size * 1.1, at.y() + size * 0.8)
            path.lineTo(at.x() - size * 1.1, at.y() + size * 0.8)
            path.closeSubpath()
            painter.drawPath(path)
        else:
            painter.drawEllipse(at, size, size)
        text = f"{FOOT_LETTER[foot]} {KNEE_WORDS[state]}".strip()
        anchor = QPointF(at.x() + outward * size * 1.6, at.y() - size)
        align = Qt.AlignmentFlag.AlignLeft if outward > 0 else Qt.AlignmentFlag.AlignRight
        self._draw_label(painter, anchor, text, style.colour if state != STATE_UNKNOWN else WHITE,
                         max(16.0, line_width * 5.5, self.min_label_px), align)

    def _label_font(self, size_px: int) -> tuple[QFont, QFontMetricsF]:
        cached = self._label_fonts.get(size_px)
        if cached is None:
            font = QFont(self.font())
            font.setPixelSize(size_px)
            font.setBold(True)
            cached = self._label_fonts[size_px] = (font, QFontMetricsF(font))
        return cached

    def _draw_label(self, painter: QPainter, anchor: QPointF, text: str, colour: QColor, size_px: float,
                    align: Qt.AlignmentFlag) -> None:
        """Bold text on a dark rounded box; ``anchor`` is its top-left (AlignLeft) or top-right corner."""
        font, metrics = self._label_font(int(size_px))
        pad = size_px * 0.25
        width, height = metrics.horizontalAdvance(text) + 2 * pad, metrics.height() + pad
        left = anchor.x() if align == Qt.AlignmentFlag.AlignLeft else anchor.x() - width
        box = QRectF(left, anchor.y(), width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 170))
        painter.drawRoundedRect(box, pad, pad)
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
