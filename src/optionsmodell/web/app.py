"""The ASGI app: the page, its assets and the JSON API (starlette).

The core is synchronous and a check may take a while, so every judgement runs in the thread pool and
the event loop stays free for other requests; sweeps and elections, the dearest, share a small limiter
so that a few of them cannot take every thread.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..i18n import LANGS, accept_language
from ..safe_yaml import MAX_BYTES
from . import api
from .bundled import Scenario, load_scenarios, load_static

# A YAML document of up to 1 MiB travels as a JSON string: escaping may double it.
MAX_REQUEST = 2 * MAX_BYTES + 64 * 1024
JUDGE_THREADS = max(2, min(4, os.cpu_count() or 2))
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=SECURITY_HEADERS)


def _lang(request: Request, payload: dict[str, Any] | None = None) -> str:
    """The request's language: the body's `lang`, else `?lang=`, else Accept-Language, else German
    (as the command line's default); findings and error messages alike."""
    for chosen in ((payload or {}).get("lang"), request.query_params.get("lang")):
        if chosen in LANGS:
            return str(chosen)
    return accept_language(request.headers.get("accept-language")) or "de"


def _error(e: api.ApiError, lang: str) -> JSONResponse:
    return _json(e.localized(lang), e.status)


async def _payload(request: Request) -> dict[str, Any]:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_REQUEST:
        raise api.ApiError(413, f"request larger than {MAX_REQUEST} bytes refused")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_REQUEST:
            raise api.ApiError(413, f"request larger than {MAX_REQUEST} bytes refused")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise api.ApiError(400, "the request body must be a JSON object") from None
    if not isinstance(data, dict):
        raise api.ApiError(400, "the request body must be a JSON object")
    return data


def create_app(*, allowed_hosts: list[str] | None = None, scenarios: dict[str, Scenario] | None = None) -> Starlette:
    static = load_static()
    bundled = load_scenarios() if scenarios is None else scenarios
    # Judging is CPU work under the GIL (and the Rete engine's lock): more threads than cores add no
    # throughput, only unfair waiting. anyio's limiters queue in arrival order, so the tail stays short.
    judges = anyio.CapacityLimiter(JUDGE_THREADS)
    heavy = anyio.CapacityLimiter(2)

    def post(fn: Callable[[dict[str, Any]], Any], limiter: anyio.CapacityLimiter | None = None) -> Callable[..., Any]:
        async def endpoint(request: Request) -> Response:
            lang = _lang(request)
            try:
                payload = await _payload(request)
                lang = _lang(request, payload)
                if "lang" not in payload:
                    payload["lang"] = lang
                result = await anyio.to_thread.run_sync(fn, payload, limiter=limiter)
            except api.ApiError as e:
                return _error(e, lang)
            except RecursionError:
                # a recursive alias or absurd nesting; the core's loader should refuse it itself
                return _error(api.ApiError(422, "the input nests too deeply (a recursive alias?); refused"), lang)
            return _json(result)

        return endpoint

    async def regimes(request: Request) -> Response:
        lang = _lang(request)
        if request.query_params.get("lang", lang) not in LANGS:
            return _error(api.ApiError(400, "`lang` is de or en"), lang)
        try:
            return _json(await anyio.to_thread.run_sync(api.regimes, lang))
        except api.ApiError as e:
            return _error(e, lang)

    async def schema(request: Request) -> Response:
        try:
            return _json(api.schema(request.query_params.get("of", "configuration")))
        except api.ApiError as e:
            return _error(e, _lang(request))

    async def scenario_list(request: Request) -> Response:
        return _json([{"id": s.id, "kind": s.kind, "title": s.title} for s in bundled.values()])

    async def scenario(request: Request) -> Response:
        # a name looked up among the scenarios read at start, never a path opened
        found = bundled.get(request.path_params["name"])
        if found is None:
            return _error(api.ApiError(404, "no such bundled scenario"), _lang(request))
        return _json({"id": found.id, "kind": found.kind, "title": found.title, "yaml": found.text, "data": found.data})

    async def asset(request: Request) -> Response:
        name = request.path_params.get("name", "index.html")
        found = static.get(name)
        if found is None:
            return Response("not found", status_code=404, media_type="text/plain", headers=SECURITY_HEADERS)
        content, media_type = found
        return Response(content, media_type=media_type, headers=SECURITY_HEADERS)

    async def index(request: Request) -> Response:
        content, media_type = static["index.html"]
        return Response(content, media_type=media_type, headers=SECURITY_HEADERS)

    async def internal_error(request: Request, exc: Exception) -> Response:
        # never a traceback to the page; the message says what failed
        return _error(api.ApiError(500, f"internal error: {type(exc).__name__}"), _lang(request))

    routes = [
        Route("/", index),
        Route("/static/{name:path}", asset),
        Route("/api/check", post(api.check, judges), methods=["POST"]),
        Route("/api/compare", post(api.compare_, judges), methods=["POST"]),
        Route("/api/timeline", post(api.timeline_, judges), methods=["POST"]),
        Route("/api/sweep", post(api.sweep, heavy), methods=["POST"]),
        Route("/api/elect", post(api.elect, heavy), methods=["POST"]),
        Route("/api/edit", post(api.edit, judges), methods=["POST"]),
        Route("/api/regimes", regimes),
        Route("/api/schema", schema),
        Route("/api/scenarios", scenario_list),
        Route("/api/scenarios/{name:path}", scenario),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)] if allowed_hosts else []
    return Starlette(routes=routes, middleware=middleware, exception_handlers={Exception: internal_error})
