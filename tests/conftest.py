"""Shared fixtures. Test assets (real walking videos, the offline pose model) live outside the repository."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
ASSET_FILES = ("testdata/side_walk_two_people.mp4", "models/pose_landmarker_full.task")


@dataclass(frozen=True)
class TestAssets:
    root: Path

    @property
    def model_path(self) -> Path:
        return self.root / "models" / "pose_landmarker_full.task"

    def video(self, name: str) -> Path:
        path = self.root / "testdata" / name
        if not path.is_file():
            _missing(f"test video {path}")
        return path


def _missing(what: str) -> None:
    message = (
        f"missing {what}: set GAITCOACH_TEST_ASSETS to the folder holding testdata/ and models/ "
        f"(the shared folder), or place it at {PROJECT_DIR.parent / 'shared'}"
    )
    if os.environ.get("GAITCOACH_REQUIRE_TEST_ASSETS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _find_assets_root() -> Path:
    configured = os.environ.get("GAITCOACH_TEST_ASSETS")
    candidates = [Path(configured)] if configured else [PROJECT_DIR.parent / "shared"]
    for root in candidates:
        # Accept the shared folder itself or its testdata/ folder.
        for candidate in (root, root.parent):
            if all((candidate / name).is_file() for name in ASSET_FILES):
                return candidate
    _missing(" and ".join(ASSET_FILES) + f" under {candidates[0]}")
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def assets() -> TestAssets:
    """The one way tests find real videos and the offline model."""
    return TestAssets(_find_assets_root())


def _mount_tmpfs(target: Path, options: str) -> bool:
    import subprocess

    target.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True)
    return result.returncode == 0


def _unmount(target: Path) -> None:
    import subprocess

    subprocess.run(["umount", str(target)], capture_output=True)


@pytest.fixture
def read_only_dir(tmp_path):
    """A folder nobody may write to: chmod for normal users; as root (who ignores modes) a read-only tmpfs."""
    folder = tmp_path / "read_only"
    if os.geteuid() != 0:
        folder.mkdir()
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    if not _mount_tmpfs(folder, "ro,size=64k"):
        pytest.skip("running as root without permission to mount a read-only tmpfs")
    yield folder
    _unmount(folder)


@pytest.fixture
def full_disk_dir(tmp_path):
    """A real, nearly full file system (a 16 KiB tmpfs). Needs root to mount; skipped otherwise."""
    folder = tmp_path / "tiny_disk"
    if os.geteuid() != 0 or not _mount_tmpfs(folder, "size=16k"):
        pytest.skip("mounting a tiny tmpfs needs root; the disk-full path is also tested with a simulated OSError")
    yield folder
    _unmount(folder)


@pytest.fixture(scope="session", autouse=True)
def _throwaway_qt_settings(tmp_path_factory):
    """QSettings written by any test go to a throwaway folder, never the user's own settings. Without Qt
    installed there are none (the pure analysis tests run with numpy and scipy alone)."""
    try:
        from PySide6.QtCore import QSettings
    except ImportError:
        return

    folder = str(tmp_path_factory.mktemp("qsettings"))
    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, folder)


@pytest.fixture(scope="session", autouse=True)
def _throwaway_data_dir(tmp_path_factory):
    """Sessions stored by any test (and the programs tests start) go to a throwaway folder, never the user's own
    data: GAITCOACH_DATA_DIR points there. Tests that need their own folder set it themselves."""
    previous = os.environ.get("GAITCOACH_DATA_DIR")
    os.environ["GAITCOACH_DATA_DIR"] = str(tmp_path_factory.mktemp("gaitcoach-data"))
    yield
    if previous is None:
        os.environ.pop("GAITCOACH_DATA_DIR", None)
    else:
        os.environ["GAITCOACH_DATA_DIR"] = previous
