"""The analysis package stays pure: no Qt, OpenCV or MediaPipe, so it can be tested and reused alone."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import analysis

FORBIDDEN_PREFIXES = ("PySide6", "cv2", "mediapipe", "pyqtgraph", "shiboken6")


def test_analysis_imports_no_qt_opencv_or_mediapipe():
    package_dir = Path(analysis.__file__).parent
    modules = sorted("analysis." + p.stem for p in package_dir.glob("*.py") if p.stem != "__init__")
    assert modules, "no analysis modules found"
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN_PREFIXES!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"analysis pulled in: {result.stdout.strip()}"


def test_analysis_source_never_names_forbidden_packages():
    package_dir = Path(analysis.__file__).parent
    for path in package_dir.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for prefix in FORBIDDEN_PREFIXES:
            assert f"import {prefix}" not in text and f"from {prefix}" not in text, f"{path} imports {prefix}"


def test_the_analysis_tests_run_without_qt_opencv_or_mediapipe(tmp_path):
    """Issue 11, item 5: ``pytest tests/test_analysis_*.py`` needs numpy (and scipy) only. Here importing any of
    the forbidden packages (and pytest-qt) fails, as where they are not installed."""
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text(
        "import sys\n"
        "class _Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] in {FORBIDDEN_PREFIXES + ('pytestqt',)!r}:\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, _Block())\n")
    root = Path(analysis.__file__).parents[1]
    tests = sorted(str(p) for p in (root / "tests").glob("test_analysis_*.py"))
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{root}"}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:pytest-qt", "-p", "no:cacheprovider",
                             *tests], capture_output=True, text=True, cwd=root, env=env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "blocked" not in result.stdout
