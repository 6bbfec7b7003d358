"""Load test of the web page's API (not a test of the suite): N concurrent clients post checks of the
bundled scenarios for D seconds against `optionsmodell serve` on a loopback port, and the script
reports requests per second, latency percentiles and every failed request.

    pip install -e '.[web,test]' && python benchmarks/web_load.py [--clients 50] [--seconds 20]

Exit code 1 if any request failed (a status other than 200, a wrong verdict or a transport error).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "optionsmodell", "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/regimes", timeout=2):
                return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit(f"server did not start: {proc.stderr.read().decode() if proc.stderr else ''}") from None
            time.sleep(0.2)


def payloads(url: str) -> list[tuple[str, str]]:
    """(yaml, expected verdict) of every bundled scenario, the verdict as the server gives it alone."""
    out = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        r = httpx.post(f"{url}/api/check", json={"yaml": text}, timeout=60)
        r.raise_for_status()
        out.append((text, r.json()["verdict"]))
    return out


async def client(url: str, work: list[tuple[str, str]], start: int, until: float,
                 latencies: list[float], failures: list[str]) -> None:
    i = start
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        while time.monotonic() < until:
            text, expected = work[i % len(work)]
            i += 1
            t0 = time.perf_counter()
            try:
                r = await http.post("/api/check", json={"yaml": text})
                elapsed = time.perf_counter() - t0
                if r.status_code != 200:
                    failures.append(f"HTTP {r.status_code}: {r.text[:200]}")
                elif r.json()["verdict"] != expected:
                    failures.append(f"verdict {r.json()['verdict']} instead of {expected}")
                else:
                    latencies.append(elapsed)
            except httpx.HTTPError as e:
                failures.append(f"{type(e).__name__}: {e}")


async def run(url: str, clients: int, seconds: float) -> dict[str, Any]:
    work = payloads(url)
    latencies: list[float] = []
    failures: list[str] = []
    t0 = time.monotonic()
    until = t0 + seconds
    await asyncio.gather(*(client(url, work, k, until, latencies, failures) for k in range(clients)))
    wall = time.monotonic() - t0
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [float("nan")] * 99
    return {
        "clients": clients, "seconds": round(wall, 1), "requests": len(latencies) + len(failures),
        "ok": len(latencies), "failed": len(failures), "requests_per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "scenarios": len(work), "python": platform.python_version(), "cpus": __import__("os").cpu_count(),
        "first_failures": failures[:5],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--url", help="an already running server; default: start one on a free loopback port")
    args = ap.parse_args()
    proc = None
    url = args.url
    if url is None:
        port = free_port()
        proc = start_server(port)
        url = f"http://127.0.0.1:{port}"
    try:
        result = asyncio.run(run(url, args.clients, args.seconds))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
    print(json.dumps(result, indent=2))
    print(f"{result['clients']} clients, {result['seconds']} s: {result['requests_per_second']} requests/s, "
          f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, "
          f"{result['failed']} of {result['requests']} failed", file=sys.stderr)
    sys.exit(1 if result["failed"] else 0)


if __name__ == "__main__":
    main()
