"""Pose model provisioning: find, or download once, the MediaPipe Pose Landmarker model bundle.

Resolution order (first match wins):

1. ``--model PATH|VARIANT`` on the command line (or the model picker in the app);
2. the environment variable ``GAITCOACH_MODEL`` (a path or a variant name);
3. ``pose_landmarker_<variant>.task`` in the user cache directory (variant ``full`` unless one was named);
4. a download of Google's official bundle into that cache directory (streamed, with progress, written to a
   temporary file, checked, then renamed into place so a half-written model is never used).
"""
from __future__ import annotations

import os
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gaitcoach.export import remove_stale_parts
from gaitcoach.offline import user_proxies

VARIANTS = ("lite", "full", "heavy")
DEFAULT_VARIANT = "full"
MODEL_ENV_VAR = "GAITCOACH_MODEL"
# Google's official Pose Landmarker bundles (float16, the versions MediaPipe's documentation links to).
MODEL_URL_TEMPLATE = (
    "https://storage.googleapis.com/mediapipe-models/pose_landmarker/"
    "pose_landmarker_{variant}/float16/latest/pose_landmarker_{variant}.task"
)
# A .task bundle is a zip holding these two TFLite networks.
REQUIRED_BUNDLE_MEMBERS = ("pose_detector.tflite", "pose_landmarks_detector.tflite")
DOWNLOAD_TIMEOUT_S = 30.0

ProgressCallback = Callable[[int, int | None], None]  # (bytes_done, bytes_total or None if unknown)


class ModelError(Exception):
    """The pose model cannot be had; the message says what to do."""


class ModelUnavailable(ModelError):
    """No pose model on this machine and none could be downloaded: the window offers a file or the link."""

    def __init__(self, variant: str, url: str, destination: Path, reason: str) -> None:
        self.variant, self.url, self.destination, self.reason = variant, url, destination, reason
        super().__init__(
            f"No pose model available: {reason}. Download {url} and save it as {destination}, "
            f"or pass --model PATH, or set {MODEL_ENV_VAR}=PATH."
        )


@dataclass(frozen=True)
class ResolvedModel:
    path: Path
    variant: str | None  # None for a model given by path
    origin: str  # "argument", "environment", "cache" or "download"

    @property
    def label(self) -> str:
        return self.variant if self.variant else self.path.name


def model_cache_dir() -> Path:
    """Per-user cache folder for downloaded models (e.g. ``~/.cache/gaitcoach/models`` on Linux)."""
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericCacheLocation)
    if not base:  # no usable home directory: fall back to the system temp folder
        base = tempfile.gettempdir()
    return Path(base) / "gaitcoach" / "models"


def model_filename(variant: str) -> str:
    return f"pose_landmarker_{variant}.task"


def check_model_file(path: Path) -> None:
    """Raise ModelError unless ``path`` is a readable Pose Landmarker bundle."""
    if not path.exists():
        raise ModelError(f"pose model not found: {path}")
    if not path.is_file():
        raise ModelError(f"pose model is not a file: {path}")
    try:
        with zipfile.ZipFile(path) as bundle:
            names = set(bundle.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        raise ModelError(f"{path} is not a MediaPipe pose model bundle (.task): {error}") from None
    missing = [name for name in REQUIRED_BUNDLE_MEMBERS if name not in names]
    if missing:
        raise ModelError(f"{path} is not a Pose Landmarker bundle: it lacks {', '.join(missing)}")


def resolve_model(
    requested: str | None = None,
    *,
    allow_download: bool = True,
    progress: ProgressCallback | None = None,
    url_template: str = MODEL_URL_TEMPLATE,
) -> ResolvedModel:
    """Find the model to use, downloading it into the cache if needed (see module docstring for the order)."""
    origin = "argument"
    if requested is None:
        requested = os.environ.get(MODEL_ENV_VAR) or None
        origin = "environment"
    if requested is not None:
        requested = requested.strip()
        if requested.lower() not in VARIANTS:
            path = Path(requested).expanduser()
            check_model_file(path)
            return ResolvedModel(path=path.resolve(), variant=None, origin=origin)
        variant = requested.lower()
    else:
        variant = DEFAULT_VARIANT

    cached = model_cache_dir() / model_filename(variant)
    if cached.exists():
        check_model_file(cached)
        return ResolvedModel(path=cached, variant=variant, origin="cache")
    if not allow_download:
        raise ModelUnavailable(variant, url_template.format(variant=variant), cached, "downloads are turned off")
    download_model(variant, cached, progress=progress, url_template=url_template)
    return ResolvedModel(path=cached, variant=variant, origin="download")


def download_model(
    variant: str,
    destination: Path,
    *,
    progress: ProgressCallback | None = None,
    url_template: str = MODEL_URL_TEMPLATE,
) -> Path:
    """Download the official ``variant`` bundle to ``destination`` atomically; ModelError on any failure."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, got {variant!r}")
    url = url_template.format(variant=variant)
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ModelError(f"cannot create the model folder {destination.parent}: {error.strerror or error}") from None
    remove_stale_parts(destination.parent, destination.name)  # an earlier download killed half way
    temp_path: Path | None = None
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler(user_proxies()), _SecureRedirects)
        with opener.open(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            total = response.headers.get("Content-Length")
            total_bytes = int(total) if total and total.isdigit() else None
            handle, temp_name = tempfile.mkstemp(prefix=destination.name, suffix=".part", dir=destination.parent)
            temp_path = Path(temp_name)
            done_bytes = 0
            with os.fdopen(handle, "wb") as out:
                while chunk := response.read(1 << 16):
                    out.write(chunk)
                    done_bytes += len(chunk)
                    if progress:
                        progress(done_bytes, total_bytes)
        if total_bytes is not None and done_bytes != total_bytes:
            raise ModelError(f"download of {url} stopped early ({done_bytes} of {total_bytes} bytes)")
        check_model_file(temp_path)
        os.replace(temp_path, destination)
        temp_path = None
        return destination
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise ModelUnavailable(variant, url, destination, _plain_reason(error)) from None
    except ModelError as error:
        raise ModelError(f"the downloaded model is unusable ({error}); try again later") from None
    except OSError as error:
        raise ModelError(f"cannot save the model to {destination}: {error.strerror or error}") from None
    finally:
        if temp_path is not None:
            temp_path.unlink(missing_ok=True)


class _SecureRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects to HTTPS only: a model is code the app runs, never fetched over plain HTTP (a loopback test server
    may redirect within itself)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target, origin = urllib.parse.urlsplit(newurl), urllib.parse.urlsplit(req.full_url)
        loopback = origin.hostname in ("127.0.0.1", "localhost") and target.hostname == origin.hostname
        if target.scheme != "https" and not loopback:
            raise urllib.error.URLError(f"refused a redirect away from HTTPS, to {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _plain_reason(error: Exception) -> str:
    """Why a download failed, in words ("no internet connection", not "[Errno -2] Name or service not known")."""
    if isinstance(error, urllib.error.HTTPError):
        return f"the server answered {error.code} {error.reason}"
    cause = getattr(error, "reason", None) or error
    if isinstance(cause, socket.gaierror):
        return "no internet connection"  # the server's name could not be looked up
    if isinstance(cause, TimeoutError):
        return "the server did not answer in time"
    if isinstance(cause, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror.lower()
    return str(cause)
