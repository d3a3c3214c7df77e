"""Keep MediaPipe's usage logging on this machine.

The ``mediapipe`` wheel Google publishes carries a usage logger (``TasksStatsProtoLogger``, posting to
``https://play.googleapis.com/log`` through the libcurl inside its native library) that runs about once a
minute while a pose model is loaded and again when it closes. It has no switch. It does honour the standard
proxy variables, so this process points them at a loopback address no server can listen on (port 0): the
logger's connection fails on the machine itself, before any name is looked up. GaitCoach's own model
download keeps the proxies the user had (``user_proxies``).
"""
from __future__ import annotations

import os
import urllib.request

NOWHERE_PROXY = "http://127.0.0.1:0"
_PROXY_VARIABLES = ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")
_BYPASS_VARIABLES = ("no_proxy", "NO_PROXY")  # a bypass entry would let the logger go round the proxy

_user_proxies: dict[str, str] | None = None


def keep_mediapipe_offline() -> None:
    """Point this process's proxy variables nowhere, once; call before a pose model loads."""
    global _user_proxies
    if _user_proxies is not None:
        return
    _user_proxies = {scheme: url for scheme, url in _current_proxies().items() if url != NOWHERE_PROXY}
    for name in _PROXY_VARIABLES:
        os.environ[name] = NOWHERE_PROXY
    for name in _BYPASS_VARIABLES:
        os.environ.pop(name, None)


def user_proxies() -> dict[str, str]:
    """The proxies the user had before ``keep_mediapipe_offline`` (for GaitCoach's own download)."""
    return dict(_user_proxies) if _user_proxies is not None else _current_proxies()


def _current_proxies() -> dict[str, str]:
    """Scheme -> proxy URL, from the environment, else the system's settings (no bypass list)."""
    return {scheme: url for scheme, url in urllib.request.getproxies().items() if scheme != "no"}
