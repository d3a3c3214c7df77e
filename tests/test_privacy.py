"""Nothing leaves the machine: MediaPipe's usage logger is kept on loopback; the model download still uses
the user's own proxy (issue 10, item 4)."""
from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile

import pytest

from gaitcoach import models, offline

# strace prints e.g. connect(6, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.53")}, 16)
_INET_CONNECT = re.compile(
    r'connect\(\d+, \{sa_family=AF_INET6?, sin6?_port=htons\((\d+)\),.*?(?:inet_addr\(|inet_pton\(AF_INET6, )"([^"]+)"'
)
_LOOPBACK = ("127.", "::1", "::ffff:127.")


@pytest.mark.faults
@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace to watch the process's connections")
def test_analyze_connects_to_nothing_off_the_machine(assets, tmp_path):
    """MediaPipe's published library posts usage statistics to play.googleapis.com once a minute and when a
    model closes (seen with strace: a DNS look-up each time). Under strace, a whole `gaitcoach analyze` of a
    real clip opens no connection to any address but loopback: no DNS query, no HTTPS."""
    trace = tmp_path / "connect.trace"
    env = {**os.environ, "https_proxy": "", "HTTPS_PROXY": "", "no_proxy": "", "NO_PROXY": ""}
    result = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(trace),
         sys.executable, "-m", "gaitcoach.cli", "analyze", str(assets.video("side_walk_60fps_short.mp4")),
         "--out", str(tmp_path / "out"), "--model", str(assets.model_path)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    text = trace.read_text()
    connections = [(address, int(port)) for port, address in _INET_CONNECT.findall(text)]
    assert len(connections) == len(re.findall(r"connect\(\d+, \{sa_family=AF_INET", text))  # each one read
    leaving = [(address, port) for address, port in connections if not address.startswith(_LOOPBACK)]
    assert leaving == [], f"connections off the machine: {leaving}"
    assert "htons(53)" not in text  # no name look-up, not even to a resolver on this machine


def fake_bundle_bytes(tmp_path) -> bytes:
    path = tmp_path / "bundle.task"
    with zipfile.ZipFile(path, "w") as bundle:
        for name in models.REQUIRED_BUNDLE_MEMBERS:
            bundle.writestr(name, b"tflite" + name.encode())
    return path.read_bytes()


def test_the_model_download_goes_through_the_users_proxy_not_the_one_that_keeps_mediapipe_in(
    tmp_path, monkeypatch
):
    bundle = fake_bundle_bytes(tmp_path)
    asked = []

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server naming
            asked.append(self.path)  # a proxy is asked for the whole URL
            self.send_response(200)
            self.send_header("Content-Length", str(len(bundle)))
            self.end_headers()
            self.wfile.write(bundle)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name in (*offline._PROXY_VARIABLES, *offline._BYPASS_VARIABLES):
        monkeypatch.setenv(name, "")  # remembered, so the test gives the environment back as it was
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setattr(offline, "_user_proxies", None)
    try:
        offline.keep_mediapipe_offline()
        assert os.environ["http_proxy"] == os.environ["HTTPS_PROXY"] == offline.NOWHERE_PROXY
        resolved = models.resolve_model("heavy", url_template="http://models.example/pose_landmarker_{variant}.task")
    finally:
        server.shutdown()
    assert asked == ["http://models.example/pose_landmarker_heavy.task"]
    assert resolved.origin == "download" and resolved.path.read_bytes() == bundle
