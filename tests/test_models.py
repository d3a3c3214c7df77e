"""Model provisioning: resolution order, validation, download (from a real local HTTP server), clear errors."""
from __future__ import annotations

import os
import http.server
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from gaitcoach import models
from gaitcoach.models import ModelError, model_cache_dir, model_filename, resolve_model


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(models.MODEL_ENV_VAR, raising=False)
    return tmp_path / "cache"


def fake_bundle(path: Path, members=models.REQUIRED_BUNDLE_MEMBERS) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        for name in members:
            bundle.writestr(name, b"tflite" + name.encode())
    return path


@pytest.fixture
def model_server(tmp_path):
    """A real HTTP server on loopback serving pose_landmarker_<variant>.task files from a folder."""
    served = tmp_path / "served"
    served.mkdir()
    handler_class = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a, **k: handler_class(*a, directory=str(served), **k)
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_port}/pose_landmarker_{{variant}}.task"
    server.shutdown()


def test_cache_dir_follows_the_platform_cache_location(cache_home):
    assert model_cache_dir() == cache_home / "gaitcoach" / "models"


def test_argument_path_wins_over_environment_and_cache(cache_home, tmp_path, monkeypatch, assets):
    monkeypatch.setenv(models.MODEL_ENV_VAR, str(fake_bundle(tmp_path / "env.task")))
    cached = model_cache_dir() / model_filename("full")
    cached.parent.mkdir(parents=True)
    fake_bundle(cached)
    resolved = resolve_model(str(assets.model_path), allow_download=False)
    assert resolved.path == assets.model_path.resolve() and resolved.origin == "argument"


def test_environment_wins_over_cache(cache_home, tmp_path, monkeypatch):
    env_model = fake_bundle(tmp_path / "env.task")
    monkeypatch.setenv(models.MODEL_ENV_VAR, str(env_model))
    cached = model_cache_dir() / model_filename("full")
    cached.parent.mkdir(parents=True)
    fake_bundle(cached)
    resolved = resolve_model(None, allow_download=False)
    assert resolved.path == env_model.resolve() and resolved.origin == "environment"


def test_environment_may_name_a_variant(cache_home, monkeypatch):
    monkeypatch.setenv(models.MODEL_ENV_VAR, "lite")
    cached = model_cache_dir() / model_filename("lite")
    cached.parent.mkdir(parents=True)
    fake_bundle(cached)
    resolved = resolve_model(None, allow_download=False)
    assert resolved.path == cached and resolved.variant == "lite" and resolved.origin == "cache"


def test_cache_is_used_before_download(cache_home):
    cached = model_cache_dir() / model_filename("full")
    cached.parent.mkdir(parents=True)
    fake_bundle(cached)
    resolved = resolve_model(None, url_template="http://127.0.0.1:9/never/{variant}")
    assert resolved.origin == "cache" and resolved.variant == "full"


def test_download_streams_with_progress_and_lands_atomically(cache_home, model_server):
    served, url = model_server
    fake_bundle(served / "pose_landmarker_heavy.task")
    seen = []
    resolved = resolve_model("heavy", url_template=url, progress=lambda done, total: seen.append((done, total)))
    assert resolved.origin == "download" and resolved.path == model_cache_dir() / "pose_landmarker_heavy.task"
    assert resolved.path.read_bytes() == (served / "pose_landmarker_heavy.task").read_bytes()
    assert seen and seen[-1][0] == seen[-1][1] == resolved.path.stat().st_size
    assert list(resolved.path.parent.iterdir()) == [resolved.path]  # no temp file left behind


@pytest.mark.faults
def test_a_download_removes_the_part_a_killed_download_left(cache_home, model_server):
    """Issue 10, item 7: a run killed mid-download left up to ~50 MB as ".part"; the next download removes it."""
    served, url = model_server
    fake_bundle(served / "pose_landmarker_heavy.task")
    model_cache_dir().mkdir(parents=True, exist_ok=True)
    stale = model_cache_dir() / "pose_landmarker_heavy.taskx1y2z3.part"
    stale.write_bytes(b"half a model")
    os.utime(stale, (1.0, 1.0))
    resolved = resolve_model("heavy", url_template=url)
    assert list(resolved.path.parent.iterdir()) == [resolved.path]


@pytest.mark.faults
def test_a_redirect_away_from_https_is_refused(cache_home, tmp_path):
    """Issue 10, item 4: the download follows redirects to HTTPS only (here a loopback server sends it to plain
    HTTP elsewhere): a clear error, nothing fetched from there, nothing saved."""
    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server naming
            self.send_response(302)
            self.send_header("Location", "http://example.invalid/pose_landmarker_heavy.task")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(ModelError, match="refused a redirect away from HTTPS"):
            resolve_model("heavy", url_template=f"http://127.0.0.1:{server.server_port}/{{variant}}.task")
    finally:
        server.shutdown()
    assert not model_cache_dir().exists() or not any(model_cache_dir().iterdir())


@pytest.mark.faults
def test_download_of_something_that_is_not_a_model_leaves_nothing(cache_home, model_server):
    served, url = model_server
    (served / "pose_landmarker_full.task").write_text("<html>captive portal</html>")
    with pytest.raises(ModelError, match="unusable"):
        resolve_model(None, url_template=url)
    assert not any(model_cache_dir().iterdir())


@pytest.mark.faults
def test_no_network_gives_one_clear_message(cache_home):
    with pytest.raises(ModelError) as error:
        resolve_model(None, url_template="http://127.0.0.1:9/pose_landmarker_{variant}.task")
    message = str(error.value)
    assert "Download http://127.0.0.1:9/pose_landmarker_full.task" in message
    assert str(model_cache_dir() / "pose_landmarker_full.task") in message
    assert "--model" in message and "GAITCOACH_MODEL" in message


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda p: p, "not found"),
        (lambda p: (p.mkdir(), p)[1], "not a file"),
        (lambda p: (p.write_text("hello"), p)[1], "not a MediaPipe pose model"),
        (lambda p: fake_bundle(p, ["pose_detector.tflite"]), "lacks pose_landmarks_detector.tflite"),
    ],
)
@pytest.mark.faults
def test_bad_model_paths_are_explained(cache_home, tmp_path, make, expected):
    path = make(tmp_path / "model.task")
    with pytest.raises(ModelError, match=expected):
        resolve_model(str(path))


def test_shared_offline_model_is_a_valid_bundle(assets, tmp_path):
    copy = shutil.copy(assets.model_path, tmp_path / "m.task")
    models.check_model_file(Path(copy))
