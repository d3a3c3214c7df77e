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
