"""The main window: live video with skeleton and a status bar (coaching, tiles and charts come next)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.video_view import VideoView

EMPTY_STATE_TEXT = "No camera found.\nOpen a video of someone walking to try GaitCoach."


class MainWindow(QMainWindow):
    """Shows what the pose pipeline produces. It asks for sources through signals; it never opens them itself."""

    open_video_requested = Signal(str)
    camera_requested = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("GaitCoach")
        self.resize(1280, 800)
        self.video_view = VideoView()
        self.camera_picker = QComboBox()
        self.camera_picker.setMinimumWidth(220)
        self.camera_picker.activated.connect(self._camera_chosen)
        open_button = QPushButton("Open video…")
        open_button.clicked.connect(self._choose_video)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Camera:"))
        controls.addWidget(self.camera_picker)
        controls.addWidget(open_button)
        controls.addStretch(1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(controls)
        layout.addWidget(self.video_view, 1)
        self.setCentralWidget(central)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label, 1)
        self.setAcceptDrops(True)

    def set_cameras(self, cameras: list) -> None:
        self.camera_picker.clear()
        for camera in cameras:
            self.camera_picker.addItem(str(camera), camera.index)
        if not cameras:
            self.camera_picker.addItem("No camera found", -1)
            self.video_view.clear(EMPTY_STATE_TEXT)

    def show_result(self, result, status: str) -> None:
        self.video_view.show_frame(result.image_bgr, result.image_landmarks)
        self.status_label.setText(status)

    def show_message(self, text: str) -> None:
        self.video_view.clear(text)
        self.status_label.setText(text.splitlines()[0])

    def _choose_video(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a walking video", "", "Videos (*.mp4 *.mov *.avi *.mkv *.webm);;All files (*)")
        if path:
            self.open_video_requested.emit(path)

    def _camera_chosen(self, row: int) -> None:
        index = self.camera_picker.itemData(row)
        if index is not None and index >= 0:
            self.camera_requested.emit(int(index))

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt naming
        urls = [url for url in event.mimeData().urls() if url.isLocalFile()]
        if urls:
            self.open_video_requested.emit(urls[0].toLocalFile())
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
