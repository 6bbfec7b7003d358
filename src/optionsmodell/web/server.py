"""Running the app with uvicorn on a socket bound first, so that a taken port is a clear message."""

from __future__ import annotations

import ipaddress
import socket

import uvicorn

from ..packs import load_all
from .app import create_app

# starlette compares the Host header without its port
LOOPBACK_HOSTS = ["127.0.0.1", "localhost"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(sock: socket.socket, host: str, *, log_level: str = "warning") -> None:
    load_all()  # read the packs before the first request, not during it
    # A page served on loopback answers only to loopback names (no DNS rebinding from a web site).
    allowed = LOOPBACK_HOSTS if is_loopback(host) and ":" not in host else None
    app = create_app(allowed_hosts=allowed)
    config = uvicorn.Config(app, log_level=log_level, access_log=False, timeout_graceful_shutdown=2)
    uvicorn.Server(config).run(sockets=[sock])
